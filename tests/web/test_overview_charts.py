"""The overview draws the report's figures as inline SVG (offline, escaped, cached per analysis
run and language), with their tables one click away."""

from __future__ import annotations

import re
import shutil

import pytest

from pantau.project import Project
from pantau.web import charts

from .support import make_client


@pytest.fixture(scope="module")
def analysed_template(web_template, tmp_path_factory):
    """The web fixture project after `pantau analyze`."""
    from pantau.analysis import run_all

    root = tmp_path_factory.mktemp("web-analysed") / "proj"
    shutil.copytree(web_template, root)
    project = Project(root)
    run_all(project)
    return root


@pytest.fixture
def analysed(analysed_template, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(analysed_template, root)
    charts.clear_cache()
    client, db = make_client(Project(root))
    yield client
    client.close()
    db.close()
    charts.clear_cache()


def _count_builds(monkeypatch) -> list[str]:
    import pantau.report.build as report_build

    calls: list[str] = []
    real = report_build.build

    def counted(project, con, lang):
        calls.append(lang)
        return real(project, con, lang)

    monkeypatch.setattr(report_build, "build", counted)
    return calls


def test_overview_shows_the_reports_figures(analysed):
    page = analysed.get("/?lang=id").text
    figures = re.findall(r'<figure id="(fig-\d+)" class="chart">', page)
    assert len(figures) >= 10
    assert "Gambar 1." in page and "Unggahan per minggu" in page
    # each figure is an SVG labelled by its caption, with its table one link away
    for ident in figures:
        assert f'aria-labelledby="{ident}-title"' in page
        assert f'<figcaption id="{ident}-title">' in page
    assert 'href="/analysis/analysis_activity"' in page
    assert '<details id="tables">' in page and "analysis_engagement" in page
    english = analysed.get("/?lang=en").text
    assert "Figure 1." in english and "Posts per week" in english
    assert "Unggahan per minggu" not in english


def test_the_figures_work_offline_and_escape_text(analysed):
    page = analysed.get("/").text
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) >= 10
    assert all("<script" not in s and "foreignObject" not in s for s in svgs)
    # every script the page loads is the app's own; nothing comes from another host
    assert re.findall(r"<script[^>]*>", page) == [
        s for s in re.findall(r"<script[^>]*>", page) if 'src="/static/' in s]
    assert not re.search(r'(src|href)="(https?:)?//', page)
    # the candidate named "Uu <i>Saeful</i> Mikdar" stays text in captions and inside the SVG
    assert "<i>Saeful" not in page
    assert "Uu &lt;i&gt;Saeful&lt;/i&gt; Mikdar" in page
    assert any("&lt;i&gt;Saeful" in s for s in svgs)


def test_figures_are_rendered_once_per_run_and_language(analysed, monkeypatch):
    calls = _count_builds(monkeypatch)
    first = analysed.get("/?lang=id").text
    db = analysed.app.state.web.db
    with db.write() as tx:  # any write empties the page cache: the overview is built again
        tx.execute("UPDATE web_users SET disabled = disabled")
    again = analysed.get("/?lang=id").text
    assert calls == ["id"]
    assert first.count("<svg") == again.count("<svg") >= 10
    analysed.get("/?lang=en")
    analysed.get("/?lang=en")
    assert calls == ["id", "en"]
    # a new analysis run is drawn anew
    with db.write() as tx:
        tx.execute("UPDATE analysis_runs SET run_at = run_at + INTERVAL 1 SECOND")
    analysed.get("/?lang=id")
    assert calls == ["id", "en", "id"]


def test_a_failed_render_keeps_the_tables(analysed, monkeypatch):
    import pantau.report.build as report_build

    def broken(project, con, lang):
        raise RuntimeError("vl-convert <missing>")

    monkeypatch.setattr(report_build, "build", broken)
    page = analysed.get("/?lang=en").text
    assert "The charts could not be drawn" in page and "vl-convert &lt;missing&gt;" in page
    assert "<figure" not in page and "analysis_activity" in page


def test_no_figures_before_a_complete_analysis(client):
    page = client.get("/").text
    assert "<figure" not in page and "pantau analyze" in page


@pytest.mark.parametrize("svg", [
    '<svg><script>alert(1)</script></svg>',
    '<svg onload="alert(1)"><rect/></svg>',
    '<svg><foreignObject><div>x</div></foreignObject></svg>',
    '<svg><a href="https://evil.example/"><text>x</text></a></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><image href="http://evil.example/x.png"/></svg>',
    '<svg><rect fill="url(http://evil.example/x)"/></svg>',
    '<div>not an svg</div>',
])
def test_unsafe_svg_is_refused(svg):
    assert charts.safe_svg(svg) is None


def test_plain_vega_svg_is_kept():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath '
           'id="fig-1-clip1"><rect/></clipPath></defs><g clip-path="url(#fig-1-clip1)">'
           '<text>1 &lt; 2</text></g></svg>')
    assert charts.safe_svg(svg) == svg
