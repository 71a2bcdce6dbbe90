"""Zeeschuimer TikTok: mapping, the SQL fast path, and import through the real pipeline.

The fixture tests/fixtures/zeeschuimer-tiktok/uu_saeful_profile.ndjson mirrors a real capture:
one video captured twice (two capture times, growing counts), an older item with a string
author and string `statsV2` counts, comment items (a reply nested in `reply_comment[]`, a
reply to a reply) and a line cut off mid-way.

The map_file / rows helpers below are also used by the other format tests in this folder.
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
from tests.conftest import import_files, query

FIXTURE = "zeeschuimer-tiktok/uu_saeful_profile.ndjson"
V1, V2 = "7431234567890123456", "7431234567890123999"
CANDIDATE = "7012345678901234567"


# --- helpers shared by the format tests -----------------------------------------------------

def detect_name(path: Path) -> str | None:
    """The format sniffing picks for a file, or None when it is refused."""
    (source,) = expand([str(path)])
    try:
        return formats.detect(source).name
    except formats.FormatError:
        return None


def map_file(path: Path, format_name: str | None = None) -> list[tuple[int, object]]:
    """(line_no, row) for every row the file maps to, read as ingest reads it."""
    (source,) = expand([str(path)])
    fmt = formats.get_format(format_name) if format_name else formats.detect(source)
    rows: list[tuple[int, object]] = []
    with source.open() as stream:
        for record in READERS[fmt.reader](stream):
            if record.error:
                rows.append((record.line_no, Rejected(record.error, record.text)))
                continue
            rows.extend((record.line_no, row) for row in fmt.map(record.data, MapContext()))
    return rows


def rows_of(rows, cls) -> list:
    return [row for _, row in rows if isinstance(row, cls)]


def posts_by_id(rows) -> dict[str, list[Post]]:
    out: dict[str, list[Post]] = {}
    for post in rows_of(rows, Post):
        out.setdefault(post.post_id, []).append(post)
    return out


def comments_by_id(rows) -> dict[str, Comment]:
    return {c.comment_id: c for c in rows_of(rows, Comment)}


def sample_files(samples_dir: Path) -> list[Path]:
    return sorted(p for p in samples_dir.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")


def assert_claims_only(samples_dir: Path, format_names: set[str], expected: set[str]) -> None:
    """Sniffing gives one of `format_names` to exactly the sample files named in `expected`."""
    claimed = {p.relative_to(samples_dir).as_posix() for p in sample_files(samples_dir)
               if detect_name(p) in format_names}
    assert claimed == expected


# --- mapping ---------------------------------------------------------------------------------

def test_fixture_is_sniffed(fixtures_dir):
    assert detect_name(fixtures_dir / FIXTURE) == "zeeschuimer-tiktok"


def test_never_claims_a_shared_sample(samples_dir):
    assert_claims_only(samples_dir, {"zeeschuimer-tiktok"}, set())


def test_video_values(fixtures_dir):
    rows = map_file(fixtures_dir / FIXTURE)
    first, second = posts_by_id(rows)[V1]
    assert first.account_id == CANDIDATE
    assert first.created_at == datetime(2024, 10, 27, 3, 33, 20)
    assert first.observed_at == datetime(2024, 10, 28, 7, 20)
    assert first.text.startswith("Bekasi bebas banjir! Kerja nyata")
    assert first.hashtags == ["pilkadabekasi", "bekasikeren"]
    assert first.mentions == ["nurul.sumarheni"]
    assert (first.views, first.likes, first.comments, first.shares, first.saves) == (
        15200, 1200, 85, 40, 12)
    assert first.followers == 48000
    assert first.duration_s == 45.0
    assert first.music_id == "7431234500000000001"
    assert first.url == f"https://www.tiktok.com/@uu_saeful_official/video/{V1}"
    assert (first.media_type, first.lang, first.is_ad) == ("video", "id", False)
    assert second.observed_at == datetime(2024, 10, 29, 7, 20)
    assert (second.views, second.likes) == (20100, 1500)
    account = next(a for a in rows_of(rows, Account) if a.account_id == CANDIDATE)
    assert (account.handle, account.display_name) == ("uu_saeful_official", "Uu Saeful Mikdar")


def test_string_author_and_string_counts(fixtures_dir):
    (post,) = posts_by_id(map_file(fixtures_dir / FIXTURE))[V2]
    assert post.account_id == "bekasi_info"
    assert post.created_at == datetime(2024, 10, 27, 6, 20)  # createTime given as a string
    assert (post.views, post.likes, post.comments, post.shares, post.saves) == (8800, 640, 51, 9, 4)
    assert post.hashtags == ["debatpilkada", "bekasi2024"]  # no textExtra: read from the caption


def test_comment_items_keep_their_thread(fixtures_dir):
    found = comments_by_id(map_file(fixtures_dir / FIXTURE))
    assert set(found) == {"7431300000000000001", "7431300000000000002", "7431300000000000003",
                          "7431300000000000004"}
    top = found["7431300000000000001"]
    assert (top.post_id, top.parent_id, top.author_handle) == (V1, None, "warga_bekasi88")
    assert top.created_at == datetime(2024, 10, 27, 17, 26, 40)
    assert (top.likes, top.reply_count) == (25, 2)
    nested = found["7431300000000000002"]  # from reply_comment[]
    assert (nested.parent_id, nested.author_id) == ("7431300000000000001", CANDIDATE)
    assert found["7431300000000000003"].parent_id == "7431300000000000002"  # reply to a reply


def test_malformed_line_is_a_read_error(fixtures_dir):
    errors = [(n, r) for n, r in map_file(fixtures_dir / FIXTURE) if isinstance(r, Rejected)]
    assert [n for n, _ in errors] == [4]
    assert "not valid JSON" in errors[0][1].reason


def test_sql_fast_path_gives_the_rows_of_map_item(fixtures_dir):
    """Where zeeschuimer-tiktok maps common lines inside DuckDB, the rows must be identical."""
    import duckdb

    from pantau import ingest

    fmt = formats.get_format("zeeschuimer-tiktok")
    stage_ddl = getattr(ingest, "STAGE_DDL", None)
    if getattr(fmt, "sql_batch", None) is None or stage_ddl is None:
        pytest.skip("zeeschuimer-tiktok has no SQL fast path")
    lines = [(n, line.strip()) for n, line in enumerate(
        (fixtures_dir / FIXTURE).read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip()]
    con = duckdb.connect()
    con.execute(stage_ddl)
    con.execute("CREATE TEMP TABLE lines (line_no BIGINT, line VARCHAR)")
    con.executemany("INSERT INTO lines VALUES (?, ?)", lines)
    leftovers = set(fmt.sql_batch(con, "lines"))
    handled = [(n, text) for n, text in lines if n not in leftovers]
    assert handled, "the fast path took no line of the fixture"
    columns = ("post_id", "account_id", "created_at", "text", "media_type", "duration_s", "url",
               "hashtags", "mentions", "is_ad", "lang", "music_id", "observed_at", "views",
               "likes", "comments", "shares", "saves", "followers")
    got = sorted(con.execute(f"SELECT {', '.join(columns)} FROM stage_posts").fetchall(),
                 key=lambda r: (r[0], r[12]))
    expected = sorted(
        (tuple(getattr(post, c) for c in columns)
         for _, text in handled for post in fmt.map(orjson.loads(text), MapContext())
         if isinstance(post, Post)),
        key=lambda r: (r[0], r[12]))
    assert [tuple(r) for r in got] == expected


# --- through the real import pipeline --------------------------------------------------------

def test_import_two_captures_comments_and_a_bad_line(project, fixtures_dir):
    (summary,) = import_files(project, fixtures_dir / FIXTURE)
    assert summary.format == "zeeschuimer-tiktok"
    posts = query(project, "SELECT post_id, account_id, created_at FROM posts ORDER BY post_id")
    assert [p["post_id"] for p in posts] == [V1, V2]
    metrics = query(project, "SELECT observed_at, views, likes, followers FROM post_metrics "
                             "WHERE post_id = ? ORDER BY observed_at", [V1])
    assert metrics == [
        {"observed_at": datetime(2024, 10, 28, 7, 20), "views": 15200, "likes": 1200,
         "followers": 48000},
        {"observed_at": datetime(2024, 10, 29, 7, 20), "views": 20100, "likes": 1500,
         "followers": 48500},
    ]
    (account,) = query(project, "SELECT handle, followers FROM accounts WHERE account_id = ?",
                       [CANDIDATE])
    assert account == {"handle": "uu_saeful_official", "followers": 48500}
    rejects = query(project, "SELECT line_no, reason FROM rejects")
    assert [r["line_no"] for r in rejects] == [4]
    assert "not valid JSON" in rejects[0]["reason"]
    found = {c["comment_id"]: c for c in query(
        project, "SELECT comment_id, post_id, parent_id, by_post_author FROM comments")}
    assert len(found) == 4
    assert found["7431300000000000002"]["parent_id"] == "7431300000000000001"
    assert found["7431300000000000003"]["parent_id"] == "7431300000000000002"
    assert found["7431300000000000002"]["by_post_author"] is True  # the candidate answering
    assert found["7431300000000000001"]["by_post_author"] is False


def test_same_file_twice_adds_nothing(project, fixtures_dir):
    import_files(project, fixtures_dir / FIXTURE)
    (again,) = import_files(project, fixtures_dir / FIXTURE)
    assert again.status == "skipped"
    assert query(project, "SELECT count(*) AS n FROM post_metrics")[0]["n"] == 3


def fourcat_reexport(source: Path, target: Path) -> Path:
    """A capture as 4CAT re-exports it: {**data, "__import_meta": {the envelope}} per line."""
    out = []
    for line in source.read_text(encoding="utf-8").splitlines():
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        meta = {k: v for k, v in item.items() if k != "data"}
        out.append(orjson.dumps({**item["data"], "__import_meta": meta}).decode())
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def test_4cat_reexport_maps_like_the_capture(tmp_path, fixtures_dir):
    path = fourcat_reexport(fixtures_dir / FIXTURE, tmp_path / "4cat-tiktok.ndjson")
    assert detect_name(path) == "zeeschuimer-tiktok"
    original = [r for _, r in map_file(fixtures_dir / FIXTURE) if not isinstance(r, Rejected)]
    assert [r for _, r in map_file(path) if not isinstance(r, Rejected)] == original
