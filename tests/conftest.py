"""Shared fixtures. Tests that read ../shared skip cleanly where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pantau.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PANTAU_SHARED", REPO.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not present at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def samples_dir(shared_dir: Path) -> Path:
    return shared_dir / "samples"


@pytest.fixture(scope="session")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


BEKASI_TOML = """
[election]
name = "Pilkada Kota Bekasi 2024"
rules = "pilkada-2024"
timezone = "Asia/Jakarta"

[[candidates]]
id = "pair-1"
ballot_number = 1
name = "Heri Koswara"
running_mate = "Sholihin"
parties = ["PKS", "PPP", "PAN", "Hanura", "PSI"]

[[candidates]]
id = "pair-2"
ballot_number = 2
name = "Uu Saeful Mikdar"
running_mate = "Nurul Sumarheni"
parties = ["Golkar", "NasDem"]

[[candidates]]
id = "pair-3"
ballot_number = 3
name = "Tri Adhianto"
running_mate = "Abdul Harris Bobihoe"
parties = ["PDIP", "Gerindra", "PKB"]
"""


@pytest.fixture
def make_project(tmp_path: Path):
    """make_project(extra_toml="") -> Project in a fresh folder with the three Bekasi pairs."""

    def _make(extra_toml: str = "", name: str = "proj") -> Project:
        root = tmp_path / name
        root.mkdir()
        (root / "pantau.toml").write_text(BEKASI_TOML + extra_toml, encoding="utf-8")
        project = Project(root)
        project.connect().close()
        return project

    return _make


@pytest.fixture
def project(make_project) -> Project:
    return make_project()


def import_files(project: Project, *paths: Path | str, format_name: str | None = None):
    """Import files into a project through the same path as the CLI; returns summaries."""
    from pantau.ingest import import_paths

    con = project.connect()
    try:
        return import_paths(con, project.config, [str(p) for p in paths], format_name=format_name,
                            raw_dir=project.root / "raw")
    finally:
        con.close()


def query(project: Project, sql: str, params=None) -> list[dict]:
    from pantau import store

    con = store.connect(project.store_path)
    try:
        return con.execute(sql, params).dicts()
    finally:
        con.close()
