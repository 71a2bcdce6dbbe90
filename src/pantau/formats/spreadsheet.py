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
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fnmatch import fnmatch
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ConfigError, FormatError
from ..records import Account, Comment, Post
from ..values import (
    TZ_ABBREVIATIONS,
    epoch_to_utc,
    hashtags_in,
    is_missing,
    mentions_in,
    to_float,
    to_int,
    unique,
)
from . import register
from .base import READERS, Format, MapContext, Probe, RawRecord, read_csv, read_xlsx
from .crowdtangle import clean_id, post_id_from_url

PLATFORMS = ("tiktok", "instagram", "facebook", "x", "youtube")
KINDS = ("posts", "comments")
MAPPING_KEYS = ("name", "match", "platform", "kind", "columns", "date_format", "timezone",
                "decimal_comma")
POST_FIELDS = ("post_id", "url", "account_id", "handle", "display_name", "followers",
               "created_at", "text", "media_type", "duration_s", "hashtags", "mentions", "is_ad",
               "lang", "views", "likes", "comments", "shares", "saves", "observed_at")
COMMENT_FIELDS = ("comment_id", "post_id", "post_url", "parent_id", "author_id", "author_handle",
                  "created_at", "text", "likes", "reply_count")
SHEET_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "wed", "thu", "fri", "sat", "sun")
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

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T,]+(.+))?$")
_YMD = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T,]+(.+))?$")
_D_MON_Y = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})(?:[ ,]+(.+))?$")
_MON_D_Y = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:[ ,]+(.+))?$")
_TIME = re.compile(r"^(?:pukul|jam|at|@)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$",
                   re.IGNORECASE)


