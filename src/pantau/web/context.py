"""The request context routes receive (Ctx), the state it reads (WebState, built once by
create_app), and the FastAPI dependencies that check login, role and CSRF token; the
per-data-version page cache of explore pages (cached_page). Routes import these from here,
never from the app module."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from ..project import Project
from .auth import Auth, Session
from .coding import Codebook, flag_scheme
from .db import WebStore
from .formatting import make_env
from .i18n import translate

CSRF_SLOT = "__pantau_csrf__"  # in cached pages, replaced by the session's token


class WebState:
    """Everything a request may need, built once by create_app."""

    def __init__(self, project: Project, db: WebStore, auth: Auth, codebook: Codebook, *,
                 host: str, secure_cookies: bool, allowed_hosts: set[str] | None) -> None:
        self.project = project
        self.db = db
        self.auth = auth
        self.codebook = codebook
        self.flag_scheme = flag_scheme(codebook)
        self.host = host
        self.secure_cookies = secure_cookies
        self.allowed_hosts = allowed_hosts
        self.tz_name = project.config.election.timezone
        self.election = project.config.election.name
        self.env = make_env()
        self.candidates = db.rows("SELECT candidate_id, ballot_number, name, running_mate, "
                                  "parties, color FROM candidates ORDER BY ballot_number, "
                                  "candidate_id")
        self.candidate_names = {c["candidate_id"]: c["name"] for c in self.candidates}

    def identity(self, sid: str) -> tuple[Session | None, str | None, str | None]:
        """(session, user, role) for a session id; on loopback without accounts everyone is
        the local admin."""
        session = self.auth.session(sid)
        if self.auth.required:
            return session, (session.user if session else None), \
                (session.role if session else None)
        return session, "local", "admin"

    def coder_of(self, session: Session | None, user: str | None) -> str | None:
        if self.auth.required:
            return user
        return session.coder if session else None


def page_key(path: str, query: list[tuple[str, str]], lang: str, user: str | None,
             role: str | None, coder: str | None) -> tuple:
    """What a rendered explore page depends on besides the data: address, language and who
    is looking (the nav shows the user, role and coder name)."""
    return (path, tuple(sorted((k, v) for k, v in query if k != "lang")), lang, user, role,
            coder)


class LoginRequired(Exception):
    pass


@dataclass
class Ctx:
    request: Request
    app: WebState
    sid: str
    lang: str
    session: Session | None
    user: str | None
    role: str | None
    cache_key: tuple | None = None
    cache_version: int = 0

    @property
    def db(self) -> WebStore:
        return self.app.db

    @property
    def codebook(self) -> Codebook:
        return self.app.codebook

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def coder(self) -> str | None:
        return self.app.coder_of(self.session, self.user)

    @property
    def csrf(self) -> str:
        if self.cache_key is not None:
            return CSRF_SLOT
        return self.app.auth.csrf_token(self.sid)

    def page_key(self) -> tuple:
        return page_key(self.request.url.path, self.request.query_params.multi_items(),
                        self.lang, self.user, self.role, self.coder)

    def t(self, text: str) -> str:
        return translate(text, self.lang)

    def label(self, item: Any) -> str:
        """A codebook variable's or value's label in the page's language."""
        text = item.label_en if self.lang == "en" else item.label_id
        return str(text or getattr(item, "code", None) or getattr(item, "name", ""))

    def describe(self, item: Any) -> str:
        return item.description_en if self.lang == "en" else item.description_id

    def candidate_name(self, candidate_id: str | None) -> str:
        if candidate_id is None:
            return "—"
        return self.app.candidate_names.get(candidate_id, candidate_id)

    def source(self, sid: int | None) -> str:
        if sid is None:
            return ""
        return self.db.sources[sid] if 0 <= sid < len(self.db.sources) else "?"

    def url(self, path: str, **params: Any) -> str:
        clean = {k: v for k, v in params.items() if v not in (None, "", [], False)}
        return path + ("?" + urlencode(clean, doseq=True) if clean else "")

    def with_query(self, **changes: Any) -> str:
        """The current URL with some query parameters changed (None removes one)."""
        params = dict(self.request.query_params)
        params.pop("lang", None)
        for key, value in changes.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = value
        return self.url(self.request.url.path, **params)

    def render(self, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        html = self.app.env.get_template(template).render(ctx=self, t=self.t, **values)
        if self.cache_key is not None:
            if status_code == 200:
                self.db.page_put(self.cache_key, self.cache_version, html)
            return self.cached(html, status_code)
        return HTMLResponse(html, status_code=status_code)

    def cached(self, html: str, status_code: int = 200) -> HTMLResponse:
        token = self.app.auth.csrf_token(self.sid)
        return HTMLResponse(html.replace(CSRF_SLOT, token), status_code=status_code)


def get_ctx(request: Request) -> Ctx:
    app: WebState = request.app.state.web
    sid = request.state.sid
    session, user, role = app.identity(sid)
    return Ctx(request, app, sid, request.state.lang, session, user, role)


def user_ctx(ctx: Ctx = Depends(get_ctx)) -> Ctx:
    if ctx.user is None:
        raise LoginRequired()
    return ctx


def cached_page(route: Callable[..., Any]) -> Callable[..., Any]:
    """For read-only GET pages: serve the page rendered before at the same data version (the
    app is the store's only writer, and every write empties the cache), else render it."""

    @functools.wraps(route)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx: Ctx = kwargs["ctx"]
        key = ctx.page_key()
        html = ctx.db.page_get(key)
        if html is not None:
            return ctx.cached(html)
        ctx.cache_key, ctx.cache_version = key, ctx.db.version
        return route(*args, **kwargs)

    return wrapper


def admin_ctx(ctx: Ctx = Depends(user_ctx)) -> Ctx:
    if not ctx.is_admin:
        raise HTTPException(403, "only an admin may do this")
    return ctx


async def csrf_ctx(request: Request, ctx: Ctx = Depends(get_ctx)) -> Ctx:
    """For every POST: the CSRF token from the form field `csrf` or the X-CSRF-Token header."""
    token = request.headers.get("x-csrf-token")
    if token is None:
        field = (await request.form()).get("csrf")
        token = field if isinstance(field, str) else None
    if not ctx.app.auth.check_csrf(ctx.sid, token):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return ctx


def user_write_ctx(ctx: Ctx = Depends(csrf_ctx)) -> Ctx:
    return user_ctx(ctx)


def admin_write_ctx(ctx: Ctx = Depends(csrf_ctx)) -> Ctx:
    return admin_ctx(user_ctx(ctx))
