"""Parallel execution: the batches of items to label stream from one cursor to a pool of
forked worker processes (labels.label_batch) while this process writes the finished ones,
~250,000 rows per transaction."""

from __future__ import annotations

import gc
import os
from collections import deque
from typing import Any

import pyarrow as pa

from ..store import Connection, one_row, transaction
from . import labels
from .labels import insert, label_batch, runs_key, set_runs
from .plan import TARGETS, EnrichResult, Groups, Progress, Run, pending_query


def label_target(con: Connection, target: str, runs: list[Run], groups: Groups | None,
                 batch_size: int, progress: Progress | None, result: EnrichResult,
                 workers: int | None) -> None:
    """Label the items of `target` that some of `runs` lack, in batches shared by `workers`
    processes (default: up to 4 when there are at least four batches)."""
    _, id_column, author_column = TARGETS[target]
    done_cte, where, params = pending_query(target, runs)
    total = one_row(con.execute(f"{done_cte} SELECT count(*) {where}", params))[0]
    labelled = result.labelled.setdefault(target, {})
    result.items[target] = total
    if progress:
        progress(target, 0, total)
    if not total:
        return
    if workers is None:  # processes pay off once there are several batches to share
        workers = min(os.cpu_count() or 1, 4) if total >= 4 * batch_size else 0
    set_runs(runs)
    key = runs_key()  # the workers fork with these models; every job says so
    if workers > 1:
        warm_models(runs)
    pool = fork_pool(workers) if workers > 1 else None
    cursor = con.cursor()  # reading on its own connection while this one writes
    reader = iter(cursor.sql(
        f"{done_cte} SELECT t.platform, t.{id_column}, t.text, t.{author_column}, d.tasks, "
        f"{'m.text' if target == 'post' else 'NULL::VARCHAR'} AS media_text "
        f"{where}", params=params).to_arrow_reader(batch_size))

    def job(batch: pa.RecordBatch) -> tuple:
        gids: list[str | None] | None = None
        sizes: dict[str, int] | None = None
        per_group: tuple[dict[str, int], list[bool], dict[str, int]] | None = None
        if groups is not None:
            keys = list(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                            strict=True))
            gids = [groups.ids.get(k) for k in keys]
            sizes = {g: groups.sizes.get(g, 0) for g in gids if g}
            # authors per group, and coordinated copies as (flags per comment, most accounts
            # per group)
            per_group = ({g: groups.authors.get(g, 0) for g in gids if g},
                         [k in groups.coordinated for k in keys],
                         {g: groups.bursts.get(g, 0) for g in gids if g})
        return (key, target, batch, gids, sizes, per_group)

    pending: deque = deque()

    def submit() -> bool:
        batch = next(reader, None)
        if batch is None:
            return False
        args = job(batch)
        pending.append(pool.apply_async(label_batch, args) if pool else Done(label_batch(*args)))
        return True

    held: list[tuple[pa.Table, pa.Table]] = []  # finished batches not yet written
    held_rows = 0

    def flush() -> None:
        nonlocal held_rows
        if not held:
            return
        with transaction(con):
            insert(con, pa.concat_tables([h[0] for h in held]),
                   pa.concat_tables([h[1] for h in held]))
        held.clear()
        held_rows = 0

    try:
        for _ in range(max(2 * workers, 1)):
            if not submit():
                break
        while pending:
            labels, state, counts, seconds, n_items, schemes = pending.popleft().get()
            held.append((labels, state))
            held_rows += labels.num_rows + state.num_rows
            if held_rows >= WRITE_ROWS:
                flush()
            for name, n in counts.items():
                labelled[name] = labelled.get(name, 0) + n
            for name, sec in seconds.items():
                result.task_seconds[name] = result.task_seconds.get(name, 0.0) + sec
            for scheme, n in schemes.items():
                result.rows[scheme] = result.rows.get(scheme, 0) + n
            if progress:
                progress(target, n_items, total)
            submit()
        flush()
    finally:
        cursor.close()
        if pool is not None:
            pool.terminate()
            pool.join()


# Label rows per write: DuckDB spends about half as much CPU on a few large appends as on
# one per batch (fewer commits, fewer partly filled row groups rewritten).
WRITE_ROWS = 250_000


class Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value


# Collector thresholds in the workers: young objects are collected 70 times less often than
# by default, full passes are rarer still (see worker_init).
WORKER_GC = (50_000, 20, 10)

def fork_pool(workers: int):
    import multiprocessing as mp

    try:
        context = mp.get_context("fork")
    except ValueError:  # no fork (Windows, macOS default): work in this process
        return None
    return context.Pool(workers, initializer=worker_init)


def warm_models(runs: list[Run]) -> None:
    """Let the models load what they load lazily, once here rather than in every worker."""
    for run in runs:
        warm = getattr(run.model, "warm", None)
        if callable(warm):
            warm()


def worker_init() -> None:
    # What a worker inherits and the caches it grows (chunks, words: millions of objects that
    # live as long as it does) would be traversed again and again by the cyclic collector's
    # full passes, a sixth of the labelling time; the labelling makes few cycles.
    gc.freeze()
    gc.set_threshold(*WORKER_GC)
    for run in labels.RUNS.values():
        if hasattr(run.model, "threads"):
            run.model.threads = 1  # the processes already use the cores


