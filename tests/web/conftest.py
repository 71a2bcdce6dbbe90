"""Fixtures for the web app: the fixture project, app clients with and without accounts, and
pytest-playwright's launch settings for Debian's chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pantau.project import Project

from .support import ADMIN, CHROMIUM, CHROMIUM_ARGS, CODER, build_project, make_client


@pytest.fixture(scope="session")
@pytest.fixture
@pytest.fixture
@pytest.fixture(scope="module")
@pytest.fixture
@pytest.fixture(scope="session")
