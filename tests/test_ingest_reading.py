"""How ingest reads a file: blocks of lines, the raw keeper (hash and kept copy from the same
reads), and the staging shortcuts (plain INSERT for new keys) that must not change any row."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau import formats, ingest
from pantau.ingest import blocks, rawkeep
from pantau.sources import Source, expand
from pantau.store import staging
from tests.conftest import FIXTURES, import_files, query

CAPTURE_1 = FIXTURES / "ingest" / "capture-1.ndjson"
CAPTURE_2 = FIXTURES / "ingest" / "capture-2.ndjson"
TABLES = ("posts", "post_metrics", "accounts", "comments", "rejects")


class ShortReads(io.RawIOBase):
    """A stream that hands out at most a few bytes per read, like a pipe or a decompressor."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = memoryview(data)
        self._sizes = sizes or [1]
        self._pos = 0
        self._turn = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self._sizes[self._turn % len(self._sizes)])
        self._turn += 1
        chunk = self._data[self._pos:self._pos + size]
        buffer[:len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


def expected_lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return [line + b"\n" for line in lines]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
       final_newline=st.booleans(), block=st.integers(min_value=1, max_value=64),
       scan=st.integers(min_value=1, max_value=16),
       sizes=st.lists(st.integers(min_value=1, max_value=50), max_size=5))
def test_line_blocks_cover_every_line_once_in_order(lines, final_newline, block, scan, sizes):
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(blocks, "READ_BLOCK", block)
        mp.setattr(blocks, "SCAN_CHUNK", scan)
        got, numbers = [], []
        for part in blocks.line_blocks(ShortReads(data, sizes)):
            for i in range(len(part)):
                got.append(part.line(i))
                numbers.append(part.first_line_no + i)
    assert got == expected_lines(data)
    assert numbers == list(range(1, len(got) + 1))


def _slow_keeper(monkeypatch) -> None:
    """Let the hashing thread lag behind the reader, so a buffer reused too early would show."""
    original = rawkeep.RawKeeper._take

    def slow(self, data):
        time.sleep(0.05)  # longer than mapping a block takes
        original(self, data)

    monkeypatch.setattr(rawkeep.RawKeeper, "_take", slow)


def test_hash_and_kept_copy_are_the_bytes_read_across_many_blocks(project, monkeypatch):
    monkeypatch.setattr(blocks, "READ_BLOCK", 700)  # a few lines per block; carries between them
    _slow_keeper(monkeypatch)
    [summary] = import_files(project, CAPTURE_1)
    assert (summary.posts, summary.comments, summary.rejected) == (4, 2, 1)
    [row] = query(project, "SELECT sha256, raw_path FROM imports")
    data = CAPTURE_1.read_bytes()
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert (project.root / row["raw_path"]).read_bytes() == data


def test_large_file_is_hashed_while_read(project, monkeypatch):
    monkeypatch.setattr(ingest, "EARLY_HASH_BYTES", 0)  # as for a file of gigabytes
    monkeypatch.setattr(blocks, "READ_BLOCK", 1000)
    [first] = import_files(project, CAPTURE_1)
    [again] = import_files(project, CAPTURE_1)
    assert (first.status, again.status) == ("imported", "skipped")
    [row] = query(project, "SELECT sha256 FROM imports")
    assert row["sha256"] == hashlib.sha256(CAPTURE_1.read_bytes()).hexdigest()
    assert len(list((project.root / "raw").iterdir())) == 1


@pytest.mark.parametrize("kind", ["gz", "zip"])
def test_compressed_raw_is_kept_as_stored(project, tmp_path, monkeypatch, kind):
    monkeypatch.setattr(ingest, "EARLY_HASH_BYTES", 0)
    _slow_keeper(monkeypatch)
    if kind == "gz":
        path = tmp_path / "capture.ndjson.gz"
        path.write_bytes(gzip.compress(CAPTURE_1.read_bytes()))
        stored = path.read_bytes()
    else:
        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("export/capture.ndjson", CAPTURE_1.read_bytes())
        stored = CAPTURE_1.read_bytes()  # a member's bytes are kept, not the archive
    [summary] = import_files(project, path)
    assert (summary.posts, summary.comments, summary.rejected) == (4, 2, 1)
    [row] = query(project, "SELECT sha256, raw_path FROM imports")
    (source,) = expand([str(path)])
    assert row["sha256"] == source.sha256()
    assert (project.root / row["raw_path"]).read_bytes() == stored


