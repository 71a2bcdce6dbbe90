"""Every refusal the issue asks for: loopback by default, accounts beyond it, roles, hashed
passwords, rate-limited login, cookie flags, CSRF on every write, read-only SQL."""

from __future__ import annotations

import pytest

from pantau.errors import PantauError

from .support import ADMIN, CODER, csrf_of, login

# Every route that writes, with a form that would otherwise be acceptable.
WRITES = [
    ("/coding/coder", {"coder": "ana"}),
    ("/coding/samples", {"target": "post", "size": "4", "coders": "ana", "overlap": "0"}),
    ("/coding/samples/1/code/0", {"v.post_function": "P1"}),
    ("/coding/adjudicate", {"variable": "post_function", "platform": "tiktok",
                            "target_id": "7400000000000000000", "value": "P1"}),
    ("/coding/samples/1/import", {}),
    ("/users", {"name": "eve", "role": "admin", "password": "x" * 12}),
    ("/users/budi/remove", {}),
    ("/sql", {"sql": "SELECT 1"}),
    ("/login", {"name": "ana", "password": ADMIN[1]}),
    ("/logout", {}),
]


def test_loopback_needs_no_login(client):
    assert client.get("/").status_code == 200
    assert client.get("/sql").status_code == 200  # the local user is the admin


@pytest.mark.parametrize("host", ["evil.example", "192.168.1.5", "localhost.evil.example"])
def test_loopback_answers_only_to_loopback_names(client, host):
    """A web page elsewhere cannot reach the local app through DNS rebinding."""
    assert client.get("/", headers={"host": host}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_any_other_address_requires_an_admin_account(web_project):
    from pantau.web.app import create_app
    from pantau.web.coding import flag_scheme, load_codebook
    from pantau.web.db import WebStore

    codebook = load_codebook(web_project)
    db = WebStore(web_project, flag_scheme=flag_scheme(codebook))
    try:
        for host in ("0.0.0.0", "192.168.1.5", "::"):
            with pytest.raises(PantauError, match="requires accounts"):
                create_app(web_project, host=host, db=db, codebook=codebook)
        with pytest.raises(PantauError, match="requires accounts"):
            create_app(web_project, host="127.0.0.1", require_auth=True, db=db,
                       codebook=codebook)
    finally:
        db.close()


def test_serve_command_refuses_without_accounts(web_project):
    from typer.testing import CliRunner

    from pantau.cli import app

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--project",
                                      str(web_project.root)])
    assert result.exit_code == 1
    assert "requires accounts" in result.output and "add-user" in result.output


