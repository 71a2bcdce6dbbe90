"""twarc2 (X API v2): raw pages and `twarc2 flatten` lines, mapping and import.

Fixtures (tests/fixtures/twarc2/): `pilkada_search_page.jsonl` is one search page as twarc2
writes it (data, includes.users/tweets/media, meta, __twarc) about a Bekasi candidate's post
T1: a citizen's reply T2, the candidate's answer T3 (a reply to T2, deeper in the candidate's
own thread), the candidate's own thread reply T4, a volunteer's retweet T5 and a media quote T6
with a video; T1 itself is only in `includes.tweets`. T2, T3 and T4 all carry
`conversation_id` T1. `pilkada_search_flat.jsonl` is that page run through `twarc2 flatten`
(twarc 2.14). Real samples: ../shared/samples/twarc2/ (from DocNow/twarc-csv's test data).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import orjson
import pytest

from pantau import formats
from pantau.formats.base import READERS, MapContext, Rejected
from pantau.records import Account, Comment, Post
from pantau.sources import expand
from tests.conftest import FIXTURES, import_files, query

PAGE = FIXTURES / "twarc2" / "pilkada_search_page.jsonl"
FLAT = FIXTURES / "twarc2" / "pilkada_search_flat.jsonl"
T1, T2, T3, T4, T5, T6 = ("1858123456789012345", "1858130000000000001", "1858140000000000002",
                          "1858150000000000003", "1858160000000000004", "1858170000000000005")
CANDIDATE, CITIZEN = "987654321", "1600000000000000001"
MY_FORMATS = {"twarc2", "twarc-csv"}


# --- helpers (the other test files of this set import them) ----------------------------------

def detect_name(path: Path) -> str | None:
    (source,) = expand([str(path)])
    try:
        return formats.detect(source).name
    except formats.FormatError:
        return None


def sniffs_as(path: Path, name: str) -> bool:
    (source,) = expand([str(path)])
    return formats.get_format(name).sniff(formats.probe_source(source))


def map_path(path: Path, format_name: str | None = None) -> list:
    """Every row (and reader error as Rejected) the file maps to, read as ingest reads it."""
    (source,) = expand([str(path)])
    fmt = formats.get_format(format_name) if format_name else formats.detect(source)
    ctx = MapContext(source_name=source.name)
    rows: list = []
    with source.open() as stream:
        for record in READERS[fmt.reader](stream):
            if record.error:
                rows.append(Rejected(record.error, record.text))
            else:
                rows.extend(fmt.map(record.data, ctx))
    return rows


def of(rows, cls) -> list:
    return [r for r in rows if isinstance(r, cls)]


def by_id(rows, cls, key: str) -> dict:
    out: dict = {}
    for row in of(rows, cls):
        out.setdefault(getattr(row, key), row)
    return out


def foreign_files(*own_dirs: str) -> list[Path]:
    """Fixture files of every other format in this repository."""
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file()
                  and p.relative_to(FIXTURES).parts[0] not in own_dirs)


def sample_files(samples_dir: Path) -> list[Path]:
    return sorted(p for p in samples_dir.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")


def claimed(samples_dir: Path, names: set[str]) -> set[str]:
    """Sample files that any of these formats' sniff accepts (whatever detection picks)."""
    return {p.relative_to(samples_dir).as_posix() for p in sample_files(samples_dir)
            if any(sniffs_as(p, name) for name in names)}


# --- real samples ----------------------------------------------------------------------------

def test_samples_sniff_as_twarc2_and_nothing_else_does(samples_dir):
    twarc = {p.relative_to(samples_dir).as_posix()
             for p in (samples_dir / "twarc2").glob("*.jsonl")}
    assert len(twarc) == 8
    assert claimed(samples_dir, MY_FORMATS) == twarc
    assert {detect_name(samples_dir / name) for name in twarc} == {"twarc2"}


def test_every_sample_maps_without_rejects(samples_dir):
    for path in sorted((samples_dir / "twarc2").glob("*.jsonl")):
        rows = map_path(path)
        assert of(rows, Post), path.name
        assert not of(rows, Rejected), path.name


