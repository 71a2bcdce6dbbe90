from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pantau.project import Project
from pantau.report import write_report
from tests.analysis.fixture import build
from tests.conftest import BEKASI_TOML


@dataclass
class Rendered:
    project: Project
    html_id: str
    html_en: str
    path_id: Path
    figures: Path


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Rendered:
    """The synthetic fixture campaign, reported once in Indonesian (with --figures) and once in
    English for every report test."""
    root = tmp_path_factory.mktemp("report")
    project = build(root / "proj", BEKASI_TOML, synthetic=True)
    path_id = write_report(project, root / "laporan.html", figures_dir=root / "figures")
    path_en = write_report(project, root / "report.html", lang="en")
    return Rendered(project, path_id.read_text("utf-8"), path_en.read_text("utf-8"), path_id,
                    root / "figures")
