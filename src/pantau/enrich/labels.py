"""Labelling one batch: every model it still lacks, in the order the tasks consume each
other's predictions, each distinct text once for the models reading the text alone; the label
rows each task declares (pantau.models.rows), and the state rows of the tasks whose rows do not
say an item was seen. Runs in a forked worker process or in the enriching one.

RUNS holds the models; it is set before the worker pool forks, so each worker inherits it
(never sent with a job). A job carries the key of the RUNS it was planned with, and a worker
refuses a job planned with other models than those it inherited (see label_batch).
"""

from __future__ import annotations

import inspect
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pyarrow as pa

from ..models import registry
from ..models.base import source_of
from ..models.rows import LABEL_COLUMNS, LABEL_SCHEMA, ONE, empty_columns, label_rows, repeat
from ..store.protocol import Connection
from ..text.duplicates import DuplicateGroups
from .plan import DUPLICATE_TASK, Run

STATE_SCHEMA = pa.schema([("platform", pa.string()), ("target", pa.string()),
                          ("target_id", pa.string()), ("task", pa.string()),
                          ("source", pa.string())])

# Models for the worker processes: set before the pool forks, so each worker inherits them.
RUNS: dict[str, Run] = {}


def runs_key() -> tuple[tuple[str, str], ...]:
    """Which models RUNS holds (task, label source): a job is labelled only by these."""
    return tuple(sorted((name, run.source) for name, run in RUNS.items()))


def set_runs(runs: Sequence[Run]) -> None:
    RUNS.clear()
    RUNS.update({r.name: r for r in runs})


class Replay:
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


class StaleModels(RuntimeError):
    """A job planned with other models than those the worker holds (RUNS changed after fork)."""


def label_batch(key: tuple, target: str, batch: pa.RecordBatch, gids: list | None,
                sizes: dict | None, authors_per_group: tuple | None
                ) -> tuple[pa.Table, pa.Table, dict, dict, int, dict]:
    """Label one batch with every model it still lacks: label and state tables, items per
    task, seconds per task, items, rows per scheme. Runs in a worker process or in this one
    (the tables are built here: Arrow travels between processes far cheaper than lists).
    `key`: runs_key() where the job was planned; the models here must be those."""
    if key != runs_key():
        raise StaleModels("enrich: a worker holds other models than the job was planned with "
                          "(RUNS must be set before the pool forks and left alone while it "
                          "runs)")
    plat_all = batch.column(0).cast(pa.string())
    ids_all = batch.column(1).cast(pa.string())
    ids = ids_all.to_pylist()
    captions = batch.column(2).to_pylist()
    authors = batch.column(3).to_pylist()
    done = batch.column(4).to_pylist()
    media = batch.column(5).to_pylist() if batch.num_columns > 5 else None
    texts = captions if media is None or not any(media) else with_media(captions, media)
    groups = None
    if gids is not None:
        assert sizes is not None and authors_per_group is not None  # sent together by job()
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
    for name in registry.run_order(list(RUNS)):
        run = RUNS[name]
        spec = run.spec
        if everything:
            idx = list(range(len(ids)))
        else:
            idx = [i for i, d in enumerate(done) if d is None or name not in d]
        if not idx:
            continue
        sub = texts if everything else [texts[i] for i in idx]
        clock = time.perf_counter()
        reads_media = texts is not captions and takes_media_texts(run.model)
        if reads_media:  # weighs caption and media text itself (e.g. post function, topic)
            with replaying(run, known, idx, None):
                preds = run.model.predict([captions[i] for i in idx],
                                          media_texts=[media[i] for i in idx])  # type: ignore[index]
        elif not spec.text_only:
            sub_groups = None
            if DUPLICATE_TASK in spec.inputs and groups is not None:
                sub_groups = DuplicateGroups(
                    [groups.ids[i] for i in idx], groups.sizes, groups.authors,
                    None if groups.coordinated is None
                    else [groups.coordinated[i] for i in idx], groups.bursts)
            with replaying(run, known, idx, None):
                preds = predict_with_inputs(run.model, sub, [authors[i] for i in idx],
                                             sub_groups)
        else:
            # each distinct text once (copy-paste repeats): these models read the text alone
            if every is None or not everything:
                firsts, where = distinct(sub)
                unique = [sub[k] for k in firsts] if len(firsts) < len(sub) else sub
                if everything:  # the same texts for every task: find the repeats once
                    every = (firsts, where, unique)
            else:
                firsts, where, unique = every
            with replaying(run, known, idx, firsts if unique is not sub else None):
                preds = run.model.predict(unique)
            if unique is not sub:
                preds = [preds[k] for k in where]
        seconds[name] = time.perf_counter() - clock
        if spec.evidence and texts is not captions and not reads_media:
            preds = mark_media_evidence(preds, [captions[i] for i in idx],
                                        [media[i] for i in idx])  # type: ignore[index]
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
            continue  # its label rows are its state (see label_target)
        states.append(pa.table([plat, repeat(target, n), tid, repeat(name, n),
                                repeat(run.source, n)], schema=STATE_SCHEMA))
    schemes.update(Counter(cols["scheme"]))
    tables.append(pa.table(cols, schema=LABEL_SCHEMA))
    return (pa.concat_tables(tables), pa.concat_tables(states) if states else
            STATE_SCHEMA.empty_table(), counts, seconds, len(ids), dict(schemes))


