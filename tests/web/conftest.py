"""Fixtures for the web app: the fixture project, app clients with and without accounts, and
pytest-playwright's launch settings for Debian's chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pantau.project import Project

from .support import ADMIN, CHROMIUM, CHROMIUM_ARGS, CODER, build_project, make_client


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """argon2id with small costs: the tests check the hashing, not its strength."""
    from functools import partial

    from argon2 import PasswordHasher

    monkeypatch.setattr("pantau.web.auth.PasswordHasher",
                        partial(PasswordHasher, time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def web_template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("web-template") / "proj"
    build_project(root)
    return root


@pytest.fixture
def web_project(web_template: Path, tmp_path: Path) -> Project:
    """A fresh copy of the fixture project (writes in one test never leak into another)."""
    root = tmp_path / "proj"
    shutil.copytree(web_template, root)
    return Project(root)


@pytest.fixture
def client(web_project):
    c, db = make_client(web_project)
    yield c
    c.close()
    db.close()


@pytest.fixture(scope="session")
def ro_client(tmp_path_factory):
    """A loopback client over a project that tests only read (shared by the session)."""
    root = tmp_path_factory.mktemp("web-ro") / "proj"
    project = build_project(root)
    c, db = make_client(project)
    yield c
    c.close()
    db.close()


@pytest.fixture
def auth_client(web_project):
    """Bound to a non-loopback address: accounts required (ana = admin, budi = coder)."""
    c, db = make_client(web_project, host="0.0.0.0", users={"ana": ADMIN, "budi": CODER})
    yield c
    c.close()
    db.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright: Debian's chromium, kept off the network (docs TOOLING.md)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
