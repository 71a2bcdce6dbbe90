"""The store stage: one DuckDB file per project.

    connection.py  connect(), StoreConnection (every statement fetched at once), transaction(),
                   migrate(), read-only queries (pantau query, the web app's SQL page)
    migrations.py  the schema: SCHEMA_VERSION, MIGRATIONS, TABLES
    protocol.py    Connection: the type of every `con` parameter
    staging.py     staging tables and the keyed merges that move one imported file's rows in

`from pantau.store import connect, transaction, ...` is the way in for the rest of pantau.
"""

from __future__ import annotations

from .connection import (
    READ_ONLY_STATEMENTS,
    Result,
    StoreBusy,
    StoreConnection,
    check_read_only,
    connect,
    migrate,
    run_read_only,
    transaction,
)
from .migrations import MIGRATIONS, SCHEMA_VERSION, TABLES, schema_version, table_counts
from .protocol import Connection, Rows, one_row

__all__ = ["MIGRATIONS", "READ_ONLY_STATEMENTS", "SCHEMA_VERSION", "TABLES", "Connection",
           "Result", "Rows", "StoreBusy", "StoreConnection", "check_read_only", "connect",
           "migrate", "one_row", "run_read_only", "schema_version", "table_counts",
           "transaction"]
