"""Copy-paste groups over all comments (the `duplicate_group` scheme, an input of the category
task), computed before the tasks label anything, on the same cores."""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

import orjson
import pyarrow as pa

from ..models.rows import LABEL_COLUMNS, LABEL_SCHEMA
from ..store import Connection, one_row, transaction
from .labels import STATE_SCHEMA, insert
from .parallel import fork_pool
from .plan import DUPLICATE_TASK, EnrichResult, Groups


def copy_groups(con: Connection, reader: Any, result: EnrichResult, batch_size: int = 5000,
                      workers: int | None = None) -> Groups | None:
    """Copy-paste groups over every comment (pantau.text.duplicates, with the settings of the
    model reading them, the category classifier, when it runs) and the coordinated copies
    among them (coordinated_copies: several accounts within a time window), recomputed
    whenever comments were added or the settings changed; else read back from the labels."""
    from ..text.duplicates import CoordinationSettings, coordinated_copies, duplicate_groups

    similarity, min_words = 0.8, 4
    settings = CoordinationSettings()
    if reader is not None and hasattr(reader, "similarity"):
        similarity, min_words = float(reader.similarity), int(reader.min_words)
        settings = getattr(reader, "coordination", settings)
    digest = hashlib.sha1(f"{similarity}|{min_words}|{settings.digest}".encode()
                          ).hexdigest()[:8]
    source = f"model:{DUPLICATE_TASK}@1.{digest}"
    result.sources[DUPLICATE_TASK] = source
    stale = one_row(con.execute(
        """SELECT count(*) FROM comments c WHERE NOT EXISTS (
               SELECT 1 FROM enrich_state s WHERE s.task = ? AND s.source = ?
               AND s.target = 'comment' AND s.platform = c.platform
               AND s.target_id = c.comment_id)""", [DUPLICATE_TASK, source]))[0]
    if not stale:  # nothing new: the stored groups hold
        rows = con.execute(
            "SELECT platform, target_id, value, evidence FROM labels "
            "WHERE scheme = ? AND source = ?", [DUPLICATE_TASK, source]).fetchall()
        groups = Groups({}, {}, {})
        for platform, target_id, gid, evidence in rows:
            groups.ids[(platform, target_id)] = gid
            info = orjson.loads(evidence) if evidence else {}
            if info.get("coordinated"):
                groups.coordinated.add((platform, target_id))
            if gid not in groups.sizes:
                groups.sizes[gid] = int(info.get("copies") or 0)
                groups.authors[gid] = int(info.get("authors") or 0)
                groups.bursts[gid] = int(info.get("burst_accounts") or 0)
        result.duplicate_groups = len(groups.sizes)
        return groups
    # a fixed order: near-duplicate grouping depends on the order of the texts (which
    # candidate pairs get checked), and DuckDB returns rows in no particular order
    table = con.sql("SELECT platform, comment_id, text, author_id, created_at FROM comments "
                    "ORDER BY platform, comment_id").to_arrow_table()
    platforms = table.column(0).to_pylist()
    comment_ids = table.column(1).to_pylist()
    clock = time.perf_counter()
    if workers is None:  # as for labelling: processes pay off on large tables
        workers = min(os.cpu_count() or 1, 4) if len(platforms) >= 4 * batch_size else 0
    if workers > 1:
        import scipy.sparse  # noqa: F401 - imported once here, not in each worker (_similar)
    pool = fork_pool(workers) if workers > 1 else None
    try:  # grouping comes before labelling, so it would otherwise keep the other cores idle
        found = duplicate_groups(table.column(2).to_pylist(), table.column(3).to_pylist(),
                                 similarity=similarity, min_words=min_words,
                                 mapper=pool.map if pool else map, parts=workers if pool else 1)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    found = coordinated_copies(found, table.column(3).to_pylist(), table.column(4).to_pylist(),
                               settings)
    flags = found.coordinated or [False] * len(platforms)
    result.task_seconds[DUPLICATE_TASK] = time.perf_counter() - clock
    groups = Groups({}, dict(found.sizes), dict(found.authors), set(), dict(found.bursts))
    cols: dict[str, list] = {c: [] for c in LABEL_COLUMNS}
    info = {(gid, flag): orjson.dumps({"copies": found.sizes.get(gid),
                                       "authors": found.authors.get(gid),
                                       "burst_accounts": found.bursts.get(gid, 0),
                                       "coordinated": flag}).decode()
            for gid in found.sizes for flag in (False, True)}
    for platform, comment_id, gid, flag in zip(platforms, comment_ids, found.ids, flags,
                                               strict=True):
        if gid is None:
            continue
        groups.ids[(platform, comment_id)] = gid
        if flag:
            groups.coordinated.add((platform, comment_id))
        cols["platform"].append(platform)
        cols["target_id"].append(comment_id)
        cols["value"].append(gid)
        cols["evidence"].append(info[(gid, flag)])
    n = len(cols["platform"])
    cols.update(target=["comment"] * n, scheme=[DUPLICATE_TASK] * n, score=[None] * n,
                source=[source] * n)
    m = len(platforms)
    state = pa.table({"platform": platforms, "target": ["comment"] * m,
                      "target_id": comment_ids, "task": [DUPLICATE_TASK] * m,
                      "source": [source] * m}, schema=STATE_SCHEMA)
    with transaction(con):
        con.execute("DELETE FROM labels WHERE scheme = ? AND source LIKE 'model:%'",
                    [DUPLICATE_TASK])
        con.execute("DELETE FROM enrich_state WHERE task = ?", [DUPLICATE_TASK])
        insert(con, pa.table(cols, schema=LABEL_SCHEMA), state)
    result.rows[DUPLICATE_TASK] = result.rows.get(DUPLICATE_TASK, 0) + n
    result.duplicate_groups = len(groups.sizes)
    return groups


