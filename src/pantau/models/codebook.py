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
    # cues that say more (strong) or less (weak) than an ordinary keyword (models/function.py)
    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()


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
    # [variables.NAME.evidence]: how the weighted-evidence coders (models/function.py) count
    # cues by part of the post, and words that are never evidence for this variable
    evidence: dict[str, Any] = field(default_factory=dict)

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
            lists = {}
            for key in ("keywords", "strong", "weak"):
                words = rv.get(key, [])
                if not isinstance(words, list):
                    raise ConfigError(f"{where} value {code}: {key} must be a list of words",
                                      f'write {key} = ["...", "..."]')
                lists[key] = tuple(str(w) for w in words)
            try:
                weight = float(rv.get("weight", 1.0))
            except (TypeError, ValueError):
                raise ConfigError(f"{where} value {code}: weight must be a number",
                                  "e.g. weight = 1.5") from None
            values.append(Value(code, _text(rv, "label_id", code), _text(rv, "label_en", code),
                                _text(rv, "description_id"), _text(rv, "description_en"),
                                lists["keywords"], patterns, weight, lists["strong"],
                                lists["weak"]))
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
        evidence = raw.get("evidence", {})
        if not isinstance(evidence, dict):
            raise ConfigError(f"{where}.evidence must be a table",
                              f"write [variables.{name}.evidence] with key = value lines")
        variables[name] = Variable(
            name, target, bool(raw.get("multiple", False)), _text(raw, "label_id", name),
            _text(raw, "label_en", name), tuple(values), default,
            _text(raw, "description_id"), _text(raw, "description_en"),
            digest.hexdigest()[:8], dict(evidence))
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
STRONG, WEAK = 2.0, 0.5  # a strong cue counts as two keywords, a weak one as half
_SPACES = re.compile(r"(\s+)")
_MAX_CHUNKS = 500_000