def test_pages_need_a_login_beyond_loopback(auth_client):
    response = auth_client.get("/posts?candidate=pair-1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fposts%3Fcandidate%3Dpair-1"
    assert auth_client.get("/healthz").status_code == 200
    assert auth_client.get("/static/pantau.css").status_code == 200
    assert auth_client.get("/login").status_code == 200
    for path in ("/", "/comments", "/coding", "/sql", "/users", "/imports"):
        assert auth_client.get(path).status_code == 303, path


def test_login_logout_and_session_cookie(auth_client):
    before = auth_client.get("/login")
    first_cookie = before.cookies.get("pantau_session")
    response = login(auth_client, "ana", ADMIN[1])
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    # a new session id at login: a session id planted before login is worthless
    assert auth_client.cookies.get("pantau_session") != first_cookie
    assert auth_client.get("/").status_code == 200
    page = auth_client.get("/")
    assert "Masuk sebagai" in page.text or "Signed in as" in page.text
    logout = auth_client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert logout.status_code == 303
    assert auth_client.get("/").status_code == 303


def test_stolen_cookie_dies_with_logout(auth_client):
    login(auth_client, "ana", ADMIN[1])
    stolen = auth_client.cookies.get("pantau_session")
    page = auth_client.get("/")
    auth_client.post("/logout", data={"csrf": csrf_of(page.text)})
    auth_client.cookies.set("pantau_session", stolen)
    assert auth_client.get("/").status_code == 303


def test_forged_cookie_is_ignored(auth_client):
    auth_client.cookies.set("pantau_session", "forged.value.here")
    assert auth_client.get("/").status_code == 303


def test_wrong_password_and_unknown_user(auth_client):
    assert login(auth_client, "ana", "wrong password!").status_code == 401
    assert login(auth_client, "nobody", "whatever12345").status_code == 401
    assert auth_client.get("/").status_code == 303


def test_login_is_rate_limited(auth_client):
    for _ in range(5):
        assert login(auth_client, "ana", "wrong password!").status_code == 401
    blocked = login(auth_client, "ana", ADMIN[1])  # even the right password now waits
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert login(auth_client, "budi", CODER[1]).status_code == 303  # other users unaffected


def test_passwords_are_hashed_with_argon2(auth_client):
    db = auth_client.app.state.web.db
    rows = db.rows("SELECT name, password_hash FROM web_users", cache=False)
    assert {r["name"] for r in rows} == {"ana", "budi"}
    for r in rows:
        assert r["password_hash"].startswith("$argon2id$")
        assert ADMIN[1] not in r["password_hash"] and CODER[1] not in r["password_hash"]


def test_weak_or_bad_accounts_are_refused(client):
    auth = client.app.state.web.auth
    with pytest.raises(PantauError, match="at least"):
        auth.add_user("carla", "coder", "short")
    with pytest.raises(PantauError, match="role"):
        auth.add_user("carla", "root", "long enough password")
    with pytest.raises(PantauError, match="reserved"):
        auth.add_user("adjudicated", "coder", "long enough password")
    with pytest.raises(PantauError, match="coder name"):
        auth.add_user("<script>", "coder", "long enough password")


def test_coders_cannot_do_admin_work(auth_client):
    login(auth_client, "budi", CODER[1])
    page = auth_client.get("/coding")
    token = csrf_of(page.text)
    assert page.status_code == 200
    for path in ("/users", "/sql", "/imports/1/rejects"):
        assert auth_client.get(path).status_code == 403, path
    for path, data in (("/users", {"name": "eve", "role": "admin", "password": "x" * 12}),
                       ("/users/ana/remove", {}), ("/sql", {"sql": "SELECT 1"}),
                       ("/coding/adjudicate", {"variable": "post_function",
                                               "platform": "tiktok", "target_id": "1",
                                               "value": "P1"})):
        assert auth_client.post(path, data={**data, "csrf": token}).status_code == 403, path
    users = auth_client.app.state.web.auth.users()
    assert {u["name"] for u in users} == {"ana", "budi"}


def test_admin_manages_users(auth_client):
    login(auth_client, "ana", ADMIN[1])
    token = csrf_of(auth_client.get("/users").text)
    added = auth_client.post("/users", data={"name": "carla", "role": "coder",
                                             "password": "a long password", "csrf": token})
    assert added.status_code == 303
    assert "carla" in auth_client.get("/users").text
    assert auth_client.post("/users/carla/remove", data={"csrf": token}).status_code == 303
    assert "carla" not in auth_client.get("/users").text
    assert auth_client.post("/users/ana/remove", data={"csrf": token}).status_code == 400


@pytest.mark.parametrize(("path", "data"), WRITES)
def test_every_write_needs_the_csrf_token(auth_client, path, data):
    login(auth_client, "ana", ADMIN[1])
    assert auth_client.post(path, data=data).status_code == 403
    assert auth_client.post(path, data={**data, "csrf": "0" * 64}).status_code == 403


@pytest.mark.parametrize(("path", "data"), WRITES)
def test_every_write_needs_the_csrf_token_on_loopback_too(client, path, data):
    """A page on another site could post to 127.0.0.1: the token stops it."""
    assert client.post(path, data=data).status_code == 403


def test_token_of_another_session_is_refused(client):
    token = csrf_of(client.get("/coding").text)
    client.cookies.clear()
    assert client.post("/coding/coder", data={"coder": "ana", "csrf": token}).status_code == 403


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in {k.lower() for k in response.headers} or \
        "uvicorn" not in response.headers.get("server", "")


def test_login_never_redirects_elsewhere(auth_client):
    page = auth_client.get("/login")
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example",
                   "/\t/evil.example", "/\n/evil.example"):
        response = auth_client.post("/login", data={"name": "ana", "password": ADMIN[1],
                                                     "csrf": csrf_of(page.text),
                                                     "next": target})
        assert response.headers["location"] == "/"
        page = auth_client.get("/login")


# -- the SQL page: read-only, and no files ------------------------------------------------------
def _sql(client, sql: str):
    token = csrf_of(client.get("/sql").text)
    return client.post("/sql", data={"sql": sql, "csrf": token})


def test_sql_page_runs_selects(client):
    response = _sql(client, "SELECT platform, count(*) AS n FROM posts GROUP BY ALL "
                            "ORDER BY platform")
    assert response.status_code == 200
    assert "<td>instagram</td><td>8</td>" in response.text


@pytest.mark.parametrize("sql", [
    "DELETE FROM posts",
    "DROP TABLE labels",
    "UPDATE posts SET text = 'x'",
    "INSERT INTO labels (platform, target, target_id, scheme, source) VALUES "
    "('a', 'post', '1', 'x', 'coder:x')",
    "SELECT 1; DELETE FROM posts",
    "CREATE TABLE x AS SELECT 1",
    "COPY posts TO '/tmp/stolen.csv'",
    "ATTACH '/tmp/other.duckdb' AS other",
    "PRAGMA memory_limit='1MB'",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "CHECKPOINT",
])
def test_sql_page_refuses_writes(client, sql):
    response = _sql(client, sql)
    assert response.status_code == 400
    assert client.app.state.web.db.scalar("SELECT count(*) FROM posts", cache=False) == 24


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT getenv('HOME')",
])
def test_sql_page_cannot_read_files(client, sql):
    response = _sql(client, sql)
    assert response.status_code == 400
    assert "root:" not in response.text


def test_sql_results_are_escaped(client):
    response = _sql(client, "SELECT text FROM posts WHERE text LIKE '<script>%'")
    assert "&lt;script&gt;document.title" in response.text
    assert "<script>document" not in response.text
