"""Loading an election's rules file (calendar phases, windows, account limits) from TOML."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

SHIPPED = ("pilkada-2024", "pemilu-2024")
REQUIRED = ("rules", "phases", "accounts")


def shipped_rules() -> list[str]:
    return list(SHIPPED)


def rules_path(name: str, base: Path | None = None) -> Path:
    """A shipped rules name, or a path (relative to the project folder) to a user's own file."""
    if name in SHIPPED:
        return Path(str(resources.files("pantau.rules").joinpath(f"{name}.toml")))
    path = Path(name)
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.exists():
        raise ConfigError(
            f"rules {name!r} is neither a shipped rules file nor an existing path",
            f"use one of {', '.join(SHIPPED)} or a path to your own TOML file",
        )
    return path


def load_rules(name: str, base: Path | None = None) -> dict[str, Any]:
    path = rules_path(name, base)
    try:
        rules = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", "fix the syntax at that line") from None
    for key in REQUIRED:
        if key not in rules:
            raise ConfigError(f"{path}: missing [{key}]", "compare with the shipped pilkada-2024")
    for section in ("phases", "windows"):
        for i, phase in enumerate(rules.get(section, [])):
            for key in ("id", "start", "end"):
                if key not in phase:
                    raise ConfigError(f"{path}: {section}[{i}] has no {key!r}",
                                      "each phase needs id, start and end")
            for key in ("start", "end"):
                if not isinstance(phase[key], date | datetime):
                    raise ConfigError(f"{path}: {section}[{i}].{key} is not a date",
                                      "write dates as 2024-09-25 (no quotes)")
            if phase["end"] < phase["start"]:
                raise ConfigError(f"{path}: {section}[{i}] ends before it starts",
                                  "swap start and end")
    rules["path"] = str(path)
    return rules
