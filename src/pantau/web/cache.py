"""The web app's read caches: results of the app's parameterised reads, and rendered pages,
both valid for one data version.

`pantau serve` holds the store's only writable connection, so nothing changes the data
underneath it except the app itself; every write of the app calls forget(), which moves to a
new version and empties both caches. A result or page computed while a write happened is not
kept (it may mix the two versions).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

CACHE_SIZE = 4096  # results kept
PAGE_CACHE_BYTES = 64 * 1024 * 1024  # rendered pages kept, in characters

Rows = list[dict[str, Any]]


class ReadCache:
    """Cached rows of `run(sql, params)` keyed by (SQL, parameters), with single flight, and
    rendered pages keyed by the caller's key; both emptied by forget()."""

    def __init__(self, run: Callable[[str, Sequence[Any] | None], Rows]) -> None:
        self._run = run
        self.lock = threading.Lock()
        self._rows: OrderedDict[tuple, Rows] = OrderedDict()
        self._flights: dict[tuple, threading.Event] = {}
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._page_bytes = 0
        self.pages_enabled = True
        self.version = 0

    def rows(self, sql: str, params: Sequence[Any] | None = None, *,
             cache: bool = True) -> Rows:
        """Rows of the query, from the cache when this version computed them already."""
        key = (sql, tuple(tuple(p) if isinstance(p, list) else p for p in params or ()))
        if not cache:
            return self._run(sql, params)
        with self.lock:
            hit = self._rows.get(key)
            if hit is not None:
                self._rows.move_to_end(key)
                return hit
        # single flight: when many requests want the same uncached result at once (a cold
        # overview under load), one computes it and the others wait for it
        with self.lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = threading.Event()
        assert flight is not None
        if not leader:
            flight.wait(60)
            with self.lock:
                hit = self._rows.get(key)
            return hit if hit is not None else self._run(sql, params)
        try:
            version = self.version
            data = self._run(sql, params)
            with self.lock:
                if version == self.version:
                    self._rows[key] = data
                    if len(self._rows) > CACHE_SIZE:
                        self._rows.popitem(last=False)
            return data
        finally:
            with self.lock:
                self._flights.pop(key, None)
            flight.set()

    def page_get(self, key: tuple) -> str | None:
        """A page rendered before at this data version."""
        if not self.pages_enabled:
            return None
        with self.lock:
            html = self._pages.get((self.version, *key))
            if html is not None:
                self._pages.move_to_end((self.version, *key))
            return html

    def page_put(self, key: tuple, version: int, html: str) -> None:
        """Keep a page rendered from the data of `version` (dropped if that is not current)."""
        if not self.pages_enabled:
            return
        with self.lock:
            if version != self.version:
                return
            self._pages[(version, *key)] = html
            self._page_bytes += len(html)
            while self._page_bytes > PAGE_CACHE_BYTES and self._pages:
                _, old = self._pages.popitem(last=False)
                self._page_bytes -= len(old)

    def forget(self) -> None:
        """The data changed: no cached row or page may be served again."""
        with self.lock:
            self.version += 1
            self._rows.clear()
            self._pages.clear()
            self._page_bytes = 0
