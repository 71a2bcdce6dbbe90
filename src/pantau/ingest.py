"""Streaming import: files -> raw records -> mapped rows -> batched merges into the store.

Guarantees (tested): one transaction per file, so an interrupted import leaves nothing of that
file; idempotent, so the same file twice adds no row (identical files are recognised by hash and
skipped, and every merge is keyed); a record that cannot be read or mapped goes to `rejects`
with its line, reason and raw text while the import goes on; every imported file is kept
byte for byte under the project's raw/ folder (`imports.raw_path`), so a better mapper can
re-read it.

Rows reach the store through staging tables: Python mappers append Arrow batches to them, and
formats with a vectorised SQL mapping (`Format.sql_batch`) fill them inside DuckDB, handing back
only the records they cannot map for the Python mapper. Each batch is then merged by key.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from . import formats
from .formats import Format, MapContext, RawRecord, Rejected
from .formats.base import READERS
from .project import ProjectConfig, sync_config
from .records import Account, Comment, Metric, Post
from .sources import Source, expand

BATCH_RECORDS = 5000
BATCH_ROWS = 20000
VECTOR_BATCH = 20000  # lines per DuckDB-mapped batch
PARSE_CHUNKS = 8
READ_BLOCK = 8 << 20


@dataclass
class FileSummary:
    source: str
    format: str = ""
    status: str = "imported"  # imported | skipped (already imported) | refused
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

METRIC_COLUMNS = ("views", "likes", "comments", "shares", "saves", "followers", "reach",
                  "impressions")
POST_COLUMNS = ("platform", "post_id", "account_id", "created_at", "text", "media_type",
                "duration_s", "url", "hashtags", "mentions", "is_ad", "lang", "music_id")
COMMENT_COLUMNS = ("platform", "comment_id", "post_id", "parent_id", "author_id",
                   "author_handle", "created_at", "text", "likes", "reply_count", "by_post_author")

# Staging tables, filled per batch (autocommit, on disk: memory stays flat) by Python mappers
# or a format's SQL mapping, then merged into the real tables in one transaction at the end of
# the file. An interrupted import leaves only staging rows, which the next import drops.
STAGE_DDL = """
CREATE OR REPLACE TABLE stage_posts (
    platform VARCHAR, post_id VARCHAR, account_id VARCHAR, created_at TIMESTAMP, text VARCHAR,
    media_type VARCHAR, duration_s DOUBLE, url VARCHAR, hashtags VARCHAR[], mentions VARCHAR[],
    is_ad BOOLEAN, lang VARCHAR, music_id VARCHAR, observed_at TIMESTAMP, views BIGINT,
    likes BIGINT, comments BIGINT, shares BIGINT, saves BIGINT, followers BIGINT);
CREATE OR REPLACE TABLE stage_accounts (
    platform VARCHAR, account_id VARCHAR, handle VARCHAR, display_name VARCHAR,
    followers BIGINT, observed_at TIMESTAMP);
CREATE OR REPLACE TABLE stage_metrics (
    platform VARCHAR, post_id VARCHAR, observed_at TIMESTAMP, views BIGINT, likes BIGINT,
    comments BIGINT, shares BIGINT, saves BIGINT, followers BIGINT, reach BIGINT,
    impressions BIGINT);
CREATE OR REPLACE TABLE stage_comments (
    platform VARCHAR, comment_id VARCHAR, post_id VARCHAR, parent_id VARCHAR,
    author_id VARCHAR, author_handle VARCHAR, created_at TIMESTAMP, text VARCHAR, likes BIGINT,
    reply_count BIGINT, by_post_author BOOLEAN, observed_at TIMESTAMP);
