"""The report: one self-contained HTML file (charts inline as SVG, no external resource) that
works offline and prints to PDF, in Bahasa Indonesia by default or English.

    from pantau.report import write_report
    write_report(project, "report.html", lang="id", figures_dir=None)

It reads the analysis_* tables, running `pantau analyze` first when they are missing or stale.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PantauError
from .i18n import LANGS

__all__ = ["render_report", "write_report"]


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("pantau.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from ..analysis.base import platform_name

    env.filters["platform"] = platform_name
    return env


class _Section(dict):
    """dict whose missing keys read as None in the template (optional figures)."""

    def __getattr__(self, name):
        return self.get(name)


def _wrap(value):
    if isinstance(value, dict) and not isinstance(value, _Section):
        return _Section({k: _wrap(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def ensure_analysis(project, con) -> bool:
    """Run the analyses when their tables are missing or older than the data. True if run."""
    from ..analysis import is_current, run_all

    if is_current(project, con):
        return False
    run_all(project, con)
    return True


def render_report(project, con, lang: str = "id"):
    """(html, report) from an open writable connection."""
    from .build import build

    if lang not in LANGS:
        raise PantauError(f"unknown report language {lang!r}", "use --lang id or --lang en")
    ensure_analysis(project, con)
    report = build(project, con, lang)
    ctx = {k: (_wrap(v) if k not in ("t", "F", "palette", "figures", "project", "mask") else v)
           for k, v in report.ctx.items()}
    html = _environment().get_template("report.html.j2").render(**ctx)
    return html, report


def write_report(project, out_path, lang: str = "id", figures_dir=None) -> Path:
    """Write the HTML report to out_path; with figures_dir, also each chart as SVG and PNG."""
    out = Path(out_path)
    con = project.connect(snapshot_ok=True)
    try:
        html, report = render_report(project, con, lang)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    if figures_dir is not None:
        write_figures(report, Path(figures_dir))
    return out


def write_figures(report, folder: Path) -> list[Path]:
    from .charts import to_png

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fig in report.figures:
        stem = f"{fig.number:02d}-{fig.slug}"
        svg = folder / f"{stem}.svg"
        svg.write_text(fig.svg, encoding="utf-8")  # the same drawing as in the report
        png = folder / f"{stem}.png"
        png.write_bytes(to_png(fig.chart, report.lang))
        written += [svg, png]
    return written
