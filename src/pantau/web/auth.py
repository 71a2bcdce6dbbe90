"""Accounts, sessions, CSRF tokens and the login rate limit.

- Passwords are hashed with argon2id (argon2-cffi); an unknown name costs the same time as a
  wrong password.
- A session is a random token in an HttpOnly, SameSite=Lax cookie. The store keeps only a
  SHA-256 hash of it (table web_sessions) with the user, role, coder name and expiry, so a
  session survives a server restart while a copy of the store does not hand out live cookies.
  The app is the store's only writer, so the table is read once at start and then kept in
  step in memory: a request costs no query. Logging out, a password change and removing a
  user delete the rows at once.
- The CSRF token is an HMAC keyed by the session token: a page from another site can neither
  read it nor compute it, it survives a restart with the session, and every write checks it.
- Failed logins are limited per client address and per user name (sliding window, in memory).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import PantauError
from .coding import check_coder_name

ROLES = ("admin", "coder")
SESSION_COOKIE = "pantau_session"
SESSION_MAX_AGE = 12 * 3600
MIN_PASSWORD = 10
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")  # what new_sid() makes; anything else is ignored

# Only the token's hash is stored: reading the store (a backup, the CLI) gives no cookie.
SESSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash VARCHAR NOT NULL, user_name VARCHAR, role VARCHAR, coder VARCHAR,
    created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL)
"""


def token_hash(sid: str) -> str:
    return hashlib.sha256(b"pantau-session:" + sid.encode()).hexdigest()


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def _epoch(value: datetime) -> float:
    return value.replace(tzinfo=UTC).timestamp()


@dataclass
class Session:
    key: str  # token_hash(sid): the raw token is never kept beyond the request
    user: str | None = None
    role: str | None = None
    coder: str | None = None  # the name codes are saved under
    created: float = field(default_factory=time.time)
    expires: float = 0.0
    seen: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        if not self.expires:
            self.expires = self.created + SESSION_MAX_AGE


