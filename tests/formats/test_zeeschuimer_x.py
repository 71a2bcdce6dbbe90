"""Zeeschuimer X/Twitter: tweets, replies (post + comment), retweets, quotes, long tweets, the
layout variants, and import through the pipeline. shared/samples has no Zeeschuimer X file, so
the fixture mirrors real captures (2023 and 2025 user layouts, TweetWithVisibilityResults,
empty user_results, the adaptive search layout, a tombstone and a cut-off line)."""

from __future__ import annotations

from datetime import datetime

from pantau.formats.base import Rejected
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

CAPTURE = "zeeschuimer-x/x_capture.ndjson"
TRI = "1500000000000000001"
T1, R1, R2, RT1, Q1, L1, ADAPTIVE = (f"185000000000000000{i}" for i in range(1, 8))
ORIGINAL = "1849000000000000005"


def test_fixture_is_sniffed(fixtures_dir):
    assert detect_name(fixtures_dir / CAPTURE) == "zeeschuimer-x"


def test_never_claims_a_shared_sample(samples_dir):
    # twarc2 (X API v2) files are tweets too, but not Zeeschuimer's: they are not claimed
    assert_claims_only(samples_dir, {"zeeschuimer-x"}, set())


def test_tweet_values(fixtures_dir):
    first, *_ = posts_by_id(map_file(fixtures_dir / CAPTURE))[T1]
    assert first.account_id == TRI
    assert first.created_at == datetime(2024, 10, 26, 3, 0)  # "Sat Oct 26 03:00:00 +0000 2024"
    assert first.observed_at == datetime(2024, 10, 26, 8, 6, 40)
    assert first.text.startswith("Bersama warga Jatiasih meninjau tanggul Kali Bekasi.")
    assert (first.hashtags, first.mentions) == (["bekasibebasbanjir"], ["harrisbobihoe"])
    assert (first.media_type, first.lang, first.is_ad) == ("image", "id", False)
    assert (first.views, first.likes, first.comments, first.shares, first.saves) == (
        15230, 420, 37, 88, 9)  # views arrive as the string "15230"
    assert first.followers == 25400
    assert first.url == f"https://x.com/TriAdhianto/status/{T1}"


def test_2025_user_layout(fixtures_dir):
    rows = map_file(fixtures_dir / CAPTURE)
    last = posts_by_id(rows)[T1][-1]
    assert (last.views, last.likes, last.followers) == (18400, 510, 25610)
    account = [a for n, a in rows if isinstance(a, Account) and n == 10][0]
    assert (account.handle, account.display_name) == ("TriAdhianto", "Tri Adhianto")


def test_replies_are_posts_and_comments(fixtures_dir):
    rows = map_file(fixtures_dir / CAPTURE)
    posts = posts_by_id(rows)
    found = comments_by_id(rows)
    # R1 came wrapped in TweetWithVisibilityResults, with Zeeschuimer's `id` null
    assert posts[R1][0].account_id == "1600000000000000002"
    reply = found[R1]
    assert (reply.post_id, reply.parent_id, reply.author_handle) == (T1, None, "wargaPGP")
    assert reply.created_at == datetime(2024, 10, 26, 4, 15)
    assert (reply.likes, reply.reply_count) == (12, 1)
    # R2's `id` is JavaScript's parseInt of the id (last digits lost): the real id is used
    answer = found[R2]
    assert (answer.post_id, answer.parent_id, answer.author_id) == (T1, R1, TRI)
    assert T1 not in found  # the root is not a comment


def test_retweet_uses_the_full_original_text(fixtures_dir):
    rows = map_file(fixtures_dir / CAPTURE)
    posts = posts_by_id(rows)
    (retweet,) = posts[RT1]
    assert retweet.text.startswith("RT @KPU_Kota_Bekasi: Jadwal debat publik")
    assert retweet.text.endswith("#PilkadaBekasi2024 #PemilihBerdaulat")  # not cut with "…"
    assert retweet.hashtags == ["pilkadabekasi2024", "pemilihberdaulat"]
    assert retweet.mentions[0] == "kpu_kota_bekasi"
    assert (retweet.views, retweet.likes, retweet.shares) == (None, None, None)
    (original,) = posts[ORIGINAL]
    assert (original.account_id, original.likes, original.shares, original.views) == (
        "1400000000000000007", 300, 150, 52000)


def test_quote_with_empty_user_results(fixtures_dir):
    rows = map_file(fixtures_dir / CAPTURE)
    (quote,) = posts_by_id(rows)[Q1]
    assert quote.account_id == "1700000000000000005"  # legacy.user_id_str
    assert quote.url == f"https://x.com/bekasi_watch/status/{Q1}"  # handle from the media URL
    accounts = [a for n, a in rows if isinstance(a, Account) and n == 5]
    assert accounts[0].handle == "bekasi_watch"
    # the quoted tweet is stored too, observed at this capture
    assert len(posts_by_id(rows)[T1]) == 3


