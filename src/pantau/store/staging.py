"""Staging tables and the keyed merges that move one file's rows into the store.

Rows are appended to staging tables while a file is read, then `StagingWriter.merge_all` merges
them into the real tables inside the file's one transaction. Merges are keyed and
order-independent: a strictly newer capture overwrites, an older or equally old one only fills
gaps, so importing the same data twice changes nothing. Keys the store does not hold yet are
plainly inserted (the common case of new data), which gives the same rows as the merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from ..records import METRIC_COLUMNS, METRIC_ONLY, POST_METRICS, Account, Comment, Metric, Post
from .protocol import Connection, one_row

POST_COLUMNS = ("platform", "post_id", "account_id", "created_at", "text", "media_type",
                "duration_s", "url", "hashtags", "mentions", "is_ad", "lang", "music_id")
COMMENT_COLUMNS = ("platform", "comment_id", "post_id", "parent_id", "author_id",
                   "author_handle", "created_at", "text", "likes", "reply_count", "by_post_author")

# Staging tables, filled per batch by Python mappers or a format's SQL mapping, then merged into
# the real tables in one transaction at the end of the file. They are TEMP tables: no WAL is
# written for rows that are merged minutes later, DuckDB spills them to its temp folder past
# memory_limit (so memory stays flat), and an interrupted import leaves none of them behind.
# stage_posts also carries the author's handle and name as seen on the post (`author_handle`,
# `author_name`), so a SQL mapping needs no second pass for accounts, and the `line_no` a SQL
# mapping took the post from (to find the lines it left for the Python mapper).
STAGE_DDL = """
CREATE OR REPLACE TEMP TABLE stage_posts (
    platform VARCHAR, post_id VARCHAR, account_id VARCHAR, created_at TIMESTAMP, text VARCHAR,
    media_type VARCHAR, duration_s DOUBLE, url VARCHAR, hashtags VARCHAR[], mentions VARCHAR[],
    is_ad BOOLEAN, lang VARCHAR, music_id VARCHAR, observed_at TIMESTAMP, views BIGINT,
    likes BIGINT, comments BIGINT, shares BIGINT, saves BIGINT, followers BIGINT,
    author_handle VARCHAR, author_name VARCHAR, line_no BIGINT);
CREATE OR REPLACE TEMP TABLE stage_accounts (
    platform VARCHAR, account_id VARCHAR, handle VARCHAR, display_name VARCHAR,
    followers BIGINT, observed_at TIMESTAMP);
CREATE OR REPLACE TEMP TABLE stage_metrics (
    platform VARCHAR, post_id VARCHAR, observed_at TIMESTAMP, views BIGINT, likes BIGINT,
    comments BIGINT, shares BIGINT, saves BIGINT, followers BIGINT, reach BIGINT,
    impressions BIGINT);
CREATE OR REPLACE TEMP TABLE stage_comments (
    platform VARCHAR, comment_id VARCHAR, post_id VARCHAR, parent_id VARCHAR,
    author_id VARCHAR, author_handle VARCHAR, created_at TIMESTAMP, text VARCHAR, likes BIGINT,
    reply_count BIGINT, by_post_author BOOLEAN, observed_at TIMESTAMP);
