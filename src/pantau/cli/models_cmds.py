"""Model commands: `pantau enrich`, and `pantau models list | evaluate | train | forget`."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..errors import PantauError
from ..models.registry import DEFAULT_TASKS, DUPLICATE_GROUP, TASKS
from .common import (
    DebugOption,
    JsonOption,
    ProjectOption,
    console,
    err_console,
    handle_errors,
    open_project,
    print_json,
    print_table,
)

models_app = typer.Typer(name="models", help="List, evaluate and train the text models.",
                         no_args_is_help=True)

_TRAINABLE = [t.name for t in TASKS.values() if t.trainable]
_LISTED = [t.name for t in TASKS.values() if not t.trainable]
TaskOption = Annotated[str, typer.Option("--task", "-t", help=f"{', '.join(_TRAINABLE)}"
                                         f" ({'/'.join(_LISTED)}: list only).")]
DataOption = Annotated[Path, typer.Option("--data", "-d", help="CSV/TSV with a header, or JSON "
                                          "lines, holding texts and labels.")]
TextColumn_ = Annotated[str, typer.Option("--text-column", help="Column with the text.")]
LabelColumn = Annotated[str, typer.Option("--label-column", help="Column with the label.")]
LabelMap = Annotated[str | None, typer.Option(
    "--labels", help="Map the file's own label names to the task's: "
    "negatif=negative,positif=positive,netral=neutral.")]
NoHeader = Annotated[bool, typer.Option("--no-header", help="The CSV/TSV has no header: name "
                                        "columns by position, 1 = first.")]


def register(app: typer.Typer) -> None:
    app.command("enrich")(enrich)
    app.add_typer(models_app, name="models")


def _maybe_project(path: Path | None) -> Any:
    """The project if one is given or found upward; None (shipped models) otherwise."""
    from ..project import Project

    if path is not None:
        return Project.find(path)
    try:
        return Project.find(None)
    except PantauError:
        return None


# -- enrich ---------------------------------------------------------------------------------
def enrich(
    task: Annotated[list[str] | None, typer.Option("--task", "-t", help="Only these tasks "
                    f"(repeat the option): {', '.join((*DEFAULT_TASKS, DUPLICATE_GROUP))}; "
                    "default: all.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=100,
                          help="Texts labelled per batch (one transaction each).")] = 5000,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Label every post and comment not yet labelled by the current model versions."""
    from .. import enrich as enrichment
    from ..models import registry

    with handle_errors(debug):
        proj = open_project(project)
        if task:
            for name in task:
                if name == enrichment.DUPLICATE_TASK:
                    continue
                try:
                    registry.task(name)
                except LookupError as exc:
                    raise PantauError(str(exc), "see: pantau models list") from None
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=err_console, transient=True,
                      disable=json or not err_console.is_terminal) as bar:
            bars: dict[str, Any] = {}

            def on_progress(target: str, advance: int, total: int) -> None:
                if target not in bars:
                    bars[target] = bar.add_task(f"{target}s", total=total)
                bar.advance(bars[target], advance)

            media = None
            if not task:  # media text first: the post models read it beside the caption
                from ..media import library as media_library

                media = media_library.read(proj, progress=lambda advance, total: on_progress(
                    "media file", advance, total))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = enrichment.enrich(proj, tasks=task or None, batch_size=batch_size,
                                           progress=on_progress)
        if json:
            print_json(result.as_dict())
            return
        for name, why in result.skipped.items():
            err_console.print(f"[yellow]Skipped {name}:[/] {why}", highlight=False)
        if media is not None and (media.files or media.skipped):
            console.print(f"Media: {media.files:,} files read ({media.texts:,} lines of text)"
                          + "".join(f"; {kind} files skipped: {why}"
                                    for kind, why in media.skipped.items()), highlight=False)
        rows = []
        for target, tasks in result.labelled.items():
            for name, n in tasks.items():
                rows.append((target, name, n, result.sources.get(name, "")))
        if rows:
            print_table("Labelled", ["target", "task", "items", "source"], rows,
                        justify=lambda c: "right" if c == "items" else "left")
        else:
            console.print("Nothing new to label: every post and comment carries the current "
                          "model versions' labels.")
        if result.removed:
            console.print("Old model versions' labels replaced: " + ", ".join(
                f"{k} ({v} rows)" for k, v in result.removed.items()))
        if result.duplicate_groups is not None:
            console.print(f"Copy-paste groups among comments: {result.duplicate_groups}")
        total = sum(result.items.values())
        rate = f" ({total / result.seconds:,.0f} items/s)" if total and result.seconds else ""
        console.print(f"Done in {result.seconds:.1f} s{rate}. Query them with: "
                      "pantau query \"SELECT scheme, value, count(*) FROM labels GROUP BY ALL\"")


