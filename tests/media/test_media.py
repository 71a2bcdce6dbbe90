"""Media beside the exports: linking, OCR, subtitles, video text, image type, the CLI.

Images and videos are generated here (Pillow, ffmpeg); nothing is downloaded."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein
from typer.testing import CliRunner

from pantau.cli import app
from pantau.demo import images
from pantau.media import files as mediafiles
from pantau.media import library
from pantau.media.ocr import available as ocr_missing
from pantau.media.subtitles import read_subtitles, subtitle_language
from pantau.media.video import FrameText, merge_lines
from tests.conftest import FIXTURES, import_files, query

needs_ocr = pytest.mark.skipif(ocr_missing() is not None, reason=f"OCR: {ocr_missing()}")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg missing")


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


# -- subtitles ------------------------------------------------------------------------------
AUTO_VTT = """WEBVTT
Kind: captions
Language: id

00:00:00.000 --> 00:00:02.500 align:start position:0%
halo<00:00:00.500><c> warga</c><00:00:01.000><c> bekasi</c>

00:00:02.500 --> 00:00:02.510 align:start position:0%
halo warga bekasi

00:00:02.510 --> 00:00:05.000 align:start position:0%
halo warga bekasi
hari<00:00:03.000><c> ini</c><00:00:03.500><c> kami</c><00:00:04.000><c> di</c>\
<00:00:04.500><c> jatiasih</c>

00:01:02.000 --> 00:01:04.250
Halo warga Bekasi
"""

SRT = """1
00:00:01,000 --> 00:00:03,500
Program kami: normalisasi kali

