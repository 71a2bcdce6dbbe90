"""How the web app shows numbers, dates and alpha, and the template environment that has them as
filters (num, pct, ratio, dt, day, alpha). Every template is autoescaped."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def make_env() -> Environment:
    # auto_reload off: otherwise every render stats each template file to see if it changed
    env = Environment(loader=PackageLoader("pantau.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters.update(num=fmt_num, pct=fmt_pct, ratio=fmt_ratio, dt=fmt_dt, day=fmt_day,
                       alpha=fmt_alpha)
    return env


def fmt_num(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def fmt_pct(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{100 * float(value):.{digits}f}%"


def fmt_ratio(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{100 * float(value):.2f}%"


def fmt_alpha(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):.3f}".replace("0.", ".", 1) if 0 <= float(value) < 1 else \
        f"{float(value):.3f}"


def fmt_dt(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None and value.year >= 1000:  # isoformat: same text, faster
            return value.isoformat(" ", "minutes")
        return value.strftime("%Y-%m-%d %H:%M")
    return "—" if value is None else str(value)


def fmt_day(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return "—" if value is None else str(value)