# -- models list ----------------------------------------------------------------------------
@models_app.command("list")
def list_models(project: ProjectOption = None, json: JsonOption = False,
                debug: DebugOption = False) -> None:
    """The tasks, the model each uses (project-trained or shipped) and its label source."""
    from ..models import registry
    from ..models.base import source_of

    with handle_errors(debug):
        proj = _maybe_project(project)
        out = []
        for spec in registry.TASKS.values():
            local = registry.project_model_path(spec.name, proj)
            where = "shipped" if local is None else \
                "coders" if local.name.startswith("coding-") else "project"
            try:
                model = registry.load(spec.name, proj)
                source, status = source_of(model), "ok"
            except LookupError as exc:
                source, status = "", str(exc)
            out.append({"task": spec.name, "schemes": list(spec.schemes),
                        "targets": list(spec.targets), "model": where, "source": source,
                        "status": status, "trainable": spec.trainable,
                        "description": spec.description})
        if json:
            print_json(out)
            return
        print_table("Text models", ["task", "labels", "model", "source", "status"],
                    [(o["task"], ", ".join(o["schemes"]), o["model"], o["source"], o["status"])
                     for o in out])


# -- models evaluate ------------------------------------------------------------------------
@models_app.command("evaluate")
def evaluate(task: TaskOption, data: DataOption, text_column: TextColumn_ = "text",
             label_column: LabelColumn = "label", no_header: NoHeader = False,
             labels_map: LabelMap = None,
             project: ProjectOption = None, json: JsonOption = False,
             debug: DebugOption = False) -> None:
    """Score a model against labelled texts: macro-F1 (over the classes the file holds),
    per-class precision/recall, confusion."""
    from ..models import registry
    from ..models.base import source_of
    from ..models.evaluate import apply_label_map, parse_label_map, score
    from ..models.train import check_labels, read_labelled

    with handle_errors(debug):
        try:
            spec = registry.task(task)
        except LookupError as exc:
            raise PantauError(str(exc), "see: pantau models list") from None
        texts, gold = read_labelled(data, text_column, label_column, header=not no_header)
        try:
            model = registry.load(spec.name, _maybe_project(project))
        except LookupError as exc:
            raise PantauError(str(exc), "check the installation, or train a project model") \
                from None
        labels = tuple(getattr(model, "LABELS", ()) or ())
        if not labels:
            raise PantauError(f"task {spec.name!r} has no fixed labels to evaluate against",
                              "evaluate one of: " + ", ".join(
                                  t.name for t in TASKS.values() if t.labels))
        mapping = parse_label_map(labels_map, labels) if labels_map else None
        gold = apply_label_map(gold, mapping)
        check_labels(gold, labels, spec.name, data.name)
        started = time.perf_counter()
        predicted = [p.label for p in model.predict(texts)]
        seconds = time.perf_counter() - started
        result = score(gold, predicted, labels)
        result.extra = {"task": spec.name, "source": source_of(model), "data": str(data),
                        "texts_per_second": round(len(texts) / seconds) if seconds else None,
                        "macro_f1_over": sorted(set(gold)),
                        **({"label_map": mapping} if mapping else {})}
        if json:
            print_json(result.as_dict())
            return
        console.print(f"[bold]{spec.name}[/] ({source_of(model)}) on {data.name}: "
                      f"{result.n} texts")
        console.print(f"macro-F1 [bold]{result.macro_f1:.4f}[/] (over the "
                      f"{len(set(gold))} classes in the file) · accuracy "
                      f"{result.accuracy:.4f}")
        print_table("Per class", ["label", "precision", "recall", "f1", "support"],
                    [(label, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}",
                      v["support"]) for label, v in result.per_class.items()],
                    justify=lambda c: "left" if c == "label" else "right")
        print_table("Confusion (rows: gold, columns: predicted)", ["gold", *result.labels],
                    [(label, *row) for label, row in zip(result.labels, result.confusion,
                                                         strict=True)],
                    justify=lambda c: "left" if c == "gold" else "right")


