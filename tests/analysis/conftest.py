from __future__ import annotations

import pytest

from pantau.analysis import run_all
from tests.conftest import BEKASI_TOML

from .fixture import build


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The fixture campaign, analysed once per test module; returns (project, con)."""
    project = build(tmp_path_factory.mktemp("campaign") / "proj", BEKASI_TOML)
    run_all(project)
    con = project.connect()
    yield project, con
    con.close()
