"""What enrich has to do: the models in force for the tasks, the old versions' labels to drop,
and which items still lack a task's labels (the `done` query)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import registry
from ..models.base import source_of
from ..models.rows import ONE
from ..store import Connection, transaction

DEFAULT_TASKS = registry.DEFAULT_TASKS
DUPLICATE_TASK = registry.DUPLICATE_GROUP
TARGETS = {  # target -> (table, id column, author column)
    "comment": ("comments", "comment_id", "author_id"),
    "post": ("posts", "post_id", "account_id"),
}

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
class Run:
    name: str
    spec: registry.Task
    model: Any
    source: str


def load_models(project: Any, tasks: Sequence[str] | None = None
                ) -> tuple[list[Run], dict[str, str]]:
    """The models in force for the tasks; tasks whose model is unavailable are skipped."""
    runs, skipped = [], {}
    for name in tasks or DEFAULT_TASKS:
        if name == DUPLICATE_TASK:  # not a per-text model: copy_groups() groups comments
            continue
        spec = registry.task(name)
        try:
            model = registry.load(spec.name, project)
        except LookupError as exc:
            skipped[spec.name] = str(exc)
            continue
        runs.append(Run(spec.name, spec, model, source_of(model)))
    return runs, skipped


def drop_old_versions(con: Connection, runs: list[Run], result: EnrichResult) -> None:
    with transaction(con):
        for run in runs:
            schemes = list(run.spec.schemes)
            targets = list(run.spec.targets)
            removed = con.execute(
                f"""DELETE FROM labels WHERE scheme IN ({marks(schemes)})
                    AND target IN ({marks(targets)})
                    AND source LIKE 'model:%' AND source <> ?""",
                [*schemes, *targets, run.source]).fetchone()
            con.execute("DELETE FROM enrich_state WHERE task = ? AND source <> ?",
                        [run.name, run.source])
            n = int(removed[0]) if removed else 0
            if n:
                result.removed[run.name] = n


def marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


@dataclass
class Groups:
    ids: dict[tuple[str, str], str]  # (platform, comment_id) -> group id (grouped ones only)
    sizes: dict[str, int]  # group -> copies
    authors: dict[str, int]  # group -> distinct authors
    coordinated: set[tuple[str, str]] = field(default_factory=set)  # coordinated copies
    bursts: dict[str, int] = field(default_factory=dict)  # group -> most accounts in a window


def pending_query(target: str, runs: list[Run]) -> tuple[str, str, list[Any]]:
    """(WITH clause, FROM ... WHERE clause, parameters) selecting the items of `target` that
    some of the runs have not labelled yet; `done.tasks` lists those that have.
    "Labelled" = a state row, or for a task writing one row per item (Task.rows == ONE) its
    main label of this version (enrich writes no state rows for those: the row says it)."""
    table, id_column, _ = TARGETS[target]
    names = [r.name for r in runs]
    own = [r for r in runs if r.spec.rows == ONE]
    from_labels = "".join(
        """ UNION SELECT platform, target_id, ? AS task FROM labels
             WHERE target = ? AND scheme = ? AND source = ?""" for _ in own)
    done_cte = f"""WITH done AS (
        SELECT platform, target_id, list(task) AS tasks FROM (
            SELECT platform, target_id, task FROM enrich_state
            WHERE target = ? AND task IN ({marks(names)}){from_labels})
        GROUP BY platform, target_id)"""
    # a post's media text (OCR, subtitles: pantau.media) is read beside its caption
    media = (" LEFT JOIN post_media_text m ON m.platform = t.platform AND m.post_id = t.post_id"
             if target == "post" else "")
    where = f"""FROM {table} t{media} LEFT JOIN done d
        ON d.platform = t.platform AND d.target_id = t.{id_column}
        WHERE d.tasks IS NULL OR len(d.tasks) < {len(runs)}"""
    params: list[Any] = [target, *names]
    for r in own:
        params += [r.name, target, r.spec.schemes[0], r.source]
    return done_cte, where, params
