"""Issue 14 point 13: while `pantau serve` runs (and holds the store), reading commands work on
a snapshot and writing commands say exactly what to do, instead of a DuckDB lock error."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pantau.project import Project
from tests.analysis.fixture import build
from tests.conftest import BEKASI_TOML
from tests.test_cli import run

SRC = Path(__file__).resolve().parents[1] / "src"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = build(tmp_path_factory.mktemp("shared") / "proj", BEKASI_TOML)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from pantau.cli import main; main()", "serve", "--project",
         str(project.root), "--port", str(port), "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"pantau serve did not start: {err.decode()[-2000:]}")
        time.sleep(0.3)
    yield project, proc
    proc.terminate()
    proc.wait(timeout=30)


def _ok(result):
    assert result.exit_code == 0, result.output
    assert "lock" not in result.output.lower()
    return result


def test_reading_commands_work_beside_serve(served, tmp_path):
    project, proc = served
    root = str(project.root)
    status = json.loads(_ok(run("status", "--project", root, "--json")).stdout)
    assert status["tables"]["posts"] == 20
    rows = json.loads(_ok(run("query", "--project", root, "--json",
                              "SELECT count(*) AS n FROM comments")).stdout)
    assert rows[0]["n"] > 0
    summary = json.loads(_ok(run("analyze", "--project", root, "--json")).stdout)
    assert summary["tables"]["analysis_posts"] == 20
    assert "pantau serve" in summary["snapshot_because_store_held_by"]
    _ok(run("report", "--project", root, "-o", str(tmp_path / "r.html")))
    assert (tmp_path / "r.html").stat().st_size > 10_000
    _ok(run("export", "--project", root, "-o", str(tmp_path / "out")))
    assert (tmp_path / "out" / "posts.csv").exists()
    _ok(run("coding", "alpha", "--project", root, "--json"))
    # no snapshot copy is left behind
    assert not list(Path(root).glob(".pantau-snapshot-*"))
    assert proc.poll() is None  # serve still running


def test_writing_commands_say_what_to_do(served, tmp_path):
    project, proc = served
    data = tmp_path / "x.jsonl"
    data.write_text('{"id": "1"}\n', encoding="utf-8")
    result = run("import", "--project", str(project.root), str(data))
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "pantau serve" in out and f"pid {proc.pid}" in out, out
    assert "stop it" in out and "Ctrl-C" in out and "start pantau serve again" in out
    assert "Could not set lock" not in out
    enrich = run("enrich", "--project", str(project.root))
    assert enrich.exit_code == 1 and "pantau serve" in " ".join(enrich.output.split())


def test_a_stale_snapshot_is_cleaned(tmp_path):
    from pantau import sharing

    store = tmp_path / "pantau.duckdb"
    import duckdb

    duckdb.connect(str(store)).close()
    stale = tmp_path / f"{sharing.SNAPSHOT_PREFIX}999999999-x"
    stale.mkdir()
    (stale / "pantau.duckdb").write_bytes(b"x")
    copy = sharing.take_snapshot(store)
    assert not stale.exists() and copy.exists()
    sharing.remove_snapshot(copy)
    assert not copy.parent.exists()


def test_project_type(served):
    assert isinstance(served[0], Project)
