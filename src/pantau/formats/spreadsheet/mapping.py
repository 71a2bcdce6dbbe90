"""The [[imports.mapping]] entries of pantau.toml: validated, with the key and a hint for the
first problem found, and matched against a file's name and header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatch
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...errors import ConfigError
from ...records import PLATFORMS

KINDS = ("posts", "comments")
MAPPING_KEYS = ("name", "match", "platform", "kind", "columns", "date_format", "timezone",
                "decimal_comma")
POST_FIELDS = ("post_id", "url", "account_id", "handle", "display_name", "followers",
               "created_at", "text", "media_type", "duration_s", "hashtags", "mentions", "is_ad",
               "lang", "views", "likes", "comments", "shares", "saves", "observed_at")
COMMENT_FIELDS = ("comment_id", "post_id", "post_url", "parent_id", "author_id", "author_handle",
                  "created_at", "text", "likes", "reply_count")

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
