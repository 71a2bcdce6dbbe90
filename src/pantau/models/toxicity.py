"""Toxicity, hate and SARA flags from an editable lexicon with context rules.

Labels: `none`, `abusive` (insult, profanity, threat or incivility with no group target) and
`hate` (attacks a person or group for religion, ethnicity, race, gender, sexuality or another
group identity). `targets` lists the SARA targets found (religion, ethnicity, race, group);
`evidence` lists every word that fired, and words seen but switched off by a context rule
(negation, quotation or reported speech, counter-speech) with the reason, so that a human coder
can check each decision.

The lexicon is `lexicons/toxicity.toml` (or `PROJECT/lexicons/toxicity.toml`). Nothing here is
learnt from data: it is a transparent first pass for human review, not a verdict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from . import lexicons
from .base import Prediction

LABELS = ("none", "abusive", "hate")
SARA_TARGETS = ("religion", "ethnicity", "race", "group")

_TOKEN = re.compile(r"[@#]?(?:[^\W_]|[*#%$@])+(?:[.\-'](?:[^\W_]|[*#%$@])+)*")
_BOUNDARY = re.compile(r"[.,!?;:\n()\[\]|/…]")
_QUOTES = {'"': '"', "“": "”", "”": "“", "«": "»", "‘": "’", "„": "“"}
_LEET = str.maketrans({"4": "a", "1": "i", "0": "o", "3": "e", "5": "s", "7": "t", "@": "a",
                       "$": "s", "9": "g", "6": "g"})
_MASKS = "*#%"
_VOWELS = set("aiueo")
_CLITICS = ("nya", "lah", "mu", "lu", "lo", "kau", "ku", "tuh", "kah", "pun")
_DIRECTING_CLITICS = {"nya", "mu", "lu", "lo", "kau"}
_RUNS = re.compile(r"(.)\1+")
_SECOND_PERSON = {"kamu", "kau", "engkau", "lu", "lo", "loe", "lou", "elu", "elo", "ente", "situ",
                  "anda", "kalian", "dikau", "mu"}
_GROUP_PRONOUNS = {"mereka", "kalian", "kaum", "golongan", "orang2", "semuanya", "semua"}
_MAX_CACHE = 500_000  # per-token caches are cleared past this many entries
_MAY_HIT, _GROUP, _DASAR, _MULTI, _CALL, _HOSTILE, _YOU = 1, 2, 4, 8, 16, 32, 64  # see _quiet
HOSTILITY = ("emotion", "derogation", "dehumanisation", "threat", "exclusion")
_SENTENCE = re.compile(r"[.!?\n…]")
_INSULTING = frozenset({"strong", "mild", "directed", "slur"})
_QUOTE_CHARS = re.compile("[" + "".join(_QUOTES) + "]")


def _collapse(word: str) -> str:
    return _RUNS.sub(r"\1", word)


def _skeleton(word: str) -> str:
    return _collapse("".join(c for c in word if c not in _VOWELS))


@dataclass(slots=True)
class _Tok:
    raw: str
    form: str  # lower case, de-obfuscated (leetspeak, dots) but not collapsed
    start: int
    end: int
    boundary_before: bool  # a clause boundary lies between the previous token and this one
    sentence_before: bool = False  # a sentence boundary (. ! ? newline) lies before it
    norm: str = ""  # form with stretched letters collapsed, for context words
    canon: str = ""  # the lexicon word this token spells, else form
    quoted: bool = False
    clitic: str = ""  # clitic stripped to find a lexicon word ("-nya", "-mu"...)


@dataclass(slots=True)
class _Entry:
    canonical: str
    kinds: set[str] = field(default_factory=set)  # strong, mild, directed, slur, group, call
    targets: tuple[str, ...] = ()
    slur_directed: bool = False
    group_targets: tuple[str, ...] = ()
    hostile: tuple[str, ...] = ()  # HOSTILITY categories of a [hostility] word


@dataclass(slots=True)
class _Hit:
    start: int  # token index
    end: int  # token index, exclusive
    surface: str
    entry: _Entry
    status: str = "fired"  # fired | negated | quoted | reported | counter-speech | undirected
    directed: bool = False


# Features of the rule analysis that the learned stage weighs (counts unless said otherwise).
# Words the rules saw but did not count (an undirected "sampah", a hostile word with no group)
# are left out on purpose: with little training data the model learnt them as abuse.
FEATURES = (
    "strong", "mild", "directed", "slur", "negated", "quoted_or_reported", "counter_speech",
    "addressed", "group", "group_as_thing", "rel_insult", "rel_emotion", "rel_derogation",
    "rel_dehumanisation", "rel_threat", "rel_exclusion", "rel_pronoun", "hostile_off",
    "rule_hate", "rule_abusive", "length",
)
N_FEATURES = len(FEATURES)
(F_STRONG, F_MILD, F_DIRECTED, F_SLUR, F_NEGATED, F_QUOTED, F_COUNTER, F_ADDRESSED, F_GROUP,
 F_GROUP_THING, F_REL_INSULT, F_REL_EMOTION, F_REL_DEROGATION, F_REL_DEHUMANISATION,
 F_REL_THREAT, F_REL_EXCLUSION, F_REL_PRONOUN, F_HOSTILE_OFF, F_RULE_HATE, F_RULE_ABUSIVE,
 F_LENGTH) = range(N_FEATURES)
_REL_FEATURE = {"insult": F_REL_INSULT, "emotion": F_REL_EMOTION,
                "derogation": F_REL_DEROGATION, "dehumanisation": F_REL_DEHUMANISATION,
                "threat": F_REL_THREAT, "exclusion": F_REL_EXCLUSION, "pronoun": F_REL_PRONOUN}


def _category(entry: _Entry) -> str:
    """The strongest hostility category of a word (a call for violence counts as a threat)."""
    for category in ("threat", "exclusion", "dehumanisation", "derogation", "emotion"):
        if category in entry.hostile:
            return category
    return "threat"


@dataclass(slots=True)
class Analysis:
    prediction: Prediction  # the rule decision
    features: list[float]  # FEATURES
    doc: str  # canonical words, group words as "xgrupx", for the learned n-grams
    group_targets: list[str]  # SARA targets of the groups of people named (even unattacked)


class ToxicityClassifier:
    NAME = "toxicity"
    LABELS = LABELS

    def __init__(self, lexicon: lexicons.Lexicon | None = None) -> None:
        self.lexicon = lexicon or lexicons.load("toxicity")
        self.VERSION = f"1.{self.lexicon.digest}"
        self._build(self.lexicon.data)

    # ---- lexicon ---------------------------------------------------------------------------
    def _key(self, phrase: str) -> tuple[str, ...]:
        return tuple(re.findall(r"[^\W_]+", phrase.lower()))

    def _entry(self, phrase: str) -> _Entry:
        key = self._key(phrase)
        if not key:
            raise ValueError(f"empty lexicon entry {phrase!r}")
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(canonical=phrase.lower())
            self._max_len = max(self._max_len, len(key))
        return entry

    def _build(self, data: dict[str, Any]) -> None:
        self._entries: dict[tuple[str, ...], _Entry] = {}
        self._max_len = 1
        abusive = data.get("abusive", {})
        for kind in ("strong", "mild", "directed"):
            for word in abusive.get(kind, []):
                self._entry(word).kinds.add(kind)
        for word, spec in data.get("slurs", {}).items():
            entry = self._entry(word)
            entry.kinds.add("slur")
            targets = tuple(t for t in spec.get("targets", ["group"]) if t in SARA_TARGETS)
            entry.targets = targets or ("group",)
            entry.slur_directed = spec.get("when") == "directed"
        for target, words in data.get("group_terms", {}).items():
            if target not in SARA_TARGETS:  # e.g. `political`: not a protected group
                continue
            for word in words:
                entry = self._entry(word)
                entry.kinds.add("group")
                entry.group_targets = tuple(sorted({*entry.group_targets, target}))
        for word in data.get("hate_calls", {}).get("words", []):
            self._entry(word).kinds.add("call")
        hostility = data.get("hostility", {})
        for category in HOSTILITY:
            for word in hostility.get(category, []):
                entry = self._entry(word)
                entry.kinds.add("hostile")
                entry.hostile = tuple(sorted({*entry.hostile, category}))
        self._pronouns = {_collapse(w) for w in hostility.get("pronouns", []) if " " not in w}
        self._pronoun_phrases = {self._key(w) for w in hostility.get("pronouns", []) if " " in w}
        # spelling variants point at the canonical entry (single words only)
        self._variants: dict[str, tuple[str, ...]] = {}
        for variant, canonical in data.get("variants", {}).items():
            key = self._key(canonical)
            if key in self._entries and len(self._key(variant)) == 1:
                self._variants[self._key(variant)[0]] = key
        ctx = data.get("context", {})
        self._addressees = {_collapse(w) for w in abusive.get("addressees", [])}
        self._variant_words = {v: key[0] for v, key in self._variants.items() if len(key) == 1}
        self._negators = {_collapse(w) for w in ctx.get("negators", [])}
        self._fillers = {_collapse(w) for w in ctx.get("fillers", [])}
        self._prohibitives = {self._key(w) for w in ctx.get("prohibitives", [])}
        self._exclusion = {_collapse(w) for w in ctx.get("exclusion", [])}
        self._reporting = {_collapse(w) for w in ctx.get("reporting", [])}
        self._insult_verbs = {_collapse(w) for w in ctx.get("insult_verbs", [])}
        self._safe = {self._key(p) for p in ctx.get("safe_phrases", [])}
        self._not_people_before = {self._key(w) for w in ctx.get("group_not_people_before", [])}
        self._not_people_after = {_collapse(w) for w in ctx.get("group_not_people_after", [])}
        self._places = {w.lower() for w in ctx.get("group_places", [])}
        self._beliefs = {_collapse(w) for w in ctx.get("negated_beliefs", [])}
        self._victim_marks = {_collapse(w) for w in ctx.get("victim_marks", [])}
        self._safe_max = max((len(k) for k in self._safe), default=1)
        # token -> lexicon word: exact, spelling variant, or stretched ("bangsaaat", "kontool")
        words = {w for key in [*self._entries, *self._safe] for w in key}
        self._words = words
        collapsed: dict[str, set[str]] = {}
        for w in words:
            collapsed.setdefault(_collapse(w), set()).add(w)
        for v, key in self._variants.items():
            collapsed.setdefault(_collapse(v), set()).add(key[0] if len(key) == 1 else v)
        self._collapsed = {c: next(iter(ws)) for c, ws in collapsed.items() if len(ws) == 1}
        # single-word index by length (masked tokens) and by consonant skeleton (gblk, kntl)
        insulting = [k[0] for k, e in self._entries.items()
                     if len(k) == 1 and e.kinds & {"strong", "mild", "slur", "directed", "hostile"}]
        self._by_len: dict[int, list[str]] = {}
        skeletons: dict[str, set[str]] = {}
        for word in insulting:
            self._by_len.setdefault(len(word), []).append(word)
            sk = _skeleton(word)
            if len(sk) >= 4:
                skeletons.setdefault(sk, set()).add(word)
        self._skeletons = {sk: next(iter(ws)) for sk, ws in skeletons.items() if len(ws) == 1}
        # one letter dropped or two swapped ("dibanati", "diantai"): words of >= 6 letters that
        # insult, threaten or dehumanise, found only when the token is no Indonesian word itself
        fuzzy: dict[str, set[str]] = {}
        for word in insulting:
            entry = self._entries[(word,)]
            if len(word) < 6 or not entry.kinds & {"strong", "slur", "hostile"}:
                continue
            # inner letters only: a word minus its first or last letter is often another word
            # ("buzzer" is not a misspelt "buzzerp")
            for i in range(1, len(word) - 1):
                fuzzy.setdefault(word[:i] + word[i + 1:], set()).add(word)
            for i in range(1, len(word) - 2):
                fuzzy.setdefault(word[:i] + word[i + 1] + word[i] + word[i + 2:], set()).add(word)
        self._fuzzy = {v: next(iter(ws)) for v, ws in fuzzy.items() if len(ws) == 1}
        # first words of entries and safe phrases: a token that is none of them starts no match
        self._first_words = {k[0] for k in self._entries}
        self._first_multi = {k[0] for k in self._entries if len(k) > 1}
        self._safe_first = {k[0] for k in self._safe}
        self._pieces: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._quiet_words: dict[str, tuple[int, int]] = {}
        self._lookups: dict[str, tuple[tuple[str, ...], str] | None] = {}

    # ---- tokens ----------------------------------------------------------------------------
    def _tokens(self, text: str) -> list[_Tok]:
        quoted_spans = _quote_spans(text)
        toks: list[_Tok] = []
        prev_end = 0
        pieces_of = self._pieces
        append = toks.append
        for m in _TOKEN.finditer(text):
            raw = m.group()
            start, end = m.span()
            # most tokens are one space apart: no boundary, no search
            if start - prev_end == 1 and text[prev_end] == " " and toks:
                boundary = sentence = False
            else:
                between = text[prev_end:start]
                boundary = not toks or bool(between and _BOUNDARY.search(between))
                sentence = boundary and (not toks or bool(_SENTENCE.search(between)))
            prev_end = end
            pieces = pieces_of.get(raw)
            if pieces is None:
                pieces = self._raw_pieces(raw)
            for form, norm, canon in pieces:
                append(_Tok(raw, form, start, end, boundary, sentence, norm, canon))
                boundary = sentence = False
        if len(toks) >= 3:
            toks = _join_spelled(toks)
        for t in toks:
            if quoted_spans:
                t.quoted = any(a <= t.start < b for a, b in quoted_spans)
            if not t.canon and t.form != "@":  # a token joined from spelled-out letters
                t.norm = _collapse(t.form)
                t.canon = self._canon(t.form)
        return toks

    def _raw_pieces(self, raw: str) -> tuple[tuple[str, str, str], ...]:
        """(form, norm, canon) of each piece of one regex token, cached by the token: comments
        repeat their words, and this is the costly part of tokenising."""
        if raw.startswith("@"):
            # a mention: keep its place (an addressee) but never match it
            out: tuple[tuple[str, str, str], ...] = (("@", "@", "@"),)
        else:
            low = raw.lower().lstrip("#")
            parts = re.split(r"[.\-']", low)
            if len(parts) > 1 and all(len(p) == 1 for p in parts):
                pieces = ["".join(parts)]  # a.n.j.i.n.g
            elif len(parts) > 1:
                pieces = [p for p in parts if p]
            else:
                pieces = [low]
            forms = [self._form(piece) for piece in pieces]
            # a piece that reads "@" ("#@") gets no norm or canon, as a joined token would not
            out = tuple((f, "", "") if f == "@" else (f, _collapse(f), self._canon(f))
                        for f in forms)
        if len(self._pieces) > _MAX_CACHE:
            self._pieces.clear()
            self._quiet_words.clear()
        self._pieces[raw] = out
        return out

    def _quiet_word(self, raw: str) -> tuple[int, int]:
        """What one regex token may contribute to a hit, as bits (_MAY_HIT, _GROUP, _CALL,
        _DASAR, _MULTI), and how many of its pieces are single letters (spelled-out words join over
        tokens). The exact per-token part of the hit search, cached by the token."""
        pieces = self._pieces.get(raw)
        if pieces is None:
            pieces = self._raw_pieces(raw)
        bits = 0
        singles = 0
        for form, norm, canon in pieces:
            if form == "@":
                continue
            if norm == "dasar":
                bits |= _DASAR
            elif norm in _SECOND_PERSON:
                bits |= _YOU
            if canon in self._first_multi:
                bits |= _MULTI
            entry = self._entries.get((canon,))
            if entry is not None and entry.kinds == {"group"}:
                bits |= _GROUP  # counts only beside an insult, a call or "dasar"
            elif entry is not None and entry.kinds == {"call"}:
                bits |= _CALL  # counts only with a group term
            elif entry is not None and entry.kinds <= {"call", "hostile"}:
                bits |= _HOSTILE  # counts only with a group term
            elif entry is not None and entry.kinds <= {"call", "hostile", "group"}:
                bits |= _HOSTILE | _GROUP
            elif self._lookup_form(form, canon) is not None:
                bits |= _MAY_HIT
            if len(form) == 1 and form.isalpha():
                singles += 1
        info = (bits, singles)
        self._quiet_words[raw] = info
        return info

    def _quiet(self, text: str, groups_count: bool = False) -> bool:
        """True when nothing in the text can fire or be noted: the prediction is `none` with
        no evidence, as the full analysis would find. Most comments are like this.
        groups_count: a protected-group word alone makes the text worth analysing (for the
        learned stage, which may find hostility the lexicon lacks)."""
        known = self._quiet_words
        run = 0
        seen = 0
        raws = _TOKEN.findall(text)
        for raw in raws:
            info = known.get(raw)
            if info is None:
                info = self._quiet_word(raw)
            if info[0] & _MAY_HIT:
                return False
            seen |= info[0]
            if info[1]:  # letters spelled out over >= 3 pieces join into one token
                run += info[1]
                if run >= 3:
                    return False
            else:
                run = 0
        if seen & _GROUP and (groups_count or seen & (_DASAR | _CALL | _HOSTILE)):  # "usir yahudi"
            return False
        if seen & _HOSTILE and seen & (_DASAR | _YOU):  # "dasar licik", "lu pemalas"
            return False
        if seen & _MULTI:  # a phrase entry may match: boundaries only ever stop one
            canons = [c for raw in raws for _, _, c in self._pieces[raw]]
            first, entries, longest = self._first_multi, self._entries, self._max_len
            for i, c in enumerate(canons):
                if c in first:
                    for n in range(2, min(longest, len(canons) - i) + 1):
                        entry = entries.get(tuple(canons[i:i + n]))
                        if entry is None:
                            continue
                        if entry.kinds & _INSULTING:
                            return False
                        seen |= (_GROUP if "group" in entry.kinds else 0) | \
                            (_HOSTILE if entry.kinds & {"hostile", "call"} else 0)
            if seen & _GROUP and (groups_count or seen & (_DASAR | _CALL | _HOSTILE)) or \
                    seen & _HOSTILE and seen & (_DASAR | _YOU):
                return False
        return True

    @staticmethod
    def _form(piece: str) -> str:
        if any(c.isdigit() or c in "@$" for c in piece) and any(c.isalpha() for c in piece):
            # "kampret2" is reduplication; otherwise leetspeak: 4nj1ng
            piece = piece[:-1] if re.fullmatch(r"[^\W\d_]+2", piece) else piece.translate(_LEET)
        return piece

    def _canon(self, form: str) -> str:
        if form in self._words:
            return form
        if form in self._variant_words:
            return self._variant_words[form]
        if _RUNS.search(form):
            return self._collapsed.get(_collapse(form), form)
        return form

    def _lookup_form(self, form: str, canon: str) -> tuple[tuple[str, ...], str] | None:
        # canon is a function of form, so the answer is cached by form
        try:
            return self._lookups[form]
        except KeyError:
            pass
        found = self._lookup_uncached(form, canon)
        if len(self._lookups) > _MAX_CACHE:
            self._lookups.clear()
        self._lookups[form] = found
        return found

    def _lookup_uncached(self, form: str, canon: str) -> tuple[tuple[str, ...], str] | None:
        if not form or form == "@":
            return None
        if (canon,) in self._entries:
            return (canon,), ""
        if any(c in _MASKS for c in form):
            letters = sum(c.isalpha() for c in form)
            masks = sum(c in _MASKS for c in form)
            if letters >= 2 and masks <= letters:
                pattern = re.compile("".join("[a-z]" if c in _MASKS else re.escape(c)
                                             for c in form))
                found = {w for w in self._by_len.get(len(form), []) if pattern.fullmatch(w)}
                if len(found) == 1:
                    return (found.pop(),), ""
            return None
        if len(form) >= 4 and form.isalpha() and not set(form) & _VOWELS:
            word = self._skeletons.get(_skeleton(form))
            if word:
                return (word,), ""
        if len(form) >= 5 and form in self._fuzzy and form not in _known_words():
            return (self._fuzzy[form],), ""
        for clitic in _CLITICS:
            stem = form[: -len(clitic)]
            if form.endswith(clitic) and len(stem) >= 3:
                key = (self._canon(stem),)
                if key in self._entries and \
                        self._entries[key].kinds & {"strong", "mild", "directed", "slur"}:
                    return key, clitic
        return None

    # ---- matching --------------------------------------------------------------------------
    def _hits(self, toks: list[_Tok]) -> list[_Hit]:
        forms = [t.canon for t in toks]
        safe = [False] * len(toks)
        safe_first = self._safe_first
        for i in range(len(toks)):
            if forms[i] not in safe_first:
                continue
            for n in range(min(self._safe_max, len(toks) - i), 0, -1):
                if tuple(forms[i:i + n]) in self._safe:
                    for j in range(i, i + n):
                        safe[j] = True
                    break
        lookups, lookup = self._lookups, self._lookup_form
        words: list[tuple[tuple[str, ...], str] | None] = [
            lookups[t.form] if t.form in lookups else lookup(t.form, t.canon) for t in toks]
        hits: list[_Hit] = []
        i = 0
        first_multi = self._first_multi
        while i < len(toks):
            matched = False
            for n in range(min(self._max_len, len(toks) - i) if forms[i] in first_multi else 1,
                           1, -1):
                if any(toks[j].boundary_before for j in range(i + 1, i + n)):
                    continue
                key = tuple(forms[i:i + n])
                if key in self._entries and not any(safe[i:i + n]):
                    raw = " ".join(t.raw for t in toks[i:i + n])
                    hits.append(_Hit(i, i + n, raw, self._entries[key]))
                    i += n
                    matched = True
                    break
            if matched:
                continue
            found = words[i]
            if found and not safe[i]:
                key, clitic = found
                toks[i].clitic = clitic
                hits.append(_Hit(i, i + 1, toks[i].raw, self._entries[key]))
            i += 1
        return hits

    def _window_back(self, toks: list[_Tok], i: int, size: int) -> list[int]:
        """Token indices before i in the same clause, nearest first."""
        out = []
        j = i
        while j > 0 and len(out) < size and not toks[j].boundary_before:
            j -= 1
            out.append(j)
        return out

    def _clause(self, toks: list[_Tok], i: int) -> tuple[int, int]:
        a = i
        while a > 0 and not toks[a].boundary_before:
            a -= 1
        b = i + 1
        while b < len(toks) and not toks[b].boundary_before:
            b += 1
        return a, b

    def _context(self, toks: list[_Tok], hit: _Hit) -> str:
        i = hit.start
        if all(toks[j].quoted for j in range(hit.start, hit.end)):
            return "quoted"
        back = self._window_back(toks, i, 4)
        # negation right before, skipping fillers: "bukan (orang) bodoh"
        for j in back[:3]:
            if toks[j].norm in self._negators:
                return "negated"
            if toks[j].norm not in self._fillers:
                break
        back_forms = [toks[j].norm for j in back]
        for k in range(len(back_forms)):
            one = (back_forms[k],)
            two = (back_forms[k + 1], back_forms[k]) if k + 1 < len(back_forms) else None
            if one in self._prohibitives or (two and two in self._prohibitives):
                between = back_forms[:k]
                if any(f in self._exclusion for f in between):
                    break
                # "jangan (suka) kafir-kafirkan", "stop bilang cebong"; a bare insult after a
                # prohibition is still an insult ("ga usah nyindir, anjing")
                if hit.entry.kinds & {"slur", "group"} or \
                        any(f in self._reporting or f in self._insult_verbs for f in between):
                    return "counter-speech"
        hostile_only = "hostile" in hit.entry.kinds and not hit.entry.kinds & _INSULTING
        if any(form in self._reporting for form in back_forms[:6 if hostile_only else 3]):
            return "reported"
        if hostile_only:
            # "aku nggak pernah nganggap X lebih rendah", "saya tidak percaya X itu pemalas"
            wide = self._window_back(toks, i, 8)
            for near, far in zip(wide[1:], wide, strict=False):  # near comes before far
                if toks[near].norm in self._negators and toks[far].norm in self._beliefs:
                    return "negated"
        if hostile_only:
            # "tidak pantas menghina orang Batak": the hostility word is a prohibition
            b = self._clause(toks, i)[1]
            if any(toks[j].norm in self._insult_verbs for j in range(hit.end, min(b, hit.end + 2))):
                return "counter-speech"
        return "fired"

    def _addressed(self, toks: list[_Tok], hit: _Hit) -> bool:
        """Said to someone: "dasar" earlier in the clause, or a second-person word (or -mu,
        -lu) right beside the word. Stricter than _is_directed, whose addressees include
        "pak", "orang", "kayak"."""
        a, b = self._clause(toks, hit.start)
        if any(toks[j].norm == "dasar" for j in range(a, hit.start)):
            return True
        for j in range(max(a, hit.start - 2), min(b, hit.end + 2)):
            if not hit.start <= j < hit.end and toks[j].norm in _SECOND_PERSON:
                return True
        return False

    def _is_directed(self, toks: list[_Tok], hit: _Hit) -> bool:
        if toks[hit.start].clitic in _DIRECTING_CLITICS:
            return True
        a, b = self._clause(toks, hit.start)
        near = range(max(a, hit.start - 2), min(b, hit.end + 2))
        for j in near:
            if hit.start <= j < hit.end:
                continue
            if toks[j].norm in self._addressees or toks[j].form == "@":
                return True
        return any(toks[j].norm == "dasar" for j in range(a, hit.start))

    # ---- prediction ------------------------------------------------------------------------
    def predict_one(self, text: str | None) -> Prediction:
        if not text or not text.strip():
            return Prediction("none", {"none": 1.0, "abusive": 0.0, "hate": 0.0}, [], [])
        if self._quiet(text):  # most comments: no word that could fire, nothing to weigh
            return Prediction("none", {"none": 1.0, "abusive": 0.0, "hate": 0.0}, [], [])
        return self.analyse(text).prediction

    def _in_name(self, toks: list[_Tok], i: int) -> bool:
        """A capitalised word after another inside a clause is part of a name ("Ciketing
        Udik", "Kampung Bali"), unless the text shouts in capitals."""
        raw = toks[i].raw
        if i == 0 or toks[i].boundary_before or not raw[:1].isupper() or raw.isupper():
            return False
        prev = toks[i - 1]
        return prev.raw[:1].isupper() and not prev.boundary_before

    def _names_people(self, toks: list[_Tok], g: _Hit) -> bool:
        """False when a group word names a food, a place or a language ("nasi padang", "Jalan
        Madura", "Jawa Tengah", "bahasa Sunda", "pemberdayaan perempuan")."""
        if g.start > 0 and not toks[g.start].boundary_before:
            one = (toks[g.start - 1].norm,)
            two = (toks[g.start - 2].norm, one[0]) if g.start > 1 and \
                not toks[g.start - 1].boundary_before else None
            if one in self._not_people_before or (two and two in self._not_people_before):
                return False
        return not (g.end < len(toks) and not toks[g.end].boundary_before
                    and toks[g.end].norm in self._not_people_after)

    def _sentence_of(self, toks: list[_Tok], i: int) -> tuple[int, int]:
        a = i
        while a > 0 and not toks[a].sentence_before:
            a -= 1
        b = i + 1
        while b < len(toks) and not toks[b].sentence_before:
            b += 1
        return a, b

    def _pronoun_near(self, toks: list[_Tok], h: _Hit) -> bool:
        a, b = self._clause(toks, h.start)
        for j in range(max(a, h.start - 3), min(b, h.end + 3)):
            if h.start <= j < h.end:
                continue
            if toks[j].norm in self._pronouns:
                return True
            if j + 1 < b and (toks[j].norm, toks[j + 1].norm) in self._pronoun_phrases:
                return True
        return False

    def analyse(self, text: str) -> Analysis:
        """The rule decision with its evidence, the features the learned stage weighs, and
        the text as canonical words (group words replaced) for its n-grams."""
        toks = self._tokens(text)
        hits = self._hits(toks)
        abusive = 0.0
        hate = 0.0
        targets: set[str] = set()
        evidence: list[str] = []
        feats = [0.0] * N_FEATURES

        def note(item: str) -> None:
            if item not in evidence:
                evidence.append(item)

        status: dict[int, str] = {}
        fired_insults: list[_Hit] = []
        for k, hit in enumerate(hits):
            kinds = hit.entry.kinds
            if not kinds & (_INSULTING | {"hostile", "call"}):
                continue
            status[k] = st = self._context(toks, hit)
            if not kinds & _INSULTING:
                if st != "fired":
                    feats[F_HOSTILE_OFF] += 1
                elif set(hit.entry.hostile) & {"derogation", "dehumanisation"} and \
                        self._addressed(toks, hit):
                    # "dasar licik", "lu pemalas": a derogatory word said to someone's face
                    abusive += 0.8
                    note(_shown(hit))
                    feats[F_DIRECTED] += 1
                continue
            shown = _shown(hit)
            if st != "fired":
                note(f"{shown} (not counted: {st})")
                feats[F_NEGATED if st == "negated" else
                      F_COUNTER if st == "counter-speech" else F_QUOTED] += 1
                continue
            if kinds & {"directed"} and not kinds & {"strong", "slur"} and \
                    self._in_name(toks, hit.start):
                status[k] = "name"
                continue
            hit.directed = self._is_directed(toks, hit)
            if hit.directed:
                feats[F_ADDRESSED] = 1.0
            if "slur" in kinds and (hit.directed or not hit.entry.slur_directed):
                hate += 1.2
                targets.update(hit.entry.targets)
                note(shown)
                fired_insults.append(hit)
                feats[F_SLUR] += 1
            elif "strong" in kinds:
                abusive += 1.0
                note(shown)
                fired_insults.append(hit)
                feats[F_STRONG] += 1
            elif "mild" in kinds:
                abusive += 0.75
                note(shown)
                feats[F_MILD] += 1
            elif "directed" in kinds or "slur" in kinds:
                if hit.directed:
                    abusive += 0.8
                    note(shown)
                    feats[F_DIRECTED] += 1
                fired_insults.append(hit)
        # a protected group attacked: hate
        people_targets: set[str] = set()
        for g in hits:
            if "group" not in g.entry.kinds:
                continue
            if not self._names_people(toks, g):
                feats[F_GROUP_THING] += 1
                continue
            if self._context(toks, g) in ("quoted", "reported"):
                feats[F_QUOTED] += 1
                continue
            feats[F_GROUP] += 1
            people_targets.update(g.entry.group_targets)
            a, b = self._clause(toks, g.start)
            sa, sb = self._sentence_of(toks, g.start)
            if g.start > a and toks[g.start - 1].norm == "dasar":  # "dasar yahudi"
                hate += 1.2
                targets.update(g.entry.group_targets)
                note(f"dasar + {_shown(g)}")
                feats[F_REL_INSULT] += 1
                continue
            found = None
            for hk, h in enumerate(hits):
                if h is g or status.get(hk) not in ("fired",):
                    continue
                kinds = h.entry.kinds
                insult = h in fired_insults and kinds & {"strong", "slur"}
                if not (insult or kinds & {"hostile", "call"}):
                    continue
                gap = h.start - g.end if h.start >= g.end else g.start - h.end
                if sa <= h.start < sb and gap <= 8:
                    found = (hk, h, "insult" if insult else _category(h.entry))
                    break
                if h.start >= g.end and not (sa <= h.start < sb) and self._pronoun_near(toks, h):
                    found = (hk, h, "pronoun")
                    break
                if sa <= h.start < sb and h.start >= g.end and self._pronoun_near(toks, h):
                    found = (hk, h, "pronoun")
                    break
            if found is None:
                continue
            _, h, how = found
            if how not in ("emotion", "insult", "pronoun") and h.end <= g.start and any(
                    toks[j].norm in self._victim_marks for j in range(h.end, g.start)):
                continue  # "ancaman terhadap umat Buddha": the group is the victim
            if g.entry.canonical in self._places and how != "threat":
                continue  # "sampah di masjid" is no attack on Muslims; "bakar masjid" is
            hate += 1.2
            targets.update(g.entry.group_targets)
            note(f"{_shown(g)} + {_shown(h)}")
            feats[_REL_FEATURE[how]] += 1
        total = abusive + hate
        none_p = math.exp(-total)
        toxic = 1.0 - none_p
        if hate > 0:
            hate_p = toxic * (0.6 + 0.4 * hate / total)
            scores = {"none": none_p, "abusive": toxic - hate_p, "hate": hate_p}
            label = "hate"
            feats[F_RULE_HATE] = 1.0
        elif abusive > 0:
            scores = {"none": none_p, "abusive": toxic, "hate": 0.0}
            label = "abusive" if toxic >= none_p else "none"
            feats[F_RULE_ABUSIVE] = 1.0 if label == "abusive" else 0.5
        else:
            scores = {"none": 1.0, "abusive": 0.0, "hate": 0.0}
            label = "none"
        scores = {k: round(v, 4) for k, v in scores.items()}
        group_targets = sorted(people_targets, key=SARA_TARGETS.index)
        feats[F_LENGTH] = math.log1p(len(toks)) / 4
        pred = Prediction(label, scores, evidence,
                          sorted(targets, key=SARA_TARGETS.index) if label == "hate" else [])
        words = [t.canon or t.form for t in toks]
        for g in hits:
            if "group" in g.entry.kinds:
                words[g.start] = "xgrupx"
                for j in range(g.start + 1, g.end):
                    words[j] = ""
        doc = " ".join(w for w in words if w)
        return Analysis(pred, feats, doc, group_targets)

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        return [self.predict_one(t) for t in texts]


def _shown(hit: _Hit) -> str:
    surface = hit.surface.lower()
    canonical = hit.entry.canonical
    return surface if surface == canonical else f"{surface} ({canonical})"


def _quote_spans(text: str) -> list[tuple[int, int]]:
    if not _QUOTE_CHARS.search(text):
        return []
    spans = []
    open_at: int | None = None
    closer = ""
    for i, ch in enumerate(text):
        if open_at is None and ch in _QUOTES:
            if ch in "’”":
                continue
            open_at, closer = i, _QUOTES[ch]
        elif open_at is not None and (ch == closer or (closer == '"' and ch == "”")):
            spans.append((open_at, i))
            open_at = None
    return spans


def _join_spelled(toks: list[_Tok]) -> list[_Tok]:
    """Letters spelled out with spaces ("b a b i") become one token."""
    if sum(len(t.form) == 1 for t in toks) < 3:  # no three single letters: nothing to join
        return toks
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and len(toks[j].form) == 1 and toks[j].form.isalpha() and \
                (j == i or not toks[j].boundary_before):
            j += 1
        if j - i >= 3:
            first, last = toks[i], toks[j - 1]
            out.append(_Tok(" ".join(t.raw for t in toks[i:j]),
                            _collapse("".join(t.form for t in toks[i:j])),
                            first.start, last.end, first.boundary_before, first.sentence_before))
            i = j
        else:
            out.append(toks[i])
            i += 1
    return out


@cache
def _known_words() -> frozenset[str]:
    """Indonesian words that a fuzzy match must not turn into an insult ("bantal" is no
    misspelt "bantai")."""
    from ..text.normalize import default, root_words

    return root_words() | frozenset(default().lexicon)


MODEL_FILE = Path(__file__).resolve().parent / "data" / "toxicity.joblib"
MODEL_FORMAT = "pantau-toxicity-1"
OVERRIDE_NONE = 0.3  # a rule `none` stays none unless the model puts less than this on none
HATE_WITHOUT_RULES = 0.6  # hate where the rules paired no hostility with the group


class ToxicityModel:
    """The shipped toxicity model: the rule analysis above (lexicon, SARA targets, context
    rules) as features of a logistic regression that also weighs hashed word and character
    n-grams of the de-obfuscated text (group words replaced by one placeholder, so what is
    learnt about one group carries to the others). Trained by scripts/train_toxicity.py.

    `hate` needs what the rules find: a protected group with hostility aimed at it (or a slur).
    Where they find none, the model chooses between none and abusive only; where they do, the
    model may still overrule them (counter-speech, a quote the rules missed). Texts in which
    the rule stage finds nothing that could fire (most comments) are `none` at once:
    benchmarks/hate_suite.py --fast-path-check measures what this costs in recall."""

    NAME = "toxicity"
    LABELS = LABELS

    def __init__(self, rules: ToxicityClassifier, payload: dict[str, Any], digest: str) -> None:
        from .linear import FeatureConfig, Featurizer

        if payload.get("format") != MODEL_FORMAT:
            raise ValueError("not a pantau toxicity model")
        self.rules = rules
        self.lexicon = rules.lexicon
        self.meta = payload.get("meta", {})
        self.featurizer = Featurizer(FeatureConfig.from_dict(payload["config"]))
        bits = self.featurizer.config.bits
        weights = np.zeros((1 << bits, len(LABELS)), np.float32)
        weights[np.asarray(payload["sparse_index"], np.int64)] = \
            np.asarray(payload["sparse_values"], np.float32)
        self.weights = weights
        self.dense = np.asarray(payload["dense_weights"], np.float32)  # (N_FEATURES, labels)
        self.bias = np.asarray(payload["bias"], np.float32)
        if list(payload["labels"]) != list(LABELS) or self.dense.shape[0] != N_FEATURES:
            raise ValueError("toxicity model built for other labels or features")
        self.fast_path = True  # False: the learned stage sees every text (to measure the path)
        # rules and weights both decide: a changed lexicon or a retrained file relabels
        self.VERSION = f"2.{rules.lexicon.digest}.{digest}"

    def warm(self) -> None:
        import scipy.sparse  # noqa: F401

    def probabilities(self, analyses: Sequence[Analysis]) -> np.ndarray:
        import scipy.sparse as sp

        n = len(analyses)
        if not n:
            return np.zeros((0, len(LABELS)))
        docs = self.featurizer.prepare([a.doc for a in analyses])
        r, b, v = self.featurizer.hashed(docs)
        logits = sp.coo_matrix((v, (r, b)), shape=(n, self.weights.shape[0])) @ self.weights
        dense = np.asarray([a.features for a in analyses], np.float32)
        logits = np.asarray(logits, np.float64) + dense @ self.dense + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def predict_one(self, text: str | None) -> Prediction:
        return self.predict([text])[0]

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        out: list[Prediction | None] = [None] * len(texts)
        todo: list[int] = []
        quiet = self.rules._quiet if self.fast_path else (lambda text, _: False)
        for i, text in enumerate(texts):
            if not text or not text.strip() or quiet(text, True):
                out[i] = Prediction("none", {"none": 1.0, "abusive": 0.0, "hate": 0.0}, [], [])
            else:
                todo.append(i)
        analyses = [self.rules.analyse(texts[i]) for i in todo]  # type: ignore[arg-type]
        proba = self.probabilities(analyses).tolist()
        for i, a, p in zip(todo, analyses, proba, strict=True):
            out[i] = self._decide(a, p)
        return out  # type: ignore[return-value]

    def _decide(self, a: Analysis, p: list[float]) -> Prediction:
        none_p, abusive_p, hate_p = p
        rule = a.prediction
        targets = rule.targets
        learned_hate = not targets and a.group_targets and hate_p >= HATE_WITHOUT_RULES
        if learned_hate:
            targets = a.group_targets  # hostility the lexicon lacks, toward a group it knows
        if not targets:
            # hate needs a protected group AND hostility toward it, which the rules found
            # nowhere here: the answer is none or abusive, in the proportion the model gives
            rest = none_p + abusive_p
            none_p, abusive_p, hate_p = none_p / rest, abusive_p / rest, 0.0
        scores = {"none": round(none_p, 4), "abusive": round(abusive_p, 4),
                  "hate": round(hate_p, 4)}
        label = max(scores, key=scores.__getitem__)
        if rule.label == "none" and label != "none" and none_p > OVERRIDE_NONE and \
                not learned_hate:
            label = "none"  # the rules found nothing that fired: the n-grams alone must be sure
        evidence = list(rule.evidence or [])
        if label != rule.label:
            evidence.append(f"model: {label} {scores[label]:.2f} (rules: {rule.label})")
        return Prediction(label, scores, evidence, list(targets) if label == "hate" else [])


_DEFAULT: dict[str, Any] = {}


def load_rules(project: Any = None) -> ToxicityClassifier:
    """The rule stage alone (the project's lexicons/toxicity.toml if present)."""
    lex = lexicons.load("toxicity", project)
    key = f"rules:{lex.path}:{lex.digest}"
    if key not in _DEFAULT:
        _DEFAULT[key] = ToxicityClassifier(lex)
    return _DEFAULT[key]


def load(project: Any = None, path: Path = MODEL_FILE) -> ToxicityModel | ToxicityClassifier:
    """The shipped toxicity model over the project's lexicon (lexicons/toxicity.toml in the
    project folder if present, else the shipped one). Without a model file (a broken install),
    the rule stage alone."""
    rules = load_rules(project)
    if not path.is_file():
        return rules
    key = f"model:{path}:{path.stat().st_mtime_ns}:{rules.VERSION}"
    if key not in _DEFAULT:
        import joblib

        from .linear import file_digest

        _DEFAULT[key] = ToxicityModel(rules, joblib.load(path), file_digest(path))
    return _DEFAULT[key]
