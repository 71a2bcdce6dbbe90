"""The post codebook (functions P1–P9, issue topics, review flags) and its keyword coders.

The codebook is one editable TOML file: the shipped `pantau/codebook.toml`, or the project's
own copy named in pantau.toml (`codebook = "path"`, relative to the project folder). Each
variable has values with Indonesian and English labels and the keywords/patterns that suggest
them; the web app's manual coding reads the same file. A variable's name is the label scheme its
codes are stored under (post_function, topic, post_flags, ... and any a user adds).

`load(project)` reads the codebook; `load_function(project)` and `load_topic(project)` return
classifiers (the Classifier contract in base.py): the function coder picks one code (the
codebook's `default` when nothing matches, with a low score); the topic coder returns the main
topic as label ("none" when nothing matches) and every topic found as targets. Evidence names
the keywords that fired. A classifier's VERSION carries a hash of its variable's definition, so
editing the codebook makes enrich relabel.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .base import Prediction

SHIPPED = Path(__file__).resolve().parents[1] / "codebook.toml"
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")


@dataclass(frozen=True)
class Value:
    code: str
    label_id: str
    label_en: str
    description_id: str = ""
    description_en: str = ""
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass(frozen=True)
class Variable:
    name: str
    target: str
    multiple: bool
    label_id: str
    label_en: str
    values: tuple[Value, ...]
    default: str | None = None
    description_id: str = ""
    description_en: str = ""
    digest: str = ""

    @property
    def codes(self) -> list[str]:
        return [v.code for v in self.values]


@dataclass(frozen=True)
class Codebook:
    path: Path
    variables: dict[str, Variable] = field(default_factory=dict)

    def get(self, name: str) -> Variable:
        if name not in self.variables:
            raise ConfigError(f"{self.path}: no variable {name!r} in the codebook",
                              f"known: {', '.join(self.variables)}")
        return self.variables[name]


def _project_root_and_config(project: Any) -> tuple[Path | None, str | None]:
    if project is None:
        return None, None
    if isinstance(project, str | Path):
        root, config = Path(project), None
    else:  # a Project
        root, config = Path(project.root), project.config
    if config is None:
        from ..project import CONFIG_NAME, load_config

        if not (root / CONFIG_NAME).is_file():
            return root, None
        config = load_config(root / CONFIG_NAME)
    return root, config.codebook


def codebook_path(project: Any = None) -> Path:
    """The codebook file in force: the project's `codebook = "path"` if set, else the shipped."""
    root, configured = _project_root_and_config(project)
    if configured:
        path = Path(configured)
        if not path.is_absolute() and root is not None:
            path = root / path
        if not path.is_file():
            raise ConfigError(f"codebook {path} does not exist",
                              "correct `codebook` in pantau.toml, or remove it to use the "
                              "shipped codebook")
        return path
    return SHIPPED


def load(project: Any = None) -> Codebook:
    """Read and validate the codebook (the project's override when configured)."""
    path = codebook_path(project)
    return _load_file(path.resolve(), path.stat().st_mtime_ns)


_FILES: dict[tuple[Path, int], Codebook] = {}


def _load_file(path: Path, mtime: int) -> Codebook:
    key = (path, mtime)
    if key not in _FILES:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}", "fix the syntax at that line") \
                from None
        _FILES[key] = parse(data, path)
    return _FILES[key]


def _text(raw: dict, key: str, fallback: str = "") -> str:
    value = raw.get(key, fallback)
    return "" if value is None else str(value)


def parse(data: dict[str, Any], path: Path) -> Codebook:
    raw_vars = data.get("variables", {})
    if isinstance(raw_vars, list):  # [[variables]] with name = "..."
        raw_vars = {str(v.get("name", "")): v for v in raw_vars}
    if not isinstance(raw_vars, dict) or not raw_vars:
        raise ConfigError(f"{path}: no [variables.NAME] tables",
                          "see the shipped codebook.toml for the layout")
    variables: dict[str, Variable] = {}
    for name, raw in raw_vars.items():
        where = f"{path}: variables.{name}"
        if not name or not isinstance(raw, dict):
            raise ConfigError(f"{where}: a variable needs a name and a table of settings",
                              "see the shipped codebook.toml")
        target = raw.get("target", "post")
        if target not in ("post", "comment"):
            raise ConfigError(f"{where}: target must be post or comment, not {target!r}",
                              "correct the target")
        values = []
        for k, rv in enumerate(raw.get("values", [])):
            code = str(rv.get("code", "")).strip() if isinstance(rv, dict) else ""
            if not code:
                raise ConfigError(f"{where}.values[{k}]: a value needs a code",
                                  "add code = \"...\"")
            patterns = tuple(rv.get("patterns", []))
            for p in patterns:
                try:
                    re.compile(p)
                except re.error as exc:
                    raise ConfigError(f"{where} value {code}: bad pattern {p!r}: {exc}",
                                      "fix the regular expression") from None
            values.append(Value(code, _text(rv, "label_id", code), _text(rv, "label_en", code),
                                _text(rv, "description_id"), _text(rv, "description_en"),
                                tuple(str(w) for w in rv.get("keywords", [])), patterns,
                                float(rv.get("weight", 1.0))))
        if not values:
            raise ConfigError(f"{where}: no values", "add [[variables.NAME.values]] tables")
        codes = [v.code for v in values]
        if len(set(codes)) != len(codes):
            raise ConfigError(f"{where}: a code is used twice", "make the codes unique")
        default = raw.get("default")
        if default is not None and default not in codes:
            raise ConfigError(f"{where}: default {default!r} is not one of its codes {codes}",
                              "correct default")
        digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode())
        variables[name] = Variable(
            name, target, bool(raw.get("multiple", False)), _text(raw, "label_id", name),
            _text(raw, "label_en", name), tuple(values), default,
            _text(raw, "description_id"), _text(raw, "description_en"),
            digest.hexdigest()[:8])
    return Codebook(path, variables)


