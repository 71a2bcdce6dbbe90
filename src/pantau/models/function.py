"""Post function (P1–P9) and topics from weighted evidence: caption, hashtags and media text.

No single keyword or hashtag decides. A post is split into its parts: the caption (hashtags,
mentions and links taken out), its hashtags (split into words: #BekasiBebasBanjir -> "bekasi
bebas banjir"; glued lower-case tags are searched for the longer cues) and, when known, the
text on the image or video (`media_text`, e.g. from OCR). Every cue of the codebook found in a
part adds its weight times the part's weight (`[variables.NAME.evidence]` in codebook.toml:
hashtags count less than the caption, because campaign hashtags such as #Coblos2 close almost
every post). A value's cues are added with diminishing returns (the k-th strongest counts
decay**k), each capped at `max_cue`, so three programme words outweigh one "coblos". Cues are
`strong` (x2), `keywords` (x1) and `weak` (x0.5) lists per value, times the value's `weight`.

A small learned model (models/data/post_function.json: word and word-pair weights of a
logistic regression trained on posts written for training, never on data/eval) adds
`model` x its probability for each function, and its strongest words are listed as evidence;
set `model = 0` in the codebook's evidence table to use the keyword evidence alone.

Evidence names every cue that counted and the part it came from ("P1: program unggulan
[caption]", "P4: coblos [hashtag]", "model: P1 0.71 (misi, unggulan)"), so a coder can check
and correct. Words listed in `not_evidence` (election mechanics for topics: TPS, coblos, nomor
urut) may not be cues of the variable; the codebook is refused with a message naming them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .base import Prediction
from .codebook import _TOKENS, KeywordCoder, Variable, _prepare
from .codebook import load as load_codebook

_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@[\w.]+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^\W\d_]+")
MODEL_FILE = Path(__file__).resolve().parent / "data" / "post_function.json"

DEFAULTS = {"caption": 1.0, "hashtags": 0.35, "media_text": 0.8, "decay": 0.6,
            "max_cue": 2.0, "min_score": 0.5, "model": 0.0}


def split_post(text: str | None) -> tuple[str, list[str]]:
    """(caption without hashtags, mentions and links; the hashtags without '#')."""
    if not text:
        return "", []
    # most comments hold no hashtag, mention or link: no regular expression for them
    if "#" not in text and "@" not in text and "http" not in text and "www." not in text:
        return text, []
    tags = _HASHTAG.findall(text) if "#" in text else []
    caption = _HASHTAG.sub(" ", _MENTION.sub(" ", _URL.sub(" ", text)))
    return caption, tags


def hashtag_words(tag: str) -> str:
    """#BekasiBebasBanjir -> "bekasi bebas banjir", #Coblos2 -> "coblos 2"."""
    return " ".join(w.lower() for w in _CAMEL.findall(tag))


