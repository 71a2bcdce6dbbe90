"""yt-dlp metadata: .info.json documents and --dump-json lines for four platforms.

Fixtures (tests/fixtures/ytdlp/) follow yt-dlp 2024's info dict (field names from its
extractors, formats lists trimmed): a YouTube debate video with `--write-comments` (threaded
replies, one by the uploader), a later `--dump-json` capture of the same video plus a past live
stream, a TikTok video saved indented, an Instagram carousel as one playlist (`-J`) and the
same carousel a day later as one line per entry (`-j`), and a Facebook video.
Real sample: ../shared/samples/ytdlp/ (an old youtube-dl layout: only `upload_date`).
"""

from __future__ import annotations

from datetime import datetime

import orjson

from pantau.records import Account, Comment, Post
from tests.conftest import FIXTURES, import_files, query
from tests.formats.test_twarc2 import (
    by_id,
    claimed,
    detect_name,
    foreign_files,
    map_path,
    of,
    sniffs_as,
)

DIR = FIXTURES / "ytdlp"
VIDEO = "Xq7bK2pLm9A"
CHANNEL = "UCq3bEkAsI3pAsLoN3xYz12A"
CAROUSEL = "DCmP4sLn9Qk"


def test_real_sample_old_youtube_dl_layout(samples_dir):
    path = samples_dir / "ytdlp" / "tubeup_youtube_KdsN9YhkDrY.info.json"
    assert detect_name(path) == "ytdlp"
    rows = map_path(path)
    (post,) = of(rows, Post)
    assert post.platform == "youtube" and post.post_id == "KdsN9YhkDrY"
    assert post.created_at == datetime(2016, 6, 25)  # upload_date only: midnight UTC
    assert post.account_id == "UCWpsozCMdAnfI16rZHQ9XDg"
    assert post.text.startswith("Epic Ramadan - Video Background HD1080p\n\nIf you enjoy my work")
    assert (post.views, post.likes, post.duration_s, post.media_type) == (141017, 807, 8.0,
                                                                         "video")
    assert post.url == "https://www.youtube.com/watch?v=KdsN9YhkDrY"
    assert post.observed_at is None  # no `epoch`: ingest uses the file's time
    (account,) = of(rows, Account)
    assert (account.handle, account.display_name) == (None, "RelaxingWorld")


def test_only_the_ytdlp_sample_is_claimed(samples_dir):
    assert claimed(samples_dir, {"ytdlp"}) == {"ytdlp/tubeup_youtube_KdsN9YhkDrY.info.json"}
    for path in sorted(DIR.iterdir()):
        assert detect_name(path) == "ytdlp", path


def test_ytdlp_claims_no_other_format_fixture():
    for path in foreign_files("ytdlp"):
        assert not sniffs_as(path, "ytdlp"), path


def test_youtube_video_with_comments():
    rows = map_path(DIR / "youtube_debat.info.json")
    (post,) = of(rows, Post)
    assert (post.platform, post.post_id, post.account_id) == ("youtube", VIDEO, CHANNEL)
    assert post.created_at == datetime(2024, 11, 18, 3, 20)
    assert post.observed_at == datetime(2024, 11, 20, 5, 0)  # epoch
    assert post.text.startswith("Debat Publik Pertama Pilkada Kota Bekasi 2024 - Paslon 3\n\n")
    assert post.hashtags == ["pilkadabekasi", "debatpilkada"]
    assert post.mentions == ["beritabekasi"]
    assert (post.views, post.likes, post.comments, post.followers) == (15420, 830, 4, 12800)
    assert (post.duration_s, post.lang, post.media_type) == (1265.0, "id", "video")
    (account,) = of(rows, Account)
    assert (account.handle, account.display_name) == ("paslon3bekasi", "Paslon 3 Bekasi")
    comments = by_id(rows, Comment, "comment_id")
    top = comments["UgzF3kQm1vPilkada01AaABAg"]
    assert (top.post_id, top.parent_id, top.author_handle) == (VIDEO, None, "wargamustikajaya")
    assert top.created_at == datetime(2024, 11, 18, 5, 0)
    assert (top.likes, top.by_post_author) == (25, False)
    answer = comments["UgzF3kQm1vPilkada01AaABAg.AB12cd34EF5"]
    assert answer.parent_id == "UgzF3kQm1vPilkada01AaABAg"
    assert (answer.author_id, answer.by_post_author) == (CHANNEL, True)  # author_is_uploader


