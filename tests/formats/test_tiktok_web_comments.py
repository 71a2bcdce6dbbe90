"""Raw TikTok web comment lists (and tiktok-comment-scrapper's derived JSON): real samples,
fixtures, and import through the pipeline, including the same comment seen through the
Zeeschuimer comment items and a raw comment list."""

from __future__ import annotations

from datetime import datetime

from pantau.formats.base import Rejected
from pantau.formats.tiktok_web_comments import local_time_by_id
from pantau.records import Comment
from tests.conftest import import_files, query
from tests.formats.test_zeeschuimer_tiktok import (
    assert_claims_only,
    comments_by_id,
    detect_name,
    map_file,
    rows_of,
)

WEB_LIST = "tiktok-web-comments/comment_list_7431234567890123456.json"
WEB_PAGES = "tiktok-web-comments/comment_pages.ndjson"
ZEESCHUIMER = "zeeschuimer-tiktok/uu_saeful_profile.ndjson"
OLD_SCRAPPER = "tiktok-comment-scrapper/7431234567890123456.json"
DERIVED = "other/RomySaputraSihananda_tiktokcomment_derived_7418294751977327878.json"


def test_sniffing_claims_exactly_the_comment_samples(samples_dir):
    assert_claims_only(samples_dir, {"tiktok-web-comments"}, {
        "tiktok_web_comments/RomySaputraSihananda_file.json",
        "tiktok_web_comments/RomySaputraSihananda_file2.json",
        "tiktok_web_comments/RomySaputraSihananda_file3.json",
    })
    assert_claims_only(samples_dir, {"tiktok-comment-scrapper"}, {DERIVED})


def test_fixtures_are_sniffed(fixtures_dir):
    assert detect_name(fixtures_dir / WEB_LIST) == "tiktok-web-comments"
    assert detect_name(fixtures_dir / WEB_PAGES) == "tiktok-web-comments"
    assert detect_name(fixtures_dir / OLD_SCRAPPER) == "tiktok-comment-scrapper"


def test_real_sample_with_nested_reply(samples_dir):
    found = comments_by_id(map_file(samples_dir / "tiktok_web_comments"
                                    / "RomySaputraSihananda_file2.json"))
    assert set(found) == {"7310933414939820805", "7310933531538014982", "7204463248158458650"}
    top = found["7310933414939820805"]
    assert (top.post_id, top.parent_id, top.text) == ("7170139292767882522", None, "bagus")
    assert (top.author_id, top.author_handle) == ("6838487455625479169", "user760722966")
    assert top.created_at == datetime(2023, 12, 10, 11, 55, 47)
    assert (top.likes, top.reply_count) == (0, 1)
    reply = found["7310933531538014982"]  # nested in reply_comment[]
    assert (reply.parent_id, reply.text, reply.author_handle) == (
        "7310933414939820805", "good game", "ryo.syntax")
    assert reply.created_at == datetime(2023, 12, 10, 11, 56, 19)
    old = found["7204463248158458650"]
    assert (old.text, old.likes) == ("mas rio", 1)
    assert old.created_at == datetime(2023, 2, 26, 13, 57, 11)


def test_real_samples_import_once(project, samples_dir):
    folder = samples_dir / "tiktok_web_comments"
    import_files(project, folder / "RomySaputraSihananda_file.json",
                 folder / "RomySaputraSihananda_file2.json",
                 folder / "RomySaputraSihananda_file3.json")
    rows = query(project, "SELECT comment_id, parent_id, reply_count FROM comments "
                          "ORDER BY comment_id")
    assert [r["comment_id"] for r in rows] == [
        "7204463248158458650", "7310933414939820805", "7310933531538014982"]
    assert rows[1]["reply_count"] == 2  # file3, the later page, counts two replies
    assert rows[2]["parent_id"] == "7310933414939820805"


def test_fixture_page_and_ndjson_pages(fixtures_dir):
    found = comments_by_id(map_file(fixtures_dir / WEB_LIST))
    assert found["7431300000000000006"].parent_id == "7431300000000000005"
    assert found["7431300000000000005"].text == "Sampah TPST Bantargebang gimana solusinya?"
    rows = map_file(fixtures_dir / WEB_PAGES)
    assert {c.comment_id for c in rows_of(rows, Comment)} == set(found)  # the reply page adds R1
    assert [n for n, r in rows if isinstance(r, Comment)
            and r.comment_id == "7431300000000000002"] == [1, 2]  # nested, then reply page