class EvidenceCoder:
    """Weighted-evidence coder for one codebook variable (the Classifier contract:
    predict(texts) -> Predictions; predict(texts, media_texts=[...]) uses the media text)."""

    def __init__(self, variable: Variable, model: LearnedWeights | None = None,
                 name: str | None = None) -> None:
        self.variable = variable
        self.NAME = name or variable.name
        self.multiple = variable.multiple
        self.LABELS = tuple(variable.codes) + (("none",) if variable.multiple else ())
        settings = {**DEFAULTS, **{k: v for k, v in variable.evidence.items()
                                   if k != "not_evidence"}}
        unknown = set(settings) - set(DEFAULTS)
        if unknown:
            raise ConfigError(f"variables.{variable.name}.evidence: unknown key "
                              f"{sorted(unknown)[0]!r}", f"known: {', '.join(DEFAULTS)}, "
                              "not_evidence")
        try:
            self.settings = {k: float(v) for k, v in settings.items()}
        except (TypeError, ValueError):
            raise ConfigError(f"variables.{variable.name}.evidence: every setting must be a "
                              "number", f"defaults: {DEFAULTS}") from None
        self._check_not_evidence(variable)
        self._coder = KeywordCoder(variable, self.NAME)
        self._order = {c: k for k, c in enumerate(variable.codes)}
        self._powers = [self.settings["decay"] ** k for k in range(32)]
        # glued lower-case hashtags (#bekasibebasbanjir): the longer cues searched inside them
        self._glued: list[tuple[str, int]] = []
        for k, (_, kw, _) in enumerate(self._coder._keywords):
            core = kw.strip("* ").lower()
            joined = re.sub(r"[\s\-]+", "", core)
            if len(joined) >= 5 and joined.isalnum():
                self._glued.append((joined, k))
        self.model = model if self.settings["model"] > 0 else None
        version = variable.digest + (f".{model.digest}" if self.model is not None else "")
        self.VERSION = f"2.{version}"

    @staticmethod
    def _check_not_evidence(variable: Variable) -> None:
        banned = {str(w).strip().lower() for w in variable.evidence.get("not_evidence", [])}
        for value in variable.values:
            for kw in (*value.strong, *value.keywords, *value.weak):
                if kw.strip("* ").lower() in banned:
                    raise ConfigError(
                        f"codebook variables.{variable.name} value {value.code}: {kw!r} is "
                        "listed in not_evidence (election mechanics, not a topic) and cannot "
                        "be a cue", "remove it, or use a longer phrase (e.g. \"tps sampah\")")

    # -- evidence ---------------------------------------------------------------------------
    def _cues(self, text: str) -> set[int]:
        """Places in the coder's keyword list of the cues found in a text."""
        coder = self._coder
        found: set[str] = set()
        for t, toks in coder._variants(text):
            found |= coder._matcher.find(t, toks)
        return {k for kw in found for k in coder._keyword_at[kw]}

    def evidence(self, text: str | None, media_text: str | None = None
                 ) -> tuple[dict[str, float], list[str]]:
        """code -> keyword score, and the evidence (cue, part) that made it."""
        caption, tags = split_post(text)
        settings = self.settings
        keywords = self._coder._keywords
        rules = self._coder._rules
        best: dict[tuple[str, str], tuple[float, str]] = {}  # (code, cue) -> (weight, part)
        chunks: list[tuple[str, str]] = []
        if caption and not caption.isspace():
            chunks.append(("caption", caption))
        chunks += [("hashtags", hashtag_words(t)) for t in tags]
        if media_text:
            chunks.append(("media_text", media_text))
        cap, decay = settings["max_cue"], settings["decay"]
        if len(chunks) == 1 and not rules and settings[chunks[0][0]] > 0:
            # the common case (a comment: one part, no patterns): straight to the totals
            part, chunk = chunks[0]
            factor = settings[part]
            by_code: dict[str, list[tuple[float, str, str]]] = {}
            for k in self._cues(chunk):
                code, kw, weight = keywords[k]
                by_code.setdefault(code, []).append((-min(weight * factor, cap), kw, part))
            return self._totals(by_code, decay)
        for part, chunk in chunks:
            factor = settings[part]
            if factor <= 0:
                continue
            hits = [(*keywords[k][:2], keywords[k][2] * factor) for k in self._cues(chunk)]
            if rules:
                prepared = _prepare(chunk)
                hits += [(code, shown, weight * factor) for code, rx, weight, shown in rules
                         if rx.search(chunk) or rx.search(prepared)]
            for code, cue, weight in hits:
                if weight > best.get((code, cue), (0.0, ""))[0]:
                    best[(code, cue)] = (weight, part)
        if tags and settings["hashtags"] > 0:
            factor = settings["hashtags"]
            # only tags that did not split into words (#bekasibebasbanjir, not #BebasBanjir)
            glued = [t.lower() for t in tags
                     if len([w for w in hashtag_words(t).split() if not w.isdigit()]) == 1]
            for tag in glued:
                for joined, k in self._glued:
                    if joined in tag:
                        code, kw, weight = keywords[k]
                        if weight * factor > best.get((code, kw), (0.0, ""))[0]:
                            best[(code, kw)] = (weight * factor, "hashtags")
        by_code = {}
        for (code, cue), (weight, part) in best.items():
            by_code.setdefault(code, []).append((-min(weight, cap), cue, part))
        return self._totals(by_code, decay)

    def _totals(self, by_code: dict[str, list[tuple[float, str, str]]], decay: float
                ) -> tuple[dict[str, float], list[str]]:
        """Each value's cues (negative weight, cue, part), strongest first with diminishing
        returns, and the evidence in codebook order."""
        if not by_code:
            return {}, []
        totals: dict[str, float] = {}
        shown: list[str] = []
        powers = self._powers
        codes = sorted(by_code, key=self._order.__getitem__) if len(by_code) > 1 else by_code
        for code in codes:
            cues = by_code[code]
            if len(cues) == 1:  # most values found have one cue
                w, cue, part = cues[0]
                totals[code] = -w
                shown.append(f"{code}: {cue} [{part}]")
                continue
            cues.sort()  # strongest first, then by cue
            totals[code] = -sum(w * (powers[k] if k < len(powers) else decay ** k)
                                for k, (w, _, _) in enumerate(cues))
            shown += [f"{code}: {cue} [{part}]" for _, cue, part in cues]
        return totals, shown

    # -- prediction -------------------------------------------------------------------------
    def predict(self, texts: Sequence[str | None],
                media_texts: Sequence[str | None] | None = None) -> list[Prediction]:
        texts = list(texts)
        media = list(media_texts) if media_texts is not None else [None] * len(texts)
        if len(media) != len(texts):
            raise ValueError("media_texts must have one entry per text")
        learned = self.model.probabilities(texts, media) if self.model is not None else None
        return [self._one(t, m, learned[i] if learned else None)
                for i, (t, m) in enumerate(zip(texts, media, strict=True))]

    def predict_one(self, text: str | None, media_text: str | None = None) -> Prediction:
        return self.predict([text], [media_text])[0]

    def _one(self, text: str | None, media_text: str | None,
             learned: tuple[dict[str, float], dict[str, list[str]]] | None) -> Prediction:
        totals, evidence = self.evidence(text, media_text)
        if not totals and learned is None and self.multiple:
            return Prediction("none", {}, [], [])
        if learned is not None and (text or media_text):
            proba, words = learned
            weight = self.settings["model"]
            top = max(proba, key=proba.__getitem__)
            for code, p in proba.items():
                if code in self.variable.codes:
                    totals[code] = totals.get(code, 0.0) + weight * p
            evidence.append(f"model: {top} {proba[top]:.2f}"
                            + (f" ({', '.join(words.get(top, [])[:3])})" if words.get(top)
                               else ""))
        order = self._order
        threshold = self.settings["min_score"]
        total = sum(totals.values()) or 1.0
        if self.multiple:
            kept = sorted((c for c, v in totals.items() if v >= threshold),
                          key=lambda c: (-totals[c], order[c]))
            return Prediction(kept[0] if kept else "none",
                              {c: round(totals[c] / total, 4) for c in kept}, evidence, kept)
        ranked = sorted(totals, key=lambda c: (-totals[c], order[c]))
        scores = {c: round(totals[c] / total, 4) for c in ranked}
        if ranked and totals[ranked[0]] >= threshold:
            return Prediction(ranked[0], scores, evidence)
        default = self.variable.default or self.variable.codes[0]
        return Prediction(default, {default: 0.0}, evidence + ["default: too little evidence"])