@dataclass(frozen=True)
class SheetMapping:
    index: int
    name: str
    match: str
    platform: str
    kind: str
    columns: tuple[tuple[str, str], ...]  # (pantau field, column in the file)
    date_format: str | None
    timezone: ZoneInfo
    decimal_comma: bool

    @property
    def key(self) -> str:
        return f"imports.mapping[{self.index}]"

    def fits(self, file_name: str) -> bool:
        base = PurePath(file_name.replace("!", "/")).name.lower()
        pattern = self.match.lower()
        return fnmatch(base, pattern) or fnmatch(file_name.lower().replace("\\", "/"), pattern)

    def resolve(self, header: list[str] | tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
        """Map each pantau field to the header's column (exact, else ignoring case/spaces)."""
        loose = {_loose(h): h for h in header}
        resolved, missing = {}, []
        for field_name, column in self.columns:
            if column in header:
                resolved[field_name] = column
            elif _loose(column) in loose:
                resolved[field_name] = loose[_loose(column)]
            else:
                missing.append(column)
        return resolved, missing


def _loose(name: str) -> str:
    return re.sub(r"\s+", " ", str(name)).strip().lower()


# --- validating [[imports.mapping]] -------------------------------------------------------

def _error(key: str, problem: str, hint: str) -> ConfigError:
    return ConfigError(f"pantau.toml: {key}: {problem}", hint)


def load_mappings(config: Any) -> list[SheetMapping]:
    """Validate every [[imports.mapping]] entry; the first problem is raised with its key."""
    raw_list = list(getattr(getattr(config, "imports", None), "mapping", None) or [])
    election_tz = getattr(getattr(config, "election", None), "timezone", "Asia/Jakarta")
    return [_validate(i, raw, election_tz) for i, raw in enumerate(raw_list)]


def _validate(index: int, raw: Any, election_tz: str) -> SheetMapping:
    key = f"imports.mapping[{index}]"
    if not isinstance(raw, dict):
        raise _error(key, "must be a table", "write it as [[imports.mapping]] with keys below it")
    for name in raw:
        if name not in MAPPING_KEYS:
            raise ConfigError(f"pantau.toml: unknown key '{key}.{name}'",
                              f"a mapping takes: {', '.join(MAPPING_KEYS)}")
    for required in ("match", "platform", "columns"):
        if required not in raw:
            raise ConfigError(f"pantau.toml: missing key '{key}.{required}'", {
                "match": 'e.g. match = "instagram-*.xlsx" (a glob on the file name)',
                "platform": f"one of {', '.join(PLATFORMS)}",
                "columns": 'e.g. columns = { post_id = "Link", created_at = "Tanggal" }',
            }[required])
    name = raw.get("name", f"mapping {index}")
    if not isinstance(name, str):
        raise _error(f"{key}.name", "must be text", 'e.g. name = "ig-posts"')
    match = raw["match"]
    if not isinstance(match, str) or not match.strip():
        raise _error(f"{key}.match", "must be a file-name glob",
                     'e.g. match = "*.xlsx" or match = "laporan-tiktok-*.csv"')
    platform = raw["platform"]
    if platform not in PLATFORMS:
        raise _error(f"{key}.platform", f"unknown platform {platform!r}",
                     f"one of {', '.join(PLATFORMS)}")
    kind = raw.get("kind", "posts")
    if kind not in KINDS:
        raise _error(f"{key}.kind", f"unknown kind {kind!r}", "posts or comments")
    fields = POST_FIELDS if kind == "posts" else COMMENT_FIELDS
    columns = raw["columns"]
    if not isinstance(columns, dict) or not columns:
        raise _error(f"{key}.columns", "must be a table of pantau field = \"Your column\"",
                     'e.g. columns = { post_id = "Link", likes = "Suka" }')
    for field_name, column in columns.items():
        if field_name not in fields:
            raise _error(f"{key}.columns.{field_name}", f"unknown pantau field {field_name!r}",
                         f"fields for {kind}: {', '.join(fields)}")
        if not isinstance(column, str) or not column.strip():
            raise _error(f"{key}.columns.{field_name}", "must be the column's name as text",
                         f'e.g. {field_name} = "Nama kolom"')
    if kind == "posts" and "post_id" not in columns and "url" not in columns:
        raise _error(f"{key}.columns", "a posts mapping needs post_id (or url, to take the id "
                     "from)", 'e.g. post_id = "Link" (a URL column works)')
    if kind == "comments" and "comment_id" not in columns:
        raise _error(f"{key}.columns", "a comments mapping needs comment_id",
                     'e.g. comment_id = "ID Komentar"')
    date_format = raw.get("date_format")
    if date_format is not None:
        if not isinstance(date_format, str) or "%" not in date_format:
            raise _error(f"{key}.date_format", f"{date_format!r} is not a date format",
                         'use strptime codes, e.g. "%d/%m/%Y %H:%M"')
        try:
            datetime(2024, 9, 25, 14, 30).strftime(date_format)
        except ValueError as exc:
            raise _error(f"{key}.date_format", str(exc), 'e.g. "%d/%m/%Y %H:%M"') from None
    tz_name = raw.get("timezone", election_tz)
    try:
        tz = ZoneInfo(str(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        raise _error(f"{key}.timezone", f"unknown time zone {tz_name!r}",
                     "e.g. Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)") from None
    decimal_comma = raw.get("decimal_comma", True)
    if not isinstance(decimal_comma, bool):
        raise _error(f"{key}.decimal_comma", "must be true or false",
                     "true for Indonesian numbers (1.234 = 1234)")
    return SheetMapping(index, name, match.strip(), platform, kind,
                        tuple((f, c.strip()) for f, c in columns.items()), date_format, tz,
                        decimal_comma)


# --- choosing the mapping: sniff and prepare ----------------------------------------------

def _how_to_declare(file_name: str, header: list[str]) -> str:
    base = PurePath(file_name.replace("!", "/")).name
    guess = _guess_columns(header)
    example = ", ".join(f'{f} = "{c}"' for f, c in guess) or 'post_id = "...", text = "..."'
    shown = ", ".join(header[:15]) + (", ..." if len(header) > 15 else "")
    return (f'declare it in pantau.toml, e.g.  [[imports.mapping]]  name = "my-sheet"  '
            f'match = "{base}"  platform = "instagram"  kind = "posts"  '
            f"columns = {{ {example} }}  (one key per line); "
            f"this file's columns: {shown or '(none found)'}")


def _guess_columns(header: list[str]) -> list[tuple[str, str]]:
    """Only for the hint: likely columns for a few fields, by their names."""
    hints = (("post_id", ("id", "link", "url", "tautan")),
             ("created_at", ("tanggal", "date", "waktu", "time", "tgl")),
             ("text", ("caption", "teks", "text", "isi", "konten", "deskripsi")),
             ("likes", ("suka", "like", "likes")))
    found = []
    for field_name, words in hints:
        for column in header:
            if any(w in column.lower() for w in words):
                found.append((field_name, column))
                break
    return found


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
    display = _text(cell("display_name"))
    followers = _count(cell("followers"), mapping.decimal_comma)
    observed = _when(cell("observed_at"), mapping)
    text = _text(cell("text"))
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
        lang=(_text(cell("lang")) or "").lower() or None,
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
        text=_text(cell("text")),
        likes=_count(cell("likes"), mapping.decimal_comma),
        reply_count=_count(cell("reply_count"), mapping.decimal_comma),
    )


# --- cell values --------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _handle(value: Any) -> str | None:
    text = _text(value)
    return text.strip().lstrip("@").strip() or None if text else None


def _tokens(value: Any, sigil: str) -> list[str]:
    return [t.lower() for t in re.split(rf"[\s,;{re.escape(sigil)}]+", str(value)) if t]


def _media_type(value: Any) -> str | None:
    text = _text(value)
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


def _when(value: Any, mapping: SheetMapping) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        local = value
    elif isinstance(value, date):
        local = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        local = _serial_or_epoch(value)
        if local is None:
            raise ValueError(f"date {value!r} is a number that is neither an Excel date nor "
                             "an epoch time")
        if abs(value) > 1e9:
            return local  # epoch: already UTC
    else:
        local = _parse_date_text(str(value), mapping)
    if local.tzinfo is None:
        local = local.replace(tzinfo=mapping.timezone)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _serial_or_epoch(value: float) -> datetime | None:
    if abs(value) > 1e9:
        return epoch_to_utc(value)
    if 20000 < value < 80000:  # Excel serial day numbers (1954..2119)
        return datetime(1899, 12, 30) + timedelta(days=float(value))
    return None


def _parse_date_text(text: str, mapping: SheetMapping) -> datetime:
    original = text
    text = re.sub(r"\s+", " ", text.strip())
    if mapping.date_format:
        return _strptime(text, mapping.date_format)
    tz = None
    m = re.match(r"^(.*\d)\s*([A-Za-z]{2,5})$", text)
    if m and m.group(2).upper() in TZ_ABBREVIATIONS:
        text = m.group(1).strip()
        tz = _fixed_zone(TZ_ABBREVIATIONS[m.group(2).upper()])
    head = text.split(",", 1)[0].split(" ", 1)[0].strip().lower()
    if head in WEEKDAYS and not re.match(r"^\d", text):
        text = re.sub(r"^[A-Za-z']+,?\s*", "", text)
    if re.fullmatch(r"-?\d{9,}(\.\d+)?", text):
        return epoch_to_utc(text).replace(tzinfo=ZoneInfo("UTC"))
    parsed = _parse_known(text)
    if parsed is None:
        raise ValueError(f"date {original!r} is not a date pantau reads; set date_format in "
                         "the mapping (e.g. \"%d/%m/%Y %H:%M\")")
    if tz is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def _fixed_zone(hours: int):
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def _parse_known(text: str) -> datetime | None:
    m = _YMD.match(text)
    if m:
        return _build(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4), text)
    m = _DMY.match(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if month > 12:
            raise ValueError(f"date {text!r} is not day/month/year (month {month}); set "
                             "date_format in the mapping, e.g. \"%m/%d/%Y\"")
        return _build(year + 2000 if year < 100 else year, month, day, m.group(4), text)
    m = _D_MON_Y.match(text)
    if m and m.group(2).lower() in MONTHS:
        return _build(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)), m.group(4),
                      text)
    m = _MON_D_Y.match(text)
    if m and m.group(1).lower() in MONTHS:
        return _build(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)), m.group(4),
                      text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _build(year: int, month: int, day: int, rest: str | None, text: str) -> datetime:
    try:
        base = datetime(year, month, day)
    except ValueError:
        raise ValueError(f"date {text!r} is not a valid date") from None
    if not rest:
        return base
    rest = rest.strip()
    iso_tail = re.fullmatch(r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?", rest)
    if iso_tail and iso_tail.group(2):
        return datetime.fromisoformat(f"{base.date().isoformat()}T{rest.replace(' ', '')}")
    t = _TIME.match(rest)
    if not t:
        raise ValueError(f"time in {text!r} is not read (use 14:30 or 14.30, or set "
                         "date_format)")
    hour, minute, second = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
    ampm = (t.group(4) or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return base.replace(hour=hour, minute=minute, second=second)


def _strptime(text: str, fmt: str) -> datetime:
    candidate = text
    if "%b" in fmt or "%B" in fmt:
        def english(m: re.Match[str]) -> str:
            number = MONTHS.get(m.group(0).lower().rstrip("."))
            if number is None:
                return m.group(0)
            full = ENGLISH_MONTHS[number - 1]
            return full if "%B" in fmt else full[:3]
        candidate = re.sub(r"[A-Za-z]+\.?", english, text)
    try:
        return datetime.strptime(candidate, fmt)
    except ValueError:
        raise ValueError(f"date {text!r} does not match date_format {fmt!r}") from None


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