def test_same_comment_through_zeeschuimer_and_web_list_is_stored_once(project, fixtures_dir):
    import_files(project, fixtures_dir / ZEESCHUIMER)
    import_files(project, fixtures_dir / WEB_LIST)
    rows = query(project, "SELECT comment_id, count(*) AS n FROM comments GROUP BY comment_id")
    assert all(r["n"] == 1 for r in rows)
    assert {r["comment_id"] for r in rows} == {
        "7431300000000000001", "7431300000000000002", "7431300000000000003",
        "7431300000000000004", "7431300000000000005", "7431300000000000006"}
    (c1,) = query(project, "SELECT text, likes, author_handle FROM comments "
                           "WHERE comment_id = '7431300000000000001'")
    assert c1 == {"text": "Semoga menang pak, Bekasi butuh pemimpin yang peduli banjir",
                  "likes": 25, "author_handle": "warga_bekasi88"}
    owner = query(project, "SELECT comment_id, by_post_author FROM comments "
                           "WHERE by_post_author ORDER BY comment_id")
    assert [r["comment_id"] for r in owner] == ["7431300000000000002"]


def test_comments_before_their_post_get_by_post_author_later(project, fixtures_dir):
    import_files(project, fixtures_dir / WEB_LIST)
    import_files(project, fixtures_dir / ZEESCHUIMER)
    (reply,) = query(project, "SELECT by_post_author FROM comments "
                              "WHERE comment_id = '7431300000000000002'")
    assert reply["by_post_author"] is True


# --- tiktok-comment-scrapper's own format ---------------------------------------------------

def test_derived_sample(samples_dir):
    found = comments_by_id(map_file(samples_dir / DERIVED))
    assert len(found) == 38  # 36 comments and 2 replies
    first = found["7418301035179574022"]
    assert (first.post_id, first.author_handle, first.text) == (
        "7418294751977327878", "septianreza1", "wedeh")
    # written as 02:56:56 local time (UTC+7, recovered from the id) -> 19:56:56 UTC
    assert first.created_at == datetime(2024, 9, 24, 19, 56, 56)
    reply = found["7419153469528113925"]
    assert (reply.parent_id, reply.author_handle, reply.text) == (
        "7418491557803131654", "hyungseokk11", "gasss")
    assert reply.created_at == datetime(2024, 9, 27, 3, 4, 56)
    assert found["7418491557803131654"].reply_count == 1


def test_local_time_offset_comes_from_the_comment_id():
    cid = "7418301035179574022"  # id time 2024-09-24 19:56:44 UTC, created 12 s later
    assert local_time_by_id("2024-09-25T02:56:56", cid) == datetime(2024, 9, 24, 19, 56, 56)
    assert local_time_by_id("2024-09-24T19:56:56", cid) == datetime(2024, 9, 24, 19, 56, 56)
    assert local_time_by_id("2024-09-25T01:26:56", cid) == datetime(2024, 9, 24, 19, 56, 56)
    assert local_time_by_id("2024-09-25T02:56:56", "12345") is None  # no timestamp in the id
    assert local_time_by_id("2024-09-25T02:56:56+07:00", "12345") == datetime(
        2024, 9, 24, 19, 56, 56)


def test_old_scrapper_output_without_ids_is_rejected(project, fixtures_dir):
    rows = map_file(fixtures_dir / OLD_SCRAPPER)
    assert [r for _, r in rows if not isinstance(r, Rejected)] == []
    import_files(project, fixtures_dir / OLD_SCRAPPER)
    (reject,) = query(project, "SELECT reason FROM rejects")
    assert "no `comment_id`" in reject["reason"]
    assert query(project, "SELECT count(*) AS n FROM comments")[0]["n"] == 0


def test_derived_sample_imports_with_thread(project, samples_dir):
    import_files(project, samples_dir / DERIVED)
    (row,) = query(project, "SELECT parent_id, created_at FROM comments "
                            "WHERE comment_id = '7418300928664552197'")
    assert row == {"parent_id": "7418297531752661766",
                   "created_at": datetime(2024, 9, 24, 19, 56, 27)}
