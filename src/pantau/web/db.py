"""The web app's one connection to the store, its read cache, and the small index it serves from.

DuckDB lets one process write a store, so `pantau serve` holds the only writable connection while
it runs: nothing else can change the data underneath it. That makes two things safe:
- read caches (web/cache.py: results keyed by (SQL, parameters), rendered pages) emptied
  whenever the app itself writes (coder labels, samples, users), and
- an in-memory index (an attached `:memory:` database named `web`) built once at start-up:
  one row per post and per comment with its candidate, local time, phase, latest counts and
  effective labels, sorted by time, so list pages read the newest rows first and stop early;
- a Python copy of every post's row with its metric observations and labels (posts are few
  next to comments), which post pages and the posts list read instead of querying.

Threads: every request thread gets its own DuckDB cursor (a DuckDB connection is not safe to
share across threads; cursors of one database are). Writes go through one lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .. import privacy
from ..analysis.base import CAMPAIGN_ROLES, PRIORITY, Context
from ..project import Project
from ..records import POST_METRICS
from ..store import Connection, one_row, transaction
from .cache import ReadCache

# Tables the web app owns. They hold human work (users, samples), never derived data.
WEB_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_users (
    name VARCHAR NOT NULL, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
    created_at TIMESTAMP DEFAULT (now()::TIMESTAMP), disabled BOOLEAN DEFAULT false);
CREATE SEQUENCE IF NOT EXISTS coding_sample_ids START 1;
CREATE TABLE IF NOT EXISTS coding_samples (
    sample_id BIGINT NOT NULL, name VARCHAR, target VARCHAR NOT NULL, variables VARCHAR[],
    size INTEGER, overlap DOUBLE, coders VARCHAR[], seed BIGINT, filters VARCHAR,
    created_by VARCHAR, created_at TIMESTAMP DEFAULT (now()::TIMESTAMP));
CREATE TABLE IF NOT EXISTS coding_items (
    sample_id BIGINT NOT NULL, position INTEGER NOT NULL, platform VARCHAR NOT NULL,
    target_id VARCHAR NOT NULL, coder VARCHAR NOT NULL, double_coded BOOLEAN,
    coded_at TIMESTAMP);
"""

COMMENT_SCHEMES = {"sentiment": "sentiment", "question": "question",
                   "category": "comment_category", "toxicity": "toxicity"}
POST_SINGLE = {"post_function": "post_function", "sentiment": "sentiment",
               "toxicity": "toxicity", "lang_label": "lang"}
# what a post's page shows of each comment on it (web.comment_threads)
THREAD_COLUMNS = """platform, comment_id, parent_id, created_at, created_local, text,
    author_handle, likes, by_candidate, sentiment, sentiment_src, question, question_src,
    category, category_src, toxicity, toxicity_src, is_question, answered"""
POST_LABEL_COLUMNS = "platform, target_id, scheme, value, score, source, created_at, evidence"
# A post's flags: those a coder (or model) set under the codebook's flag variable, plus what the
# data itself shows: a paid ad, posted in the quiet period, SARA or toxic language found.
FLAGS = """list_sort(list_distinct(list_concat(coded_flags,
    CASE WHEN is_ad THEN ['paid_ad'] ELSE [] END,
    CASE WHEN {phase} = 'quiet_period' THEN ['quiet_period'] ELSE [] END,
    CASE WHEN len(sara) > 0 THEN ['sara'] ELSE [] END,
    CASE WHEN toxicity IN ('abusive', 'hate') THEN ['toxic'] ELSE [] END)))"""


def ensure_web_schema(con: Connection) -> None:
    con.execute(WEB_SCHEMA)


