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
the current one (read_ahead).

    __init__.py  orchestration: files -> formats -> staging -> one transaction per file
    blocks.py    NDJSON as blocks of whole lines for DuckDB (the vectorised path)
    rawkeep.py   the hash of the file as stored and its kept copy under raw/
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from .. import formats
from ..formats import Format, MapContext, RawRecord, Rejected
from ..formats.base import READERS, parse_json_line
from ..project import ProjectConfig, sync_config
from ..records import Account, Comment, Metric, Post, check_types
from ..sources import Source, Unreadable, expand
from ..store import Connection, transaction
from ..store.staging import STAGE_DDL, STAGES, MappedBatch, MergeCounts, StagingWriter
from .blocks import LineBlock, line_blocks, read_ahead
from .rawkeep import RawKeeper

BATCH_RECORDS = 5000
BATCH_ROWS = 20000
EARLY_HASH_BYTES = 64 << 20


@dataclass
class FileSummary:
    """One file's import: what it is, what became of it, and what the merge did with its
    rows (the fields of MergeCounts, added by add())."""

    source: str
    format: str = ""
    status: str = "imported"  # imported | skipped (already imported) | refused | failed
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

    def add(self, counts: MergeCounts) -> None:
        """Count what the staging merge did."""
        for f in fields(MergeCounts):
            setattr(self, f.name, getattr(self, f.name) + getattr(counts, f.name))


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
        if isinstance(source, Unreadable):
            summaries.append(FileSummary(source.name, status="failed",
                                         message=f"{source.name}: {source.reason}"))
            continue
        try:
            if source.size() == 0:
                summaries.append(FileSummary(source.name, status="refused",
                                             message=f"{source.name}: the file is empty"))
                continue
            fmt = forced or formats.detect(source, config=config)
        except formats.FormatError as exc:
            summaries.append(FileSummary(source.name, status="refused", message=str(exc)))
            continue
        except file_errors() as exc:  # a damaged or unreadable file: a line, the rest goes on
            _raise_if_fatal(exc)
            summaries.append(FileSummary(source.name, status="failed",
                                         message=f"{source.name}: {failure_reason(exc)}"))
            continue
        progress = on_file_start(source, fmt, source.size()) if on_file_start else None
        try:
            summaries.append(import_source(con, config, source, fmt, raw_dir=raw_dir,
                                           progress=progress))
        except file_errors() as exc:  # rolled back: nothing of this file is in the store
            _raise_if_fatal(exc)
            summaries.append(FileSummary(source.name, fmt.name, status="failed",
                                         message=f"{source.name}: {failure_reason(exc)} "
                                         "(nothing of this file was stored)"))
    return summaries


def file_errors() -> tuple[type[BaseException], ...]:
    """What a damaged or unreadable file raises (a bug raises something else, and shows)."""
    import lzma
    import zipfile
    import zlib

    import duckdb

    from ..errors import PantauError

    try:
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        InvalidFileException = ValueError  # noqa: N806
    return (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, RuntimeError,
            NotImplementedError, PantauError, duckdb.Error, UnicodeError, ValueError,
            KeyError, InvalidFileException)


def failure_reason(exc: BaseException) -> str:
    """One line saying why a file could not be read."""
    import lzma
    import zipfile
    import zlib

    from ..errors import PantauError

    if isinstance(exc, PantauError):
        return exc.message + (f" ({exc.hint})" if exc.hint else "")
    text = (str(exc).splitlines() or [""])[0][:200]
    if isinstance(exc, EOFError):
        return "the compressed file is truncated (it ends before its end marker)"
    if isinstance(exc, zlib.error | lzma.LZMAError) or "Invalid data stream" in text \
            or "Not a gzipped file" in text:
        return f"the compressed data is damaged ({text})"
    if isinstance(exc, zipfile.BadZipFile):
        return f"not a readable zip or xlsx file ({text})"
    if isinstance(exc, RuntimeError) and "encrypted" in text:
        return "the zip member is encrypted (password protected)"
    if isinstance(exc, PermissionError):
        return "no permission to read it"
    if isinstance(exc, OSError):
        return f"cannot read it: {exc.strerror or text}"
    return f"cannot read it: {type(exc).__name__}: {text}"


def _raise_if_fatal(exc: BaseException) -> None:
    """Running out of disk is not one file's problem: the whole command stops (the file's
    transaction is rolled back) with what to do."""
    import errno

    from ..errors import ConfigError, PantauError

    if isinstance(exc, ConfigError):  # pantau.toml is wrong for every file: stop, name the key
        raise exc
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or \
            "No space left on device" in text or "no space left" in text.lower():
        device = _device_of(text)
        raise PantauError(
            f"no space left on {device} while writing {_file_in(text)}: the file being "
            "imported was rolled back; earlier files stay imported",
            "free some space (or move the project to a larger disk) and run the same "
            "import again; files already imported are skipped") from None
    if isinstance(exc, MemoryError):
        raise exc


def _file_in(text: str) -> str:
    import re

    found = re.search(r'"(/[^"]+)"', text) or re.search(r"(/\S+)", text)
    return found.group(1) if found else "the store"


def _device_of(text: str) -> str:
    import os

    path = _file_in(text)
    try:
        dev = os.stat(os.path.dirname(path) if path.startswith("/") else ".").st_dev
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                if len(parts) > 1 and os.path.exists(parts[1]) and \
                        os.stat(parts[1]).st_dev == dev:
                    return f"{parts[0]} ({parts[1]})"
    except OSError:
        pass
    return "the disk"


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
    keeper = RawKeeper(source, raw_dir)
    kept: Path | None = None
    con.execute(STAGE_DDL)
    try:
        writer = StagingWriter(con, fmt.name, ctx.file_modified or _now())
        # Only line_blocks may lend its buffers to the keeper (see Tee); other readers and
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
        with transaction(con):
            import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
            summary.import_id = import_id
            summary.add(writer.merge_all(import_id))
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


def _drop_stages(con: Connection) -> None:
    try:
        for stage in STAGES:
            con.execute(f"DROP TABLE IF EXISTS temp.{stage}")
    except Exception:  # the connection may be gone after Ctrl-C; it takes temp tables along
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


def _import_vectorised(fmt: Format, stream, ctx: MapContext, writer: StagingWriter,
                       summary: FileSummary) -> None:
    """Let DuckDB parse and map each block of lines; the Python mapper takes the leftovers."""
    con = writer.con
    with contextlib.closing(read_ahead(line_blocks(stream))) as blocks:
        for block in blocks:
            _map_block(fmt, con, block, ctx, writer, summary)


def _map_block(fmt: Format, con: Connection, block: LineBlock, ctx: MapContext,
               writer: StagingWriter, summary: FileSummary) -> None:
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
        assert fmt.sql_batch is not None  # the vectorised path is taken only with one
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
        for row in rows:
            check_types(row)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError,
            RecursionError) as exc:
        batch.rejects.append((record.line_no, f"{type(exc).__name__}: {exc}"[:500],
                              record.text))
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


def _skip_if_imported(con: Connection, digest: str, summary: FileSummary) -> bool:
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
    summary.records = 0
    for f in fields(MergeCounts):
        setattr(summary, f.name, 0)
    return summary


def _kept_by_earlier_import(con: Connection, kept: Path, raw_dir: Path | None) -> bool:
    if raw_dir is None:
        return False
    row = con.execute("SELECT 1 FROM imports WHERE raw_path = ?",
                      [str(kept.relative_to(raw_dir.parent))]).fetchone()
    return row is not None


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
