"""Streaming import: files -> raw records -> mapped rows -> batched merges into the store.

Guarantees (tested): one transaction per file, so an interrupted import leaves nothing of that
file; idempotent, so the same file twice adds no row (identical files are recognised by hash and
skipped, and every merge is keyed); a record that cannot be read or mapped goes to `rejects`
with its line and reason while the import goes on; every record's raw text is kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from . import formats
from .formats import Format, MapContext, RawRecord, Rejected
from .formats.base import READERS
from .project import ProjectConfig, sync_config
from .records import Account, Comment, Metric, Post
from .sources import Source, expand

BATCH_RECORDS = 2000
BATCH_ROWS = 20000


@dataclass
class FileSummary:
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


ProgressFn = Callable[[int], None]


@dataclass
class _Batch:
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    raw: list[tuple[int, str]] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)

    def size(self) -> int:
        return len(self.posts) + len(self.comments) + len(self.accounts) + len(self.metrics)


def import_paths(
    con,
    config: ProjectConfig,
    paths: list[str],
    *,
    format_name: str | None = None,
    on_file_start: Callable[[Source, Format, int], ProgressFn | None] | None = None,
) -> list[FileSummary]:
    """Import every file under `paths`. Unknown files are refused, not guessed."""
    summaries: list[FileSummary] = []
    forced = formats.get_format(format_name) if format_name else None
    for source in expand(paths):
        try:
            fmt = forced or formats.detect(source)
        except formats.FormatError as exc:
            summaries.append(FileSummary(source.name, status="refused", message=str(exc)))
            continue
        progress = on_file_start(source, fmt, source.size()) if on_file_start else None
        summaries.append(import_source(con, config, source, fmt, progress=progress))
    return summaries


def import_source(
    con, config: ProjectConfig, source: Source, fmt: Format, *, progress: ProgressFn | None = None
) -> FileSummary:
    started = time.perf_counter()
    summary = FileSummary(source.name, fmt.name)
    digest = source.sha256()
    previous = con.execute(
        "SELECT import_id FROM imports WHERE sha256 = ? AND status = 'done' LIMIT 1", [digest]
    ).fetchone()
    if previous:
        summary.status = "skipped"
        summary.import_id = previous[0]
        summary.message = f"already imported (import {previous[0]}); nothing added"
        return summary

    ctx = MapContext(source_name=source.name, file_modified=source.modified_utc())
    if fmt.prepare is not None:
        ctx.options = fmt.prepare(config, source.name)
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
        summary.import_id = import_id
        con.execute(
            "INSERT INTO imports (import_id, path, sha256, size_bytes, format, started_at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, 'running')",
            [import_id, source.name, digest, source.size(), fmt.name, _now()],
        )
        writer = _BatchWriter(con, import_id, fmt.name, ctx.file_modified or _now(), summary)
        with source.open() as raw_stream:
            stream = _CountingStream(raw_stream, progress) if progress else raw_stream
            batch = _Batch()
            for record in READERS[fmt.reader](stream):
                summary.records += 1
                _map_record(fmt, record, ctx, batch)
                if len(batch.raw) >= BATCH_RECORDS or batch.size() >= BATCH_ROWS:
                    writer.flush(batch)
                    batch = _Batch()
            writer.flush(batch)
        writer.finish()
        con.execute(
            """UPDATE imports SET finished_at = ?, status = 'done', records = ?, posts = ?,
               comments = ?, accounts = ?, metrics = ?, duplicates = ?, rejected = ?
               WHERE import_id = ?""",
            [_now(), summary.records, summary.posts, summary.comments, summary.accounts,
             summary.metrics, summary.duplicates, summary.rejected, import_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    sync_config(con, config)
    summary.seconds = time.perf_counter() - started
    return summary


def _map_record(fmt: Format, record: RawRecord, ctx: MapContext, batch: _Batch) -> None:
    if record.error is not None:
        batch.rejects.append((record.line_no, record.error, record.text))
        return
    batch.raw.append((record.line_no, record.text))
    try:
        rows = list(fmt.map(record.data, ctx))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        batch.rejects.append((record.line_no, f"{type(exc).__name__}: {exc}", record.text))
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
            import orjson

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

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _column(rows: Iterable[Any], name: str) -> list[Any]:
    return [getattr(r, name) for r in rows]


POST_COLUMNS = ("platform", "post_id", "account_id", "created_at", "text", "media_type",
                "duration_s", "url", "hashtags", "mentions", "is_ad", "lang", "music_id")
METRIC_COLUMNS = ("views", "likes", "comments", "shares", "saves", "followers", "reach",
                  "impressions")
COMMENT_COLUMNS = ("platform", "comment_id", "post_id", "parent_id", "author_id",
                   "author_handle", "created_at", "text", "likes", "reply_count", "by_post_author")

_TYPES: dict[str, pa.DataType] = {
    "created_at": pa.timestamp("us"), "observed_at": pa.timestamp("us"),
    "duration_s": pa.float64(), "hashtags": pa.list_(pa.string()),
    "mentions": pa.list_(pa.string()), "is_ad": pa.bool_(), "by_post_author": pa.bool_(),
    "line_no": pa.int64(),
    **{m: pa.int64() for m in (*METRIC_COLUMNS, "likes", "reply_count")},
}


def _table(columns: dict[str, list[Any]]) -> pa.Table:
    return pa.table({
        name: pa.array(values, type=_TYPES.get(name, pa.string()))
        for name, values in columns.items()
    })


class _BatchWriter:
    def __init__(self, con, import_id: int, format_name: str, fallback_seen: datetime,
                 summary: FileSummary) -> None:
        self.con = con
        self.import_id = import_id
        self.format_name = format_name
        self.fallback_seen = fallback_seen
        self.summary = summary

    def _seen(self, rows: list[Any]) -> list[datetime]:
        return [r.observed_at or self.fallback_seen for r in rows]

    def flush(self, batch: _Batch) -> None:
        con = self.con
        if batch.raw:
            con.register("stage_raw", _table({
                "line_no": [n for n, _ in batch.raw], "raw": [t for _, t in batch.raw]}))
            con.execute(f"INSERT INTO raw_records SELECT {self.import_id}, line_no::BIGINT, raw "
                        "FROM stage_raw")
            con.unregister("stage_raw")
        if batch.rejects:
            con.register("stage_rejects", _table({
                "line_no": [r[0] for r in batch.rejects],
                "reason": [r[1] for r in batch.rejects],
                "raw": [r[2] for r in batch.rejects]}))
            con.execute(f"INSERT INTO rejects SELECT {self.import_id}, line_no::BIGINT, reason, "
                        "raw FROM stage_rejects")
            con.unregister("stage_rejects")
            self.summary.rejected += len(batch.rejects)
        if batch.accounts:
            self._merge_accounts(batch.accounts)
        if batch.posts:
            self._merge_posts(batch.posts)
        if batch.metrics or batch.posts:
            self._insert_metrics(batch.posts, batch.metrics)
        if batch.comments:
            self._merge_comments(batch.comments)

    def _merge_accounts(self, accounts: list[Account]) -> None:
        table = _table({
            "platform": _column(accounts, "platform"),
            "account_id": _column(accounts, "account_id"),
            "handle": _column(accounts, "handle"),
            "display_name": _column(accounts, "display_name"),
            "followers": _column(accounts, "followers"),
            "observed_at": self._seen(accounts),
        })
        self.con.register("stage_accounts", table)
        new = self.con.execute("""
            SELECT count(*) FROM (SELECT DISTINCT platform, account_id FROM stage_accounts) s
            WHERE NOT EXISTS (SELECT 1 FROM accounts a
                              WHERE a.platform = s.platform AND a.account_id = s.account_id)
        """).fetchone()[0]
        self.summary.accounts += new
        self.con.execute("""
            MERGE INTO accounts a USING (
                SELECT platform, account_id,
                       last(handle ORDER BY observed_at) FILTER (handle IS NOT NULL) AS handle,
                       last(display_name ORDER BY observed_at)
                           FILTER (display_name IS NOT NULL) AS display_name,
                       arg_max(followers, observed_at) FILTER (followers IS NOT NULL) AS followers,
                       max(observed_at) FILTER (followers IS NOT NULL) AS followers_at,
                       min(observed_at) AS first_seen, max(observed_at) AS last_seen
                FROM stage_accounts GROUP BY platform, account_id
            ) s
            ON a.platform = s.platform AND a.account_id = s.account_id
            WHEN MATCHED THEN UPDATE SET
                handle = coalesce(s.handle, a.handle),
                display_name = coalesce(s.display_name, a.display_name),
                followers = CASE WHEN s.followers IS NOT NULL AND (a.followers_observed_at IS NULL
                                 OR s.followers_at >= a.followers_observed_at)
                                 THEN s.followers ELSE a.followers END,
                followers_observed_at = CASE WHEN s.followers IS NOT NULL AND
                                 (a.followers_observed_at IS NULL
                                 OR s.followers_at >= a.followers_observed_at)
                                 THEN s.followers_at ELSE a.followers_observed_at END,
                first_seen = least(a.first_seen, s.first_seen),
                last_seen = greatest(a.last_seen, s.last_seen)
            WHEN NOT MATCHED THEN INSERT (platform, account_id, handle, display_name, followers,
                followers_observed_at, first_seen, last_seen)
                VALUES (s.platform, s.account_id, s.handle, s.display_name, s.followers,
                        s.followers_at, s.first_seen, s.last_seen)
        """)
        self.con.unregister("stage_accounts")

    def _merge_posts(self, posts: list[Post]) -> None:
        columns = {name: _column(posts, name) for name in POST_COLUMNS}
        columns["hashtags"] = [h or [] for h in columns["hashtags"]]
        columns["mentions"] = [m or [] for m in columns["mentions"]]
        columns["observed_at"] = self._seen(posts)
        self.con.register("stage_posts", _table(columns))
        distinct, dupes = self.con.execute("""
            SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM posts p
                WHERE p.platform = s.platform AND p.post_id = s.post_id))
            FROM (SELECT DISTINCT platform, post_id FROM stage_posts) s
        """).fetchone()
        self.summary.posts += distinct
        self.summary.duplicates += dupes + (len(posts) - distinct)
        self.con.execute(f"""
            MERGE INTO posts p USING (
                SELECT * FROM stage_posts
                QUALIFY row_number() OVER (PARTITION BY platform, post_id
                                           ORDER BY observed_at DESC) = 1
            ) s
            ON p.platform = s.platform AND p.post_id = s.post_id
            WHEN MATCHED THEN UPDATE SET
                account_id = coalesce(s.account_id, p.account_id),
                created_at = coalesce(s.created_at, p.created_at),
                text = coalesce(s.text, p.text),
                media_type = coalesce(s.media_type, p.media_type),
                duration_s = coalesce(s.duration_s, p.duration_s),
                url = coalesce(s.url, p.url),
                hashtags = CASE WHEN len(s.hashtags) > 0 THEN s.hashtags ELSE p.hashtags END,
                mentions = CASE WHEN len(s.mentions) > 0 THEN s.mentions ELSE p.mentions END,
                is_ad = coalesce(s.is_ad, p.is_ad),
                lang = coalesce(s.lang, p.lang),
                music_id = coalesce(s.music_id, p.music_id),
                first_seen = least(p.first_seen, s.observed_at),
                last_seen = greatest(p.last_seen, s.observed_at)
            WHEN NOT MATCHED THEN INSERT (platform, post_id, account_id, created_at, text,
                media_type, duration_s, url, hashtags, mentions, is_ad, lang, music_id,
                source_format, first_seen, last_seen, import_id)
                VALUES (s.platform, s.post_id, s.account_id, s.created_at, s.text, s.media_type,
                        s.duration_s, s.url, s.hashtags, s.mentions, s.is_ad, s.lang, s.music_id,
                        '{self.format_name}', s.observed_at, s.observed_at, {self.import_id})
        """)
        self.con.unregister("stage_posts")

    def _insert_metrics(self, posts: list[Post], metrics: list[Metric]) -> None:
        observed = [p for p in posts if any(getattr(p, m) is not None for m in
                                            ("views", "likes", "comments", "shares", "saves",
                                             "followers"))]
        rows = list(observed) + list(metrics)
        if not rows:
            return
        columns: dict[str, list[Any]] = {
            "platform": _column(rows, "platform"), "post_id": _column(rows, "post_id"),
            "observed_at": self._seen(rows),
        }
        for name in METRIC_COLUMNS:
            columns[name] = [getattr(r, name, None) for r in rows]
        self.con.register("stage_metrics", _table(columns))
        metric_sets = ", ".join(f"{m} = coalesce(s.{m}, m.{m})" for m in METRIC_COLUMNS)
        aggregates = ", ".join(f"max({m}) AS {m}" for m in METRIC_COLUMNS)
        before = self.con.execute("SELECT count(*) FROM post_metrics").fetchone()[0]
        self.con.execute(f"""
            MERGE INTO post_metrics m USING (
                SELECT platform, post_id, observed_at, {aggregates} FROM stage_metrics
                GROUP BY platform, post_id, observed_at
            ) s
            ON m.platform = s.platform AND m.post_id = s.post_id AND m.observed_at = s.observed_at
            WHEN MATCHED THEN UPDATE SET {metric_sets}
            WHEN NOT MATCHED THEN INSERT (platform, post_id, observed_at,
                {", ".join(METRIC_COLUMNS)}, source_format, import_id)
                VALUES (s.platform, s.post_id, s.observed_at,
                        {", ".join("s." + m for m in METRIC_COLUMNS)},
                        '{self.format_name}', {self.import_id})
        """)
        after = self.con.execute("SELECT count(*) FROM post_metrics").fetchone()[0]
        self.summary.metrics += after - before
        self.con.unregister("stage_metrics")

    def _merge_comments(self, comments: list[Comment]) -> None:
        columns = {name: _column(comments, name) for name in COMMENT_COLUMNS}
        columns["observed_at"] = [self.fallback_seen] * len(comments)
        self.con.register("stage_comments", _table(columns))
        distinct, dupes = self.con.execute("""
            SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM comments c
                WHERE c.platform = s.platform AND c.comment_id = s.comment_id))
            FROM (SELECT DISTINCT platform, comment_id FROM stage_comments) s
        """).fetchone()
        self.summary.comments += distinct
        self.summary.duplicates += dupes + (len(comments) - distinct)
        updates = ", ".join(
            f"{c} = coalesce(s.{c}, c.{c})" for c in COMMENT_COLUMNS[2:]
        )
        self.con.execute(f"""
            MERGE INTO comments c USING (
                SELECT * FROM stage_comments
                QUALIFY row_number() OVER (PARTITION BY platform, comment_id
                                           ORDER BY (text IS NULL), (author_id IS NULL)) = 1
            ) s
            ON c.platform = s.platform AND c.comment_id = s.comment_id
            WHEN MATCHED THEN UPDATE SET {updates},
                first_seen = least(c.first_seen, s.observed_at),
                last_seen = greatest(c.last_seen, s.observed_at)
            WHEN NOT MATCHED THEN INSERT ({", ".join(COMMENT_COLUMNS)}, source_format,
                first_seen, last_seen, import_id)
                VALUES ({", ".join("s." + c for c in COMMENT_COLUMNS)}, '{self.format_name}',
                        s.observed_at, s.observed_at, {self.import_id})
        """)
        self.con.unregister("stage_comments")

    def finish(self) -> None:
        """Set-based fixes that need the whole store: who replied under their own post."""
        self.con.execute("""
            UPDATE comments SET by_post_author = (
                comments.author_id IS NOT DISTINCT FROM p.account_id
                OR (comments.author_handle IS NOT NULL AND lower(comments.author_handle)
                    = lower(a.handle)))
            FROM posts p LEFT JOIN accounts a
                ON a.platform = p.platform AND a.account_id = p.account_id
            WHERE comments.by_post_author IS NULL
              AND comments.platform = p.platform AND comments.post_id = p.post_id
              AND (comments.author_id IS NOT NULL OR comments.author_handle IS NOT NULL)
              AND p.account_id IS NOT NULL
        """)
