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
On that path the next block of lines is read and checked in a thread while DuckDB maps
the current one (_read_ahead).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from . import formats
from .errors import PantauError
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
SCAN_CHUNK = 8 << 20  # bytes searched for newlines at once (bounds the flag array)
RAW_BUFFER = 1 << 20  # read size for the Python readers and decompressors
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


# Called with the bytes read so far; from the reading thread on the vectorised path.
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
    # The file is read once: its bytes as stored pass through the keeper, which hashes them
    # and, with a raw folder, writes the kept copy, in a thread, while DuckDB maps them.
    vectorised = fmt.sql_batch is not None and fmt.reader == "ndjson"
    keeper = _RawKeeper(source, raw_dir)
    kept: Path | None = None
    _drop_stored_stages(con)
    con.execute(STAGE_DDL)
    try:
        writer = StagingWriter(con, fmt.name, ctx.file_modified or _now(), summary)
        # Only _line_blocks may lend its buffers to the keeper (see _Tee); other readers and
        # decompressors get buffered reads the keeper copies.
        raw_stream = keeper.open(lend=vectorised and not source.compressed)
        stream = _CountingStream(raw_stream, progress) if progress else raw_stream
        if vectorised:
            _import_vectorised(fmt, stream, ctx, writer, summary)
        else:
            _import_python(fmt, stream, ctx, writer, summary)
        digest = keeper.digest()
        if _skip_if_imported(con, digest, summary):
            keeper.abandon()  # the file is kept since that earlier import
            return _reset_counts(summary)
        con.execute("BEGIN TRANSACTION")
        try:
            import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
            summary.import_id = import_id
            writer.merge_all(import_id)
            kept = keeper.keep(digest)  # the copy went on during the merge
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
            con.execute(f"DROP TABLE IF EXISTS temp.{stage}")
    except Exception:  # the connection may be gone after Ctrl-C; it takes temp tables along
        pass


