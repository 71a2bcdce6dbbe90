"""The project's media: adding files, reading their text.

Tables (store migration 5; columns in docs/DEVELOPING.md):
- media_files: one row per distinct file content (sha256), its kind, size, dimensions, the
  image type, and which reader version has read it (`read_by`);
- post_media: which post (and carousel slide) shows which file, how the link was found;
- media_text: what was read from a file: source `ocr` (an image), `video_ocr` (on-screen text
  of a video, with the time it appears), `subtitle` (a .vtt/.srt file: manual, automatic or
  TikTok captions), with Tesseract's confidence where it has one;
- view post_media_text: all the text of a post's media in slide and time order, which enrich
  reads beside the caption.
Incremental: a file is read again only when the reader version changes (media seen before is
not OCR'd again, even when a second post links to it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..store import transaction
from . import files as mediafiles

Progress = Callable[[int, int], None]  # (advance, total)


# -- adding -----------------------------------------------------------------------------------
def add(project: Any, paths: Iterable[Path], con: Any = None) -> mediafiles.AddSummary:
    """Link every media file under `paths` to its post and keep a copy under media/."""
    own = con is None
    con = con or project.connect()
    try:
        summary = mediafiles.AddSummary()
        linker = mediafiles.Linker(con)
        for path in mediafiles.discover([Path(p) for p in paths]):
            summary.files += 1
            link = linker.link(path)
            if isinstance(link, str):
                summary.unlinked.append((str(path), link))
                continue
            add_file(con, project.root, path, link, summary)
        return summary
    finally:
        if own:
            con.close()


def add_file(con: Any, root: Path, path: Path, link: mediafiles.Link,
             summary: mediafiles.AddSummary, kind: str | None = None) -> str:
    """Keep one file under media/ and link it to its post (one transaction); its sha256."""
    from .subtitles import subtitle_language

    sha = mediafiles.sha256_of(path)
    kind = kind or mediafiles.media_kind(path) or "image"
    kept = mediafiles.keep(path, sha, root)
    with transaction(con):
        known = con.execute("SELECT 1 FROM media_files WHERE sha256 = ?", [sha]).fetchone()
        if not known:
            con.execute(
                "INSERT INTO media_files (sha256, kind, ext, path, bytes, added_at) "
                "VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [sha, kind, path.suffix.lower(), str(kept.relative_to(root)),
                 path.stat().st_size])
            summary.new_files += 1
        linked = con.execute(
            "SELECT 1 FROM post_media WHERE platform = ? AND post_id = ? AND slide = ? "
            "AND sha256 = ?", [link.platform, link.post_id, link.slide, sha]).fetchone()
        if linked:
            summary.already += 1
        else:
            con.execute(
                "INSERT INTO post_media VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [link.platform, link.post_id, link.slide, sha, kind,
                 subtitle_language(path) if kind == "subtitle" else None, link.how, str(path)])
            summary.linked += 1
            if known and known_read(con, sha):  # text already read: the new post needs it
                relabel_posts_of(con, [sha])
    return sha


# -- reading ----------------------------------------------------------------------------------
def reader_version(kind: str) -> str:
    """What reads a kind of file, with its version: a new version reads every file again."""
    from .imagetype import tree
    from .ocr import VERSION
    from .video import EVERY_SECONDS, SCENE_THRESHOLD

    if kind == "subtitle":
        return "subtitles@1"
    ocr = f"tesseract-ocr@{VERSION}"
    if kind == "video":
        return f"{ocr}+frames@{SCENE_THRESHOLD}/{EVERY_SECONDS}"
    return f"{ocr}+image_type@{tree().get('version', '1')}"


@dataclass
class ReadSummary:
    files: int = 0
    texts: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # kind -> why (tool missing)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "texts": self.texts, "failed": len(self.failed),
                "failed_examples": [{"file": f, "why": w} for f, w in self.failed[:20]],
                "skipped": self.skipped, "seconds": round(self.seconds, 2)}


def read(project: Any, *, con: Any = None, workers: int | None = None,
         progress: Progress | None = None) -> ReadSummary:
    """Read the text of every media file the current readers have not read."""
    from .ocr import available as ocr_missing
    from .video import VideoUnavailable, ffmpeg

    started = time.perf_counter()
    summary = ReadSummary()
    own = con is None
    con = con or project.connect()
    try:
        kinds = ["subtitle"]
        why = ocr_missing()
        if why:
            summary.skipped["image"] = summary.skipped["video"] = why
        else:
            kinds.append("image")
            try:
                ffmpeg()
                kinds.append("video")
            except VideoUnavailable as exc:
                summary.skipped["video"] = exc.message
        for kind in list(summary.skipped):  # say so only where such files wait to be read
            waiting = con.execute("SELECT count(*) FROM media_files WHERE kind = ? AND "
                                  "read_by IS NULL", [kind]).fetchone()[0]
            if not waiting:
                del summary.skipped[kind]
        jobs = []
        for kind in kinds:
            rows = con.execute(
                "SELECT sha256, path FROM media_files WHERE kind = ? "
                "AND read_by IS DISTINCT FROM ? ORDER BY sha256",
                [kind, reader_version(kind)]).fetchall()
            jobs += [(sha, str(project.root / path), kind) for sha, path in rows]
        if not jobs:
            return summary
        workers = workers if workers is not None else min(2, len(jobs))
        if progress:
            progress(0, len(jobs))
        results = _run(jobs, workers)
        batch: list[dict[str, Any]] = []
        for result in results:
            batch.append(result)
            if progress:
                progress(1, len(jobs))
            if len(batch) >= 50:
                _write(con, batch, summary)
                batch = []
        _write(con, batch, summary)
    finally:
        if own:
            con.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _run(jobs: list[tuple[str, str, str]], workers: int):
    from .ocr import quiet_stderr

    if workers <= 1:
        yield from map(read_file, jobs)
        return
    with get_context("forkserver").Pool(workers, initializer=quiet_stderr) as pool:
        yield from pool.imap_unordered(read_file, jobs, chunksize=2)


def read_file(job: tuple[str, str, str]) -> dict[str, Any]:
    """Read one file (runs in a worker process): its texts and what was measured."""
    sha, path, kind = job
    out: dict[str, Any] = {"sha256": sha, "kind": kind, "texts": [], "info": {},
                           "version": reader_version(kind), "error": None}
    try:
        if kind == "subtitle":
            from .subtitles import read_subtitles, subtitle_language

            lang = subtitle_language(Path(path))
            out["texts"] = [("subtitle", i, c.start_s, c.end_s, c.text, None, lang)
                            for i, c in enumerate(read_subtitles(Path(path)))]
        elif kind == "image":
            out["texts"], out["info"] = _read_image(Path(path))
        else:
            out["texts"], out["info"] = _read_video(Path(path))
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the others
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


def _read_image(path: Path) -> tuple[list[tuple], dict[str, Any]]:
    from PIL import Image

    from .imagetype import classify, measure
    from .ocr import engine

    with Image.open(path) as image:
        image.load()
        reading = engine().read(image)
        kind = classify(measure(image, reading))
        info = {"width": image.width, "height": image.height, "image_type": kind.value,
                "image_type_score": kind.score, "image_type_because": kind.because}
    texts = [("ocr", i, None, None, line.text, round(line.confidence / 100, 3), None)
             for i, line in enumerate(reading.lines)]
    return texts, info


def _read_video(path: Path) -> tuple[list[tuple], dict[str, Any]]:
    from .ocr import engine
    from .video import FrameText, keyframes, merge_lines, probe

    readings = []
    for time_s, frame in keyframes(path):
        result = engine().read(frame)
        readings += [FrameText(time_s, line.text, line.confidence / 100)
                     for line in result.lines]
    texts = [("video_ocr", i, r.time_s, None, r.text, round(r.confidence, 3), None)
             for i, r in enumerate(merge_lines(readings))]
    return texts, probe(path)


def _write(con: Any, batch: list[dict[str, Any]], summary: ReadSummary) -> None:
    if not batch:
        return
    with transaction(con):
        for result in batch:
            sha = result["sha256"]
            con.execute("DELETE FROM media_text WHERE sha256 = ?", [sha])
            if result["texts"]:
                con.executemany("INSERT INTO media_text VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [[sha, *row] for row in result["texts"]])
            info = result["info"]
            con.execute(
                """UPDATE media_files SET read_by = ?, read_at = now()::TIMESTAMP,
                   read_error = ?, width = coalesce(?, width), height = coalesce(?, height),
                   duration_s = coalesce(?, duration_s), image_type = ?,
                   image_type_score = ?, image_type_because = ? WHERE sha256 = ?""",
                [result["version"], result["error"], info.get("width"), info.get("height"),
                 info.get("duration_s"), info.get("image_type"), info.get("image_type_score"),
                 info.get("image_type_because"), sha])
            summary.files += 1
            summary.texts += len(result["texts"])
            if result["error"]:
                summary.failed.append((sha, result["error"]))
        relabel_posts_of(con, [r["sha256"] for r in batch if r["texts"]])


def known_read(con: Any, sha: str) -> bool:
    row = con.execute("SELECT read_by IS NOT NULL FROM media_files WHERE sha256 = ?",
                      [sha]).fetchone()
    return bool(row and row[0])


def relabel_posts_of(con: Any, shas: list[str]) -> None:
    """The posts showing these files have new media text: their model labels go, so the next
    enrich labels caption and media text together (coders' labels stay)."""
    if not shas:
        return
    marks = ", ".join("?" for _ in shas)
    linked = (f"EXISTS (SELECT 1 FROM post_media pm WHERE pm.sha256 IN ({marks}) "
              f"AND pm.platform = {{t}}.platform AND pm.post_id = {{t}}.target_id)")
    con.execute(f"DELETE FROM labels WHERE target = 'post' AND source LIKE 'model:%' AND "
                f"{linked.format(t='labels')}", shas)
    con.execute(f"DELETE FROM enrich_state WHERE target = 'post' AND "
                f"{linked.format(t='enrich_state')}", shas)
