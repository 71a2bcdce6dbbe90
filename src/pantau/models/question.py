"""Questions and requests addressed to the candidate: transparent cue rules from an editable
lexicon.

Four labels (scheme `question`):
- `question`: asks the addressee for information, an answer or a confirmation ("pak, kapan jalan
  ini diperbaiki?", "min, debat kedua jam berapa?");
- `request`: asks the addressee to act — a plea, demand or order ("tolong perbaiki jalan di
  kampung kami pak", "mohon dibantu", "bisa tolong dicek?");
- `rhetorical`: a question that states an opinion and expects no answer ("emang bisa apa dia?",
  "kapan sih pemimpin jujur muncul?", "masa gitu aja gak bisa?");
- `not_question`: everything else — statements, cheers ("lanjutkan pak, programnya masuk akal"),
  corrections ("hoax itu, cek dulu"), attacks, wishes, questions to other readers.
Only `question` counts as a question in responsiveness (analysis/base.py `is_question`); category
reads `request` as an aspiration (models/category.py).

URLs, hashtags and placeholders are removed and @mentions become an address cue before any rule
looks at the text, so a "?" inside a link asks nothing. Each cue kind found (question mark,
question word, request word, command verb, rhetorical phrase, cheer, correction, ...) adds its
weight for each label; the label scores are a softmax over bias + weights, with `not_question` at
zero. The cues, weights and biases live in `lexicons/question.toml` (or
`PROJECT/lexicons/question.toml`; the weights were fitted on the tuning half of the labelled set
by scripts/fit_question_weights.py); every cue that fired is returned as evidence. The coding
guideline and the labelled set are in data/labels/; `benchmarks/question.py` measures precision
and recall per label on the held-out half.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from . import lexicons
from .base import Prediction

LABELS = ("question", "request", "rhetorical", "not_question")
# labels that speak to the candidate and expect a reply or an action
ADDRESSED = ("question", "request")
_WORD = re.compile(r"\[username\]|[^\W_]+|[?？]|[.!,;:\n]")
_LINK = re.compile(r"(?:https?://|www\.)\S*|\S+\.(?:com|id|co|net|org|ly|ee|be)/\S*", re.I)
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")
_REDUP = re.compile(r"\b([^\W\d_]{2,})2\b")
_CLAUSE_END = {".", "!", ",", ";", ":", "\n", "?"}
_PREFIXES = ("me", "di", "ber", "ter", "ke", "pe", "se")
_NOT_IMPERATIVE = {"bukan", "makan", "akan", "ikan", "tekan", "kan", "jalan", "silakan",
                   "silahkan"}


_HASHTAG = re.compile(r"#\w*")
_AT = re.compile(r"(?<![\w.])@[\w.]+")
_PLACEHOLDER = re.compile(r"x{3}(user|number|phone|date|time|percent|email|url)x{3}")


def _words(text: str) -> list[str]:
    """The tokens of a text, built from cached whitespace-separated chunks: no rule below
    spans whitespace (the only whitespace token is a line break), and chunks repeat."""
    parts = _SPACES.split(text.lower())  # chunks at even places, whitespace between
    out: list[str] = []
    for k, part in enumerate(parts):
        # one cache for both: a chunk holds no whitespace, the whitespace between is nothing else
        words = _CHUNKS.get(part)
        if words is None:
            words = ["\n"] * part.count("\n") if k % 2 else _chunk_words(part)
            if len(_CHUNKS) > 500_000:
                _CHUNKS.clear()
            _CHUNKS[part] = words
        out += words
    return out


_SPACES = re.compile(r"(\s+)")
_CHUNKS: dict[str, list[str]] = {}


def _chunk_words(low: str) -> list[str]:
    # a chunk never spans whitespace: a link, hashtag or mention is the whole chunk or its tail
    if "/" in low or "www." in low:
        low = _LINK.sub(" ", low)
    if "#" in low:
        low = _HASHTAG.sub(" ", low)
    if "@" in low:
        low = _AT.sub(" [username] ", low)
    if "xxx" in low:  # the substitutions run only where they can match: most texts skip them
        low = _PLACEHOLDER.sub(lambda m: " [username] " if m.group(1) == "user" else " ", low)
    low = _STRETCH.sub(r"\1", low)
    if "2" in low:
        low = _REDUP.sub(r"\1 \1", low)
    return _WORD.findall(low)


class QuestionClassifier:
    NAME = "question"
    LABELS = LABELS

    def __init__(self, lexicon: lexicons.Lexicon | None = None, toxicity: Any = None) -> None:
        self.lexicon = lexicon or lexicons.load("question")
        self.VERSION = f"2.{self.lexicon.digest}"
        data = self.lexicon.data
        # per label: bias and one weight per cue kind (not_question is the zero reference)
        self.bias = {label: float(data.get("bias", {}).get(label, 0.0)) for label in LABELS}
        self.weights = {label: {k: float(v) for k, v in data.get("weights", {}).get(label,
                                                                                   {}).items()}
                        for label in LABELS}
        # kind -> its weight for each label, in LABELS order (one loop per text in _predict)
        kinds = {k for weights in self.weights.values() for k in weights}
        self._kind_weights = {k: tuple(self.weights[label].get(k, 0.0) for label in LABELS)
                              for k in kinds}
        self._bias = tuple(self.bias[label] for label in LABELS)
        cues = data.get("cues", {})
        self._phrases: dict[tuple[str, ...], str] = {}
        for kind in ("interrogative", "ask", "request", "rhetorical", "wish", "address",
                     "cheer", "correction", "others", "not_interrogative"):
            for phrase in cues.get(kind, []):
                key = tuple(_words(phrase))
                # the first kind listed wins for a phrase in two lists, except cancelling
                if key and (kind == "not_interrogative" or key not in self._phrases):
                    self._phrases[key] = kind
        self._max = max((len(k) for k in self._phrases), default=1)
        self._first = {k[0] for k in self._phrases}
        # first word -> the lengths of the phrases it starts, longest first: only those can
        # match there (trying every length up to the longest phrase mostly misses)
        lengths: dict[str, set[int]] = {}
        for k in self._phrases:
            lengths.setdefault(k[0], set()).add(len(k))
        self._lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        self._imperative = {w for p in cues.get("imperative", []) for w in _words(p)[:1]}
        self._not_imperative = _NOT_IMPERATIVE | set(cues.get("not_imperative", []))
        self._openers = {w for p in cues.get("opener", []) for w in _words(p)[:1]}
        self._tag = set(cues.get("tag", []))
        self._kok = set(cues.get("kok", []))
        self._rhetorical_tag = set(cues.get("rhetorical_tag", []))
        self._particles = set(cues.get("particles", []))
        self._greetings = set(cues.get("greetings", []))
        self._ask_particles = set(cues.get("ask_particles", []))
        self._negators = {w for p in cues.get("negators", []) for w in _words(p)[-1:]}
        self._long = int(data.get("long_text_words", 35))
        self._interrogative_words = {k[0] for k, v in self._phrases.items()
                                     if v == "interrogative" and len(k) == 1}
        self.toxicity = toxicity

    def _marks(self, words: list[str]) -> list[int]:
        """Where a word starts a cue phrase, is a "kok" word or ends in -kah: only those can
        add a cue in _cues' phrase loop, which so skips the others without a step each."""
        lengths, kok = self._lengths, self._kok
        return [k for k, w in enumerate(words) if w in lengths or w in kok or w.endswith("kah")]

    def _cues(self, text: str) -> dict[str, list[str]]:
        words = _words(text)
        found: dict[str, list[str]] = {}

        def add(kind: str, what: str) -> None:
            found.setdefault(kind, [])
            if what not in found[kind]:
                found[kind].append(what)

        if "?" in words or "？" in words:  # links and hashtags are gone: their "?" too
            if not any(w[0].isalnum() for w in words if w != "[username]"):
                return found  # nothing but links, hashtags, mentions, emoji or punctuation
            add("question_mark", "?")
        asking: list[int] = []  # positions of question words and "kok"
        lengths = self._lengths
        size = len(words)
        i = 0  # the next word not yet passed over by a phrase
        for at in self._marks(words):
            if at < i:
                continue  # inside a phrase just matched
            i = at
            for n in lengths.get(words[i], ()):
                if n > size - i:
                    continue
                key = tuple(words[i:i + n])
                kind = self._phrases.get(key)
                if kind:
                    negated = i > 0 and words[i - 1] in self._negators
                    if kind in ("request", "ask") and negated:
                        pass  # "masalahnya ga diperbaiki", "udah dibalas": a statement
                    elif kind != "not_interrogative":
                        add(kind, " ".join(key))
                    if kind == "interrogative":
                        asking.append(i)
                    i += n
                    break
            else:
                w = words[i]
                if w in self._kok:
                    add("kok", w)
                    asking.append(i)
                elif len(w) > 5 and w.endswith("kah") and w not in self._interrogative_words:
                    add("kah", w)
                i += 1
        # a particle right after a question word ("kenapa ya", "menu apa sih", "kok ... ya")
        for a in asking:
            # "kenapa ya": right after; "kok lampunya mati terus ya": anywhere in the clause
            end = a + 4
            if words[a] in self._kok:
                end = next((k for k in range(a + 1, len(words)) if words[k] in _CLAUSE_END),
                           len(words))
            near = [w for w in words[a + 1:end] if w not in _CLAUSE_END]
            hit = next((w for w in near if w in self._ask_particles), None)
            if hit:
                add("particle", hit)
                break
        # a question word opening or closing the text: "apakah akan hujan", "caranya gmn"
        if asking:
            content = [k for k, w in enumerate(words)
                       if w not in _CLAUSE_END and w not in self._particles
                       and w not in self._greetings and w != "[username]"]
            if content and (content[0] in asking or content[-1] in asking):
                add("position",
                    words[content[0]] if content[0] in asking else words[content[-1]])
            # a formal question word opening a clause asks even without "?": "apakah ..."
            for k in asking:
                if words[k] in self._openers and (k == 0 or words[k - 1] in _CLAUSE_END
                                                  or k == content[0]):
                    add("opener", words[k])
                    break
        if len(words) > self._long and sum(w not in _CLAUSE_END for w in words) > self._long:
            add("long", f">{self._long} words")
        # clause-initial command verb: "perbaiki jalan di kampung kami pak"
        start = True
        for w in words:
            if w in _CLAUSE_END:
                start = True
                continue
            if not start:
                continue
            if w in self._greetings:
                continue
            start = False
            if w in self._not_imperative:
                continue
            if w in self._imperative or (
                    len(w) >= 6 and w.endswith("kan") and not w.startswith(_PREFIXES)
                    and w not in self._not_imperative):
                add("imperative", w)
        # the last real word: a yes/no tag ("bisa ga") or a rhetorical one ("... kan?")
        tail = []  # the last three real words, last first
        for w in reversed(words):
            if w not in _CLAUSE_END and w not in self._particles:
                tail.append(w)
                if len(tail) == 3:
                    break
        tail.reverse()
        if len(tail) >= 3:
            if tail[-1] in self._tag:
                add("tag", tail[-1])
            elif tail[-1] in self._rhetorical_tag:
                add("rhetorical", tail[-1])
        return found

    def _predict(self, text: str | None, toxic: bool) -> Prediction:
        if not text or not text.strip():
            return Prediction("not_question", {label: float(label == "not_question")
                                               for label in LABELS}, [])
        cues = self._cues(text)
        if toxic and cues:
            cues["toxic"] = ["insult"]
        if "question_mark" in cues and ("interrogative" in cues or "kok" in cues):
            cues["asks"] = ["?"]  # a question word and a "?": weighs more than the two alone
        a, b, c, d = self._bias
        weights = self._kind_weights
        for kind in cues:
            w = weights.get(kind)
            if w is not None:
                a += w[0]
                b += w[1]
                c += w[2]
                d += w[3]
        logits = (a, b, c, d)
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = exps[0] + exps[1] + exps[2] + exps[3]
        scores = {label: round(e / total, 4) for label, e in zip(LABELS, exps, strict=True)}
        label = LABELS[logits.index(top)]
        evidence = [f"{kind}: {', '.join(words)}" for kind, words in cues.items()]
        return Prediction(label, scores, evidence)

    def cue_kinds(self, texts: Sequence[str | None]) -> list[set[str]]:
        """The cue kinds found in each text (without toxicity): the features that
        scripts/fit_question_weights.py fits the weights on."""
        out = []
        for text in texts:
            cues = self._cues(text) if text and text.strip() else {}
            if "question_mark" in cues and ("interrogative" in cues or "kok" in cues):
                cues["asks"] = ["?"]
            out.append(set(cues))
        return out

    def predict(self, texts: Sequence[str | None],
                toxicity: Sequence[Prediction] | None = None) -> list[Prediction]:
        """`toxicity`: the toxicity predictions of the same texts, when already computed."""
        if toxicity is None and self.toxicity is not None:
            toxicity = self.toxicity.predict(texts)
        toxic = [p.label != "none" for p in toxicity] if toxicity else [False] * len(texts)
        return [self._predict(t, x) for t, x in zip(texts, toxic, strict=True)]


_CACHE: dict[str, QuestionClassifier] = {}


def load(project: Any = None) -> QuestionClassifier:
    """The question classifier (the project's lexicons/question.toml if present)."""
    from . import toxicity

    lex = lexicons.load("question", project)
    tox = toxicity.load(project)
    key = f"{lex.path}:{lex.digest}:{tox.VERSION}"
    if key not in _CACHE:
        model = QuestionClassifier(lex, tox)
        model.VERSION = f"2.{lex.digest}.{tox.lexicon.digest}"
        _CACHE[key] = model
    return _CACHE[key]