def test_python_reader_hashes_the_whole_file(project, tmp_path, monkeypatch):
    """A reader may stop early (here: a JSON document format on an oversized file); what it
    left unread is still hashed and kept."""
    monkeypatch.setattr(ingest, "EARLY_HASH_BYTES", 0)
    monkeypatch.setattr(formats.base, "WHOLE_DOCUMENT_LIMIT", 100)
    monkeypatch.setattr(rawkeep, "RAW_BUFFER", 16)  # so the reader's read-ahead stops early too
    path = tmp_path / "capture.ndjson"
    path.write_bytes(CAPTURE_1.read_bytes())
    document = replace(formats.get_format("zeeschuimer-tiktok"), reader="json", sql_batch=None)
    con = project.connect()
    try:
        summary = ingest.import_source(con, project.config, Source(str(path), path), document,
                                       raw_dir=project.root / "raw")
    finally:
        con.close()
    assert summary.rejected == 1
    [row] = query(project, "SELECT sha256, raw_path FROM imports")
    assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (project.root / row["raw_path"]).read_bytes() == path.read_bytes()


def test_file_changed_during_the_import_is_refused(project, tmp_path, monkeypatch):
    path = tmp_path / "growing.ndjson"
    path.write_bytes(CAPTURE_1.read_bytes())
    original = ingest._import_vectorised

    def then_append(*args, **kwargs):
        original(*args, **kwargs)
        with open(path, "ab") as fh:  # a capture tool still writing the file
            fh.write(CAPTURE_2.read_bytes())
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))

    monkeypatch.setattr(ingest, "_import_vectorised", then_append)
    # a file-level failure: a summary line (issue 14 point 5), nothing of the file stored
    [summary] = import_files(project, path)
    assert summary.status == "failed" and "changed while" in summary.message
    assert query(project, "SELECT count(*) AS n FROM imports")[0]["n"] == 0
    assert query(project, "SELECT count(*) AS n FROM posts")[0]["n"] == 0
    assert list((project.root / "raw").iterdir()) == []


def _snapshot(project) -> dict:
    return {t: query(project, f"SELECT * EXCLUDE (import_id) FROM {t} ORDER BY ALL")
            if t != "accounts" else query(project, f"SELECT * FROM {t} ORDER BY ALL")
            for t in TABLES}


@pytest.mark.parametrize("forced", ["merge", "dedupe"])
def test_insert_shortcuts_store_what_the_merge_stores(make_project, monkeypatch, forced):
    """New keys are plainly inserted and a file without repeated keys skips the dedupe window;
    forcing the general path (MERGE, window) must give the very same rows."""
    quick, general = make_project(name="quick"), make_project(name="general")
    for path in (CAPTURE_1, CAPTURE_2):
        import_files(quick, path)
    original = staging.StagingWriter._key_counts

    def pessimistic(self, rows, table, keys):
        total, distinct, known = original(self, rows, table, keys)
        if forced == "merge":
            return total, distinct, max(known, 1)
        return total, min(distinct, total - 1) if total > 1 else distinct, known

    monkeypatch.setattr(staging.StagingWriter, "_key_counts", pessimistic)
    for path in (CAPTURE_1, CAPTURE_2):
        import_files(general, path)
    assert _snapshot(quick) == _snapshot(general)


def test_a_line_longer_than_a_block(project, tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "READ_BLOCK", 64)
    lines = CAPTURE_1.read_bytes().splitlines()
    path = tmp_path / "long.ndjson"
    path.write_bytes(b"\n".join(lines))  # and no final newline
    [summary] = import_files(project, path)
    assert (summary.records, summary.posts, summary.comments, summary.rejected) == (6, 4, 2, 1)


def test_progress_counts_the_decompressed_bytes(project, tmp_path):
    target = tmp_path / "capture.ndjson.gz"
    target.write_bytes(gzip.compress(CAPTURE_1.read_bytes()))
    reported: list[int] = []
    con = project.connect()
    try:
        ingest.import_paths(con, project.config, [str(target)],
                            on_file_start=lambda source, fmt, size: reported.append)
    finally:
        con.close()
    assert sum(reported) == len(CAPTURE_1.read_bytes())


def test_records_without_capture_time_agree_between_both_paths(make_project, tmp_path):
    """Without `timestamp_collected` the file's time stands in, for the post and its author
    alike, whichever path maps the line."""
    import orjson

    lines = []
    for line in CAPTURE_1.read_bytes().splitlines():
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        item.pop("timestamp_collected", None)
        lines.append(orjson.dumps(item))
    path = tmp_path / "no-capture-time.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    fast, slow = make_project(name="fast"), make_project(name="slow")
    fmt = formats.get_format("zeeschuimer-tiktok")
    for project, chosen in ((fast, fmt), (slow, replace(fmt, sql_batch=None))):
        con = project.connect()
        try:
            ingest.import_source(con, project.config, Source(str(path), path), chosen)
        finally:
            con.close()
    assert _snapshot(fast) == _snapshot(slow)
    assert query(fast, "SELECT count(*) AS n FROM accounts WHERE first_seen IS NULL")[0]["n"] == 0


@pytest.mark.parametrize("refused", [(), ("copy_file_range",), ("copy_file_range", "sendfile"),
                                     ("copy_file_range", "zero")])
