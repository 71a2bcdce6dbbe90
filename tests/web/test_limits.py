"""Issue 14 points 2, 11, 12: the SQL page shows people's tables pseudonymised, caps cells and
results and says so, cannot move a sequence, hides closed tables' row counts; request bodies are
refused past their limit while streaming, and before they are read when nobody is logged in."""

from __future__ import annotations

import pytest

from .support import ADMIN, csrf_of, login


def _sql(client, sql: str):
    token = csrf_of(client.get("/sql").text)
    return client.post("/sql", data={"sql": sql, "csrf": token})


def _raw_handles(client) -> set[str]:
    db = client.app.state.web.db
    return {r["h"] for r in db.rows(
        "SELECT DISTINCT author_handle AS h FROM main.comments "
        "WHERE author_handle LIKE 'warga_%'", cache=False)}


@pytest.mark.parametrize("sql", [
    "SELECT author_handle FROM comments",
    "SELECT c.author_handle FROM posts p JOIN comments c USING (platform, post_id)",
    "SELECT author_handle FROM web.comment_facts",
    "SELECT author_handle FROM web.comment_threads",
    "SELECT handle FROM accounts",
])
def test_sql_page_reads_people_pseudonymised(client, web_project, sql):
    handles = _raw_handles(client)
    assert handles
    response = _sql(client, sql)
    assert response.status_code == 200, response.text[-500:]
    assert "warga-" in response.text
    for handle in handles:
        assert f"<td>{handle}</td>" not in response.text


@pytest.mark.parametrize("sql", [
    "SELECT author_handle FROM main.comments",
    "SELECT author_handle FROM {db}.main.comments",
    "SELECT author_handle FROM {db}.comments",
])
def test_sql_page_refuses_the_raw_people_tables(client, web_project, sql):
    db_name = client.app.state.web.db.scalar("SELECT current_database()", cache=False)
    response = _sql(client, sql.format(db=db_name))
    assert response.status_code == 400
    assert "pseudonymised" in response.text
    for handle in _raw_handles(client):
        assert f"<td>{handle}</td>" not in response.text


def test_nextval_cannot_move_a_sequence(client):
    before = client.app.state.web.db.scalar(
        "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'import_ids'",
        cache=False)
    for sql in ("SELECT nextval('import_ids')", "SELECT nextval('coding_sample_ids') AS n",
                "SELECT setval('import_ids', 99)",
                "SELECT * FROM posts WHERE nextval('import_ids') > 0"):
        response = _sql(client, sql)
        assert response.status_code == 400, sql
        assert "sequence" in response.text
    after = client.app.state.web.db.scalar(
        "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'import_ids'",
        cache=False)
    assert after == before


def test_row_counts_of_accounts_and_sessions_are_not_shown(client):
    response = _sql(client, "SELECT table_name, estimated_size FROM duckdb_tables() "
                            "WHERE table_name IN ('web_users', 'web_sessions', 'posts') "
                            "ORDER BY 1")
    assert response.status_code == 200, response.text[-400:]
    assert "<td>posts</td><td>24</td>" in response.text
    assert "<td>web_sessions</td><td>—</td>" in response.text
    assert "<td>web_users</td><td>—</td>" in response.text
    qualified = _sql(client, "SELECT estimated_size FROM system.main.duckdb_tables()")
    assert qualified.status_code == 400


def test_sql_page_caps_cells_and_results_and_says_so(client):
    response = _sql(client, "SELECT repeat('x', 50000) AS long")
    assert response.status_code == 200
    assert "x" * 50000 not in response.text
    assert "x" * 2000 in response.text
    assert 'id="cut"' in response.text
    assert "2.000" in response.text or "2,000" in response.text
    big = _sql(client, "SELECT repeat('y', 1990) || i AS v, repeat('z', 1990) AS w "
                       "FROM range(900) t(i)")
    assert big.status_code == 200
    assert 'id="cut"' in big.text
    assert big.text.count("<tr>") < 900


def _asgi_post(app, path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]]):
    """POST straight through the ASGI app; returns (status, how many chunks it read)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        if read < len(chunks):
            read += 1
            return {"type": "http.request", "body": chunks[read - 1],
                    "more_body": read < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": [(b"host", b"127.0.0.1"), *headers],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "scheme": "http",
             "http_version": "1.1", "root_path": "", "asgi": {"version": "3.0"}}
    # in a thread of its own: after the browser tests (Playwright's sync API) an event loop is
    # running in this one, and asyncio.run refuses to start a second
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, read


def test_an_upload_past_the_limit_is_refused_while_streaming(client):
    from pantau.web import app as web_app
    from pantau.web import coding

    db = client.app.state.web.db
    sample = coding.draw_sample(db, coding.load_codebook(client.app.state.web.project),
                                target="comment", size=5, coders=["ana"], overlap=0.0, seed=1)
    page = client.get("/coding")
    token = csrf_of(page.text)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    head = (b'--b0undary\r\nContent-Disposition: form-data; name="file"; '
            b'filename="codes.csv"\r\nContent-Type: text/csv\r\n\r\n')
    chunks = [head] + [b"a" * (1024 * 1024)] * 64 + [b"\r\n--b0undary--\r\n"]
    headers = [(b"x-csrf-token", token.encode()), (b"cookie", cookie.encode()),
               (b"content-type", b"multipart/form-data; boundary=b0undary")]
    status, read = _asgi_post(client.app, f"/coding/samples/{sample}/import", chunks,
                              headers)
    assert status == 413
    assert read <= web_app.UPLOAD_BYTES // (1024 * 1024) + 2  # stopped at the limit
    # a declared size past the limit: refused before a byte is read
    status, read = _asgi_post(client.app, f"/coding/samples/{sample}/import", chunks,
                              [*headers, (b"content-length", str(64 << 20).encode())])
    assert status == 413 and read == 0
    # an ordinary form has a far smaller limit
    form = client.post("/sql", data={"sql": "SELECT 1", "csrf": token,
                                     "pad": "z" * (2 * 1024 * 1024)})
    assert form.status_code == 413


def test_unauthenticated_bodies_are_not_read(auth_client):
    chunks = [b"sql=SELECT+1&p=" + b"p" * 1000] * 8
    status, read = _asgi_post(auth_client.app, "/sql", chunks, [
        (b"content-type", b"application/x-www-form-urlencoded")])
    assert status == 401
    assert read == 0
    login(auth_client, "ana", ADMIN[1])
    ok = _sql(auth_client, "SELECT 41 + 1 AS n")
    assert ok.status_code == 200 and "<td>42</td>" in ok.text
