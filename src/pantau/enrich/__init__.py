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

import time
import warnings
from collections.abc import Sequence
from typing import Any

from ..models import registry
from .duplicates import copy_groups
from .parallel import label_target
from .plan import (
    DEFAULT_TASKS,
    DUPLICATE_TASK,
    TARGETS,
    EnrichResult,
    Progress,
    drop_old_versions,
    load_models,
)

__all__ = ["DEFAULT_TASKS", "DUPLICATE_TASK", "TARGETS", "EnrichResult", "enrich",
           "load_models"]


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
        drop_old_versions(con, runs, result)
        groups = None
        if tasks is None or DUPLICATE_TASK in tasks or any(
                DUPLICATE_TASK in registry.task(t).inputs for t in tasks if t != DUPLICATE_TASK):
            reader = next((r.model for r in runs if DUPLICATE_TASK in r.spec.inputs), None)
            groups = copy_groups(con, reader, result, batch_size, workers)
        for target in ("comment", "post"):
            target_runs = [r for r in runs if target in r.spec.targets]
            if target_runs:
                label_target(con, target, target_runs, groups if target == "comment" else None,
                              batch_size, progress, result, workers)
    finally:
        if own:
            con.close()
    result.seconds = time.perf_counter() - started
    return result
