"""Logging in and out, users (admin), and the read-only SQL page (admin)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from ... import store
from ...errors import PantauError
from ..app import Ctx, admin_ctx, admin_write_ctx, csrf_ctx, get_ctx, safe_next

router = APIRouter()
SQL_ROWS = 1000
SQL_SECONDS = 15


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_form(request: Request, ctx: Ctx = Depends(get_ctx)):
    return ctx.render("login.html", next=safe_next(request.query_params.get("next")),
                      error=None)


@router.post("/login")
async def login(request: Request, ctx: Ctx = Depends(csrf_ctx)):
    form = await request.form()
    name = str(form.get("name", ""))[:100]
    password = str(form.get("password", ""))[:1000]
    target = safe_next(str(form.get("next") or "/"))
    auth = ctx.app.auth
    client = client_address(request)
    wait = auth.blocked_for(client, name)
    if wait > 0:
        response = ctx.render("login.html", status_code=429, next=target,
                              error="Too many failed logins; try again later.")
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    user = auth.verify(name, password) if name and password else None
    if user is None:
        auth.record_failure(client, name)
        return ctx.render("login.html", status_code=401, next=target,
                          error="Wrong user name or password.")
    auth.clear_failures(name)
    auth.end(ctx.sid)
    sid = auth.new_sid()  # a new id at login: a planted session id is worth nothing
    auth.start(sid, user=user["name"], role=user["role"], coder=user["name"])
    request.state.set_sid = sid
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, ctx: Ctx = Depends(csrf_ctx)):
    ctx.app.auth.end(ctx.sid)
    request.state.set_sid = ctx.app.auth.new_sid()
    return RedirectResponse("/login" if ctx.app.auth.required else "/", status_code=303)


@router.get("/users")
def users(ctx: Ctx = Depends(admin_ctx)):
    return ctx.render("users.html", users=ctx.app.auth.users(), error=None)


@router.post("/users")
async def add_user(request: Request, ctx: Ctx = Depends(admin_write_ctx)):
    form = await request.form()
    ctx.app.auth.add_user(str(form.get("name", "")), str(form.get("role", "coder")),
                          str(form.get("password", "")))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/remove")
def remove_user(name: str, ctx: Ctx = Depends(admin_write_ctx)):
    if name == ctx.user:
        raise PantauError("you cannot remove yourself", "ask another admin")
    ctx.app.auth.remove_user(name)
    return RedirectResponse("/users", status_code=303)


def run_sql(db, sql: str) -> tuple[list[str], list[tuple], bool]:
    """Read-only SQL from the admin: checked before it runs (SELECT/EXPLAIN only), run in a
    transaction that is always rolled back, on a connection without file access, stopped after
    SQL_SECONDS. Returns (columns, rows, truncated)."""
    cur = db.con.raw.cursor()
    try:
        store.check_read_only(cur, sql)
        for statement in cur.extract_statements(sql):
            if statement.type.name not in ("SELECT", "EXPLAIN"):
                raise PantauError(f"only SELECT and EXPLAIN run here, not "
                                  f"{statement.type.name}")
        timer = threading.Timer(SQL_SECONDS, cur.interrupt)
        timer.start()
        try:
            cur.execute("BEGIN TRANSACTION")
            result = cur.execute(sql)
            columns = [d[0] for d in result.description] if result.description else []
            rows = result.fetchmany(SQL_ROWS + 1)
        except Exception as exc:  # duckdb errors: show the first line to the admin
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PantauError(f"SQL error: {message}", "check table and column names") from None
        finally:
            timer.cancel()
            with contextlib.suppress(Exception):  # nothing to roll back after some errors
                cur.execute("ROLLBACK")
        return columns, rows[:SQL_ROWS], len(rows) > SQL_ROWS
    finally:
        cur.close()


@router.get("/sql")
def sql_form(ctx: Ctx = Depends(admin_ctx)):
    tables = ctx.db.rows("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                         "current_database() ORDER BY table_name")
    return ctx.render("sql.html", sql="SELECT platform, count(*) AS posts FROM posts "
                      "GROUP BY ALL", columns=[], rows=[], truncated=False, error=None,
                      tables=[t["table_name"] for t in tables])


@router.post("/sql")
async def sql_run(request: Request, ctx: Ctx = Depends(admin_write_ctx)):
    form = await request.form()
    sql = str(form.get("sql", ""))[:20_000]
    error: Any = None
    columns: list[str] = []
    rows: list[tuple] = []
    truncated = False
    try:
        columns, rows, truncated = run_sql(ctx.db, sql)
    except PantauError as exc:
        error = exc.message
    tables = ctx.db.rows("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                         "current_database() ORDER BY table_name")
    return ctx.render("sql.html", status_code=400 if error else 200, sql=sql,
                      columns=columns, rows=rows, truncated=truncated, error=error,
                      tables=[t["table_name"] for t in tables])
