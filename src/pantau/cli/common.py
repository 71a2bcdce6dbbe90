"""What every command shares: the common options, error handling, and output as table or JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import PantauError
from ..project import Project

# Piped or captured output gets a wide console so tables are not folded to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

ProjectOption = Annotated[
    Path | None,
    typer.Option("--project", "-p", help="Project folder (default: nearest folder upward "
                 "holding pantau.toml).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print results as JSON.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]


@contextmanager
def handle_errors(debug: bool) -> Iterator[None]:
    """Turn user errors into one red line with a hint, and exit 1; tracebacks only with --debug."""
    try:
        yield
    except PantauError as exc:
        if debug:
            raise
        err_console.print(f"[bold red]Error:[/] {escape(exc.message)}", highlight=False,
                          soft_wrap=True)
        if exc.hint:
            err_console.print(f"[dim]Hint: {escape(exc.hint)}[/]", highlight=False,
                              soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print("[yellow]Interrupted: the file being imported was rolled back.[/]")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:  # unexpected: still one line, with how to get the traceback
        if debug:
            raise
        err_console.print(f"[bold red]Unexpected error:[/] {type(exc).__name__}: {exc}",
                          highlight=False, soft_wrap=True)
        err_console.print("[dim]Hint: run again with --debug for the traceback, and report it.[/]")
        raise typer.Exit(1) from None


def open_project(path: Path | None) -> Project:
    return Project.find(path)


def print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, default=str, option=orjson.OPT_INDENT_2).decode())
    sys.stdout.write("\n")


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                *, justify: Callable[[str], str] | None = None) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, justify=justify(column) if justify else "left",
                         overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else escape(str(v)) for v in row))
    console.print(table)
