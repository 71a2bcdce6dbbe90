"""Instaloader metadata and comments files.

Fixtures (tests/fixtures/instaloader/) mirror what Instaloader 4.13 writes into a profile
folder: a GraphSidecar post as indented, key-sorted `.json` (--no-compress-json), a reel as
compact `.json.xz`, the profile's `{username}_{id}.json.xz`, and the sidecar's
`{date}_UTC_comments.json` (replies nested in `answers`). `by_shortcode/` holds an old-style
comments file (no likes, no answers) named with --filename-pattern {shortcode}; `orphan/` a
comments file whose post metadata is missing. No real Instaloader export is in ../shared.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import UTC, datetime

import orjson

from pantau.formats.base import Rejected
from pantau.formats.instaloader import mediaid_to_shortcode, post_id_for_comments
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

DIR = FIXTURES / "instaloader"
PROFILE_DIR = DIR / "paslon3.bekasi"
SIDECAR = PROFILE_DIR / "2024-11-19_07-00-00_UTC.json"
REEL = PROFILE_DIR / "2024-11-18_09-30-00_UTC.json.xz"
PROFILE = PROFILE_DIR / "paslon3.bekasi_5432109876.json.xz"
COMMENTS = PROFILE_DIR / "2024-11-19_07-00-00_UTC_comments.json"
OWNER = "5432109876"


def test_every_fixture_sniffs_as_instaloader():
    for path in sorted(DIR.rglob("*.json*")):
        assert detect_name(path) == "instaloader", path


def test_instaloader_claims_no_sample_and_no_other_fixture(samples_dir):
    assert claimed(samples_dir, {"instaloader"}) == set()
    for path in foreign_files("instaloader"):
        assert not sniffs_as(path, "instaloader"), path


def test_sidecar_post():
    rows = map_path(SIDECAR)
    (post,) = of(rows, Post)
    assert (post.platform, post.post_id, post.account_id) == ("instagram", "DCmP4sLn9Qk", OWNER)
    assert post.media_type == "carousel"
    assert post.created_at == datetime(2024, 11, 19, 7, 0)
    assert post.text.startswith("Terima kasih warga Bekasi Utara! 🙏 #PilkadaBekasi")
    # Instaloader's regexes over the lowercased caption
    assert post.hashtags == ["pilkadabekasi", "bekasimaju"]
    assert post.mentions == ["relawan.tri", "paslon3.media"]
    assert (post.likes, post.comments, post.views, post.followers) == (2187, 2, None, 38150)
    assert post.url == "https://www.instagram.com/p/DCmP4sLn9Qk"
    assert post.is_ad is False and post.observed_at is None
    (account,) = of(rows, Account)
    assert (account.handle, account.display_name, account.followers) == (
        "paslon3.bekasi", "Paslon 3 Kota Bekasi", 38150)


def test_compressed_reel_and_profile():
    (post,) = of(map_path(REEL), Post)
    assert (post.post_id, post.media_type, post.duration_s) == ("DCjZ2mWv8Hs", "video", 31.533)
    assert (post.views, post.likes, post.comments) == (20450, 3100, 145)
    assert post.mentions == ["kpu.kotabekasi"]
    assert post.created_at == datetime(2024, 11, 18, 9, 30)
    (account,) = of(map_path(PROFILE), Account)
    assert (account.account_id, account.handle, account.followers) == (
        OWNER, "paslon3.bekasi", 38150)


def test_comments_find_their_post_beside_them():
    rows = map_path(COMMENTS)
    comments = by_id(rows, Comment, "comment_id")
    assert set(comments) == {"18047000000000001", "18047000000000002", "18047000000000003"}
    top = comments["18047000000000001"]
    assert (top.post_id, top.parent_id, top.reply_count, top.likes) == ("DCmP4sLn9Qk", None, 1, 12)
    assert (top.author_id, top.author_handle) == ("61234567890", "warga.bekasiutara")
    assert top.created_at == datetime(2024, 11, 19, 8, 0)
    answer = comments["18047000000000002"]
    assert (answer.parent_id, answer.author_id, answer.likes) == ("18047000000000001", OWNER, 3)
    assert answer.reply_count is None


def test_comments_named_by_shortcode_and_old_style():
    (comment,) = of(map_path(DIR / "by_shortcode" / "DCjZ2mWv8Hs_comments.json"), Comment)
    assert (comment.post_id, comment.likes, comment.reply_count) == ("DCjZ2mWv8Hs", None, None)
    assert comment.created_at == datetime(2024, 11, 18, 11, 40)


def test_comments_of_an_unknown_post_are_rejected_with_a_hint():
    (reject,) = map_path(DIR / "orphan" / "2024-10-01_10-00-00_UTC_comments.json")
    assert isinstance(reject, Rejected)
    assert "cannot tell which post" in reject.reason and "--filename-pattern" in reject.reason


def test_comments_find_their_post_inside_a_zip(tmp_path, project):
    archive = tmp_path / "instaloader.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in (SIDECAR, COMMENTS):
            zf.write(path, f"paslon3.bekasi/{path.name}")
    assert post_id_for_comments(f"{archive}!paslon3.bekasi/{COMMENTS.name}") == "DCmP4sLn9Qk"
    summaries = import_files(project, archive)
    assert [s.rejected for s in summaries] == [0, 0]
    rows = query(project, "SELECT comment_id, post_id, parent_id, by_post_author FROM comments "
                          "ORDER BY comment_id")
    assert rows == [
        {"comment_id": "18047000000000001", "post_id": "DCmP4sLn9Qk", "parent_id": None,
         "by_post_author": False},
        {"comment_id": "18047000000000002", "post_id": "DCmP4sLn9Qk",
         "parent_id": "18047000000000001", "by_post_author": True},
        {"comment_id": "18047000000000003", "post_id": "DCmP4sLn9Qk", "parent_id": None,
         "by_post_author": False},
    ]


def test_folder_import_and_merge_with_ytdlp(project, tmp_path):
    folder = tmp_path / "paslon3.bekasi"
    shutil.copytree(PROFILE_DIR, folder)
    seen = datetime(2024, 11, 22, 8, 0, tzinfo=UTC).timestamp()  # Instaloader has no capture time
    for path in folder.iterdir():
        os.utime(path, (seen, seen))
    summaries = import_files(project, folder, FIXTURES / "ytdlp" / "instagram_carousel.info.json")
    assert all(s.rejected == 0 for s in summaries)
    (row,) = query(project, "SELECT count(*) AS n FROM posts WHERE post_id = 'DCmP4sLn9Qk'")
    assert row["n"] == 1  # the same post from Instaloader and yt-dlp (key: shortcode)
    metrics = query(project, "SELECT observed_at, likes, source_format FROM post_metrics "
                             "WHERE post_id = 'DCmP4sLn9Qk' ORDER BY observed_at")
    assert [(m["observed_at"], m["likes"], m["source_format"]) for m in metrics] == [
        (datetime(2024, 11, 20, 5, 0), 2310, "ytdlp"),
        (datetime(2024, 11, 22, 8, 0), 2187, "instaloader")]
    (account,) = query(project, "SELECT handle, followers FROM accounts "
                                f"WHERE platform = 'instagram' AND account_id = '{OWNER}'")
    assert account == {"handle": "paslon3.bekasi", "followers": 38150}


def test_story_item_and_shortcode_from_media_id(tmp_path):
    assert mediaid_to_shortcode(482584233761418119) == "aye83DjauH"  # Instagram's own example
    assert mediaid_to_shortcode("3503000000000000000_5432109876") == mediaid_to_shortcode(
        3503000000000000000)
    story = {"instaloader": {"node_type": "StoryItem", "version": "4.13.1"}, "node": {
        "__typename": "GraphStoryVideo", "id": "3504123456789012345", "is_video": True,
        "owner": {"id": OWNER, "username": "paslon3.bekasi"}, "taken_at_timestamp": 1732100000,
        "video_duration": 15.0, "expiring_at_timestamp": 1732186400}}
    path = tmp_path / "2024-11-20_10-53-20_UTC.json"
    path.write_bytes(orjson.dumps(story, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    (post,) = of(map_path(path), Post)
    assert post.post_id == mediaid_to_shortcode(3504123456789012345)
    assert (post.media_type, post.duration_s, post.account_id) == ("video", 15.0, OWNER)
    assert post.url == "https://www.instagram.com/stories/paslon3.bekasi/3504123456789012345/"


def test_a_broken_metadata_file_is_rejected(project, tmp_path):
    broken = tmp_path / "2024-11-20_01-00-00_UTC.json"
    broken.write_text(SIDECAR.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    good = tmp_path / REEL.name
    shutil.copy(REEL, good)
    summaries = import_files(project, broken, good)
    assert [s.rejected for s in summaries] == [1, 0]
    (row,) = query(project, "SELECT count(*) AS n FROM posts")
    assert row["n"] == 1
