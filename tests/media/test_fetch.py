"""`pantau media fetch` against a server on loopback: URLs from the kept raw export, polite
retries, expired URLs counted, resumable, files linked to their posts."""

from __future__ import annotations

import http.server
import io
import random
import threading
from pathlib import Path

import orjson
import pytest

from pantau.demo import images
from pantau.media import fetch as fetching
from tests.conftest import FIXTURES, import_files, query


@pytest.fixture
def server():
    """Serves PAGES[path] = (status list, body): each request pops the next status."""
    pages: dict[str, tuple[list[int], bytes]] = {}
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            statuses, body = pages.get(self.path, ([404], b""))
            status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
            self.send_response(status)
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", pages, hits
    httpd.shutdown()


def _jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    images.infographic(random.Random(seed), width=400, height=500).image.save(buffer, "JPEG")
    return buffer.getvalue()


def _photo_post_export(tmp_path: Path, base: str) -> Path:
    """A Zeeschuimer TikTok photo post whose slides live on the test server."""
    line = (FIXTURES / "zeeschuimer-tiktok" / "uu_saeful_profile.ndjson").read_bytes()
    record = orjson.loads(line.splitlines()[0])
    record["data"]["imagePost"] = {"images": [
        {"imageURL": {"urlList": [f"{base}/slide1.jpg"]}},
        {"imageURL": {"urlList": [f"{base}/slide2.jpg"]}},
        {"imageURL": {"urlList": [f"{base}/gone.jpg"]}},
        {"imageURL": {"urlList": [f"{base}/old.jpg?x-expires=1000000000"]}},
    ]}
    path = tmp_path / "photo_post.ndjson"
    path.write_bytes(orjson.dumps(record) + b"\n")
    return path


def test_fetch_downloads_links_counts_and_resumes(project, tmp_path, server):
    base, pages, hits = server
    pages["/slide1.jpg"] = ([200], _jpeg(1))
    pages["/slide2.jpg"] = ([503, 200], _jpeg(2))  # a hiccup, then the file
    export = _photo_post_export(tmp_path, base)
    import_files(project, export)
    post_id = query(project, "SELECT post_id FROM posts")[0]["post_id"]

    counts = fetching.fetch(project, per_second=50)
    assert counts == {"downloaded": 2, "already": 0, "expired": 2, "failed": 0, "linked": 2}
    assert "/old.jpg?x-expires=1000000000" not in hits  # expired signature: never requested
    assert hits.count("/slide2.jpg") == 2  # retried once after the 503
    links = query(project, "SELECT post_id, slide, linked_by FROM post_media ORDER BY slide")
    assert [(r["post_id"], r["slide"], r["linked_by"]) for r in links] == [
        (post_id, 1, "fetch"), (post_id, 2, "fetch")]
    assert not list((project.root / "media").glob(".fetch-*"))

    again = fetching.fetch(project, per_second=50)  # resumable: nothing left to do
    assert again["downloaded"] == 0 and again["already"] == 4
    assert len(hits) == 4  # slide1, slide2 twice, gone


def test_urls_in_formats():
    ig = {"carousel_media": [
        {"image_versions2": {"candidates": [{"url": "https://cdn/a.jpg"}]}},
        {"video_versions": [{"url": "https://cdn/b.mp4"}],
         "image_versions2": {"candidates": [{"url": "https://cdn/b.jpg"}]}}]}
    assert list(fetching.urls_in("zeeschuimer-instagram", ig)) == [
        (1, "image", "https://cdn/a.jpg"), (2, "video", "https://cdn/b.mp4")]
    graph = {"media_type": "CAROUSEL_ALBUM", "children": {"data": [
        {"media_type": "IMAGE", "media_url": "https://cdn/c.jpg"}]}}
    assert list(fetching.urls_in("graph-api", graph)) == [(1, "image", "https://cdn/c.jpg")]
    tiktok = {"video": {"playAddr": "https://v/d.mp4",
                        "subtitleInfos": [{"Url": "https://v/d.vtt", "LanguageCodeName": "ind"}]}}
    assert list(fetching.urls_in("zeeschuimer-tiktok", tiktok)) == [
        (1, "video", "https://v/d.mp4"), (1, "subtitle", "https://v/d.vtt")]


def test_expiry_of_signed_urls():
    assert fetching.expired("https://x/a.jpg?oe=5F000000", now=2_000_000_000)
    assert not fetching.expired("https://x/a.jpg?oe=7FFFFFFF", now=2_000_000_000)
    assert not fetching.expired("https://x/a.jpg", now=2_000_000_000)