def test_two_captures_of_a_video_are_one_post_with_two_observations(project):
    import_files(project, DIR / "youtube_debat.info.json", DIR / "youtube_channel_dump.jsonl")
    posts = query(project, "SELECT post_id, media_type FROM posts WHERE platform = 'youtube' "
                           "ORDER BY post_id")
    assert posts == [{"post_id": "Lv5KampAnYe", "media_type": "live"},
                     {"post_id": VIDEO, "media_type": "video"}]
    metrics = query(project, "SELECT observed_at, views, likes FROM post_metrics "
                             f"WHERE post_id = '{VIDEO}' ORDER BY observed_at")
    assert metrics == [
        {"observed_at": datetime(2024, 11, 20, 5, 0), "views": 15420, "likes": 830},
        {"observed_at": datetime(2024, 11, 22, 5, 0), "views": 20110, "likes": 1012},
    ]
    replies = query(project, "SELECT comment_id, parent_id, by_post_author FROM comments "
                             "WHERE parent_id IS NOT NULL ORDER BY comment_id")
    assert replies == [
        {"comment_id": "UgxR7tYu2wKapanDebat02AaABAg.AB99zz88YY7",
         "parent_id": "UgxR7tYu2wKapanDebat02AaABAg", "by_post_author": False},
        {"comment_id": "UgzF3kQm1vPilkada01AaABAg.AB12cd34EF5",
         "parent_id": "UgzF3kQm1vPilkada01AaABAg", "by_post_author": True},
    ]


def test_tiktok_indented_info_json():
    path = DIR / "tiktok_blusukan.info.json"
    assert detect_name(path) == "ytdlp"
    rows = map_path(path)
    (post,) = of(rows, Post)
    assert (post.platform, post.post_id, post.account_id) == (
        "tiktok", "7438912345678901234", "7012345678901234567")
    assert post.created_at == datetime(2024, 11, 19, 4, 20)
    assert post.text == ("Blusukan ke Pasar Baru Bekasi pagi ini! #pilkadabekasi #paslon3 "
                         "@relawan.tri")
    assert (post.hashtags, post.mentions) == (["pilkadabekasi", "paslon3"], ["relawan.tri"])
    assert (post.views, post.likes, post.comments, post.shares, post.saves) == (
        152300, 10450, 512, 388, 1290)
    assert post.url == "https://www.tiktok.com/@paslon3.bekasi/video/7438912345678901234"
    (account,) = of(rows, Account)
    assert (account.handle, account.display_name) == ("paslon3.bekasi", "Paslon 3 Kota Bekasi")


def test_instagram_carousel_playlist_is_one_post():
    rows = map_path(DIR / "instagram_carousel.info.json")
    (post,) = of(rows, Post)
    assert (post.platform, post.post_id, post.media_type) == ("instagram", CAROUSEL, "carousel")
    assert post.account_id == "5432109876"
    assert post.text.startswith("Terima kasih warga Bekasi Utara!")  # not "Post by ..."
    assert (post.likes, post.comments, post.views) == (2310, 2, None)
    assert post.created_at == datetime(2024, 11, 19, 7, 0)
    (account,) = of(rows, Account)
    assert (account.handle, account.display_name) == ("paslon3.bekasi", "Paslon 3 Kota Bekasi")
    comments = by_id(rows, Comment, "comment_id")
    assert comments["18047000000000001"].author_handle == "warga.bekasiutara"
    assert comments["18047000000000001"].post_id == CAROUSEL
    assert comments["18047000000000002"].parent_id is None  # yt-dlp gives Instagram no parent


