"""Explore pages: every route answers, filters and sorting work, text from social media is
escaped, handles are pseudonymised, and pages say when `pantau analyze` has not run."""

from __future__ import annotations

import re

import pytest

from .support import (
    XSS_COMMENT,
    XSS_HANDLE,
    XSS_POST,
    XSS_REJECT,
    XSS_REPLY,
    csrf_of,
    make_client,
)

POST0 = "/posts/tiktok/7400000000000000000"
PAGES = ["/", "/candidates/pair-1", "/candidates/pair-2", "/candidates/pair-1/questions",
         "/posts", POST0, "/comments", "/compliance", "/analysis", "/imports",
         "/imports/1/rejects", "/coding", "/coding/reliability", "/coding/disagreements",
         "/sql", "/login", "/healthz"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers(ro_client, path):
    response = ro_client.get(path)
    assert response.status_code == 200, response.text[:500]


@pytest.mark.parametrize("path", ["/candidates/nobody", "/candidates/nobody/questions",
                                  "/posts/tiktok/1", "/imports/99/rejects", "/analysis/posts",
                                  "/analysis/analysis_nothing", "/no/such/page"])
def test_unknown_things_are_404(ro_client, path):
    response = ro_client.get(path)
    assert response.status_code == 404
    assert "<html" in response.text


def _raw_tags(html: str) -> list[str]:
    """Tags an attacker planted, if any survived unescaped."""
    return re.findall(r"<script>document|<img src=x|<svg onload|<b>bold|<i>Saeful|<b>tag"
                      r"|<script>alert|<b>here|<b>komentar", html)


@pytest.mark.parametrize("path", ["/", "/candidates/pair-2", "/posts", POST0, "/comments",
                                  "/candidates/pair-1/questions", "/imports",
                                  "/imports/1/rejects", "/coding", "/posts?q=banjir",
                                  "/comments?q=kapan", "/coding/disagreements"])
def test_social_media_text_is_escaped(ro_client, path):
    html = ro_client.get(path).text
    assert _raw_tags(html) == []
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/pantau.js" defer>'], scripts


def test_payloads_are_shown_as_text(ro_client):
    post = ro_client.get(POST0).text
    assert "&lt;script&gt;document.title=&#34;pwned-post&#34;&lt;/script&gt;" in post
    assert "&lt;img src=x onerror=" in post
    assert "&lt;svg onload=alert(1)&gt;" in post
    assert ro_client.get("/imports/1/rejects").text.count("&lt;script&gt;alert(") == 1
    assert "Uu &lt;i&gt;Saeful&lt;/i&gt; Mikdar" in ro_client.get("/").text
    assert XSS_POST and XSS_COMMENT and XSS_REPLY and XSS_REJECT  # the fixture holds them


def test_javascript_urls_are_never_links(ro_client):
    html = ro_client.get("/posts/instagram/7400000000000000003").text
    assert "javascript:" not in html
    assert "Open on the platform" not in html and "Buka di platform" not in html
    ok = ro_client.get(POST0).text
    assert 'href="https://www.tiktok.com/@x/video/7400000000000000000"' in ok
    assert 'rel="noopener noreferrer nofollow"' in ok


def test_commenters_are_pseudonymised(ro_client):
    html = ro_client.get(POST0).text + ro_client.get("/comments").text
    assert "warga_a" not in html and "warga_b" not in html
    assert XSS_HANDLE not in html and "alert(&#39;handle&#39;)" not in html
    assert re.search(r"warga-[0-9a-f]{10}", html)


def test_posts_filters_and_sorting(ro_client):
    def post_ids(path):
        return re.findall(r'href="/posts/\w+/(\d+)"', ro_client.get(path).text)

    everything = post_ids("/posts")
    assert len(everything) == 24
    pair2 = post_ids("/posts?candidate=pair-2")
    assert len(pair2) == 8 and set(pair2) < set(everything)
    assert len(post_ids("/posts?platform=instagram")) == 8
    assert len(post_ids("/posts?role=volunteer")) == 8
    by_views = post_ids("/posts?sort=views&order=desc")
    # post 0 was observed three times: its latest count (3,000 views) is the one that counts
    assert by_views[0] == "7400000000000000023" and by_views[-1] == "7400000000000000001"
    assert post_ids("/posts?sort=views&order=asc")[0] == "7400000000000000001"
    assert post_ids("/posts?sort=er_view") and post_ids("/posts?sort=not_a_column")
    assert len(post_ids("/posts?function=P1")) == 3
    assert len(post_ids("/posts?topic=banjir")) == 8
    assert post_ids("/posts?flag=paid_ad") == ["7400000000000000005"]
    assert len(post_ids("/posts?q=SEKOLAH")) == 4
    assert post_ids("/posts?q=%25") == []  # a LIKE wildcard is plain text
    assert len(post_ids("/posts?date_from=2024-10-01&date_to=2024-10-03")) == 2
    assert len(post_ids("/posts?phase=campaign")) == 24
    assert post_ids("/posts?phase=quiet_period") == []
    assert len(post_ids("/posts?date_from=garbage")) == 24


def test_post_page_shows_metrics_over_time_labels_and_thread(ro_client):
    html = ro_client.get(POST0).text
    assert "<svg class=\"chart\"" in html
    assert html.count("<tr><td>2024-10-0") == 3  # three observations
    assert "model:post_function@1" in html and "model:topic@1" in html
    assert "model:sentiment@1" in html  # comment labels with their source
    assert 'class="replies"' in html  # the candidate's reply nests under the question
    assert "by-candidate" in html


def test_comments_explorer_filters(ro_client):
    def count(path):
        return ro_client.get(path).text.count('<article class="comment')

    assert count("/comments") == 25  # 84 comments, 25 a page
    assert count("/comments?page=2") == 25 and count("/comments?page=4") == 9
    assert count("/comments?sentiment=positive") == 24
    assert count("/comments?category=serangan&candidate=pair-1") == 8
    assert count("/comments?question=yes") == 24
    assert count("/comments?toxicity=abusive") == 24
    assert count("/comments?answered=no") == 12
    assert count("/comments?q=pembohong%202") == 5  # 2, 20, 21, 22, 23
    assert count("/comments?sort=likes&platform=instagram") == 25
    assert count("/comments?sort=likes&platform=instagram&page=2") == 3


def test_questions_queue_lists_unanswered_audience_questions(ro_client):
    html = ro_client.get("/candidates/pair-1/questions").text
    assert html.count('<article class="comment">') == 4  # 8 questions, 4 answered
    assert "kapan jalan 3 diperbaiki?" in html and "kapan jalan 6 diperbaiki?" not in html
    overview = ro_client.get("/").text
    assert 'questions">4</a>' in overview


def test_candidate_page(ro_client):
    html = ro_client.get("/candidates/pair-1").text
    assert "heri_official" in html and "Heri Koswara" in html
    assert "/posts?candidate=pair-1" in html


def test_imports_and_rejects(ro_client):
    assert "capture &lt;1&gt;.ndjson" in ro_client.get("/imports").text
    rejects = ro_client.get("/imports/1/rejects").text
    assert "no id &lt;b&gt;here&lt;/b&gt;" in rejects


def test_before_analysis_pages_say_run_analyze(ro_client):
    for path in ("/", "/compliance", "/analysis"):
        assert "pantau analyze" in ro_client.get(path).text


def test_analysis_tables_are_shown_when_present(web_project):
    from pantau import store

    con = store.connect(web_project.store_path)
    con.execute("CREATE TABLE analysis_activity AS SELECT 'pair-1' AS candidate_id, "
                "'<b>x</b>' AS platform, 12 AS posts")
    con.execute("""CREATE TABLE analysis_findings AS SELECT 'quiet_period_post-1' AS finding_id,
                   '0123456789abcdef' AS lead_key,
                   'quiet_period_post' AS kind, 'quiet' AS rule_id, 'PKPU <13>' AS rule,
                   'PKPU <13>' AS rule_en, 'Pasal <69>' AS legal_basis,
                   'pair-1' AS candidate_id, 'tiktok' AS platform, 'post' AS target,
                   '7400000000000000000' AS target_id, 'heri_official' AS who,
                   'Unggahan di masa tenang' AS what_id, 'Post in the quiet period' AS what_en,
                   TIMESTAMP '2024-11-24 10:00' AS when_local,
                   'javascript:alert(1)' AS url, '<script>alert(2)</script>' AS evidence,
                   NULL AS label_source, NULL AS score, 'catatan' AS note_id, 'note' AS note_en""")
    con.close()
    client, db = make_client(web_project)
    try:
        overview = client.get("/?lang=en").text
        assert "analysis_activity" in overview and "&lt;b&gt;x&lt;/b&gt;" in overview
        assert "Posts in the quiet period" in overview
        compliance = client.get("/compliance?kind=quiet_period_post").text
        assert "Post in the quiet period" in compliance and "PKPU &lt;13&gt;" in compliance
        assert "javascript:" not in compliance and "&lt;script&gt;alert(2)" in compliance
        assert client.get("/compliance?lang=id").text.count("Unggahan di masa tenang") >= 1
        assert client.get("/analysis/analysis_activity").status_code == 200
        assert "pantau analyze" not in client.get("/analysis").text
    finally:
        client.close()
        db.close()


def test_both_languages(ro_client):
    indonesian = ro_client.get("/?lang=id")
    assert "Ringkasan" in indonesian.text and 'lang="id"' in indonesian.text
    assert "pantau_lang=id" in indonesian.headers["set-cookie"]
    english = ro_client.get("/?lang=en")
    assert "Overview" in english.text and 'lang="en"' in english.text
    # the cookie keeps the choice
    assert "Overview" in ro_client.get("/posts").text
    ro_client.get("/?lang=id")
    assert "Unggahan" in ro_client.get("/posts").text


def test_every_template_text_has_its_indonesian(ro_client):
    from pathlib import Path

    import pantau.web
    from pantau.web.i18n import ID

    folder = Path(pantau.web.__file__).parent / "templates"
    used = set()
    for path in folder.glob("*.html"):
        used |= set(re.findall(r'\bt\("([^"]+)"\)', path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in ID)
    assert missing == []


def test_phone_layout_is_declared(ro_client):
    html = ro_client.get("/posts").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    css = ro_client.get("/static/pantau.css")
    assert css.status_code == 200 and "@media (max-width: 700px)" in css.text
    assert ro_client.get("/static/pantau.js").status_code == 200


def test_pages_are_cached_until_the_data_changes(client):
    from pantau.web.app import warm_up

    db = client.app.state.web.db
    assert warm_up(client.app) > 0
    for lang in ("id", "en"):  # with no Accept-Language, pages are Indonesian
        assert (db.page_get(("/", (), lang, "local", "admin", None)) is not None) == \
            (lang == "id")
    first = client.get("/posts?candidate=pair-1")
    assert db.page_get(("/posts", (("candidate", "pair-1"),), "id", "local", "admin", None)) \
        or db.page_get(("/posts", (("candidate", "pair-1"),), "en", "local", "admin", None))
    again = client.get("/posts?candidate=pair-1")
    assert again.text.replace(csrf_of(again.text), "") == \
        first.text.replace(csrf_of(first.text), "")
    # each session gets its own CSRF token even from a cached page
    other = client.__class__(client.app, base_url="http://127.0.0.1")
    assert csrf_of(other.get("/posts?candidate=pair-1").text) != csrf_of(again.text)
    version = db.version
    with db.write() as tx:
        tx.execute("INSERT INTO web_users (name, role, password_hash) VALUES ('x', 'coder', 'x')")
    assert db.version == version + 1 and db.page_get(("/posts", (), "id", "local", "admin",
                                                      None)) is None


def test_an_observer_reviews_a_lead_on_the_compliance_page(web_project):
    """Reviewed / dismissed / escalated with a note, stored with who and when (lead_reviews)."""
    from pantau.analysis import run_all

    run_all(web_project)
    client, db = make_client(web_project)
    try:
        page = client.get("/compliance")
        keys = re.findall(r'name="lead_key" value="([0-9a-f]{16})"', page.text)
        assert keys, "no lead on the compliance page"
        response = client.post("/compliance/review", data={
            "lead_key": keys[0], "status": "escalated", "note": "lapor ke Bawaslu",
            "csrf": csrf_of(page.text), "next": "/compliance"})
        assert response.status_code == 303
        row = db.one("SELECT * FROM lead_reviews", cache=False)
        assert (row["lead_key"], row["status"], row["note"], row["reviewer"]) == (
            keys[0], "escalated", "lapor ke Bawaslu", "local")
        assert row["reviewed_at"] is not None
        again = client.get("/compliance?review=escalated").text
        assert "lapor ke Bawaslu" in again and "Diteruskan" in again
        assert client.post("/compliance/review", data={
            "lead_key": keys[0], "status": "ignored", "csrf": csrf_of(page.text)}
        ).status_code in (400, 422)
        assert client.post("/compliance/review", data={
            "lead_key": keys[0], "status": "dismissed"}).status_code == 403  # no CSRF token
    finally:
        client.close()
        db.close()
