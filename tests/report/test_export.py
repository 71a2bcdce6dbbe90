from __future__ import annotations

import csv

import duckdb
import pytest

from pantau.analysis import ANALYSIS_TABLES
from pantau.errors import PantauError
from pantau.report.export import export_project
from tests.analysis.fixture import COMMENTS, build
from tests.conftest import BEKASI_TOML

HANDLES = {c[5] for c in COMMENTS if c[5] and c[5].startswith("warga_")}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return build(tmp_path_factory.mktemp("export") / "proj", BEKASI_TOML)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_export_is_complete_and_pseudonymised(project, tmp_path):
    result = export_project(project, tmp_path / "out", "csv")
    out = tmp_path / "out"
    names = {t["table"] for t in result["tables"]}
    assert set(ANALYSIS_TABLES) <= names
    assert {"candidates", "accounts", "posts", "post_metrics", "comments", "labels",
            "imports", "events", "meta"} <= names
    assert not (out / "rejects.csv").exists()
    comments = read_csv(out / "comments.csv")
    assert len(comments) == len(COMMENTS)
    shown = {c["author_handle"] for c in comments}
    assert not shown & HANDLES
    assert "heri_tt" in shown  # the candidate's own account is a public actor
    by_id = {c["comment_id"]: c for c in comments}
    assert by_id["c1"]["author_handle"] == by_id["c7"]["author_handle"]  # same person
    assert by_id["c1"]["author_id"].startswith("warga-")
    accounts = {a["handle"] for a in read_csv(out / "accounts.csv")}
    assert "warga_biasa" not in accounts and "uu_tt" in accounts
    assert all(r["key"] != "pseudonym_key" for r in read_csv(out / "meta.csv"))
    everything = "".join(p.read_text("utf-8") for p in out.glob("*.csv"))
    for handle in HANDLES | {"warga_biasa"}:
        assert handle not in everything, handle
    readme = (out / "README.md").read_text("utf-8")
    assert "## comments" in readme and "| author_handle | VARCHAR |" in readme
    assert "## analysis_findings" in readme and "pseudonymised" in readme


def test_reveal_handles_opts_out(project, tmp_path):
    export_project(project, tmp_path / "out", "csv", reveal_handles=True)
    comments = read_csv(tmp_path / "out" / "comments.csv")
    assert {c["author_handle"] for c in comments} >= HANDLES
    assert (tmp_path / "out" / "rejects.csv").exists()
    questions = read_csv(tmp_path / "out" / "analysis_questions.csv")
    assert {q["author"] for q in questions} <= HANDLES
    assert "real handles" in (tmp_path / "out" / "README.md").read_text("utf-8")


def test_parquet_and_xlsx(project, tmp_path):
    export_project(project, tmp_path / "pq", "parquet")
    rows = duckdb.sql(
        f"SELECT count(*) FROM '{tmp_path / 'pq' / 'analysis_posts.parquet'}'").fetchall()
    assert rows == [(20,)]
    result = export_project(project, tmp_path / "xl", "xlsx")
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "xl" / "pantau-export.xlsx", read_only=True)
    assert {"comments", "analysis_findings", "analysis_posts"} <= set(book.sheetnames)
    assert result["readme"].endswith("README.md")


def test_bad_format(project, tmp_path):
    with pytest.raises(PantauError, match="unknown export format"):
        export_project(project, tmp_path, "json")
