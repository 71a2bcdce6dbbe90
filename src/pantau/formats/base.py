"""What a format is: how to sniff it, how to read its records, and how to map each record.

A format module defines one `Format` and registers it. Mapping functions are pure: a raw record
(already parsed) in, typed rows out. A field the record lacks becomes None. A sub-item that
cannot be mapped is yielded as `Rejected` so the rest of the record still imports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

import orjson

from ..records import Row

SNIFF_BYTES = 256 * 1024
WHOLE_DOCUMENT_LIMIT = 512 * 1024 * 1024  # a single JSON document larger than this is refused


@dataclass(slots=True)
class Rejected:
    """A sub-item a mapper could not map; stored in `rejects` with the reason."""

    reason: str
    raw: Any = None


@dataclass(slots=True)
class RawRecord:
    line_no: int  # 1-based line (NDJSON, CSV) or record number; 1 for a whole document
    text: str  # the record as it stood in the file (stays in the kept raw file: `pantau raw`)
    data: Any = None  # parsed value; None when parsing failed
    error: str | None = None


@dataclass
class MapContext:
    """What a mapper may know beyond the record itself."""

    source_name: str = ""
    file_modified: datetime | None = None  # fallback capture time when the format has none
    options: dict[str, Any] = field(default_factory=dict)  # e.g. a spreadsheet column mapping


@dataclass
class Probe:
    """The start of a file, read once, for every format's sniff function."""

    name: str  # file name without compression suffix
    head: bytes
    kind: str  # "ndjson" | "json" | "csv" | "xlsx" | "unknown"
    first: Any = None  # first NDJSON record or the parsed JSON document (if small)
    columns: list[str] = field(default_factory=list)  # CSV/XLSX header
    config: Any = None  # the project's config when known (spreadsheet mappings live there)


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    file_kinds: str
    reader: str  # "ndjson" | "json" | "auto" (either) | "csv" | "xlsx"
    sniff: Callable[[Probe], bool]
    map: Callable[[Any, MapContext], Iterable[Row | Rejected]]
    platform: str | None = None
    # Higher runs first when sniffing, so a specific format wins over a generic one.
    priority: int = 0
    # Formats that need options from pantau.toml (spreadsheets) can prepare them here.
    prepare: Callable[[Any, str], dict[str, Any]] | None = None
    # Optional vectorised mapping for NDJSON formats (large files): given a connection and the
    # name of a registered table (line_no BIGINT, line VARCHAR), it fills the ingest staging
    # tables (see staging.STAGE_DDL) inside DuckDB and returns the line numbers it left for
    # `map` (anything unusual). It must give exactly the rows `map` would give. A post's author
    # may be staged on the post itself (stage_posts.author_handle/author_name) rather than as a
    # separate stage_accounts row: the accounts merge reads both.
    sql_batch: Callable[[Any, str], Iterable[int]] | None = None