class Auth:
    """Users and sessions live in the store (web_users, web_sessions); rate limits in memory."""

    def __init__(self, db, *, required: bool, max_failures: int = 5,
                 window_s: float = 900) -> None:
        self.db = db
        self.required = required
        self.hasher = PasswordHasher()
        self._dummy_hash: str | None = None
        self._lock = threading.Lock()
        self._db_lock = threading.Lock()  # one session write at a time: no DuckDB conflicts
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._session_sql(SESSIONS_SCHEMA)
        self.sessions: dict[str, Session] = self._load_sessions()

    # -- users ----------------------------------------------------------------------------
    def users(self) -> list[dict]:
        return self.db.rows("SELECT name, role, created_at, disabled FROM web_users "
                            "ORDER BY name", cache=False)

    def has_admin(self) -> bool:
        return bool(self.db.scalar("SELECT count(*) FROM web_users WHERE role = 'admin' "
                                   "AND NOT disabled", cache=False))

    def add_user(self, name: str, role: str, password: str) -> None:
        name = check_coder_name(name)
        if role not in ROLES:
            raise PantauError(f"role must be admin or coder, not {role!r}")
        if len(password) < MIN_PASSWORD:
            raise PantauError(f"the password needs at least {MIN_PASSWORD} characters")
        if self.db.one("SELECT 1 FROM web_users WHERE lower(name) = lower(?)", [name],
                       cache=False):
            raise PantauError(f"user {name!r} already exists", "remove it first, or pick "
                              "another name")
        with self.db.write() as tx:
            tx.execute("INSERT INTO web_users (name, role, password_hash) VALUES (?, ?, ?)",
                       [name, role, self.hasher.hash(password)])

    def set_password(self, name: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise PantauError(f"the password needs at least {MIN_PASSWORD} characters")
        with self.db.write() as tx:
            tx.execute("UPDATE web_users SET password_hash = ? WHERE name = ?",
                       [self.hasher.hash(password), name])
        self.end_sessions(name)

    def remove_user(self, name: str) -> None:
        if not self.db.one("SELECT 1 FROM web_users WHERE name = ?", [name], cache=False):
            raise PantauError(f"no user {name!r}")
        with self.db.write() as tx:
            tx.execute("DELETE FROM web_users WHERE name = ?", [name])
        self.end_sessions(name)

    def verify(self, name: str, password: str) -> dict | None:
        """The user row if the password matches, else None (same cost either way)."""
        row = self.db.one("SELECT name, role, password_hash FROM web_users WHERE name = ? "
                          "AND NOT disabled", [name], cache=False)
        if row is None and self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(8))
        try:
            self.hasher.verify(row["password_hash"] if row else self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self.hasher.check_needs_rehash(row["password_hash"]):
            with self.db.write() as tx:
                tx.execute("UPDATE web_users SET password_hash = ? WHERE name = ?",
                           [self.hasher.hash(password), name])
        return row

    # -- rate limit -----------------------------------------------------------------------
    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] < now - self.window_s:
            q.popleft()
        return q

    def blocked_for(self, client: str, name: str) -> float:
        """Seconds until another attempt is allowed (0 = allowed now)."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in ((f"ip:{client}", self.max_failures * 4),
                               (f"user:{name.lower()}", self.max_failures)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(q[0] + self.window_s - now)
            return max(waits, default=0.0)

    def record_failure(self, client: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 10_000:  # names are the attacker's choice: keep it bounded
                for key in [k for k in self._failures if not self._recent(k, now)]:
                    del self._failures[key]
            for key in (f"ip:{client}", f"user:{name.lower()}"):
                self._recent(key, now).append(now)

    def clear_failures(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"user:{name.lower()}", None)

    # -- sessions -------------------------------------------------------------------------
    def _session_sql(self, sql: str, params: list | None = None) -> list[tuple]:
        """Session SQL on a cursor of its own, committed at once. Not db.write(): a login
        changes no data, so it must not empty the page cache everyone is served from."""
        with self._db_lock:
            cur = self.db.con.raw.cursor()
            try:
                return cur.execute(sql, params).fetchall()
            finally:
                cur.close()

    def _load_sessions(self) -> dict[str, Session]:
        """Live sessions from the store; expired ones, and those of users removed or disabled
        while the server was down, are deleted. The role comes from the user's current row."""
        now = time.time()
        self._session_sql("""
            DELETE FROM web_sessions s WHERE s.expires_at <= ?
               OR (s.user_name IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM web_users u WHERE u.name = s.user_name AND NOT u.disabled))""",
                          [_utc(now)])
        rows = self._session_sql("""
            SELECT s.token_hash, s.user_name, coalesce(u.role, s.role), s.coder, s.created_at,
                   s.expires_at
            FROM web_sessions s LEFT JOIN web_users u ON u.name = s.user_name""")
        return {key: Session(key=key, user=user, role=role, coder=coder,
                             created=_epoch(created), expires=_epoch(expires))
                for key, user, role, coder, created, expires in rows}

    def new_sid(self) -> str:
        return secrets.token_urlsafe(32)

    def cookie_value(self, sid: str) -> str:
        return sid

    def sid_from_cookie(self, value: str | None) -> str | None:
        """The token from a cookie, if it has the shape of one. It is only worth something if
        its hash is a live session; otherwise it stays an anonymous visitor's id."""
        if value and TOKEN.fullmatch(value):
            return value
        return None

    def session(self, sid: str) -> Session | None:
        key = token_hash(sid)
        with self._lock:
            found = self.sessions.get(key)
            if found is None:
                return None
            now = time.time()
            if now < found.expires:
                found.seen = now
                return found
            del self.sessions[key]
        self._session_sql("DELETE FROM web_sessions WHERE token_hash = ?", [key])
        return None

    def start(self, sid: str, **values) -> Session:
        s = Session(key=token_hash(sid), **values)
        with self._lock:
            self._prune()
            self.sessions[s.key] = s
        self._session_sql("DELETE FROM web_sessions WHERE token_hash = ?", [s.key])
        self._session_sql("INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?, ?)",
                          [s.key, s.user, s.role, s.coder, _utc(s.created), _utc(s.expires)])
        return s

    def set_coder(self, sid: str, coder: str) -> Session:
        """The name a visitor codes under (loopback without accounts), kept with the session."""
        found = self.session(sid)
        if found is None:
            return self.start(sid, coder=coder)
        with self._lock:
            found.coder = coder
        self._session_sql("UPDATE web_sessions SET coder = ? WHERE token_hash = ?",
                          [coder, found.key])
        return found

    def end(self, sid: str) -> None:
        key = token_hash(sid)
        with self._lock:
            self.sessions.pop(key, None)
        self._session_sql("DELETE FROM web_sessions WHERE token_hash = ?", [key])

    def end_sessions(self, user: str) -> None:
        with self._lock:
            for key in [k for k, s in self.sessions.items() if s.user == user]:
                del self.sessions[key]
        self._session_sql("DELETE FROM web_sessions WHERE user_name = ?", [user])

    def _prune(self) -> None:
        now = time.time()
        stale = [k for k, s in self.sessions.items() if now >= s.expires]
        for key in stale:
            del self.sessions[key]
        if stale:
            self._session_sql("DELETE FROM web_sessions WHERE expires_at <= ?", [_utc(now)])

    # -- CSRF -----------------------------------------------------------------------------
    def csrf_token(self, sid: str) -> str:
        # keyed by the session token itself: nothing to keep across restarts, and no one
        # without the HttpOnly cookie can compute it
        return hmac.new(sid.encode(), b"pantau-csrf", hashlib.sha256).hexdigest()

    def check_csrf(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(sid), str(token))
