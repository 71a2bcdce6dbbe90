"""Every analysis_* table `pantau analyze` writes is in the contract (analysis/tables.py), so
that the documentation test (tests/test_contracts.py) sees it too."""

from __future__ import annotations

from pantau.analysis import ANALYSIS_TABLES


def test_every_table_analyze_writes_is_in_the_contract(analysed):
    _, con = analysed
    written = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'analysis\\_%' ESCAPE '\\'"
    ).fetchall()}
    assert written, "analyze wrote no analysis_* table"
    assert written <= set(ANALYSIS_TABLES), sorted(written - set(ANALYSIS_TABLES))
