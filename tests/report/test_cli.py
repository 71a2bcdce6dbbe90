from __future__ import annotations

import json

from typer.testing import CliRunner

from pantau.cli import app
from tests.analysis.fixture import build
from tests.conftest import BEKASI_TOML

runner = CliRunner()


def test_analyze_and_export_commands(tmp_path):
    project = build(tmp_path / "proj", BEKASI_TOML)
    result = runner.invoke(app, ["analyze", "-p", str(project.root), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["tables"]["analysis_findings"] == 8
    result = runner.invoke(app, ["export", "-p", str(project.root), "-f", "parquet", "-o",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "analysis_findings.parquet").exists()
    result = runner.invoke(app, ["export", "-p", str(project.root), "-o",
                                 str(tmp_path / "out2"), "--reveal-handles"])
    assert result.exit_code == 0
    assert "personal data" in result.stderr


def test_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["analyze", "-p", str(tmp_path)])
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "Traceback" not in result.output + result.stderr
    result = runner.invoke(app, ["report", "-p", str(tmp_path), "--lang", "fr"])
    assert result.exit_code != 0
