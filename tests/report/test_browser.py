"""Open the report in headless Chromium: no console error, no network request, every section
and chart rendered, on screen and in print."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pantau.report.build import SECTIONS

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium_browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing and CI is set: the browser test must run")
        pytest.skip(f"{CHROMIUM} not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield browser
        browser.close()


def test_report_opens_cleanly(chromium_browser, rendered, tmp_path):
    page = chromium_browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(rendered.path_id.as_uri())
    page.wait_for_load_state("load")
    assert problems == []
    assert outside == []
    for section in SECTIONS:
        locator = page.locator(f'section[data-section="{section}"]')
        assert locator.count() == 1, section
        assert locator.locator("h2").first.is_visible(), section
    figures = page.locator("figure.chart svg")
    assert figures.count() >= 15
    for i in range(figures.count()):
        box = figures.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
    assert page.locator(".synthetic-banner").is_visible()
    # print: the charts stay, the banner stays; Chromium makes a PDF of it
    page.emulate_media(media="print")
    assert page.locator("figure.chart svg").first.is_visible()
    assert page.locator(".synthetic-banner").is_visible()
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
    assert problems == []
    page.close()
