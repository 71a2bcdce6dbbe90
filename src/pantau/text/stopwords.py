"""Indonesian stopwords that never remove negations or question words.

The list is derived from stopwords-iso (MIT) by scripts/build_text_data.py, minus the words
sentiment and question detection need (tidak, bukan, belum, jangan, apa, siapa, kapan, mana,
kenapa, mengapa, bagaimana, berapa, ...): see data/NOTICE.md. Informal fillers are added here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

# Never stopwords, whatever a list says (informal spellings included).
PROTECTED = frozenset({
    "tidak", "tak", "bukan", "belum", "jangan", "tanpa", "kurang", "gak", "ga", "gk", "nggak",
    "ngga", "enggak", "engga", "kagak", "tdk", "blm", "jgn", "bkn",
    "apa", "apakah", "siapa", "siapakah", "kapan", "kapankah", "mana", "manakah", "dimana",
    "di mana", "kemana", "kenapa", "mengapa", "gimana", "bagaimana", "bagaimanakah", "berapa",
    "berapakah", "knp", "gmn", "kpn", "brp", "napa",
})
# Informal fillers and particles that the formal list lacks.
EXTRA = frozenset({
    "yg", "sih", "dong", "deh", "nih", "tuh", "kok", "lho", "loh", "yah", "ya", "yaa", "aja",
    "udah", "udh", "sdh", "dgn", "utk", "dr", "krn", "jd", "jg", "tp", "lg", "kalo", "klo", "nya",
    "si", "sm", "pd", "dll", "dst", "dsb", "mah", "kan", "lah", "pun", "rt", "amp",
})


@cache
def stopwords() -> frozenset[str]:
    text = resources.files("pantau.text").joinpath("data", "stopwords_id.txt").read_text(
        encoding="utf-8")
    listed = {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset((listed | EXTRA) - PROTECTED)


def is_stopword(word: str) -> bool:
    return word.lower() in stopwords()


def remove_stopwords(words: Iterable[str]) -> list[str]:
    """Drop stopwords (case-insensitive); negations and question words always stay."""
    stop = stopwords()
    return [w for w in words if w.lower() not in stop]