class LearnedWeights:
    """A logistic regression stored as readable weights: label -> {feature: weight} and a bias
    per label. Features are the words and word pairs of the caption, the hashtags split into
    words, and the media text (prefixed "m:"), lower case."""

    def __init__(self, labels: Sequence[str], weights: dict[str, dict[str, float]],
                 bias: dict[str, float], digest: str, meta: dict | None = None) -> None:
        self.labels = list(labels)
        self.weights = weights
        self.bias = bias
        self.digest = digest
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> LearnedWeights | None:
        if not path.is_file():
            return None
        import hashlib

        raw = path.read_bytes()
        data = json.loads(raw)
        return cls(data["labels"], data["weights"], data["bias"],
                   hashlib.sha256(raw).hexdigest()[:8], data.get("meta"))

    def probabilities(self, texts: Sequence[str | None], media: Sequence[str | None]
                      ) -> list[tuple[dict[str, float], dict[str, list[str]]]]:
        out = []
        for text, media_text in zip(texts, media, strict=True):
            feats = features(text, media_text)
            logits = {}
            words = {}
            for label in self.labels:
                w = self.weights.get(label, {})
                parts = [(w[f], f) for f in feats if f in w]
                logits[label] = self.bias.get(label, 0.0) + sum(v for v, _ in parts)
                words[label] = [f for v, f in sorted(parts, reverse=True) if v > 0]
            top = max(logits.values())
            exp = {label: math.exp(v - top) for label, v in logits.items()}
            z = sum(exp.values())
            out.append(({label: v / z for label, v in exp.items()}, words))
        return out


def features(text: str | None, media_text: str | None = None) -> list[str]:
    """The learned model's features: caption words and word pairs, hashtag words ("#word"),
    media-text words ("m:word")."""
    caption, tags = split_post(text)
    words = [w for w in _TOKENS.findall(_prepare(caption)) if w.isalnum()]
    out = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    for tag in tags:
        out |= {f"#{w}" for w in hashtag_words(tag).split() if not w.isdigit()}
    if media_text:
        out |= {f"m:{w}" for w in _TOKENS.findall(_prepare(media_text)) if w.isalnum()}
    return sorted(out)


def load(project: Any = None) -> EvidenceCoder:
    """The post-function coder of the codebook in force, with the shipped learned weights."""
    return EvidenceCoder(load_codebook(project).get("post_function"), LearnedWeights.load())


def load_topic(project: Any = None) -> EvidenceCoder:
    """The topic coder (every topic with enough evidence; label = the strongest or "none")."""
    return EvidenceCoder(load_codebook(project).get("topic"), None)
