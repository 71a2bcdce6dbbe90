"""The admin's SQL page reads only the open tables: never the pseudonym key in `meta`, the web's
accounts or sessions, files, the network, or anything a view or table function would reach."""

from __future__ import annotations

import pytest

from pantau.web import sqlguard

from .support import csrf_of, make_client


def _sql(client, sql: str):
    token = csrf_of(client.get("/sql").text)
    return client.post("/sql", data={"sql": sql, "csrf": token})


def _key(client) -> str:
    return client.app.state.web.db.scalar(
        "SELECT value FROM meta WHERE key = 'pseudonym_key'", cache=False)


def _error(response) -> str:
    return response.text.split('class="error"', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("sql, reason", [
    ("SELECT * FROM meta", "pseudonym key"),
    ('SELECT * FROM "META"', "pseudonym key"),
    ("FROM main.meta", "pseudonym key"),
    ("SELECT * FROM {db}.meta", "pseudonym key"),
    ("SELECT * FROM {db}.main.meta", "pseudonym key"),
    ("SELECT value FROM posts, meta LIMIT 1", "pseudonym key"),
    ("SELECT count(*) FROM posts WHERE text = (SELECT max(value) FROM meta)", "pseudonym key"),
    # the optimiser answers this one from meta's statistics and drops meta from the plan
    ("SELECT * FROM posts WHERE EXISTS (SELECT 1 FROM meta WHERE value LIKE 'a%')",
     "pseudonym key"),
    ("WITH k AS MATERIALIZED (SELECT * FROM meta) SELECT * FROM k", "pseudonym key"),
    ("WITH posts AS (SELECT * FROM meta) SELECT * FROM posts", "pseudonym key"),
    # a CTE named meta in one scope does not open the real meta in another
    ("SELECT (WITH meta AS (SELECT 1) SELECT 1) AS x FROM posts "
     "WHERE EXISTS (SELECT 1 FROM meta WHERE value LIKE 'a%')", "pseudonym key"),
    ("SELECT 1 UNION ALL SELECT count(*) FROM meta", "pseudonym key"),
    ("SUMMARIZE meta", "pseudonym key"),
    ("SELECT 1; SELECT * FROM meta", "pseudonym key"),
    ("EXPLAIN SELECT * FROM meta", "pseudonym key"),
    ("/* hidden */ SELECT * FROM meta -- x", "pseudonym key"),
    ("SELECT * FROM query_table('meta')", "query_table()"),
    ("SELECT * FROM query('SELECT * FROM meta')", "query()"),
])
def test_meta_is_closed(client, sql, reason):
    db_name = client.app.state.web.db.scalar("SELECT current_database()", cache=False)
    response = _sql(client, sql.format(db=db_name))
    assert response.status_code == 400
    assert reason in _error(response)
    assert _key(client) not in response.text


def test_a_view_over_meta_is_closed_too(web_project):
    """The check reads DuckDB's plan, so what a view hides is still seen."""
    from pantau import store

    con = store.connect(web_project.store_path)
    con.execute("CREATE VIEW harmless AS SELECT value AS x FROM meta")
    con.close()
    client, db = make_client(web_project)
    try:
        response = _sql(client, "SELECT * FROM harmless")
        assert response.status_code == 400 and "harmless" in _error(response)
        assert _key(client) not in response.text
        # the plan step alone sees through the view to meta
        cur = db.con.raw.cursor()
        store_db = cur.execute("SELECT current_database()").fetchone()[0]
        with pytest.raises(sqlguard.Refused, match="pseudonym key"):
            sqlguard._check_plan(store_db, sqlguard._plan(cur, "SELECT * FROM harmless"))
        cur.close()
    finally:
        client.close()
        db.close()


@pytest.mark.parametrize("sql, reason", [
    ("SELECT * FROM web_users", "password hashes"),
    ("SELECT password_hash FROM main.web_users", "password hashes"),
    ("SELECT * FROM web_sessions", "sessions"),
    ("SELECT * FROM duckdb_secrets()", "duckdb_secrets"),
    ("SELECT * FROM duckdb_settings()", "duckdb_settings"),
    ("EXPLAIN ANALYZE SELECT * FROM posts", "EXPLAIN ANALYZE"),
    ("EXPLAIN (ANALYZE, FORMAT json) SELECT * FROM posts", "EXPLAIN ANALYZE"),
    ("/* c */ EXPLAIN /* d */ ANALYSE SELECT * FROM posts", "EXPLAIN ANALYZE"),
    ("SELECT * FROM pragma_storage_info('meta')", "pragma_storage_info"),
    ("SELECT stats(value) FROM meta", "pseudonym key"),
    ("PRAGMA database_list", "PRAGMA"),
    ("SET enable_external_access = true", "SET"),
    ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH"),
    ("COPY meta TO '/tmp/key.csv'", "COPY"),
    ("INSTALL httpfs", "only SELECT"),
    ("LOAD httpfs", "only SELECT"),
])
def test_secrets_and_powers_are_refused_with_a_reason(client, sql, reason):
    response = _sql(client, sql)
    assert response.status_code == 400
    assert reason in _error(response)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_json('/etc/hostname')",
    "SELECT * FROM read_parquet('/tmp/x.parquet')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'https://example.com/data.csv'",
    "SELECT * FROM read_csv('https://example.com/data.csv')",
])
def test_files_and_network_are_out_of_reach(client, sql):
    response = _sql(client, sql)
    assert response.status_code == 400
    assert "root:" not in response.text
    assert 'class="error"' in response.text