# -- models train ---------------------------------------------------------------------------
@models_app.command("train")
def train(task: Annotated[str | None, typer.Option(
              "--task", "-t", help="sentiment, question, toxicity, ... (with --data)")] = None,
          data: Annotated[Path | None, typer.Option(
              "--data", "-d", help="CSV/TSV with a header, or JSON lines, of coded texts.")]
          = None,
          text_column: TextColumn_ = "text",
          label_column: LabelColumn = "label", no_header: NoHeader = False,
          labels_map: LabelMap = None,
          from_coding: Annotated[str | None, typer.Option(
              "--from-coding", help="Learn a codebook VARIABLE from the coders' labels "
              "(coder:*) in the store instead of a file.")] = None,
          yes: Annotated[bool, typer.Option(
              "--yes", "-y", help="With --from-coding: accept the model without asking.")]
          = False,
          folds: Annotated[int, typer.Option("--folds", min=0, help="Cross-validation folds "
                           "for the reported estimate (0: skip).")] = 5,
          project: ProjectOption = None, json: JsonOption = False,
          debug: DebugOption = False) -> None:
    """Train a project-local replacement (PROJECT/models/TASK.joblib) from coded texts, or a
    codebook variable from the coders' labels (--from-coding); enrich then uses it."""
    with handle_errors(debug):
        proj = open_project(project)
        if from_coding is not None:
            _train_from_coding(proj, from_coding, folds=folds or 5, yes=yes, json=json)
            return
        if task is None or data is None:
            raise PantauError("pantau models train needs --task and --data, or --from-coding",
                              "e.g. pantau models train --task sentiment --data coded.csv")
        from ..models import registry
        from ..models.evaluate import parse_label_map
        from ..models.train import train_project_model

        mapping = None
        if labels_map:
            try:
                allowed = registry.task(task).labels
            except LookupError as exc:
                raise PantauError(str(exc), "see: pantau models list") from None
            mapping = parse_label_map(labels_map, allowed)
        summary = train_project_model(proj, task, data, text_column=text_column,
                                      label_column=label_column, folds=folds,
                                      header=not no_header, label_map=mapping)
        if json:
            print_json(summary)
            return
        counts = ", ".join(f"{k} {v}" for k, v in summary["label_counts"].items())
        console.print(f"Trained [bold]{summary['task']}[/] on {summary['n']} texts ({counts}).")
        if summary.get("cv_macro_f1") is not None:
            console.print(f"{summary['folds']}-fold cross-validated macro-F1: "
                          f"[bold]{summary['cv_macro_f1']:.4f}[/]")
        console.print(f"Saved {summary['path']}. `pantau enrich` relabels with it; "
                      f"`pantau models forget --task {summary['task']}` goes back to the "
                      "shipped model.")