class KeywordMatcher:
    """Which of many keywords occur in a text, fast: whole words and phrases by set lookup
    (word n-grams), wildcard keywords ("bangun*", "*bangun*") by regular expression."""

    def __init__(self, keywords: Sequence[str]) -> None:
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        # (regex, keyword, a piece of it that must occur literally: a cheap test first)
        self._regexes: list[tuple[re.Pattern, str, str]] = []
        for kw in keywords:
            if not kw.strip("* "):
                continue
            if "*" in kw:
                core = kw.strip().lower().strip("*")
                literal = max(re.split(r"[\s\-]+", core), key=len)
                self._regexes.append((re.compile(_keyword_regex(kw)), kw, literal))
                continue
            key = tuple(_TOKENS.findall(kw.strip().lower()))
            if key:
                self._phrases.setdefault(key, []).append(kw)
        self._max = max((len(k) for k in self._phrases), default=1)
        self._first = {k[0] for k in self._phrases}
        # word sequences that begin some longer phrase: a search stops extending at the
        # first one that does not (most common first words start no phrase of two)
        self._prefixes = {k[:n] for k in self._phrases for n in range(1, len(k))}

    def find(self, prepared: str, tokens: list[str] | None = None) -> set[str]:
        """The keywords found in a text already lower-cased (see _prepare); `tokens`: its
        tokens (_TOKENS.findall(prepared)) when already known."""
        toks = _TOKENS.findall(prepared) if tokens is None else tokens
        found: set[str] = set()
        phrases, first, prefixes, size = self._phrases, self._first, self._prefixes, len(toks)
        for i, tok in enumerate(toks):
            if tok in first:  # only a phrase's first word can start it
                key: tuple[str, ...] = (tok,)
                n = i + 1
                while True:
                    kws = phrases.get(key)
                    if kws:
                        found.update(kws)
                    if n >= size or key not in prefixes:
                        break
                    key += (toks[n],)
                    n += 1
        for rx, kw, literal in self._regexes:
            if literal in prepared and rx.search(prepared):
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
            for words, factor in ((value.strong, STRONG), (value.keywords, 1.0),
                                  (value.weak, WEAK)):
                for kw in words:
                    if kw.strip("* "):
                        self._keywords.append((value.code, kw, value.weight * factor))
            for p in value.patterns:
                self._rules.append((value.code, re.compile(p, re.IGNORECASE), value.weight,
                                    f"/{p}/"))
        self._matcher = KeywordMatcher([kw for _, kw, _ in self._keywords])
        self._order = {c: k for k, c in enumerate(variable.codes)}
        self._keyword_at: dict[str, list[int]] = {}  # keyword -> its places in _keywords
        for k, (_, kw, _) in enumerate(self._keywords):
            self._keyword_at.setdefault(kw, []).append(k)
        try:
            from ..text.normalize import normalize as _normalize  # NLP-1's normaliser
        except Exception:  # noqa: BLE001 - optional: plain lower-casing without it
            _normalize = None
        self._normalize = _normalize
        self._shipped_normalize = _normalize
        # whitespace-separated chunk -> its prepared forms and tokens (see _variants)
        self._chunks: dict[str, tuple[str, list[str], str, list[str]]] = {}

    def _variants(self, text: str) -> list[tuple[str, list[str]]]:
        """_texts() with each variant's tokens, built chunk by chunk from a cache. Exact:
        neither the normaliser's tokens, _prepare nor _TOKENS ever span whitespace, so a text's
        result is its whitespace-separated chunks' results joined; comments repeat their
        words, so most chunks are cached."""
        if self._normalize is not self._shipped_normalize or self._normalize is None:
            return [(t, _TOKENS.findall(t)) for t in self._texts(text)]
        parts = _SPACES.split(text.lower())  # chunks at even places, whitespace between
        chunks = self._chunks
        hits = []
        for part in parts[::2]:
            hit = chunks.get(part)
            if hit is None:
                hit = self._chunk(part)
                if hit is None:  # the normaliser failed: the raw text still counts
                    return [(t, _TOKENS.findall(t)) for t in self._texts(text)]
            hits.append(hit)
        parts[::2] = [h[0] for h in hits]  # the whitespace between stays as it was
        first = "".join(parts)
        out = [(first, [t for h in hits for t in h[1]])]
        parts[::2] = [h[2] for h in hits]
        norm = "".join(parts)
        if norm and norm != first:
            out.append((norm, [t for h in hits for t in h[3]]))
        return out

    def _chunk(self, chunk: str) -> tuple[str, list[str], str, list[str]] | None:
        from ..text.normalize import default

        try:
            norm = default().text(chunk)
        except Exception:  # noqa: BLE001
            return None
        prepared, normalised = _prepare(chunk), _prepare(norm)
        hit = (prepared, _TOKENS.findall(prepared), normalised, _TOKENS.findall(normalised))
        if len(self._chunks) > _MAX_CHUNKS:
            self._chunks.clear()
        self._chunks[chunk] = hit
        return hit

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
            pairs = self._variants(text)
            variants = [t for t, _ in pairs]
            found: set[str] = set()
            for t, toks in pairs:
                found |= self._matcher.find(t, toks)
            # in codebook order, visiting only the keywords found (few of hundreds)
            for k in sorted(k for kw in found for k in self._keyword_at[kw]):
                code, kw, weight = self._keywords[k]
                totals[code] = totals.get(code, 0.0) + weight
                evidence.append(f"{code}: {kw}")
            for code, rx, weight, shown in self._rules:
                if any(rx.search(t) for t in variants):
                    totals[code] = totals.get(code, 0.0) + weight
                    evidence.append(f"{code}: {shown}")
        order = self._order
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


def load_flags(project: Any = None) -> KeywordCoder:
    """Review-flag coder (post_flags: money_or_goods, asn_tni_polri, children, ...): label =
    the strongest flag or "none"; targets = every flag found, one label row each. The
    compliance rules (rules/*.toml) read these codes."""
    return load_variable("post_flags", project)
