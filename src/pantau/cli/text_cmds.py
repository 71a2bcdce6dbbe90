"""`pantau text TASK`: run one text model on lines of text, one JSON object per line out.

Tasks: those of the registry (pantau.models.registry.TASKS). Input is stdin or
--input FILE (.txt: one text per line; .csv/.tsv: the --column named). Output keeps input order;
every input line, empty ones included, gets one JSON object with `label`, `scores` and, where
meaningful, `evidence` and `targets`. Texts are predicted in batches (--batch-size).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from ..errors import PantauError
from ..models.registry import DUPLICATE_GROUP, TASKS
from .common import DebugOption, handle_errors

csv.field_size_limit(1 << 30)


def register(app: typer.Typer) -> None:
    app.command("text")(text)


def text(
    task: Annotated[str, typer.Argument(help=f"One of: {', '.join(TASKS)}.")],
    input: Annotated[Path | None, typer.Option("--input", "-i", help="Read this file "
                     "(.txt: a text per line; .csv/.tsv: use --column) instead of stdin.")] = None,
    column: Annotated[str | None, typer.Option("--column", "-c",
                      help="CSV/TSV column holding the text.")] = None,
    author_column: Annotated[str | None, typer.Option("--author-column", help="CSV/TSV column "
                             "with the author (category: copy-paste from several accounts).")]
    = None,
    time_column: Annotated[str | None, typer.Option("--time-column", help="CSV/TSV column "
                           "with the posting time, ISO 8601 (category: with --author-column, "
                           "copies from several accounts within the window of [coordination] "
                           "are coordinated copies).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1,
                          help="Texts predicted at once.")] = 2000,
    project: Annotated[Path | None, typer.Option("--project", "-p", help="Project folder whose "
                       "models, lexicons and codebook to use (default: nearest folder upward "
                       "holding pantau.toml, else the shipped ones).", show_default=False)] = None,
    debug: DebugOption = False,
) -> None:
    """Label texts with one model and print one JSON object per line (input order kept)."""
    with handle_errors(debug):
        task = task.strip().lower()
        if task not in TASKS:
            raise PantauError(f"unknown task {task!r}", f"valid tasks: {', '.join(TASKS)}")
        root = _project_root(project)
        texts, authors, times = _read_input(input, column, author_column, time_column)
        model = load_task(task, root)
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        reads_groups = DUPLICATE_GROUP in TASKS[task].inputs and hasattr(model, "groups")
        groups = None
        if reads_groups:
            # copies are looked for across the whole input, not one batch
            groups = model.groups(texts, authors, times)
        for start in range(0, len(texts), batch_size):
            chunk = texts[start:start + batch_size]
            if groups is not None:
                from ..text.duplicates import DuplicateGroups

                end = start + batch_size
                sub = DuplicateGroups(groups.ids[start:end], groups.sizes, groups.authors,
                                      None if groups.coordinated is None
                                      else groups.coordinated[start:end], groups.bursts)
                preds = model.predict(chunk, authors[start:start + batch_size]
                                      if authors is not None else None, groups=sub)
            else:
                preds = model.predict(chunk)
            lines = b"".join(orjson.dumps(_as_dict(p)) + b"\n" for p in preds)
            if out is not None:
                out.write(lines)
                out.flush()
            else:  # a text-only stream (e.g. some test runners)
                sys.stdout.write(lines.decode())


def _as_dict(prediction: Any) -> dict:
    if hasattr(prediction, "as_dict"):
        return prediction.as_dict()
    return dict(prediction)


def _project_root(project: Path | None) -> Path | None:
    from ..project import Project

    if project is not None:
        return Project.find(project).root
    try:
        return Project.find(None).root
    except PantauError:
        return None


def _read_input(path: Path | None, column: str | None, author_column: str | None,
                time_column: str | None = None
                ) -> tuple[list[str], list[str | None] | None, list[str | None] | None]:
    if path is not None:
        if not path.is_file():
            raise PantauError(f"{path} does not exist", "check the path given to --input")
        raw = path.read_bytes().decode("utf-8-sig", errors="replace")
        suffix = path.suffix.lower()
        name = str(path)
    else:
        raw = sys.stdin.read()
        raw = raw.removeprefix("\ufeff")
        suffix = ".csv" if column else ".txt"
        name = "stdin"
    if suffix in (".csv", ".tsv"):
        return _read_table(raw, "\t" if suffix == ".tsv" else ",", column, author_column, name,
                           time_column)
    if column or author_column or time_column:
        raise PantauError(f"--column, --author-column and --time-column need a .csv or .tsv "
                          f"file, not {name}", "drop them to read one text per line")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line is not an extra empty text
    return [line.rstrip("\r") for line in lines], None, None


def _read_table(raw: str, delimiter: str, column: str | None, author_column: str | None,
                name: str, time_column: str | None = None
                ) -> tuple[list[str], list[str | None] | None, list[str | None] | None]:
    rows: Iterator[list[str]] = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    header = next(rows, None)
    if header is None:
        return [], None, None
    header = [h.strip() for h in header]
    if column is None:
        if len(header) == 1:
            column = header[0]
        else:
            raise PantauError(f"{name} has several columns: say which holds the text",
                              f"add --column NAME; columns: {', '.join(header)}")
    for wanted in (column, author_column, time_column):
        if wanted is not None and wanted not in header:
            raise PantauError(f"column {wanted!r} not in {name}",
                              f"columns: {', '.join(header)}")
    j = header.index(column)
    a = header.index(author_column) if author_column else None
    t = header.index(time_column) if time_column else None
    from ..text.duplicates import as_seconds

    texts: list[str] = []
    authors: list[str | None] = []
    times: list[str | None] = []
    for line, row in enumerate(rows, start=2):
        texts.append(row[j] if j < len(row) else "")
        if a is not None:
            authors.append(row[a] if a < len(row) and row[a] != "" else None)
        if t is not None:
            when = row[t].strip() if t < len(row) else ""
            if when and as_seconds(when) is None:
                raise PantauError(f"{name} line {line}: {time_column} {when!r} is not a time",
                                  "write times as ISO 8601, e.g. 2024-11-20T19:05:00+07:00")
            times.append(when or None)
    return texts, (authors if a is not None else None), (times if t is not None else None)


def load_task(task: str, project_root: Path | None) -> Any:
    """The model in force for a task (the project's own if trained, else the shipped one)."""
    from ..models import registry

    try:
        return registry.load(task, project_root)
    except LookupError as exc:
        raise PantauError(str(exc), "see: pantau models list") from None