def _train_from_coding(proj: Any, variable: str, *, folds: int, yes: bool, json: bool) -> None:
    """Fit on the human codes, report agreement on items each fold's model did not see, and
    save (so enrich uses it) only when the user accepts. A model task (sentiment, question,
    toxicity, category, ...: a task name or its scheme) adapts the shipped model in-domain
    (models/adapt.py); any other codebook variable is learnt from the codes alone."""
    task_name = _model_task(variable, proj)
    if task_name is not None:
        _adapt_from_coding(proj, task_name, folds=folds, yes=yes, json=json)
        return
    from ..web.learn import train_from_coding

    result = train_from_coding(proj, variable, folds=folds)
    figures = result.figures
    if json:
        accepted = yes
    else:
        console.print(f"[bold]{variable}[/]: {figures['items']} coded items, "
                      f"{figures['folds']}-fold cross-validated against the coders")
        for key in ("alpha", "macro_f1", "accuracy", "majority_baseline", "human_alpha"):
            if figures.get(key) is not None:
                console.print(f"  {key}: {figures[key]}")
        accepted = yes or typer.confirm("Use this model in pantau enrich?", default=False)
    path = result.save(proj) if accepted else None
    if json:
        print_json({**figures, "accepted": accepted, "path": str(path) if path else None})
    elif path:
        console.print(f"Saved {path}; `pantau enrich` now labels {variable} with it.")
    else:
        console.print("Not saved; the shipped model stays in use.")


def _model_task(name: str, proj: Any) -> str | None:
    """The registry task a --from-coding name refers to (task or main scheme) when it is a
    trained model to adapt: a task with fixed labels whose scheme is not coded by the
    codebook's own keywords (those, like post_function, are learnt from the codes alone)."""
    from ..models import registry
    from ..models.codebook import load

    try:
        variables = load(proj).variables
    except PantauError:
        variables = {}
    for spec in registry.TASKS.values():
        if name in (spec.name, spec.schemes[0]) and spec.trainable and spec.labels:
            variable = variables.get(spec.schemes[0])
            keyworded = any(module.endswith(".codebook") for module, _ in spec.loaders) or (
                variable is not None and any(v.keywords or v.patterns for v in variable.values))
            return None if keyworded else spec.name
    return None


def _adapt_from_coding(proj: Any, task_name: str, *, folds: int, yes: bool,
                       json: bool) -> None:
    from ..web.learn import adapt_from_coding

    result = adapt_from_coding(proj, task_name, folds=folds)
    f = result.figures
    if json:
        accepted = yes
    else:
        console.print(f"[bold]{task_name}[/]: {f['items']} coded items "
                      f"({', '.join(f'{k} {v}' for k, v in f['labels'].items())}); macro-F1 "
                      f"on the codes, {f['folds']}-fold cross-validated:")
        console.print(f"  shipped model as it is:        {f['shipped_macro_f1']}")
        console.print(f"  adapted in-domain (proposed):  {f['adapted_macro_f1']}")
        console.print(f"  from the codes alone:          {f['codes_only_macro_f1']}")
        accepted = yes or typer.confirm("Use the adapted model in pantau enrich?",
                                        default=False)
    path = result.save(proj) if accepted else None
    if json:
        print_json({**f, "accepted": accepted, "path": str(path) if path else None})
    elif path:
        console.print(f"Saved {path}; `pantau enrich` relabels {task_name} with it "
                      f"(`pantau models forget --task {task_name}` goes back). Validate it "
                      f"again: `pantau validate report` scores it on the same sample.")
    else:
        console.print("Not saved; the shipped model stays in use.")


@models_app.command("forget")
def forget(task: TaskOption, project: ProjectOption = None, json: JsonOption = False,
           debug: DebugOption = False) -> None:
    """Delete the project's own model for a task (the shipped one applies again)."""
    from ..models import registry

    with handle_errors(debug):
        proj = open_project(project)
        try:
            path = registry.local_model_path(task, proj)
        except LookupError as exc:
            raise PantauError(str(exc), "see: pantau models list") from None
        existed = path is not None and path.is_file()
        if existed:
            path.unlink()
        # the model learnt from the coders (models/coding-SCHEME.joblib) goes too
        coded = registry.coding_model_path(task, proj)
        if coded is not None and coded.is_file():
            for extra in (coded, coded.with_suffix(".json")):
                extra.unlink(missing_ok=True)
            path, existed = coded, True
        if json:
            print_json({"task": task, "path": str(path), "deleted": existed})
        elif existed:
            console.print(f"Deleted {path}; the next `pantau enrich` relabels with the shipped "
                          "model.")
        else:
            console.print(f"No project model for {task} (looked for {path}).")
