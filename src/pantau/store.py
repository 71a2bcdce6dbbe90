"""The project store: one DuckDB file, its schema and migrations, and read-only queries.

Tables and column names are a contract (DESIGN.md): users query them, exports carry them.
Times are naive TIMESTAMPs in UTC; ids are VARCHAR (64-bit ids never pass through float).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from .errors import StoreError

SCHEMA_VERSION = 3

# Each migration takes the store from version i to i+1. Never edit a released one: add a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE IF NOT EXISTS candidates (
        candidate_id VARCHAR, election VARCHAR, ballot_number INTEGER, name VARCHAR,
        running_mate VARCHAR, parties VARCHAR[], color VARCHAR);
    CREATE TABLE IF NOT EXISTS accounts (
        platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, handle VARCHAR,
        display_name VARCHAR, candidate_id VARCHAR, role VARCHAR, registered BOOLEAN,
        followers BIGINT, followers_observed_at TIMESTAMP, first_seen TIMESTAMP,
        last_seen TIMESTAMP);
    CREATE TABLE IF NOT EXISTS posts (
        platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, account_id VARCHAR,
        created_at TIMESTAMP, text VARCHAR, media_type VARCHAR, duration_s DOUBLE, url VARCHAR,
        hashtags VARCHAR[], mentions VARCHAR[], is_ad BOOLEAN, lang VARCHAR, music_id VARCHAR,
        source_format VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, import_id BIGINT);
    CREATE TABLE IF NOT EXISTS post_metrics (
        platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, observed_at TIMESTAMP NOT NULL,
        views BIGINT, likes BIGINT, comments BIGINT, shares BIGINT, saves BIGINT,
        followers BIGINT, reach BIGINT, impressions BIGINT, source_format VARCHAR,
        import_id BIGINT);
    CREATE TABLE IF NOT EXISTS comments (
        platform VARCHAR NOT NULL, comment_id VARCHAR NOT NULL, post_id VARCHAR,
        parent_id VARCHAR, author_id VARCHAR, author_handle VARCHAR, created_at TIMESTAMP,
        text VARCHAR, likes BIGINT, reply_count BIGINT, by_post_author BOOLEAN,
        source_format VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, import_id BIGINT);
    CREATE TABLE IF NOT EXISTS labels (
        platform VARCHAR NOT NULL, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
        scheme VARCHAR NOT NULL, value VARCHAR, score DOUBLE, source VARCHAR NOT NULL,
        created_at TIMESTAMP DEFAULT (now()::TIMESTAMP), evidence VARCHAR);
    CREATE SEQUENCE IF NOT EXISTS import_ids START 1;
    CREATE TABLE IF NOT EXISTS imports (
        import_id BIGINT PRIMARY KEY, path VARCHAR, sha256 VARCHAR, size_bytes BIGINT,
        raw_path VARCHAR,
        format VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
        records BIGINT, posts BIGINT, comments BIGINT, accounts BIGINT, metrics BIGINT,
        duplicates BIGINT, rejected BIGINT);
    CREATE TABLE IF NOT EXISTS rejects (
        import_id BIGINT, line_no BIGINT, reason VARCHAR, raw VARCHAR);
    CREATE TABLE IF NOT EXISTS events (
        event_id VARCHAR, name VARCHAR, starts_at TIMESTAMP, ends_at TIMESTAMP, kind VARCHAR);
    """,
    # 2: which model version has labelled which item (pantau.enrich). Stores of version 1 may
    # already hold it, created by enrich itself with these very columns: IF NOT EXISTS keeps it.
    """
    CREATE TABLE IF NOT EXISTS enrich_state (
        platform VARCHAR NOT NULL, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
        task VARCHAR NOT NULL, source VARCHAR NOT NULL);
    """,
    # 3: an observer's reviews of compliance leads (pantau.leads), one row per decision; the
    # latest per lead_key is in force (the history stays: who decided what, when).
    """
    CREATE TABLE IF NOT EXISTS lead_reviews (
        lead_key VARCHAR NOT NULL, status VARCHAR NOT NULL, note VARCHAR,
        reviewer VARCHAR NOT NULL, reviewed_at TIMESTAMP NOT NULL);
    """,
]

TABLES = (
    "candidates", "accounts", "posts", "post_metrics", "comments", "labels",
    "imports", "rejects", "events", "lead_reviews",
)

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
        raise StoreError(
            f"cannot open {path}: {str(exc).splitlines()[0]}",
            "another pantau process (import, serve) may hold the store; wait for it or stop it",
        ) from None
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    if not read_only:
        migrate(con)
    return con


def schema_version(con) -> int:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def migrate(con) -> int:
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {current}, newer than this pantau ({SCHEMA_VERSION})",
            "upgrade pantau",
        )
    for version in range(current, SCHEMA_VERSION):
        con.execute("BEGIN")
        con.execute(MIGRATIONS[version])
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version + 1)]
        )
        con.execute("COMMIT")
    return SCHEMA_VERSION


@contextmanager
def transaction(con):
    """One transaction: everything inside commits together or not at all (Ctrl-C included)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def check_read_only(con, sql: str) -> None:
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


def run_read_only(con, sql: str, params: Iterable[Any] | None = None):
    """Run read-only SQL; returns (column names, rows)."""
    check_read_only(con, sql)
    try:
        result = con.execute(sql, list(params) if params else None)
        return result.columns, result.fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"SQL error: {str(exc).splitlines()[0]}", "check table and column names "
                         "with: pantau query \"SHOW TABLES\"") from None


def table_counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
