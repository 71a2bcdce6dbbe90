"""The web app in a real browser (Debian's chromium through Playwright): code items with the
keyboard, compute alpha, keep script payloads as text, fit a phone screen, and keep screenshots
of the main pages under artifacts/screenshots/ (a CI artefact)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.web.reliability import krippendorff_alpha

from .support import XSS_COMMENT, XSS_POST, XSS_REJECT, chromium_or_skip, make_client, served

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
POST0 = "/posts/tiktok/7400000000000000000"


@pytest.fixture(scope="module", autouse=True)
def _chromium():
    chromium_or_skip()


@pytest.fixture
def live(web_project):
    """The app served by uvicorn on a free loopback port: (base URL, WebStore)."""
    client, db = make_client(web_project)
    with served(client.app) as base:
        yield base, db
    db.close()


@pytest.fixture
def watched(page):
    """The page, recording any dialog (alert) a payload might open."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def _set_coder(page, base: str, name: str) -> None:
    page.goto(base + "/coding")
    page.fill("#coder-name input[name=coder]", name)
    page.click("#coder-name button[type=submit]")
    page.wait_for_url(base + "/coding")


def _draw(page, base: str, coders: str, size: int, overlap: str) -> str:
    page.goto(base + "/coding")
    form = page.locator("#new-sample form")
    form.locator("input[name=size]").fill(str(size))
    form.locator("input[name=overlap]").fill(overlap)
    form.locator("input[name=coders]").fill(coders)
    form.locator("input[name=seed]").fill("11")
    form.locator("input[name=variables][value=post_function]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/coding/samples/*")
    return page.url.rsplit("/", 1)[1]


def _code_all(page, base: str, sample: str, keys: list[str]) -> None:
    """Code every item assigned to the current coder with one key each, then Enter."""
    page.goto(f"{base}/coding/samples/{sample}/code")
    for key in keys:
        page.wait_for_selector("#code-form")
        page.keyboard.press(key)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert page.locator("#done").count() == 1


def test_code_an_item_with_the_keyboard(watched, live):
    base, db = live
    page = watched
    _set_coder(page, base, "ana")
    sample = _draw(page, base, "ana", 2, "0")
    page.goto(f"{base}/coding/samples/{sample}/code")
    first = page.locator("fieldset.variable").first
    assert "active" in first.get_attribute("class")
    page.screenshot(path=str(_shot("coding-item")), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(_shot("coding-item", "phone")))
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.keyboard.press("4")  # the fourth value of the first variable: P4
    assert page.locator("input[name='v.post_function'][value=P4]").is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector(".saved")
    rows = db.rows("SELECT scheme, value FROM labels WHERE source = 'coder:ana'", cache=False)
    assert rows == [{"scheme": "post_function", "value": "P4"}]
    # the arrow key goes back to the coded item, which shows its code
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    assert page.locator("input[name='v.post_function'][value=P4]").is_checked()
    assert page.dialogs == []


def test_compute_alpha_in_the_browser(watched, live):
    base, db = live
    page = watched
    _set_coder(page, base, "ana")
    sample = _draw(page, base, "ana, budi", 4, "1")
    _code_all(page, base, sample, ["1", "1", "2", "3"])
    _set_coder(page, base, "budi")
    _code_all(page, base, sample, ["1", "1", "2", "2"])
    page.goto(f"{base}/coding/reliability?sample={sample}")
    row = page.locator("#reliability tr[data-variable=post_function][data-value='']")
    codes = db.rows("""SELECT target_id, source, value FROM labels
                       WHERE source LIKE 'coder:%' AND scheme = 'post_function'""", cache=False)
    data: dict = {}
    for r in codes:
        data.setdefault(r["target_id"], {})[r["source"]] = r["value"]
    expected = krippendorff_alpha(data)
    shown = row.locator("td.alpha").inner_text()
    assert shown == f"{expected.alpha:.3f}".replace("0.", ".", 1)
    assert row.locator(".verdict").inner_text() in ("tentative", "tentatif", "unreliable",
                                                    "tidak reliabel", "reliable", "reliabel")
    page.screenshot(path=str(_shot("reliability")), full_page=True)
    page.goto(f"{base}/coding/disagreements?variable=post_function&sample={sample}")
    assert page.locator("article.disagreement").count() == 1
    page.screenshot(path=str(_shot("disagreements")), full_page=True)


def test_script_payloads_stay_text(watched, live):
    base, _ = live
    page = watched
    page.goto(base + POST0)
    title = page.title()
    assert "pwned" not in title
    assert page.locator("#post-text").inner_text() == XSS_POST
    assert page.locator("text=" + XSS_COMMENT).count() == 1
    assert page.locator("#post-text script, #post-text b").count() == 0
    for path in ("/comments", "/imports/1/rejects", "/", "/candidates/pair-2",
                 "/posts?q=script"):
        page.goto(base + path)
        assert "pwned" not in page.title()
        assert page.locator("main img, main svg[onload], main script").count() == 0
    page.goto(base + "/imports/1/rejects")
    assert XSS_REJECT in page.locator("#rejects").inner_text()
    assert page.dialogs == []


def _shot(name: str, tag: str = "desktop") -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{tag}-{name}.png"


MAIN_PAGES = {
    "overview": "/", "candidate": "/candidates/pair-1", "posts": "/posts",
    "post": POST0, "comments": "/comments", "questions": "/candidates/pair-1/questions",
    "compliance": "/compliance", "imports": "/imports", "coding": "/coding",
}


def test_main_pages_fit_a_phone_and_are_photographed(browser, live):
    base, _ = live
    for tag, viewport in (("desktop", {"width": 1280, "height": 900}),
                          ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        for name, path in MAIN_PAGES.items():
            page.goto(base + path)
            assert page.locator("main h1").count() >= 1
            if tag == "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{path} is wider than a phone screen ({overflow}px)"
            page.screenshot(path=str(_shot(name, tag)), full_page=tag == "desktop")
        if tag == "phone":  # the menu opens from its button
            assert not page.locator("nav.nav").is_visible()
            page.click("label.nav-button")
            assert page.locator("nav.nav a[href='/posts']").is_visible()
        context.close()
