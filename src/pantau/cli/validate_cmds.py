"""`pantau validate`: measure each model on this election's own data (stratified samples coded
blind) and `pantau validate report`: accuracy with 95% intervals and corrected shares."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..errors import PantauError
from .common import (
    DebugOption,
    JsonOption,
    ProjectOption,
    console,
    handle_errors,
    print_json,
    print_table,
)

validate_app = typer.Typer(
    help="Measure the models against coders: draw validation samples, report accuracy and "
         "corrected estimates.", invoke_without_command=True)


def register(app: typer.Typer) -> None:
    app.add_typer(validate_app, name="validate")


@validate_app.callback()
def draw(
    ctx: typer.Context,
    task: Annotated[list[str] | None, typer.Option(
        "--task", "-t", help="Task to validate (sentiment, question, toxicity, category, "
        "function, topic; default: every task with model labels).")] = None,
    coders: Annotated[str, typer.Option(help="Comma-separated coder names.")] = "",
    ci_width: Annotated[float | None, typer.Option(
        help="Width of the 95% interval each label's precision is sized for (0.2 = ±10 "
        "points; default: [validation] ci_width in pantau.toml, else 0.2).")] = None,
    size: Annotated[int | None, typer.Option(
        help="Code this many items per task instead (spread over the predicted labels).")]
    = None,
    overlap: Annotated[float, typer.Option(help="Share coded by two coders (for alpha).")]
    = 0.2,
    seed: Annotated[int | None, typer.Option(help="Random seed (reproducible draw).")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Draw a validation sample per model, stratified by the model's predicted label (and
    spread over candidates and platforms), sized for a target interval width, with a
    double-coded share. Coders code it blind in `pantau serve` (Coding) or a spreadsheet."""
    if ctx.invoked_subcommand is not None:
        return
    from .. import validate
    from .web_cmds import _store

    with handle_errors(debug):
        if not coders.strip():
            raise PantauError("name the coders: --coders ana,budi",
                              "every item goes to one coder; a share to two (--overlap)")
        proj, db, codebook = _store(project)
        width = ci_width if ci_width is not None else proj.config.validation.ci_width
        try:
            specs = [v for name in (task or [None]) for v in validate.validatable(codebook, name)]
            drawn, skipped = [], []
            for spec in specs:
                try:
                    drawn.append(validate.draw(db, codebook, spec.task,
                                               coders=coders.split(","), overlap=overlap,
                                               ci_width=width, size=size, seed=seed,
                                               created_by="cli"))
                except PantauError as exc:
                    if task:
                        raise
                    skipped.append(f"{spec.task}: {exc.message}")
        finally:
            db.close()
        if json:
            print_json({"samples": drawn, "skipped": skipped})
            return
        if not drawn:
            raise PantauError("no model labels to validate", "run `pantau enrich` first")
        for d in drawn:
            strata = ", ".join(f"{s['stratum']} {s['sampled']}/{s['population']}"
                               for s in d["strata"])
            console.print(f"Sample {d['sample_id']} [bold]{d['task']}[/] ({d['model_source']}):"
                          f" {d['items']} {d['target']}s, coded blind; by predicted label "
                          f"(coded/all): {strata}", highlight=False)
        for s in skipped:
            console.print(f"[yellow]skipped[/] {s}", highlight=False)
        console.print("Code them in `pantau serve` → Coding (or `pantau coding export ID`), "
                      "then `pantau validate report`.")


def _iv(value: Any, low: Any, high: Any, pct: bool = True) -> str:
    if value is None:
        return "—"
    f = (lambda x: f"{x:.0%}") if pct else (lambda x: f"{x:.2f}")
    if low is None or high is None:
        return f(value)
    return f"{f(value)} [{f(low)}–{f(high)}]"


@validate_app.command("report")
def report(
    task: Annotated[str | None, typer.Option("--task", "-t", help="Only this task.")] = None,
    group: Annotated[str, typer.Option(
        help="Corrected shares for: all, candidate or platform.")] = "all",
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Per model and label: precision, recall and F1 against the coders (adjudicated, else
    majority) with 95% intervals weighted for the stratified design, Krippendorff's alpha, and
    the model's shares corrected for its measured errors. Writes the
    analysis_validation_* tables the report and the web app read."""
    from .. import validate
    from .web_cmds import _store

    with handle_errors(debug):
        if group not in ("all", "candidate", "platform"):
            raise PantauError("--group is all, candidate or platform")
        proj, db, codebook = _store(project)
        try:
            with db.write() as tx:
                validate.ensure_tables(tx)
            accuracy, estimates = validate.compute(db, codebook)
            with db.write() as tx:
                validate.write_tables(tx.execute, accuracy, estimates)
        finally:
            db.close()
        if task:
            accuracy = [r for r in accuracy if r["task"] == task]
            estimates = [r for r in estimates if r["task"] == task]
        if json:
            print_json({"accuracy": accuracy, "estimates": estimates})
            return
        threshold = proj.config.validation.min_precision
        schemes = list(dict.fromkeys((r["task"], r["scheme"]) for r in estimates))
        if not schemes:
            console.print("No model labels yet: run `pantau enrich`.")
        for task_name, scheme in schemes:
            acc = [r for r in accuracy if r["scheme"] == scheme]
            est = [r for r in estimates if r["scheme"] == scheme and r["group_kind"] == group]
            model = est[0]["model_source"] if est else "?"
            if not acc:
                console.print(f"\n[bold]{scheme}[/] ({model}): [yellow]not validated[/] — "
                              f"`pantau validate --task {task_name} --coders ...`",
                              highlight=False)
            else:
                a0 = acc[0]
                alpha = ("—" if a0["alpha"] is None else
                         _iv(a0["alpha"], a0["alpha_low"], a0["alpha_high"], pct=False))
                console.print(f"\n[bold]{scheme}[/] ({model}): {a0['coded']} of "
                              f"{a0['assigned']} validation items coded; coders' alpha "
                              f"{alpha}", highlight=False)
                if a0["design_model"] and a0["design_model"] != model:
                    console.print(f"  drawn for {a0['design_model']}; scored for the model in "
                                  "force with the design's weights", highlight=False)
                print_table(f"{scheme}: accuracy against the coders (95% intervals)",
                            ["label", "coded (model)", "coded (coders)", "precision", "recall",
                             "F1", ""],
                            [(r["label"], r["coded_predicted"], r["coded_gold"],
                              _iv(r["precision"], r["precision_low"], r["precision_high"]),
                              _iv(r["recall"], r["recall_low"], r["recall_high"]),
                              _iv(r["f1"], r["f1_low"], r["f1_high"]),
                              "below min_precision" if r["precision"] is not None
                              and r["precision"] < threshold else "") for r in acc])
            print_table(f"{scheme}: model share and corrected share ({group})",
                        ["group", "label", "items", "model", "corrected (95%)", "status"],
                        [(r["group_value"] or "all", r["label"], r["items"],
                          _iv(r["raw_share"], None, None),
                          _iv(r["share"], r["share_low"], r["share_high"]),
                          r["status"].replace("_", " ")) for r in est])