def test_sample_media_tweet_values(samples_dir):
    rows = map_path(samples_dir / "twarc2" / "twarc-csv_media_tweet.jsonl")
    (post,) = of(rows, Post)
    assert post.post_id == "1558553189766631429"
    assert post.account_id == "495430242"
    assert post.created_at == datetime(2022, 8, 13, 20, 36, 51)
    assert post.observed_at == datetime(2023, 1, 5, 13, 55, 17)  # __twarc.retrieved_at
    assert post.media_type == "video"
    assert post.duration_s == pytest.approx(71.292)  # duration_ms / 1000
    assert post.views == 19059  # no impression_count: the video's view_count
    assert (post.likes, post.comments, post.shares, post.saves) == (93, 3, 13, None)
    assert post.url == "https://x.com/IgorBrigadir/status/1558553189766631429"
    assert post.lang == "en"
    (account,) = of(rows, Account)
    assert (account.account_id, account.handle, account.followers) == (
        "495430242", "IgorBrigadir", 3560)


def test_sample_reply_becomes_a_comment_under_its_conversation_root(samples_dir):
    rows = map_path(samples_dir / "twarc2" / "twarc-csv_noflat.jsonl")
    comments = by_id(rows, Comment, "comment_id")
    assert len(comments) == 50
    assert sum(c.parent_id is None for c in comments.values()) == 25  # answers to the root
    # the mapper leaves by_post_author to the store (the root post's account)
    assert {c.by_post_author for c in comments.values()} == {None}
    # a reply to a reply: under the conversation's root, its parent the tweet it answers
    reply = comments["1380242586288328707"]
    assert reply.post_id == "1380220754978086917"  # conversation_id
    assert reply.parent_id == "1380229267770933248"  # referenced_tweets[replied_to]
    assert reply.author_id == "1910479285"
    assert reply.created_at == datetime(2021, 4, 8, 19, 34, 10)
    # a reply to the conversation's root: no parent
    root_reply = comments["1380242521398202369"]
    assert (root_reply.post_id, root_reply.parent_id) == ("1379782978432344067", None)
    # a reply to the author's own reply, in a thread whose root is not in the capture
    own = comments["1380242347905183747"]
    assert (own.post_id, own.parent_id, own.author_id) == (
        "1380242320621236227", "1380242345652785166", "1359750175183540224")


def test_sample_import_decides_by_post_author_against_the_root_post(project, samples_dir):
    (summary,) = import_files(project, samples_dir / "twarc2" / "twarc-csv_noflat.jsonl")
    assert summary.rejected == 0
    found = {r["comment_id"]: r for r in query(
        project, "SELECT comment_id, post_id, parent_id, by_post_author FROM comments "
                 "WHERE platform = 'x'")}
    assert len(found) == 50
    # root 1379782978432344067 (by 466864852) is in the capture; the replier is someone else
    assert found["1380242521398202369"]["by_post_author"] is False
    # replying to one's own reply is not answering under one's own post: the root is not in
    # the capture, so who wrote it stays unknown rather than guessed from the parent
    assert found["1380242347905183747"]["by_post_author"] is None
    assert found["1380242347905183747"]["post_id"] == "1380242320621236227"
    # no sample reply is by its root's author: 18 roots captured, 32 unknown
    values = [r["by_post_author"] for r in found.values()]
    assert (values.count(False), values.count(None), values.count(True)) == (18, 32, 0)


def test_sample_flat_and_page_give_the_same_posts_and_comments(samples_dir):
    page = map_path(samples_dir / "twarc2" / "twarc-csv_noflat.jsonl")
    flat = map_path(samples_dir / "twarc2" / "twarc-csv_flat.jsonl")
    assert set(by_id(page, Post, "post_id")) == set(by_id(flat, Post, "post_id"))
    assert len(by_id(page, Post, "post_id")) == 164  # 100 tweets + included ones
    threads = {c.comment_id: (c.post_id, c.parent_id) for c in of(page, Comment)}
    assert threads == {c.comment_id: (c.post_id, c.parent_id) for c in of(flat, Comment)}
    assert len(threads) == 50


