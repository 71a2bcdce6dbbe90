"""The registry of import formats and sniffing (auto-detection).

Each format is one module that calls `register(Format(...))`. Sniffing reads the start of a file
once, builds a `Probe`, and asks every format in priority order; the first that recognises the
file wins. A file that no format recognises is refused with the list of known formats.
"""

from __future__ import annotations

import importlib

import orjson

from ..errors import FormatError
from ..sources import Source
from .base import (
    READERS,
    SNIFF_BYTES,
    Format,
    MapContext,
    Probe,
    RawRecord,
    Rejected,
    csv_header,
)

__all__ = [
    "Format", "MapContext", "Probe", "RawRecord", "Rejected", "REGISTRY",
    "register", "get_format", "all_formats", "detect", "probe_source",
]

REGISTRY: dict[str, Format] = {}

# Modules holding one format each; importing them registers the format.
FORMAT_MODULES = (
    "zeeschuimer_tiktok",
    "zeeschuimer_instagram",
    "zeeschuimer_x",
    "tiktok_web_comments",
    "tiktok_research_api",
    "twarc2",
    "twarc_csv",
    "ytdlp",
    "instaloader",
    "crowdtangle",
    "meta_content_library",
    "youtube_api",
    "graph_api",
    "spreadsheet",
)


def register(fmt: Format) -> Format:
    if fmt.name in REGISTRY:
        raise ValueError(f"format {fmt.name!r} registered twice")
    REGISTRY[fmt.name] = fmt
    return fmt


def _load_all() -> None:
    for module in FORMAT_MODULES:
        importlib.import_module(f"{__name__}.{module}")


_loaded = False


def all_formats() -> list[Format]:
    global _loaded
    if not _loaded:  # not `if not REGISTRY`: importing one format module directly fills it
        _load_all()
        _loaded = True
    return sorted(REGISTRY.values(), key=lambda f: f.name)


def get_format(name: str) -> Format:
    all_formats()
    if name not in REGISTRY:
        raise FormatError(
            f"unknown format {name!r}",
            f"known formats: {', '.join(sorted(REGISTRY))} (pantau formats describes them)",
        )
    return REGISTRY[name]


def probe_source(source: Source) -> Probe:
    with source.open() as stream:
        head = stream.read(SNIFF_BYTES)
        name = source.inner_name
        lower = name.lower()
        if head.startswith(b"PK\x03\x04") and lower.endswith((".xlsx", ".xlsm")):
            return Probe(name, head, "xlsx", columns=_xlsx_header(source))
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped[:1] in (b"{", b"["):
            first_line = stripped.split(b"\n", 1)[0].strip()
            try:
                first = orjson.loads(first_line)
                # A complete object on the first line means one record per line (a
                # pretty-printed document's first line is just "{"), whatever follows.
                if isinstance(first, dict):
                    return Probe(name, head, "ndjson", first=first)
            except orjson.JSONDecodeError:
                pass
            document = None
            if len(head) < SNIFF_BYTES:
                document = _loads_or_none(head)
            else:
                document = _loads_or_none(head + stream.read())
            return Probe(name, head, "json", first=document)
        if lower.endswith((".csv", ".tsv", ".txt")) or b"," in head.split(b"\n", 1)[0]:
            return Probe(name, head, "csv", columns=csv_header(head))
        return Probe(name, head, "unknown")


def _loads_or_none(data: bytes):
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None


def _xlsx_header(source: Source) -> list[str]:
    import io

    import openpyxl

    with source.open() as stream:
        book = openpyxl.load_workbook(io.BytesIO(stream.read()), read_only=True)
    row = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), ())
    return [str(c).strip() for c in row if c is not None]


def detect(source: Source, probe: Probe | None = None, config=None) -> Format:
    probe = probe or probe_source(source)
    if config is not None:
        probe.config = config
    for fmt in sorted(all_formats(), key=lambda f: -f.priority):
        if READERS.get(fmt.reader) is None:
            continue
        try:
            if fmt.sniff(probe):
                return fmt
        except (KeyError, TypeError, AttributeError, IndexError):
            continue
    known = ", ".join(f.name for f in all_formats())
    raise FormatError(
        f"{source.name}: not a format pantau knows (looks like {probe.kind})",
        f"known formats: {known}; force one with --format NAME, or declare a spreadsheet "
        "mapping in pantau.toml",
    )