CREATE OR REPLACE TABLE stage_rejects (line_no BIGINT, reason VARCHAR, raw VARCHAR);
"""
STAGES = ("stage_posts", "stage_accounts", "stage_metrics", "stage_comments", "stage_rejects")


def import_paths(
    con,
    config: ProjectConfig,
    paths: list[str],
    *,
    format_name: str | None = None,
    raw_dir: Path | None = None,
    on_file_start: Callable[[Source, Format, int], ProgressFn | None] | None = None,
) -> list[FileSummary]:
    """Import every file under `paths`. Unknown files are refused, not guessed."""
    summaries: list[FileSummary] = []
    forced = formats.get_format(format_name) if format_name else None
    for source in expand(paths):
        try:
            fmt = forced or formats.detect(source, config=config)
        except formats.FormatError as exc:
            summaries.append(FileSummary(source.name, status="refused", message=str(exc)))
            continue
        progress = on_file_start(source, fmt, source.size()) if on_file_start else None
        summaries.append(import_source(con, config, source, fmt, raw_dir=raw_dir,
                                       progress=progress))
    return summaries


def import_source(
    con, config: ProjectConfig, source: Source, fmt: Format, *, raw_dir: Path | None = None,
    progress: ProgressFn | None = None,
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

    started_at = _now()
    ctx = MapContext(source_name=source.name, file_modified=source.modified_utc())
    if fmt.prepare is not None:
        ctx.options = fmt.prepare(config, source.name)
    kept = _keep_raw_file(source, digest, raw_dir) if raw_dir else None
    con.execute(STAGE_DDL)
    try:
        writer = _BatchWriter(con, fmt.name, ctx.file_modified or _now(), summary)
        with source.open() as raw_stream:
            stream = _CountingStream(raw_stream, progress) if progress else raw_stream
            if fmt.sql_batch is not None and fmt.reader == "ndjson":
                _import_vectorised(fmt, stream, ctx, writer, summary)
            else:
                _import_python(fmt, stream, ctx, writer, summary)
        con.execute("BEGIN TRANSACTION")
        try:
            import_id = con.execute("SELECT nextval('import_ids')").fetchone()[0]
            summary.import_id = import_id
            writer.merge_all(import_id)
            con.execute(
                "INSERT INTO imports (import_id, path, sha256, size_bytes, raw_path, format, "
                "started_at, finished_at, status, records, posts, comments, accounts, metrics, "
                "duplicates, rejected) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?, ?)",
                [import_id, source.name, digest, source.size(),
                 str(kept.relative_to(raw_dir.parent)) if kept and raw_dir else None, fmt.name,
                 started_at, _now(), summary.records, summary.posts, summary.comments,
                 summary.accounts, summary.metrics, summary.duplicates, summary.rejected],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except BaseException:
        if kept is not None:
            kept.unlink(missing_ok=True)
        raise
    finally:
        _drop_stages(con)
    sync_config(con, config)
    summary.seconds = time.perf_counter() - started
    return summary


def _drop_stages(con) -> None:
    try:
        for stage in STAGES:
            con.execute(f"DROP TABLE IF EXISTS {stage}")
    except Exception:  # the connection may be gone after Ctrl-C; the next import drops them
        pass


def _import_python(fmt: Format, stream, ctx: MapContext, writer: _BatchWriter,
                   summary: FileSummary) -> None:
    batch = _Batch()
    for record in READERS[fmt.reader](stream):
        summary.records += 1
        _map_record(fmt, record, ctx, batch)
        if batch.records >= BATCH_RECORDS or batch.size() >= BATCH_ROWS:
            writer.write(batch)
            batch = _Batch()
    writer.write(batch)


def _line_batches(stream, size: int) -> Iterator[list[tuple[int, bytes]]]:
    """Non-blank lines with their 1-based numbers, read in large blocks (fast in C)."""
    batch: list[tuple[int, bytes]] = []
    line_no = 0
    rest = b""
    while True:
        block = stream.read(READ_BLOCK)
        if not block:
            lines = [rest] if rest else []
        else:
            block = rest + block
            cut = block.rfind(b"\n")
            if cut < 0:
                rest = block
                continue
            rest = block[cut + 1:]
            lines = block[:cut].split(b"\n")
        for line in lines:
            line_no += 1
            if line.strip():
                batch.append((line_no, line))
        if len(batch) >= size or (not block and batch):
            yield batch
            batch = []
        if not block:
            return


def _lines_table(lines: list[tuple[int, bytes]]) -> pa.Table:
    # Several record batches let DuckDB parse the JSON on every core.
    step = max(1, len(lines) // PARSE_CHUNKS + 1)
    return pa.Table.from_batches([
        pa.record_batch({
            "line_no": pa.array([n for n, _ in lines[i:i + step]], pa.int64()),
            "line": pa.array([t.decode("utf-8", "replace") for _, t in lines[i:i + step]],
                             pa.string()),
        })
        for i in range(0, len(lines), step)
    ])


def _import_vectorised(fmt: Format, stream, ctx: MapContext, writer: _BatchWriter,
                       summary: FileSummary) -> None:
    """Let DuckDB parse and map each batch of lines; the Python mapper takes the leftovers."""
    con = writer.con
    for lines in _line_batches(stream, VECTOR_BATCH):
        summary.records += len(lines)
        con.register("batch_lines", _lines_table(lines))
        leftovers = set(fmt.sql_batch(con, "batch_lines"))
        con.unregister("batch_lines")
        if not leftovers:
            continue
        batch = _Batch()
        for line_no, text in lines:
            if line_no not in leftovers:
                continue
            decoded = text.decode("utf-8", "replace")
            try:
                record = RawRecord(line_no, decoded, orjson.loads(text))
            except orjson.JSONDecodeError as exc:
                record = RawRecord(line_no, decoded, None,
                                   f"line {line_no} is not valid JSON: {exc}")
            _map_record(fmt, record, ctx, batch)
        writer.write(batch)


@dataclass
class _Batch:
    posts: list[Post] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)
    records: int = 0

    def size(self) -> int:
        return len(self.posts) + len(self.comments) + len(self.accounts) + len(self.metrics)


def _map_record(fmt: Format, record: RawRecord, ctx: MapContext, batch: _Batch) -> None:
    batch.records += 1
    if record.error is not None:
        batch.rejects.append((record.line_no, record.error, record.text))
        return
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


def _keep_raw_file(source: Source, digest: str, raw_dir: Path) -> Path:
    """Copy the file as it was given (compressed stays compressed) into raw/, by content hash."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    name = source.member.rsplit("/", 1)[-1] if source.member else source.path.name
    target = raw_dir / f"{digest[:16]}-{name}"
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        if source.member is None:
            shutil.copyfile(source.path, partial)
        else:
            with source.open() as src, open(partial, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        partial.replace(target)
    return target


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


def _table(columns: dict[str, list[Any]]) -> pa.Table:
    return pa.table({
        name: pa.array(values, type=_TYPES.get(name, pa.string()))
        for name, values in columns.items()
    })


class _BatchWriter:
    def __init__(self, con, format_name: str, fallback_seen: datetime,
                 summary: FileSummary) -> None:
        self.con = con
        self.import_id = 0
        self.format_name = format_name
        self.fallback_seen = fallback_seen
        self.summary = summary

    def _append(self, stage: str, columns: dict[str, list[Any]]) -> None:
        self.con.register("stage_arrow", _table(columns))
        names = ", ".join(columns)
        self.con.execute(f"INSERT INTO {stage} ({names}) SELECT {names} FROM stage_arrow")
        self.con.unregister("stage_arrow")

    def write(self, batch: _Batch) -> None:
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
            cols = {n: _column(batch.posts, n) for n in (*POST_COLUMNS, *METRIC_COLUMNS[:6])}
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
            cols["observed_at"] = [seen] * len(batch.comments)
            self._append("stage_comments", cols)

    def merge_all(self, import_id: int) -> None:
        """Merge everything staged for this file into the real tables (inside a transaction)."""
        self.import_id = import_id
        con = self.con
        con.execute(f"UPDATE stage_posts SET observed_at = coalesce(observed_at, "
                    f"TIMESTAMP '{self.fallback_seen.isoformat(sep=' ')}')")
        rejected = con.execute("SELECT count(*) FROM stage_rejects").fetchone()[0]
        if rejected:
            con.execute(f"INSERT INTO rejects SELECT {self.import_id}, line_no, reason, raw "
                        "FROM stage_rejects")
            self.summary.rejected += rejected
        self._merge_accounts()
        self._merge_posts()
        self._merge_metrics()
        self._merge_comments()
        self._mark_post_authors()

    def _merge_accounts(self) -> None:
        con = self.con
        # Post authors are accounts too, with the follower count seen on the post.
        con.execute("""
            INSERT INTO stage_accounts (platform, account_id, followers, observed_at)
            SELECT platform, account_id, followers, observed_at FROM stage_posts
            WHERE account_id IS NOT NULL
        """)
        new = con.execute("""
            SELECT count(*) FROM (SELECT DISTINCT platform, account_id FROM stage_accounts) s
            WHERE NOT EXISTS (SELECT 1 FROM accounts a
                              WHERE a.platform = s.platform AND a.account_id = s.account_id)
        """).fetchone()[0]
        if not con.execute("SELECT count(*) FROM stage_accounts").fetchone()[0]:
            return
        self.summary.accounts += new
        con.execute("""
            MERGE INTO accounts a USING (
                SELECT platform, account_id,
                       arg_max(handle, (observed_at, handle))
                           FILTER (handle IS NOT NULL) AS handle,
                       arg_max(display_name, (observed_at, display_name))
                           FILTER (display_name IS NOT NULL) AS display_name,
                       arg_max(followers, (observed_at, followers))
                           FILTER (followers IS NOT NULL) AS followers,
                       max(observed_at) FILTER (followers IS NOT NULL) AS followers_at,
                       min(observed_at) AS first_seen, max(observed_at) AS last_seen
                FROM stage_accounts GROUP BY platform, account_id
            ) s
            ON a.platform = s.platform AND a.account_id = s.account_id
            WHEN MATCHED THEN UPDATE SET
                handle = CASE WHEN s.last_seen > a.last_seen THEN coalesce(s.handle, a.handle)
                              ELSE coalesce(a.handle, s.handle) END,
                display_name = CASE WHEN s.last_seen > a.last_seen
                                    THEN coalesce(s.display_name, a.display_name)
                                    ELSE coalesce(a.display_name, s.display_name) END,
                followers = CASE WHEN s.followers IS NOT NULL AND (a.followers_observed_at IS NULL
                                 OR s.followers_at > a.followers_observed_at)
                                 THEN s.followers ELSE a.followers END,
                followers_observed_at = CASE WHEN s.followers IS NOT NULL AND
                                 (a.followers_observed_at IS NULL
                                 OR s.followers_at > a.followers_observed_at)
                                 THEN s.followers_at ELSE a.followers_observed_at END,
                first_seen = least(a.first_seen, s.first_seen),
                last_seen = greatest(a.last_seen, s.last_seen)
            WHEN NOT MATCHED THEN INSERT (platform, account_id, handle, display_name, followers,
                followers_observed_at, first_seen, last_seen)
                VALUES (s.platform, s.account_id, s.handle, s.display_name, s.followers,
                        s.followers_at, s.first_seen, s.last_seen)
        """)

    def _merge_posts(self) -> None:
        con = self.con
        post_sets = ",\n".join(_newer_wins(c, "p") for c in POST_COLUMNS[2:])
        total, distinct, dupes = con.execute("""
            SELECT (SELECT count(*) FROM stage_posts), count(*),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM posts p
                       WHERE p.platform = s.platform AND p.post_id = s.post_id))
            FROM (SELECT DISTINCT platform, post_id FROM stage_posts) s
        """).fetchone()
        if not total:
            return
        self.summary.posts += distinct
        self.summary.duplicates += dupes + (total - distinct)
        con.execute(f"""
            MERGE INTO posts p USING (
                SELECT * FROM stage_posts
                QUALIFY row_number() OVER (PARTITION BY platform, post_id
                    ORDER BY observed_at DESC, {_CONTENT_ORDER.format(columns=_POST_CONTENT)}) = 1
            ) s
            ON p.platform = s.platform AND p.post_id = s.post_id
            WHEN MATCHED THEN UPDATE SET
                {post_sets},
                first_seen = least(p.first_seen, s.observed_at),
                last_seen = greatest(p.last_seen, s.observed_at)
            WHEN NOT MATCHED THEN INSERT (platform, post_id, account_id, created_at, text,
                media_type, duration_s, url, hashtags, mentions, is_ad, lang, music_id,
                source_format, first_seen, last_seen, import_id)
                VALUES (s.platform, s.post_id, s.account_id, s.created_at, s.text, s.media_type,
                        s.duration_s, s.url, s.hashtags, s.mentions, s.is_ad, s.lang, s.music_id,
                        '{self.format_name}', s.observed_at, s.observed_at, {self.import_id})
        """)

    def _merge_metrics(self) -> None:
        con = self.con
        any_metric = " OR ".join(f"{m} IS NOT NULL" for m in METRIC_COLUMNS[:6])
        con.execute(f"""
            INSERT INTO stage_metrics (platform, post_id, observed_at,
                                       {", ".join(METRIC_COLUMNS[:6])})
            SELECT platform, post_id, observed_at, {", ".join(METRIC_COLUMNS[:6])}
            FROM stage_posts WHERE {any_metric}
        """)
        if not con.execute("SELECT count(*) FROM stage_metrics").fetchone()[0]:
            return
        metric_sets = ", ".join(f"{m} = coalesce(s.{m}, m.{m})" for m in METRIC_COLUMNS)
        aggregates = ", ".join(f"max({m}) AS {m}" for m in METRIC_COLUMNS)
        added = con.execute(f"""
            SELECT count(*) FROM (SELECT DISTINCT platform, post_id, observed_at
                                  FROM stage_metrics) s
            WHERE NOT EXISTS (SELECT 1 FROM post_metrics m WHERE m.platform = s.platform
                              AND m.post_id = s.post_id AND m.observed_at = s.observed_at)
        """).fetchone()[0]
        self.summary.metrics += added
        con.execute(f"""
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

    def _merge_comments(self) -> None:
        con = self.con
        total, distinct, dupes = con.execute("""
            SELECT (SELECT count(*) FROM stage_comments), count(*),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM comments c
                       WHERE c.platform = s.platform AND c.comment_id = s.comment_id))
            FROM (SELECT DISTINCT platform, comment_id FROM stage_comments) s
        """).fetchone()
        if not total:
            return
        self.summary.comments += distinct
        self.summary.duplicates += dupes + (total - distinct)
        updates = ", ".join(_newer_wins(col, "c") for col in COMMENT_COLUMNS[2:])
        con.execute(f"""
            MERGE INTO comments c USING (
                SELECT * FROM stage_comments
                QUALIFY row_number() OVER (PARTITION BY platform, comment_id
                    ORDER BY (text IS NULL), (author_id IS NULL),
                             {_CONTENT_ORDER.format(columns=_COMMENT_CONTENT)}) = 1
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
