"""What the admin's SQL page may read, decided from DuckDB's own parse and plan of each
statement, not from keyword lists (which miss `FROM "META"`, `query_table('meta')`, a view, a
subquery in a WHERE clause).

Each statement is checked twice before anything runs:
1. its syntax tree (json_serialize_sql): every table it names that is a table or view of the
   store must be open, and every table function must be on the list. This catches a reference
   the optimiser would drop from the plan: `WHERE EXISTS (SELECT 1 FROM meta WHERE value LIKE
   'a%')` is planned as an empty result decided from meta's statistics, which would still
   answer the question.
2. its plan (`EXPLAIN (FORMAT JSON)`), which binds it exactly as running it would: every table
   scanned (through views, query_table(), ...) and every table function must be open.
Neither step reads rows. Then the statement runs; nothing can change the catalogue in between,
since the app is the store's only writer and the page refuses every statement that writes.

Layers underneath (db.py): external access is off for the whole database (no file, URL or
extension: read_csv, read_text, glob, ATTACH, COPY, INSTALL, LOAD, httpfs all fail), and the
configuration is locked (no SET or PRAGMA may turn that back on).

Refused, with the reason shown: the `meta` table (it holds the pseudonym key that protects
commenters' handles), the web's own users and sessions (password hashes, session hashes), any
table not listed here (so a new table is closed until someone decides it is safe), table
functions other than the catalogue and series ones, EXPLAIN ANALYZE (it runs the statement and
shows row counts), and every statement but SELECT and EXPLAIN.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import duckdb

from .. import store
from ..errors import PantauError

# Tables of the store (main schema) the page may read; analysis_* tables are derived, open too.
OPEN_TABLES = frozenset({
    *store.TABLES, "coding_samples", "coding_items", "enrich_state", "lead_reviews",
    "coordination_reviews",
    "stage_posts", "stage_accounts", "stage_metrics", "stage_comments", "stage_rejects",
})
OPEN_PREFIXES = ("analysis_",)
INDEX_DATABASE = "web"  # the app's in-memory index, built from the open tables
# Why a closed table is closed, for the message.
SECRET_TABLES = {
    "meta": "it holds the project's pseudonym key, which protects commenters' handles",
    "web_users": "it holds the web accounts' password hashes",
    "web_sessions": "it holds the web's login sessions",
}
# Table functions that read only the catalogue or make numbers.
OPEN_FUNCTIONS = frozenset({
    "DUCKDB_TABLES", "DUCKDB_COLUMNS", "DUCKDB_VIEWS", "DUCKDB_SCHEMAS", "DUCKDB_DATABASES",
    "DUCKDB_TYPES", "DUCKDB_CONSTRAINTS", "DUCKDB_INDEXES", "DUCKDB_SEQUENCES",
    "DUCKDB_FUNCTIONS", "DUCKDB_KEYWORDS", "DUCKDB_DEPENDENCIES", "PRAGMA_TABLE_INFO",
    "RANGE", "GENERATE_SERIES", "UNNEST",
})
# Scalar functions that change the store even inside a transaction that is rolled back.
STATEFUL_FUNCTIONS = frozenset({"nextval", "setval"})
# Plan leaves that read nothing stored (constants, CTE and join plumbing, DESCRIBE's output).
DATALESS_LEAVES = frozenset({
    "DUMMY_SCAN", "EMPTY_RESULT", "COLUMN_DATA_SCAN", "CTE_SCAN", "DELIM_SCAN",
    "CHUNK_SCAN", "REC_CTE_SCAN", "RECURSIVE_CTE_SCAN", "RECURSIVE_RECURRING_CTE_SCAN",
    "EXPRESSION_SCAN",
})


# Tables naming people: the page reads them through pseudonymised views of the same name
# (temporary views on the page's cursor, which unqualified names find first); the raw tables
# are for `pantau query` on the server.
PERSON_TABLES = ("accounts", "posts", "comments", "rejects")
MASKED_COLUMNS = {
    "handle": "pantau_handle({c})", "author_handle": "pantau_handle({c})",
    "account_id": "pantau_account_id({c})", "author_id": "pantau_account_id({c})",
    "url": "pantau_url({c})", "text": "pantau_text({c})", "mentions": "pantau_handles({c})",
    "display_name": "CASE WHEN pantau_handle(handle) IS NOT DISTINCT FROM handle "
                    "THEN {c} END",
    "raw": "'(left out on the web: pantau raw on the server shows it)'",
}


def create_masked_views(cur, store_db: str) -> None:
    """The people tables as the SQL page shows them (needs the app's pantau_* functions)."""
    for table in PERSON_TABLES:
        columns = [r[0] for r in cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = ? "
            "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
            [store_db, table]).fetchall()]
        if not columns:
            continue
        replaced = [f"{MASKED_COLUMNS[c].format(c=c)} AS {c}" for c in columns
                    if c in MASKED_COLUMNS]
        select = "*" if not replaced else f"* REPLACE ({', '.join(replaced)})"
        cur.execute(f'CREATE OR REPLACE TEMP VIEW {table} AS SELECT {select} '
                    f'FROM "{store_db}".main.{table}')
    # duckdb_tables() as the page shows it: no row-count estimate of a closed table (how many
    # web accounts and sessions there are is nobody's business on this page)
    closed = ", ".join(f"'{t}'" for t in SECRET_TABLES)
    cur.execute("CREATE OR REPLACE TEMP MACRO duckdb_tables() AS TABLE "
                "SELECT * REPLACE (CASE WHEN table_name IN "
                f"({closed}) THEN NULL ELSE estimated_size END AS estimated_size) "
                "FROM system.main.duckdb_tables()")