def _keyword_regex(keyword: str) -> str:
    kw = keyword.strip().lower()
    head = r"\w*" if kw.startswith("*") else r"(?<!\w)"
    tail = r"\w*" if kw.endswith("*") else r"(?!\w)"
    core = kw.strip("*")
    core = r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", core))
    return head + core + tail


def _prepare(text: str) -> str:
    return _STRETCH.sub(r"\1\1", text.lower())


_TOKENS = re.compile(r"[^\W_]+|[^\w\s]")


class KeywordMatcher:
    """Which of many keywords occur in a text, fast: whole words and phrases by set lookup
    (word n-grams), wildcard keywords ("bangun*", "*bangun*") by regular expression."""

    def __init__(self, keywords: Sequence[str]) -> None:
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        self._regexes: list[tuple[re.Pattern, str]] = []
        for kw in keywords:
            if not kw.strip("* "):
                continue
            if "*" in kw:
                self._regexes.append((re.compile(_keyword_regex(kw)), kw))
                continue
            key = tuple(_TOKENS.findall(kw.strip().lower()))
            if key:
                self._phrases.setdefault(key, []).append(kw)
        self._max = max((len(k) for k in self._phrases), default=1)

    def find(self, prepared: str) -> set[str]:
        """The keywords found in a text already lower-cased (see _prepare)."""
        toks = _TOKENS.findall(prepared)
        found: set[str] = set()
        for n in range(1, self._max + 1):
            for i in range(len(toks) - n + 1):
                kws = self._phrases.get(tuple(toks[i:i + n]))
                if kws:
                    found.update(kws)
        for rx, kw in self._regexes:
            if rx.search(prepared):
                found.add(kw)
        return found


class KeywordCoder:
    """Codes one codebook variable from its keywords and patterns."""

    def __init__(self, variable: Variable, name: str | None = None) -> None:
        self.variable = variable
        self.NAME = name or variable.name
        self.VERSION = f"1.{variable.digest}"
        self.LABELS = tuple(variable.codes) + (() if not variable.multiple else ("none",))
        self._rules: list[tuple[str, re.Pattern, float, str]] = []
        self._keywords: list[tuple[str, str, float]] = []  # (code, keyword, weight) in order
        for value in variable.values:
            for kw in value.keywords:
                if kw.strip("* "):
                    self._keywords.append((value.code, kw, value.weight))
            for p in value.patterns:
                self._rules.append((value.code, re.compile(p, re.IGNORECASE), value.weight,
                                    f"/{p}/"))
        self._matcher = KeywordMatcher([kw for _, kw, _ in self._keywords])
        try:
            from ..text.normalize import normalize as _normalize  # NLP-1's normaliser
        except Exception:  # noqa: BLE001 - optional: plain lower-casing without it
            _normalize = None
        self._normalize = _normalize

    def _texts(self, text: str) -> list[str]:
        out = [_prepare(text)]
        if self._normalize is not None:
            try:
                norm = self._normalize(text)
            except Exception:  # noqa: BLE001 - the raw text still counts
                norm = None
            if isinstance(norm, str) and norm and _prepare(norm) != out[0]:
                out.append(_prepare(norm))
        return out

    def predict_one(self, text: str | None) -> Prediction:
        totals: dict[str, float] = {}
        evidence: list[str] = []
        if text and text.strip():
            variants = self._texts(text)
            found: set[str] = set()
            for t in variants:
                found |= self._matcher.find(t)
            for code, kw, weight in self._keywords:
                if kw in found:
                    totals[code] = totals.get(code, 0.0) + weight
                    evidence.append(f"{code}: {kw}")
            for code, rx, weight, shown in self._rules:
                if any(rx.search(t) for t in variants):
                    totals[code] = totals.get(code, 0.0) + weight
                    evidence.append(f"{code}: {shown}")
        order = {c: k for k, c in enumerate(self.variable.codes)}
        ranked = sorted(totals, key=lambda c: (-totals[c], order[c]))
        total = sum(totals.values())
        scores = {c: round(totals[c] / total, 4) for c in ranked}
        if self.variable.multiple:
            label = ranked[0] if ranked else "none"
            return Prediction(label, scores, evidence, ranked)
        if ranked:
            return Prediction(ranked[0], scores, evidence)
        default = self.variable.default or self.variable.codes[0]
        return Prediction(default, {default: 0.0}, ["default: no keyword matched"])

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        return [self.predict_one(t) for t in texts]


def load_variable(name: str, project: Any = None) -> KeywordCoder:
    return KeywordCoder(load(project).get(name))


def load_function(project: Any = None) -> KeywordCoder:
    """Post function coder (one code P1–P9 in the default codebook)."""
    return load_variable("post_function", project)


def load_topic(project: Any = None) -> KeywordCoder:
    """Issue topic coder: label = main topic or "none"; targets = every topic found."""
    return load_variable("topic", project)
