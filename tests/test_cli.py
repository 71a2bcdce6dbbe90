"""The command line: every foundation command and its error paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import app
from tests.conftest import BEKASI_TOML, FIXTURES

CAPTURE_1 = FIXTURES / "ingest" / "capture-1.ndjson"
runner = CliRunner()


def run(*args: str, input: str | None = None, cwd: Path | None = None):
    """`pantau ARGS` in-process (optionally with stdin `input`, from folder `cwd`)."""
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def one_line_error(result) -> str:
    """Errors are one line plus a hint line, never a traceback."""
    output = result.output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert any(line.startswith("Error:") for line in lines), output
    assert any(line.startswith("Hint:") for line in lines), output
    return output


@pytest.fixture
def proj(tmp_path) -> Path:
    result = run("init", str(tmp_path / "p"), "--election", "Pilkada Kota Bekasi 2024")
    assert result.exit_code == 0, result.output
    root = tmp_path / "p"
    (root / "pantau.toml").write_text(BEKASI_TOML, encoding="utf-8")
    return root


def test_init_writes_a_commented_valid_config(tmp_path):
    result = run("init", str(tmp_path / "new"), "--election", "Pemilu 2024", "--rules",
                 "pemilu-2024", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    text = Path(info["config"]).read_text()
    assert 'name = "Pemilu 2024"' in text and 'rules = "pemilu-2024"' in text
    assert "# [[candidates]]" in text and "# [[accounts]]" in text
    assert (tmp_path / "new" / "pantau.duckdb").exists()


def test_init_refuses_to_overwrite(proj):
    result = run("init", str(proj))
    assert result.exit_code == 1
    assert "already exists" in one_line_error(result)


def test_init_with_unknown_rules(tmp_path):
    result = run("init", str(tmp_path / "x"), "--rules", "pilkada-2099")
    assert result.exit_code == 1
    assert "pilkada-2099" in one_line_error(result)


def test_commands_find_the_project_upward(proj):
    sub = proj / "exports" / "tiktok"
    sub.mkdir(parents=True)
    result = run("status", "--json", cwd=sub)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["project"] == str(proj.resolve())


def test_no_project_is_a_clear_error(tmp_path):
    result = run("status", cwd=tmp_path)
    assert result.exit_code == 1
    assert "pantau.toml" in one_line_error(result)


def test_invalid_config_names_the_key(proj):
    (proj / "pantau.toml").write_text(BEKASI_TOML + "\n[[candidates]]\nid='x'\nnama='y'\n")
    result = run("status", "--project", str(proj))
    assert result.exit_code == 1
    assert "candidates.3.nama" in one_line_error(result)


def test_import_status_and_query(proj):
    result = run("import", str(CAPTURE_1), "--project", str(proj), "--json")
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.output)
    assert (summary["posts"], summary["comments"], summary["rejected"]) == (4, 2, 1)
    status = json.loads(run("status", "--project", str(proj), "--json").output)
    assert status["tables"]["posts"] == 4 and status["tables"]["rejects"] == 1
    assert status["first_post"].startswith("2024-09-29")
    result = run("query", "SELECT post_id, hashtags FROM posts ORDER BY post_id LIMIT 1",
                 "--project", str(proj), "--format", "json")
    assert json.loads(result.output) == [
        {"post_id": "7421000000000000001", "hashtags": ["bekasimaju", "pilkada2024"]}]
    csv_out = run("query", "SELECT count(*) AS n FROM comments", "--project", str(proj),
                  "--format", "csv").output
    assert csv_out.splitlines() == ["n", "2"]
    table_out = run("query", "SELECT 'halo' AS sapa", "--project", str(proj)).output
    assert "halo" in table_out


def test_import_table_output_and_rejects_hint(proj):
    result = run("import", str(CAPTURE_1), "--project", str(proj))
    assert result.exit_code == 0
    assert "zeeschuimer-tiktok" in result.output and "1 record(s) rejected" in result.output
    again = run("import", str(CAPTURE_1), "--project", str(proj))
    assert "already imported" in again.output


def test_import_refuses_unknown_files(proj, tmp_path):
    unknown = tmp_path / "mystery.csv"
    unknown.write_text("a,b\n1,2\n")
    result = run("import", str(unknown), "--project", str(proj))
    assert result.exit_code == 1
    assert "not a format pantau knows" in result.output
    assert "--format" in result.output


def test_import_missing_path(proj):
    result = run("import", "nope.ndjson", "--project", str(proj))
    assert result.exit_code == 1
    assert "no such file" in one_line_error(result)


def test_import_unknown_forced_format(proj):
    result = run("import", str(CAPTURE_1), "--format", "myspace", "--project", str(proj))
    assert result.exit_code == 1
    assert "unknown format 'myspace'" in one_line_error(result)


@pytest.mark.parametrize("sql", [
    "DELETE FROM posts", "INSERT INTO posts (platform, post_id) VALUES ('x', 'y')",
    "DROP TABLE posts", "SELECT 1; UPDATE posts SET text = 'x'", "CREATE TABLE t (a INT)",
    "ATTACH 'other.duckdb'", "COPY posts TO 'out.csv'",
])
def test_query_refuses_writes(proj, sql):
    result = run("query", sql, "--project", str(proj))
    assert result.exit_code == 1
    assert "read-only" in one_line_error(result)


def test_query_sql_error_is_one_line(proj):
    result = run("query", "SELECT nonsense FROM posts", "--project", str(proj))
    assert result.exit_code == 1
    assert "SQL error" in one_line_error(result)


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(Exception, match="pantau.toml"):
        run("status", "--debug", cwd=tmp_path)


def test_formats_lists_every_registered_format():
    result = run("formats", "--json")
    names = {f["name"] for f in json.loads(result.output)}
    assert "zeeschuimer-tiktok" in names
    assert all(f["description"] and f["file_kinds"] for f in json.loads(result.output))