class Refused(PantauError):
    """A statement the SQL page will not run; the message says why."""


def check_web_sql(cur, sql: str) -> list[str]:
    """Refuse (Refused) anything but reading the open tables; returns the statements to run,
    one by one, in order."""
    try:
        statements = cur.extract_statements(sql)
    except duckdb.Error as exc:
        raise Refused(f"SQL error: {_first_line(exc)}", "check the query") from None
    if not statements:
        raise Refused("the query is empty")
    out = []
    for statement in statements:
        kind = statement.type.name
        if kind == "SELECT":
            inner = statement.query
        elif kind == "EXPLAIN":
            inner = _explained(statement.query)
        else:
            raise Refused(f"only SELECT and EXPLAIN run here, not {kind}",
                          "the store changes only through pantau commands")
        store_db = cur.execute("SELECT current_database()").fetchone()[0]
        _check_tree(cur, store_db, inner)
        _check_plan(store_db, _plan(cur, inner))
        out.append(statement.query)
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _explained(query: str) -> str:
    """The statement an EXPLAIN explains (its text after EXPLAIN and its options), refusing
    EXPLAIN ANALYZE: that one runs the statement and shows how many rows each step saw."""
    words = [(pos, query[pos:].split(None, 1)[0].strip("(),").upper())
             for pos, kind in duckdb.tokenize(query) if kind != duckdb.token_type.comment]
    i, depth = 1, 0  # words[0] is EXPLAIN
    while i < len(words):
        pos, word = words[i]
        char = query[pos]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif word in ("ANALYZE", "ANALYSE"):
            raise Refused("EXPLAIN ANALYZE is refused here: it runs the statement",
                          "use EXPLAIN without ANALYZE")
        elif depth == 0 and word != "VERBOSE":
            return query[pos:]
        i += 1
    raise Refused("EXPLAIN of nothing")


def _plan(cur, inner: str) -> list[dict[str, Any]]:
    wrapped = "EXPLAIN (FORMAT JSON) " + inner
    try:
        parsed = cur.extract_statements(wrapped)
    except duckdb.Error as exc:
        raise Refused(f"SQL error: {_first_line(exc)}", "check the query") from None
    if len(parsed) != 1 or parsed[0].type.name != "EXPLAIN":
        raise Refused("the statement could not be checked", "run one SELECT at a time")
    try:
        row = cur.execute(wrapped).fetchone()
    except duckdb.Error as exc:
        raise Refused(f"SQL error: {_first_line(exc)}",
                      "check table and column names (listed below)") from None
    try:
        plan = json.loads(row[1]) if row else None
    except (TypeError, ValueError):
        plan = None
    if not isinstance(plan, list):
        raise Refused("the statement could not be checked", "simplify the query")
    return plan


def _nodes(plan: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    stack = list(plan)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.get("children") or [])


def _check_plan(store_db: str, plan: list[dict[str, Any]]) -> None:
    for node in _nodes(plan):
        info = node.get("extra_info") or {}
        name = str(node.get("name", ""))
        if "Table" in info:
            check_table(store_db, str(info["Table"]))
        elif "Function" in info:
            function = str(info["Function"]).upper()
            if function not in OPEN_FUNCTIONS:
                _refuse_function(function)
        elif not node.get("children") and name not in DATALESS_LEAVES:
            # a leaf that reads something this module does not know: closed until checked
            raise Refused(f"the web SQL page cannot check a {name} step",
                          "use pantau query on the server")


