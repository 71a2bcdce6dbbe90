"""Settings of the coordination detection: defaults.toml, a project's coordination.toml beside
pantau.toml, then command-line overrides. Rules are data: every value is in the TOML."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ...errors import PantauError

DEFAULTS = Path(__file__).with_name("defaults.toml")
PROJECT_FILE = "coordination.toml"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_duration(value: Any, where: str) -> float:
    """Seconds from "90s", "10m", "1h", "2d" or a number."""
    if isinstance(value, bool):
        raise PantauError(f"{where}: {value!r} is not a duration", 'write e.g. "10m" or "1h"')
    if isinstance(value, int | float):
        if value <= 0:
            raise PantauError(f"{where}: a duration must be positive", 'write e.g. "10m"')
        return float(value)
    match = _DURATION.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise PantauError(f"{where}: {value!r} is not a duration",
                          'write a positive number with s, m, h or d, e.g. "10m" or "1h"')
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass(frozen=True)
class Settings:
    co_comment_window: float = 600.0
    co_comment_min_occasions: int = 3
    # copy-paste: the comment category's definition (models/lexicons/category.toml
    # [duplicates] and [coordination], or the project's lexicons/category.toml), see
    # with_copy_definition; copy_window is its window_minutes unless set here
    copy_window: float = 1800.0
    similarity: float = 0.8
    min_words: int = 4
    copy_min_accounts: int = 3
    copy_min_share: float = 0.5
    share_window: float | None = None  # None: estimated from the data (CooRnet)
    share_quantile: float = 0.1
    share_share: float = 0.5
    share_min_window: float = 60.0
    share_max_window: float = 3600.0
    hashtags: bool = True
    sounds: bool = True
    burst_bin: float = 3600.0
    burst_min_actions: int = 3
    burst_factor: float = 5.0
    min_occasions: int = 2
    fdr: float = 0.05
    null_replicates: int = 3
    seed: int = 20241127
    max_neighbours: int = 50
    min_community: int = 3
    window_scale: float = 1.0
    sources: dict[str, str] = field(default_factory=dict)  # setting -> file it came from

    def scaled(self, factor: float) -> Settings:
        """Every window times `factor` (the robustness check: +-25%)."""
        return replace(self, window_scale=self.window_scale * factor)

    @property
    def windows(self) -> dict[str, float | None]:
        s = self.window_scale
        return {
            "co_comment": self.co_comment_window * s,
            "copy_paste": self.copy_window * s,
            "co_share": None if self.share_window is None else self.share_window * s,
            "sync_burst": self.burst_bin * s,
        }


_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("co_comment", "window"): ("co_comment_window", "duration"),
    ("co_comment", "min_occasions"): ("co_comment_min_occasions", "count"),
    ("copy_paste", "window"): ("copy_window", "duration"),
    ("co_share", "window"): ("share_window", "auto_duration"),
    ("co_share", "quantile"): ("share_quantile", "fraction"),
    ("co_share", "share"): ("share_share", "fraction"),
    ("co_share", "min_window"): ("share_min_window", "duration"),
    ("co_share", "max_window"): ("share_max_window", "duration"),
    ("co_share", "hashtags"): ("hashtags", "bool"),
    ("co_share", "sounds"): ("sounds", "bool"),
    ("sync_burst", "bin"): ("burst_bin", "duration"),
    ("sync_burst", "min_actions"): ("burst_min_actions", "count"),
    ("sync_burst", "factor"): ("burst_factor", "positive"),
    ("network", "min_occasions"): ("min_occasions", "count"),
    ("network", "fdr"): ("fdr", "fraction"),
    ("network", "null_replicates"): ("null_replicates", "count"),
    ("network", "seed"): ("seed", "int"),
    ("network", "max_neighbours"): ("max_neighbours", "count"),
    ("network", "min_community"): ("min_community", "count"),
}


def _value(kind: str, raw: Any, where: str) -> Any:
    hint = "see src/pantau/analysis/coordination/defaults.toml for the accepted values"
    if kind == "duration":
        return parse_duration(raw, where)
    if kind == "auto_duration":
        return None if str(raw).strip().lower() == "auto" else parse_duration(raw, where)
    if kind == "bool":
        if not isinstance(raw, bool):
            raise PantauError(f"{where}: expected true or false, got {raw!r}", hint)
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise PantauError(f"{where}: expected a number, got {raw!r}", hint)
    if kind == "fraction" and not 0 < raw <= 1:
        raise PantauError(f"{where}: expected a number above 0 and at most 1, got {raw!r}", hint)
    if kind in ("count", "int"):
        if raw != int(raw) or (kind == "count" and raw < 1):
            raise PantauError(f"{where}: expected a whole number >= 1, got {raw!r}", hint)
        return int(raw)
    if kind == "positive" and raw <= 0:
        raise PantauError(f"{where}: expected a positive number, got {raw!r}", hint)
    return float(raw)


def _apply(settings: Settings, path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PantauError(f"{path}: {exc}", "fix the TOML syntax") from None
    except OSError as exc:
        raise PantauError(f"cannot read {path}: {exc.strerror}", "check the file") from None
    changes: dict[str, Any] = {}
    sources = dict(settings.sources)
    for section, values in data.items():
        if not isinstance(values, dict):
            raise PantauError(f"{path}: {section!r} must be a [section]",
                              "sections: co_comment, copy_paste, co_share, sync_burst, network")
        for key, raw in values.items():
            target = _KEYS.get((section, key))
            if target is None:
                known = ", ".join(k for s, k in _KEYS if s == section) or "none (unknown section)"
                raise PantauError(f"{path}: unknown key [{section}] {key}",
                                  f"known keys of [{section}]: {known}")
            name, kind = target
            changes[name] = _value(kind, raw, f"{path.name} [{section}] {key}")
            sources[name] = path.name
    return replace(settings, **changes, sources=sources)


def load_settings(project_root: Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then `coordination.toml` in the project folder, then keyword overrides
    (None values are ignored)."""
    settings = _apply(Settings(), DEFAULTS)
    settings = replace(settings, sources={k: "defaults" for k in settings.sources})
    if project_root is not None and (project_root / PROJECT_FILE).is_file():
        settings = _apply(settings, project_root / PROJECT_FILE)
    given = {k: v for k, v in overrides.items() if v is not None}
    if given:
        sources = dict(settings.sources)
        sources.update({k: "command line" for k in given})
        settings = replace(settings, **given, sources=sources)
    return settings


