"""The import pipeline's guarantees: mapping, idempotency, rejects, threads, captures, atomicity."""

from __future__ import annotations

import gzip
import lzma
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from pantau import formats, ingest
from pantau.ingest import import_paths
from pantau.sources import Source
from pantau.store import staging
from tests.conftest import FIXTURES, import_files, query

CAPTURE_1 = FIXTURES / "ingest" / "capture-1.ndjson"
CAPTURE_2 = FIXTURES / "ingest" / "capture-2.ndjson"
ACCOUNTS = """
[[accounts]]
candidate = "pair-3"
platform = "tiktok"
handle = "@triadhianto"
role = "official"
registered = true
"""


def test_capture_maps_values_from_the_file(make_project):
    project = make_project(ACCOUNTS)
    [summary] = import_files(project, CAPTURE_1)
    assert (summary.format, summary.status) == ("zeeschuimer-tiktok", "imported")
    assert (summary.posts, summary.comments, summary.rejected) == (4, 2, 1)
    post = query(project, "SELECT * FROM posts WHERE post_id = '7421000000000000001'")[0]
    assert post["account_id"] == "6790000000000000001"
    assert post["created_at"] == datetime(2024, 9, 29, 8, 53, 20)  # 1727600000 UTC
    assert post["hashtags"] == ["bekasimaju", "pilkada2024"]
    assert post["mentions"] == ["warga_bks"]
    assert post["duration_s"] == 30
    assert post["url"] == "https://www.tiktok.com/@TriAdhianto/video/7421000000000000001"
    assert post["music_id"] == "7100000000000000009"
    metrics = query(project, "SELECT * FROM post_metrics WHERE post_id = '7421000000000000002'")
    assert metrics[0]["likes"] == 1200  # "1.2K" as a string
    assert metrics[0]["views"] == 5400
    carousel = query(project, "SELECT media_type, hashtags FROM posts "
                              "WHERE post_id = '7421000000000000004'")[0]
    assert carousel == {"media_type": "carousel", "hashtags": ["blusukan"]}
    string_author = query(project, "SELECT account_id FROM posts "
                                   "WHERE post_id = '7421000000000000003'")[0]
    assert string_author["account_id"] == "relawan_tri"


def test_accounts_link_to_candidates_case_insensitively(make_project):
    project = make_project(ACCOUNTS)
    import_files(project, CAPTURE_1)
    rows = query(project, "SELECT candidate_id, role, registered, followers FROM accounts "
                          "WHERE handle = 'TriAdhianto'")
    assert rows == [{"candidate_id": "pair-3", "role": "official", "registered": True,
                     "followers": 150003}]  # the latest capture of that account


def test_threads_and_replies_by_the_post_author(project):
    import_files(project, CAPTURE_1)
    rows = query(project, "SELECT comment_id, parent_id, by_post_author FROM comments "
                          "ORDER BY comment_id")
    assert rows == [
        {"comment_id": "7422000000000000001", "parent_id": None, "by_post_author": False},
        {"comment_id": "7422000000000000002", "parent_id": "7422000000000000001",
         "by_post_author": True},
    ]


def test_reject_keeps_line_reason_and_raw_text(project):
    import_files(project, CAPTURE_1)
    [reject] = query(project, "SELECT line_no, reason, raw FROM rejects")
    assert reject["line_no"] == 6  # line 5 is blank
    assert "not valid JSON" in reject["reason"]
    assert reject["raw"].startswith('{"nav_index": "1:1:9"')


