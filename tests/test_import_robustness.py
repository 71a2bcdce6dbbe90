"""Issue 14 points 4-6, 8-10 and 13.20: one bad record is a reject, one bad file is a summary
line, names are literal, bombs and loops are bounded, the summary says what is new."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import zipfile

import pytest

from tests.test_cli import run


def record(i: int, **data) -> dict:
    base = {"id": str(7400000000000000000 + i), "desc": f"kampanye {i}",
            "createTime": 1732193041 + i,
            "author": {"id": "1", "uniqueId": "calon_satu", "nickname": "Calon"},
            "stats": {"playCount": 100, "diggCount": 5, "commentCount": 1, "shareCount": 0,
                      "collectCount": 0}, "video": {"duration": 20}}
    base.update(data)
    return {"id": i, "item_id": base["id"], "timestamp_collected": 1733366400217,
            "source_platform": "tiktok.com", "source_platform_url": "https://www.tiktok.com/",
            "data": base}


def lines(*records) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


GOOD = lines(record(1), record(2))


def count(project, sql: str) -> int:
    out = run("query", "--project", str(project.root), "--json", sql)
    assert out.exit_code == 0, out.output
    return next(iter(json.loads(out.stdout)[0].values()))


@pytest.mark.parametrize("name, bad", [
    ("count 2^63", record(3, stats={"playCount": 2 ** 63})),
    ("count 1e400", None),
    ("timestamp 1e18", record(3, createTime=10 ** 18)),
    ("year 33658", record(3, createTime=1_000_000_000_000_000)),
    ("year 2999", record(3, createTime=32_000_000_000)),
])
def test_a_type_breaking_record_is_a_reject(make_project, tmp_path, name, bad):
    project = make_project()
    path = tmp_path / "zeeschuimer-export-tiktok.com-x.ndjson"
    if bad is None:
        extra = (b'{"id": 9, "data": {"id": "9", "desc": "x", "createTime": 1732193041, '
                 b'"author": {"id": "1", "uniqueId": "a"}, "stats": {"playCount": 1e400}}}\n')
    else:
        extra = lines(bad)
    path.write_bytes(GOOD + extra)
    result = run("import", "--project", str(project.root), str(path))
    assert result.exit_code == 0, result.output
    assert count(project, "SELECT count(*) FROM posts") == 2
    assert count(project, "SELECT count(*) FROM rejects WHERE line_no = 3") == 1
    assert count(project, "SELECT count(*) FROM posts WHERE year(created_at) > 2100") == 0
    dry = run("import", "--project", str(project.root), "--dry-run", "--json", str(path))
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)[0]["rejects"], "dry-run applies the same checks"


def _damaged() -> dict[str, bytes]:
    gz, xz, bz = gzip.compress(GOOD * 40), lzma.compress(GOOD * 40), bz2.compress(GOOD * 40)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.ndjson", GOOD)
    encrypted = bytearray(buffer.getvalue())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        encrypted[encrypted.find(sig) + offset] |= 1
    return {"t.ndjson.gz": gz[: len(gz) // 2], "t.ndjson.xz": xz[: len(xz) // 2],
            "t.ndjson.bz2": bz[: len(bz) // 2], "c.zip": buffer.getvalue()[:40] + b"\0" * 40,
            "e.zip": bytes(encrypted), "empty.ndjson": b""}


@pytest.mark.parametrize("bad", list(_damaged()))
def test_a_damaged_file_is_a_summary_line(make_project, tmp_path, bad):
    project = make_project()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good-zeeschuimer-export-tiktok.com.ndjson").write_bytes(GOOD)
    (folder / bad).write_bytes(_damaged()[bad])
    result = run("import", "--project", str(project.root), str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert bad in result.output
    assert count(project, "SELECT count(*) FROM posts") == 2
    if bad == "empty.ndjson":
        assert "empty" in result.output and "not a format" not in result.output


def test_glob_characters_in_names_are_literal(make_project, tmp_path):
    project = make_project()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x[31m].ndjson").write_bytes(GOOD)
    (folder / "x3.ndjson").write_bytes(lines(record(9)))
    (folder / "why?.ndjson").write_bytes(lines(record(5)))
    result = run("import", "--project", str(project.root), str(folder / "x[31m].ndjson"))
    assert result.exit_code == 0, result.output
    assert count(project, "SELECT count(*) FROM posts") == 2  # not x3.ndjson
    result = run("import", "--project", str(project.root), str(folder))
    assert result.exit_code == 0, result.output
    assert count(project, "SELECT count(*) FROM posts") == 4


def test_a_symlink_loop_is_followed_once(make_project, tmp_path):
    project = make_project()
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.ndjson").write_bytes(GOOD)
    os.symlink(folder, folder / "sub" / "loop")
    result = run("import", "--project", str(project.root), str(folder) + "/**/*.ndjson")
    assert result.exit_code == 0, result.output
    assert count(project, "SELECT count(*) FROM imports") == 1


def test_a_decompression_bomb_is_refused_and_the_limit_can_be_raised(make_project, tmp_path,
                                                                      monkeypatch):
    from pantau import sources

    project = make_project()
    monkeypatch.setattr(sources, "BOMB_FLOOR", 1 << 20)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good-zeeschuimer-export-tiktok.com.ndjson").write_bytes(GOOD)
    (folder / "bomb.ndjson.gz").write_bytes(gzip.compress(GOOD + b" " * (8 << 20), 9))
    result = run("import", "--project", str(project.root), str(folder))
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "bomb.ndjson.gz" in out and "--max-ratio" in out
    assert count(project, "SELECT count(*) FROM posts") == 2
    raised = run("import", "--project", str(project.root), "--max-ratio", "100000",
                 str(folder / "bomb.ndjson.gz"))
    assert raised.exit_code == 0, raised.output


def test_summary_says_new_metric_observations(make_project, tmp_path):
    project = make_project()
    first = tmp_path / "zeeschuimer-export-tiktok.com-1.ndjson"
    first.write_bytes(GOOD)
    second = tmp_path / "zeeschuimer-export-tiktok.com-2.ndjson"
    recapture = [record(1), record(2)]
    for r in recapture:
        r["timestamp_collected"] += 86_400_000
        r["data"]["stats"]["playCount"] = 500
    second.write_bytes(lines(*recapture))
    run("import", "--project", str(project.root), str(first))
    result = run("import", "--project", str(project.root), str(second))
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "new metric observations" in text and "duplicates" not in text


def test_interrupted_rollback_error_does_not_hide_the_cause(tmp_path):
    import duckdb

    from pantau.store import transaction

    con = duckdb.connect(str(tmp_path / "s.duckdb"))

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction(con):
        con.execute("ROLLBACK")  # DuckDB ended the transaction itself
        raise Boom




@pytest.mark.parametrize("row", [
    "Post(platform='x', post_id='1', text=12345)",
    "Comment(platform='x', comment_id='1', author_handle=98765)",
    "Post(platform='x', post_id='1', views=2 ** 63)",
    "Post(platform='x', post_id='1', mentions=['a', 3])",
])
def test_rows_that_do_not_fit_the_store_are_refused(row):
    from pantau.records import Comment, Post, check_types

    with pytest.raises(ValueError):
        check_types(eval(row, {"Post": Post, "Comment": Comment}))
