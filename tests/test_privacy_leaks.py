"""Issue 14 points 1-2: no ordinary person's handle leaves the store by default.

The demo is the probe's case: on X a reply is stored as a comment AND as a post of its author,
so the post side (posts.url, posts.mentions, @mentions in texts, display names) carries the
handles of ordinary people. Every report table, export file and web page built from it must
show pseudonyms instead, while candidates' linked accounts stay public.
"""

from __future__ import annotations

import re

import pytest

from pantau.demo import build_demo
from pantau.project import Project
from pantau.report.export import export_project
from pantau.store import connect


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("privacy") / "demo"
    build_demo(root, seed=5, scale=0.1, steps=("import", "enrich", "analyze"))
    return Project(root)


def ordinary_handles(project: Project) -> set[str]:
    """Handles of people not linked to a candidate, long and odd enough that finding one in a
    file can only mean a leak (not a word that happens to match)."""
    con = connect(project.store_path, read_only=True)
    try:
        public = {r[0] for r in con.execute(
            "SELECT lower(handle) FROM accounts WHERE candidate_id IS NOT NULL "
            "AND handle IS NOT NULL").fetchall()}
        found = {r[0].lower() for r in con.execute(
            "SELECT handle FROM accounts WHERE candidate_id IS NULL AND handle IS NOT NULL "
            "UNION SELECT author_handle FROM comments WHERE author_handle IS NOT NULL"
        ).fetchall()}
    finally:
        con.close()
    return {h for h in found - public
            if len(h) >= 7 and re.search(r"[0-9_.]", h) and not any(h in p for p in public)}


def leaked(text: str, handles: set[str]) -> set[str]:
    lower = text.lower()
    return {h for h in handles if h in lower}


def test_the_demo_has_x_replies_by_ordinary_people(demo):
    con = connect(demo.store_path, read_only=True)
    try:
        rows = con.execute("""
            SELECT count(*) FROM posts p JOIN accounts a USING (platform, account_id)
            WHERE p.platform = 'x' AND a.candidate_id IS NULL""").fetchone()[0]
    finally:
        con.close()
    assert rows > 10
    assert len(ordinary_handles(demo)) > 10


def test_exports_name_no_ordinary_person(demo, tmp_path):
    handles = ordinary_handles(demo)
    export_project(demo, tmp_path / "csv", "csv")
    for path in sorted((tmp_path / "csv").glob("*.csv")):
        found = leaked(path.read_text("utf-8"), handles)
        assert not found, f"{path.name} names {sorted(found)[:3]}"
    export_project(demo, tmp_path / "pq", "parquet")
    import duckdb

    for path in sorted((tmp_path / "pq").glob("*.parquet")):
        rows = duckdb.sql(f"SELECT * FROM '{path}'").fetchall()
        found = leaked(repr(rows), handles)
        assert not found, f"{path.name} names {sorted(found)[:3]}"
    posts = (tmp_path / "csv" / "posts.csv").read_text("utf-8")
    assert "x.com/warga-" in posts  # the address keeps its shape, with a pseudonym


def test_candidates_stay_public_in_exports(demo, tmp_path):
    export_project(demo, tmp_path / "csv", "csv")
    con = connect(demo.store_path, read_only=True)
    try:
        public = {r[0] for r in con.execute(
            "SELECT handle FROM accounts WHERE candidate_id IS NOT NULL AND platform = 'x' "
            "AND handle IS NOT NULL").fetchall()}
    finally:
        con.close()
    posts = (tmp_path / "csv" / "posts.csv").read_text("utf-8")
    assert any(f"x.com/{h}/status" in posts for h in public)


def test_reveal_handles_still_opts_out(demo, tmp_path):
    handles = ordinary_handles(demo)
    export_project(demo, tmp_path / "raw", "csv", reveal_handles=True)
    assert leaked((tmp_path / "raw" / "posts.csv").read_text("utf-8"), handles)


def test_analysis_tables_name_no_ordinary_person(demo):
    handles = ordinary_handles(demo)
    con = connect(demo.store_path, read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'analysis_%'"
        ).fetchall()]
        for table in tables:
            found = leaked(repr(con.execute(f"SELECT * FROM {table}").fetchall()), handles)
            assert not found, f"{table} names {sorted(found)[:3]}"
    finally:
        con.close()


def test_web_pages_name_no_ordinary_person(demo, tmp_path):
    import shutil

    from tests.web.support import make_client

    root = tmp_path / "web"
    shutil.copytree(demo.root, root)
    project = Project(root)
    handles = ordinary_handles(project)
    con = connect(project.store_path, read_only=True)
    try:
        reply = con.execute("""
            SELECT p.post_id FROM posts p JOIN accounts a USING (platform, account_id)
            WHERE p.platform = 'x' AND a.candidate_id IS NULL AND p.text LIKE '@%'
            LIMIT 1""").fetchone()[0]
    finally:
        con.close()
    client, db = make_client(project)
    try:
        pages = ["/posts?platform=x", f"/posts/x/{reply}", "/compliance", "/comments",
                 "/analysis/analysis_posts", "/analysis/analysis_findings"]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            found = leaked(response.text, handles)
            assert not found, f"{page} names {sorted(found)[:3]}"
        # the coding screen: a sample of X posts, coded by the local user
        from pantau.web import coding
        from tests.web.support import csrf_of

        client.post("/coding/coder", data={"coder": "ana",
                                           "csrf": csrf_of(client.get("/coding").text)})
        sample = coding.draw_sample(db, coding.load_codebook(project), target="post", size=30,
                                    coders=["ana"], overlap=0.0, platform="x", seed=3)
        for pos in range(1, 31):
            page = client.get(f"/coding/samples/{sample}/code?pos={pos}")
            if page.status_code != 200:
                continue
            found = leaked(page.text, handles)
            assert not found, f"coding item {pos} names {sorted(found)[:3]}"
    finally:
        client.close()
        db.close()


def test_masker_is_idempotent_and_keeps_public_actors():
    from pantau.privacy import Masker

    masker = Masker(b"k" * 32, {"TriHarris_demo"}, {"42"})
    once = masker.text("@TriHarris_demo @ayu_01 mantap")
    assert once.startswith("@TriHarris_demo @warga-")
    assert masker.text(once) == once
    url = masker.url("https://x.com/ayu_01/status/1838224185781852474")
    assert url.startswith("https://x.com/warga-") and url.endswith("/status/1838224185781852474")
    assert masker.url(url) == url
    assert masker.url("https://x.com/TriHarris_demo/status/1") == \
        "https://x.com/TriHarris_demo/status/1"
    assert masker.url("https://www.tiktok.com/@budi.x/video/1").startswith(
        "https://www.tiktok.com/@warga-")
    assert masker.url("https://www.instagram.com/p/ABC/") == "https://www.instagram.com/p/ABC/"
    assert masker.account_id("42") == "42" and masker.account_id("7").startswith("warga-")
