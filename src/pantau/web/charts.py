"""Small server-side SVG charts: no JavaScript library, nothing fetched, text escaped."""

from __future__ import annotations

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