def test_sample_earlier_versions_of_an_edited_tweet_are_not_posts(samples_dir):
    rows = map_path(samples_dir / "twarc2" / "twarc-csv_edited.jsonl")
    assert [p.post_id for p in of(rows, Post)] == ["1576994789110992896"]


# --- fixture: one search page ----------------------------------------------------------------

def test_page_maps_tweets_included_tweets_and_users():
    rows = map_path(PAGE)
    posts = by_id(rows, Post, "post_id")
    assert set(posts) == {T1, T2, T3, T4, T5, T6}  # T1 comes from includes.tweets
    t1 = posts[T1]
    assert t1.account_id == CANDIDATE
    assert t1.created_at == datetime(2024, 11, 18, 3, 15)
    assert t1.observed_at == datetime(2024, 11, 20, 5, 0)
    assert t1.text.startswith("Terima kasih warga Kecamatan Bekasi Timur atas sambutannya!\n")
    assert t1.media_type == "carousel"  # two photos
    assert (t1.views, t1.likes, t1.comments, t1.shares, t1.saves) == (25400, 980, 45, 120, 30)
    assert t1.hashtags == ["pilkadabekasi", "bekasi2024"]
    assert t1.mentions == ["beritabekasi"]
    assert t1.lang == "id"  # X writes Indonesian as "in"
    assert t1.followers == 45210
    t6 = posts[T6]
    assert (t6.media_type, t6.duration_s, t6.views) == ("video", 95.4, 8800)
    assert posts[T4].media_type == "text"
    retweet = posts[T5]
    assert retweet.account_id == "1700000000000000002"
    assert retweet.text.startswith("RT @paslon3_bekasi:")
    assert (retweet.views, retweet.likes, retweet.shares) == (None, None, None)
    accounts = by_id(rows, Account, "account_id")
    assert accounts[CANDIDATE].handle == "paslon3_bekasi"
    assert accounts[CITIZEN].followers == 312
    assert accounts["55555555"].display_name == "Berita Bekasi"


def test_page_replies_become_comments_under_the_conversation_root():
    comments = by_id(map_path(PAGE), Comment, "comment_id")
    assert set(comments) == {T2, T3, T4}
    # the store decides by_post_author (against T1's account), not the mapper
    assert {c.by_post_author for c in comments.values()} == {None}
    question = comments[T2]
    assert (question.post_id, question.parent_id) == (T1, None)
    assert (question.author_id, question.author_handle) == (CITIZEN, "warga_bekasi88")
    assert (question.likes, question.reply_count) == (14, 1)
    answer = comments[T3]  # the candidate answers the citizen's reply: still under T1
    assert (answer.post_id, answer.parent_id) == (T1, T2)
    assert (answer.author_id, answer.author_handle) == (CANDIDATE, "paslon3_bekasi")
    assert answer.created_at == datetime(2024, 11, 18, 5, 30)
    own_thread = comments[T4]
    assert (own_thread.post_id, own_thread.parent_id, own_thread.author_id) == (
        T1, None, CANDIDATE)


def test_a_reply_without_conversation_id_hangs_under_the_tweet_it_answers(tmp_path):
    page = orjson.loads(PAGE.read_bytes())
    for tweet in page["data"] + page["includes"]["tweets"]:
        tweet.pop("conversation_id", None)
    path = tmp_path / "no_conversation.jsonl"
    path.write_bytes(orjson.dumps(page) + b"\n")
    comments = by_id(map_path(path), Comment, "comment_id")
    threads = {cid: (c.post_id, c.parent_id) for cid, c in comments.items()}
    assert threads == {T2: (T1, None), T3: (T2, None), T4: (T1, None)}


def test_flattened_lines_map_like_the_page():
    page, flat = map_path(PAGE), map_path(FLAT)
    assert detect_name(FLAT) == "twarc2"
    assert set(by_id(flat, Post, "post_id")) == set(by_id(page, Post, "post_id"))
    flat_comments, page_comments = by_id(flat, Comment, "comment_id"), by_id(page, Comment,
                                                                              "comment_id")
    assert flat_comments == page_comments
    assert by_id(flat, Post, "post_id")[T6].views == 8800


