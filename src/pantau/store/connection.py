"""Connections to the project store, transactions, and read-only queries."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError
from .busy import busy_error
from .migrations import MIGRATIONS, SCHEMA_VERSION, schema_version
from .protocol import Connection

READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}


class Result:
    """A fully fetched result. DuckDB 2.0 refuses a new statement while a previous result
    is unread, so every statement run through StoreConnection.execute is fetched at once."""

    def __init__(self, rows: list[tuple], description) -> None:
        self.rows = rows
        self.description = description

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    @property
    def columns(self) -> list[str]:
        return [d[0] for d in self.description] if self.description else []

    def df(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def dicts(self) -> list[dict[str, Any]]:
        columns = self.columns
        return [dict(zip(columns, row, strict=True)) for row in self.rows]


class StoreConnection:
    """A DuckDB connection whose execute() always completes (see Result). Everything else
    (sql, register, cursor, close, ...) passes through to DuckDB."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.raw = con

    def execute(self, sql: str, params: Any = None) -> Result:
        cursor = self.raw.execute(sql, params)
        return Result(cursor.fetchall(), cursor.description)

    def sql(self, query: str, /, *args: Any, **kwargs: Any) -> Any:
        return self.raw.sql(query, *args, **kwargs)

    def register(self, view_name: str, python_object: Any, /) -> Any:
        return self.raw.register(view_name, python_object)

    def unregister(self, view_name: str, /) -> Any:
        return self.raw.unregister(view_name)

    def cursor(self) -> Any:
        return self.raw.cursor()

    def close(self) -> None:
        self.raw.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def __enter__(self) -> StoreConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()


def connect(path: Path | str, *, read_only: bool = False,
            memory_limit: str = "1GB") -> StoreConnection:
    """Open (and when writable, create or migrate) a project store."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"no store at {path}", "run `pantau init` first, or pass --project DIR")
    try:
        con = StoreConnection(duckdb.connect(str(path), read_only=read_only))
    except duckdb.IOException as exc:
        raise _open_error(path, exc, read_only) from None
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    if not read_only:
        migrate(con)
    return con


def _open_error(path: Path, exc: BaseException, read_only: bool) -> StoreError:
    """Why a store would not open, told apart: held by another process (StoreBusy, which
    reading commands answer with a snapshot, see pantau.sharing), or not writable here."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "Could not set lock" in first or "Conflicting lock" in first:
        busy = busy_error(path, first)
        return StoreBusy(busy.message, busy.hint, detail=first)
    lowered = first.lower()
    if "read-only file system" in lowered or "permission denied" in lowered or \
            (not read_only and not os.access(path if path.exists() else path.parent, os.W_OK)):
        where = "its file system is mounted read-only" if "read-only file system" in lowered \
            else "this user may not write it"
        return StoreError(f"cannot open {path} for writing: {where}",
                          "reading commands (status, query, report) still work; to change the "
                          "store, copy the project folder somewhere writable or fix its "
                          "permissions")
    return StoreError(f"cannot open {path}: {first}",
                      "check that the file is a pantau store (pantau init creates one)")


class StoreBusy(StoreError):
    """Another process holds the store (DuckDB allows one writer and then no readers)."""

    def __init__(self, message: str, hint: str | None = None, *, detail: str = "") -> None:
        super().__init__(message, hint)
        self.detail = detail


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """One transaction: everything inside commits together or not at all (Ctrl-C included)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        # DuckDB may have ended the transaction itself (a failed write, disk full, an
        # interrupt): "no transaction is active" then must not hide what happened
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def migrate(con: Connection) -> int:
    """Bring the store to SCHEMA_VERSION, one migration per transaction."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {current}, newer than this pantau ({SCHEMA_VERSION})",
            "upgrade pantau",
        )
    for version in range(current, SCHEMA_VERSION):
        with transaction(con):
            con.execute(MIGRATIONS[version])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                        [str(version + 1)])
    return SCHEMA_VERSION


def check_read_only(con: StoreConnection | duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but reading, before it runs."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise StoreError(f"SQL error: {str(exc).splitlines()[0]}", "check the query") from None
    if not statements:
        raise StoreError("the query is empty", 'pass SQL, e.g. pantau query "SELECT 1"')
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise StoreError(
                f"pantau query is read-only: a {kind} statement is refused",
                "use SELECT; the store changes only through pantau commands",
            )


def run_read_only(con: StoreConnection, sql: str, params: Iterable[Any] | None = None
                  ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run read-only SQL; returns (column names, rows)."""
    check_read_only(con, sql)
    try:
        result = con.execute(sql, list(params) if params else None)
        return result.columns, result.fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"SQL error: {str(exc).splitlines()[0]}", "check table and column names "
                         "with: pantau query \"SHOW TABLES\"") from None
