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