def with_copy_definition(settings: Settings, project: Any = None) -> Settings:
    """Copy-paste settings from the comment category's lexicon, so that a copy the
    coordination analysis counts is exactly a comment the category calls salinan
    (pantau.text.duplicates.coordinated_copies). A copy window set in coordination.toml or on
    the command line wins (the two then differ: say so when reporting)."""
    from ...models import lexicons
    from ...text.duplicates import CoordinationSettings

    lexicon = lexicons.load("category", project)
    try:
        coord = CoordinationSettings.from_table(lexicon.data.get("coordination"),
                                                f"{lexicon.path}: [coordination]")
    except ValueError as exc:
        raise PantauError(str(exc), "fix the [coordination] table of the category lexicon") \
            from None
    dup = lexicon.data.get("duplicates", {})
    changes: dict[str, Any] = {
        "similarity": float(dup.get("similarity", settings.similarity)),
        "min_words": int(dup.get("min_words", settings.min_words)),
        "copy_min_accounts": coord.min_accounts, "copy_min_share": coord.min_share}
    sources = dict(settings.sources)
    for key in ("similarity", "min_words", "copy_min_accounts", "copy_min_share"):
        sources[key] = "category lexicon"
    if sources.get("copy_window", "defaults") == "defaults":
        changes["copy_window"] = coord.window_minutes * 60.0
        sources["copy_window"] = "category lexicon"
    return replace(settings, **changes, sources=sources)
