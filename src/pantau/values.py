"""Coercing the values that exports carry into ids, counts and UTC times.

Exports disagree on everything: counts arrive as ints, strings, "1.2K" or "1,2 rb"; times as
epoch seconds, epoch milliseconds, ISO strings with Z or +0000, Twitter's legacy strings or
CrowdTangle's "2023-11-05 22:56:36 EST". These helpers never guess silently: an unreadable
value raises ValueError, which the import turns into a reject with the reason.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

MISSING_STRINGS = frozenset({"", "n/a", "na", "none", "null", "nan", "-", "--"})

# Fixed offsets for the abbreviations CrowdTangle and similar tools print. Ambiguous ones
# (e.g. IST) are left out on purpose: an unknown abbreviation is rejected, not guessed.
TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10,
    "WIB": 7, "WITA": 8, "WIT": 9,
    "CET": 1, "CEST": 2, "BST": 1, "EET": 2, "EEST": 3, "JST": 9, "SGT": 8, "AEST": 10,
}

_SUFFIX = {
    "k": 1_000, "rb": 1_000, "ribu": 1_000,
    "m": 1_000_000, "jt": 1_000_000, "juta": 1_000_000, "mio": 1_000_000,
    "b": 1_000_000_000, "bn": 1_000_000_000, "m_id": 1_000_000_000, "miliar": 1_000_000_000,
    "t": 1_000_000_000_000, "triliun": 1_000_000_000_000,
}
_COUNT_RE = re.compile(r"^([0-9][0-9.,\s]*)\s*([a-z]*)\.?$")


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and value.strip().lower() in MISSING_STRINGS


def to_id(value: Any) -> str | None:
    """A platform id as a string. Ints stay exact; floats are refused (they lost digits)."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"id {value!r} is a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        raise ValueError(f"id {value!r} passed through a float and lost its exact digits")
    text = str(value).strip()
    return text or None


# What the store's BIGINT columns hold; a count outside is a broken record, not a number.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Times outside these years are a broken record (an epoch in the wrong unit, a typo), not data.
YEARS = (1990, 2100)


def to_int(value: Any, *, decimal_comma: bool = False) -> int | None:
    """A count. Accepts ints, numeric strings, "1,234", "1.2K", "3 jt", "1,2 rb".

    With decimal_comma=True (Indonesian style) "1.234" is 1234 and "1,2 rb" is 1200; otherwise
    the comma is a thousands separator ("1,234") and the dot a decimal point ("1.2K").
    A count beyond a 64-bit integer is refused (ValueError): the record is rejected.
    """
    try:
        number = _to_int(value, decimal_comma=decimal_comma)
    except OverflowError:  # inf
        raise ValueError(f"count {value!r} is not a finite number") from None
    if number is not None and not INT64_MIN <= number <= INT64_MAX:
        raise ValueError(f"count {str(value)[:40]} is too large (beyond 2^63)")
    return number


def _to_int(value: Any, *, decimal_comma: bool = False) -> int | None:
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(round(value))
    text = str(value).strip().lower().replace("\u00a0", " ")
    m = _COUNT_RE.match(text)
    if not m:
        raise ValueError(f"count {value!r} is not a number")
    number, suffix = m.group(1).replace(" ", ""), m.group(2)
    if suffix == "m" and decimal_comma:
        suffix = "m_id"  # Indonesian "M" = miliar
    multiplier = 1
    if suffix:
        if suffix not in _SUFFIX:
            raise ValueError(f"count {value!r} has an unknown unit {suffix!r}")
        multiplier = _SUFFIX[suffix]
    number = _normalise_separators(number, decimal_comma=decimal_comma, has_suffix=bool(suffix))
    try:
        return int(round(float(number) * multiplier))
    except ValueError:
        raise ValueError(f"count {value!r} is not a number") from None


