"""Label rows from predictions: how each text task turns a batch of Predictions into rows of the
`labels` table. A task in the registry names its row builders; enrich calls them and never
looks at a task's name.

Two shapes (Task.rows):
    ONE  exactly one row per item in the task's main scheme (value = label, score = the label's
         score, evidence when Task.evidence): built column-wise by `one_row_table`. That row
         also records that the item was seen by this model version (no enrich_state row).
         `Task.extra_rows` may add rows in its other schemes (toxicity: one `sara` row per
         target found).
    ANY  zero or more rows per item, all built by `Task.build_rows` (topic: one per topic;
         normalize: one slang_density row when the text has words); enrich_state rows record
         the items seen.

Builders of varying rows append to `cols`, a dict of LABEL_COLUMNS -> list, so that one Arrow
table per batch holds the rows of every such task.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import orjson
import pyarrow as pa

from .base import Prediction

LABEL_COLUMNS = ("platform", "target", "target_id", "scheme", "value", "score", "source",
                 "evidence")
LABEL_SCHEMA = pa.schema([("platform", pa.string()), ("target", pa.string()),
                          ("target_id", pa.string()), ("scheme", pa.string()),
                          ("value", pa.string()), ("score", pa.float64()),
                          ("source", pa.string()), ("evidence", pa.string())])

# Task.rows
ONE = "one"  # exactly one row per item in the main scheme
ANY = "any"  # zero or more rows per item

Columns = dict[str, list]


class Task(Protocol):
    """What the row builders read of a registry Task (pantau.models.registry.Task)."""

    @property
    def name(self) -> str: ...
    @property
    def schemes(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> str: ...
    @property
    def evidence(self) -> bool: ...
    @property
    def extra_rows(self) -> RowBuilder | None: ...
    @property
    def build_rows(self) -> RowBuilder | None: ...


# (task, cols, target, platforms, ids, predictions, source) -> None: appends to cols
# (platforms and ids: Arrow string arrays, one per prediction)
RowBuilder = Callable[["Task", Columns, str, pa.Array, pa.Array, Sequence[Prediction], str],
                      None]


def empty_columns() -> Columns:
    return {c: [] for c in LABEL_COLUMNS}


def repeat(value: str, n: int) -> pa.Array:
    return pa.array([value] * n, pa.string())


def evidence_json(items: list | None) -> str | None:
    return orjson.dumps(items).decode() if items else None


def one_row_table(task: Task, target: str, platforms: pa.Array, ids: pa.Array,
                  preds: Sequence[Prediction], source: str) -> pa.Table:
    """The rows of a ONE task in its main scheme, column by column (the label, the label's
    score, the evidence if the task has any)."""
    n = len(preds)
    labels = [p.label for p in preds]
    scores = [None if v is None else float(v) for v in
              [p.scores.get(label) for p, label in zip(preds, labels, strict=True)]]
    if task.evidence:
        dumps = orjson.dumps  # as evidence_json, inline: a call per row costs as much as the dump
        evidence = [dumps(e).decode() if e else None for e in [p.evidence for p in preds]]
    else:
        evidence = [None] * n
    return pa.table([platforms, repeat(target, n), ids, repeat(task.schemes[0], n),
                     pa.array(labels, pa.string()), pa.array(scores, pa.float64()),
                     repeat(source, n), pa.array(evidence, pa.string())],
                    schema=LABEL_SCHEMA)


def sara_rows(task: Task, cols: Columns, target: str, platforms: pa.Array, ids: pa.Array,
              preds: Sequence[Prediction], source: str) -> None:
    """toxicity's `sara` rows: one per SARA target found, with the toxicity evidence."""
    if not any(p.targets for p in preds):
        return
    for p, i, pred in zip(platforms.to_pylist(), ids.to_pylist(), preds, strict=True):
        for t in pred.targets or ():
            for column, value in zip(LABEL_COLUMNS, (p, target, i, "sara", t, None, source,
                                                     evidence_json(pred.evidence)),
                                     strict=True):
                cols[column].append(value)


def topic_rows(task: Task, cols: Columns, target: str, platforms: pa.Array, ids: pa.Array,
               preds: Sequence[Prediction], source: str) -> None:
    """One row per topic found (Prediction.targets, else its label; "none" is no topic), with
    the evidence of that topic ("TOPIC: ..." entries). The most rows of any task: appended
    inline."""
    plat, tgt, tid, sch, val, sco, src, evi = (cols[c] for c in LABEL_COLUMNS)
    scheme = task.schemes[0]
    dumps = orjson.dumps
    for p, i, pred in zip(platforms.to_pylist(), ids.to_pylist(), preds, strict=True):
        topics = pred.targets if pred.targets is not None else [pred.label]
        scores, found = pred.scores, pred.evidence or ()
        for t in topics:
            if t and t != "none":
                prefix = f"{t}:"
                mine = [e for e in found if e.startswith(prefix)]
                score = scores.get(t)
                plat.append(p)
                tgt.append(target)
                tid.append(i)
                sch.append(scheme)
                val.append(t)
                sco.append(None if score is None else float(score))
                src.append(source)
                evi.append(dumps(mine).decode() if mine else None)


def score_rows(task: Task, cols: Columns, target: str, platforms: pa.Array, ids: pa.Array,
               preds: Sequence[Prediction], source: str) -> None:
    """One row (value NULL) scored by the prediction's score named like the task's main scheme,
    for the items that have that score (normalize: slang_density, none for empty texts)."""
    scheme = task.schemes[0]
    for p, i, pred in zip(platforms.to_pylist(), ids.to_pylist(), preds, strict=True):
        share = pred.scores.get(scheme)
        if share is not None:
            for column, value in zip(LABEL_COLUMNS, (p, target, i, scheme, None, float(share),
                                                     source, evidence_json(pred.evidence)),
                                     strict=True):
                cols[column].append(value)


def label_rows(task: Task, cols: Columns, target: str, platforms: pa.Array, ids: pa.Array,
               preds: Sequence[Prediction], source: str) -> pa.Table | None:
    """Every label row of one task for one batch: the ONE table it returns (None for an ANY
    task), plus the varying rows it appends to `cols`."""
    if task.rows == ONE:
        table = one_row_table(task, target, platforms, ids, preds, source)
        if task.extra_rows is not None:
            task.extra_rows(task, cols, target, platforms, ids, preds, source)
        return table
    if task.build_rows is None:
        raise ValueError(f"task {task.name!r} writes a varying number of rows but names no "
                         "build_rows")
    task.build_rows(task, cols, target, platforms, ids, preds, source)
    return None
