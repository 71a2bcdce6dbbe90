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
        texts, authors = _read_input(input, column, author_column)
        model = load_task(task, root)
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        reads_groups = DUPLICATE_GROUP in TASKS[task].inputs and hasattr(model, "similarity")
        groups = None
        if reads_groups:
            from ..text.duplicates import duplicate_groups

            # duplicates are looked for across the whole input, not one batch
            groups = duplicate_groups(texts, authors, similarity=model.similarity,
                                      min_words=model.min_words)
        for start in range(0, len(texts), batch_size):
            chunk = texts[start:start + batch_size]
            if groups is not None:
                from ..text.duplicates import DuplicateGroups

                sub = DuplicateGroups(groups.ids[start:start + batch_size], groups.sizes,
                                      groups.authors)
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


def _read_input(path: Path | None, column: str | None,
                author_column: str | None) -> tuple[list[str], list[str | None] | None]:
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
        return _read_table(raw, "\t" if suffix == ".tsv" else ",", column, author_column, name)
    if column:
        raise PantauError(f"--column needs a .csv or .tsv file, not {name}",
                          "drop --column to read one text per line")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line is not an extra empty text
    return [line.rstrip("\r") for line in lines], None


def _read_table(raw: str, delimiter: str, column: str | None, author_column: str | None,
                name: str) -> tuple[list[str], list[str | None] | None]:
    rows: Iterator[list[str]] = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    header = next(rows, None)
    if header is None:
        return [], None
    header = [h.strip() for h in header]
    if column is None:
        if len(header) == 1:
            column = header[0]
        else:
            raise PantauError(f"{name} has several columns: say which holds the text",
                              f"add --column NAME; columns: {', '.join(header)}")
    for wanted in (column, author_column):
        if wanted is not None and wanted not in header:
            raise PantauError(f"column {wanted!r} not in {name}",
                              f"columns: {', '.join(header)}")
    j = header.index(column)
    a = header.index(author_column) if author_column else None
    texts: list[str] = []
    authors: list[str | None] = []
    for row in rows:
        texts.append(row[j] if j < len(row) else "")
        if a is not None:
            authors.append(row[a] if a < len(row) and row[a] != "" else None)
    return texts, (authors if a is not None else None)


def load_task(task: str, project_root: Path | None) -> Any:
    """The model in force for a task (the project's own if trained, else the shipped one)."""
    from ..models import registry

    try:
        return registry.load(task, project_root)
    except LookupError as exc:
        raise PantauError(str(exc), "see: pantau models list") from None
