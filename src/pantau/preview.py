"""`pantau import --dry-run`: how the first records of each file would map, storing nothing.

Generic over the format registry: each file is sniffed (or the forced format is used), its
format's `prepare` runs (so a spreadsheet mapping is chosen and validated as in a real import),
and the first records are read and mapped with the same reader and mapper ingest uses. The
store is never opened.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

import orjson

from . import formats
from .errors import FormatError
from .formats.base import READERS, Format, MapContext, Rejected
from .records import Account, Comment, Metric, Post, check_types
from .sources import Source, Unreadable, expand


def file_errors():
    from .ingest import file_errors as errors

    return errors()


def failure_reason(exc: BaseException) -> str:
    from .ingest import failure_reason as reason

    return reason(exc)

ROW_KINDS = {Post: "post", Comment: "comment", Account: "account", Metric: "metric"}
RAW_EXCERPT = 200
# Stop reading a file after this many records per requested row, even when few of them map.
SCAN_FACTOR = 50


def preview_paths(config, paths: list[str], format_name: str | None = None,
                  rows: int = 5) -> list[dict[str, Any]]:
    """One dict per file: source, format, rows (mapped rows and rejects), rejects, error."""
    forced = formats.get_format(format_name) if format_name else None
    out = []
    for source in expand(paths):
        if isinstance(source, Unreadable):
            out.append({"source": source.name, "format": None, "rows": [{
                "row": "failed", "reason": source.reason}], "rejects": [], "records_read": 0,
                "error": source.reason})
            continue
        try:
            out.append(preview_source(config, source, forced, rows))
        except file_errors() as exc:  # a damaged file: a line of the preview, as in import

            reason = failure_reason(exc)
            out.append({"source": source.name, "format": None, "rows": [{
                "row": "failed", "reason": reason}], "rejects": [], "records_read": 0,
                "error": reason})
    return out


def preview_source(config, source: Source, forced: Format | None = None,
                   rows: int = 5) -> dict[str, Any]:
    result: dict[str, Any] = {"source": source.name, "format": None, "rows": [],
                              "rejects": [], "records_read": 0, "error": None}
    try:
        fmt = forced or formats.detect(source, config=config)
        ctx = MapContext(source_name=source.name, file_modified=source.modified_utc())
        if fmt.prepare is not None:
            ctx.options = fmt.prepare(config, source.name)
    except FormatError as exc:
        result["error"] = str(exc)
        result["rows"].append({"row": "refused", "reason": str(exc)})
        return result
    result["format"] = fmt.name
    shown, rejects = result["rows"], result["rejects"]
    mapped, accounts_seen = 0, set[tuple[str, str]]()
    with source.open() as stream:
        for record in READERS[fmt.reader](stream):
            result["records_read"] += 1
            if record.error is not None:
                _add_reject(rejects, shown, rows, record.line_no, record.error, record.text)
            else:
                try:
                    out = list(fmt.map(record.data, ctx))
                    for row in out:  # the same type checks as the import (ingest)
                        check_types(row)
                except (KeyError, TypeError, ValueError, AttributeError, IndexError,
                        OverflowError, RecursionError) as exc:
                    out = [Rejected(f"{type(exc).__name__}: {exc}"[:500], record.text)]
                for row in out:
                    if isinstance(row, Rejected):
                        _add_reject(rejects, shown, rows, record.line_no, row.reason, row.raw)
                    elif isinstance(row, Account):
                        # each account once, and not counted: the rows asked for are content
                        key = (row.platform, row.account_id)
                        if key not in accounts_seen and len(accounts_seen) < rows:
                            accounts_seen.add(key)
                            shown.append(readable(row, record.line_no))
                    elif mapped < rows:
                        shown.append(readable(row, record.line_no))
                        mapped += 1
            if mapped >= rows or result["records_read"] >= rows * SCAN_FACTOR:
                break
    return result


def readable(row: Any, line_no: int | None = None) -> dict[str, Any]:
    """A mapped row as a flat dict for people: its kind, its line, and the fields it has."""
    out: dict[str, Any] = {"row": ROW_KINDS.get(type(row), type(row).__name__.lower())}
    if line_no is not None:
        out["line"] = line_no
    for f in fields(row):
        value = getattr(row, f.name)
        if value is None or value == []:
            continue
        if isinstance(value, datetime):
            value = value.strftime("%Y-%m-%d %H:%M:%S UTC")
        out[f.name] = value
    return out


def _add_reject(rejects: list, shown: list, limit: int, line_no: int, reason: str,
                raw: Any) -> None:
    if len(rejects) >= limit:
        return
    entry = {"row": "reject", "line": line_no, "reason": reason, "raw": _excerpt(raw)}
    rejects.append(entry)
    shown.append(entry)


def _excerpt(raw: Any) -> str:
    text = raw if isinstance(raw, str) else orjson.dumps(raw, default=str).decode()
    return text if len(text) <= RAW_EXCERPT else text[:RAW_EXCERPT] + "…"
