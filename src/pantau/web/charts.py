"""Server-side SVG charts: no JavaScript library, nothing fetched, text escaped. Small line
charts drawn here, and the report's figures for the overview (cached per analysis run)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

COLORS = ("#1b6ca8", "#d95f02", "#1b9e77", "#7570b3", "#e7298a")


def _fmt(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def line_chart(series: dict[str, list[tuple[datetime, float]]], *, title: str,
               width: int = 640, height: int = 220) -> Markup:
    """One line per series over time, each scaled to its own maximum (counts differ by orders
    of magnitude: views vs comments), labelled with its last value."""
    series = {k: v for k, v in series.items() if v}
    if not series:
        return Markup("")
    times = [t for points in series.values() for t, _ in points]
    t0, t1 = min(times), max(times)
    span = (t1 - t0).total_seconds() or 1.0
    left, right, top, bottom = 8, 150, 24, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
             'stroke="#999" stroke-width="1"/>',
             f'<text x="{left}" y="{height - 8}" font-size="11" fill="#555">'
             f'{escape(t0.strftime("%Y-%m-%d %H:%M"))}</text>',
             f'<text x="{left + plot_w}" y="{height - 8}" font-size="11" fill="#555" '
             f'text-anchor="end">{escape(t1.strftime("%Y-%m-%d %H:%M"))}</text>']
    for i, (name, points) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        peak = max(v for _, v in points) or 1
        coords = [(left + plot_w * (t - t0).total_seconds() / span,
                   top + plot_h - plot_h * v / peak) for t, v in sorted(points)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                     f'points="{path}"/>')
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>')
        last = sorted(points)[-1][1]
        parts.append(f'<text x="{left + plot_w + 8}" y="{top + 14 + 18 * i}" font-size="12" '
                     f'fill="{color}">{escape(name)}: {escape(_fmt(last))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# -- the report's figures on the overview -------------------------------------------------------
# The overview draws the same figures as the report, with the report's own chart code (Altair
# specs rendered to SVG offline by vl-convert: no script, no CDN). Rendering them all takes a
# few seconds, so each set is rendered once per analysis run and language and kept here: the
# analysis tables change only through `pantau analyze`, which cannot run while the server holds
# the store.
CHART_CACHE_SIZE = 8
# vega writes SVG with escaped text and presentation attributes only; anything that could run
# or fetch is refused rather than trusted (the page's CSP would block it anyway).
UNSAFE_SVG = re.compile(r"<\s*(script|foreignObject|iframe|image|use)\b|\son\w+\s*=|"
                        r"javascript:|(?:xlink:)?href\s*=\s*[\"'](?!#)|url\((?!#)|@import",
                        re.IGNORECASE)


@dataclass(frozen=True)
class WebFigure:
    ident: str
    number: int
    title: str
    source: str  # the analysis table it is drawn from (the page links its table view)
    svg: Markup


@dataclass(frozen=True)
class FigureSet:
    figures: tuple[WebFigure, ...]
    error: str | None = None  # why there are none, when rendering failed


_cache: OrderedDict[tuple, FigureSet] = OrderedDict()
_cache_lock = threading.Lock()
_render_lock = threading.Lock()  # one render at a time: it is CPU-bound and the cores are few


def safe_svg(svg: str) -> Markup | None:
    """The SVG as markup to inline, or None if it holds anything beyond drawing."""
    if not svg.lstrip().startswith("<svg") or UNSAFE_SVG.search(svg):
        return None
    return Markup(svg)


def run_key(db) -> str | None:
    """What identifies the current analysis run (None before a complete `pantau analyze`)."""
    if not db.table_exists("analysis_runs"):
        return None
    row = db.one("SELECT * FROM analysis_runs")
    return None if row is None else repr(sorted((k, str(v)) for k, v in row.items()))


def report_figures(db, project, lang: str) -> FigureSet | None:
    """The report's figures for this store's current analysis run in `lang`, rendered once
    and cached; None when there is no complete analysis run."""
    run = run_key(db)
    if run is None:
        return None
    key = (str(project.store_path), run, lang)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    with _render_lock:
        with _cache_lock:  # another request may have rendered it while this one waited
            hit = _cache.get(key)
        if hit is not None:
            return hit
        found = _render(db, project, lang)
        with _cache_lock:
            _cache[key] = found
            while len(_cache) > CHART_CACHE_SIZE:
                _cache.popitem(last=False)
        return found


def _render(db, project, lang: str) -> FigureSet:
    from ..report.build import build
    from ..store import StoreConnection

    con = StoreConnection(db.con.raw.cursor())  # a cursor of its own: requests run in threads
    try:
        report = build(project, con, lang)
    except Exception as exc:  # noqa: BLE001 - tables from an older pantau: the page keeps its tables
        text = str(exc)
        return FigureSet((), text.splitlines()[0] if text else type(exc).__name__)
    finally:
        con.close()
    figures = []
    for fig in report.figures:
        svg = safe_svg(fig.svg)
        if svg is not None:
            figures.append(WebFigure(fig.ident, fig.number, fig.title, fig.source, svg))
    return FigureSet(tuple(figures))


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