def test_same_file_twice_adds_no_row(project):
    import_files(project, CAPTURE_1)
    before = {t: query(project, f"SELECT count(*) AS n FROM {t}")[0]["n"]
              for t in ("posts", "comments", "accounts", "post_metrics", "rejects", "imports")}
    [again] = import_files(project, CAPTURE_1)
    assert again.status == "skipped"
    after = {t: query(project, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in before}
    assert after == before


def test_a_copy_of_the_file_under_another_name_adds_no_row(project, tmp_path):
    import_files(project, CAPTURE_1)
    copy = tmp_path / "renamed.ndjson"
    copy.write_bytes(CAPTURE_1.read_bytes())
    import_files(project, copy)
    assert query(project, "SELECT count(*) AS n FROM posts")[0]["n"] == 4


def test_later_capture_adds_an_observation_and_updates_last_seen(project):
    import_files(project, CAPTURE_1)
    import_files(project, CAPTURE_2)
    rows = query(project, "SELECT observed_at, views, likes FROM post_metrics "
                          "WHERE post_id = '7421000000000000001' ORDER BY observed_at")
    assert [(r["views"], r["likes"]) for r in rows] == [(12000, 800), (20000, 1500)]
    post = query(project, "SELECT first_seen, last_seen FROM posts "
                          "WHERE post_id = '7421000000000000001'")[0]
    assert post["first_seen"] == datetime(2024, 10, 27, 3, 33, 20)
    assert post["last_seen"] == datetime(2024, 11, 3, 2, 13, 20)
    assert query(project, "SELECT count(*) AS n FROM posts")[0]["n"] == 4


@pytest.mark.parametrize("suffix", [".gz", ".xz", ".zip"])
def test_compressed_files_import_like_plain_ones(project, tmp_path, suffix):
    target = tmp_path / f"capture.ndjson{suffix}"
    data = CAPTURE_1.read_bytes()
    if suffix == ".gz":
        target.write_bytes(gzip.compress(data))
    elif suffix == ".xz":
        target.write_bytes(lzma.compress(data))
    else:
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("export/capture.ndjson", data)
    [summary] = import_files(project, target)
    assert (summary.posts, summary.comments, summary.rejected) == (4, 2, 1)


def test_folders_and_globs_expand(project, tmp_path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(CAPTURE_1, folder / "a.ndjson")
    shutil.copy(CAPTURE_2, folder / "sub" / "b.ndjson")
    assert len(import_files(project, folder)) == 2
    assert len(import_files(project, str(tmp_path / "exports" / "**" / "*.ndjson"))) == 2


def test_unknown_file_is_refused_not_guessed(project, tmp_path):
    unknown = tmp_path / "notes.json"
    unknown.write_text('{"hello": "world"}\n')
    [summary] = import_files(project, unknown)
    assert summary.status == "refused"
    assert "not a format pantau knows" in summary.message
    assert "zeeschuimer-tiktok" in summary.message
    assert query(project, "SELECT count(*) AS n FROM imports")[0]["n"] == 0


def test_raw_file_is_kept_byte_for_byte(project):
    [summary] = import_files(project, CAPTURE_1)
    [row] = query(project, "SELECT raw_path FROM imports")
    assert (project.root / row["raw_path"]).read_bytes() == CAPTURE_1.read_bytes()
    assert summary.import_id is not None


def _python_only(fmt: formats.Format) -> formats.Format:
    from dataclasses import replace

    return replace(fmt, sql_batch=None)


def test_vectorised_and_python_mapping_agree(make_project):
    """The DuckDB fast path must store exactly what the Python mapper stores."""
    fast, slow = make_project(name="fast"), make_project(name="slow")
    fmt = formats.get_format("zeeschuimer-tiktok")
    assert fmt.sql_batch is not None
    for project, chosen in ((fast, fmt), (slow, _python_only(fmt))):
        con = project.connect()
        ingest.import_source(con, project.config, Source(str(CAPTURE_1), CAPTURE_1), chosen)
        ingest.import_source(con, project.config, Source(str(CAPTURE_2), CAPTURE_2), chosen)
        con.close()
    for table, order in (("posts", "post_id"), ("post_metrics", "post_id, observed_at"),
                         ("accounts", "account_id"), ("comments", "comment_id"),
                         ("rejects", "line_no")):
        columns = "* EXCLUDE (import_id)" if table != "accounts" else "*"
        sql = f"SELECT {columns} FROM {table} ORDER BY {order}"
        assert query(fast, sql) == query(slow, sql), table


class Boom(Exception):
    pass


def test_interrupted_import_leaves_nothing(project, monkeypatch):
    import_files(project, CAPTURE_2)
    before = {t: query(project, f"SELECT * FROM {t} ORDER BY ALL")
              for t in ("posts", "post_metrics", "accounts", "comments", "imports", "rejects")}
    original = staging.StagingWriter.merge_all

    def explode(self, import_id):
        original(self, import_id)
        raise Boom("interrupted after the merge, before the commit")

    monkeypatch.setattr(staging.StagingWriter, "merge_all", explode)
    with pytest.raises(Boom):
        import_files(project, CAPTURE_1)
    after = {t: query(project, f"SELECT * FROM {t} ORDER BY ALL") for t in before}
    assert after == before
    assert not [p for p in (project.root / "raw").iterdir() if "capture-1" in p.name]
    monkeypatch.setattr(staging.StagingWriter, "merge_all", original)
    [summary] = import_files(project, CAPTURE_1)  # and the file imports cleanly afterwards
    assert summary.status == "imported" and summary.posts == 4


def test_keyboard_interrupt_while_reading_rolls_back(project, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "_import_vectorised", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_files(project, CAPTURE_1)
    assert query(project, "SELECT count(*) AS n FROM posts")[0]["n"] == 0
    assert query(project, "SELECT count(*) AS n FROM imports")[0]["n"] == 0


def test_progress_reports_every_byte(project):
    reported: list[int] = []

    def on_start(source, fmt, size):
        return reported.append

    con = project.connect()
    import_paths(con, project.config, [str(CAPTURE_1)], on_file_start=on_start)
    con.close()
    assert sum(reported) == Path(CAPTURE_1).stat().st_size


def test_awkward_lines_agree_between_both_paths(make_project, tmp_path):
    """CRLF endings, whitespace-only lines, invalid UTF-8 and no final newline."""
    lines = CAPTURE_1.read_bytes().splitlines()
    awkward = (b"\r\n".join(lines[:2]) + b"\r\n" + b" " * 80 + b"\n\t\n"
               + lines[2].replace(b"Program 2", b"Program \xff\xfe 2") + b"\n"
               + b"\n".join(lines[3:]))
    path = tmp_path / "awkward.ndjson"
    path.write_bytes(awkward)
    fast, slow = make_project(name="fast"), make_project(name="slow")
    fmt = formats.get_format("zeeschuimer-tiktok")
    summaries = []
    for project, chosen in ((fast, fmt), (slow, _python_only(fmt))):
        con = project.connect()
        summaries.append(ingest.import_source(con, project.config, Source(str(path), path),
                                              chosen))
        con.close()
    assert [(s.records, s.posts, s.comments, s.rejected) for s in summaries] == [(6, 4, 2, 1)] * 2
    for table in ("posts", "comments", "rejects"):
        sql = f"SELECT * EXCLUDE (import_id) FROM {table} ORDER BY ALL"
        assert query(fast, sql) == query(slow, sql), table
    [text] = query(fast, "SELECT text FROM posts WHERE post_id = '7421000000000000003'")
    assert "\ufffd" in text["text"]  # the invalid bytes are marked, the rest of the line kept
