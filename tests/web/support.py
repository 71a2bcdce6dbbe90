"""The web tests' project, written row by row (independent of importers and models) and full of
HTML and script payloads, and helpers to build app clients, log in and find the browser."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pantau.project import Project

XSS_POST = '<script>document.title="pwned-post"</script><b>bold</b> Banjir lagi & "macet"'
XSS_COMMENT = "<img src=x onerror=\"document.title='pwned-comment'\"> kapan diperbaiki pak?"
XSS_REPLY = "<svg onload=alert(1)>Terima kasih, segera kami tindak lanjuti</svg>"
XSS_HANDLE = "<script>alert('handle')</script>"
XSS_REJECT = '{"text": "<script>alert(\'reject\')</script>"}'

PROJECT_TOML = """
codebook = "codebook.toml"

[election]
name = "Pilkada <Kota> Bekasi 2024"
rules = "pilkada-2024"
timezone = "Asia/Jakarta"

[[candidates]]
id = "pair-1"
ballot_number = 1
name = "Heri Koswara"
running_mate = "Sholihin"
parties = ["PKS", "PPP"]

[[candidates]]
id = "pair-2"
ballot_number = 2
name = "Uu <i>Saeful</i> Mikdar"
parties = ["Golkar"]

[[candidates]]
id = "pair-3"
ballot_number = 3
name = "Tri Adhianto"

[[accounts]]
candidate = "pair-1"
platform = "tiktok"
handle = "heri_official"
role = "official"
registered = true

[[accounts]]
candidate = "pair-2"
platform = "instagram"
handle = "uu_official"
role = "official"

[[accounts]]
candidate = "pair-3"
platform = "tiktok"
handle = "tri_relawan"
role = "volunteer"
"""

# The project's own codebook: the shipped variables in short, plus one a user added (tone).
CODEBOOK_TOML = """
[variables.post_function]
target = "post"
label_id = "Fungsi unggahan"
label_en = "Post function"
values = [
  {code = "P1", label_id = "Program", label_en = "Programme"},
  {code = "P2", label_id = "Laporan kegiatan", label_en = "Activity report"},
  {code = "P3", label_id = "Citra pribadi", label_en = "Personal image"},
  {code = "P4", label_id = "Mobilisasi", label_en = "Mobilisation"},
  {code = "P5", label_id = "Dukungan tokoh", label_en = "Endorsement"},
  {code = "P6", label_id = "Kontras", label_en = "Contrast/attack"},
  {code = "P7", label_id = "Interaksi", label_en = "Interaction"},
  {code = "P8", label_id = "Ucapan", label_en = "Greeting"},
  {code = "P9", label_id = "Hiburan", label_en = "Entertainment"},
]

[variables.topic]
target = "post"
multiple = true
label_id = "Topik isu"
label_en = "Issue topics"
values = [
  {code = "banjir", label_id = "Banjir", label_en = "Floods"},
  {code = "macet", label_id = "Macet", label_en = "Traffic"},
  {code = "pendidikan", label_id = "Pendidikan", label_en = "Education"},
]

[variables.post_flags]
target = "post"
multiple = true
label_id = "Tanda untuk ditinjau"
label_en = "Flags for review"
values = [
  {code = "children", label_id = "Anak", label_en = "Child shown"},
  {code = "money_or_goods", label_id = "Uang/barang", label_en = "Money or goods"},
]

[variables.comment_category]
target = "comment"
label_id = "Kategori komentar"
label_en = "Comment category"
values = [
  {code = "dukungan", label_id = "Dukungan", label_en = "Support"},
  {code = "kritik", label_id = "Kritik", label_en = "Criticism"},
  {code = "pertanyaan", label_id = "Pertanyaan", label_en = "Question"},
  {code = "serangan", label_id = "Serangan", label_en = "Attack"},
  {code = "netral", label_id = "Netral", label_en = "Neutral"},
]

