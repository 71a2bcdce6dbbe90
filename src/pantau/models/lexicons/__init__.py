"""Editable lexicons (TOML) used by the rule-based text classifiers.

Each classifier reads its lexicon from this folder, or from `lexicons/NAME.toml` inside a project
folder when that file exists, so a research team can correct a word list without touching code.
The classifier's VERSION includes a short hash of the lexicon text: editing the file changes the
label source (`model:NAME@VERSION`), which tells enrich to relabel.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import ConfigError


@dataclass(frozen=True, slots=True)
class Lexicon:
    name: str
    path: Path
    data: dict[str, Any]
    digest: str  # first 8 hex digits of the file's sha256


def shipped_path(name: str) -> Path:
    return Path(str(resources.files(__name__).joinpath(f"{name}.toml")))


def project_root_of(project: Any) -> Path | None:
    """Accept None, a folder path or a Project-like object with .root."""
    if project is None:
        return None
    if isinstance(project, str | Path):
        return Path(project)
    return Path(project.root)  # a Project


def lexicon_path(name: str, project: Any = None) -> Path:
    root = project_root_of(project)
    if root is not None:
        local = root / "lexicons" / f"{name}.toml"
        if local.is_file():
            return local
    return shipped_path(name)


def load(name: str, project: Any = None) -> Lexicon:
    return _load_path(lexicon_path(name, project).resolve(), name)


@lru_cache(maxsize=32)
def _load_path(path: Path, name: str) -> Lexicon:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"lexicon {path} does not exist",
                          "restore it from the pantau package or remove the project copy") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", "fix the syntax at that line") from None
    return Lexicon(name, path, data, hashlib.sha256(raw).hexdigest()[:8])
