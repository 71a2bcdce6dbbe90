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
    for section in ("phases", "windows", "events"):
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
    for i, rule in enumerate(rules.get("prohibited", [])):
        for key in ("id", "rule", "legal_basis"):
            if not rule.get(key):
                raise ConfigError(f"{path}: prohibited[{i}] has no {key!r}",
                                  "each prohibited rule needs id, rule, legal_basis and flags")
        if not isinstance(rule.get("flags"), list) or not rule["flags"]:
            raise ConfigError(f"{path}: prohibited[{i}] ({rule['id']}) has no flags",
                              "name the label values or codebook codes that make a lead, "
                              "e.g. flags = [\"money_or_goods\"]")
    rules["path"] = str(path)
    return rules


def rule_flags(rules: dict[str, Any]) -> dict[str, list[str]]:
    """Every flag a rules file reads, by the rule that reads it (prohibited rules and the
    public-comments check)."""
    out = {str(r["id"]): list(r.get("flags", [])) for r in rules.get("prohibited", [])}
    public = rules.get("public_comments", {})
    if public.get("flags"):
        out["public_comments"] = list(public["flags"])
    return out


def producible_flags(project: Any = None) -> set[str]:
    """The flags something writes: the label schemes and values of every enrich task, the SARA
    targets of the toxicity model, and the codes of every codebook variable (which the keyword
    coders write and coders may set in the web app)."""
    from .models import registry
    from .models.codebook import load as load_codebook
    from .models.toxicity import SARA_TARGETS

    found: set[str] = set(SARA_TARGETS)
    for spec in registry.TASKS.values():
        found.update(spec.schemes)
        found.update(spec.labels or ())
    book = load_codebook(project)
    for name, variable in book.variables.items():
        found.add(name)
        found.update(variable.codes)
    return found - {"none"}


def unproducible_flags(rules: dict[str, Any], project: Any = None) -> dict[str, list[str]]:
    """Flags a rules file names that nothing writes, by rule: such a rule could never fire."""
    known = producible_flags(project)
    out = {}
    for rule, flags in rule_flags(rules).items():
        missing = [f for f in flags if f not in known]
        if missing:
            out[rule] = missing
    return out