[variables.tone]
target = "comment"
label_id = "Nada <b>komentar</b>"
label_en = "Tone <b>of the comment</b>"
values = [
  {code = "sopan", label_id = "Sopan", label_en = "Civil"},
  {code = "kasar", label_id = "Kasar", label_en = "Uncivil"},
]
"""

T0 = datetime(2024, 10, 1, 3, 0, 0)  # 10:00 WIB, campaign period


def build_project(root: Path) -> Project:
    """Write pantau.toml and fill the store with rows directly."""
    from pantau import store
    from pantau.project import sync_config

    root.mkdir(parents=True, exist_ok=True)
    (root / "pantau.toml").write_text(PROJECT_TOML, encoding="utf-8")
    (root / "codebook.toml").write_text(CODEBOOK_TOML, encoding="utf-8")
    project = Project(root)
    con = store.connect(project.store_path)
    accounts = [("tiktok", "1001", "heri_official", 50_000), ("instagram", "2001", "uu_official",
                20_000), ("tiktok", "3001", "tri_relawan", 9_000),
                ("tiktok", "9001", "random_fan", 100)]
    for platform, account_id, handle, followers in accounts:
        con.execute("INSERT INTO accounts (platform, account_id, handle, display_name, "
                    "followers) VALUES (?, ?, ?, ?, ?)",
                    [platform, account_id, handle, handle.title(), followers])
    posts = []
    texts = [XSS_POST, "Program sekolah gratis untuk warga Bekasi", "Blusukan ke pasar",
             "Coblos nomor 2!", "Selamat hari Santri", "Debat kedua malam ini"]
    owners = [("tiktok", "1001"), ("instagram", "2001"), ("tiktok", "3001")]
    for i in range(24):
        platform, account_id = owners[i % 3]
        post_id = f"{7_400_000_000_000_000_000 + i}"
        created = T0 + timedelta(days=2 * i, hours=i)
        url = "javascript:alert('url')" if i == 3 else f"https://www.tiktok.com/@x/video/{post_id}"
        posts.append((platform, post_id, account_id, created))
        con.execute("""INSERT INTO posts (platform, post_id, account_id, created_at, text,
                       media_type, url, hashtags, mentions, is_ad, lang, source_format,
                       first_seen, last_seen)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, [], ?, 'id', 'test', ?, ?)""",
                    [platform, post_id, account_id, created, texts[i % len(texts)],
                     ["video", "image", "carousel"][i % 3], url, ["pilkada", "<b>tag</b>"],
                     i == 5, created, created])
        for k in range(3 if i == 0 else 1):
            con.execute("""INSERT INTO post_metrics (platform, post_id, observed_at, views,
                           likes, comments, shares, saves, followers, source_format)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'test')""",
                        [platform, post_id, created + timedelta(days=k + 1),
                         1000 * (i + 1) * (k + 1), 100 * (i + 1) * (k + 1), 10 * (k + 1),
                         5 * (i + 1), i, 50_000])
        con.execute("""INSERT INTO labels (platform, target, target_id, scheme, value, score,
                       source) VALUES (?, 'post', ?, 'post_function', ?, 0.7,
                       'model:post_function@1')""", [platform, post_id, f"P{1 + i % 9}"])
        con.execute("""INSERT INTO labels (platform, target, target_id, scheme, value, score,
                       source) VALUES (?, 'post', ?, 'topic', ?, 0.6, 'model:topic@1')""",
                    [platform, post_id, ["banjir", "pendidikan", "macet"][i % 3]])
    # comments: on every post a question, a support, an attack; the candidate answers the
    # question on even posts; a reply thread under each question.
    n = 0
    for platform, post_id, account_id, created in posts:
        base = int(post_id) - 7_400_000_000_000_000_000
        rows = [
            (XSS_COMMENT if base == 0 else f"kapan jalan {base} diperbaiki?", None, "warga_a",
             "9101", "question", "pertanyaan", "negative", "none"),
            (f"mantap lanjutkan {base}", None, XSS_HANDLE if base == 0 else "warga_b", "9102",
             "not_question", "dukungan", "positive", "none"),
            (f"dasar pembohong {base}", None, "warga_c", "9103", "not_question", "serangan",
             "negative", "abusive"),
        ]
        ids = []
        for k, (text, parent, handle, author, q, cat, sent, tox) in enumerate(rows):
            n += 1
            comment_id = f"{9_000_000_000_000_000_000 + n}"
            ids.append(comment_id)
            con.execute("""INSERT INTO comments (platform, comment_id, post_id, parent_id,
                           author_id, author_handle, created_at, text, likes, reply_count,
                           by_post_author, source_format, first_seen, last_seen)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, false, 'test', ?, ?)""",
                        [platform, comment_id, post_id, parent, author, handle,
                         created + timedelta(hours=k + 1), text, 10 - k, created, created])
            for scheme, value in (("question", q), ("comment_category", cat),
                                  ("sentiment", sent), ("toxicity", tox)):
                con.execute("""INSERT INTO labels (platform, target, target_id, scheme, value,
                               score, source) VALUES (?, 'comment', ?, ?, ?, 0.8, ?)""",
                            [platform, comment_id, scheme, value, f"model:{scheme}@1"])
        if base % 2 == 0:
            n += 1
            con.execute("""INSERT INTO comments (platform, comment_id, post_id, parent_id,
                           author_id, author_handle, created_at, text, likes, reply_count,
                           by_post_author, source_format, first_seen, last_seen)
                           VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 3, 0, true, 'test', ?, ?)""",
                        [platform, f"{9_000_000_000_000_000_000 + n}", post_id, ids[0],
                         account_id, created + timedelta(hours=5), XSS_REPLY, created, created])
    con.execute("""INSERT INTO imports (import_id, path, format, started_at, finished_at,
                   status, records, posts, comments, rejected)
                   VALUES (nextval('import_ids'), 'capture <1>.ndjson', 'zeeschuimer_tiktok',
                           ?, ?, 'ok', 100, 24, 84, 1)""", [T0, T0])
    con.execute("INSERT INTO rejects VALUES (1, 7, 'no id <b>here</b>', ?)", [XSS_REJECT])
    con.close()
    con = store.connect(project.store_path)
    sync_config(con, project.config)
    con.close()
    return project


def make_client(project: Project, *, host: str = "127.0.0.1", users: dict | None = None,
                require_auth: bool | None = None):
    """(TestClient, WebStore) for the project; `users` = {name: (role, password)}."""
    from fastapi.testclient import TestClient

    from pantau.web.app import create_app
    from pantau.web.auth import Auth
    from pantau.web.coding import flag_scheme, load_codebook
    from pantau.web.db import WebStore

    codebook = load_codebook(project)
    db = WebStore(project, flag_scheme=flag_scheme(codebook))
    auth = Auth(db, required=True)
    for name, (role, password) in (users or {}).items():
        auth.add_user(name, role, password)
    app = create_app(project, host=host, db=db, require_auth=require_auth, codebook=codebook)
    client = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
    return client, db


ADMIN = ("admin", "correct horse battery")
CODER = ("coder", "another long secret")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login(client, name: str, password: str):
    page = client.get("/login")
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf": csrf_of(page.text), "next": "/"})


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing on CI (install it: apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")


@contextmanager
def served(app) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port for a real browser: yields the base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
