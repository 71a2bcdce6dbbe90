"""Report commands: analyze, report, export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

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


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("report")(report)
    app.command("export")(export)


def analyze(project: ProjectOption = None, json: JsonOption = False,
            debug: DebugOption = False) -> None:
    """Run every analysis and store the results in analysis_* tables (report, export and the
    web app read the same numbers)."""
    with handle_errors(debug):
        from ..analysis import run_all

        proj = open_project(project)
        with console.status("Analysing…", spinner="dots") if not json else _nothing():
            summary = run_all(proj)
        if json:
            print_json(summary)
            return
        if summary.get("snapshot_because_store_held_by"):
            err_console.print(
                f"[yellow]Note:[/] {summary['snapshot_because_store_held_by']} holds the store, "
                "so this analysed a snapshot of it: the figures above are current, but the "
                "store's own analysis tables stay as they were (report and export compute "
                "theirs the same way). Run pantau analyze again after stopping it to keep "
                "them.", highlight=False)
        print_table("Analysis tables", ["table", "rows"], sorted(summary["tables"].items()),
                    justify=lambda c: "right" if c == "rows" else "left")
        console.print(f"Done in {summary['seconds']:.1f} s. Next: [bold]pantau report[/] or "
                      "[bold]pantau query \"SELECT * FROM analysis_engagement\"[/].")


class Lang(StrEnum):
    id = "id"
    en = "en"


def report(
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Report language.")] = Lang.id,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")]
    = Path("report.html"),
    figures: Annotated[Path | None, typer.Option(
        "--figures", help="Also write every chart as SVG and PNG into this folder.")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Write the report: one self-contained HTML file that works offline and prints to PDF
    (runs `pantau analyze` first when the analysis is missing or stale)."""
    with handle_errors(debug):
        from ..report import write_report

        proj = open_project(project)
        with console.status("Writing the report…", spinner="dots") if not json \
                else _nothing():
            out = write_report(proj, output, lang=lang.value, figures_dir=figures)
        result = {"report": str(out.resolve()), "bytes": out.stat().st_size,
                  "figures": str(figures.resolve()) if figures else None}
        if json:
            print_json(result)
        else:
            console.print(f"Wrote [bold]{out}[/] ({out.stat().st_size / 1024:,.0f} KB)."
                          + (f" Figures (SVG + PNG) in [bold]{figures}[/]." if figures else ""))


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")]
    = ExportFormat.csv,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into.")]
    = Path("export"),
    reveal_handles: Annotated[bool, typer.Option(
        "--reveal-handles", help="Keep commenters' real handles and ids (personal data: "
        "UU 27/2022). Default: pseudonymised.")] = False,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Export every table and every analysis table, with a README listing the columns."""
    with handle_errors(debug):
        from ..report.export import export_project

        if reveal_handles:
            err_console.print("[yellow]Warning:[/] --reveal-handles writes commenters' real "
                              "handles and ids. They are personal data (UU 27/2022): keep the "
                              "export private and share only what you must.")
        proj = open_project(project)
        result = export_project(proj, output, format.value, reveal_handles=reveal_handles)
        if json:
            print_json(result)
            return
        print_table(f"Exported to {output}", ["table", "rows", "file"],
                    [(t["table"], t["rows"], t["file"]) for t in result["tables"]],
                    justify=lambda c: "right" if c == "rows" else "left")
        console.print(f"Columns are described in [bold]{result['readme']}[/].")


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