def _drop_stored_stages(con) -> None:
    """Staging tables were stored tables before they were TEMP ones; an import interrupted
    then may have left some in the store."""
    names = ", ".join(f"'{stage}'" for stage in STAGES)
    for database, table in con.execute(
        "SELECT database_name, table_name FROM duckdb_tables() "
        f"WHERE NOT temporary AND schema_name = 'main' AND table_name IN ({names})"
    ).fetchall():
        con.execute(f'DROP TABLE "{database}".main.{table}')


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
    # Set by prepare(): the lines as Arrow (None when the block holds invalid UTF-8) and the
    # number of whitespace-only lines.
    arrow: pa.Table | None = None
    blank: int = 0

    def prepare(self) -> _LineBlock:
        """The per-block work done outside DuckDB, so _read_ahead can do it in its thread."""
        try:
            self.arrow = self.table()
        except pa.ArrowInvalid:
            self.arrow = None
        else:
            self.blank = self.blank_lines()
        return self

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def line(self, i: int) -> bytes:
        return bytes(self.data[self.offsets[i]:self.offsets[i + 1]])

    def blank_lines(self) -> int:
        """How many lines hold only whitespace, newline included. Counted among the lines
        shorter than 64 bytes only: a longer blank line is found when its JSON fails."""
        short = np.flatnonzero(np.diff(self.offsets) < 64)
        return sum(1 for i in short if not self.line(int(i)).strip(b" \t\n\r"))

    def table(self) -> pa.Table:
        """line_no + line as Arrow, zero-copy over the block, in several record batches so
        DuckDB parses on every core. Raises pa.ArrowInvalid on invalid UTF-8."""
        n = len(self)
        lines = pa.LargeStringArray.from_buffers(
            n, pa.py_buffer(self.offsets), pa.py_buffer(self.data))
        lines.validate(full=True)
        # from_buffers, not pa.array(ndarray): that one imports pandas (0.3 s) on first use
        numbers = pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(
            np.arange(self.first_line_no, self.first_line_no + n, dtype=np.int64))])
        step = max(1, n // PARSE_CHUNKS + 1)
        return pa.Table.from_batches([
            pa.record_batch([numbers.slice(i, step), lines.slice(i, step)],
                            names=["line_no", "line"])
            for i in range(0, n, step)
        ])


def _line_blocks(stream) -> Iterator[_LineBlock]:
    """The stream as blocks of whole lines; newline offsets found with numpy, not Python.

    Blocks are read (readinto) into two buffers used in turn: a fresh 64 MB allocation per
    block costs more in page faults than the read itself. A block is valid until the one after
    the next is asked for (so _read_ahead may read block N+1 while block N is mapped). A buffer
    is written again only after a read into the other one has returned, which is what lending
    buffers to the raw keeper requires (see _Tee)."""
    buffers = [bytearray(READ_BLOCK + 1), bytearray(READ_BLOCK + 1)]  # +1: final newline
    flags = np.empty(SCAN_CHUNK, np.bool_)
    line_no = 1
    carry = memoryview(b"")  # the unfinished last line of the previous block
    turn = 0
    while True:
        if len(carry) >= len(buffers[turn]) - 1:  # a line longer than a block: grow
            buffers[turn] = bytearray(2 * len(carry) + 2)
        buf = buffers[turn]
        view = memoryview(buf)
        filled = len(carry)
        view[:filled] = carry
        end = len(buf) - 1
        eof = False
        while filled < end:
            n = stream.readinto(view[filled:end])
            if not n:
                eof = True
                break
            filled += n
        if eof:
            if not filled:
                return
            if buf[filled - 1] != 10:
                buf[filled] = 10
                filled += 1
            cut = filled
        else:
            cut = buf.rfind(b"\n", 0, filled) + 1
            if not cut:  # no newline in a full buffer: carry all of it into a larger one,
                # in this turn's place (the other buffer holds the block before, still in use)
                carry = view[:filled]
                buffers[turn] = bytearray(2 * filled + 2)
                continue
        block = view[:cut]
        offsets = _line_offsets(block, flags)
        yield _LineBlock(line_no, block, offsets)
        line_no += len(offsets) - 1
        if eof:
            return
        carry = view[cut:filled]
        turn ^= 1


def _read_ahead(blocks: Iterator[_LineBlock]) -> Iterator[_LineBlock]:
    """The blocks of `blocks`, prepared; block N+1 is read, split and checked in a thread
    while the caller maps block N. DuckDB and the reads, numpy and Arrow calls all release the
    GIL, so this puts the second core to work where the import was serial.

    The caller must be done with a block when it asks for the next: only then is the one after
    that read, into the buffer the finished block used (see _line_blocks)."""

    def produce() -> _LineBlock | None:
        block = next(blocks, None)
        return block.prepare() if block is not None else None

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-read")
    pending: Future | None = None
    try:
        pending = pool.submit(produce)
        while (block := pending.result()) is not None:
            pending = pool.submit(produce)
            yield block
        pending = None
    finally:
        # Stopped early (an error, Ctrl-C): the reader must be idle before the stream closes.
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                pending.result()
        pool.shutdown(wait=True)
        if isinstance(blocks, Generator):
            blocks.close()


def _line_offsets(data: memoryview, flags: np.ndarray) -> np.ndarray:
    """Start offsets of the lines in `data` (which ends with a newline), plus its length."""
    octets = np.frombuffer(data, np.uint8)
    parts = [np.zeros(1, np.int64)]
    for start in range(0, len(octets), len(flags)):
        piece = octets[start:start + len(flags)]
        found = flags[:len(piece)]
        np.equal(piece, 10, out=found)  # into a reused array: no allocation per block
        parts.append(np.flatnonzero(found) + (start + 1))
    return np.concatenate(parts)


def _import_vectorised(fmt: Format, stream, ctx: MapContext, writer: StagingWriter,
                       summary: FileSummary) -> None:
    """Let DuckDB parse and map each block of lines; the Python mapper takes the leftovers."""
    con = writer.con
    with contextlib.closing(_read_ahead(_line_blocks(stream))) as blocks:
        for block in blocks:
            _map_block(fmt, con, block, ctx, writer, summary)


def _map_block(fmt: Format, con, block: _LineBlock, ctx: MapContext, writer: StagingWriter,
               summary: FileSummary) -> None:
    table = block.arrow
    if table is None:  # invalid UTF-8 somewhere: map this block line by line
        leftovers = set(range(block.first_line_no, block.first_line_no + len(block)))
    else:
        blank = block.blank
        if blank:  # rare: a view leaves them out (the trim matches blank_lines())
            con.register("batch_lines", table)
            con.execute(
                "CREATE OR REPLACE TEMP VIEW batch_records AS SELECT * FROM batch_lines "
                "WHERE NOT (strlen(line) < 64 AND "
                "trim(line, ' ' || chr(9) || chr(10) || chr(13)) = '')")
        else:
            con.register("batch_records", table)
        try:
            leftovers = set(fmt.sql_batch(con, "batch_records"))
        finally:
            if blank:
                con.execute("DROP VIEW batch_records")
                con.unregister("batch_lines")
            else:
                con.unregister("batch_records")
        summary.records += len(block) - blank
    if not leftovers:
        return
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


class _RawKeeper:
    """Hashes the bytes of the file as stored, from the same reads the import makes (so a
    large file is not read twice), in a worker thread one read behind the importer; and with a
    raw folder keeps a copy of them.

    A file on disk is copied by the kernel (sendfile) in a second thread: on the machines we
    measured, writing the copy from Python costs several times the CPU. Its size and mtime are
    checked at the end, so a file changed during the import is refused rather than kept and
    hashed from two different versions. A zip member (no file of its own) is written from the
    reads. The copy gets a temporary name, renamed to `{sha256[:16]}-{name}` once the hash is
    known (content-addressed: the same file is kept once)."""

    def __init__(self, source: Source, raw_dir: Path | None) -> None:
        self.source = source
        self.raw_dir = raw_dir
        self.partial: Path | None = None
        self._digest = hashlib.sha256()
        if source.member is not None:
            self._digest.update(source.path.name.encode())
            self._digest.update(source.member.encode())
        self._sink: Any = None
        self._tee: _Tee | None = None
        self._stream: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-hash")
        self._copy_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-copy")
        self._pending: Future | None = None
        self._copier: Future | None = None
        self._stop = threading.Event()
        self._stat: tuple[int, int] | None = None

    def open(self, *, lend: bool) -> Any:
        """The stream to import from (decompressed when the file is). With `lend`, the plain
        tee itself, read only by _line_blocks; otherwise buffered reads the keeper copies."""
        if self.source.member is None:
            self._stat = _stat(self.source.path)
        if self.raw_dir is not None:
            self.raw_dir.mkdir(parents=True, exist_ok=True)
            self.partial = self.raw_dir / f".{uuid.uuid4().hex}.partial"
            if self.source.member is None:
                self._copier = self._copy_pool.submit(
                    _copy_file, self.source.path, self.partial, self._stop)
            else:
                self._sink = open(self.partial, "wb")  # noqa: SIM115 - closed by _close
        self._tee = _Tee(self.source.open_raw(), self, lend=lend)
        if lend:
            self._stream = self._tee
        else:
            self._stream = self.source.decompress(
                io.BufferedReader(self._tee, buffer_size=RAW_BUFFER))
        return self._stream

    def feed(self, data: Any) -> None:
        self.wait()
        self._pending = self._worker.submit(self._take, data)

    def _take(self, data: Any) -> None:
        self._digest.update(data)
        if self._sink is not None:
            self._sink.write(data)

    def wait(self) -> None:
        """Until the worker is done with everything fed so far (raises what it raised)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def digest(self) -> str:
        """Read what the importer left unread (a format may stop early): the file's sha256.
        The copy may still be running (it is waited for by keep)."""
        assert self._tee is not None
        self._tee.drain()
        self._close()
        self._check_unchanged()
        return self._digest.hexdigest()

    def keep(self, digest: str) -> Path | None:
        """The kept copy, complete and under its final name (None without a raw folder)."""
        self._wait_copier()
        if self.partial is None:
            return None
        self._check_unchanged()  # the copy read the file once more
        if self._stat is not None and self.partial.stat().st_size != self._stat[0]:
            raise PantauError(f"the copy of {self.source.name} kept under raw/ is incomplete",
                              "check the free space of the project's disk, then import again")
        name = self.source.member.rsplit("/", 1)[-1] if self.source.member \
            else self.source.path.name
        target = self.partial.with_name(f"{digest[:16]}-{name}")
        if target.exists():
            self.partial.unlink()
        else:
            self.partial.replace(target)
        self.partial = None
        return target

    def abandon(self) -> None:
        self._stop.set()
        with contextlib.suppress(Exception):  # already failing: report the original error
            self._close()
        with contextlib.suppress(Exception):
            self._wait_copier()
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)
            self.partial = None

    def _check_unchanged(self) -> None:
        if self._stat is not None and _stat(self.source.path) != self._stat:
            raise PantauError(f"{self.source.name} changed while it was being imported",
                              "import it again once whatever writes it has finished")

    def _wait_copier(self) -> None:
        try:
            if self._copier is not None:
                copier, self._copier = self._copier, None
                copier.result()
        finally:
            self._copy_pool.shutdown(wait=True)

    def _close(self) -> None:
        try:
            self.wait()
        finally:
            self._worker.shutdown(wait=True)
            for closable in (self._stream, self._sink):
                if closable is not None:
                    closable.close()
            if self._tee is not None:
                self._tee.close_raw()
            self._stream = self._tee = self._sink = None


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _copy_file(source: Path, target: Path, stop: threading.Event) -> None:
    """source -> target in the kernel where it can: copy_file_range (a reflink on file systems
    that have them, so no bytes move; a copy that stays put if the original is edited), else
    sendfile, else reads and writes (macOS, Windows). In chunks, so an abandoned import stops
    it."""
    chunk = 64 << 20
    ways = [way for way in ("copy_file_range", "sendfile") if hasattr(os, way)]
    with open(source, "rb", buffering=0) as src, open(target, "wb", buffering=0) as dst:
        fin, fout = src.fileno(), dst.fileno()
        size = os.fstat(fin).st_size
        way = ways.pop(0) if ways else "read"
        copied = 0
        while not stop.is_set():
            try:
                if way == "copy_file_range":
                    done = os.copy_file_range(fin, fout, chunk)
                elif way == "sendfile":
                    done = os.sendfile(fout, fin, None, chunk)
                else:
                    data = os.read(fin, chunk)
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fout, view):]
                    done = len(data)
            except OSError:
                if way == "read":
                    raise
                way = ways.pop(0) if ways else "read"  # both fds are where the copy stands
                continue
            if not done:
                if copied >= size or way == "read":
                    return
                # some file systems answer 0 before the end to an in-kernel copy
                way = ways.pop(0) if ways else "read"
            copied += done


class _Tee(io.RawIOBase):
    """The bytes as stored, read from `raw`, each read also fed to the keeper.

    A read first waits until the keeper is done with the previous one. With `lend`, the keeper
    is handed the caller's buffer itself, not a copy: the caller must leave what a read wrote
    untouched until its next read has returned (_line_blocks does). io.BufferedReader gives no
    such promise, so without `lend` every read is copied (RAW_BUFFER at a time: cheap)."""

    def __init__(self, raw: Any, keeper: _RawKeeper, *, lend: bool) -> None:
        super().__init__()
        self._raw = raw
        self._keeper = keeper
        self._lend = lend

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._keeper.wait()
        n = self._raw.readinto(buffer) or 0
        if n:
            view = memoryview(buffer).cast("B")[:n]
            self._keeper.feed(view if self._lend else bytes(view))
        return n

    def drain(self) -> None:
        """Feed the keeper what the importer left unread, even once a reader closed the tee
        (a TextIOWrapper closes the stream it wraps when it is collected)."""
        scratch = bytearray(RAW_BUFFER)
        while self.readinto(scratch):
            pass

    def close_raw(self) -> None:
        self.close()
        self._raw.close()


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

    def readinto(self, buffer: Any) -> int:
        n = self._stream.readinto(buffer) or 0
        self._progress(n)
        return n

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