def test_kept_copy_whichever_way_the_system_copies(tmp_path, monkeypatch, refused):
    """copy_file_range, else sendfile, else reads and writes; a way refused midway (or one
    that answers "end of file" too early) hands over where the copy stands."""
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(3000) * 50)
    calls = {"n": 0}
    for name in ("copy_file_range", "sendfile"):
        original = getattr(os, name, None)
        if original is None:
            continue

        def small(*args, _name=name, _original=original):
            calls["n"] += 1
            if _name in refused and calls["n"] > 2:  # refused after a first chunk or two
                if "zero" in refused:
                    return 0
                raise OSError("not here")
            return _original(*args[:-1], 7000)  # small chunks: several rounds

        monkeypatch.setattr(os, name, small)
    target = tmp_path / "copy.bin"
    rawkeep.copy_file(source, target, threading.Event())
    assert target.read_bytes() == source.read_bytes()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.binary(min_size=0, max_size=60).map(lambda b: b.replace(b"\n", b"")),
                      min_size=1, max_size=20),
       block=st.integers(min_value=1, max_value=48),
       sizes=st.lists(st.integers(min_value=1, max_value=50), max_size=5))
def test_a_block_stays_intact_while_the_next_is_read(lines, block, sizes):
    """_read_ahead reads block N+1 while block N is mapped: reading a block, even one that
    must grow its buffer for a long line, must not write into the block before it."""
    data = b"\n".join(lines) + b"\n"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(blocks, "READ_BLOCK", block)
        previous, seen = None, []
        for part in blocks.line_blocks(ShortReads(data, sizes)):
            lines_now = [part.line(i) for i in range(len(part))]
            if previous is not None:  # the block before, read again after this one was read
                block_before, lines_then = previous
                assert [block_before.line(i) for i in range(len(block_before))] == lines_then
            previous = (part, lines_now)
            seen += lines_now
    assert seen == expected_lines(data)


def _many_blocks(tmp_path):
    """CAPTURE_1 and CAPTURE_2 several times over, with invalid lines here and there."""
    lines = (CAPTURE_1.read_bytes().splitlines() + CAPTURE_2.read_bytes().splitlines()) * 5
    for n in (3, 17, 40):
        lines.insert(n, b'{"broken": ' + str(n).encode())
    path = tmp_path / "many.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, lines


def test_read_ahead_keeps_order_and_line_numbers(make_project, tmp_path, monkeypatch):
    """Blocks are read ahead in a thread while the one before is mapped (here slowly): the
    rows and the rejects' line numbers are those of the Python path, which reads no blocks."""
    path, lines = _many_blocks(tmp_path)
    monkeypatch.setattr(blocks, "READ_BLOCK", 900)  # many blocks, a few lines each
    fmt = formats.get_format("zeeschuimer-tiktok")
    original = fmt.sql_batch

    def slow_sql_batch(con, table):
        time.sleep(0.01)  # let the reader thread get ahead if it could
        return original(con, table)

    ahead, ahead_project = import_files_as(make_project(name="ahead"), path,
                                           replace(fmt, sql_batch=slow_sql_batch))
    python, python_project = import_files_as(make_project(name="python"), path,
                                             replace(fmt, sql_batch=None))
    assert ahead.records == python.records == sum(1 for line in lines if line.strip())
    assert (ahead.posts, ahead.comments, ahead.rejected) == (
        python.posts, python.comments, python.rejected)
    assert _snapshot(ahead_project) == _snapshot(python_project)
    broken = [i + 1 for i, line in enumerate(lines) if line.startswith(b'{"broken"')]
    rejected = query(ahead_project, "SELECT line_no FROM rejects "
                                    "WHERE raw LIKE '{\"broken%' ORDER BY line_no")
    assert [r["line_no"] for r in rejected] == broken


def import_files_as(project, path, fmt):
    con = project.connect()
    try:
        summary = ingest.import_source(con, project.config, Source(str(path), path), fmt,
                                       raw_dir=project.root / "raw")
    finally:
        con.close()
    return summary, project


def test_read_ahead_stops_when_mapping_fails(project, tmp_path, monkeypatch):
    """An error while a block is mapped stops the reader thread before the file is closed,
    and leaves nothing of the file behind."""
    path, _ = _many_blocks(tmp_path)
    monkeypatch.setattr(blocks, "READ_BLOCK", 900)
    calls = {"n": 0}
    original = ingest._map_block

    def fail_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(ingest, "_map_block", fail_on_third)
    with pytest.raises(KeyboardInterrupt):
        import_files(project, path)
    assert not [t for t in threading.enumerate() if t.name.startswith("pantau-read")]
    assert query(project, "SELECT count(*) AS n FROM posts")[0]["n"] == 0
    assert list((project.root / "raw").iterdir()) == []


def test_reading_blocks_does_not_import_pandas():
    """pa.array(ndarray) imports pandas on first use (0.3 s of every import)."""
    code = ("import sys, io\nfrom pantau.ingest import blocks\n"
            "for b in blocks.line_blocks(io.BytesIO(b'{}\\n{}\\n')): b.prepare()\n"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (out.returncode, out.stdout.strip()) == (0, "False"), out.stderr
