"""The FastAPI application: the request guard (sessions, language, host check, security
headers), error pages, start-up. The request context routes receive, its dependencies and the
page cache are in context.py, formatting in formatting.py, safe redirects in redirects.py:
routes import those, never this module.

Safety rules the whole app keeps:
- every template is autoescaped, and the Content-Security-Policy allows scripts and styles from
  this server only, so text from social media can never run as code;
- every POST checks the session's CSRF token; sessions are HttpOnly, SameSite=Lax cookies
  whose tokens the store keeps only as hashes (auth.py);
- the only SQL that reaches the store is the app's own parameterised SQL, plus the admin's
  read-only SQL page (each statement's parse tree and plan checked by sqlguard.py against the
  open tables, run in a rolled-back transaction, with file access switched off for the whole
  connection);
- bound to loopback, the app answers only to loopback host names (no DNS rebinding); bound to
  any other address it requires accounts.
"""

from __future__ import annotations

import ipaddress
import re
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders

from ..errors import PantauError
from ..project import Project
from .auth import SESSION_COOKIE, SESSION_MAX_AGE, Auth
from .coding import Codebook, flag_scheme, load_codebook
from .context import CSRF_SLOT, LoginRequired, WebState, get_ctx, page_key
from .db import WebStore
from .i18n import LANGS, pick_language

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "pantau_lang"
SWITCH_INTERVAL = 0.001  # seconds, see create_app
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- the guard --------------------------------------------------------------------------------
# Request bodies: an upload (a coding spreadsheet) may be this large, any other form far less.
UPLOAD_BYTES = 20 * 1024 * 1024
FORM_BYTES = 1024 * 1024
UPLOAD_PATH = re.compile(r"^/coding/samples/[^/]+/import$")
# Requests that may carry a body before anyone has logged in.
OPEN_POSTS = frozenset({"/login"})


def body_limit(path: str) -> int:
    return UPLOAD_BYTES if UPLOAD_PATH.match(path) else FORM_BYTES


class BodyTooLarge(Exception):
    """Raised from the body stream the moment it passes the limit: nothing more is read."""


async def _refuse(scope, receive, send, status: int, text: str) -> None:
    response = PlainTextResponse(text, status_code=status, headers={"connection": "close"})
    await response(scope, receive, send)