def _refuse_function(name: str) -> None:
    raise Refused(f"the table function {name.lower()}() is not open to the web SQL page",
                  "read the store's tables instead")


def _dicts(tree: Any) -> Iterator[dict[str, Any]]:
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _check_tree(cur, store_db: str, inner: str) -> None:
    """Step 1: the tables and table functions the statement names, before optimisation."""
    try:
        found = cur.execute("SELECT json_serialize_sql(?)", [inner]).fetchone()
        tree = json.loads(found[0]) if found else None
    except (duckdb.Error, TypeError, ValueError):
        tree = None
    if not isinstance(tree, dict) or tree.get("error"):
        raise Refused("the statement could not be checked", "run one SELECT at a time")
    stored = {(r[0], r[1].lower()) for r in cur.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
        "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
        "WHERE database_name = ? AND NOT internal", [store_db, store_db]).fetchall()}
    # A CTE named like a closed table is refused too: which of the two a name means depends on
    # scope, and a refusal too many is cheaper than a scope resolver.
    for node in _dicts(tree):
        kind = node.get("type")
        if kind == "BASE_TABLE":
            catalog = str(node.get("catalog_name") or "")
            schema = str(node.get("schema_name") or "")
            table = str(node.get("table_name") or "").lower()
            if not catalog and schema.lower() == store_db.lower() and \
                    (schema, table) not in stored:
                # "store.meta" parses as schema "store"; DuckDB then tries it as a database
                catalog, schema = schema, "main"
            if table in PERSON_TABLES and (catalog or schema) and \
                    catalog.lower() != "temp" and schema.lower() != "temp":
                raise Refused(f"name the table {table} without a database or schema: the "
                              "web shows it with pseudonymised handles",
                              "pantau query on the server reads the raw table")
            if catalog.lower() not in ("", store_db.lower()) or \
                    (schema or "main", table) not in stored:
                continue  # not a store table: the plan (step 2) decides
            check_table(store_db, f"{store_db}.{schema or 'main'}.{table}")
        elif kind == "TABLE_FUNCTION":
            function = node.get("function") or {}
            name = str(function.get("function_name") or "").upper()
            if name not in OPEN_FUNCTIONS:
                _refuse_function(name)
            if str(function.get("catalog") or "").lower() not in ("", "temp") or \
                    str(function.get("schema") or "").lower() not in ("", "temp"):
                raise Refused(f"call {name.lower()}() without a database or schema name",
                              "the page's own version of it leaves closed tables out")
        elif kind == "FUNCTION" and \
                str(node.get("function_name") or "").lower() in STATEFUL_FUNCTIONS:
            name = str(node.get("function_name")).lower()
            raise Refused(f"{name}() changes a sequence, which a rolled-back SELECT cannot undo",
                          "the SQL page only reads")


def split_name(qualified: str) -> list[str]:
    """`db.main."comments"` -> ["db", "main", "comments"]: the plan quotes names that are
    keywords (or hold dots or quotes, doubled inside)."""
    parts, current, quoted, i = [], [], False, 0
    while i < len(qualified):
        char = qualified[i]
        if char == '"':
            if quoted and qualified[i + 1:i + 2] == '"':
                current.append('"')
                i += 1
            else:
                quoted = not quoted
        elif char == "." and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def check_table(store_db: str, qualified: str) -> None:
    """Refuse a table (as the plan names it, database.schema.table) that is not open."""
    database, schema, table = (["", "", *split_name(qualified)][-3:])
    if database == INDEX_DATABASE:
        return
    if database == store_db and schema == "main" and (
            table in OPEN_TABLES or table.startswith(OPEN_PREFIXES)):
        return
    reason = SECRET_TABLES.get(table) if database == store_db else None
    raise Refused(f"the table {table} cannot be read from the web"
                  + (f": {reason}" if reason else " (it is not on the SQL page's list)"),
                  "pantau query on the server can read it" if reason else None)


def open_tables(tables: list[str]) -> list[str]:
    """The store tables the page lists: only those it may read."""
    return [t for t in tables if t in OPEN_TABLES or t.startswith(OPEN_PREFIXES)]
