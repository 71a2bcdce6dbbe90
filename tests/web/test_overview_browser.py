"""The overview's figures in a real browser (Debian's chromium through Playwright): drawn under
the app's Content-Security-Policy with nothing fetched from elsewhere, fitting a phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pantau.project import Project
from pantau.web import charts

from .support import chromium_or_skip, make_client, served

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="module", autouse=True)
def _chromium():
    chromium_or_skip()


@pytest.fixture
def live_analysed(web_template, tmp_path):
    """The analysed fixture project served by uvicorn on a free loopback port."""
    from pantau.analysis import run_all

    root = tmp_path / "proj"
    shutil.copytree(web_template, root)
    project = Project(root)
    run_all(project)
    charts.clear_cache()
    client, db = make_client(project)
    with served(client.app) as base:
        yield base
    db.close()
    charts.clear_cache()


# elements wider than the screen outside a scrolling box: named in the message when it fails
WIDE = """[...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
  .slice(0, 8).map(e => e.tagName + '.' + e.className)"""


def _watch(page, base: str) -> tuple[list[str], list[str], list[str]]:
    """(console errors, addresses answered with an error, requests to other hosts)."""
    problems: list[str] = []
    missing: list[str] = []
    foreign: list[str] = []
    # a CSP violation is a console error; 404s are checked by address instead
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "404" not in m.text else None)
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.on("request", lambda r: None if r.url.startswith(base) else foreign.append(r.url))
    return problems, missing, foreign


def test_figures_render_under_the_csp(browser, live_analysed):
    base = live_analysed
    for tag, viewport in (("desktop", {"width": 1280, "height": 900}),
                          ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        problems, missing, foreign = _watch(page, base)
        page.goto(base + "/?lang=en")
        figures = page.locator("#figures figure.chart")
        assert figures.count() >= 10
        for i in range(figures.count()):
            box = figures.nth(i).locator("svg").bounding_box()
            assert box and box["width"] > 100 and box["height"] > 20
        # the SVG's own text is drawn (vega's labels), and the table link leads to the data
        assert "Posts per week" in page.locator("#figures").inner_text()
        assert page.locator("#figures svg text").count() > 50
        if tag == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            wide = page.evaluate(WIDE)
            assert overflow <= 1, f"{wide} the overview is wider than a phone screen ({overflow}px)"
        assert problems == [], problems
        assert foreign == []
        assert [u for u in missing if not u.endswith("/favicon.ico")] == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{tag}-overview-charts.png"), full_page=True)
        page.locator("#figures figure.chart a").first.click()
        page.wait_for_url("**/analysis/analysis_*")
        assert page.locator("main table").count() >= 1
        context.close()