class Guard:
    """Pure ASGI middleware: host check, session id, language, security headers, cookies."""

    def __init__(self, app, state: WebState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        allowed = self.state.allowed_hosts
        host = headers.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
        if allowed is not None and host not in allowed:
            await PlainTextResponse("unknown host name", status_code=400)(scope, receive, send)
            return
        cookies = _cookies(headers.get("cookie", ""))
        auth = self.state.auth
        found = auth.sid_from_cookie(cookies.get(SESSION_COOKIE))
        new_sid = found is None
        sid = auth.new_sid() if found is None else found
        query_lang = _query_param(scope.get("query_string", b""), "lang")
        lang = pick_language(query_lang, cookies.get(LANG_COOKIE), headers.get("accept-language"))
        state = scope.setdefault("state", {})
        state.update(sid=sid, lang=lang, set_sid=sid if new_sid else None)
        static = scope["path"].startswith("/static/")
        secure = "; Secure" if self.state.secure_cookies else ""

        async def send_wrapper(message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    out.raw.append((name, value))
                if not static:
                    out["cache-control"] = "no-store"
                to_set = state.get("set_sid")
                if to_set:
                    out.append("set-cookie", f"{SESSION_COOKIE}={auth.cookie_value(to_set)}; "
                               f"Path=/; Max-Age={SESSION_MAX_AGE}; HttpOnly; "
                               f"SameSite=Lax{secure}")
                if query_lang in LANGS and query_lang != cookies.get(LANG_COOKIE):
                    out.append("set-cookie", f"{LANG_COOKIE}={query_lang}; Path=/; "
                               f"Max-Age=31536000; SameSite=Lax{secure}")
            await send(message)

        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            # bodies: refused before they are read when nobody is logged in or the declared
            # size is too large, and cut off while streaming when the size was not declared
            _, user, _ = self.state.identity(sid)
            if user is None and scope["path"] not in OPEN_POSTS:
                await _refuse(scope, receive, send_wrapper, 401, "log in first")
                return
            limit = body_limit(scope["path"])
            try:
                declared = int(headers.get("content-length", "0") or 0)
            except ValueError:
                declared = -1
            if declared < 0 or declared > limit:
                await _refuse(scope, receive, send_wrapper, 413,
                              f"the request is larger than {limit // (1024 * 1024)} MB")
                return
            receive = _bounded(receive, limit)
            started = False

            async def tracking_send(message) -> None:
                nonlocal started
                if message["type"] == "http.response.start":
                    started = True
                await send_wrapper(message)

            try:
                await self.app(scope, receive, tracking_send)
            except BodyTooLarge:
                if started:
                    raise
                await _refuse(scope, receive, send_wrapper, 413,
                              f"the request is larger than {limit // (1024 * 1024)} MB")
            return
        if scope["method"] == "GET" and not static:
            # an explore page rendered before at this data version: serve it here, before
            # routing, with this session's CSRF token
            session, user, role = self.state.identity(sid)
            key = page_key(scope["path"], parse_qsl(scope.get("query_string", b"").decode(
                "latin-1"), keep_blank_values=True), lang, user, role,
                self.state.coder_of(session, user))
            html = self.state.db.page_get(key)
            if html is not None:
                response = HTMLResponse(html.replace(CSRF_SLOT, auth.csrf_token(sid)))
                await response(scope, receive, send_wrapper)
                return
        await self.app(scope, receive, send_wrapper)


def _bounded(receive, limit: int):
    seen = 0

    async def bounded_receive():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return bounded_receive


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name and name not in out:
            out[name] = value
    return out


def _query_param(query: bytes, name: str) -> str | None:
    values = parse_qs(query.decode("latin-1")).get(name)
    return values[0] if values else None


# -- the app ----------------------------------------------------------------------------------
def warm_up(app: FastAPI) -> float:
    """Render the pages everyone opens first (overview, candidates, lists) once, so the first
    visitors do not wait for the aggregates over every comment. Only without login (with
    accounts, pages are rendered per user). Returns the seconds spent."""
    import asyncio
    import threading
    import time

    state: WebState = app.state.web
    if state.auth.required:
        return 0.0
    paths = ["/", "/posts", "/comments", "/compliance"]
    for c in state.candidates:
        paths += [f"/candidates/{c['candidate_id']}", f"/candidates/{c['candidate_id']}/questions"]
    allowed = state.allowed_hosts
    host = "127.0.0.1" if not allowed or "127.0.0.1" in allowed else sorted(allowed)[0]

    async def get(path: str) -> None:
        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "headers": [(b"host", host.encode())],
                 "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0), "scheme": "http",
                 "http_version": "1.1", "root_path": "", "asgi": {"version": "3.0"}}

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(_message):
            return None

        await app(scope, receive, send)

    async def all_pages() -> None:
        for path in paths:
            await get(path)

    start = time.perf_counter()
    # in a thread of its own: the caller may already run an event loop
    worker = threading.Thread(target=lambda: asyncio.run(all_pages()))
    worker.start()
    worker.join()
    return time.perf_counter() - start


def create_app(project: Project, *, host: str = "127.0.0.1", require_auth: bool | None = None,
               db: WebStore | None = None, memory_limit: str = "2GB",
               secure_cookies: bool = False, allowed_hosts: list[str] | None = None,
               codebook: Codebook | None = None, threads: int | None = None) -> FastAPI:
    """Build the app for a project. Binding anything but loopback requires accounts: without an
    admin account this refuses (PantauError) before opening a port."""
    loopback = is_loopback(host)
    required = (not loopback) if require_auth is None else (require_auth or not loopback)
    codebook = codebook or load_codebook(project)
    own_db = db is None
    if db is None:
        db = WebStore(project, memory_limit=memory_limit, flag_scheme=flag_scheme(codebook))
    auth = Auth(db, required=required)
    if required and not auth.has_admin():
        if own_db:
            db.close()
        raise PantauError(
            f"binding {host} (or --auth) requires accounts, and this project has no admin",
            "create one first: pantau coding add-user NAME --role admin "
            "(then coders with --role coder)")
    hosts = None
    if allowed_hosts:
        hosts = {h.lower() for h in allowed_hosts}
    elif loopback:
        hosts = {"127.0.0.1", "localhost", "::1"}
    state = WebState(project, db, auth, codebook, host=host, secure_cookies=secure_cookies,
                     allowed_hosts=hosts)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if threads:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        # A request thread gives up the GIL for every DuckDB query and then waits up to the
        # switch interval (5 ms by default) to get it back while others render: over a few
        # queries that wait was most of a fresh page's latency under load.
        import sys

        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        yield
        sys.setswitchinterval(switch)
        if own_db:
            db.close()

    app = FastAPI(title="pantau", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.web = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from .routes import admin, coding, coordination, explore, models

    app.include_router(explore.router)
    app.include_router(coding.router)
    app.include_router(admin.router)
    app.include_router(coordination.router)
    app.include_router(models.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        return PlainTextResponse("log in first", status_code=401)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        ctx = get_ctx(request)
        title = {404: "Not found", 403: "Forbidden"}.get(exc.status_code, "Error")
        response = ctx.render("error.html", status_code=exc.status_code, title=title,
                              message=str(exc.detail), hint=None)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(PantauError)
    async def user_error(request: Request, exc: PantauError) -> Response:
        return get_ctx(request).render("error.html", status_code=400, title="Error",
                                       message=exc.message, hint=exc.hint)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException) -> Response:
        return await http_error(request, HTTPException(exc.status_code, exc.detail))

    app.add_middleware(Guard, state=state)
    return app
