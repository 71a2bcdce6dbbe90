"""`pantau demo`: build the synthetic Kota Bekasi 2024 demo project and run the pipeline on it."""

from __future__ import annotations

import shlex
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text

from .common import (
    DebugOption,
    JsonOption,
    console,
    err_console,
    handle_errors,
    print_json,
    print_table,
)


class _BytesColumn(DownloadColumn):
    """Bytes read for a file being imported; nothing for the stage line."""

    def render(self, task):
        if task.total is None:
            return Text("")
        return super().render(task)


class DemoSize(StrEnum):
    small = "small"
    medium = "medium"


class ReportLang(StrEnum):
    id = "id"
    en = "en"


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo project.")]
    = Path("pantau-demo"),
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")]
    = 7,
    size: Annotated[DemoSize, typer.Option(help="small (~600 posts, ~12,000 comments) or "
                                           "medium (5x).")] = DemoSize.small,
    lang: Annotated[ReportLang, typer.Option(help="Language of the report.")] = ReportLang.id,
    force: Annotated[bool, typer.Option(help="Rebuild an existing demo folder.")] = False,
    scale: Annotated[float, typer.Option(hidden=True, min=0.01, max=10.0,
                                         help="Multiply the size's volumes (tests).")] = 1.0,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Build a SYNTHETIC demo project (Pilkada Kota Bekasi 2024) and run import, enrich,
    analyze and report on it. / Membuat proyek contoh dengan data sintetis."""
    from ..demo import build_demo

    with handle_errors(debug):
        with Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
            _BytesColumn(), console=err_console, transient=True,
            disable=json or not err_console.is_terminal,
        ) as progress:
            stage_task = progress.add_task("Starting", total=None)

            def on_stage(label: str) -> None:
                progress.update(stage_task, description=label)

            def on_file_start(source, fmt, size_bytes):
                task = progress.add_task(f"  {Path(source.name).name[:48]}", total=size_bytes)
                return lambda n: progress.advance(task, n)

            result = build_demo(out, seed=seed, size=size.value, lang=lang.value, force=force,
                                scale=scale, on_stage=on_stage, on_file_start=on_file_start,
                                raise_errors=debug)
        if json:
            print_json(result.as_dict())
            return
        _print_summary(result, out)


def _print_summary(result, out: Path) -> None:
    console.print(f"[bold]Demo project[/] {result.root}  "
                  f"[bold yellow](DATA SINTETIS / SYNTHETIC DATA)[/]", highlight=False)
    rows = []
    totals = [0, 0, 0]
    labels = {str(f.path.resolve()): f"{f.platform} {f.captured_at:%d %b}" for f in result.files}
    for s in result.imports:
        label = labels.get(str(Path(s.source).resolve()), Path(s.source).name)
        rows.append((label, s.format or "—", s.status, s.posts, s.comments, s.rejected))
        for i, value in enumerate((s.posts, s.comments, s.rejected)):
            totals[i] += value
    if rows:
        rows.append(("total", "", "", *totals))
        print_table("Imported synthetic exports (exports/, captures dated WIB)",
                    ["file", "format", "status", "posts", "comments", "rejected"],
                    rows, justify=lambda c: "right" if c in ("posts", "comments", "rejected")
                    else "left")
        console.print(f"[dim]{result.corpus_posts} posts by campaign and media accounts; on X "
                      "a reply is stored both as a post of its author and as a comment.[/]",
                      highlight=False)
    else:
        console.print(f"Wrote {len(result.files)} export files (not imported).")
    for s in result.imports:
        if s.status in ("refused", "failed"):
            console.print(f"[yellow]{Path(s.source).name}: {s.status}: {s.message}[/]",
                          highlight=False, soft_wrap=True)
    for step in result.steps:
        if step.status == "done":
            detail = f" ({step.message})" if step.message else ""
            console.print(f"[green]✓[/] {step.name}{detail} [dim]{step.seconds:.1f}s[/]",
                          highlight=False)
        else:
            console.print(f"[yellow]failed: {step.name} — {step.message} "
                          "(run again with --debug for the traceback)[/]", highlight=False,
                          soft_wrap=True)
    if result.report:
        console.print(f"Report: [bold]{result.report}[/]", highlight=False)
    console.print(f"Done in {result.seconds:.1f}s. Read {out / 'README.txt'} for what the "
                  "corpus contains.", highlight=False)
    project = shlex.quote(str(out))
    console.print("\nTry next:")
    for command in (
        f"pantau status --project {project}",
        f"pantau query --project {project} \"SELECT platform, count(*) AS posts FROM posts "
        "GROUP BY 1\"",
        f"pantau report --project {project}",
        f"pantau serve --project {project}",
    ):
        console.print(f"  [bold]{command}[/]", highlight=False, soft_wrap=True)
