"""Number and date formatting per language (Indonesian: 1.234,5; English: 1,234.5)."""

from __future__ import annotations

import math
from datetime import date, datetime


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return isinstance(x, float) and math.isnan(x)
    except TypeError:
        return False


def _swap(text: str, lang: str) -> str:
    if lang != "id":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def num(x, lang: str, digits: int = 0) -> str:
    if _missing(x):
        return "–"
    return _swap(f"{float(x):,.{digits}f}", lang)


def smart(x, lang: str) -> str:
    """Counts without decimals, small rates with three significant digits."""
    if _missing(x):
        return "–"
    x = float(x)
    if abs(x) >= 100 or x == int(x):
        return num(x, lang, 0)
    if abs(x) >= 1:
        return num(x, lang, 1)
    return _swap(f"{x:.3g}", lang)


def pct(x, lang: str, digits: int = 0) -> str:
    if _missing(x):
        return "–"
    return _swap(f"{float(x) * 100:.{digits}f}", lang) + "%"


def p(x, lang: str) -> str:
    """A p-value: "< 0,001" below a thousandth, else three decimals (id: 0,023)."""
    if _missing(x):
        return "–"
    if float(x) < 0.001:
        return "< " + _swap("0.001", lang)
    return _swap(f"{float(x):.3f}", lang)


def duration(minutes, lang: str) -> str:
    """A time span in minutes, hours or days as a reader counts it (id: 1,5 jam; 2,3 hari)."""
    if _missing(minutes):
        return "–"
    m = float(minutes)
    if m < 60:
        return f"{num(m, lang, 0)} {'menit' if lang == 'id' else 'min'}"
    if m < 48 * 60:
        return f"{num(m / 60, lang, 1)} {'jam' if lang == 'id' else 'h'}"
    return f"{num(m / 1440, lang, 1)} {'hari' if lang == 'id' else 'days'}"


def when(x, lang: str, *, minutes: bool = True) -> str:
    if _missing(x):
        return "–"
    if isinstance(x, str):
        return x
    if hasattr(x, "to_pydatetime"):
        x = x.to_pydatetime()
    if isinstance(x, datetime):
        return x.strftime("%Y-%m-%d %H:%M" if minutes else "%Y-%m-%d")
    if isinstance(x, date):
        return x.isoformat()
    return str(x)


def day(x, lang: str) -> str:
    return when(x, lang, minutes=False)
