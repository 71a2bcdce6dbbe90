"""`pantau export`: every store table and every analysis table as CSV, XLSX or Parquet, with a
README listing the columns.

Commenters are personal data (UU 27/2022): by default their handles and ids are replaced by
the project's keyed pseudonyms (pantau.privacy) wherever they appear, accounts not linked to a
candidate are pseudonymised too, rejected raw records are left out (they hold the original
handles), and the pseudonym key never leaves the store. `reveal_handles=True` opts out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import privacy
from ..analysis import ANALYSIS_TABLES, existing_tables, is_current, run_all
from ..analysis.tables import CORE_TABLES
from ..cells import safe_sql
from ..errors import PantauError
from ..store import TABLES

FORMATS = ("csv", "xlsx", "parquet")
XLSX_MAX_ROWS = 1_048_575  # one row is the header
RAW_TABLES = ("rejects",)
# @mentions inside a text name people too; only texts holding an @ pass through Python.
MASK_TEXT = "CASE WHEN contains({col}, '@') THEN pantau_text({col}) ELSE {col} END"


def export_project(project, out_dir, fmt: str = "csv", *,
                   reveal_handles: bool = False) -> dict[str, Any]:
    if fmt not in FORMATS:
        raise PantauError(f"unknown export format {fmt!r}", "use csv, xlsx or parquet")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise PantauError(f"{out} exists and is not a folder", "pass a folder with -o DIR")
    out.mkdir(parents=True, exist_ok=True)
    con = project.connect(snapshot_ok=True)
    try:
        if not is_current(project, con):
            run_all(project, con)
        queries = _queries(con, reveal_handles)
        written = _write(con, queries, out, fmt)
        readme = _readme(con, queries, out, fmt, reveal_handles, written)
        network = _coordination_network(con, out)
    finally:
        con.close()
    return {"folder": str(out), "format": fmt, "reveal_handles": reveal_handles,
            "tables": written, "readme": str(readme), "network": network}


def _coordination_network(con, out: Path) -> list[str]:
    """The coordination network for Gephi (GEXF and GraphML, pseudonymised as in the tables),
    when the analysis found any community."""
    from ..analysis.coordination.graph_export import write_gexf, write_graphml

    present = existing_tables(con)
    if "analysis_coordination_edges" not in present or not con.execute(
            "SELECT count(*) FROM analysis_coordination_edges").fetchone()[0]:
        return []
    write_gexf(con, out / "coordination_network.gexf")
    write_graphml(con, out / "coordination_network.graphml")
    return [str(out / "coordination_network.gexf"), str(out / "coordination_network.graphml")]


# -- what each table exports ---------------------------------------------------------------

def _queries(con, reveal: bool) -> dict[str, str]:
    present = existing_tables(con)
    analysis = [t for t in ANALYSIS_TABLES if t in present]
    queries: dict[str, str] = {}
    queries["meta"] = "SELECT * FROM meta WHERE key <> 'pseudonym_key'"
    if reveal:
        for table in (*TABLES, "lead_reviews"):
            queries[table] = f"SELECT * FROM {table}"
        queries["analysis_questions"] = """
            SELECT q.* REPLACE (c.author_handle AS author) FROM analysis_questions q
            LEFT JOIN comments c ON c.platform = q.platform AND c.comment_id = q.comment_id"""
        queries["analysis_findings"] = """
            SELECT f.* REPLACE (CASE WHEN f.target = 'comment' THEN c.author_handle ELSE f.who
                                END AS who)
            FROM analysis_findings f
            LEFT JOIN comments c ON f.target = 'comment' AND c.platform = f.platform
                                AND c.comment_id = f.target_id"""
        queries["analysis_posts"] = """
            SELECT p.* REPLACE (coalesce(a.handle, p.account) AS account, s.url AS url,
                                left(s.text, 300) AS caption) FROM analysis_posts p
            LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id
            LEFT JOIN posts s ON s.platform = p.platform AND s.post_id = p.post_id"""
        for table in analysis:
            queries.setdefault(table, f"SELECT * FROM {table}")
        return {k: v for k, v in queries.items() if k in present}
    _register_pseudonyms(con)
    pid = "coalesce({col}_p.shown, {t}.{col})"
    queries.update({
        "candidates": "SELECT * FROM candidates",
        "accounts": """
            SELECT a.* REPLACE (
                CASE WHEN a.candidate_id IS NULL THEN ip.shown ELSE a.account_id END
                    AS account_id,
                CASE WHEN a.candidate_id IS NULL THEN hp.shown ELSE a.handle END AS handle,
                CASE WHEN a.candidate_id IS NULL THEN NULL ELSE a.display_name END
                    AS display_name)
            FROM accounts a
            LEFT JOIN _export_ids ip ON ip.id = a.account_id
            LEFT JOIN _export_handles hp ON hp.handle = a.handle""",
        "posts": f"""
            SELECT posts.* REPLACE ({pid.format(col="account_id", t="posts")} AS account_id,
                                   CASE WHEN posts.account_id IN (SELECT account_id
                                        FROM accounts WHERE candidate_id IS NOT NULL)
                                        THEN posts.url ELSE pantau_url(posts.url) END AS url,
                                   pantau_handles(posts.mentions) AS mentions,
                                   {MASK_TEXT.format(col="posts.text")} AS text)
            FROM posts LEFT JOIN _export_ids account_id_p ON account_id_p.id = posts.account_id""",
        "post_metrics": "SELECT * FROM post_metrics",
        "comments": f"""
            SELECT comments.* REPLACE (
                {pid.format(col="author_id", t="comments")} AS author_id,
                {pid.format(col="author_handle", t="comments")} AS author_handle,
                {MASK_TEXT.format(col="comments.text")} AS text)
            FROM comments
            LEFT JOIN _export_ids author_id_p ON author_id_p.id = comments.author_id
            LEFT JOIN _export_handles author_handle_p
                   ON author_handle_p.handle = comments.author_handle""",
        "labels": "SELECT * FROM labels",
        "imports": "SELECT * FROM imports",
        "events": "SELECT * FROM events",
        "lead_reviews": "SELECT * FROM lead_reviews",
    })
    for table in analysis:
        queries[table] = f"SELECT * FROM {table}"
    if "analysis_posts" in present:
        queries["analysis_posts"] = f"""
            SELECT analysis_posts.* REPLACE (
                {pid.format(col="account_id", t="analysis_posts")} AS account_id)
            FROM analysis_posts
            LEFT JOIN _export_ids account_id_p ON account_id_p.id = analysis_posts.account_id"""
    return queries


def _register_pseudonyms(con) -> None:
    """Mapping tables for every non-public handle and id (distinct values only pass through
    Python). Public: accounts linked to a candidate in pantau.toml."""
    key = privacy.project_key(con)
    public_handles = privacy.public_handles(con)
    privacy.Masker.for_store(con).register(con)
    public_ids = {r[0] for r in con.execute(
        "SELECT account_id FROM accounts WHERE candidate_id IS NOT NULL").fetchall()}
    handles = [r[0] for r in con.execute("""
        SELECT DISTINCT author_handle FROM comments WHERE author_handle IS NOT NULL
        UNION SELECT handle FROM accounts WHERE candidate_id IS NULL AND handle IS NOT NULL
    """).fetchall()]
    ids = [r[0] for r in con.execute("""
        SELECT DISTINCT author_id FROM comments WHERE author_id IS NOT NULL
        UNION SELECT account_id FROM accounts WHERE candidate_id IS NULL
        UNION SELECT account_id FROM posts WHERE account_id IS NOT NULL
    """).fetchall()]
    ids = [i for i in ids if i not in public_ids]
    con.register("_export_handles_arrow", pa.table({
        "handle": pa.array(handles, pa.string()),
        "shown": pa.array([privacy.display_handle(h, key, public_handles) for h in handles],
                          pa.string())}))
    con.register("_export_ids_arrow", pa.table({
        "id": pa.array(ids, pa.string()),
        "shown": pa.array([privacy.pseudonym(i, key) for i in ids], pa.string())}))
    con.execute("CREATE OR REPLACE TEMP TABLE _export_handles AS "
                "SELECT * FROM _export_handles_arrow")
    con.execute("CREATE OR REPLACE TEMP TABLE _export_ids AS SELECT * FROM _export_ids_arrow")
    con.unregister("_export_handles_arrow")
    con.unregister("_export_ids_arrow")


# -- writing ------------------------------------------------------------------------------

def _write(con, queries: dict[str, str], out: Path, fmt: str) -> list[dict[str, Any]]:
    written = []
    if fmt == "xlsx":
        return _write_xlsx(con, queries, out)
    for table, query in queries.items():
        path = out / f"{table}.{fmt}"
        options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT parquet)"
        if fmt == "csv":
            query = _formula_safe(con, query)
        con.execute(f"COPY ({query}) TO '{_sql_path(path)}' {options}")
        rows = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        written.append({"table": table, "rows": rows, "file": path.name})
    return written


def _formula_safe(con, query: str) -> str:
    """The query with every text column neutralised against CSV formula injection (cells)."""
    texts = [name for name, dtype, *_ in con.execute(f"DESCRIBE ({query})").fetchall()
             if dtype == "VARCHAR"]
    if not texts:
        return query
    replaced = ", ".join(f'{safe_sql(_ident(c))} AS {_ident(c)}' for c in texts)
    return f"SELECT * REPLACE ({replaced}) FROM ({query})"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_path(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


def _write_xlsx(con, queries: dict[str, str], out: Path) -> list[dict[str, Any]]:
    import xlsxwriter

    path = out / "pantau-export.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False,
                                           "remove_timezone": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    bold = book.add_format({"bold": True})
    written = []
    for table, query in queries.items():
        reader = con.raw.sql(query).to_arrow_reader(20_000)
        columns = reader.schema.names
        part, row_no, total = 1, 0, 0
        sheet = _new_sheet(book, table, part, columns, bold)
        for batch in reader:
            for row in batch.to_pylist():
                if row_no >= XLSX_MAX_ROWS:
                    part += 1
                    sheet, row_no = _new_sheet(book, table, part, columns, bold), 0
                row_no += 1
                total += 1
                for col, name in enumerate(columns):
                    value = row[name]
                    if value is None:
                        continue
                    if isinstance(value, datetime):
                        sheet.write_datetime(row_no, col, value, date_format)
                    elif isinstance(value, list | dict):
                        sheet.write_string(row_no, col, ", ".join(map(str, value))
                                           if isinstance(value, list) else str(value))
                    elif isinstance(value, bool | int | float):
                        sheet.write(row_no, col, value)
                    else:
                        sheet.write_string(row_no, col, str(value)[:32_767])
        written.append({"table": table, "rows": total, "file": path.name
                        + (f" ({part} sheets)" if part > 1 else "")})
    book.close()
    return written


def _new_sheet(book, table: str, part: int, columns: list[str], bold):
    """Excel holds 1,048,576 rows a sheet: a longer table continues on table_2, ..."""
    sheet = book.add_worksheet(table[:28] if part == 1 else f"{table[:25]}_{part}")
    sheet.write_row(0, 0, columns, bold)
    return sheet


def _readme(con, queries: dict[str, str], out: Path, fmt: str, reveal: bool,
            written: list[dict[str, Any]]) -> Path:
    rows = {w["table"]: w for w in written}
    lines = [
        "# pantau export", "",
        f"Written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC as {fmt}. Times in store tables are "
        "UTC; analysis tables use the election's local time (columns ending in _local).", "",
    ]
    if reveal:
        lines += ["**Commenters' real handles and ids are included (--reveal-handles).** They "
                  "are personal data under UU 27/2022: keep this export private.", ""]
    else:
        lines += ["Commenters' handles and ids, and accounts not linked to a candidate, are "
                  "pseudonymised (`warga-…`, a keyed hash: the same person has the same "
                  "pseudonym in every table). Candidates' linked accounts are public actors and "
                  f"keep their handles. Not exported: {', '.join(RAW_TABLES)} (rejected records "
                  "hold the original text with handles; export with --reveal-handles to "
                  "include them).", ""]
    lines += ["The pseudonym key in `meta` is never exported."
              + ("" if reveal else " Texts (captions, comments, evidence) keep their words, "
                 "but an @handle inside them, the handle part of post addresses "
                 "(x.com/HANDLE/status/…) and `posts.mentions` show the same pseudonyms, "
                 "except candidates' linked accounts."), ""]
    for table, query in queries.items():
        description, column_docs = ANALYSIS_TABLES.get(table, (CORE_TABLES.get(table, ""), {}))
        described = con.execute(f"DESCRIBE ({query})").fetchall()
        info = rows.get(table, {})
        lines += [f"## {table}", "", f"{description}  ", f"File: `{info.get('file', '')}`, "
                  f"{info.get('rows', 0):,} rows.", "", "| column | type | meaning |",
                  "|---|---|---|"]
        for name, dtype, *_ in described:
            meaning = column_docs.get(name, "").replace("|", "\\|")
            lines.append(f"| {name} | {dtype} | {meaning} |")
        lines.append("")
    path = out / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