MEDIA_EVIDENCE = "media: "  # evidence found only in the post's image/video/subtitle text


def takes_media_texts(model: Any) -> bool:
    """Whether a model's predict() reads the media text apart from the caption."""
    try:
        return "media_texts" in inspect.signature(model.predict).parameters
    except (TypeError, ValueError):
        return False


def with_media(captions: list, media: list) -> list:
    """Caption and media text (OCR, subtitles) as one text for the models."""
    return [c if not m else f"{c or ''}\n{m}" for c, m in zip(captions, media, strict=True)]


def mark_media_evidence(preds: list, captions: list, media: list) -> list:
    """Evidence that is not in the caption but in the media text says so ("media: word"), so a
    reader knows to look at the picture or video, not the caption."""
    out = []
    for pred, caption, text in zip(preds, captions, media, strict=True):
        if text and pred.evidence:
            low = (caption or "").lower()
            seen = text.lower()
            evidence = [f"{MEDIA_EVIDENCE}{e}" if isinstance(e, str) and e.lower() not in low
                        and e.lower() in seen else e for e in pred.evidence]
            if evidence != pred.evidence:
                pred = replace(pred, evidence=evidence)
        out.append(pred)
    return out


def distinct(texts: list) -> tuple[list[int], list[int]]:
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
def replaying(run: Run, known: dict, idx: list[int], firsts: list[int] | None
               ) -> Iterator[None]:
    """While the task's model predicts these items, the models it consumes (Task.consumes)
    replay the predictions their own tasks just made for the same items, when those come from
    the same model version (the label source says so). `firsts`: the model is given only the
    first of each distinct text, at these places."""
    saved = {}
    for part in run.spec.consumes:
        inner = getattr(run.model, part, None)
        done = known.get(part)
        if inner is None or done is None or done[0] != idx or part not in RUNS:
            continue
        if source_of(inner) != RUNS[part].source:  # another version: its own predictions
            continue
        preds = done[1] if firsts is None else [done[1][k] for k in firsts]
        saved[part] = inner
        setattr(run.model, part, Replay(inner, preds))
    try:
        yield
    finally:
        for part, original in saved.items():
            setattr(run.model, part, original)


def predict_with_inputs(model: Any, texts: list, authors: list,
                         groups: DuplicateGroups | None) -> list:
    """predict() of a task reading authors and copy-paste groups besides the texts."""
    try:
        return model.predict(texts, authors, groups=groups)
    except TypeError:  # a plain classifier (e.g. a project-trained model)
        return model.predict(texts)


def insert(con: Connection, labels: pa.Table, state: pa.Table) -> None:
    if labels.num_rows:
        con.register("_pantau_labels", labels)
        try:
            con.execute(f"INSERT INTO labels ({', '.join(LABEL_COLUMNS)}) "
                        f"SELECT {', '.join(LABEL_COLUMNS)} FROM _pantau_labels")
        finally:
            con.unregister("_pantau_labels")
    if state.num_rows:
        con.register("_pantau_state", state)
        try:
            con.execute("INSERT INTO enrich_state SELECT * FROM _pantau_state")
        finally:
            con.unregister("_pantau_state")
