"""Project commands: init, status, formats, import, query, raw."""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .. import formats, store
from ..cells import safe_row
from ..errors import PantauError
from ..ingest import import_paths
from ..project import CONFIG_NAME, STORE_NAME, Project, load_config
from ..rules_data import shipped_rules
from ..templates import PANTAU_TOML
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

PROGRESS_MIN_BYTES = 5 * 1024 * 1024


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("status")(status)
    app.command("formats")(list_formats)
    app.command("import")(import_files)
    app.command("query")(query)
    app.command("raw")(raw)


def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project.")] = Path("."),
    election: Annotated[str, typer.Option(help="Election name.")] = "Pilkada 2024",
    rules: Annotated[str, typer.Option(help="Rules file: pilkada-2024, pemilu-2024 or a path.")]
    = "pilkada-2024",
    force: Annotated[bool, typer.Option(help="Overwrite an existing pantau.toml.")] = False,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Create a project: a commented pantau.toml and an empty store (pantau.duckdb)."""
    with handle_errors(debug):
        if rules not in shipped_rules() and not (directory / rules).exists() \
                and not Path(rules).exists():
            raise PantauError(f"rules {rules!r} not found",
                              f"use {' or '.join(shipped_rules())}, or a path to your own file")
        directory.mkdir(parents=True, exist_ok=True)
        config_path = directory / CONFIG_NAME
        if config_path.exists() and not force:
            raise PantauError(f"{config_path} already exists",
                              "edit it, or pass --force to overwrite it")
        config_path.write_text(
            PANTAU_TOML.format(name=election.replace('"', "'"), rules=rules), encoding="utf-8")
        load_config(config_path)  # the template must validate
        project = Project(directory)
        project.connect().close()
        if json:
            print_json({"project": str(project.root), "config": str(config_path),
                        "store": str(project.store_path)})
        else:
            console.print(f"Created [bold]{config_path}[/] and [bold]{directory / STORE_NAME}[/].")
            console.print("Next: add your candidates and accounts to pantau.toml, then "
                          "[bold]pantau import FILES[/].")


def status(project: ProjectOption = None, json: JsonOption = False,
           debug: DebugOption = False) -> None:
    """What the project holds: tables, imports, coverage dates."""
    with handle_errors(debug):
        proj = open_project(project)
        con = proj.connect(snapshot_ok=True)
        counts = store.table_counts(con)
        span = con.execute("SELECT min(created_at), max(created_at) FROM posts").fetchone()
        per_platform = con.execute(
            "SELECT platform, count(*) FROM posts GROUP BY 1 ORDER BY 1").fetchall()
        linked = con.execute(
            "SELECT count(*) FROM accounts WHERE candidate_id IS NOT NULL").fetchone()[0]
        unmatched = [
            f"{a.platform}:{a.handle or a.id}" for a in proj.config.accounts
            if not con.execute(
                "SELECT 1 FROM accounts WHERE platform = ? "
                "AND (account_id = ? OR lower(handle) = ?)",
                [a.platform, a.id or "\x00", a.handle_key or "\x00"]).fetchone()
        ]
        result = {
            "project": str(proj.root), "election": proj.config.election.name,
            "rules": proj.config.election.rules, "schema_version": store.schema_version(con),
            "tables": counts, "posts_per_platform": dict(per_platform),
            "first_post": span[0], "last_post": span[1],
            "accounts_linked_to_candidates": linked,
            "configured_accounts_not_seen": unmatched,
        }
        con.close()
        if json:
            print_json(result)
            return
        console.print(f"[bold]{result['election']}[/]  ({proj.root})")
        console.print(f"Rules: {result['rules']} · schema v{result['schema_version']}")
        print_table("Tables", ["table", "rows"], sorted(counts.items()),
                    justify=lambda c: "right" if c == "rows" else "left")
        if per_platform:
            print_table("Posts per platform", ["platform", "posts"], per_platform)
            console.print(f"Posts from {span[0]} to {span[1]} (UTC)")
        console.print(f"Accounts linked to candidates: {linked}")
        if unmatched:
            console.print(f"[yellow]Accounts in pantau.toml not yet seen in any import:[/] "
                          f"{', '.join(unmatched)}")


def list_formats(json: JsonOption = False, debug: DebugOption = False) -> None:
    """The export formats pantau reads, and how it recognises them."""
    with handle_errors(debug):
        rows = [(f.name, f.platform or "any", f.file_kinds, f.description)
                for f in formats.all_formats()]
        if json:
            print_json([dict(zip(("name", "platform", "file_kinds", "description"), r,
                                 strict=True)) for r in rows])
        else:
            print_table("Formats (auto-detected; force one with pantau import --format NAME)",
                        ["name", "platform", "files", "description"], rows)


def import_files(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs (.gz/.xz/.zip too).")],
    format: Annotated[str | None, typer.Option("--format", "-f",
                      help="Force a format instead of detecting it.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run",
                       help="Show how the first rows of each file would map; store nothing.")]
    = False,
    max_ratio: Annotated[int, typer.Option(
        "--max-ratio", min=1, help="A compressed file may expand this many times its size "
        "(past 64 MB) before it is refused as a decompression bomb.")] = 200,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Import exported files into the project store (idempotent; one transaction per file)."""
    from .. import sources

    sources.MAX_RATIO = max_ratio
    with handle_errors(debug):
        proj = open_project(project)
        if dry_run:
            from ..preview import preview_paths

            previews = preview_paths(proj.config, paths, format_name=format)
            if json:
                print_json(previews)
            else:
                for p in previews:
                    console.print(f"[bold]{escape(p['source'])}[/] → {p['format'] or '—'}")
                    for row in p["rows"]:
                        console.print(f"  {escape(_mapping_line(row))}", highlight=False)
            return
        con = proj.connect()
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
            TransferSpeedColumn(), TimeRemainingColumn(), console=err_console,
            transient=True, disable=json or not err_console.is_terminal,
        ) as progress:

            def on_file_start(source, fmt, size):
                if size < PROGRESS_MIN_BYTES:
                    return None
                task = progress.add_task(Path(source.name).name[:40], total=size)
                return lambda n: progress.advance(task, n)

            summaries = import_paths(con, proj.config, paths, format_name=format,
                                     raw_dir=proj.root / "raw",
                                     on_file_start=on_file_start)
        con.close()
        media = _link_media_beside(proj, paths)
        if json:
            print_json([s.as_dict() for s in summaries])
        else:
            # what is new in the store; a post seen again is not new, but its counts at
            # this capture are (a new metric observation)
            rows = [(Path(s.source).name, s.format or "—", s.status, s.posts, s.comments,
                     s.accounts, s.metrics, s.duplicates, s.rejected) for s in summaries]
            print_table("Import", ["file", "format", "status", "new posts", "new comments",
                                   "new accounts", "new metric observations",
                                   "already stored", "rejected"], rows)
            for s in summaries:
                if s.status == "refused":
                    err_console.print(f"[red]Refused:[/] {escape(s.message)}",
                                      highlight=False)
                elif s.status == "failed":
                    err_console.print(f"[red]Failed:[/] {escape(s.message)}",
                                      highlight=False)
                elif s.status == "skipped":
                    console.print(f"[dim]{Path(s.source).name}: {s.message}[/]")
            if media is not None and media.files:
                console.print(f"{media.linked:,} of {media.files:,} media files beside the "
                              "exports linked to their posts; read their text with: pantau "
                              "media read (or pantau enrich)")
            rejected = sum(s.rejected for s in summaries)
            if rejected:
                console.print(f"[yellow]{rejected} record(s) rejected[/]; see them with: "
                              "pantau query \"SELECT * FROM rejects\"")
        failed = [s for s in summaries if s.status in ("refused", "failed")]
        if failed:
            if not json:
                err_console.print(f"{len(failed)} of {len(summaries)} file(s) not imported "
                                  "(listed above); the others were.", highlight=False)
            raise typer.Exit(1)