def test_long_tweet_and_promoted(fixtures_dir):
    (post,) = posts_by_id(map_file(fixtures_dir / CAPTURE))[L1]
    assert post.text.endswith("Mari bersama membangun Bekasi yang lebih baik. #HeriSholihin "
                              "#BekasiMaju")
    assert post.hashtags == ["herisholihin", "bekasimaju"]
    assert post.is_ad is True
    assert post.url == f"https://x.com/HeriKoswara/status/{L1}"


def test_adaptive_layout_and_rejects(fixtures_dir):
    rows = map_file(fixtures_dir / CAPTURE)
    (post,) = posts_by_id(rows)[ADAPTIVE]
    assert (post.account_id, post.followers, post.hashtags) == (
        "1300000000000000003", 120500, ["infobekasi"])
    assert post.url == f"https://x.com/InfoBekasi/status/{ADAPTIVE}"
    rejects = {n: r.reason for n, r in rows if isinstance(r, Rejected)}
    assert set(rejects) == {6, 8}
    assert "not valid JSON" in rejects[6]
    assert "TweetTombstone" in rejects[8]
    assert {a.account_id for a in rows_of(rows, Account)} >= {TRI, "1300000000000000003"}


def test_import_pipeline(project, fixtures_dir):
    (summary,) = import_files(project, fixtures_dir / CAPTURE)
    assert summary.format == "zeeschuimer-x"
    posts = {r["post_id"] for r in query(project, "SELECT post_id FROM posts")}
    assert posts == {T1, R1, R2, RT1, ORIGINAL, Q1, L1, ADAPTIVE}
    metrics = query(project, "SELECT observed_at, views FROM post_metrics WHERE post_id = ? "
                             "ORDER BY observed_at", [T1])
    assert metrics == [
        {"observed_at": datetime(2024, 10, 26, 8, 6, 40), "views": 15230},
        {"observed_at": datetime(2024, 10, 26, 8, 23, 20), "views": 15230},  # quoted copy
        {"observed_at": datetime(2024, 10, 27, 8, 6, 40), "views": 18400},
    ]
    # a retweet carries no counts of its own; only its author's followers are observed
    assert query(project, "SELECT views, likes, shares, followers FROM post_metrics "
                          "WHERE post_id = ?", [RT1]) == [
        {"views": None, "likes": None, "shares": None, "followers": 25400}]
    found = {r["comment_id"]: r for r in query(
        project, "SELECT comment_id, post_id, parent_id, by_post_author FROM comments")}
    assert set(found) == {R1, R2}
    assert found[R2]["by_post_author"] is True  # the candidate answering in their own thread
    assert found[R1]["by_post_author"] is False
    assert found[R2]["parent_id"] == R1
    rejects = query(project, "SELECT line_no FROM rejects ORDER BY line_no")
    assert [r["line_no"] for r in rejects] == [6, 8]
    (account,) = query(project, "SELECT handle, followers FROM accounts WHERE account_id = ?",
                       [TRI])
    assert account == {"handle": "TriAdhianto", "followers": 25610}


def test_comments_module_item(project, fixtures_dir):
    path = fixtures_dir / "zeeschuimer-x" / "x_comments.ndjson"
    assert detect_name(path) == "zeeschuimer-x"  # source_platform "twitter-comments"
    rows = map_file(path)
    reply = comments_by_id(rows)["1850000000000000008"]
    assert (reply.post_id, reply.parent_id, reply.author_handle) == (
        T1, None, "bu_siti_jatiasih")
    assert reply.created_at == datetime(2024, 10, 26, 9, 45)
    import_files(project, fixtures_dir / CAPTURE, path)
    (row,) = query(project, "SELECT by_post_author FROM comments WHERE comment_id = ?",
                   ["1850000000000000008"])
    assert row["by_post_author"] is False


def test_4cat_reexport_maps_like_the_capture(tmp_path, fixtures_dir):
    from tests.formats.test_zeeschuimer_tiktok import fourcat_reexport

    path = fourcat_reexport(fixtures_dir / CAPTURE, tmp_path / "4cat-x.ndjson")
    assert detect_name(path) == "zeeschuimer-x"
    original = [r for _, r in map_file(fixtures_dir / CAPTURE) if not isinstance(r, Rejected)]
    assert [r for _, r in map_file(path) if not isinstance(r, Rejected)] == original