CREATE OR REPLACE TEMP TABLE stage_rejects (line_no BIGINT, reason VARCHAR, raw VARCHAR);
"""
STAGES = ("stage_posts", "stage_accounts", "stage_metrics", "stage_comments", "stage_rejects")


@dataclass
class MappedBatch:
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)
    records: int = 0

    def size(self) -> int:
        return len(self.posts) + len(self.comments) + len(self.accounts) + len(self.metrics)


def _newer_wins(column: str, alias: str) -> str:
    """A strictly newer capture overwrites; an older or equally old one only fills gaps.
    So importing the same data again, in any order, changes nothing."""
    if column in ("hashtags", "mentions"):
        new, old = f"nullif(s.{column}, [])", f"nullif({alias}.{column}, [])"
    else:
        new, old = f"s.{column}", f"{alias}.{column}"
    return (f"{column} = CASE WHEN s.observed_at > {alias}.last_seen "
            f"THEN coalesce({new}, {old}, s.{column}) ELSE coalesce({old}, {new}, s.{column}) END")


# Ties between rows of one batch (same key, same capture time) break on content, not on
# the order of lines, so a file and its reordered copy give the same store.
_CONTENT_ORDER = "{columns}"
_POST_CONTENT = ", ".join(f"{c} NULLS LAST" for c in (
    "account_id", "created_at", "text", "url", "media_type", "duration_s", "lang", "music_id",
    "is_ad", "hashtags", "mentions"))
_COMMENT_CONTENT = ", ".join(f"{c} NULLS LAST" for c in (
    "text", "author_id", "author_handle", "post_id", "parent_id", "created_at", "likes",
    "reply_count", "by_post_author"))


def _column(rows: Iterable[Any], name: str) -> list[Any]:
    return [getattr(r, name, None) for r in rows]


_TYPES: dict[str, pa.DataType] = {
    "created_at": pa.timestamp("us"), "observed_at": pa.timestamp("us"),
    "duration_s": pa.float64(), "hashtags": pa.list_(pa.string()),
    "mentions": pa.list_(pa.string()), "is_ad": pa.bool_(), "by_post_author": pa.bool_(),
    "line_no": pa.int64(), "reply_count": pa.int64(),
    **{m: pa.int64() for m in METRIC_COLUMNS},
}


def arrow_table(columns: dict[str, list[Any]]) -> pa.Table:
    return pa.table({
        name: pa.array(values, type=_TYPES.get(name, pa.string()))
        for name, values in columns.items()
    })


@dataclass
class MergeCounts:
    """What merging one file's staged rows did: new keys per table, rows whose key the store
    or the file already held (duplicates), and rejected records."""

    posts: int = 0
    comments: int = 0
    accounts: int = 0
    metrics: int = 0
    duplicates: int = 0
    rejected: int = 0


class StagingWriter:
    def __init__(self, con: Connection, format_name: str, fallback_seen: datetime) -> None:
        self.con = con
        self.import_id = 0
        self.format_name = format_name
        self.fallback_seen = fallback_seen
        self.counts = MergeCounts()

    def _append(self, stage: str, columns: dict[str, list[Any]]) -> None:
        self.con.register("stage_arrow", arrow_table(columns))
        names = ", ".join(columns)
        self.con.execute(f"INSERT INTO {stage} ({names}) SELECT {names} FROM stage_arrow")
        self.con.unregister("stage_arrow")

    def write(self, batch: MappedBatch) -> None:
        """Append a batch of Python-mapped rows to the staging tables."""
        seen = self.fallback_seen
        if batch.rejects:
            self._append("stage_rejects", {
                "line_no": [r[0] for r in batch.rejects], "reason": [r[1] for r in batch.rejects],
                "raw": [r[2] for r in batch.rejects]})
        if batch.accounts:
            cols = {n: _column(batch.accounts, n) for n in
                    ("platform", "account_id", "handle", "display_name", "followers")}
            cols["observed_at"] = [a.observed_at or seen for a in batch.accounts]
            self._append("stage_accounts", cols)
        if batch.posts:
            cols = {n: _column(batch.posts, n) for n in (*POST_COLUMNS, *POST_METRICS)}
            cols["hashtags"] = [h or [] for h in cols["hashtags"]]
            cols["mentions"] = [m or [] for m in cols["mentions"]]
            cols["observed_at"] = [p.observed_at or seen for p in batch.posts]
            self._append("stage_posts", cols)
        if batch.metrics:
            cols = {n: _column(batch.metrics, n) for n in ("platform", "post_id",
                                                           *METRIC_COLUMNS)}
            cols["observed_at"] = [m.observed_at or seen for m in batch.metrics]
            self._append("stage_metrics", cols)
        if batch.comments:
            cols = {n: _column(batch.comments, n) for n in COMMENT_COLUMNS}
            cols["observed_at"] = [c.observed_at or seen for c in batch.comments]
            self._append("stage_comments", cols)

    def merge_all(self, import_id: int) -> MergeCounts:
        """Merge everything staged for this file into the real tables (inside a transaction);
        returns what the merge counted."""
        self.import_id = import_id
        con = self.con
        con.execute(f"UPDATE stage_posts SET observed_at = "
                    f"TIMESTAMP '{self.fallback_seen.isoformat(sep=' ')}' "
                    "WHERE observed_at IS NULL")
        rejected = one_row(con.execute("SELECT count(*) FROM stage_rejects"))[0]
        if rejected:
            con.execute(f"INSERT INTO rejects SELECT {self.import_id}, line_no, reason, raw "
                        "FROM stage_rejects")
            self.counts.rejected += rejected
        self._merge_accounts()
        self._merge_posts()
        self._merge_metrics()
        self._merge_comments()
        self._mark_post_authors()
        return self.counts

    def _key_counts(self, rows: str, table: str, keys: tuple[str, ...]) -> tuple[int, int, int]:
        """(staged rows, distinct keys among them, of which already in `table`)."""
        on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
        names = ", ".join(keys)
        total, distinct, known = one_row(self.con.execute(f"""
            SELECT (SELECT count(*) FROM {rows}), count(*),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM {table} t WHERE {on}))
            FROM (SELECT DISTINCT {names} FROM {rows}) s
        """))
        return total, distinct, known

    def _insert_new(self, table: str, columns: str, source: str) -> None:
        """Insert staged rows whose keys the store does not hold yet: first and last seen are
        this capture."""
        self.con.execute(f"""
            INSERT INTO {table} ({columns}, source_format, first_seen, last_seen, import_id)
            SELECT {columns}, '{self.format_name}', observed_at, observed_at, {self.import_id}
            FROM {source}
        """)

    def _merge_accounts(self) -> None:
        con = self.con
        # Post authors are accounts too, with the handle, name and follower count seen on the
        # post. Aggregated straight from both stages: one row per account, not one per post.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE stage_account_merge AS
            SELECT platform, account_id,
                   arg_max(handle, (observed_at, handle))
                       FILTER (handle IS NOT NULL) AS handle,
                   arg_max(display_name, (observed_at, display_name))
                       FILTER (display_name IS NOT NULL) AS display_name,
                   arg_max(followers, (observed_at, followers))
                       FILTER (followers IS NOT NULL) AS followers,
                   max(observed_at) FILTER (followers IS NOT NULL) AS followers_at,
                   min(observed_at) AS first_seen, max(observed_at) AS last_seen
            FROM (
                SELECT platform, account_id, handle, display_name, followers, observed_at
                FROM stage_accounts
                UNION ALL
                SELECT platform, account_id, author_handle, author_name, followers, observed_at
                FROM stage_posts WHERE account_id IS NOT NULL
            )
            GROUP BY platform, account_id
        """)
        try:
            _, distinct, known = self._key_counts("stage_account_merge", "accounts",
                                                  ("platform", "account_id"))
            if not distinct:
                return
            self.counts.accounts += distinct - known
            con.execute("""
                MERGE INTO accounts a USING stage_account_merge s
                ON a.platform = s.platform AND a.account_id = s.account_id
                WHEN MATCHED THEN UPDATE SET
                    handle = CASE WHEN s.last_seen > a.last_seen
                                  THEN coalesce(s.handle, a.handle)
                                  ELSE coalesce(a.handle, s.handle) END,
                    display_name = CASE WHEN s.last_seen > a.last_seen
                                        THEN coalesce(s.display_name, a.display_name)
                                        ELSE coalesce(a.display_name, s.display_name) END,
                    followers = CASE WHEN s.followers IS NOT NULL AND
                                     (a.followers_observed_at IS NULL
                                     OR s.followers_at > a.followers_observed_at)
                                     THEN s.followers ELSE a.followers END,
                    followers_observed_at = CASE WHEN s.followers IS NOT NULL AND
                                     (a.followers_observed_at IS NULL
                                     OR s.followers_at > a.followers_observed_at)
                                     THEN s.followers_at ELSE a.followers_observed_at END,
                    first_seen = least(a.first_seen, s.first_seen),
                    last_seen = greatest(a.last_seen, s.last_seen)
                WHEN NOT MATCHED THEN INSERT (platform, account_id, handle, display_name,
                    followers, followers_observed_at, first_seen, last_seen)
                    VALUES (s.platform, s.account_id, s.handle, s.display_name, s.followers,
                            s.followers_at, s.first_seen, s.last_seen)
            """)
        finally:
            con.execute("DROP TABLE IF EXISTS stage_account_merge")

    def _merge_posts(self) -> None:
        con = self.con
        total, distinct, known = self._key_counts("stage_posts", "posts",
                                                  ("platform", "post_id"))
        if not total:
            return
        self.counts.posts += distinct
        self.counts.duplicates += known + (total - distinct)
        columns = ", ".join(POST_COLUMNS)
        source = "stage_posts"
        if distinct < total:  # the same post twice in this file: keep one row per post
            order = _CONTENT_ORDER.format(columns=_POST_CONTENT)
            source = f"""(SELECT * FROM stage_posts
                QUALIFY row_number() OVER (PARTITION BY platform, post_id
                    ORDER BY observed_at DESC, {order}) = 1)"""
        if not known:  # all new: what the merge would insert, without its join
            self._insert_new("posts", columns, source)
            return
        post_sets = ",\n".join(_newer_wins(c, "p") for c in POST_COLUMNS[2:])
        con.execute(f"""
            MERGE INTO posts p USING {source} s
            ON p.platform = s.platform AND p.post_id = s.post_id
            WHEN MATCHED THEN UPDATE SET
                {post_sets},
                first_seen = least(p.first_seen, s.observed_at),
                last_seen = greatest(p.last_seen, s.observed_at)
            WHEN NOT MATCHED THEN INSERT ({columns}, source_format, first_seen, last_seen,
                                          import_id)
                VALUES ({", ".join("s." + c for c in POST_COLUMNS)}, '{self.format_name}',
                        s.observed_at, s.observed_at, {self.import_id})
        """)

    def _merge_metrics(self) -> None:
        con = self.con
        post_metrics = POST_METRICS
        any_metric = " OR ".join(f"{m} IS NOT NULL" for m in post_metrics)
        # The counts on staged posts are observations too; read in place, not copied.
        con.execute(f"""
            CREATE OR REPLACE TEMP VIEW stage_metric_rows AS
            SELECT platform, post_id, observed_at, {", ".join(METRIC_COLUMNS)} FROM stage_metrics
            UNION ALL
            SELECT platform, post_id, observed_at, {", ".join(post_metrics)},
                   {", ".join(f"NULL::BIGINT AS {m}" for m in METRIC_ONLY)}
            FROM stage_posts WHERE {any_metric}
        """)
        try:
            total, distinct, known = self._key_counts(
                "stage_metric_rows", "post_metrics", ("platform", "post_id", "observed_at"))
            if not total:
                return
            self.counts.metrics += distinct - known
            columns = ", ".join(METRIC_COLUMNS)
            source = "stage_metric_rows"
            if distinct < total:
                aggregates = ", ".join(f"max({m}) AS {m}" for m in METRIC_COLUMNS)
                source = (f"(SELECT platform, post_id, observed_at, {aggregates} "
                          "FROM stage_metric_rows GROUP BY platform, post_id, observed_at)")
            if not known:
                con.execute(f"""
                    INSERT INTO post_metrics (platform, post_id, observed_at, {columns},
                                              source_format, import_id)
                    SELECT platform, post_id, observed_at, {columns}, '{self.format_name}',
                           {self.import_id}
                    FROM {source}
                """)
                return
            metric_sets = ", ".join(f"{m} = coalesce(s.{m}, m.{m})" for m in METRIC_COLUMNS)
            con.execute(f"""
                MERGE INTO post_metrics m USING {source} s
                ON m.platform = s.platform AND m.post_id = s.post_id
                   AND m.observed_at = s.observed_at
                WHEN MATCHED THEN UPDATE SET {metric_sets}
                WHEN NOT MATCHED THEN INSERT (platform, post_id, observed_at, {columns},
                    source_format, import_id)
                    VALUES (s.platform, s.post_id, s.observed_at,
                            {", ".join("s." + m for m in METRIC_COLUMNS)},
                            '{self.format_name}', {self.import_id})
            """)
        finally:
            con.execute("DROP VIEW IF EXISTS stage_metric_rows")

    def _merge_comments(self) -> None:
        con = self.con
        total, distinct, known = self._key_counts("stage_comments", "comments",
                                                  ("platform", "comment_id"))
        if not total:
            return
        self.counts.comments += distinct
        self.counts.duplicates += known + (total - distinct)
        columns = ", ".join(COMMENT_COLUMNS)
        source = "stage_comments"
        if distinct < total:
            source = f"""(SELECT * FROM stage_comments
                QUALIFY row_number() OVER (PARTITION BY platform, comment_id
                    ORDER BY (text IS NULL), (author_id IS NULL),
                             {_CONTENT_ORDER.format(columns=_COMMENT_CONTENT)}) = 1)"""
        if not known:
            self._insert_new("comments", columns, source)
            return
        updates = ", ".join(_newer_wins(col, "c") for col in COMMENT_COLUMNS[2:])
        con.execute(f"""
            MERGE INTO comments c USING {source} s
            ON c.platform = s.platform AND c.comment_id = s.comment_id
            WHEN MATCHED THEN UPDATE SET {updates},
                first_seen = least(c.first_seen, s.observed_at),
                last_seen = greatest(c.last_seen, s.observed_at)
            WHEN NOT MATCHED THEN INSERT ({columns}, source_format,
                first_seen, last_seen, import_id)
                VALUES ({", ".join("s." + c for c in COMMENT_COLUMNS)}, '{self.format_name}',
                        s.observed_at, s.observed_at, {self.import_id})
        """)

    def _mark_post_authors(self) -> None:
        """Set-based fix that needs the whole store: who replied under their own post."""
        self.con.execute("""
            UPDATE comments SET by_post_author = (
                comments.author_id IS NOT DISTINCT FROM p.account_id
                OR coalesce(lower(comments.author_handle) = lower(a.handle), false))
            FROM posts p LEFT JOIN accounts a
                ON a.platform = p.platform AND a.account_id = p.account_id
            WHERE comments.by_post_author IS NULL
              AND comments.platform = p.platform AND comments.post_id = p.post_id
              AND (comments.author_id IS NOT NULL OR comments.author_handle IS NOT NULL)
              AND p.account_id IS NOT NULL
        """)
