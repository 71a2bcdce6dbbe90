"""Media commands: add (link files to posts), read (OCR, video text, subtitles), status, fetch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

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

media_app = typer.Typer(help="Images, videos and subtitles beside the exports, and their text.",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(media_app, name="media")


def _bar(json: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=err_console, transient=True,
                    disable=json or not err_console.is_terminal)


@media_app.command("add")
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders holding media "
                                                "(Instaloader, yt-dlp, files named by post id).")],
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Link media files to their posts and keep a copy under the project's media/ folder.
    Import the exports first: a file is linked through the export beside it or its name."""
    from ..errors import PantauError
    from ..media import library

    with handle_errors(debug):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise PantauError(f"no such file or folder: {', '.join(missing)}",
                              "check the path; quote names with spaces")
        proj = open_project(project)
        summary = library.add(proj, paths)
        if json:
            print_json(summary.as_dict())
            return
        console.print(f"{summary.files:,} media files: {summary.linked:,} linked to posts "
                      f"({summary.new_files:,} new files kept under media/), "
                      f"{summary.already:,} already linked, {len(summary.unlinked):,} unlinked.")
        if summary.unlinked:
            print_table("Not linked (first 10)", ["file", "why"], summary.unlinked[:10])
            err_console.print("[dim]Hint: import the export beside the files first, or name "
                              "each file by its post id or shortcode.[/]")
        if summary.linked:
            console.print("Next: [bold]pantau media read[/] (or pantau enrich) reads their text.")


@media_app.command("read")
def read(
    workers: Annotated[int | None, typer.Option(help="Processes (default: 2).")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Read the text in images (OCR), videos (on-screen text) and subtitle files; only media
    the current readers have not read yet."""
    from ..media import library

    with handle_errors(debug):
        proj = open_project(project)
        with _bar(json) as bar:
            task: dict[str, Any] = {}

            def on_progress(advance: int, total: int) -> None:
                if "id" not in task:
                    task["id"] = bar.add_task("media", total=total)
                bar.advance(task["id"], advance)

            summary = library.read(proj, workers=workers, progress=on_progress)
        if json:
            print_json(summary.as_dict())
            return
        for kind, why in summary.skipped.items():
            err_console.print(f"[yellow]Skipped {kind} files:[/] {why}", highlight=False)
        console.print(f"Read {summary.files:,} media files: {summary.texts:,} lines of text "
                      f"in {summary.seconds:.1f} s; {len(summary.failed):,} could not be read.")
        if summary.failed:
            print_table("Could not be read (first 10)", ["file", "why"], summary.failed[:10])


@media_app.command("status")
def status(project: ProjectOption = None, json: JsonOption = False,
           debug: DebugOption = False) -> None:
    """Media files per kind and image type, how many are read, and posts with media text."""
    with handle_errors(debug):
        proj = open_project(project)
        with proj.connect() as con:
            rows = con.execute(
                """SELECT kind, coalesce(image_type, '–'), count(*),
                          count(read_by), count(read_error)
                   FROM media_files GROUP BY ALL ORDER BY 1, 2""").fetchall()
            posts = con.execute("SELECT count(*) FROM post_media_text").fetchone()[0]
        if json:
            print_json({"files": [dict(zip(["kind", "image_type", "files", "read", "failed"],
                                           r, strict=True)) for r in rows],
                        "posts_with_media_text": posts})
            return
        print_table("Media", ["kind", "image type", "files", "read", "failed"], rows)
        console.print(f"{posts:,} posts have text from their media.")


@media_app.command("fetch")
def fetch(
    limit: Annotated[int | None, typer.Option(help="At most this many files.")] = None,
    per_second: Annotated[float, typer.Option("--rate", help="Requests per second.")] = 1.0,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Download the media URLs the imported exports hold (the only pantau command that uses
    the network). Polite: rate-limited, retries, resumable; expired URLs are counted and
    skipped. Then links the files like `pantau media add`."""
    from ..media import fetch as fetching

    with handle_errors(debug):
        proj = open_project(project)
        with _bar(json) as bar:
            task: dict[str, Any] = {}

            def on_progress(advance: int, total: int) -> None:
                if "id" not in task:
                    task["id"] = bar.add_task("download", total=total)
                bar.advance(task["id"], advance)

            summary = fetching.fetch(proj, limit=limit, per_second=per_second,
                                     progress=on_progress)
        if json:
            print_json(summary)
            return
        console.print(
            f"Downloaded {summary['downloaded']:,}, already there {summary['already']:,}, "
            f"expired or gone {summary['expired']:,}, failed {summary['failed']:,}; "
            f"{summary['linked']:,} linked to posts.")
