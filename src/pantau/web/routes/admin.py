"""Logging in and out, users (admin), and the read-only SQL page (admin)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from ...errors import PantauError
from ..context import Ctx, admin_ctx, admin_write_ctx, csrf_ctx, get_ctx
from ..redirects import safe_next
from ..sqlguard import INDEX_DATABASE, check_web_sql, create_masked_views, open_tables

router = APIRouter()
SQL_ROWS = 1000
SQL_SECONDS = 15
SQL_CELL_CHARS = 2_000  # a longer value is cut, and the page says so
SQL_RESULT_CHARS = 2_000_000  # rows stop there (the page holds them all in one response)


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


def run_sql(db, sql: str) -> tuple[list[str], list[tuple], dict[str, Any] | None]:
    """Read-only SQL from the admin: each statement is planned and checked before anything
    runs (sqlguard: SELECT/EXPLAIN only, open tables only, people's tables pseudonymised), then
    run in a transaction that is always rolled back, on a database without file access,
    stopped after SQL_SECONDS. Shows the last statement's result, at most SQL_ROWS rows, each
    cell at most SQL_CELL_CHARS characters and SQL_RESULT_CHARS in all. Returns (columns,
    rows, what was cut or None)."""
    cur = db.con.raw.cursor()
    try:
        create_masked_views(cur, cur.execute("SELECT current_database()").fetchone()[0])
        statements = check_web_sql(cur, sql)
        timer = threading.Timer(SQL_SECONDS, cur.interrupt)
        timer.start()
        try:
            cur.execute("BEGIN TRANSACTION")
            for statement in statements:
                result = cur.execute(statement)
            columns = [d[0] for d in result.description] if result.description else []
            rows, cut = _bounded_rows(result)
        except Exception as exc:  # duckdb errors: show the first line to the admin
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PantauError(f"SQL error: {message}", "check table and column names") from None
        finally:
            timer.cancel()
            with contextlib.suppress(Exception):  # nothing to roll back after some errors
                cur.execute("ROLLBACK")
        return columns, rows, cut
    finally:
        cur.close()


def _bounded_rows(result) -> tuple[list[tuple], str | None]:
    rows: list[tuple] = []
    total, cells_cut = 0, 0
    while len(rows) <= SQL_ROWS:
        batch = result.fetchmany(100)
        if not batch:
            break
        for row in batch:
            if len(rows) == SQL_ROWS:
                return rows, _cut_note(f"the first {SQL_ROWS:,} rows", cells_cut)
            shown = []
            for value in row:
                text = value if isinstance(value, str) else None
                if text is None and isinstance(value, bytes | list | dict | tuple):
                    text = str(value)
                if text is not None and len(text) > SQL_CELL_CHARS:
                    value, cells_cut = text[:SQL_CELL_CHARS] + " …", cells_cut + 1
                total += len(text) if text is not None else 8
                shown.append(value)
            rows.append(tuple(shown))
            if total > SQL_RESULT_CHARS:
                return rows, _cut_note(f"the first {len(rows):,} rows (the result is larger "
                                       f"than {SQL_RESULT_CHARS:,} characters)", cells_cut)
    return rows, _cut_note(None, cells_cut)


def _cut_note(rows: str | None, cells_cut: int) -> dict[str, Any] | None:
    """What the page says it left out (sql.html words it in the page's language)."""
    if not rows and not cells_cut:
        return None
    return {"rows": rows is not None, "big": bool(rows and "larger" in rows),
            "cells": cells_cut, "cell_chars": SQL_CELL_CHARS,
            "result_chars": SQL_RESULT_CHARS}


def sql_tables(ctx: Ctx) -> list[str]:
    """The tables the page lists: the store's open ones and the web index."""
    rows = ctx.db.rows("SELECT database_name AS db, table_name FROM duckdb_tables() "
                       "WHERE database_name IN (current_database(), 'web') "
                       "AND schema_name = 'main' ORDER BY db <> current_database(), table_name")
    main = open_tables([r["table_name"] for r in rows if r["db"] != INDEX_DATABASE])
    return main + [f"web.{r['table_name']}" for r in rows if r["db"] == INDEX_DATABASE]


@router.get("/sql")
def sql_form(ctx: Ctx = Depends(admin_ctx)):
    return ctx.render("sql.html", sql="SELECT platform, count(*) AS posts FROM posts "
                      "GROUP BY ALL", columns=[], rows=[], truncated=False, error=None,
                      hint=None, tables=sql_tables(ctx))


@router.post("/sql")
async def sql_run(request: Request, ctx: Ctx = Depends(admin_write_ctx)):
    form = await request.form()
    sql = str(form.get("sql", ""))[:20_000]
    error: Any = None
    hint: str | None = None
    columns: list[str] = []
    rows: list[tuple] = []
    truncated = False
    try:
        columns, rows, truncated = run_sql(ctx.db, sql)
    except PantauError as exc:
        error, hint = exc.message, exc.hint
    return ctx.render("sql.html", status_code=400 if error else 200, sql=sql,
                      columns=columns, rows=rows, truncated=truncated, error=error,
                      hint=hint, tables=sql_tables(ctx))