def _normalise_separators(number: str, *, decimal_comma: bool, has_suffix: bool) -> str:
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    if number.count(decimal) > 1:
        raise ValueError(f"{number!r} has more than one decimal mark")
    if not has_suffix and thousands in number:
        groups = number.split(decimal)[0].split(thousands)
        if any(len(g) != 3 for g in groups[1:]):
            raise ValueError(f"{number!r} has misplaced thousands separators")
    return number.replace(thousands, "").replace(decimal, ".")


def to_float(value: Any) -> float | None:
    if is_missing(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if text.count(":") in (1, 2):  # "1:05" or "0:01:05" durations
        parts = [float(p) for p in text.split(":")]
        total = 0.0
        for p in parts:
            total = total * 60 + p
        return total
    return float(text.replace(",", "."))


def epoch_to_utc(value: Any) -> datetime | None:
    """Epoch seconds or milliseconds (told apart by magnitude) to a naive UTC datetime."""
    if is_missing(value):
        return None
    seconds = float(value)
    if abs(seconds) > 1e11:  # milliseconds: 1e11 s is the year 5138
        seconds /= 1000.0
    try:
        result = datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"time {str(value)[:40]} is outside any calendar year") from None
    return check_year(result, value)


def check_year(dt: datetime, value: Any) -> datetime:
    """A time in YEARS, or ValueError naming the year it would be (the record is rejected)."""
    if not YEARS[0] <= dt.year <= YEARS[1]:
        raise ValueError(f"time {str(value)[:40]} gives the year {dt.year}, outside "
                         f"{YEARS[0]}-{YEARS[1]}")
    return dt


_TWITTER_LEGACY = "%a %b %d %H:%M:%S %z %Y"
_ABBREV_RE = re.compile(r"^(.*\d)\s+([A-Za-z]{1,5})$")


def to_utc(value: Any, *, default_tz: timezone | None = None) -> datetime | None:
    """Any time the supported exports write, to a naive UTC datetime.

    Handles epoch s/ms (numbers or digit strings), ISO 8601 with Z, +00:00 or +0000,
    Twitter's "Tue Oct 10 07:57:53 +0000 2023", and "2023-11-05 22:56:36 EST". A time without
    zone is taken in default_tz, or refused when none is given.
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return epoch_to_utc(value)
    else:
        text = str(value).strip()
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return epoch_to_utc(text)
        dt = _parse_time_text(text)
    if dt.tzinfo is None:
        if default_tz is None:
            raise ValueError(f"time {value!r} has no time zone")
        dt = dt.replace(tzinfo=default_tz)
    return check_year(dt.astimezone(UTC).replace(tzinfo=None), value)


def _parse_time_text(text: str) -> datetime:
    try:
        return datetime.strptime(text, _TWITTER_LEGACY)
    except ValueError:
        pass
    m = _ABBREV_RE.match(text)
    if m and m.group(2).upper() in TZ_ABBREVIATIONS:
        base = datetime.fromisoformat(m.group(1).strip())
        return base.replace(tzinfo=timezone(timedelta(hours=TZ_ABBREVIATIONS[m.group(2).upper()])))
    if m and m.group(2).upper() != "Z":
        raise ValueError(f"time {text!r} has an unknown time-zone abbreviation {m.group(2)!r}")
    iso = text
    if re.search(r"[+-]\d{4}$", iso):  # +0000 -> +00:00 for older Pythons' strictness
        iso = iso[:-2] + ":" + iso[-2:]
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        raise ValueError(f"time {text!r} is not a known date format") from None


def ymd_to_utc(value: Any) -> datetime | None:
    """yt-dlp's upload_date YYYYMMDD (a date only: midnight UTC)."""
    if is_missing(value):
        return None
    return datetime.strptime(str(value), "%Y%m%d")