2
00:00:03,500 --> 00:00:06,000
dan polder baru di Jatiasih
"""


def test_automatic_captions_are_read_once_per_line_with_their_time(tmp_path):
    path = tmp_path / "Debat [abc123].id.vtt"
    path.write_text(AUTO_VTT, encoding="utf-8")
    cues = read_subtitles(path)
    assert [c.text for c in cues] == ["halo warga bekasi", "hari ini kami di jatiasih"]
    assert cues[1].start_s == pytest.approx(2.51)
    assert subtitle_language(path) == "id"


def test_srt_files_are_read(tmp_path):
    path = tmp_path / "7431234567890123456.srt"
    path.write_text(SRT, encoding="utf-8")
    cues = read_subtitles(path)
    assert [c.text for c in cues] == ["Program kami: normalisasi kali",
                                      "dan polder baru di Jatiasih"]
    assert (cues[0].start_s, cues[0].end_s) == (1.0, 3.5)
    assert subtitle_language(path) is None


def test_a_broken_subtitle_file_is_a_clear_error(tmp_path):
    from pantau.errors import PantauError

    path = tmp_path / "x.vtt"
    path.write_text("this is not webvtt\n", encoding="utf-8")
    with pytest.raises(PantauError, match="x.vtt"):
        read_subtitles(path)


def test_repeated_on_screen_lines_merge_keeping_the_best_reading():
    readings = [FrameText(0.0, "Bekasi bebas banjir 2029", 0.81),
                FrameText(2.0, "Bekasi bebas banjlr 2029", 0.62),
                FrameText(4.0, "Bekasi bebas banjir 2029!", 0.93),
                FrameText(6.0, "Datang ke TPS 27 November", 0.9)]
    merged = merge_lines(readings)
    assert [m.text for m in merged] == ["Bekasi bebas banjir 2029!", "Datang ke TPS 27 November"]
    assert merged[0].time_s == 0.0  # first shown at 0 s


# -- OCR and image type -------------------------------------------------------------------
@needs_ocr
@pytest.mark.parametrize("seed", [3, 11])
def test_ocr_reads_a_rendered_infographic(seed, tmp_path):
    from pantau.media.ocr import engine

    rendered = images.infographic(random.Random(seed), no=2)
    path = images.save_jpeg(rendered, tmp_path / "a.jpg", quality=70)
    result = engine().read_file(path)
    assert cer(rendered.text, result.text) < 0.05, (rendered.text, result.text)
    assert result.confidence and result.confidence > 0.7
    assert result.text_area > 0.03


@needs_ocr
def test_a_photo_yields_no_text_and_is_typed_photo(tmp_path):
    from pantau.media.imagetype import classify, measure
    from pantau.media.ocr import engine

    rendered = images.photo(random.Random(5))
    result = engine().read(rendered.image)
    assert len(result.text) < 15
    typed = classify(measure(rendered.image, result))
    assert typed.value == "photo"
    assert typed.because  # says which thresholds decided


@needs_ocr
def test_image_type_tells_infographics_from_video_frames():
    from pantau.media.imagetype import classify, measure
    from pantau.media.ocr import engine

    for kind, seed in (("infographic", 1_000_001), ("video_frame", 1_000_002)):
        rendered = images.sample(seed, kind)
        assert classify(measure(rendered.image, engine().read(rendered.image))).value == kind


# -- linking ------------------------------------------------------------------------------
def _instaloader_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "paslon3.bekasi"
    shutil.copytree(FIXTURES / "instaloader" / "paslon3.bekasi", folder)
    rng = random.Random(1)
    stem = "2024-11-19_07-00-00_UTC"
    for slide in (1, 2):
        images.save_jpeg(images.infographic(rng, no=3), folder / f"{stem}_{slide}.jpg")
    images.save_jpeg(images.photo(rng, width=300, height=300), folder / "unrelated_photo.jpg")
    return folder


def test_instaloader_slides_link_to_their_post_through_the_json_beside_them(project, tmp_path):
    folder = _instaloader_folder(tmp_path)
    import_files(project, *sorted(folder.glob("*.json*")))
    summary = library.add(project, [folder])
    assert summary.files == 3
    assert summary.linked == 2
    assert [Path(p).name for p, _ in summary.unlinked] == ["unrelated_photo.jpg"]
    links = query(project, "SELECT platform, post_id, slide, linked_by FROM post_media "
                           "ORDER BY slide")
    post = query(project, "SELECT post_id FROM posts WHERE platform = 'instagram' AND "
                          "created_at = TIMESTAMP '2024-11-19 07:00:00'")[0]["post_id"]
    assert [(r["platform"], r["post_id"], r["slide"], r["linked_by"]) for r in links] == [
        ("instagram", post, 1, "instaloader"), ("instagram", post, 2, "instaloader")]
    kept = query(project, "SELECT path FROM media_files")
    assert all((project.root / r["path"]).is_file() for r in kept)
    again = library.add(project, [folder])  # idempotent
    assert (again.linked, again.already) == (0, 2)
    assert len(query(project, "SELECT * FROM post_media")) == 2


def test_files_named_by_post_id_link_and_ambiguity_is_reported(project, tmp_path):
    import_files(project, FIXTURES / "ytdlp" / "tiktok_blusukan.info.json")
    post_id = query(project, "SELECT post_id FROM posts WHERE platform = 'tiktok'")[0]["post_id"]
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / f"{post_id}.id.vtt").write_text(AUTO_VTT, encoding="utf-8")
    (folder / "no_such_post_1234567.vtt").write_text(AUTO_VTT, encoding="utf-8")
    summary = library.add(project, [folder])
    assert summary.linked == 1
    assert "no post id or shortcode" in summary.unlinked[0][1]
    row = query(project, "SELECT platform, post_id, kind, lang FROM post_media")[0]
    assert row == {"platform": "tiktok", "post_id": post_id, "kind": "subtitle", "lang": "id"}


def test_discover_does_not_follow_symlink_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "x.jpg").write_bytes(b"\xff\xd8")
    assert [p.name for p in mediafiles.discover([tmp_path])] == ["x.jpg"]


# -- reading, end to end -------------------------------------------------------------------
@needs_ocr
def test_read_stores_text_once_per_file_and_only_once(project, tmp_path):
    folder = _instaloader_folder(tmp_path)
    import_files(project, *sorted(folder.glob("*.json*")))
    library.add(project, [folder])
    first = library.read(project, workers=1)
    assert first.files == 2 and not first.failed
    texts = query(project, "SELECT * FROM post_media_text")
    assert len(texts) == 1 and "ocr" in texts[0]["sources"]
    assert "No. 3" in texts[0]["text"]
    types = {r["image_type"] for r in query(project, "SELECT image_type FROM media_files")}
    assert types == {"infographic"}
    second = library.read(project, workers=1)  # nothing new: nothing read again
    assert second.files == 0


@needs_ocr
@needs_ffmpeg
def test_on_screen_video_text_is_read_with_its_time(project, tmp_path):
    from pantau.media.video import keyframes

    frames_dir = tmp_path / "frames"
    frames_dir.mkdir()
    rng = random.Random(2)
    captions = ["Program kami normalisasi kali", "Datang ke TPS 27 November"]
    shown: list[str] = []  # the lines drawn (a caption may wrap onto two)
    for i, caption in enumerate(captions):
        frame = images.video_frame(rng, width=540, height=960, text=caption)
        frame.image.save(frames_dir / f"s{i}.png")
        shown += frame.lines
    video = tmp_path / "7431234567890123456.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-framerate", "1/3", "-i",
                    str(frames_dir / "s%d.png"), "-vf", "fps=10,format=yuv420p", "-c:v",
                    "libx264", str(video)], check=True)
    assert len(keyframes(video)) >= 2
    result = library.read_file(("x", str(video), "video"))
    assert result["error"] is None
    found = [t[4] for t in result["texts"]]
    # each line once, although every caption stays on screen for 30 frames
    assert len(found) == len(shown)
    assert cer(" ".join(shown), " ".join(found)) < 0.1
    assert result["texts"][-1][2] >= 2.5  # the second caption appears at ~3 s
    assert result["info"]["duration_s"] == pytest.approx(6, abs=0.5)


def test_cli_add_read_status(project, tmp_path):
    import_files(project, FIXTURES / "ytdlp" / "tiktok_blusukan.info.json")
    post_id = query(project, "SELECT post_id FROM posts WHERE platform = 'tiktok'")[0]["post_id"]
    (tmp_path / f"{post_id}.srt").write_text(SRT, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["media", "add", str(tmp_path / f"{post_id}.srt"),
                              "--project", str(project.root)])
    assert out.exit_code == 0, out.output
    assert "1 linked" in out.output
    out = runner.invoke(app, ["media", "read", "--project", str(project.root), "--json"])
    assert out.exit_code == 0, out.output
    assert '"texts":2' in out.output.replace(" ", "")
    out = runner.invoke(app, ["media", "status", "--project", str(project.root)])
    assert "1 posts have text" in out.output
    out = runner.invoke(app, ["media", "add", str(tmp_path / "missing"),
                              "--project", str(project.root)])
    assert out.exit_code == 1 and "no such file" in out.output


def test_enrich_reads_media_text_beside_the_caption_and_says_so(project, tmp_path):
    """A subtitle promising money is read by enrich with the caption; evidence found only in
    the media text is marked, and a post whose media text arrives later is labelled again."""
    from pantau.enrich import enrich
    from pantau.enrich.labels import MEDIA_EVIDENCE

    import_files(project, FIXTURES / "ytdlp" / "tiktok_blusukan.info.json")
    post_id = query(project, "SELECT post_id FROM posts WHERE platform = 'tiktok'")[0]["post_id"]
    enrich(project, tasks=["topic"], workers=0)
    before = query(project, "SELECT value, evidence FROM labels WHERE target = 'post' "
                            "AND scheme = 'topic' AND target_id = ?", [post_id])
    (tmp_path / f"{post_id}.id.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nSekolah gratis dan beasiswa untuk pelajar SMA\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nPuskesmas buka 24 jam, layanan kesehatan gratis\n",
        encoding="utf-8")
    library.add(project, [tmp_path])
    library.read(project, workers=1)
    assert not query(project, "SELECT * FROM labels WHERE target = 'post' AND target_id = ? "
                              "AND source LIKE 'model:%'", [post_id])  # relabel pending
    enrich(project, tasks=["topic"], workers=0)
    after = query(project, "SELECT value, evidence FROM labels WHERE target = 'post' "
                           "AND scheme = 'topic' AND target_id = ?", [post_id])
    new_topics = {r["value"] for r in after} - {r["value"] for r in before}
    assert new_topics >= {"pendidikan", "kesehatan"}, (before, after)
    evidence = " ".join(r["evidence"] or "" for r in after if r["value"] in new_topics)
    assert "puskesmas [media_text]" in evidence  # the topic coder weighs media text itself

    # a model reading one text (toxicity) gets caption + media text; evidence says where
    (tmp_path / f"{post_id}.id.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nDasar anjing kalian semua\n", encoding="utf-8")
    library.add(project, [tmp_path])
    library.read(project, workers=1)
    enrich(project, tasks=["toxicity"], workers=0)
    row = query(project, "SELECT value, evidence FROM labels WHERE target = 'post' AND "
                         "scheme = 'toxicity' AND target_id = ?", [post_id])[0]
    assert row["value"] != "none" and MEDIA_EVIDENCE in row["evidence"], row


@needs_ocr
def test_infographic_posts_reach_the_analysis_and_the_report(make_project, tmp_path):
    from pantau.analysis import run_all
    from pantau.enrich import enrich
    from pantau.report import write_report

    project = make_project('\n[[accounts]]\ncandidate = "pair-3"\nplatform = "instagram"\n'
                           'handle = "paslon3.bekasi"\nrole = "official"\n')
    folder = _instaloader_folder(tmp_path)
    import_files(project, *sorted(folder.glob("*.json*")))
    library.add(project, [folder])
    library.read(project, workers=1)
    enrich(project, workers=0)
    run_all(project)
    formats = query(project, "SELECT candidate_id, platform, format, posts, "
                             "posts_with_media_text FROM analysis_media_formats")
    infographic = [r for r in formats if r["format"] == "infographic"]
    assert infographic == [{"candidate_id": "pair-3", "platform": "instagram",
                            "format": "infographic", "posts": 1, "posts_with_media_text": 1}]
    for lang, title in (("id", "Format visual"), ("en", "Visual formats")):
        out = tmp_path / f"report-{lang}.html"
        write_report(project, out, lang=lang)
        html = out.read_text(encoding="utf-8")
        assert 'id="media"' in html and title in html
        assert ("infografis" if lang == "id" else "infographic") in html


def test_the_web_post_page_shows_the_media_text(project, tmp_path):
    from tests.web.support import make_client

    import_files(project, FIXTURES / "ytdlp" / "tiktok_blusukan.info.json")
    post_id = query(project, "SELECT post_id FROM posts WHERE platform = 'tiktok'")[0]["post_id"]
    (tmp_path / f"{post_id}.id.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nKata @warga_biasa: jalan di Jatiasih rusak\n",
        encoding="utf-8")
    library.add(project, [tmp_path])
    library.read(project, workers=1)
    client, db = make_client(project)
    try:
        html = client.get(f"/posts/tiktok/{post_id}?lang=id").text
    finally:
        client.close()
        db.close()
    assert "Teks dalam media" in html and "jalan di Jatiasih rusak" in html
    assert "@warga_biasa" not in html  # an ordinary person's handle is masked


def test_pantau_enrich_reads_waiting_media_first(project, tmp_path):
    import_files(project, FIXTURES / "ytdlp" / "tiktok_blusukan.info.json")
    post_id = query(project, "SELECT post_id FROM posts WHERE platform = 'tiktok'")[0]["post_id"]
    (tmp_path / f"{post_id}.srt").write_text(SRT, encoding="utf-8")
    library.add(project, [tmp_path])
    out = CliRunner().invoke(app, ["enrich", "--project", str(project.root)])
    assert out.exit_code == 0, out.output
    assert "Media: 1 files read (2 lines of text)" in out.output
    assert query(project, "SELECT count(*) AS n FROM media_text")[0]["n"] == 2
    again = CliRunner().invoke(app, ["enrich", "--project", str(project.root)])
    assert "Media:" not in again.output  # nothing waiting: nothing said
