"""Reading back the raw records of an import from the file kept under the project's raw/.

Ingest keeps every imported file byte for byte (`imports.raw_path`, relative to the project
folder) instead of a table of raw records; this reads that copy again with the reader the
import used, so a reject can be checked and a better mapper can re-read what was imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import formats
from .errors import PantauError
from .formats.base import READERS, RawRecord
from .project import Project
from .sources import Source


@dataclass(frozen=True)
class KeptImport:
    import_id: int
    source: str  # the path the file was imported from
    format: str
    raw_path: Path  # the kept copy, absolute


def kept_import(con, root: Path, import_id: int) -> KeptImport:
    """Where import `import_id` keeps its file; PantauError if unknown or not on disk."""
    row = con.execute("SELECT path, format, raw_path FROM imports WHERE import_id = ?",
                      [import_id]).fetchone()
    if row is None:
        raise PantauError(f"no import with id {import_id}",
                          "`pantau status` counts the imports; `pantau query \"SELECT import_id,"
                          " path FROM imports\"` lists their ids")
    path, fmt, raw_path = row
    if raw_path is None:  # imported by a library call without a raw folder
        raise PantauError(f"import {import_id} ({path}) kept no copy of its file",
                          "it was imported by a library call without raw_dir; read the original "
                          "file at that path (importing the same bytes again is skipped)")
    kept = root / raw_path
    if not kept.is_file():
        raise PantauError(f"the kept file of import {import_id} is missing: {kept}",
                          f"put it back at that path (imported from {path})")
    return KeptImport(int(import_id), path, fmt, kept)


def read_kept(kept: KeptImport) -> Iterator[RawRecord]:
    """The records of the kept file as the import's reader gave them (line numbers included).
    The copy keeps the original name's suffix (a zip member is kept unpacked), so Source.open
    decompresses it as the import did."""
    reader = READERS[formats.get_format(kept.format).reader]
    with Source(str(kept.raw_path), kept.raw_path).open() as stream:
        yield from reader(stream)


def raw_records(project: Project | Path, import_id: int, *, con=None) -> Iterator[
        tuple[int, str]]:
    """(line_no, text) of every raw record of an import, read from its kept file.

    Pass `con` to reuse an open store connection; otherwise one is opened read-only."""
    proj = project if isinstance(project, Project) else Project(Path(project))
    if con is not None:
        kept = kept_import(con, proj.root, import_id)
    else:
        own = proj.connect(read_only=True)
        try:
            kept = kept_import(own, proj.root, import_id)
        finally:
            own.close()  # the file is read after the store is released
    for record in read_kept(kept):
        yield record.line_no, record.text
