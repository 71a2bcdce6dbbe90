"""Finding a project (pantau.toml beside pantau.duckdb), loading and validating its config.

Validation reports the first problem with the key it is under and a hint; an unknown key is an
error, not ignored, because a typo in a rule-like setting would otherwise pass silently.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .records import ROLES, Platform, Role
from .store.protocol import Connection

CONFIG_NAME = "pantau.toml"
STORE_NAME = "pantau.duckdb"
DEFAULT_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Election(_Strict):
    name: str
    rules: str = "pilkada-2024"
    timezone: str = "Asia/Jakarta"
    region: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta)") from None
        return value


class Candidate(_Strict):
    id: str
    ballot_number: int | None = None
    name: str
    running_mate: str | None = None
    parties: list[str] = Field(default_factory=list)
    color: str | None = None


class AccountConfig(_Strict):
    candidate: str | None = None
    platform: Platform
    handle: str | None = None
    id: str | None = None
    role: Role = "official"
    registered: bool = False

    @model_validator(mode="after")
    def _handle_or_id(self) -> AccountConfig:
        if not self.handle and not self.id:
            raise ValueError("an account needs a handle or an id")
        return self

    @property
    def handle_key(self) -> str | None:
        return normalise_handle(self.handle)


When = date | datetime  # a day, or an exact time


class Event(_Strict):
    name: str
    date: When
    end: When | None = None
    kind: str = "event"


class ImportsConfig(_Strict):
    # Column mappings for hand-made spreadsheets; the spreadsheet format validates each entry.
    mapping: list[dict[str, Any]] = Field(default_factory=list)


class PrivacyConfig(_Strict):
    pseudonymise_commenters: bool = True


class ValidationConfig(_Strict):
    # A label whose measured precision is below this carries no finding in the Summary.
    min_precision: float = Field(0.70, ge=0, le=1)
    # Default width of the 95% interval `pantau validate` sizes its samples for.
    ci_width: float = Field(0.20, gt=0, lt=1)


class ProjectConfig(_Strict):
    election: Election
    candidates: list[Candidate] = Field(default_factory=list)
    accounts: list[AccountConfig] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    imports: ImportsConfig = Field(default_factory=ImportsConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    codebook: str | None = None  # path to a project codebook TOML overriding the shipped one
    # pydantic's stubs do not see that a model with defaults takes no argument
    validation: ValidationConfig = Field(default_factory=ValidationConfig)  # type: ignore[arg-type]

    @model_validator(mode="after")
    def _consistent(self) -> ProjectConfig:
        ids = [c.id for c in self.candidates]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"candidate id {sorted(dupes)[0]!r} is used twice")
        seen: set[tuple[str, str]] = set()
        for account in self.accounts:
            if account.candidate is not None and account.candidate not in ids:
                raise ValueError(
                    f"account {account.handle or account.id!r} names candidate "
                    f"{account.candidate!r}, which is not in [[candidates]] (known: {ids})"
                )
            for key in ((account.platform, "h:" + (account.handle_key or "")),
                        (account.platform, "i:" + (account.id or ""))):
                if key[1] in ("h:", "i:"):
                    continue
                if key in seen:
                    raise ValueError(
                        f"account {account.handle or account.id!r} on {account.platform} "
                        "is listed twice"
                    )
                seen.add(key)
        return self


def normalise_handle(handle: str | None) -> str | None:
    if handle is None:
        return None
    return handle.strip().lstrip("@").lower() or None


def _format_validation_error(exc: ValidationError, path: Path) -> ConfigError:
    # A misspelt key also shows up as a missing one; the misspelling is the useful report.
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return ConfigError(
            f"{path}: unknown key {loc!r}",
            "check its spelling; `pantau init` writes a commented example of every key",
        )
    if err["type"] == "missing":
        return ConfigError(f"{path}: missing key {loc!r}", "add it; see the commented example")
    message = err["msg"].removeprefix("Value error, ")
    return ConfigError(f"{path}: {loc}: {message}", "correct the value in pantau.toml")


def load_config(path: Path) -> ProjectConfig:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist", "run `pantau init DIR`") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", "fix the syntax at that line") from None
    try:
        return ProjectConfig.model_validate(raw)
    except ValidationError as exc:
        raise _format_validation_error(exc, path) from None


class Project:
    """A folder holding pantau.toml and pantau.duckdb."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.config_path = self.root / CONFIG_NAME
        self.store_path = self.root / STORE_NAME

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The given folder, or the nearest folder upward holding pantau.toml."""
        if start is not None:
            root = Path(start)
            if not (root / CONFIG_NAME).exists():
                raise ConfigError(
                    f"no {CONFIG_NAME} in {root}", f"run `pantau init {root}` to create a project"
                )
            return cls(root)
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).exists():
                return cls(folder)
        raise ConfigError(
            f"no {CONFIG_NAME} in {here} or any folder above it",
            "run `pantau init DIR` or pass --project DIR",
        )

    @cached_property
    def config(self) -> ProjectConfig:
        return load_config(self.config_path)

    @cached_property
    def rules(self) -> dict[str, Any]:
        from .rules_data import load_rules

        return load_rules(self.config.election.rules, base=self.root)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.election.timezone)

    def connect(self, *, read_only: bool = False, snapshot_ok: bool = False):
        """The store. `snapshot_ok` is for commands that only read it (status, query, report,
        export, analyze): when another process (pantau serve) holds the store, they get a
        private snapshot copy instead of an error (pantau.sharing); writes to it are lost."""
        from . import store

        try:
            con = store.connect(self.store_path, read_only=read_only)
        except store.StoreBusy as busy:
            if not snapshot_ok:
                raise
            from .sharing import open_snapshot

            con = open_snapshot(self.store_path, busy.detail)
            read_only = False  # the copy is this command's own
        if not read_only:
            sync_config(con, self.config)
        return con

    def candidate_colors(self) -> dict[str, str]:
        return {
            c.id: c.color or DEFAULT_COLORS[i % len(DEFAULT_COLORS)]
            for i, c in enumerate(self.config.candidates)
        }


def sync_config(con: Connection, config: ProjectConfig) -> None:
    """Write candidates and events from pantau.toml into the store and relink accounts.

    The config is the source of truth for who is a candidate's account, so this runs on every
    writable open: correcting pantau.toml corrects every analysis.
    """
    from .store import transaction

    colors = {
        c.id: c.color or DEFAULT_COLORS[i % len(DEFAULT_COLORS)]
        for i, c in enumerate(config.candidates)
    }
    with transaction(con):
        _sync(con, config, colors)


def _sync(con: Connection, config: ProjectConfig, colors: dict[str, str]) -> None:
    con.execute("DELETE FROM candidates")
    for c in config.candidates:
        con.execute(
            "INSERT INTO candidates VALUES (?, ?, ?, ?, ?, ?, ?)",
            [c.id, config.election.name, c.ballot_number, c.name, c.running_mate,
             c.parties, colors[c.id]],
        )
    con.execute("DELETE FROM events")
    for i, e in enumerate(config.events):
        start = e.date if isinstance(e.date, datetime) \
            else datetime.combine(e.date, datetime.min.time())
        end = e.end or e.date
        end = end if isinstance(end, datetime) else datetime.combine(end, datetime.max.time())
        con.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                    [f"event-{i + 1}", e.name, start, end, e.kind])
    con.execute("UPDATE accounts SET candidate_id = NULL, role = NULL, registered = NULL")
    for a in config.accounts:
        con.execute(
            """UPDATE accounts SET candidate_id = ?, role = ?, registered = ?
               WHERE platform = ? AND (account_id = ? OR lower(handle) = ?)""",
            [a.candidate, a.role, a.registered, a.platform, a.id or "\x00", a.handle_key or "\x00"],
        )


def shipped_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def valid_roles() -> tuple[str, ...]:
    return ROLES
