"""TikTok Research API responses: the documentation examples in shared/samples, fixtures with
64-bit ids beyond 2**53, and import through the pipeline."""

from __future__ import annotations

from datetime import datetime

import pytest

from pantau.formats.base import MapContext, Rejected
from pantau.formats.tiktok_research_api import map_record
from pantau.records import Account
from tests.conftest import import_files, query
from tests.formats.test_zeeschuimer_tiktok import (
    assert_claims_only,
    comments_by_id,
    detect_name,
    map_file,
    posts_by_id,
    rows_of,
)

VIDEOS = "tiktok-research-api/videos_query.json"
COMMENTS = "tiktok-research-api/video_comments.json"
USER = "tiktok-research-api/user_info_uu_saeful_official.json"
PAGES = "tiktok-research-api/video_pages.ndjson"
OK = {"code": "ok", "message": "", "log_id": "20241028FIXTURE"}


def test_sniffing_claims_exactly_the_response_samples(samples_dir):
    # traktok_example_query.json is a request body, not a response: nobody may claim it
    assert_claims_only(samples_dir, {"tiktok-research-api"}, {
        "tiktok_research_api/traktok_example_resp_comments.json",
        "tiktok_research_api/traktok_example_resp_q_user.json",
        "tiktok_research_api/traktok_example_resp_q_videos.json",
    })
    assert detect_name(samples_dir / "tiktok_research_api" / "traktok_example_query.json") is None


def test_fixtures_are_sniffed(fixtures_dir):
    for name in (VIDEOS, COMMENTS, USER, PAGES):
        assert detect_name(fixtures_dir / name) == "tiktok-research-api", name


def test_docs_video_example_uses_video_id(samples_dir):
    rows = map_file(samples_dir / "tiktok_research_api" / "traktok_example_resp_q_videos.json")
    (post_id,) = posts_by_id(rows)
    assert post_id == "702874395068494965"  # > 2**53, read as an exact int
    post = posts_by_id(rows)[post_id][0]
    assert post.created_at == datetime(2021, 10, 9, 23, 59, 59)
    assert (post.text, post.hashtags) == ("lol #pov #avengers", ["avengers", "pov"])
    assert (post.views, post.comments, post.likes, post.saves) == (1050, 2, None, None)
    assert (post.music_id, post.media_type, post.account_id, post.url) == (
        "703847506349838790", "video", None, None)


def test_docs_comment_example(samples_dir):
    found = comments_by_id(map_file(samples_dir / "tiktok_research_api"
                                    / "traktok_example_resp_comments.json"))
    comment = found["12345616934634134"]
    assert (comment.post_id, comment.parent_id) == ("1234563451201523412", "1234561201524010")
    assert comment.created_at == datetime(2022, 12, 19, 23, 13, 18)
    assert (comment.likes, comment.reply_count, comment.text) == (50, 10, "AWEEEEEE 🥰🥰🥰")
    assert (comment.author_id, comment.author_handle) == (None, None)  # the API has no author


def test_user_info_without_username_is_rejected_with_the_reason(samples_dir):
    rows = map_file(samples_dir / "tiktok_research_api" / "traktok_example_resp_q_user.json")
    (reject,) = [r for _, r in rows]
    assert isinstance(reject, Rejected)
    assert "no username" in reject.reason


def test_user_info_with_username(fixtures_dir):
    (account,) = rows_of(map_file(fixtures_dir / USER), Account)
    assert (account.account_id, account.handle, account.display_name, account.followers) == (
        "uu_saeful_official", "uu_saeful_official", "Uu Saeful Mikdar", 48900)


def test_adjacent_64_bit_ids_stay_distinct(fixtures_dir):
    # float(7431234567890123456) == float(7431234567890123457): only exact ints keep both
    rows = map_file(fixtures_dir / VIDEOS)
    posts = posts_by_id(rows)
    assert set(posts) == {"7431234567890123456", "7431234567890123457"}
    post = posts["7431234567890123456"][0]
    assert (post.account_id, post.url) == (
        "uu_saeful_official", "https://www.tiktok.com/@uu_saeful_official/video/7431234567890123456")
    assert post.created_at == datetime(2024, 10, 27, 3, 33, 20)
    assert (post.views, post.likes, post.comments, post.shares, post.saves) == (
        21900, 1610, 101, 57, 17)
    assert (post.duration_s, post.music_id) == (45.0, "7431234500000000001")
    assert (post.hashtags, post.mentions) == (["pilkadabekasi", "bekasikeren"], ["nurul.sumarheni"])


def test_comment_parents(fixtures_dir):
    found = comments_by_id(map_file(fixtures_dir / COMMENTS))
    assert found["7431300000000000001"].parent_id is None  # parent_comment_id == video id
    assert found["7431300000000000002"].parent_id == "7431300000000000001"
    assert found["7431300000000000002"].post_id == "7431234567890123456"


def test_an_id_that_went_through_a_float_is_refused():
    record = {"data": {"videos": [{"id": 7.431234567890124e18, "create_time": 1730000000,
                                   "video_description": "x"}]}, "error": OK}
    with pytest.raises(ValueError, match="float"):
        list(map_record(record, MapContext()))


def test_pages_per_line_docs_spelling_and_api_error(fixtures_dir):
    rows = map_file(fixtures_dir / PAGES)
    assert set(posts_by_id(rows)) == {"7431234567890123458"}
    rejects = [(n, r.reason) for n, r in rows if isinstance(r, Rejected)]
    assert [n for n, _ in rejects] == [2, 3]
    assert "not valid JSON" in rejects[0][1]
    assert "invalid_params" in rejects[1][1]


def test_import_keeps_ids_exact_and_does_not_erase_authors(project, fixtures_dir):
    import_files(project, fixtures_dir / "zeeschuimer-tiktok" / "uu_saeful_profile.ndjson")
    import_files(project, fixtures_dir / VIDEOS, fixtures_dir / COMMENTS, fixtures_dir / USER)
    ids = [r["post_id"] for r in query(project, "SELECT post_id FROM posts ORDER BY post_id")]
    assert "7431234567890123456" in ids and "7431234567890123457" in ids
    metrics = query(project, "SELECT views FROM post_metrics WHERE post_id = "
                             "'7431234567890123456' ORDER BY observed_at")
    assert [m["views"] for m in metrics][-1] == 21900 and len(metrics) == 3
    (comment,) = query(project, "SELECT author_handle, likes, parent_id FROM comments "
                                "WHERE comment_id = '7431300000000000001'")
    # the Research API gives no author: the one Zeeschuimer saw is kept
    assert comment == {"author_handle": "warga_bekasi88", "likes": 25, "parent_id": None}
    (new,) = query(project, "SELECT post_id, text FROM comments "
                            "WHERE comment_id = '7431300000000000007'")
    assert new == {"post_id": "7431234567890123456",
                   "text": "Nomor *** saya sudah dihubungi relawan"}
    (account,) = query(project, "SELECT followers, display_name FROM accounts "
                                "WHERE account_id = 'uu_saeful_official'")
    assert account == {"followers": 48900, "display_name": "Uu Saeful Mikdar"}


def test_import_rejects_user_info_without_username(project, samples_dir):
    import_files(project, samples_dir / "tiktok_research_api" / "traktok_example_resp_q_user.json")
    (reject,) = query(project, "SELECT reason FROM rejects")
    assert "no username" in reject["reason"]
    assert query(project, "SELECT count(*) AS n FROM accounts")[0]["n"] == 0
