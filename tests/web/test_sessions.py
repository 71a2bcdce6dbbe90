"""Sessions live in the store as hashes: they survive a restart of the server, and logging out,
expiry, a password change and removing the user end them for good."""

from __future__ import annotations

import hashlib
import time

from pantau.web.auth import SESSION_MAX_AGE, token_hash

from .support import ADMIN, CODER, csrf_of, login, make_client

USERS = {"ana": ADMIN, "budi": CODER}


def _start(project, users=None):
    return make_client(project, host="0.0.0.0", users=users)


def _restart(project, cookie: str):
    """A new app object (as after `pantau serve` restarts) on the same store, same browser."""
    client, db = _start(project)
    client.cookies.set("pantau_session", cookie)
    return client, db


def _logged_in(project, name: str, password: str) -> tuple[str, str]:
    """Log in on a fresh app (adding the users on first use), then stop it; (cookie, CSRF
    token of an open page)."""
    from pantau import store

    con = store.connect(project.store_path)
    try:
        has_users = con.execute("SELECT count(*) FROM duckdb_tables() "
                                "WHERE table_name = 'web_users'").fetchone()[0]
    finally:
        con.close()
    client, db = _start(project, None if has_users else USERS)
    try:
        assert login(client, name, password).status_code == 303
        page = client.get("/coding")
        assert page.status_code == 200
        return client.cookies.get("pantau_session"), csrf_of(page.text)
    finally:
        client.close()
        db.close()


def test_session_survives_a_restart(web_project):
    cookie, token = _logged_in(web_project, "ana", ADMIN[1])
    client, db = _restart(web_project, cookie)
    try:
        page = client.get("/?lang=en")
        assert page.status_code == 200 and "Signed in as" in page.text and "ana" in page.text
        assert client.get("/users").status_code == 200  # still the admin
        # a page opened before the restart still posts: its CSRF token is still valid
        assert client.post("/logout", data={"csrf": token}).status_code == 303
    finally:
        client.close()
        db.close()


def test_the_store_keeps_only_a_hash_of_the_token(web_project):
    cookie, _ = _logged_in(web_project, "ana", ADMIN[1])
    client, db = _restart(web_project, cookie)
    try:
        rows = db.rows("SELECT * FROM web_sessions", cache=False)
        assert [r["user_name"] for r in rows] == ["ana"]
        dump = repr(rows)
        assert cookie not in dump
        assert hashlib.sha256(cookie.encode()).hexdigest() not in dump
        assert rows[0]["token_hash"] == token_hash(cookie)
        assert rows[0]["expires_at"] > rows[0]["created_at"]
    finally:
        client.close()
        db.close()


def test_logout_revokes_for_good(web_project):
    client, db = _start(web_project, USERS)
    try:
        login(client, "ana", ADMIN[1])
        cookie = client.cookies.get("pantau_session")
        page = client.get("/")
        assert client.post("/logout", data={"csrf": csrf_of(page.text)}).status_code == 303
        assert db.scalar("SELECT count(*) FROM web_sessions", cache=False) == 0
    finally:
        client.close()
        db.close()
    client, db = _restart(web_project, cookie)
    try:
        assert client.get("/").status_code == 303
    finally:
        client.close()
        db.close()


def test_expired_sessions_are_refused(web_project, monkeypatch):
    cookie, _ = _logged_in(web_project, "ana", ADMIN[1])
    # while running: the clock passes the expiry
    client, db = _restart(web_project, cookie)
    try:
        assert client.get("/").status_code == 200
        later = time.time() + SESSION_MAX_AGE + 1
        monkeypatch.setattr("pantau.web.auth.time.time", lambda: later)
        assert client.get("/").status_code == 303
        assert db.scalar("SELECT count(*) FROM web_sessions", cache=False) == 0
    finally:
        monkeypatch.undo()
        client.close()
        db.close()
    # across a restart: a row whose expiry passed while the server was down
    cookie, _ = _logged_in(web_project, "ana", ADMIN[1])
    client, db = _start(web_project)
    with db.write() as tx:
        tx.execute("UPDATE web_sessions SET expires_at = now()::TIMESTAMP - INTERVAL 1 MINUTE")
    client.close()
    db.close()
    client, db = _restart(web_project, cookie)
    try:
        assert client.get("/").status_code == 303
        assert db.scalar("SELECT count(*) FROM web_sessions", cache=False) == 0
    finally:
        client.close()
        db.close()


def test_removing_a_user_or_changing_the_password_revokes(web_project):
    budi, _ = _logged_in(web_project, "budi", CODER[1])
    client, db = _restart(web_project, budi)
    try:
        assert client.get("/coding").status_code == 200
        client.app.state.web.auth.set_password("budi", "a brand new secret")
        assert client.get("/coding").status_code == 303
    finally:
        client.close()
        db.close()
    client, db = _restart(web_project, budi)
    try:
        assert client.get("/coding").status_code == 303  # and stays revoked after a restart
    finally:
        client.close()
        db.close()
    budi, _ = _logged_in(web_project, "budi", "a brand new secret")
    ana, _ = _logged_in(web_project, "ana", ADMIN[1])
    client, db = _restart(web_project, ana)
    try:
        token = csrf_of(client.get("/users").text)
        assert client.post("/users/budi/remove", data={"csrf": token}).status_code == 303
        assert db.scalar("SELECT count(*) FROM web_sessions WHERE user_name = 'budi'",
                         cache=False) == 0
        client.cookies.set("pantau_session", budi)
        assert client.get("/coding").status_code == 303
    finally:
        client.close()
        db.close()


def test_a_user_removed_while_the_server_was_down_is_logged_out(web_project):
    budi, _ = _logged_in(web_project, "budi", CODER[1])
    client, db = _start(web_project)
    with db.write() as tx:  # as `pantau coding remove-user` would, but keeping the session row
        tx.execute("DELETE FROM web_users WHERE name = 'budi'")
    client.close()
    db.close()
    client, db = _restart(web_project, budi)
    try:
        assert client.get("/coding").status_code == 303
    finally:
        client.close()
        db.close()


def test_login_still_rotates_the_token_and_is_rate_limited(web_project):
    client, db = _start(web_project, USERS)
    try:
        before = client.get("/login").cookies.get("pantau_session")
        login(client, "ana", ADMIN[1])
        after = client.cookies.get("pantau_session")
        assert after and after != before
        cookie = client.get("/").headers.get("set-cookie")
        assert cookie is None  # a live session keeps its cookie
        for _ in range(5):
            assert login(client, "budi", "wrong password!").status_code == 401
        assert login(client, "budi", CODER[1]).status_code == 429
    finally:
        client.close()
        db.close()


def test_the_coder_name_on_loopback_survives_a_restart(web_project):
    client, db = make_client(web_project)
    try:
        page = client.get("/coding")
        response = client.post("/coding/coder", data={"coder": "sari", "csrf": csrf_of(page.text)})
        assert response.status_code == 303
        cookie = client.cookies.get("pantau_session")
    finally:
        client.close()
        db.close()
    client, db = make_client(web_project)
    try:
        client.cookies.set("pantau_session", cookie)
        assert "sari" in client.get("/coding").text
        assert client.app.state.web.auth.session(cookie).coder == "sari"
    finally:
        client.close()
        db.close()


def test_malformed_cookies_are_new_visitors(web_project):
    client, db = _start(web_project, USERS)
    try:
        for value in ("forged.value.here", "x" * 200, "<script>"):
            client.cookies.set("pantau_session", value)
            response = client.get("/")
            assert response.status_code == 303
            assert value not in response.headers.get("set-cookie", "")
    finally:
        client.close()
        db.close()
