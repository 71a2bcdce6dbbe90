"""Store schema migrations: a store made by an older pantau opens and migrates cleanly."""

from __future__ import annotations

import duckdb

from pantau import store

# The table exactly as pantau.enrich created it (CREATE TABLE IF NOT EXISTS) in schema 1 stores.
OLD_ENRICH_STATE = """CREATE TABLE IF NOT EXISTS enrich_state (
    platform VARCHAR NOT NULL, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
    task VARCHAR NOT NULL, source VARCHAR NOT NULL)"""


def _version_1_store(path, *, with_enrich_state: bool) -> None:
    con = duckdb.connect(str(path))
    con.execute(store.MIGRATIONS[0])
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("INSERT INTO comments (platform, comment_id, text) VALUES ('x', 'c1', 'halo')")
    if with_enrich_state:
        con.execute(OLD_ENRICH_STATE)
        con.execute("INSERT INTO enrich_state VALUES ('x', 'comment', 'c1', 'lang', "
                    "'model:lang@2.x')")
    con.close()


def _columns(con, table: str) -> list[tuple]:
    return [(r[0], r[1], r[2]) for r in con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


def test_new_store_has_enrich_state(tmp_path):
    with store.connect(tmp_path / "new.duckdb") as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION >= 4
        assert [c[0] for c in _columns(con, "enrich_state")] == [
            "platform", "target", "target_id", "task", "source"]


def test_version_1_store_with_enrich_state_keeps_it(tmp_path):
    path = tmp_path / "old.duckdb"
    _version_1_store(path, with_enrich_state=True)
    with store.connect(path) as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert con.execute("SELECT * FROM enrich_state").fetchall() == [
            ("x", "comment", "c1", "lang", "model:lang@2.x")]
        assert con.execute("SELECT text FROM comments").fetchall() == [("halo",)]
    with store.connect(tmp_path / "fresh.duckdb") as fresh, store.connect(path) as old:
        assert _columns(old, "enrich_state") == _columns(fresh, "enrich_state")


def test_version_1_store_without_enrich_state_gets_it(tmp_path):
    path = tmp_path / "old.duckdb"
    _version_1_store(path, with_enrich_state=False)
    with store.connect(path) as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM enrich_state").fetchone() == (0,)
    with store.connect(path) as con:  # a second open changes nothing
        assert store.schema_version(con) == store.SCHEMA_VERSION


def test_read_only_open_of_a_version_1_store_does_not_migrate(tmp_path):
    path = tmp_path / "old.duckdb"
    _version_1_store(path, with_enrich_state=False)
    con = store.connect(path, read_only=True)
    try:
        assert store.schema_version(con) == 1
    finally:
        con.close()


def test_version_2_store_gets_lead_reviews(tmp_path):
    path = tmp_path / "old.duckdb"
    _version_1_store(path, with_enrich_state=False)
    con = duckdb.connect(str(path))
    con.execute(store.MIGRATIONS[1])
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    with store.connect(path) as con:
        assert [c[0] for c in _columns(con, "lead_reviews")] == [
            "lead_key", "status", "note", "reviewer", "reviewed_at"]
        assert con.execute("SELECT text FROM comments").fetchall() == [("halo",)]


def test_version_1_store_gains_coordination_reviews(tmp_path):
    path = tmp_path / "old.duckdb"
    _version_1_store(path, with_enrich_state=True)
    with store.connect(path) as con, store.connect(tmp_path / "fresh.duckdb") as fresh:
        assert [c[0] for c in _columns(con, "coordination_reviews")] == [
            "community_key", "status", "coder", "note", "accounts", "reviewed_at"]
        assert _columns(con, "coordination_reviews") == _columns(fresh, "coordination_reviews")
