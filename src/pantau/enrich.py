"""Enrichment: label every post and comment that the current model versions have not labelled.

For each task in the registry (pantau.models.registry.TASKS: lang, sentiment, question,
toxicity, category, function, topic, normalize) the model in force (the project's own if
trained, else the shipped one) labels the posts/comments it applies to (Task.targets), writing
`labels` rows with source `model:NAME@VERSION` as the task declares (Task.rows, .evidence,
.extra_rows, .build_rows; pantau.models.rows), plus, before them, `duplicate_group` rows
(comments; copy-paste groups across the whole project, an input of the category task).
Nothing here branches on a task's name: a new classifier needs only its registry entry.

Incremental: an item counts as seen by a model version when the table `enrich_state(platform,
target, target_id, task, source)` (store schema version 2) says so, or, for a task that writes
exactly one row per item (Task.rows == ONE), when that row of the version exists; state rows
are written only for the tasks that may legitimately write no row (no topic found) and for
duplicate_group, so a second run only labels new items. A new model version
relabels: the rows of the older version for that task's schemes (and its state) are deleted
first. Human codes (`coder:NAME`) are never touched. Work streams in batches: ids and texts
are read with Arrow from one cursor, labels are written through a registered Arrow table and
INSERT, one transaction per ~250,000 rows (an interrupted run keeps every finished write).
Batches are labelled by a pool of processes (one per core) while this one writes; the
copy-paste grouping before them uses the same cores. A task that consumes another's
predictions (Task.consumes: question reads toxicity; category reads toxicity, question and
sentiment) runs after it and reuses them instead of predicting again.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import pyarrow as pa

from .models import registry
from .models.base import source_of
from .models.rows import LABEL_COLUMNS as _LABEL_COLUMNS
from .models.rows import LABEL_SCHEMA as _LABEL_SCHEMA
from .models.rows import ONE, empty_columns, label_rows, repeat
from .text.duplicates import DuplicateGroups

DEFAULT_TASKS = registry.DEFAULT_TASKS
TARGETS = {  # target -> (table, id column, author column)
    "comment": ("comments", "comment_id", "author_id"),
    "post": ("posts", "post_id", "account_id"),
}
DUPLICATE_TASK = registry.DUPLICATE_GROUP
_STATE_SCHEMA = pa.schema([("platform", pa.string()), ("target", pa.string()),
                           ("target_id", pa.string()), ("task", pa.string()),
                           ("source", pa.string())])

Progress = Callable[[str, int, int], None]  # (target, advance, total)


@dataclass
class EnrichResult:
    labelled: dict[str, dict[str, int]] = field(default_factory=dict)  # target -> task -> items
    rows: dict[str, int] = field(default_factory=dict)  # scheme -> label rows written
    removed: dict[str, int] = field(default_factory=dict)  # task -> old-version rows deleted
    skipped: dict[str, str] = field(default_factory=dict)  # task -> why
    sources: dict[str, str] = field(default_factory=dict)  # task -> model:NAME@VERSION
    duplicate_groups: int | None = None
    items: dict[str, int] = field(default_factory=dict)  # target -> items processed
    seconds: float = 0.0
    task_seconds: dict[str, float] = field(default_factory=dict)  # time inside each model

    def as_dict(self) -> dict:
        return {"items": self.items, "labelled": self.labelled, "rows": self.rows,
                "removed_old_versions": self.removed, "skipped": self.skipped,
                "sources": self.sources, "duplicate_groups": self.duplicate_groups,
                "seconds": round(self.seconds, 2),
                "task_seconds": {k: round(v, 2) for k, v in self.task_seconds.items()}}


@dataclass
class _Run:
    name: str
    spec: registry.Task
    model: Any
    source: str


class _Replay:
    """Stands in for a model whose predictions for these very texts are already known, so a
    task consuming another (Task.consumes: category reads toxicity, question and sentiment)
    does not run it a second time."""

    def __init__(self, model: Any, predictions: list) -> None:
        self.NAME = getattr(model, "NAME", "")
        self.VERSION = getattr(model, "VERSION", "")
        self.LABELS = getattr(model, "LABELS", ())
        self.lexicon = getattr(model, "lexicon", None)
        self._predictions = predictions

    def predict(self, texts: Sequence[str | None], **_: Any) -> list:
        if len(texts) != len(self._predictions):
            raise ValueError("replay used on other texts")
        return self._predictions


def load_models(project: Any, tasks: Sequence[str] | None = None
                ) -> tuple[list[_Run], dict[str, str]]:
    """The models in force for the tasks; tasks whose model is unavailable are skipped."""
    runs, skipped = [], {}
    for name in tasks or DEFAULT_TASKS:
        if name == DUPLICATE_TASK:  # not a per-text model: enrich() groups comments itself
            continue
        spec = registry.task(name)
        try:
            model = registry.load(spec.name, project)
        except LookupError as exc:
            skipped[spec.name] = str(exc)
            continue
        runs.append(_Run(spec.name, spec, model, source_of(model)))
    return runs, skipped


def enrich(project: Any, *, tasks: Sequence[str] | None = None, batch_size: int = 5000,
           progress: Progress | None = None, con: Any = None,
           workers: int | None = None) -> EnrichResult:
    """Label what the current model versions have not labelled yet (see module docstring).
    `workers`: processes sharing the models' work (default: up to 4, one per core, when there
    are at least four batches; 0 or 1: all in this process)."""
    started = time.perf_counter()
    result = EnrichResult()
    runs, result.skipped = load_models(project, tasks)
    for name, why in result.skipped.items():
        warnings.warn(f"enrich: task {name} skipped: {why}", stacklevel=2)
    result.sources = {r.name: r.source for r in runs}
    own = con is None
    if own:
        con = project.connect()
    try:
        _drop_old_versions(con, runs, result)
        groups = None
        if tasks is None or DUPLICATE_TASK in tasks or any(
                DUPLICATE_TASK in registry.task(t).inputs for t in tasks if t != DUPLICATE_TASK):
            reader = next((r.model for r in runs if DUPLICATE_TASK in r.spec.inputs), None)
            groups = _duplicate_groups(con, reader, result, batch_size, workers)
        for target in ("comment", "post"):
            target_runs = [r for r in runs if target in r.spec.targets]
            if target_runs:
                _label_target(con, target, target_runs, groups if target == "comment" else None,
                              batch_size, progress, result, workers)
    finally:
        if own:
            con.close()
    result.seconds = time.perf_counter() - started
    return result


# -- versions -------------------------------------------------------------------------------
def _drop_old_versions(con: Any, runs: list[_Run], result: EnrichResult) -> None:
    con.execute("BEGIN")
    try:
        for run in runs:
            schemes = list(run.spec.schemes)
            targets = list(run.spec.targets)
            removed = con.execute(
                f"""DELETE FROM labels WHERE scheme IN ({_marks(schemes)})
                    AND target IN ({_marks(targets)})
                    AND source LIKE 'model:%' AND source <> ?""",
                [*schemes, *targets, run.source]).fetchone()
            con.execute("DELETE FROM enrich_state WHERE task = ? AND source <> ?",
                        [run.name, run.source])
            n = int(removed[0]) if removed else 0
            if n:
                result.removed[run.name] = n
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# -- duplicates -----------------------------------------------------------------------------
@dataclass
class _Groups:
    ids: dict[tuple[str, str], str]  # (platform, comment_id) -> group id (grouped ones only)
    sizes: dict[str, int]  # group -> copies
    authors: dict[str, int]  # group -> distinct authors
    coordinated: set[tuple[str, str]] = field(default_factory=set)  # coordinated copies
    bursts: dict[str, int] = field(default_factory=dict)  # group -> most accounts in a window


def _duplicate_groups(con: Any, reader: Any, result: EnrichResult, batch_size: int = 5000,
                      workers: int | None = None) -> _Groups | None:
    """Copy-paste groups over every comment (pantau.text.duplicates, with the settings of the
    model reading them, the category classifier, when it runs) and the coordinated copies
    among them (coordinated_copies: several accounts within a time window), recomputed
    whenever comments were added or the settings changed; else read back from the labels."""
    from .text.duplicates import CoordinationSettings, coordinated_copies, duplicate_groups

    similarity, min_words = 0.8, 4
    settings = CoordinationSettings()
    if reader is not None and hasattr(reader, "similarity"):
        similarity, min_words = float(reader.similarity), int(reader.min_words)
        settings = getattr(reader, "coordination", settings)
    digest = hashlib.sha1(f"{similarity}|{min_words}|{settings.digest}".encode()
                          ).hexdigest()[:8]
    source = f"model:{DUPLICATE_TASK}@1.{digest}"
    result.sources[DUPLICATE_TASK] = source
    stale = con.execute(
        """SELECT count(*) FROM comments c WHERE NOT EXISTS (
               SELECT 1 FROM enrich_state s WHERE s.task = ? AND s.source = ?
               AND s.target = 'comment' AND s.platform = c.platform
               AND s.target_id = c.comment_id)""", [DUPLICATE_TASK, source]).fetchone()[0]
    if not stale:  # nothing new: the stored groups hold
        rows = con.execute(
            "SELECT platform, target_id, value, evidence FROM labels "
            "WHERE scheme = ? AND source = ?", [DUPLICATE_TASK, source]).fetchall()
        groups = _Groups({}, {}, {})
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
    pool = _pool(workers) if workers > 1 else None
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
    groups = _Groups({}, dict(found.sizes), dict(found.authors), set(), dict(found.bursts))
    cols: dict[str, list] = {c: [] for c in _LABEL_COLUMNS}
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
                      "source": [source] * m}, schema=_STATE_SCHEMA)
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM labels WHERE scheme = ? AND source LIKE 'model:%'",
                    [DUPLICATE_TASK])
        con.execute("DELETE FROM enrich_state WHERE task = ?", [DUPLICATE_TASK])
        _insert(con, pa.table(cols, schema=_LABEL_SCHEMA), state)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result.rows[DUPLICATE_TASK] = result.rows.get(DUPLICATE_TASK, 0) + n
    result.duplicate_groups = len(groups.sizes)
    return groups


# -- labelling ------------------------------------------------------------------------------
def _label_target(con: Any, target: str, runs: list[_Run], groups: _Groups | None,
                  batch_size: int, progress: Progress | None, result: EnrichResult,
                  workers: int | None) -> None:
    table, id_column, author_column = TARGETS[target]
    names = [r.name for r in runs]
    # "seen" = a state row, or for a task writing one row per item its main label of this
    # version (enrich writes no state rows for those: the label row already says it)
    own = [r for r in runs if r.spec.rows == ONE]
    from_labels = "".join(
        """ UNION SELECT platform, target_id, ? AS task FROM labels
             WHERE target = ? AND scheme = ? AND source = ?""" for _ in own)
    done_cte = f"""WITH done AS (
        SELECT platform, target_id, list(task) AS tasks FROM (
            SELECT platform, target_id, task FROM enrich_state
            WHERE target = ? AND task IN ({_marks(names)}){from_labels})
        GROUP BY platform, target_id)"""
    where = f"""FROM {table} t LEFT JOIN done d
        ON d.platform = t.platform AND d.target_id = t.{id_column}
        WHERE d.tasks IS NULL OR len(d.tasks) < {len(runs)}"""
    params = [target, *names]
    for r in own:
        params += [r.name, target, r.spec.schemes[0], r.source]
    total = con.execute(f"{done_cte} SELECT count(*) {where}", params).fetchone()[0]
    labelled = result.labelled.setdefault(target, {})
    result.items[target] = total
    if progress:
        progress(target, 0, total)
    if not total:
        return
    if workers is None:  # processes pay off once there are several batches to share
        workers = min(os.cpu_count() or 1, 4) if total >= 4 * batch_size else 0
    _RUNS.clear()
    _RUNS.update({r.name: r for r in runs})
    if workers > 1:
        _warm(runs)
    pool = _pool(workers) if workers > 1 else None
    cursor = con.cursor()  # reading on its own connection while this one writes
    reader = iter(cursor.sql(
        f"{done_cte} SELECT t.platform, t.{id_column}, t.text, t.{author_column}, d.tasks "
        f"{where}", params=params).to_arrow_reader(batch_size))

    def job(batch: pa.RecordBatch) -> tuple:
        gids = sizes = authors = None
        if groups is not None:
            keys = list(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                            strict=True))
            gids = [groups.ids.get(k) for k in keys]
            sizes = {g: groups.sizes.get(g, 0) for g in gids if g}
            authors = {g: groups.authors.get(g, 0) for g in gids if g}
            # coordinated copies travel as (flags per comment, most accounts per group)
            authors = (authors, [k in groups.coordinated for k in keys],
                       {g: groups.bursts.get(g, 0) for g in gids if g})
        return (target, batch, gids, sizes, authors)

    pending: deque = deque()

    def submit() -> bool:
        batch = next(reader, None)
        if batch is None:
            return False
        args = job(batch)
        pending.append(pool.apply_async(_work, args) if pool else _Done(_work(*args)))
        return True

    held: list[tuple[pa.Table, pa.Table]] = []  # finished batches not yet written
    held_rows = 0

    def flush() -> None:
        nonlocal held_rows
        if not held:
            return
        con.execute("BEGIN")
        try:
            _insert(con, pa.concat_tables([h[0] for h in held]),
                    pa.concat_tables([h[1] for h in held]))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
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
            if held_rows >= _WRITE_ROWS:
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
_WRITE_ROWS = 250_000


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value


# Collector thresholds in the workers: young objects are collected 70 times less often than
# by default, full passes are rarer still (see _worker_init).
_WORKER_GC = (50_000, 20, 10)

# Models for the worker processes: set before the pool forks, so each worker inherits them.
_RUNS: dict[str, _Run] = {}


def _pool(workers: int):
    import multiprocessing as mp

    try:
        context = mp.get_context("fork")
    except ValueError:  # no fork (Windows, macOS default): work in this process
        return None
    return context.Pool(workers, initializer=_worker_init)


def _warm(runs: list[_Run]) -> None:
    """Let the models load what they load lazily, once here rather than in every worker."""
    for run in runs:
        warm = getattr(run.model, "warm", None)
        if callable(warm):
            warm()


def _worker_init() -> None:
    # What a worker inherits and the caches it grows (chunks, words: millions of objects that
    # live as long as it does) would be traversed again and again by the cyclic collector's
    # full passes, a sixth of the labelling time; the labelling makes few cycles.
    gc.freeze()
    gc.set_threshold(*_WORKER_GC)
    for run in _RUNS.values():
        if hasattr(run.model, "threads"):
            run.model.threads = 1  # the processes already use the cores


def _work(target: str, batch: pa.RecordBatch, gids: list | None, sizes: dict | None,
          authors_per_group: tuple | None
          ) -> tuple[pa.Table, pa.Table, dict, dict, int, dict]:
    """Label one batch with every model it still lacks: label and state tables, items per
    task, seconds per task, items, rows per scheme. Runs in a worker process or in this one
    (the tables are built here: Arrow travels between processes far cheaper than lists)."""
    plat_all = batch.column(0).cast(pa.string())
    ids_all = batch.column(1).cast(pa.string())
    ids = ids_all.to_pylist()
    texts = batch.column(2).to_pylist()
    authors = batch.column(3).to_pylist()
    done = batch.column(4).to_pylist()
    groups = None
    if gids is not None:
        per_group, flags, bursts = authors_per_group
        groups = DuplicateGroups(gids, sizes, per_group, flags, bursts)
    cols = empty_columns()  # rows of the varying tasks and extra schemes
    tables: list[pa.Table] = []
    states: list[pa.Table] = []
    schemes: Counter = Counter()
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    everything = all(d is None for d in done)
    every: tuple[list[int], list[int], list] | None = None
    known: dict[str, tuple[list[int], list]] = {}  # task -> (items, predictions) so far
    for name in registry.run_order(list(_RUNS)):
        run = _RUNS[name]
        spec = run.spec
        if everything:
            idx = list(range(len(ids)))
        else:
            idx = [i for i, d in enumerate(done) if d is None or name not in d]
        if not idx:
            continue
        sub = texts if everything else [texts[i] for i in idx]
        clock = time.perf_counter()
        if not spec.text_only:
            sub_groups = None
            if DUPLICATE_TASK in spec.inputs and groups is not None:
                sub_groups = DuplicateGroups(
                    [groups.ids[i] for i in idx], groups.sizes, groups.authors,
                    None if groups.coordinated is None
                    else [groups.coordinated[i] for i in idx], groups.bursts)
            with _replaying(run, known, idx, None):
                preds = _predict_with_inputs(run.model, sub, [authors[i] for i in idx],
                                             sub_groups)
        else:
            # each distinct text once (copy-paste repeats): these models read the text alone
            if every is None or not everything:
                firsts, where = _distinct(sub)
                unique = [sub[k] for k in firsts] if len(firsts) < len(sub) else sub
                if everything:  # the same texts for every task: find the repeats once
                    every = (firsts, where, unique)
            else:
                firsts, where, unique = every
            with _replaying(run, known, idx, firsts if unique is not sub else None):
                preds = run.model.predict(unique)
            if unique is not sub:
                preds = [preds[k] for k in where]
        seconds[name] = time.perf_counter() - clock
        known[name] = (idx, preds)
        n = len(idx)
        if n == len(ids):
            plat, tid = plat_all, ids_all
        else:
            take = pa.array(idx, pa.int64())
            plat, tid = plat_all.take(take), ids_all.take(take)
        # one row per item: a table built column-wise; varying numbers of rows into `cols`
        one = label_rows(spec, cols, target, plat, tid, preds, run.source)
        if one is not None:
            tables.append(one)
            schemes[spec.schemes[0]] += n
        counts[name] = n
        if spec.rows == ONE:
            continue  # its label rows are its state (see _label_target)
        states.append(pa.table([plat, repeat(target, n), tid, repeat(name, n),
                                repeat(run.source, n)], schema=_STATE_SCHEMA))
    schemes.update(Counter(cols["scheme"]))
    tables.append(pa.table(cols, schema=_LABEL_SCHEMA))
    return (pa.concat_tables(tables), pa.concat_tables(states) if states else
            _STATE_SCHEMA.empty_table(), counts, seconds, len(ids), dict(schemes))


def _distinct(texts: list) -> tuple[list[int], list[int]]:
    """Where each distinct text first occurs, and for every text the number of its distinct
    text (in order of first occurrence)."""
    number: dict = {}
    firsts: list[int] = []
    where: list[int] = []
    for k, text in enumerate(texts):
        n = number.get(text)
        if n is None:
            n = number[text] = len(firsts)
            firsts.append(k)
        where.append(n)
    return firsts, where


@contextmanager
def _replaying(run: _Run, known: dict, idx: list[int], firsts: list[int] | None
               ) -> Iterator[None]:
    """While the task's model predicts these items, the models it consumes (Task.consumes)
    replay the predictions their own tasks just made for the same items, when those come from
    the same model version (the label source says so). `firsts`: the model is given only the
    first of each distinct text, at these places."""
    saved = {}
    for part in run.spec.consumes:
        inner = getattr(run.model, part, None)
        done = known.get(part)
        if inner is None or done is None or done[0] != idx or part not in _RUNS:
            continue
        if source_of(inner) != _RUNS[part].source:  # another version: its own predictions
            continue
        preds = done[1] if firsts is None else [done[1][k] for k in firsts]
        saved[part] = inner
        setattr(run.model, part, _Replay(inner, preds))
    try:
        yield
    finally:
        for part, original in saved.items():
            setattr(run.model, part, original)


def _predict_with_inputs(model: Any, texts: list, authors: list,
                         groups: DuplicateGroups | None) -> list:
    """predict() of a task reading authors and copy-paste groups besides the texts."""
    try:
        return model.predict(texts, authors, groups=groups)
    except TypeError:  # a plain classifier (e.g. a project-trained model)
        return model.predict(texts)


def _insert(con: Any, labels: pa.Table, state: pa.Table) -> None:
    if labels.num_rows:
        con.register("_pantau_labels", labels)
        try:
            con.execute(f"INSERT INTO labels ({', '.join(_LABEL_COLUMNS)}) "
                        f"SELECT {', '.join(_LABEL_COLUMNS)} FROM _pantau_labels")
        finally:
            con.unregister("_pantau_labels")
    if state.num_rows:
        con.register("_pantau_state", state)
        try:
            con.execute("INSERT INTO enrich_state SELECT * FROM _pantau_state")
        finally:
            con.unregister("_pantau_state")