def test_an_indented_page_document_is_read_whole(tmp_path):
    page = orjson.loads(PAGE.read_bytes())
    path = tmp_path / "page.json"
    path.write_bytes(orjson.dumps(page, option=orjson.OPT_INDENT_2))
    assert detect_name(path) == "twarc2"
    assert set(by_id(map_path(path), Post, "post_id")) == {T1, T2, T3, T4, T5, T6}


def test_pages_too_long_for_the_sniff_window_are_recognised(tmp_path):
    page = orjson.loads(PAGE.read_bytes())
    page["includes"]["users"] += [
        {"id": str(10**12 + i), "username": f"pengguna_{i}", "name": "Pengguna " * 8,
         "description": "Warga Kota Bekasi " * 5, "public_metrics": {"followers_count": i}}
        for i in range(1500)]
    line = orjson.dumps(page)
    assert len(line) > 256 * 1024
    path = tmp_path / "big.jsonl"
    path.write_bytes(line + b"\n" + line + b"\n")
    (source,) = expand([str(path)])
    assert formats.probe_source(source).first is None
    assert detect_name(path) == "twarc2"
    assert len(of(map_path(path), Post)) == 12


def test_twarc2_claims_no_other_format_fixture():
    for path in foreign_files("twarc2", "twarc-csv"):
        assert not sniffs_as(path, "twarc2"), path


# --- import through the real pipeline --------------------------------------------------------

def test_import_keeps_threads_and_marks_the_authors_own_replies(project):
    (summary,) = import_files(project, PAGE)
    assert summary.format == "twarc2" and summary.status == "imported"
    assert summary.rejected == 0
    rows = query(project, "SELECT comment_id, post_id, parent_id, by_post_author FROM comments "
                          "WHERE platform = 'x' ORDER BY comment_id")
    # the candidate answering anywhere in their own thread (T3 under T2, T4 under T1) counts
    assert rows == [
        {"comment_id": T2, "post_id": T1, "parent_id": None, "by_post_author": False},
        {"comment_id": T3, "post_id": T1, "parent_id": T2, "by_post_author": True},
        {"comment_id": T4, "post_id": T1, "parent_id": None, "by_post_author": True},
    ]
    (t1,) = query(project, f"SELECT * FROM posts WHERE post_id = '{T1}'")
    assert t1["source_format"] == "twarc2" and t1["media_type"] == "carousel"
    (metric,) = query(project, f"SELECT * FROM post_metrics WHERE post_id = '{T1}'")
    assert (metric["observed_at"], metric["likes"], metric["views"]) == (
        datetime(2024, 11, 20, 5, 0), 980, 25400)


def test_import_page_then_flat_adds_no_second_observation(project):
    import_files(project, PAGE)
    import_files(project, FLAT)  # same capture time: same observation
    (row,) = query(project, f"SELECT count(*) AS n FROM post_metrics WHERE post_id = '{T1}'")
    assert row["n"] == 1
    (row,) = query(project, "SELECT count(*) AS n FROM posts WHERE platform = 'x'")
    assert row["n"] == 6


def test_malformed_records_go_to_rejects_and_the_rest_imports(project, tmp_path):
    good = PAGE.read_bytes().strip()
    page = orjson.loads(good)
    page["data"] = [{"text": "a tweet without its id", "author_id": CITIZEN}, page["data"][0]]
    page["__twarc"]["retrieved_at"] = "2024-11-22T05:00:00+00:00"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(good + b"\n" + b'{"data": [{"id": "1", "text": "cut off' + b"\n"
                     + orjson.dumps(page) + b"\n")
    (summary,) = import_files(project, path)
    assert summary.status == "imported"
    rejects = query(project, "SELECT line_no, reason FROM rejects ORDER BY line_no")
    assert [r["line_no"] for r in rejects] == [2, 3]
    assert "not valid JSON" in rejects[0]["reason"]
    assert "without an `id`" in rejects[1]["reason"]
    (row,) = query(project, "SELECT count(*) AS n FROM posts WHERE platform = 'x'")
    assert row["n"] == 6
    (row,) = query(project, f"SELECT count(*) AS n FROM post_metrics WHERE post_id = '{T6}'")
    assert row["n"] == 2  # the third line observed T6 again, two days later
