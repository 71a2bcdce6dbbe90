"""Comment category (DOMAIN.md) from the other signals plus copy-paste detection.

dukungan · kritik · pertanyaan · aspirasi · serangan · salinan · spam · netral. Each comment
gets a score per category from transparent cues (lexicons/category.toml), the toxicity and
question classifiers, the sentiment model when one is available (through the registry), and
copy-paste detection. The evidence lists every signal that counted, so a coder can check and
correct.

- salinan (salinan terkoordinasi / coordinated copy): near-identical text posted by at least
  `[coordination] min_accounts` accounts within `window_minutes`
  (pantau.text.duplicates.coordinated_copies, the one definition shared with the coordination
  analysis). A copy without that burst (a slogan fans repeat over days) is only evidence.
- spam: commercial or irrelevant content (selling, promotion, follow-for-follow, gambling sites,
  loan offers, giveaways), from cues. A link alone is never spam.

`CategoryClassifier.predict(texts, authors=None, times=None)` finds copies within the batch;
`assign_duplicate_groups(texts, authors)` and `coordinated_copies(groups, authors, times)` do it
for a whole corpus (the `duplicate_group` label scheme) and the result can be passed to
predict(groups=...).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..text.duplicates import (
    CoordinationSettings,
    DuplicateGroups,
    coordinated_copies,
    duplicate_groups,
    normalise,
)
from . import lexicons
from .base import Prediction
from .codebook import _SPACES, _TOKENS, KeywordMatcher, _prepare

LABELS = ("dukungan", "kritik", "pertanyaan", "aspirasi", "serangan", "salinan", "spam",
          "netral")


# ---- duplicates ----------------------------------------------------------------------------
# One definition of copy-paste for `pantau text category` and enrich: text.duplicates.
normalise_for_duplicates = normalise
assign_duplicate_groups = duplicate_groups
__all__ = ["LABELS", "CategoryClassifier", "CoordinationSettings", "DuplicateGroups",
           "assign_duplicate_groups", "coordinated_copies", "load", "normalise_for_duplicates"]


# ---- category ------------------------------------------------------------------------------
class CategoryClassifier:
    NAME = "comment_category"
    LABELS = LABELS

    def __init__(self, lexicon: lexicons.Lexicon | None = None, *, toxicity: Any = None,
                 question: Any = None, sentiment: Any = None) -> None:
        self.lexicon = lexicon or lexicons.load("category")
        data = self.lexicon.data
        self.weights = {k: float(v) for k, v in data.get("weights", {}).items()}
        self.priority = [c for c in data.get("priority", LABELS) if c in LABELS]
        self.priority += [c for c in LABELS if c not in self.priority]
        dup = data.get("duplicates", {})
        self.min_words = int(dup.get("min_words", 4))
        self.similarity = float(dup.get("similarity", 0.8))
        try:
            self.coordination = CoordinationSettings.from_table(
                data.get("coordination"), f"{self.lexicon.path}: [coordination]")
        except ValueError as exc:
            from ..errors import ConfigError

            raise ConfigError(str(exc), "correct the value in that file") from None
        self._cues: dict[str, tuple[list[str], KeywordMatcher]] = {}
        for kind, words in data.get("cues", {}).items():
            words = [w for w in words if w.strip("* ")]
            self._cues[kind] = (words, KeywordMatcher(words))
        self._places: dict[str, dict[str, list[int]]] = {}  # kind -> cue -> places in its list
        for kind, (words, _) in self._cues.items():
            places = self._places[kind] = {}
            for k, w in enumerate(words):
                places.setdefault(w, []).append(k)
        # cue -> (kind, place in that kind's list): one pass over the cues a text holds gives
        # every kind's _found()
        self._cue_places: dict[str, list[tuple[str, int]]] = {}
        for kind, (words, _) in self._cues.items():
            for k, w in enumerate(words):
                self._cue_places.setdefault(w, []).append((kind, k))
        self._all_cues = KeywordMatcher([w for words, _ in self._cues.values() for w in words])
        self._rank = {c: k for k, c in enumerate(self.priority)}
        self._by_rank = sorted(LABELS, key=self._rank.__getitem__)  # ties go to the first
        self._chunks: dict[str, tuple[str, list[str]]] = {}
        self.toxicity = toxicity
        self.question = question
        self.sentiment = sentiment
        versions = [self.lexicon.digest, "2"] + [m.VERSION for m in (toxicity, question, sentiment)
                                            if m is not None]
        self.VERSION = "1." + hashlib.sha1("|".join(versions).encode()).hexdigest()[:8]

    def _prepared(self, text: str) -> tuple[str, list[str]]:
        """codebook._prepare(text) and its tokens, built from cached whitespace-separated
        chunks: neither the stretched-letter rule nor the tokens span whitespace."""
        parts = _SPACES.split(text.lower())  # chunks at even places, whitespace between
        chunks = self._chunks
        tokens: list[str] = []
        for k in range(0, len(parts), 2):
            hit = chunks.get(parts[k])
            if hit is None:
                prepared = _prepare(parts[k])
                hit = (prepared, _TOKENS.findall(prepared))
                if len(chunks) > 500_000:
                    chunks.clear()
                chunks[parts[k]] = hit
            parts[k] = hit[0]
            tokens += hit[1]
        return "".join(parts), tokens

    def _found(self, kind: str, text: str, limit: int = 3,
               found: set[str] | None = None) -> list[str]:
        """Up to `limit` cues of one kind found in `text` (lower case), in lexicon order;
        `found`: every kind's cues found in the text, when already known (whether a cue
        occurs depends on the cue alone, so one search serves all kinds)."""
        if kind not in self._cues:
            return []
        words, matcher = self._cues[kind]
        if found is None:
            found = matcher.find(text)
        if not found:
            return []
        # places in the lexicon of the few cues found, rather than a pass over the lexicon
        places = self._places[kind]
        return [words[k] for k in sorted(k for w in found for k in places.get(w, ()))[:limit]]

    def _choose(self, scores: dict[str, float]) -> str:
        """The label with the highest score; of equal ones the first in priority order (as
        max(LABELS, key=(score, -rank)), without a key function call per label)."""
        best = max(scores.values())
        return next(c for c in self._by_rank if scores[c] == best)

    def _found_kinds(self, found: set[str], limit: int = 3) -> dict[str, list[str]]:
        """kind -> _found(kind, text, limit, found) for every kind with a cue in `found`."""
        places: dict[str, list[int]] = {}
        cue_places = self._cue_places
        for w in found:
            for kind, k in cue_places.get(w, ()):
                places.setdefault(kind, []).append(k)
        return {kind: [self._cues[kind][0][k] for k in sorted(ks)[:limit]]
                for kind, ks in places.items()}

    def groups(self, texts: Sequence[str | None], authors: Sequence[Any] | None = None,
               times: Sequence[Any] | None = None) -> DuplicateGroups:
        """Copy-paste groups of `texts` with this classifier's settings, coordinated copies
        marked when authors and times are known."""
        found = assign_duplicate_groups(texts, authors, similarity=self.similarity,
                                        min_words=self.min_words)
        return coordinated_copies(found, authors, times, self.coordination)

    def predict(self, texts: Sequence[str | None], authors: Sequence[Any] | None = None,
                groups: DuplicateGroups | None = None,
                times: Sequence[Any] | None = None) -> list[Prediction]:
        """`times`: when each text was posted (datetime, epoch seconds or ISO text); with
        `authors` it lets copies be judged coordinated. `groups`: copy-paste groups computed
        over a larger corpus (coordinated copies marked or not)."""
        texts = list(texts)
        if groups is None:
            groups = self.groups(texts, authors, times)
        elif groups.coordinated is None and authors is not None and times is not None:
            groups = coordinated_copies(groups, authors, times, self.coordination)
        flags = groups.coordinated
        window = f"{self.coordination.window_minutes:g} min"
        tox = self.toxicity.predict(texts) if self.toxicity else [None] * len(texts)
        if self.question is None:
            qst = [None] * len(texts)
        elif self.toxicity is not None:
            try:
                qst = self.question.predict(texts, toxicity=tox)
            except TypeError:  # a question model without that argument
                qst = self.question.predict(texts)
        else:
            qst = self.question.predict(texts)
        sent = _safe_predict(self.sentiment, texts)
        w = self.weights
        out = []
        for i, text in enumerate(texts):
            scores = dict.fromkeys(LABELS, 0.0)
            scores["netral"] = w.get("netral", 0.6)
            evidence: list[str] = []
            targets: list[str] | None = None
            low, toks = self._prepared(text or "")
            if not low.strip():
                out.append(Prediction("netral", _normalised(scores), []))
                continue
            cues = self._found_kinds(self._all_cues.find(low, toks))
            # copy-paste: coordinated only in a burst of several accounts (coordinated_copies)
            gid = groups.ids[i] if i < len(groups.ids) else None
            if gid:
                size, n_auth = groups.sizes.get(gid, 1), groups.authors.get(gid, 0)
                who = f", {n_auth} authors" if n_auth else ""
                evidence.append(f"duplicate_group: {gid} ({size} copies{who})")
                if flags is None:
                    evidence.append("coordination: not judged (authors or times unknown)")
                elif i < len(flags) and flags[i]:
                    scores["salinan"] += w.get("coordinated", 5.0)
                    evidence.append(f"coordinated_copy: {groups.bursts.get(gid, 0)} accounts "
                                    f"within {window}")
            promo = cues.get("spam")
            if promo:
                scores["spam"] += w.get("spam", 1.6) * len(promo)
                evidence.append("spam: " + ", ".join(promo))
            t = tox[i]
            if t is not None and t.label != "none":
                scores["serangan"] += w.get(t.label, 2.6)
                evidence.append(f"toxicity: {t.label} ({', '.join(t.evidence or [])})")
                if t.targets:
                    targets = list(t.targets)
            q = qst[i]
            aspiration = cues.get("aspiration")
            # question model labels: question (asks something) and request (asks to act);
            # rhetorical questions and cheers are not questions
            if q is not None and q.label in ("question", "request"):
                if q.label == "question":
                    scores["pertanyaan"] += w.get("question", 2.2)
                else:
                    scores["pertanyaan"] += w.get("request_only", 1.2)
                    if aspiration:
                        scores["aspirasi"] += w.get("request_only", 1.2)
                evidence.append("question: " + "; ".join(q.evidence or []))
            if aspiration:
                scores["aspirasi"] += w.get("aspiration", 1.1) * len(aspiration)
                evidence.append("aspiration: " + ", ".join(aspiration))
            support = cues.get("support")
            if support:
                scores["dukungan"] += w.get("support", 1.2) * len(support)
                evidence.append("support: " + ", ".join(support))
            criticism = cues.get("criticism")
            if criticism:
                scores["kritik"] += w.get("criticism", 1.2) * len(criticism)
                evidence.append("criticism: " + ", ".join(criticism))
            s = sent[i]
            if s is not None:
                pos = float(s.scores.get("positive", 0.0))
                neg = float(s.scores.get("negative", 0.0))
                scores["dukungan"] += w.get("sentiment", 1.4) * pos
                scores["kritik"] += w.get("sentiment", 1.4) * neg
                evidence.append(f"sentiment: {s.label} ({max(pos, neg):.2f})")
            apathy = cues.get("apathy")
            if apathy:
                scores["netral"] += w.get("apathy", 0.8)
                evidence.append("apathy: " + ", ".join(apathy))
            out.append(Prediction(self._choose(scores), _normalised(scores), evidence, targets))
        return out


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values()) or 1.0
    return {c: round(v / total, 4) if v else 0.0 for c, v in scores.items()}


def _safe_predict(model: Any, texts: list[str | None]) -> list[Any]:
    if model is None:
        return [None] * len(texts)
    try:
        preds = model.predict(texts)
    except Exception:  # noqa: BLE001 - a broken optional model must not stop the category
        return [None] * len(texts)
    return list(preds) if len(preds) == len(texts) else [None] * len(texts)


def _load_sentiment(project: Any) -> Any:
    """The sentiment model in force (the project's own if trained), or None without one:
    the category then uses its cues alone."""
    from . import registry

    try:
        return registry.load("sentiment", project)
    except LookupError:
        return None


_CACHE: dict[str, CategoryClassifier] = {}


def load(project: Any = None, *, sentiment: Any = "auto") -> CategoryClassifier:
    """The category classifier with toxicity, question and (if available) sentiment."""
    from . import question, toxicity

    lex = lexicons.load("category", project)
    sent = _load_sentiment(project) if sentiment == "auto" else sentiment
    tox = toxicity.load(project)
    qst = question.load(project)
    key = f"{lex.path}:{lex.digest}:{tox.VERSION}:{qst.VERSION}:{id(sent)}"
    if key not in _CACHE:
        _CACHE[key] = CategoryClassifier(lex, toxicity=tox, question=qst, sentiment=sent)
    return _CACHE[key]


def category_counts(predictions: Sequence[Prediction]) -> dict[str, int]:
    return dict(Counter(p.label for p in predictions))