def unpack_zeeschuimer(item: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(data, capture metadata) of a Zeeschuimer line, or of 4CAT's re-export of one, where
    the data is at the top level and the envelope moved to `__import_meta`."""
    if isinstance(item.get("data"), dict):
        return item["data"], item
    meta = item.get("__import_meta")
    if isinstance(meta, dict):
        return {k: v for k, v in item.items() if k != "__import_meta"}, meta
    return None, item


def parse_json_line(line_no: int, line: bytes) -> RawRecord:
    """One NDJSON line. Invalid UTF-8 bytes (a cut emoji) become U+FFFD rather than costing
    the whole record; anything else that is not JSON is a reject with the reason."""
    text = line.decode("utf-8", errors="replace")
    try:
        return RawRecord(line_no, text, orjson.loads(line))
    except orjson.JSONDecodeError as exc:
        try:
            return RawRecord(line_no, text, orjson.loads(text))
        except orjson.JSONDecodeError:
            return RawRecord(line_no, text, None, f"line {line_no} is not valid JSON: {exc}")


def read_ndjson(stream: IO[bytes]) -> Iterator[RawRecord]:
    for line_no, line in enumerate(stream, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        yield parse_json_line(line_no, stripped)


def read_json_document(stream: IO[bytes]) -> Iterator[RawRecord]:
    data = stream.read(WHOLE_DOCUMENT_LIMIT + 1)
    if len(data) > WHOLE_DOCUMENT_LIMIT:
        yield RawRecord(1, "", None, "JSON document larger than 512 MB; export it as NDJSON")
        return
    text = data.decode("utf-8-sig", errors="replace")
    try:
        yield RawRecord(1, text, orjson.loads(text))
    except orjson.JSONDecodeError as exc:
        yield RawRecord(1, text, None, f"not valid JSON: {exc}")


def read_json_or_ndjson(stream: IO[bytes]) -> Iterator[RawRecord]:
    """NDJSON, or one JSON document (indented or compact), told apart by the first line.

    For tools whose output comes both ways: yt-dlp (`--dump-json` lines or an `.info.json`),
    twarc2 (page lines, or a page saved as one indented document), Instaloader (`.json`
    indented, `.json.xz` compact). A first line that is a whole JSON value means NDJSON.
    """
    line_no, first = 0, b""
    while not first.strip():
        first = stream.readline()
        if not first:
            return
        line_no += 1
    first = first.lstrip(b"\xef\xbb\xbf")
    try:
        value = orjson.loads(first.strip())
    except orjson.JSONDecodeError:
        data = first + stream.read(WHOLE_DOCUMENT_LIMIT + 1)
        if len(data) > WHOLE_DOCUMENT_LIMIT:
            yield RawRecord(line_no, "", None,
                            "JSON document larger than 512 MB; export it as NDJSON")
            return
        text = data.decode("utf-8", errors="replace")
        try:
            yield RawRecord(line_no, text, orjson.loads(data))
            return
        except orjson.JSONDecodeError as exc:
            if not _next_line_is_json(data):  # a broken (e.g. cut off) document
                yield RawRecord(line_no, text, None, f"not valid JSON: {exc}")
                return
        # NDJSON whose first line is broken
        yield from _renumbered(read_ndjson(io.BytesIO(data)), line_no - 1)
        return
    yield RawRecord(line_no, first.strip().decode("utf-8", errors="replace"), value)
    yield from _renumbered(read_ndjson(stream), line_no)


def _next_line_is_json(data: bytes) -> bool:
    lines = (line.strip() for line in data.split(b"\n", 64)[1:64])
    second = next((line for line in lines if line), b"")
    try:
        orjson.loads(second)
    except orjson.JSONDecodeError:
        return False
    return second[:1] in (b"{", b"[")


def _renumbered(records: Iterator[RawRecord], offset: int) -> Iterator[RawRecord]:
    for record in records:
        if record.error:
            record.error = record.error.replace(
                f"line {record.line_no} ", f"line {record.line_no + offset} ", 1)
        record.line_no += offset
        yield record


def read_csv(stream: IO[bytes]) -> Iterator[RawRecord]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    sample = text.read(64 * 1024)
    dialect = _csv_dialect(sample)
    rest = io.StringIO(sample)
    reader = csv.reader(_chain(rest, text), dialect)
    header = next(reader, None)
    if header is None:
        return
    header = [h.strip() for h in header]
    width = len(header)
    for row in reader:
        line_no = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        raw = orjson.dumps(dict(zip(header, row, strict=False))).decode()
        if len(row) != width:
            yield RawRecord(line_no, raw, None,
                            f"line {line_no} has {len(row)} cells, the header has {width}")
            continue
        yield RawRecord(line_no, raw, dict(zip(header, row, strict=True)))


def read_xlsx(stream: IO[bytes]) -> Iterator[RawRecord]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    for line_no, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        record = {n: v for n, v in zip(names, row, strict=False)}
        yield RawRecord(line_no, orjson.dumps(record, default=str).decode(), record)


READERS: dict[str, Callable[[IO[bytes]], Iterator[RawRecord]]] = {
    "ndjson": read_ndjson,
    "json": read_json_document,
    "auto": read_json_or_ndjson,  # NDJSON or one JSON document
    "csv": read_csv,
    "xlsx": read_xlsx,
}


def _csv_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = sample.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t|")
    except csv.Error:
        return csv.excel
    # A header line rarely holds a quote, so the sniffer cannot see that quotes inside cells
    # are doubled ("" as in Excel, pandas, twarc-csv); without this JSON cells break apart.
    dialect.doublequote = True
    return dialect


def _chain(first: io.StringIO, rest: IO[str]) -> Iterator[str]:
    # csv.reader needs lines; the sniffed sample is re-read before the remainder of the stream.
    buffered = first.read()
    remainder = rest.readline()
    lines = (buffered + remainder).splitlines(keepends=True)
    yield from lines
    yield from rest


def csv_header(head: bytes) -> list[str]:
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.split("\n", 1)[0]
    try:
        row = next(csv.reader([first_line], _csv_dialect(first_line)))
    except (StopIteration, csv.Error):
        return []
    return [c.strip() for c in row]
