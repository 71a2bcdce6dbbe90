"""The explore pages' fast paths: HTML built in Python escapes exactly like the templates, the
comments explorer's newest-first page (read without ORDER BY) is in time order, and the posts
held in Python follow the app's own label writes."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from pantau.web.cards import chips, esc, url_part

from .support import XSS_COMMENT, XSS_HANDLE, XSS_POST, XSS_REPLY


@pytest.mark.parametrize("text", [XSS_POST, XSS_COMMENT, XSS_REPLY, XSS_HANDLE,
                                  "a & b < c > d \" e ' f", "", "plain", 12, 0.5,
                                  "<<&&>>\"\"''"])
def test_esc_is_jinja_autoescape(text):
    assert esc(text) == str(escape(text))


def test_chips_and_urls_escape_their_parts():
    html = chips([("chip-x v-<b>", "<script>", 'model:"a"'), ("ok", "yes", "")])
    assert "<script>" not in html and "<b>" not in html and '"a"' not in html
    assert html.count("<small>") == 1  # no source: no <small>
    assert url_part('a b/"<c>') == "a%20b/%22%3Cc%3E"


def _post_ids(client, path: str) -> list[str]:
    return re.findall(r'href="/posts/\w+/(\d+)"', client.get(path).text)


def test_comments_newest_first_page_is_in_time_order(ro_client):
    db = ro_client.app.state.web.db
    expected = [r["comment_id"] for r in db.rows(
        "SELECT comment_id FROM web.comment_facts "
        "ORDER BY created_at DESC NULLS LAST, platform, comment_id", cache=False)]
    shown = []
    for page in (1, 2, 3, 4):
        html = ro_client.get(f"/comments?page={page}").text
        shown += re.findall(r'#c-(\d+)"', html)
    assert shown == expected
    first = re.findall(r'#c-(\d+)"', ro_client.get("/comments?candidate=pair-1").text)
    assert first == [r["comment_id"] for r in db.rows(
        "SELECT comment_id FROM web.comment_facts WHERE candidate_id = 'pair-1' "
        "ORDER BY created_at DESC NULLS LAST, platform, comment_id LIMIT 25", cache=False)]


def test_a_post_coded_by_the_app_keeps_its_place_and_shows_the_code(client):
    db = client.app.state.web.db
    before = _post_ids(client, "/posts")
    target = db.one("SELECT platform, post_id FROM web.post_facts ORDER BY n LIMIT 1 OFFSET 3",
                    cache=False)
    platform, post_id = target["platform"], target["post_id"]
    with db.write() as tx:
        # a list column changes: DuckDB moves the row (a new rowid), its number n stays
        tx.execute("INSERT INTO labels (platform, target, target_id, scheme, value, score, "
                   "source) VALUES (?, 'post', ?, 'topic', 'sampah', 1.0, 'coder:ana')",
                   [platform, post_id])
        tx.after(lambda cur: db.refresh_labels(cur, "post", platform, post_id))
    assert _post_ids(client, "/posts") == before
    assert _post_ids(client, "/posts?topic=sampah") == [post_id]
    page = client.get(f"/posts/{platform}/{post_id}").text
    assert "coder:ana" in page and "sampah" in page
    assert db.post(platform, post_id)["topics"] == ["sampah"]


def _thread_ids(client, platform: str, post_id: str) -> list[str]:
    return re.findall(r'<article class="comment[^"]*" id="c-(\d+)"',
                      client.get(f"/posts/{platform}/{post_id}").text)


def test_each_posts_thread_is_exactly_its_comments(ro_client):
    """Threads are read by rowid range from web.comment_threads (stored post by post): every
    post's range holds all of its comments and no other post's."""
    db = ro_client.app.state.web.db
    posts = db.rows("SELECT platform, post_id, comments_collected FROM web.post_facts",
                    cache=False)
    assert sum(p["comments_collected"] for p in posts) > 0
    for p in posts:
        expected = sorted(r["comment_id"] for r in db.rows(
            "SELECT comment_id FROM web.comment_facts WHERE platform = ? AND post_id = ?",
            [p["platform"], p["post_id"]], cache=False))
        got = db.thread(p["platform"], p["post_id"])
        assert sorted(c["comment_id"] for c in got) == expected
        assert all(c["platform"] == p["platform"] for c in got)
    assert db.thread("tiktok", "no-such-post") == []


def test_a_comment_coded_by_the_app_shows_the_code_in_its_thread(client):
    db = client.app.state.web.db
    target = db.one("SELECT platform, post_id, comment_id FROM web.comment_facts "
                    "WHERE parent_id IS NULL ORDER BY comment_id LIMIT 1", cache=False)
    platform, post_id, comment_id = target["platform"], target["post_id"], target["comment_id"]
    before = _thread_ids(client, platform, post_id)
    assert comment_id in before
    with db.write() as tx:
        tx.execute("INSERT INTO labels (platform, target, target_id, scheme, value, score, "
                   "source) VALUES (?, 'comment', ?, 'sentiment', 'sangat-positif', 1.0, "
                   "'coder:ana')", [platform, comment_id])
        tx.after(lambda cur: db.refresh_labels(cur, "comment", platform, comment_id))
    assert _thread_ids(client, platform, post_id) == before
    card = client.get(f"/posts/{platform}/{post_id}").text.split(f'id="c-{comment_id}"')[1]
    card = card.split("</article>")[0]
    assert "v-sangat-positif" in card and "coder:ana" in card


def test_pages_leave_the_cached_rows_as_read(ro_client):
    """Comment rows come from the shared read cache: a page prepares copies (another page, in
    another language, may be built from the same rows at the same time)."""
    db = ro_client.app.state.web.db
    target = db.one("SELECT platform, post_id FROM web.comment_facts LIMIT 1", cache=False)
    for lang in ("id", "en"):
        assert ro_client.get(f"/posts/{target['platform']}/{target['post_id']}?lang={lang}"
                             ).status_code == 200
        assert ro_client.get(f"/comments?lang={lang}").status_code == 200
    rows = db.thread(target["platform"], target["post_id"])
    assert rows and not any("chips" in c or "author" in c for c in rows)
    cached = db.rows("SELECT platform, comment_id, post_id, parent_id, candidate_id, "
                     "created_local, text FROM web.comment_facts LIMIT 3")
    assert not any("chips" in c for c in cached)