@pytest.mark.parametrize("sql, shown", [
    ("SELECT platform, count(*) AS n FROM posts GROUP BY ALL ORDER BY 1", "<td>instagram</td>"),
    ("SELECT count(*) AS n FROM web.comment_facts", "<td>84</td>"),
    ("SELECT table_name FROM duckdb_tables() WHERE table_name = 'posts'", "<td>posts</td>"),
    ("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'meta'",
     "<td>1</td>"),
    ("SHOW TABLES", "<td>posts</td>"),
    ("DESCRIBE posts", "<td>post_id</td>"),
    ("EXPLAIN SELECT * FROM posts", "posts"),
    ("SELECT * FROM range(3) r(i) ORDER BY i", "<td>2</td>"),
    ("WITH x AS (SELECT post_id FROM posts) SELECT count(*) FROM x", "<td>24</td>"),
    ("SELECT 1 AS a; SELECT 2 AS b", "<td>2</td>"),
    # names the plan quotes (comments is a keyword), joins, recursion
    ("SELECT count(*) AS n FROM comments WHERE text ILIKE '%diperbaiki%'", "<td>24</td>"),
    ("SELECT count(*) AS n FROM posts p JOIN comments c USING (platform, post_id) "
     "WHERE c.author_handle = pantau_handle('warga_c')", "<td>24</td>"),
    ("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) "
     "SELECT max(n) AS m FROM t", "<td>5</td>"),
])
def test_the_open_tables_still_work(client, sql, shown):
    response = _sql(client, sql)
    assert response.status_code == 200, response.text
    assert shown in response.text


def test_the_page_lists_only_open_tables(client):
    page = client.get("/sql").text
    listing = page.split('class="tables"', 1)[1].split("</p>", 1)[0]
    assert "posts" in listing and "web.comment_facts" in listing
    for closed in ("meta", "web_users", "web_sessions"):
        assert closed not in listing.replace("web.", "").split(" · ") and \
            f">{closed}" not in listing and f" {closed} " not in listing


def test_check_table_names_the_reason():
    with pytest.raises(sqlguard.Refused, match="pseudonym key"):
        sqlguard.check_table("store", "store.main.meta")
    with pytest.raises(sqlguard.Refused, match="not on the SQL page's list"):
        sqlguard.check_table("store", "store.main.something_new")
    with pytest.raises(sqlguard.Refused):
        sqlguard.check_table("store", "other.main.posts")  # another database
    sqlguard.check_table("store", "store.main.analysis_activity")
    sqlguard.check_table("store", "web.main.post_facts")
    sqlguard.check_table("store", 'store.main."comments"')
    with pytest.raises(sqlguard.Refused, match="pseudonym key"):
        sqlguard.check_table("store", '"store"."main"."meta"')
    assert sqlguard.split_name('a."b.c"."d""e"') == ["a", "b.c", 'd"e']


def test_cli_query_still_reads_meta(web_project):
    """`pantau query` is the project owner's own tool on the server: it keeps meta."""
    from typer.testing import CliRunner

    from pantau.cli import app

    result = CliRunner().invoke(app, ["query", "SELECT key FROM meta WHERE key = "
                                      "'schema_version'", "--project", str(web_project.root)])
    assert result.exit_code == 0, result.output
    assert "schema_version" in result.output
