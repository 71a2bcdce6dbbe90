"""twarc-csv: X API v2 tweets as CSV with twarc-csv's default columns.

The fixture tests/fixtures/twarc-csv/pilkada_search_later.csv was written by twarc-csv 0.7.2
(`twarc2 csv`) from the same search as ../twarc2/pilkada_search_page.jsonl, captured a day
later (2024-11-21 05:00 UTC) with higher counts. It keeps twarc-csv's quirks: JSON-encoded list
cells, `#tag` / `@user` entities, newlines written as `\\n`, a merged retweet (the row of the
retweet T5 carries the original T1's text, entities, media and counts), counts of a column with
gaps written as floats ("31750.0"). Replies T2, T3 (the candidate answering T2) and T4 (the
candidate under their own T1) have `conversation_id` T1; T1 itself is only on the retweet's row.
"""

from __future__ import annotations

import csv
from datetime import datetime

from pantau.records import Account, Comment, Post
from tests.conftest import FIXTURES, import_files, query
from tests.formats.test_twarc2 import (
    CANDIDATE,
    CITIZEN,
    PAGE,
    T1,
    T2,
    T3,
    T4,
    T5,
    T6,
    by_id,
    claimed,
    detect_name,
    foreign_files,
    map_path,
    of,
    sniffs_as,
)

LATER = FIXTURES / "twarc-csv" / "pilkada_search_later.csv"


def test_fixture_has_twarc_csv_default_columns_and_sniffs():
    with LATER.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:6] == ["id", "conversation_id", "referenced_tweets.replied_to.id",
                          "referenced_tweets.retweeted.id", "referenced_tweets.quoted.id",
                          "author_id"]
    assert header[-3:] == ["__twarc.retrieved_at", "__twarc.url", "__twarc.version"]
    assert detect_name(LATER) == "twarc-csv"


def test_rows_map_to_posts_replies_and_accounts():
    rows = map_path(LATER)
    posts = by_id(rows, Post, "post_id")
    assert set(posts) == {T1, T2, T3, T4, T5, T6}
    t6 = posts[T6]
    assert t6.observed_at == datetime(2024, 11, 21, 5, 0)
    assert t6.created_at == datetime(2024, 11, 18, 7, 45)
    assert (t6.media_type, t6.duration_s, t6.views, t6.likes) == ("video", 95.4, 11000, 82)
    assert t6.lang == "id"
    comments = by_id(rows, Comment, "comment_id")
    # under the conversation root (conversation_id), the parent only when it is not the root;
    # by_post_author is left to the store
    assert {cid: (c.post_id, c.parent_id, c.author_id, c.by_post_author)
            for cid, c in comments.items()} == {
        T2: (T1, None, CITIZEN, None),
        T3: (T1, T2, CANDIDATE, None),
        T4: (T1, None, CANDIDATE, None),
    }
    assert (comments[T3].likes, comments[T3].reply_count) == (71, 0)
    candidate = {(a.handle, a.followers) for a in of(rows, Account) if a.account_id == CANDIDATE}
    # as the author of T4 (with followers), and as the quoted / replied-to user (without)
    assert candidate == {("paslon3_bekasi", 45210), ("paslon3_bekasi", None)}


def test_a_merged_retweet_row_gives_the_retweet_and_the_original():
    posts = by_id(map_path(LATER), Post, "post_id")
    original = posts[T1]  # counts and text on the retweet's row are the original's
    assert original.account_id == CANDIDATE
    assert original.text.startswith("Terima kasih warga Kecamatan Bekasi Timur atas "
                                    "sambutannya!\nBersama")  # "\n" written as two characters
    assert (original.views, original.likes, original.comments, original.shares,
            original.saves) == (31750, 1225, 56, 150, 38)
    assert original.hashtags == ["pilkadabekasi", "bekasi2024"]  # from "#PilkadaBekasi"
    assert original.mentions == ["beritabekasi"]  # from "@beritabekasi"
    assert original.media_type == "carousel"
    retweet = posts[T5]
    assert retweet.account_id == "1700000000000000002"
    assert retweet.text.startswith("RT @paslon3_bekasi: Terima kasih")
    assert (retweet.likes, retweet.shares, retweet.views) == (None, None, None)


def test_the_same_tweets_from_twarc2_and_twarc_csv_are_one_post_observed_twice(project):
    import_files(project, PAGE)
    (summary,) = import_files(project, LATER)
    assert summary.format == "twarc-csv" and summary.rejected == 0
    (row,) = query(project, "SELECT count(*) AS n FROM posts WHERE platform = 'x'")
    assert row["n"] == 6
    metrics = query(project, "SELECT observed_at, likes, views FROM post_metrics "
                             f"WHERE post_id = '{T1}' ORDER BY observed_at")
    assert metrics == [
        {"observed_at": datetime(2024, 11, 20, 5, 0), "likes": 980, "views": 25400},
        {"observed_at": datetime(2024, 11, 21, 5, 0), "likes": 1225, "views": 31750},
    ]
    (comment,) = query(project, "SELECT likes, post_id, parent_id, by_post_author FROM comments "
                                f"WHERE comment_id = '{T3}'")
    assert comment == {"likes": 71, "post_id": T1, "parent_id": T2, "by_post_author": True}