class WebStore:
    """The app's connection: cached parameterised reads, locked writes, the `web` index."""

    def __init__(self, project: Project, *, memory_limit: str = "2GB",
                 flag_scheme: str | None = None, build_index: bool = True,
                 query_threads: int = 1, snapshot_ok: bool = False) -> None:
        from .. import store

        self.project = project
        if snapshot_ok:  # a reading CLI command (coding alpha) beside a running pantau serve
            self.con = project.connect(snapshot_ok=True)
        else:
            self.con = store.connect(project.store_path, memory_limit=memory_limit)
            from ..project import sync_config

            sync_config(self.con, project.config)
        ensure_web_schema(self.con)
        self.key = privacy.project_key(self.con)
        self.public = privacy.public_handles(self.con)
        self.pseudonymise = project.config.privacy.pseudonymise_commenters
        # handles inside post addresses and texts, and posting accounts of ordinary people,
        # are masked once in the index (pantau_url / pantau_text / pantau_handle in SQL)
        self.masker = privacy.Masker(self.key, self.public, privacy.public_ids(self.con),
                                     enabled=self.pseudonymise)
        self.masker.register(self.con)
        self.con.execute("SET enable_progress_bar = false")
        # the index tables are written in time order and list pages rely on it
        self.con.execute("SET preserve_insertion_order = true")
        self.con.execute("ATTACH ':memory:' AS web")
        self.flag_scheme = flag_scheme
        self._local = threading.local()
        self._cursors: list = []
        self._write_lock = threading.Lock()
        self.cache = ReadCache(self._run)
        self.sources: list[str] = []
        self._source_ids: dict[str, int] = {}
        self.index_seconds = 0.0
        self.indexed = False
        self._post_rows: list[dict[str, Any]] = []
        self._post_keys: dict[tuple[str, str], int] = {}
        self._threads: dict[tuple[str, str], tuple[int, int]] = {}
        self.phases = Context(project, self.con).phase_rows()
        if build_index:
            self.build_index()
            # Pages run many small queries at once: one thread each wastes less than splitting
            # every query over the cores.
            self.con.execute(f"SET threads = {query_threads}")
        # The web never reads or writes files through SQL, so take that power away from every
        # statement it runs (the SQL page included), and lock settings against PRAGMA/SET.
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")

    # -- reading ------------------------------------------------------------------------
    def cursor(self):
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self.con.raw.cursor()
            self._local.cursor = cur
            with self.cache.lock:
                self._cursors.append(cur)
        return cur

    def rows(self, sql: str, params: Sequence[Any] | None = None, *,
             cache: bool = True) -> list[dict[str, Any]]:
        """Run parameterised SQL written by the app; rows as dicts, cached until a write."""
        return self.cache.rows(sql, params, cache=cache)

    def _run(self, sql: str, params: Sequence[Any] | None) -> list[dict[str, Any]]:
        result = self.cursor().execute(sql, list(params) if params else None)
        columns = [d[0] for d in result.description] if result.description else []
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def page_get(self, key: tuple) -> str | None:
        """A page rendered before at this data version (explore pages only)."""
        return self.cache.page_get(key)

    def page_put(self, key: tuple, version: int, html: str) -> None:
        self.cache.page_put(key, version, html)

    @property
    def version(self) -> int:
        """The data version: one more after every write of the app."""
        return self.cache.version

    @property
    def page_cache(self) -> bool:
        return self.cache.pages_enabled

    @page_cache.setter
    def page_cache(self, enabled: bool) -> None:
        self.cache.pages_enabled = enabled

    def one(self, sql: str, params: Sequence[Any] | None = None, *,
            cache: bool = True) -> dict[str, Any] | None:
        found = self.rows(sql, params, cache=cache)
        return found[0] if found else None

    def scalar(self, sql: str, params: Sequence[Any] | None = None, *, cache: bool = True):
        row = self.one(sql, params, cache=cache)
        return next(iter(row.values())) if row else None

    def table_exists(self, name: str) -> bool:
        return bool(self.scalar(
            "SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = current_database()"
            " AND table_name = ?", [name]))

    # -- writing ------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """One transaction on a dedicated cursor, under the write lock. Callbacks registered
        with `tx.after(...)` run after the commit (DuckDB writes one attached database per
        transaction, and the index lives in another); then the cache is emptied."""
        with self._write_lock:
            tx = Transaction(self.con.raw.cursor())
            try:
                with transaction(tx.cur):
                    yield tx
            except BaseException:
                tx.cur.close()
                raise
            try:
                for callback in tx.callbacks:
                    callback(tx.cur)
            finally:
                tx.cur.close()
                self._forget()

    def close(self) -> None:
        """Close every cursor too: the database (and its locked settings) lives on in this
        process as long as any connection to it is open."""
        with self.cache.lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        self.con.close()

    # -- privacy ------------------------------------------------------------------------
    def handle(self, handle: str | None) -> str | None:
        """A commenter's handle as the web shows it: pseudonymised unless a public actor."""
        return self.masker.handle(handle)

    # -- the index ----------------------------------------------------------------------
    def source_id(self, source: str) -> int:
        if source not in self._source_ids:
            self._source_ids[source] = len(self.sources)
            self.sources.append(source)
        return self._source_ids[source]

    def build_index(self) -> None:
        """(Re)build web.post_facts and web.comment_facts from the store. The tables are
        written in the order list pages read them (newest first), which holds only with
        DuckDB's preserve_insertion_order."""
        start = time.perf_counter()
        con = self.con
        require_insertion_order(con)
        con.execute("DROP TABLE IF EXISTS web.sources")
        for (source,) in con.execute(
                "SELECT DISTINCT source FROM labels ORDER BY 1").fetchall():
            self.source_id(source)
        con.execute("CREATE TABLE web.sources (sid SMALLINT, src VARCHAR)")
        if self.sources:
            con.execute("INSERT INTO web.sources SELECT unnest(?), unnest(?)",
                        [list(range(len(self.sources))), self.sources])
        self._build_phases()
        self._build_posts()
        self._build_comments()
        self._index_post_ids()
        self._load_posts()
        self.index_seconds = time.perf_counter() - start
        self.indexed = True
        self._forget()

    def _forget(self) -> None:
        """The data changed: no cached row or page may be served again."""
        self.cache.forget()

    def _local_time(self, column: str) -> str:
        tz = self.project.config.election.timezone.replace("'", "''")
        return f"(({column} AT TIME ZONE 'UTC') AT TIME ZONE '{tz}')"

    def _build_phases(self) -> None:
        self.con.execute("CREATE OR REPLACE TABLE web.phases (id VARCHAR, ord INTEGER, "
                         "start_local TIMESTAMP, end_local TIMESTAMP)")
        for p in self.phases:
            if p["kind"] == "phase":
                self.con.execute("INSERT INTO web.phases VALUES (?, ?, ?, ?)",
                                 [p["id"], p["ord"], p["start_local"], p["end_local"]])

    def _best(self, target: str, schemes: dict[str, str], where: str = "") -> str:
        """SELECT platform, target_id and, per single-valued scheme, a struct {v: value,
        s: source id} of its effective label, by the priority analyses use (a coder beats a
        model, then the latest wins). `where` narrows the labels read (e.g. to one target)."""
        cols = ",\n".join(
            f"arg_max({{'v': l.value, 's': s.sid}}, l.k) FILTER (WHERE l.scheme = '{s}') AS {c}"
            for c, s in schemes.items())
        names = ", ".join(f"'{s}'" for s in schemes.values())
        return f"""
            SELECT l.platform, l.target_id, {cols}
            FROM (SELECT platform, target_id, scheme, value, source, {PRIORITY} AS k
                  FROM labels WHERE target = '{target}' AND scheme IN ({names}) {where}) l
            JOIN web.sources s ON s.src = l.source
            GROUP BY ALL"""

    @staticmethod
    def _unpack(alias: str, schemes: dict[str, str]) -> str:
        return ", ".join(f"{alias}.{c}.v AS {c}, {alias}.{c}.s AS {c}_src" for c in schemes)

    def _multi(self, target: str, scheme: str, where: str = "") -> str:
        """Values of a multi-valued scheme per target, from its best source only (a coder who
        found no topic leaves one row with a NULL value: an empty list, not the model's)."""
        return f"""
            WITH l AS (SELECT * FROM labels
                       WHERE target = '{target}' AND scheme = '{scheme}' {where}),
            best AS (SELECT platform, target_id, arg_max(source, {PRIORITY}) AS source
                     FROM l GROUP BY ALL)
            SELECT l.platform, l.target_id,
                   coalesce(list(DISTINCT l.value ORDER BY l.value)
                            FILTER (WHERE l.value IS NOT NULL), []) AS v
            FROM l JOIN best USING (platform, target_id, source) GROUP BY ALL"""

    def _build_posts(self) -> None:
        latest = ", ".join(
            f"arg_max({m}, observed_at) FILTER (WHERE {m} IS NOT NULL) AS {m}"
            for m in POST_METRICS)
        flag_sql = (self._multi("post", self.flag_scheme) if self.flag_scheme else
                    "SELECT NULL::VARCHAR platform, NULL::VARCHAR target_id, "
                    "NULL::VARCHAR[] v WHERE false")
        local = self._local_time("p.created_at")
        self.con.execute(f"""
            CREATE OR REPLACE TABLE web.post_facts AS
            WITH m AS (SELECT platform, post_id, count(*) AS observations, {latest}
                       FROM post_metrics GROUP BY ALL),
            c AS (SELECT platform, post_id, count(*) AS comments_collected
                  FROM comments GROUP BY ALL),
            lab AS ({self._best("post", POST_SINGLE)}),
            topics AS ({self._multi("post", "topic")}),
            sara AS ({self._multi("post", "sara")}),
            coded_flags AS ({flag_sql}),
            base AS (
                SELECT p.platform, p.post_id,
                       CASE WHEN a.candidate_id IS NULL THEN pantau_account_id(p.account_id)
                            ELSE p.account_id END AS account_id,
                       CASE WHEN a.candidate_id IS NULL THEN pantau_handle(a.handle)
                            ELSE a.handle END AS account,
                       a.candidate_id, coalesce(a.role, 'other') AS role, p.created_at,
                       {local} AS created_local,
                       CASE WHEN contains(p.text, '@') THEN pantau_text(p.text)
                            ELSE p.text END AS text,
                       p.media_type,
                       CASE WHEN a.candidate_id IS NULL THEN pantau_url(p.url)
                            ELSE p.url END AS url, p.is_ad,
                       p.hashtags, m.views, m.likes, m.comments, m.shares, m.saves,
                       coalesce(m.followers, a.followers) AS followers,
                       coalesce(m.observations, 0) AS observations,
                       coalesce(c.comments_collected, 0) AS comments_collected,
                       {self._unpack("lab", POST_SINGLE)},
                       coalesce(t.v, []) AS topics, coalesce(sara.v, []) AS sara,
                       coalesce(f.v, []) AS coded_flags
                FROM posts p
                LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id
                LEFT JOIN m ON m.platform = p.platform AND m.post_id = p.post_id
                LEFT JOIN c ON c.platform = p.platform AND c.post_id = p.post_id
                LEFT JOIN lab ON lab.platform = p.platform AND lab.target_id = p.post_id
                LEFT JOIN topics t ON t.platform = p.platform AND t.target_id = p.post_id
                LEFT JOIN sara ON sara.platform = p.platform AND sara.target_id = p.post_id
                LEFT JOIN coded_flags f ON f.platform = p.platform AND f.target_id = p.post_id)
            SELECT base.*, ph.id AS phase,
                   -- a post's number: its place in the Python copy (db.post_rows); not the
                   -- rowid, which an UPDATE of a list column changes
                   (row_number() OVER (ORDER BY base.created_at DESC NULLS LAST, base.platform,
                                       base.post_id) - 1)::INTEGER AS n,
                   CASE WHEN followers > 0 AND likes IS NOT NULL AND comments IS NOT NULL
                        THEN (likes + comments) / followers END AS er_follower,
                   CASE WHEN views > 0 AND likes IS NOT NULL AND comments IS NOT NULL
                             AND shares IS NOT NULL
                        THEN (likes + comments + shares) / views END AS er_view,
                   {FLAGS.format(phase="ph.id")} AS flags
            FROM base
            LEFT JOIN web.phases ph ON base.created_local >= ph.start_local
                                   AND base.created_local < ph.end_local
            ORDER BY n
        """)

    def _build_comments(self) -> None:
        """One row per comment. `by_candidate`, `is_question` and `answered` follow the
        definitions of analysis/responsiveness.py, so the questions queue matches the report:
        a reply by the post's author or an official/candidate account of the same candidate,
        in the same thread (coalesce(parent_id, comment_id)), not before the question."""
        local = self._local_time("c.created_at")
        roles = ", ".join(f"'{r}'" for r in CAMPAIGN_ROLES)
        self.con.execute(f"""
            CREATE OR REPLACE TABLE web.comment_facts AS
            WITH lab AS ({self._best("comment", COMMENT_SCHEMES)}),
            campaign_ids AS (
                SELECT platform, account_id, list(DISTINCT candidate_id) AS candidates
                FROM accounts WHERE candidate_id IS NOT NULL AND role IN ({roles})
                GROUP BY ALL),
            campaign_handles AS (
                SELECT platform, lower(handle) AS handle,
                       list(DISTINCT candidate_id) AS candidates
                FROM accounts WHERE candidate_id IS NOT NULL AND role IN ({roles})
                                AND handle IS NOT NULL
                GROUP BY ALL),
            base AS (
                SELECT c.platform, c.comment_id, c.post_id, c.parent_id,
                       coalesce(c.parent_id, c.comment_id) AS thread_id, p.candidate_id,
                       c.created_at, {local} AS created_local,
                       CASE WHEN contains(c.text, '@') THEN pantau_text(c.text)
                            ELSE c.text END AS text,
                       -- pseudonymised in the index itself, so the SQL page's web.* tables
                       -- name nobody either (handle() leaves a pseudonym as it is)
                       pantau_handle(c.author_handle) AS author_handle,
                       c.likes,
                       (coalesce(c.by_post_author, false) OR c.author_id = p.account_id
                        OR coalesce(list_contains(ci.candidates, p.candidate_id), false)
                        OR coalesce(list_contains(ch.candidates, p.candidate_id), false)
                       ) AS by_candidate,
                       {self._unpack("lab", COMMENT_SCHEMES)}
                FROM comments c
                LEFT JOIN web.post_facts p ON p.platform = c.platform AND p.post_id = c.post_id
                LEFT JOIN campaign_ids ci ON ci.platform = c.platform
                                         AND ci.account_id = c.author_id
                LEFT JOIN campaign_handles ch ON ch.platform = c.platform
                                             AND ch.handle = lower(ltrim(c.author_handle, '@'))
                LEFT JOIN lab ON lab.platform = c.platform AND lab.target_id = c.comment_id),
            answers AS (
                SELECT platform, post_id, thread_id, comment_id, created_at FROM base
                WHERE by_candidate),
            answered AS (
                SELECT DISTINCT b.platform, b.comment_id
                FROM base b JOIN answers r
                  ON r.platform = b.platform AND r.post_id = b.post_id
                 AND r.thread_id = b.thread_id AND r.comment_id <> b.comment_id
                 AND (r.created_at IS NULL OR b.created_at IS NULL
                      OR r.created_at >= b.created_at))
            SELECT base.*,
                   coalesce(question = 'question' OR category = 'pertanyaan', false)
                       AS is_question,
                   a.comment_id IS NOT NULL AS answered
            FROM base LEFT JOIN answered a ON a.platform = base.platform
                                          AND a.comment_id = base.comment_id
            ORDER BY created_at DESC NULLS LAST, platform, comment_id
        """)
        self.con.execute("CREATE INDEX comment_facts_id ON web.comment_facts (comment_id)")
        self._build_threads()

    def _build_threads(self) -> None:
        """web.comment_threads: the columns a post's page shows of each comment, stored post by
        post, and each post's first and last rowid held in Python. A post's thread is then one
        rowid range, which DuckDB reads from one or two row groups; looking its comments up in
        web.comment_facts (stored by time) fetched them one by one from every row group, the
        post page's largest cost. Nothing is ever inserted or deleted here and no column is a
        list, so an UPDATE keeps every row in place and the ranges stay right."""
        self.con.execute(f"""
            CREATE OR REPLACE TABLE web.comment_threads AS
            SELECT post_id, {THREAD_COLUMNS} FROM web.comment_facts
            ORDER BY platform, post_id, created_at NULLS LAST, comment_id""")
        self._threads = self._thread_spans()

    def _thread_spans(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Each post's first and last rowid in web.comment_threads; raises IndexBroken unless
        every post's comments fill their range without a gap (the rule thread() relies on)."""
        spans = {}
        for platform, post_id, first, last, n in self.con.execute(
                "SELECT platform, post_id, min(rowid), max(rowid), count(*) "
                "FROM web.comment_threads GROUP BY ALL").fetchall():
            if last - first + 1 != n:
                raise IndexBroken(f"web.comment_threads: the {n} comments of post {platform}/"
                                  f"{post_id} are not one rowid range ({first}-{last})")
            spans[(platform, post_id)] = (first, last)
        return spans

    def check_index(self) -> None:
        """Raise IndexBroken if the index no longer keeps the rules its readers rely on:
        threads are rowid ranges, posts sit at their number `n` in the Python copy."""
        if self._thread_spans() != self._threads:
            raise IndexBroken("web.comment_threads: rows moved since the index was built")
        for i, row in enumerate(self._post_rows):
            if row["n"] != i:
                raise IndexBroken(f"post {row['platform']}/{row['post_id']} is held at {i}, "
                                  f"not at its number {row['n']}")

    def thread(self, platform: str, post_id: str) -> list[dict[str, Any]]:
        """Every comment on a post (THREAD_COLUMNS), in no particular order."""
        span = self._threads.get((platform, post_id))
        if span is None:
            return []
        return self.rows(f"SELECT {THREAD_COLUMNS} FROM web.comment_threads "
                         "WHERE rowid BETWEEN ? AND ?", list(span))

    def _index_post_ids(self) -> None:
        self.con.execute("CREATE INDEX post_facts_post ON web.post_facts (post_id)")

    def _load_posts(self) -> None:
        """Every post's row of web.post_facts, with its metric observations and labels, held in
        Python: a post's page and the posts list read rows from here instead of running a
        query per post (posts are few next to comments: 20,000 for 2,000,000 comments).
        Rows are held at their number `n` in web.post_facts, so list queries need to return
        only those numbers."""
        cur = self.con.raw.cursor()
        try:
            result = cur.execute("SELECT * FROM web.post_facts ORDER BY n")
            columns = [d[0] for d in result.description]
            rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
            details = self._post_details(cur)
        finally:
            cur.close()
        for row in rows:
            row["metrics"], row["labels"] = details.get((row["platform"], row["post_id"]),
                                                        ([], []))
        if any(row["n"] != i for i, row in enumerate(rows)):
            raise IndexBroken("web.post_facts: post numbers `n` are not 0, 1, 2, ... in order")
        self._post_rows = rows
        self._post_keys = {(r["platform"], r["post_id"]): r["n"] for r in rows}

    @staticmethod
    def _post_details(cur, key: Sequence[str] | None = None
                      ) -> dict[tuple[str, str], tuple[list[dict], list[dict]]]:
        """(metric observations by time, labels by scheme/source/value) of every post, or of
        the one post with this (platform, post_id)."""
        out: dict[tuple[str, str], tuple[list[dict], list[dict]]] = {}
        params = list(key) if key else []
        where = "AND platform = ? AND {} = ?" if key else ""
        result = cur.execute(
            "SELECT platform, post_id, observed_at, views, likes, comments, shares, saves, "
            f"followers FROM post_metrics WHERE true {where.format('post_id')} "
            "ORDER BY observed_at", params)
        columns = [d[0] for d in result.description]
        for row in result.fetchall():
            out.setdefault((row[0], row[1]), ([], []))[0].append(
                dict(zip(columns, row, strict=True)))
        result = cur.execute(
            f"SELECT {POST_LABEL_COLUMNS} FROM labels WHERE target = 'post' "
            f"{where.format('target_id')} "
            "ORDER BY scheme, source, coalesce(value, '')", params)
        columns = [d[0] for d in result.description]
        for row in result.fetchall():
            out.setdefault((row[0], row[1]), ([], []))[1].append(
                dict(zip(columns, row, strict=True)))
        return out

    def post(self, platform: str, post_id: str) -> dict[str, Any] | None:
        """A post's row of web.post_facts plus `metrics` and `labels` (do not modify it)."""
        n = self._post_keys.get((platform, post_id))
        return None if n is None else self._post_rows[n]

    def post_rows(self, numbers: Sequence[int]) -> list[dict[str, Any]]:
        """Rows of web.post_facts by their number `n`, in the order given (do not modify
        them)."""
        rows = self._post_rows
        return [rows[n] for n in numbers]

    def _reload_post(self, cur, platform: str, post_id: str) -> None:
        result = cur.execute("SELECT * FROM web.post_facts "
                             "WHERE platform = ? AND post_id = ?", [platform, post_id])
        columns = [d[0] for d in result.description]
        found = result.fetchone()
        if found is None:
            return
        row = dict(zip(columns, found, strict=True))
        row["metrics"], row["labels"] = self._post_details(cur, (platform, post_id)).get(
            (platform, post_id), ([], []))
        self._post_rows[row["n"]] = row  # one assignment: readers see the old or the new row

    # -- keeping the index in step with the app's own writes ----------------------------
    def refresh_labels(self, cur, target: str, platform: str, target_id: str) -> None:
        """After the app wrote labels for one target, recompute its effective labels in the
        index (runs after the commit, under the write lock)."""
        for (source,) in cur.execute(
                "SELECT DISTINCT source FROM labels WHERE target = ? AND platform = ? "
                "AND target_id = ?", [target, platform, target_id]).fetchall():
            if source not in self._source_ids:
                cur.execute("INSERT INTO web.sources VALUES (?, ?)",
                            [self.source_id(source), source])
        one = "AND platform = ? AND target_id = ?"
        key = [platform, target_id]
        schemes = COMMENT_SCHEMES if target == "comment" else POST_SINGLE
        row = cur.execute(self._best(target, schemes, one), key).fetchone()
        values: dict[str, Any] = {}
        for column, best in zip(schemes, row[2:] if row else [None] * len(schemes),
                                strict=True):
            values[column] = best["v"] if best else None
            values[f"{column}_src"] = best["s"] if best else None
        sets = [f"{name} = ?" for name in values]
        params = list(values.values())
        if target == "comment":
            sets.append("is_question = (coalesce(?, '') = 'question' "
                        "OR coalesce(?, '') = 'pertanyaan')")
            params += [values["question"], values["category"]]
            table, id_column = "web.comment_facts", "comment_id"
        else:
            for column, scheme in (("topics", "topic"), ("coded_flags", self.flag_scheme)):
                if scheme is None:
                    continue
                found = cur.execute(self._multi("post", scheme, one), key).fetchone()
                sets.append(f"{column} = ?")
                params.append(found[2] if found else [])
            table, id_column = "web.post_facts", "post_id"
        cur.execute(f"UPDATE {table} SET {', '.join(sets)} "
                    f"WHERE platform = ? AND {id_column} = ?", [*params, *key])
        if target == "comment":
            # the same labels in the post's thread, found by its rowid range
            found = cur.execute("SELECT post_id FROM web.comment_facts "
                                "WHERE platform = ? AND comment_id = ?", key).fetchone()
            span = self._threads.get((platform, found[0])) if found else None
            if span is not None:
                updated = cur.execute(
                    f"UPDATE web.comment_threads SET {', '.join(sets)} "
                    "WHERE rowid BETWEEN ? AND ? AND platform = ? AND comment_id = ?",
                    [*params, *span, *key]).fetchone()
                if not updated or updated[0] != 1:
                    raise IndexBroken(f"comment {platform}/{target_id} is not in its post's "
                                      f"rowid range {span} of web.comment_threads")
        if target == "post":
            cur.execute(f"UPDATE web.post_facts SET flags = {FLAGS.format(phase='phase')} "
                        "WHERE platform = ? AND post_id = ?", key)
            self._reload_post(cur, platform, target_id)


class IndexBroken(RuntimeError):
    """The web index broke a rule its readers rely on (a bug, never the user's data)."""


def require_insertion_order(con: Connection) -> None:
    """The index tables are read in the order they were written (newest first, post by
    post), which DuckDB keeps only with preserve_insertion_order."""
    if not one_row(con.execute("SELECT current_setting('preserve_insertion_order')"))[0]:
        raise IndexBroken("the web index needs SET preserve_insertion_order = true")


class Transaction:
    def __init__(self, cur) -> None:
        self.cur = cur
        self.callbacks: list = []

    def execute(self, sql: str, params: Sequence[Any] | None = None):
        return self.cur.execute(sql, list(params) if params is not None else None).fetchall()

    def after(self, callback) -> None:
        self.callbacks.append(callback)
