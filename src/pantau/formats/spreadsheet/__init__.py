"""Hand-made spreadsheets (CSV or XLSX) read through a column mapping declared in pantau.toml.

```toml
[[imports.mapping]]
name = "tim-medsos-ig"            # optional label, shown in messages
match = "ig-*.xlsx"               # glob on the file name (case-insensitive)
platform = "instagram"            # tiktok | instagram | facebook | x | youtube
kind = "posts"                    # posts (default) | comments
columns = { post_id = "Link", created_at = "Tanggal", text = "Caption", likes = "Suka" }
date_format = "%d/%m/%Y %H:%M"    # optional; see below for what is read without it
timezone = "Asia/Jakarta"         # optional; default: [election] timezone
decimal_comma = true              # optional, default true: "1.234" = 1234, "1,2 rb" = 1200
```

Decisions:
- the mapping is chosen by `match` on the file name; among mappings that match, the first
  whose columns are all in the header. A CSV/XLSX that no mapping matches is refused (never
  guessed), with a hint that shows how to declare one using the file's own column names.
  A mapping that matches the name but names a column the file lacks is refused with the
  missing column named.
- post id: the `post_id` column; when it holds a URL, or when only `url` is mapped, the id is
  the URL's last segment (TikTok /video/{id}, Instagram /p/{shortcode}, Facebook /posts/{id},
  X /status/{id}, YouTube ?v=), the same ids the platform formats use. A posts mapping needs
  post_id or url; a row with neither value is rejected.
- dates without date_format: ISO ("2024-09-25", "2024-09-25 14:30"), "25/09/2024" (day
  first; "09/25/2024" is refused, not swapped), "25-09-2024", "25 Sep 2024",
  "25 September 2024", Indonesian month names and abbreviations ("25 Agustus 2024",
  "25 Agt 2024", "Okt", "Des", "Mei"), an optional leading weekday ("Rabu, ..."), time
  "14:30" or "14.30", a trailing "WIB"/"WITA"/"WIT"/"UTC", Excel date cells and serials.
  A time without zone is in the mapping's timezone (default: the election's).
- counts go through values.to_int with decimal_comma: "1,2 rb", "3 jt", "1.234", "1,5 M"
  (miliar). "1.2K" (English style, with a unit) is read as 1200 even with decimal_comma; a
  count that only makes sense in the other convention ("1,234" with decimal_comma) is
  refused, not read as 1.
Not handled: several sheets in one workbook (the first is read), merged header rows,
comments and posts in the same sheet.

    mapping.py   validating [[imports.mapping]] and matching it to a file
    __init__.py  sniffing, choosing the mapping for a header, mapping rows to records
    (dates as written in Indonesia: pantau.values.parse_local_date / local_cell_to_utc)
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ...errors import FormatError
from ...records import Account, Comment, Post
from ...values import (
    hashtags_in,
    is_missing,
    local_cell_to_utc,
    mentions_in,
    to_float,
    to_int,
    unique,
)
from .. import register
from ..base import READERS, Format, MapContext, Probe, RawRecord, read_csv, read_xlsx
from ..crowdtangle import clean_id, post_id_from_url
from .mapping import SheetMapping, _how_to_declare, load_mappings

SHEET_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")

MEDIA_WORDS = {
    "video": "video", "vidio": "video", "reel": "video", "reels": "video", "short": "video",
    "shorts": "video", "clip": "video", "clips": "video", "igtv": "video",
    "photo": "image", "foto": "image", "image": "image", "gambar": "image", "picture": "image",
    "pic": "image", "feed": "image",
    "carousel": "carousel", "album": "carousel", "slide": "carousel", "slides": "carousel",
    "carousel_album": "carousel", "geser": "carousel",
    "text": "text", "teks": "text", "status": "text", "tulisan": "text", "tweet": "text",
    "link": "link", "tautan": "link", "share": "link",
    "live": "live", "siaran langsung": "live", "live streaming": "live", "livestream": "live",
}
TRUE_WORDS = {"ya", "yes", "y", "true", "1", "iklan", "ad", "ads", "berbayar", "paid", "benar"}
FALSE_WORDS = {"tidak", "no", "n", "false", "0", "bukan", "organik", "organic", "salah"}

# --- choosing the mapping: sniff and prepare ----------------------------------------------

def sniff(probe: Probe) -> bool:
    """Claims a CSV/XLSX no specific format took (this format runs last), if a mapping fits.

    A spreadsheet that no mapping fits is refused here with how to declare one, rather than
    with the generic 'not a format pantau knows'.
    """
    if probe.kind not in ("csv", "xlsx") or not probe.name.lower().endswith(SHEET_SUFFIXES):
        return False
    config = getattr(probe, "config", None)
    if config is None:
        return False
    fitting = [m for m in load_mappings(config) if m.fits(probe.name)]
    if not fitting:
        raise FormatError(f"{probe.name}: not a format pantau knows (looks like {probe.kind}), "
                          "and no [[imports.mapping]] in pantau.toml matches this spreadsheet",
                          "force a format with --format NAME, or "
                          + _how_to_declare(probe.name, probe.columns))
    problems = []
    for mapping in fitting:
        _, missing = mapping.resolve(probe.columns)
        if not missing:
            return True
        problems.append(f"{mapping.key} ({mapping.name}) names column(s) "
                        f"{', '.join(repr(c) for c in missing)} that the file lacks")
    raise FormatError(f"{probe.name}: {'; '.join(problems)}",
                      f"correct {fitting[0].key}.columns in pantau.toml; this file's columns: "
                      f"{', '.join(probe.columns)}")


def prepare(config: Any, source_name: str) -> dict[str, Any]:
    fitting = [m for m in load_mappings(config) if m.fits(source_name)]
    if not fitting:
        raise FormatError(f"{source_name}: no [[imports.mapping]] in pantau.toml matches this "
                          "file", _how_to_declare(source_name, []))
    return {"mappings": fitting}


# --- mapping rows -------------------------------------------------------------------------

def map_row(record: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    mappings: list[SheetMapping] = ctx.options.get("mappings") or []
    if not mappings:
        raise ValueError("no [[imports.mapping]] applies to this file")
    header = tuple(record)
    cache: dict[tuple[str, ...], Any] = ctx.options.setdefault("_resolved", {})
    if header not in cache:
        cache[header] = _choose(mappings, header)
    mapping, resolved = cache[header]

    def cell(field_name: str) -> Any:
        column = resolved.get(field_name)
        value = record.get(column) if column else None
        if isinstance(value, str):
            value = value.strip()
        return None if is_missing(value) else value

    if mapping.kind == "comments":
        yield from _comment_row(cell, mapping)
    else:
        yield from _post_row(cell, mapping)


def _choose(mappings: list[SheetMapping], header: tuple[str, ...]):
    problems = []
    for mapping in mappings:
        resolved, missing = mapping.resolve(header)
        if not missing:
            return mapping, resolved
        problems.append(f"{mapping.key} names column(s) {', '.join(map(repr, missing))} that "
                        "the file lacks")
    raise ValueError("; ".join(problems))


def _id_and_url(raw: Any, url: Any) -> tuple[str | None, str | None]:
    url_text = str(url).strip() if url is not None else None
    if isinstance(raw, str) and re.match(r"^(https?://|www\.)", raw, re.IGNORECASE):
        return post_id_from_url(raw), url_text or raw
    post_id = clean_id(raw)
    if post_id is None and url_text:
        post_id = post_id_from_url(url_text)
    return post_id, url_text


def _handle_in_url(url: str | None, platform: str) -> str | None:
    if not url:
        return None
    path = [s for s in re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("/") if s]
    if platform == "tiktok" and path and path[0].startswith("@"):
        return path[0][1:]
    if platform == "x" and len(path) >= 3 and path[1] == "status":
        return path[0]
    return None


def _post_row(cell, mapping: SheetMapping) -> Iterator[Any]:
    platform = mapping.platform
    post_id, url = _id_and_url(cell("post_id"), cell("url"))
    if post_id is None:
        raise ValueError("row has no post id (post_id is empty and there is no URL to take it "
                         "from)")
    handle = _handle(cell("handle")) or _handle_in_url(url, platform)
    account_id = clean_id(cell("account_id")) or handle
    display = _cell_text(cell("display_name"))
    followers = _count(cell("followers"), mapping.decimal_comma)
    observed = _when(cell("observed_at"), mapping)
    text = _cell_text(cell("text"))
    tags = _tokens(cell("hashtags"), "#") if cell("hashtags") is not None else hashtags_in(text)
    mentions = (_tokens(cell("mentions"), "@") if cell("mentions") is not None
                else mentions_in(text))
    if account_id is not None:
        yield Account(platform, account_id, handle, display, followers, observed)
    yield Post(
        platform=platform,
        post_id=post_id,
        account_id=account_id,
        created_at=_when(cell("created_at"), mapping),
        text=text,
        media_type=_media_type(cell("media_type")),
        duration_s=_duration(cell("duration_s")),
        url=url,
        hashtags=unique(tags),
        mentions=unique(mentions),
        is_ad=_bool(cell("is_ad")),
        lang=(_cell_text(cell("lang")) or "").lower() or None,
        observed_at=observed,
        views=_count(cell("views"), mapping.decimal_comma),
        likes=_count(cell("likes"), mapping.decimal_comma),
        comments=_count(cell("comments"), mapping.decimal_comma),
        shares=_count(cell("shares"), mapping.decimal_comma),
        saves=_count(cell("saves"), mapping.decimal_comma),
        followers=followers,
    )


def _comment_row(cell, mapping: SheetMapping) -> Iterator[Any]:
    comment_id = clean_id(cell("comment_id"))
    if comment_id is None:
        raise ValueError("row has no comment id")
    post_id, _ = _id_and_url(cell("post_id"), cell("post_url"))
    yield Comment(
        platform=mapping.platform,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=clean_id(cell("parent_id")),
        author_id=clean_id(cell("author_id")),
        author_handle=_handle(cell("author_handle")),
        created_at=_when(cell("created_at"), mapping),
        text=_cell_text(cell("text")),
        likes=_count(cell("likes"), mapping.decimal_comma),
        reply_count=_count(cell("reply_count"), mapping.decimal_comma),
    )


# --- cell values --------------------------------------------------------------------------

def _when(value: Any, mapping: SheetMapping) -> datetime | None:
    return local_cell_to_utc(value, mapping.timezone, mapping.date_format)


def _cell_text(value: Any) -> str | None:
    """A cell as text (a whole number that the sheet stored as a float loses its ".0")."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _handle(value: Any) -> str | None:
    text = _cell_text(value)
    return text.strip().lstrip("@").strip() or None if text else None


