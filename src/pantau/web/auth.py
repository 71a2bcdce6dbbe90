"""Accounts, sessions, CSRF tokens and the login rate limit.

- Passwords are hashed with argon2id (argon2-cffi); an unknown name costs the same time as a
  wrong password.
- A session is a random id in a signed, HttpOnly, SameSite=Lax cookie; what it stands for (user,
  role, chosen coder name) is kept in server memory, so logging out or removing a user ends it
  at once. Sessions end when the server stops.
- The CSRF token is an HMAC of the session id: a page from another site can neither read it nor
  guess it, and every write checks it.
- Failed logins are limited per client address and per user name (sliding window).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..errors import PantauError
from .coding import check_coder_name

ROLES = ("admin", "coder")
SESSION_COOKIE = "pantau_session"
SESSION_MAX_AGE = 12 * 3600
MIN_PASSWORD = 10


@dataclass
class Session:
    sid: str
    user: str | None = None
    role: str | None = None
    coder: str | None = None  # the name codes are saved under
    created: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)


class Auth:
    """Users live in the store (web_users); sessions and rate limits in memory."""

    def __init__(self, db, *, required: bool, secret: bytes | None = None,
                 max_failures: int = 5, window_s: float = 900) -> None:
        self.db = db
        self.required = required
        self.secret = secret or secrets.token_bytes(32)
        self.serializer = URLSafeTimedSerializer(self.secret, salt="pantau-session")
        self.hasher = PasswordHasher()
        self._dummy_hash: str | None = None
        self.sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}

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
    def new_sid(self) -> str:
        return secrets.token_urlsafe(24)

    def cookie_value(self, sid: str) -> str:
        return self.serializer.dumps(sid)

    def sid_from_cookie(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            sid = self.serializer.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return None
        return sid if isinstance(sid, str) else None

    def session(self, sid: str) -> Session | None:
        with self._lock:
            found = self.sessions.get(sid)
            if found is None:
                return None
            now = time.time()
            if now - found.created > SESSION_MAX_AGE:
                del self.sessions[sid]
                return None
            found.seen = now
            return found

    def start(self, sid: str, **values) -> Session:
        with self._lock:
            self._prune()
            s = Session(sid=sid, **values)
            self.sessions[sid] = s
            return s

    def end(self, sid: str) -> None:
        with self._lock:
            self.sessions.pop(sid, None)

    def end_sessions(self, user: str) -> None:
        with self._lock:
            for sid in [k for k, s in self.sessions.items() if s.user == user]:
                del self.sessions[sid]

    def _prune(self) -> None:
        now = time.time()
        for sid in [k for k, s in self.sessions.items() if now - s.created > SESSION_MAX_AGE]:
            del self.sessions[sid]

    # -- CSRF -----------------------------------------------------------------------------
    def csrf_token(self, sid: str) -> str:
        return hmac.new(self.secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(sid), str(token))
