"""Streaming import: files -> raw records -> mapped rows -> batched merges into the store.

Guarantees (tested): one transaction per file, so an interrupted import leaves nothing of that
file; idempotent, so the same file twice adds no row (identical files are recognised by hash and
skipped, and every merge is keyed); a record that cannot be read or mapped goes to `rejects`
with its line, reason and raw text while the import goes on; every imported file is kept
byte for byte under the project's raw/ folder (`imports.raw_path`), so a better mapper can
re-read it.

Rows reach the store through staging tables: Python mappers append Arrow batches to them, and
formats with a vectorised SQL mapping (`Format.sql_batch`) fill them inside DuckDB, handing back
only the records they cannot map for the Python mapper. Each batch is then merged by key.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from . import formats
from .formats import Format, MapContext, RawRecord, Rejected
from .formats.base import READERS, parse_json_line
from .project import ProjectConfig, sync_config
from .records import Account, Comment, Metric, Post
from .sources import Source, expand
from .staging import STAGE_DDL, STAGES, MappedBatch, StagingWriter

BATCH_RECORDS = 5000
BATCH_ROWS = 20000
PARSE_CHUNKS = 8  # record batches per block, so DuckDB parses on every core
READ_BLOCK = 64 << 20  # bytes of lines mapped by DuckDB at once
EARLY_HASH_BYTES = 64 << 20


@dataclass
class FileSummary:
    source: str
    format: str = ""
    status: str = "imported"  # imported | skipped (already imported) | refused
    records: int = 0
    posts: int = 0
    comments: int = 0
    accounts: int = 0
    metrics: int = 0
    duplicates: int = 0
    rejected: int = 0
    seconds: float = 0.0
    message: str = ""
    import_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


ProgressFn = Callable[[int], None]

def import_paths(
    con,
    config: ProjectConfig,
    paths: list[str],
    *,
    format_name: str | None = None,
    raw_dir: Path | None = None,
    on_file_start: Callable[[Source, Format, int], ProgressFn | None] | None = None,
) -> list[FileSummary]:
    """Import every file under `paths`. Unknown files are refused, not guessed."""
    summaries: list[FileSummary] = []
    forced = formats.get_format(format_name) if format_name else None
    for source in expand(paths):
        try:
            fmt = forced or formats.detect(source, config=config)
        except formats.FormatError as exc:
            summaries.append(FileSummary(source.name, status="refused", message=str(exc)))
            continue
        progress = on_file_start(source, fmt, source.size()) if on_file_start else None
        summaries.append(import_source(con, config, source, fmt, raw_dir=raw_dir,
                                       progress=progress))
    return summaries


def import_source(
    con, config: ProjectConfig, source: Source, fmt: Format, *, raw_dir: Path | None = None,
    progress: ProgressFn | None = None,
) -> FileSummary:
    started = time.perf_counter()
    summary = FileSummary(source.name, fmt.name)
    size = source.size()
    digest: str | None = None
    if size < EARLY_HASH_BYTES:  # cheap: recognise an already imported file before reading it
        digest = source.sha256()
        if _skip_if_imported(con, digest, summary):
            return summary
    started_at = _now()
    ctx = MapContext(source_name=source.name, file_modified=source.modified_utc())
    if fmt.prepare is not None:
        ctx.options = fmt.prepare(config, source.name)
    # Hashing and keeping the raw file run in a thread while the records are read, so a large
    # file is not read three times in a row (hash, copy, import).
    keeper = _RawKeeper(source, raw_dir)
    keeper.start()
    kept: Path | None = None
    con.execute(STAGE_DDL)
    try:
        writer = StagingWriter(con, fmt.name, ctx.file_modified or _now(), summary)
        with source.open() as raw_stream:
            stream = _CountingStream(raw_stream, progress) if progress else raw_stream
            if fmt.sql_batch is not None and fmt.reader == "ndjson":
                _import_vectorised(fmt, stream, ctx, writer, summary)
            else:
                _import_python(fmt, stream, ctx, writer, summary)
        digest, kept = keeper.finish()
        if _skip_if_imported(con, digest, summary):
            if kept is not None and not _kept_by_earlier_import(con, kept, raw_dir):
                kept.unlink(missing_ok=True)
            return _reset_counts(summary)
        con.execute("BEGIN TRANSACTION")
        try:
            import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
            summary.import_id = import_id
            writer.merge_all(import_id)
            con.execute(
                "INSERT INTO imports (import_id, path, sha256, size_bytes, raw_path, format, "
                "started_at, finished_at, status, records, posts, comments, accounts, metrics, "
                "duplicates, rejected) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?)",
                [import_id, source.name, digest, size,
                 str(kept.relative_to(raw_dir.parent)) if kept and raw_dir else None, fmt.name,
                 started_at, _now(), summary.records, summary.posts, summary.comments,
                 summary.accounts, summary.metrics, summary.duplicates, summary.rejected],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except BaseException:
        keeper.abandon()
        if kept is not None and not _kept_by_earlier_import(con, kept, raw_dir):
            kept.unlink(missing_ok=True)
        raise
    finally:
        _drop_stages(con)
    sync_config(con, config)
    summary.seconds = time.perf_counter() - started
    return summary


def _drop_stages(con) -> None:
    try:
        for stage in STAGES:
            con.execute(f"DROP TABLE IF EXISTS {stage}")
    except Exception:  # the connection may be gone after Ctrl-C; the next import drops them
        pass


def _import_python(fmt: Format, stream, ctx: MapContext, writer: StagingWriter,
                   summary: FileSummary) -> None:
    batch = MappedBatch()
    for record in READERS[fmt.reader](stream):
        summary.records += 1
        _map_record(fmt, record, ctx, batch)
        if batch.records >= BATCH_RECORDS or batch.size() >= BATCH_ROWS:
            writer.write(batch)
            batch = MappedBatch()
    writer.write(batch)


@dataclass
class _LineBlock:
    """A block of complete lines, kept as one buffer with line offsets (no per-line objects)."""

    first_line_no: int
    data: memoryview
    offsets: np.ndarray  # int64, len = lines + 1; line i is data[offsets[i]:offsets[i + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def line(self, i: int) -> bytes:
        return bytes(self.data[self.offsets[i]:self.offsets[i + 1]])

    def table(self) -> pa.Table:
        """line_no + line as Arrow, zero-copy over the block, in several record batches so
        DuckDB parses on every core. Raises pa.ArrowInvalid on invalid UTF-8."""
        n = len(self)
        lines = pa.LargeStringArray.from_buffers(
            n, pa.py_buffer(self.offsets), pa.py_buffer(self.data))
        lines.validate(full=True)
        numbers = pa.array(np.arange(self.first_line_no, self.first_line_no + n,
                                     dtype=np.int64))
        step = max(1, n // PARSE_CHUNKS + 1)
        return pa.Table.from_batches([
            pa.record_batch([numbers.slice(i, step), lines.slice(i, step)],
                            names=["line_no", "line"])
            for i in range(0, n, step)
        ])


def _line_blocks(stream) -> Iterator[_LineBlock]:
    """The stream as blocks of whole lines; newline offsets found with numpy, not Python."""
    line_no = 1
    rest = b""
    while True:
        chunk = stream.read(READ_BLOCK)
        data = rest + chunk if rest else chunk
        if chunk:
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            rest = data[cut + 1:]
            view = memoryview(data)[:cut + 1]  # no copy of the block
        elif not data:
            return
        else:
            rest = b""
            view = memoryview(data if data.endswith(b"\n") else data + b"\n")
        ends = np.flatnonzero(np.frombuffer(view, np.uint8) == 10)
        offsets = np.empty(len(ends) + 1, np.int64)
        offsets[0] = 0
        offsets[1:] = ends + 1
        yield _LineBlock(line_no, view, offsets)
        line_no += len(ends)
        if not chunk:
            return


def _import_vectorised(fmt: Format, stream, ctx: MapContext, writer: StagingWriter,
                       summary: FileSummary) -> None:
    """Let DuckDB parse and map each block of lines; the Python mapper takes the leftovers."""
    con = writer.con
    for block in _line_blocks(stream):
        table: pa.Table | None = None
        try:
            table = block.table()
        except pa.ArrowInvalid:  # invalid UTF-8 somewhere: map this block line by line
            leftovers = set(range(block.first_line_no, block.first_line_no + len(block)))
        else:
            con.register("batch_lines", table)
            # strlen is O(1); only short lines can be blank, so trim only those.
            blank_line = ("strlen(line) < 64 AND "
                          "trim(line, ' ' || chr(9) || chr(10) || chr(13)) = ''")
            con.execute("CREATE OR REPLACE TEMP VIEW batch_records AS SELECT * FROM batch_lines "
                        f"WHERE NOT ({blank_line})")
            leftovers = set(fmt.sql_batch(con, "batch_records"))
            blank = con.execute(
                f"SELECT count(*) FROM batch_lines WHERE {blank_line}").fetchone()[0]
            con.execute("DROP VIEW batch_records")
            con.unregister("batch_lines")
            summary.records += len(block) - blank
        if not leftovers:
            continue
        batch = MappedBatch()
        for line_no in sorted(leftovers):
            text = block.line(line_no - block.first_line_no).strip()
            if not text:  # a long whitespace-only line the SQL filter let through
                summary.records -= table is not None
                continue
            if table is None:
                summary.records += 1
            _map_record(fmt, parse_json_line(line_no, text), ctx, batch)
        writer.write(batch)


def _map_record(fmt: Format, record: RawRecord, ctx: MapContext, batch: MappedBatch) -> None:
    batch.records += 1
    if record.error is not None:
        batch.rejects.append((record.line_no, record.error, record.text))
        return
    try:
        rows = list(fmt.map(record.data, ctx))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        batch.rejects.append((record.line_no, f"{type(exc).__name__}: {exc}", record.text))
        return
    mapped = 0
    for row in rows:
        if isinstance(row, Post):
            batch.posts.append(row)
        elif isinstance(row, Comment):
            batch.comments.append(row)
        elif isinstance(row, Account):
            batch.accounts.append(row)
        elif isinstance(row, Metric):
            batch.metrics.append(row)
        elif isinstance(row, Rejected):
            raw = row.raw if isinstance(row.raw, str) else orjson.dumps(
                row.raw, default=str).decode()
            batch.rejects.append((record.line_no, row.reason, raw))
            continue
        mapped += 1
    if mapped == 0 and not any(isinstance(r, Rejected) for r in rows):
        batch.rejects.append((record.line_no, "the record holds no post, comment or account "
                              f"that {fmt.name} can read", record.text))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _skip_if_imported(con, digest: str, summary: FileSummary) -> bool:
    previous = con.execute(
        "SELECT import_id FROM imports WHERE sha256 = ? AND status = 'done' LIMIT 1", [digest]
    ).fetchone()
    if not previous:
        return False
    summary.status = "skipped"
    summary.import_id = previous[0]
    summary.message = f"already imported (import {previous[0]}); nothing added"
    return True


def _reset_counts(summary: FileSummary) -> FileSummary:
    for name in ("records", "posts", "comments", "accounts", "metrics", "duplicates", "rejected"):
        setattr(summary, name, 0)
    return summary


def _kept_by_earlier_import(con, kept: Path, raw_dir: Path | None) -> bool:
    if raw_dir is None:
        return False
    row = con.execute("SELECT 1 FROM imports WHERE raw_path = ?",
                      [str(kept.relative_to(raw_dir.parent))]).fetchone()
    return row is not None


class _RawKeeper(threading.Thread):
    """Reads the file as given once: hashes it and, with a raw folder, keeps a copy.

    The copy is written under a temporary name and renamed to `{sha256[:16]}-{name}` once the
    hash is known (content-addressed: the same file is kept once)."""

    def __init__(self, source: Source, raw_dir: Path | None) -> None:
        super().__init__(daemon=True)
        self.source = source
        self.raw_dir = raw_dir
        self.digest: str | None = None
        self.partial: Path | None = None
        self.error: BaseException | None = None
        self._stop_requested = threading.Event()

    def run(self) -> None:
        try:
            sink = None
            if self.raw_dir is not None:
                self.raw_dir.mkdir(parents=True, exist_ok=True)
                self.partial = self.raw_dir / f".{uuid.uuid4().hex}.partial"
                sink = open(self.partial, "wb")  # noqa: SIM115 - closed below
            try:
                digest = hashlib.sha256()
                if self.source.member is not None:
                    digest.update(self.source.path.name.encode())
                    digest.update(self.source.member.encode())
                with self.source.open_raw() as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        if self._stop_requested.is_set():
                            return
                        digest.update(block)
                        if sink is not None:
                            sink.write(block)
                self.digest = digest.hexdigest()
            finally:
                if sink is not None:
                    sink.close()
        except BaseException as exc:  # reported to the importing thread by finish()
            self.error = exc

    def finish(self) -> tuple[str, Path | None]:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.digest is not None
        if self.partial is None:
            return self.digest, None
        name = self.source.member.rsplit("/", 1)[-1] if self.source.member \
            else self.source.path.name
        target = self.partial.with_name(f"{self.digest[:16]}-{name}")
        if target.exists():
            self.partial.unlink()
        else:
            self.partial.replace(target)
        self.partial = None
        return self.digest, target

    def abandon(self) -> None:
        self._stop_requested.set()
        self.join()
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)


class _CountingStream:
    """Reports bytes read to a progress callback (on the decompressed stream)."""

    def __init__(self, stream, progress: ProgressFn) -> None:
        self._stream = stream
        self._progress = progress

    def __iter__(self):
        for line in self._stream:
            self._progress(len(line))
            yield line

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._progress(len(data))
        return data

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
