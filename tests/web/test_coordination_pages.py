"""The coordination pages: a list of communities, a page per community with its evidence, and
a coder's confirm/dismiss marking stored in coordination_reviews."""

from __future__ import annotations

import pytest

from pantau.analysis import run_all

from ..analysis.test_coordination import _fill_store
from .support import csrf_of, make_client


@pytest.fixture
def coord_client(make_project):
    project = make_project()
    _fill_store(project)
    run_all(project)
    client, db = make_client(project)
    yield client, db
    client.close()
    db.close()


def test_list_and_community_pages_show_evidence_pseudonymised(coord_client):
    client, _ = coord_client
    page = client.get("/coordination?lang=en")
    assert page.status_code == 200
    assert 'href="/coordination/1"' in page.text and 'href="/coordination/2"' in page.text
    detail = client.get("/coordination/1?lang=en")
    assert detail.status_code == 200
    assert "not verdicts" in detail.text
    assert "warga-" in detail.text
    for raw in ("ring0", "paste0", "ring1", "paste1"):
        assert raw not in detail.text  # handles only as pseudonyms
    assert 'href="/posts/tiktok/p' in detail.text  # evidence links to the posts
    assert client.get("/coordination/99").status_code == 404
    indonesian = client.get("/coordination/1?lang=id")
    assert "Tandai sebagai" in indonesian.text and "bukan vonis" in indonesian.text


def test_coder_marks_a_community_and_the_mark_is_stored(coord_client):
    client, db = coord_client
    page = client.get("/coordination/1?lang=en")
    key = page.text.split('name="community_key" value="')[1].split('"')[0]
    form = {"csrf": csrf_of(page.text), "community_key": key, "status": "confirmed",
            "note": "same script, same minutes"}
    response = client.post("/coordination/1/review", data=form)
    assert response.status_code == 303
    again = client.get("/coordination/1?lang=en")
    assert "same script, same minutes" in again.text
    listing = client.get("/coordination?lang=en").text
    assert "confirmed" in listing
    bad = client.post("/coordination/1/review", data={**form, "status": "guilty"})
    assert bad.status_code == 400
    moved = client.post("/coordination/1/review", data={**form, "community_key": "other"})
    assert moved.status_code == 409
    no_token = client.post("/coordination/1/review", data={**form, "csrf": "0"})
    assert no_token.status_code == 403
    rows = db.rows("SELECT community_key, status, note FROM coordination_reviews", cache=False)
    assert rows == [{"community_key": key, "status": "confirmed",
                     "note": "same script, same minutes"}]