def test_import_marks_the_candidates_replies_in_their_own_thread(project):
    (summary,) = import_files(project, LATER)  # T1 comes only from the merged retweet's row
    assert summary.format == "twarc-csv" and summary.rejected == 0
    rows = query(project, "SELECT comment_id, post_id, parent_id, by_post_author FROM comments "
                          "WHERE platform = 'x' ORDER BY comment_id")
    assert rows == [
        {"comment_id": T2, "post_id": T1, "parent_id": None, "by_post_author": False},
        {"comment_id": T3, "post_id": T1, "parent_id": T2, "by_post_author": True},
        {"comment_id": T4, "post_id": T1, "parent_id": None, "by_post_author": True},
    ]


def test_a_row_without_conversation_id_hangs_under_the_tweet_it_answers(tmp_path):
    with LATER.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("conversation_id")
    for row in rows[1:]:
        row[column] = ""
    path = tmp_path / "no_conversation.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    comments = by_id(map_path(path), Comment, "comment_id")
    threads = {cid: (c.post_id, c.parent_id) for cid, c in comments.items()}
    assert threads == {T2: (T1, None), T3: (T2, None), T4: (T1, None)}


def test_ids_mangled_by_a_spreadsheet_are_rejected(project, tmp_path):
    with LATER.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[2][0] = "1.85816E+18"  # the retweet's id after a round trip through Excel
    path = tmp_path / "edited.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    (summary,) = import_files(project, path)
    assert summary.status == "imported" and summary.rejected == 1
    (reject,) = query(project, "SELECT line_no, reason FROM rejects")
    assert reject["line_no"] == 3 and "lost its digits" in reject["reason"]
    (row,) = query(project, "SELECT count(*) AS n FROM posts WHERE platform = 'x'")
    assert row["n"] == 4  # T6, T4, T3, T2 (the retweet row and its original are refused)


def test_a_users_csv_gives_accounts(tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(
        "id,created_at,username,name,description,location,pinned_tweet_id,profile_image_url,"
        "protected,public_metrics.followers_count,public_metrics.following_count,"
        "public_metrics.listed_count,public_metrics.tweet_count,url,verified,"
        "__twarc.retrieved_at,__twarc.url,__twarc.version\n"
        "987654321,2014-03-02T08:11:40.000Z,paslon3_bekasi,Tri - Harris (Paslon 3),Akun resmi,"
        "Kota Bekasi,,https://pbs.twimg.com/a.jpg,False,45987,310,44,5120,,False,"
        "2024-11-23T01:00:00+00:00,https://api.twitter.com/2/users/by,2.14.0\n",
        encoding="utf-8")
    assert detect_name(path) == "twarc-csv"
    (account,) = of(map_path(path), Account)
    assert (account.account_id, account.handle, account.followers, account.observed_at) == (
        "987654321", "paslon3_bekasi", 45987, datetime(2024, 11, 23, 1, 0))


def test_twarc_csv_claims_no_sample_and_no_other_fixture(samples_dir):
    assert claimed(samples_dir, {"twarc-csv"}) == set()
    for path in foreign_files("twarc-csv"):
        assert not sniffs_as(path, "twarc-csv"), path


def test_early_twarc_csv_layout_with_entity_objects(tmp_path):
    """twarc-csv before 0.4 (DocNow/twarc-csv test-data/small_sample.csv): `referenced_tweets`
    as one JSON column and entities as objects rather than `#tag` / `@user` strings."""
    header = ["reply_settings", "id", "text", "author_id", "conversation_id", "created_at",
              "lang", "entities.mentions", "public_metrics.retweet_count",
              "public_metrics.reply_count", "public_metrics.like_count",
              "public_metrics.quote_count", "author.id", "author.username",
              "author.public_metrics.followers_count", "entities.hashtags", "type",
              "referenced_tweets"]
    row = ["everyone", T2, "@paslon3_bekasi Pak, kapan jalan di Mustikajaya diperbaiki?",
           "1600000000000000001", T1, "2024-11-18T04:02:10.000Z", "in",
           '[{"start": 0, "end": 15, "username": "paslon3_bekasi", "id": "987654321"}]',
           "0", "1", "14", "0", "1600000000000000001", "warga_bekasi88", "312",
           '[{"start": 60, "end": 74, "tag": "PilkadaBekasi"}]', "replied_to",
           f'[{{"type": "replied_to", "id": "{T1}"}}]']
    path = tmp_path / "early.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, row])
    assert detect_name(path) == "twarc-csv"
    rows = map_path(path)
    (post,) = of(rows, Post)
    assert (post.hashtags, post.mentions, post.likes) == (["pilkadabekasi"], ["paslon3_bekasi"],
                                                          14)
    (comment,) = of(rows, Comment)
    assert (comment.post_id, comment.parent_id) == (T1, None)