def _mapping_line(row: dict) -> str:
    """One previewed row as a reader wants it: `post  post_id: 1 · text: …` (empty fields
    left out, long values cut), not a Python dict."""
    kind = str(row.get("row", "row"))
    parts = []
    for key, value in row.items():
        if key == "row" or value is None or value == [] or value == "":
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        text = " ".join(text.split())
        if key != "reason" and len(text) > 80:  # a reject's reason is shown whole
            text = text[:80] + "…"
        parts.append(f"{key}: {text}")
    return f"{kind:<8} " + " · ".join(parts)


def _link_media_beside(proj, paths: list[str]):
    """Images, videos and subtitles in the imported folders (Instaloader, yt-dlp) are linked to
    the posts just imported; globs are left to `pantau media add`."""
    folders = [Path(p) for p in paths if not any(ch in p for ch in "*?[") and Path(p).exists()]
    if not folders:
        return None
    from ..media import library

    return library.add(proj, folders)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def query(
    sql: Annotated[str, typer.Argument(help="Read-only SQL (SELECT ...). Use - to read stdin.")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Run read-only SQL against the store (tables: posts, comments, accounts, labels, ...)."""
    with handle_errors(debug):
        if sql == "-":
            sql = sys.stdin.read()
        proj = open_project(project)
        con = proj.connect(read_only=True, snapshot_ok=True)
        columns, rows = store.run_read_only(con, sql)
        con.close()
        fmt = OutputFormat.json if json else format
        if fmt is OutputFormat.json:
            print_json([dict(zip(columns, row, strict=True)) for row in rows])
        elif fmt is OutputFormat.csv:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(columns)
            writer.writerows(safe_row(row) for row in rows)  # no formulas (cells.py)
            sys.stdout.write(buffer.getvalue())
        else:
            print_table(None, columns, rows)


def raw(
    import_id: Annotated[int, typer.Argument(help="Import id (imports.import_id, "
                                               "rejects.import_id).", show_default=False)],
    line: Annotated[int | None, typer.Option("--line", "-l", min=1,
                    help="Only the record at this line (rejects.line_no).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1,
                     help="How many records to show from the start.")] = 20,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Show the raw records of an import, read again from the file kept under raw/."""
    from itertools import islice

    from ..raw import kept_import, read_kept

    with handle_errors(debug):
        proj = open_project(project)
        con = proj.connect(read_only=True, snapshot_ok=True)
        try:
            kept = kept_import(con, proj.root, import_id)
        finally:
            con.close()  # the file may be large: do not hold the store while reading it
        records = read_kept(kept)
        if line is not None:
            found = next((r for r in records if r.line_no == line), None)
            if found is None:
                raise PantauError(f"import {import_id} has no record at line {line}",
                                  f"the line is blank or past the end; list the records with "
                                  f"`pantau raw {import_id}`")
            shown = [found]
        else:
            shown = list(islice(records, limit + 1))  # one more tells whether there are more
        more = len(shown) > limit
        shown = shown[:limit]
        if json:
            print_json({"import_id": kept.import_id, "source": kept.source,
                        "format": kept.format,
                        "raw_path": str(kept.raw_path.relative_to(proj.root)),
                        "records": [{"line_no": r.line_no, "text": r.text, "error": r.error}
                                    for r in shown],
                        "more": more})
            return
        if line is not None:  # exactly the record's text, so it can be piped or compared
            sys.stdout.write(shown[0].text + "\n")
            return
        err_console.print(f"[dim]import {kept.import_id} · {escape(kept.format)} · "
                          f"{escape(str(kept.raw_path))}[/]", highlight=False)
        for r in shown:
            sys.stdout.write(f"{r.line_no}\t{r.text}\n")
        if more:
            err_console.print(f"[dim]more records follow; show them with --limit "
                              f"{limit * 5} or one with --line N[/]", highlight=False)