def test_instagram_carousel_entries_on_their_own_lines_are_the_same_post(project):
    rows = map_path(DIR / "instagram_carousel_entries.jsonl")
    posts = of(rows, Post)
    assert [p.post_id for p in posts] == [CAROUSEL, CAROUSEL]
    assert [p.likes for p in posts] == [2588, None]  # counts once per capture
    assert posts[0].url == f"https://www.instagram.com/p/{CAROUSEL}/"
    import_files(project, DIR / "instagram_carousel.info.json",
                 DIR / "instagram_carousel_entries.jsonl")
    metrics = query(project, "SELECT observed_at, likes FROM post_metrics "
                             f"WHERE post_id = '{CAROUSEL}' ORDER BY observed_at")
    assert metrics == [{"observed_at": datetime(2024, 11, 20, 5, 0), "likes": 2310},
                       {"observed_at": datetime(2024, 11, 21, 5, 0), "likes": 2588}]
    (by_owner,) = query(project, "SELECT by_post_author FROM comments "
                                 "WHERE comment_id = '18047000000000002'")
    assert by_owner["by_post_author"] is True  # decided in the store from the author's id


def test_facebook_video():
    rows = map_path(DIR / "facebook_dialog.info.json")
    (post,) = of(rows, Post)
    assert (post.platform, post.post_id, post.account_id) == (
        "facebook", "1098765432109876", "100064012345678")
    assert post.text.startswith("Dialog warga Bekasi Selatan")
    assert (post.views, post.likes, post.comments, post.shares) == (4300, 512, 87, 41)
    assert post.duration_s == 612.4
    assert post.hashtags == ["pilkadabekasi"]


def test_facebook_counts_as_text_and_flat_playlist_stubs(tmp_path):
    info = orjson.loads((DIR / "facebook_dialog.info.json").read_bytes())
    info.update(view_count="1.2K", like_count="512", repost_count=None)
    stub = {"_type": "url", "ie_key": "Youtube", "id": "St0bV1de0Xy", "url":
            "https://www.youtube.com/watch?v=St0bV1de0Xy", "title": "Orasi di Bekasi Timur",
            "description": None, "duration": 95.0, "channel_id": CHANNEL, "channel":
            "Paslon 3 Bekasi", "view_count": 310, "extractor": "youtube:tab",
            "extractor_key": "YoutubeTab", "playlist_id": CHANNEL, "epoch": 1732251600}
    path = tmp_path / "dump.jsonl"
    path.write_bytes(orjson.dumps(info) + b"\n" + orjson.dumps(stub) + b"\n")
    posts = by_id(map_path(path), Post, "post_id")
    assert (posts["1098765432109876"].views, posts["1098765432109876"].shares) == (1200, None)
    stubbed = posts["St0bV1de0Xy"]
    assert (stubbed.platform, stubbed.account_id, stubbed.views) == ("youtube", CHANNEL, 310)
    assert stubbed.url == "https://www.youtube.com/watch?v=St0bV1de0Xy"


def test_long_dump_json_lines_are_recognised(tmp_path):
    info = orjson.loads((DIR / "youtube_debat.info.json").read_bytes())
    info["formats"] = info["formats"] * 400  # real YouTube dumps are hundreds of KB a line
    line = orjson.dumps(info)
    assert len(line) > 256 * 1024
    path = tmp_path / "channel.jsonl"
    path.write_bytes(line + b"\n" + line + b"\n")
    assert detect_name(path) == "ytdlp"
    assert len(of(map_path(path), Post)) == 2


def test_malformed_and_foreign_records_go_to_rejects(project, tmp_path):
    good = (DIR / "tiktok_blusukan.info.json").read_bytes()
    vimeo = {"id": "76979871", "title": "A Vimeo video", "extractor": "vimeo",
             "extractor_key": "Vimeo", "webpage_url": "https://vimeo.com/76979871"}
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(orjson.dumps(orjson.loads(good)) + b"\n" + b'{"id": "cut off\n'
                     + orjson.dumps(vimeo) + b"\n")
    (summary,) = import_files(project, path)
    assert summary.format == "ytdlp" and summary.posts == 1 and summary.rejected == 2
    rejects = query(project, "SELECT line_no, reason FROM rejects ORDER BY line_no")
    assert [r["line_no"] for r in rejects] == [2, 3]
    assert "Vimeo" in rejects[1]["reason"]
