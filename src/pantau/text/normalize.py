"""Normalising informal Indonesian: "gk bgttt yg ngerti" -> "tidak banget yang mengerti".

Word by word, in this order (the first step that knows the word wins):
1. lexicons: pantau's own (data/lexicon_id.tsv, hand-written; an identity entry there protects
   a word), then pairs learned from STIF-Indonesia train alignments (data/lexicon_stif.tsv),
   then the IndoCollex dictionary (data/lexicon_indocollex.tsv); see data/NOTICE.md;
2. laughter ("wkwkwk", "hahaha") -> "haha";
3. a standard word (a Sastrawi root word or any lexicon output) is kept;
4. stretched letters ("mantaaap", "bgttt") collapse to a known form (unknown words stay);
5. reduplication with 2 ("teman2" -> "teman-teman");
6. informal affixes when the root is a known root: ng-/ny-/n-/m-/nge- -> meN- ("nyoblos" ->
   "mencoblos", "milih" -> "memilih"), -in -> -kan ("matiin" -> "matikan"), and "-nya" after a
   respelled word ("temennya" -> "temannya").
Hashtags, mentions, URLs, numbers and emoji are never changed. Negations stay negations.

Word error rate against STIF's formal test sentences: see benchmarks/text_normalize.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from .tokens import TOKEN_RE

LEXICON_FILES = ("lexicon_id.tsv", "lexicon_stif.tsv", "lexicon_indocollex.tsv")

# Discourse particles with no standard equivalent; dropped only on request (drop_particles).
PARTICLES = frozenset({"sih", "dong", "deh", "nih", "ya", "yah", "yaa", "lho", "loh", "kok",
                       "tuh", "lah", "toh", "kek", "mah", "cuy", "bro", "gan", "sis"})
_VOWELS = frozenset("aeiou")
_LAUGH = re.compile(r"^(?:(?:wk)+w?k?|(?:ha){2,}h?|(?:ah){2,}|(?:he){2,}h?|(?:hi){2,}h?|"
                    r"(?:xi){2,}|awok(?:awok)+|(?:kw){2,}k?)$")
_STRETCH = re.compile(r"([a-z])\1{2,}")
_DOUBLE = re.compile(r"([a-z])\1+")
_REDUP = re.compile(r"^([a-z]{2,})2$")
_MAX_CACHE = 500_000


def _data_path(name: str) -> Path:
    return Path(str(resources.files("pantau.text").joinpath("data", name)))


def read_lexicon(path: Path) -> dict[str, str]:
    """informal -> standard from a TSV (first two columns; # comments)."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
            table.setdefault(parts[0].strip().lower(), " ".join(parts[1].lower().split()))
    return table


@cache
def root_words() -> frozenset[str]:
    """Sastrawi's root-word list (MIT), shipped inside the PySastrawi wheel."""
    import Sastrawi

    path = Path(Sastrawi.__file__).parent / "Stemmer" / "data" / "kata-dasar.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


def _men(root: str) -> str:
    """meN- + root with Indonesian nasal assimilation (tulis -> menulis, pilih -> memilih)."""
    first = root[0]
    if first in _VOWELS or first in "gh":
        return "meng" + root
    if first == "k":
        return "meng" + root[1:]
    if first in "bfv":
        return "mem" + root
    if first == "p":
        return "mem" + root[1:]
    if first in "cdjz":
        return "men" + root
    if first == "t":
        return "men" + root[1:]
    if first == "s":
        return "meny" + root[1:]
    return "me" + root


class Normalizer:
    """Word-level normaliser with a result cache (social media repeats its words)."""

    def __init__(self, lexicon: dict[str, str] | None = None,
                 roots: Iterable[str] | None = None) -> None:
        own: dict[str, str] = {}
        if lexicon is None:
            lexicon = {}
            for name in LEXICON_FILES:  # earlier files win
                table = read_lexicon(_data_path(name))
                own = own or table
                for key, value in table.items():
                    lexicon.setdefault(key, value)
        self.lexicon = lexicon
        self.own = own  # pantau's own entries: they decide stretched spellings first
        self.roots = frozenset(roots) if roots is not None else root_words()
        standard = {w for v in lexicon.values() for w in re.split(r"[\s-]+", v)}
        self.known = self.roots | standard
        self._cache: dict[str, str] = {}

    # -- one word ---------------------------------------------------------------------------
    def word(self, word: str) -> str:
        """The standard form of one lowercased word (may be several words, e.g. "terima kasih")."""
        hit = self._cache.get(word)
        if hit is None:
            hit = self._word(word)
            if len(self._cache) > _MAX_CACHE:
                self._cache.clear()
            self._cache[word] = hit
        return hit

    def _word(self, w: str) -> str:
        lex = self.lexicon
        if self.own and _STRETCH.search(w):  # "bangettt": our "banget", not a table's "sangat"
            for form in (_DOUBLE.sub(r"\1\1", w), _DOUBLE.sub(r"\1", w)):
                if form in self.own:
                    return self.own[form]
        if w in lex:
            return lex[w]
        if _LAUGH.match(w):
            return "haha"
        if w in self.known or not w.isascii():
            return w
        if _DOUBLE.search(w):
            stretched = _STRETCH.search(w) is not None
            once = _DOUBLE.sub(r"\1", w)
            twice = _DOUBLE.sub(r"\1\1", w)
            for form in (twice, once) if stretched else (once,):
                if form in lex:
                    return lex[form]
                if form in self.known:
                    return form
            if stretched and _LAUGH.match(once):
                return "haha"
        m = _REDUP.match(w)
        if m:
            base = self.word(m.group(1))
            return base if " " in base else f"{base}-{base}"
        return self._affixed(w) or w

    def _affixed(self, w: str) -> str | None:
        roots, lex = self.roots, self.lexicon
        # informal -in suffix -> -kan (matiin -> matikan, dibalikin -> dibalikkan)
        if w.endswith("in") and len(w) > 4:
            base = w[:-2]
            for prefix in ("", "di", "ke"):
                if base.startswith(prefix) and base[len(prefix):] in roots:
                    return base + "kan"
            inner = self._nasal(base)
            if inner:
                return inner + "kan"
        nasal = self._nasal(w)
        if nasal:
            return nasal
        # respelled word + -nya (temennya -> temannya)
        if w.endswith("nya") and len(w) > 5:
            base = w[:-3]
            if base in lex and " " not in lex[base]:
                return lex[base] + "nya"
        return None

    def _nasal(self, w: str) -> str | None:
        """Informal nasal prefix -> meN- + root, only when the root is a known root word."""
        roots = self.roots
        candidates: list[str] = []
        if w.startswith("nge") and len(w) > 5:
            candidates.append(w[3:])
        if w.startswith("ny") and len(w) > 4:
            candidates += ["s" + w[2:], "c" + w[2:]]
        elif w.startswith("ng") and len(w) > 4:
            if w[2] in _VOWELS:
                candidates += [w[2:], "k" + w[2:]]
            else:
                candidates.append(w[2:])
        elif w[0] == "n" and len(w) > 3 and w[1] in _VOWELS:
            candidates.append("t" + w[1:])
        elif w[0] == "m" and len(w) > 3 and w[1] in _VOWELS and not w.startswith("me"):
            candidates.append("p" + w[1:])
        for root in candidates:
            if root in roots:
                return _men(root)
        return None

    # -- texts ------------------------------------------------------------------------------
    def words(self, words: Sequence[str], *, drop_particles: bool = False) -> list[str]:
        """Normalise lowercased word tokens; a word may become several ("terima kasih")."""
        word = self.word
        out = [word(w) for w in words]
        if drop_particles:
            out = [w for w in out if w not in PARTICLES]
        return out

    def text(self, text: str | None, *, drop_particles: bool = False) -> str:
        """The text lowercased and normalised word by word; everything else kept in place."""
        if not text:
            return ""
        word = self.word

        def repl(m: re.Match) -> str:
            if m.lastgroup != "word":
                return m.group()
            out = word(m.group())
            return "" if drop_particles and out in PARTICLES else out

        out = TOKEN_RE.sub(repl, text.lower())
        if drop_particles:
            out = " ".join(out.split())
        return out

    def informal_share(self, text: str | None) -> tuple[float | None, list[str]]:
        """(share of word tokens that are informal, those tokens); (None, []) without words."""
        if not text:
            return None, []
        tokens = [m.group().lower() for m in TOKEN_RE.finditer(text) if m.lastgroup == "word"]
        if not tokens:
            return None, []
        word = self.word
        informal = [t for t in tokens if word(t) != t]
        return len(informal) / len(tokens), informal


@cache
def default() -> Normalizer:
    return Normalizer()


def normalize(text: str | None, *, drop_particles: bool = False) -> str:
    """Lowercase and standardise informal Indonesian spellings ("gk bgt" -> "tidak banget")."""
    return default().text(text, drop_particles=drop_particles)


def normalize_word(word: str) -> str:
    return default().word(word.lower())


def informal_share(text: str | None) -> float | None:
    """Share of word tokens written informally (the `slang_density` score); None if no words."""
    return default().informal_share(text)[0]
