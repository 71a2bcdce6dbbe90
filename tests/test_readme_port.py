"""Issue 13 point 20: the README gives the port `pantau serve` really uses by default."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from pantau.cli.web_cmds import serve


def test_readme_port_is_the_default():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    ports = set(re.findall(r"http://(?:127\.0\.0\.1|localhost):(\d+)", readme))
    default = inspect.signature(serve).parameters["port"].default
    assert ports == {str(default)}


def test_dry_run_prints_a_readable_mapping(make_project, tmp_path):
    from tests.test_cli import run
    from tests.test_import_robustness import GOOD

    project = make_project()
    path = tmp_path / "zeeschuimer-export-tiktok.com-x.ndjson"
    path.write_bytes(GOOD)
    result = run("import", "--project", str(project.root), "--dry-run", str(path))
    assert result.exit_code == 0, result.output
    assert "{'" not in result.output and "':" not in result.output
    assert "post_id: 7400000000000000001" in result.output