def iso_duration_seconds(value: Any) -> float | None:
    """ISO 8601 durations as YouTube writes them (PT21M7S, P1DT2H)."""
    if is_missing(value):
        return None
    m = re.fullmatch(
        r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", str(value).strip()
    )
    if not m:
        raise ValueError(f"duration {value!r} is not ISO 8601")
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def dig(obj: Any, *path: str | int, default: Any = None) -> Any:
    """obj[a][b][c] that returns default when any step is missing or of the wrong type."""
    for key in path:
        if isinstance(key, int):
            if not isinstance(obj, list) or not -len(obj) <= key < len(obj):
                return default
            obj = obj[key]
        else:
            if not isinstance(obj, dict) or key not in obj:
                return default
            obj = obj[key]
    return default if obj is None else obj


HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w@])@([\w.]+\w|\w)", re.UNICODE)


def hashtags_in(text: str | None) -> list[str]:
    return [t.lower() for t in HASHTAG_RE.findall(text or "")]


def mentions_in(text: str | None) -> list[str]:
    return [m.lower() for m in MENTION_RE.findall(text or "")]


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


# -- dates as written in Indonesian spreadsheets -------------------------------------------
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
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T,]+(.+))?$")
_YMD = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T,]+(.+))?$")
_D_MON_Y = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})(?:[ ,]+(.+))?$")
_MON_D_Y = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:[ ,]+(.+))?$")
_TIME = re.compile(r"^(?:pukul|jam|at|@)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$",
                   re.IGNORECASE)


def local_cell_to_utc(value: Any, tz: tzinfo, date_format: str | None = None
                      ) -> datetime | None:
    """A spreadsheet cell holding a moment -> naive UTC. Text is read with `date_format` when
    given, else as ISO or the day-first, Indonesian and English forms of parse_local_date;
    Excel date cells and serial day numbers, and epoch seconds, are read too. A time without a
    zone is in `tz`."""
    if value is None:
        return None
    if isinstance(value, datetime):
        local = value
    elif isinstance(value, date):
        local = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        serial = _serial_or_epoch(value)
        if serial is None:
            raise ValueError(f"date {value!r} is a number that is neither an Excel date nor "
                             "an epoch time")
        local = serial
        if abs(value) > 1e9:
            return local  # epoch: already UTC
    else:
        local = parse_local_date(str(value), date_format)
    if local.tzinfo is None:
        local = local.replace(tzinfo=tz)
    return local.astimezone(UTC).replace(tzinfo=None)


def _serial_or_epoch(value: float) -> datetime | None:
    if abs(value) > 1e9:
        return epoch_to_utc(value)
    if 20000 < value < 80000:  # Excel serial day numbers (1954..2119)
        return datetime(1899, 12, 30) + timedelta(days=float(value))
    return None


def parse_local_date(text: str, date_format: str | None = None) -> datetime:
    """A date as people write it in Indonesia (see local_cell_to_utc); aware when the text
    names a zone (WIB, WITA, UTC, ...), else naive."""
    original = text
    text = re.sub(r"\s+", " ", text.strip())
    if date_format:
        return _strptime(text, date_format)
    tz = None
    m = re.match(r"^(.*\d)\s*([A-Za-z]{2,5})$", text)
    if m and m.group(2).upper() in TZ_ABBREVIATIONS:
        text = m.group(1).strip()
        tz = _fixed_zone(TZ_ABBREVIATIONS[m.group(2).upper()])
    head = text.split(",", 1)[0].split(" ", 1)[0].strip().lower()
    if head in WEEKDAYS and not re.match(r"^\d", text):
        text = re.sub(r"^[A-Za-z']+,?\s*", "", text)
    if re.fullmatch(r"-?\d{9,}(\.\d+)?", text):
        epoch = epoch_to_utc(text)
        if epoch is None:  # the pattern leaves no other case: a bug if it happens
            raise ValueError(f"date {original!r} is not an epoch time")
        return epoch.replace(tzinfo=UTC)
    parsed = _parse_known(text)
    if parsed is None:
        raise ValueError(f"date {original!r} is not a date pantau reads; set date_format in "
                         "the mapping (e.g. \"%d/%m/%Y %H:%M\")")
    if tz is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def _fixed_zone(hours: int) -> timezone:
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