def _tokens(value: Any, sigil: str) -> list[str]:
    return [t.lower() for t in re.split(rf"[\s,;{re.escape(sigil)}]+", str(value)) if t]


def _media_type(value: Any) -> str | None:
    text = _cell_text(value)
    return MEDIA_WORDS.get(text.strip().lower()) if text else None


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"is_ad {value!r} is not yes/no (ya/tidak)")


def _duration(value: Any) -> float | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(s|sec|secs|detik|dtk)?", text)
    if m:
        return float(m.group(1).replace(",", "."))
    return to_float(value)


def _count(value: Any, decimal_comma: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", " ")
        if decimal_comma and re.fullmatch(r"\d+\.\d{1,2}\s*[A-Za-z]+\.?", text):
            decimal_comma = False  # "1.2K": English style with a unit
        elif decimal_comma and re.fullmatch(r"\d{1,3}(,\d{3})+", text):
            raise ValueError(f"count {value!r} uses a comma as thousands separator but the "
                             "mapping has decimal_comma = true (set it to false for this file)")
        elif not decimal_comma and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            raise ValueError(f"count {value!r} uses a dot as thousands separator but the "
                             "mapping has decimal_comma = false (set it to true)")
        value = text
    return to_int(value, decimal_comma=decimal_comma)


def read_sheet(stream) -> Iterator[RawRecord]:
    """CSV or XLSX, told apart by the zip signature XLSX files start with."""
    peek = getattr(stream, "peek", None)
    head = peek(4)[:4] if peek is not None else None
    if head is None:
        stream = io.BytesIO(stream.read())
        head = stream.getvalue()[:4]
    reader = read_xlsx if head.startswith(b"PK\x03\x04") else read_csv
    yield from reader(stream)


READERS.setdefault("sheet", read_sheet)

register(Format(
    name="spreadsheet",
    description="A hand-made spreadsheet read through a [[imports.mapping]] in pantau.toml",
    file_kinds="CSV (.csv, .tsv) or Excel (.xlsx) with a mapping whose `match` fits the name",
    reader="sheet",
    sniff=sniff,
    map=map_row,
    platform=None,
    priority=-100,
    prepare=prepare,
))
