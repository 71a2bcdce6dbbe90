"""The connection type pantau's functions take (`con: Connection`): a StoreConnection, or
DuckDB's own connection or cursor, which the web app and the enrich workers use."""

from __future__ import annotations

from typing import Any, Protocol


class Rows(Protocol):
    """What a statement gives back: DuckDB's own result or a fetched Result."""

    def fetchone(self) -> tuple[Any, ...] | None: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


class Connection(Protocol):
    """A connection to the store: a StoreConnection, or DuckDB's own connection or cursor
    (the web app and the workers use those). What pantau's functions taking `con` use."""

    def execute(self, query: str, parameters: Any = None, /) -> Rows: ...
    def sql(self, query: str, /, *args: Any, **kwargs: Any) -> Any: ...
    def register(self, view_name: str, python_object: Any, /) -> Any: ...
    def unregister(self, view_name: str, /) -> Any: ...
    def cursor(self) -> Any: ...
    def close(self) -> None: ...


def one_row(rows: Rows) -> tuple[Any, ...]:
    """The row of a statement that always gives one (an aggregate, a setting): a missing row
    is a bug, not data, and raises."""
    row = rows.fetchone()
    if row is None:
        raise LookupError("the statement returned no row")
    return row
