"""What the coordination signals read: every action of an ordinary account (a comment, or a
post by an account not linked to a candidate) as numpy arrays, plus the URLs, hashtags and
sounds each action shares and the copy-paste group of its text.

Candidates' and parties' linked accounts (pantau.toml) are left out: their coordination is
declared and public. A post author's own replies are left out too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ...text.duplicates import (
    CoordinationSettings,
    DuplicateGroups,
    coordinated_copies,
    coordinated_groups,
)

# URLs as text.duplicates sees them, plus bare short-link domains; trailing punctuation trimmed.
URL_PATTERN = (r"(?:https?://|www\.)[^\s<>\"']+|\b(?:bit\.ly|s\.id|t\.co|wa\.me|linktr\.ee|"
               r"youtu\.be|tinyurl\.com|cutt\.ly)/[^\s<>\"']+")
HASHTAG_PATTERN = r"#([0-9A-Za-z_]*[A-Za-z_][0-9A-Za-z_]*)"


@dataclass
class Events:
    """One row per action, in a fixed order (platform, kind, id)."""

    actor: np.ndarray  # int64 index into `actors`
    t: np.ndarray  # int64 epoch seconds (UTC)
    ctx: np.ndarray  # int64 post the action is on (a comment's post, a post itself)
    ref: np.ndarray  # int64 reference time: the post's time for a comment, the day for a post
    stratum: np.ndarray  # int64: the null permutes delays (t - ref) only within a stratum
    is_comment: np.ndarray  # bool
    group: np.ndarray  # int64 copy-paste group, -1 when the text has no copy
    item_event: np.ndarray  # int64 event index of each shared item
    item: np.ndarray  # int64 item index (into `items`)
    n_actors: int
    n_items: int
    seconds: dict[str, float]


def _normalise_urls_sql(column: str) -> str:
    """A URL as a key: lower case, no scheme, no www., no tracking query, no trailing slash."""
    return (f"rtrim(regexp_replace(regexp_replace(lower(rtrim({column}, '.,;:!?)]}}')), "
            r"'^(https?://)?(www\.)?', ''), '[?&](utm_[a-z]+|fbclid|igsh|si)=[^&]*', '', 'g'), "
            "'/?')")


def load_events(con, *, similarity: float = 0.8, min_words: int = 4,
                copy: CoordinationSettings | None = None, hashtags: bool = True,
                sounds: bool = True) -> Events:
    """Read the actions from the store into temp tables (_co_actors, _co_events, _co_items)
    and numpy arrays."""
    import time

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _co_linked AS
        SELECT DISTINCT platform, account_id, lower(ltrim(handle, '@')) AS handle
        FROM accounts WHERE candidate_id IS NOT NULL""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _co_ctx AS
        SELECT platform, post_id, (row_number() OVER (ORDER BY platform, post_id) - 1)::BIGINT
               AS pidx
        FROM (SELECT platform, post_id FROM posts
              UNION SELECT platform, post_id FROM comments WHERE post_id IS NOT NULL)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _co_raw AS
        SELECT 'comment' AS kind, c.platform, c.comment_id AS event_id,
               coalesce(c.author_id, 'handle:' || lower(ltrim(c.author_handle, '@')))
                   AS account_id,
               c.author_handle AS handle, c.created_at, x.pidx, c.text,
               NULL::VARCHAR AS music_id, NULL::VARCHAR[] AS tags
        FROM comments c JOIN _co_ctx x ON x.platform = c.platform AND x.post_id = c.post_id
        LEFT JOIN posts p ON p.platform = c.platform AND p.post_id = c.post_id
        WHERE c.created_at IS NOT NULL
          AND (c.author_id IS NOT NULL OR c.author_handle IS NOT NULL)
          AND NOT coalesce(c.by_post_author, false)
          AND NOT coalesce(c.author_id = p.account_id, false)
          AND NOT EXISTS (SELECT 1 FROM _co_linked l WHERE l.platform = c.platform
                          AND (l.account_id = c.author_id
                               OR l.handle = lower(ltrim(c.author_handle, '@'))))
        UNION ALL
        SELECT 'post', p.platform, p.post_id, p.account_id, a.handle, p.created_at, x.pidx,
               p.text, p.music_id, p.hashtags
        FROM posts p JOIN _co_ctx x ON x.platform = p.platform AND x.post_id = p.post_id
        LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id
        WHERE p.created_at IS NOT NULL AND p.account_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM _co_linked l WHERE l.platform = p.platform
                          AND l.account_id = p.account_id)
          -- an X reply is both a comment and its author's post: count it once
          AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.platform = p.platform
                          AND c.comment_id = p.post_id)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _co_actors AS
        SELECT platform, account_id, any_value(handle) AS handle,
               (row_number() OVER (ORDER BY platform, account_id) - 1)::BIGINT AS aid
        FROM _co_raw GROUP BY platform, account_id""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _co_events AS
        SELECT (row_number() OVER (ORDER BY r.platform, r.kind, r.event_id) - 1)::BIGINT
                   AS eidx,
               r.kind, r.platform, r.event_id, a.aid, r.created_at,
               epoch(r.created_at)::BIGINT AS t, r.pidx,
               epoch(CASE WHEN r.kind = 'comment'
                          THEN coalesce(p.created_at, min(r.created_at) OVER
                                        (PARTITION BY r.platform, r.pidx))
                          ELSE date_trunc('day', r.created_at) END)::BIGINT AS ref,
               dense_rank() OVER (ORDER BY r.kind, CASE WHEN r.kind = 'comment'
                   THEN r.platform ELSE r.platform || strftime(r.created_at, '%Y-%m-%d') END)
                   AS stratum,
               r.text, r.music_id, r.tags
        FROM _co_raw r JOIN _co_actors a USING (platform, account_id)
        LEFT JOIN _co_ctx x ON x.pidx = r.pidx
        LEFT JOIN posts p ON p.platform = x.platform AND p.post_id = x.post_id""")
    con.execute("DROP TABLE IF EXISTS _co_raw")
    # texts stay in DuckDB unless they must be grouped here (see _copy_groups)
    table = con.sql("SELECT aid, t, pidx, ref, stratum, kind = 'comment' AS is_comment "
                    "FROM _co_events ORDER BY eidx").to_arrow_table()
    actor, when = table.column("aid").to_numpy(), table.column("t").to_numpy()
    n_actors = con.execute("SELECT count(*) FROM _co_actors").fetchone()[0]
    seconds["read"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    groups = _copy_groups(con, table, actor, when, similarity, min_words, copy)
    group = _codes([gid if flag else None
                    for gid, flag in zip(groups.ids, groups.coordinated or [], strict=True)])
    con.register("_co_group_arrow", pa.table({"eidx": np.arange(len(group)), "grp": group}))
    con.execute("CREATE OR REPLACE TEMP TABLE _co_groups AS SELECT * FROM _co_group_arrow "
                "WHERE grp >= 0")
    con.unregister("_co_group_arrow")
    seconds["copy_groups"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    parts = [f"""SELECT eidx, 'url:' || {_normalise_urls_sql('u')} AS item
                 FROM _co_events, unnest(regexp_extract_all(text, {_sql(URL_PATTERN)})) AS x(u)
                 WHERE text LIKE '%/%'"""]
    if hashtags:
        parts.append(f"""SELECT eidx, '#' || lower(h) AS item
                         FROM _co_events,
                              unnest(regexp_extract_all(text, {_sql(HASHTAG_PATTERN)}, 1)) AS x(h)
                         WHERE kind = 'comment' AND text LIKE '%#%'""")
        parts.append("""SELECT eidx, '#' || lower(ltrim(h, '#')) AS item
                        FROM _co_events, unnest(tags) AS x(h) WHERE kind = 'post'""")
    if sounds:
        parts.append("SELECT eidx, 'sound:' || music_id AS item FROM _co_events "
                     "WHERE music_id IS NOT NULL")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _co_item_rows AS
        SELECT DISTINCT eidx, item FROM ({' UNION ALL '.join(parts)}) WHERE length(item) > 4""")
    # an item only one account ever shared cannot be co-shared: leave it out early
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _co_items AS
        SELECT item, (row_number() OVER (ORDER BY item) - 1)::BIGINT AS iidx
        FROM (SELECT r.item FROM _co_item_rows r JOIN _co_events e USING (eidx)
              GROUP BY r.item HAVING count(DISTINCT e.aid) >= 2)""")
    items = con.sql("""SELECT r.eidx, i.iidx FROM _co_item_rows r JOIN _co_items i USING (item)
                       ORDER BY r.eidx, i.iidx""").to_arrow_table()
    n_items = con.execute("SELECT count(*) FROM _co_items").fetchone()[0]
    seconds["items"] = time.perf_counter() - t0
    return Events(
        actor=table.column("aid").to_numpy().astype(np.int64),
        t=table.column("t").to_numpy().astype(np.int64),
        ctx=table.column("pidx").to_numpy().astype(np.int64),
        ref=table.column("ref").to_numpy().astype(np.int64),
        stratum=table.column("stratum").to_numpy().astype(np.int64),
        is_comment=table.column("is_comment").to_numpy(zero_copy_only=False).astype(bool),
        group=group,
        item_event=items.column("eidx").to_numpy().astype(np.int64),
        item=items.column("iidx").to_numpy().astype(np.int64),
        n_actors=int(n_actors), n_items=int(n_items), seconds=seconds)


def _copy_groups(con, table: pa.Table, actor, when, similarity: float, min_words: int,
                 copy: CoordinationSettings | None) -> DuplicateGroups:
    """Copy-paste groups with the coordinated copies marked (text.duplicates). When enrich has
    grouped every comment already (its duplicate_group task, the same definition and
    settings), its groups are read back and only the posts' texts are grouped here; copies
    between a post and a comment are then not linked. Otherwise everything is grouped here."""
    kinds = table.column("is_comment").to_numpy(zero_copy_only=False)
    n_comments = int(kinds.sum())
    covered = con.execute("""
        SELECT count(*) FROM _co_events e SEMI JOIN enrich_state s
            ON s.platform = e.platform AND s.target_id = e.event_id AND s.target = 'comment'
               AND s.task = 'duplicate_group'
        WHERE e.kind = 'comment'""").fetchone()[0]
    if n_comments == 0 or covered < n_comments:
        texts = con.sql("SELECT text FROM _co_events ORDER BY eidx").to_arrow_table()
        return coordinated_groups(texts.column(0).to_pylist(), actor.tolist(),
                                  when.tolist(), similarity=similarity, min_words=min_words,
                                  settings=copy)
    labelled = con.sql("""
        SELECT l.value FROM _co_events e
        LEFT JOIN (SELECT platform, target_id, arg_max(value, created_at) AS value
                   FROM labels WHERE scheme = 'duplicate_group' AND target = 'comment'
                   GROUP BY ALL) l
          ON l.platform = e.platform AND l.target_id = e.event_id AND e.kind = 'comment'
        ORDER BY e.eidx""").to_arrow_table().column(0).to_pylist()
    posts = [i for i in range(len(labelled)) if not kinds[i]]
    if posts:
        texts = con.sql("SELECT text FROM _co_events WHERE kind = 'post' ORDER BY eidx"
                        ).to_arrow_table().column(0).to_pylist()
        own = coordinated_groups(texts, None, None, similarity=similarity,
                                 min_words=min_words).ids
        for i, gid in zip(posts, own, strict=True):
            labelled[i] = None if gid is None else "post:" + gid
    ids = [None if g is None else str(g) for g in labelled]
    return coordinated_copies(DuplicateGroups(ids, {}, {}), actor.tolist(), when.tolist(), copy)


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _codes(ids: list[str | None]) -> np.ndarray:
    """Group ids as integers, -1 for none."""
    codes: dict[str, int] = {}
    out = np.full(len(ids), -1, np.int64)
    for i, gid in enumerate(ids):
        if gid is not None:
            out[i] = codes.setdefault(gid, len(codes))
    return out
