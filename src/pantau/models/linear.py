"""A fast text classifier: hashed character and word n-grams, negation scope, softmax weights.

Why not scikit-learn's vectorisers at prediction time: they build n-grams one text at a time in
Python (3-4k texts/s for TF-IDF + LR). Here a whole batch is one numpy array of code points:
character n-gram hashes are a rolling polynomial over that array, word hashes come from prefix
sums of the same polynomial, and the logits are `bincount`s of the weights of the hashed
buckets, so the Python work per text is only lowercasing and normalising its words.

Features of a text (after `prepare`: lowercased, informal words normalised, URLs and mentions
replaced, punctuation and emoji split off as tokens):
- character n-grams of the orders in `char_orders` (spaces included, so across word boundaries);
- word unigrams and bigrams;
- negation scope: the `negation_scope` words after tidak/bukan/belum/jangan/... (up to a comma or
  full stop) have their unigram and character n-gram features multiplied by -1, so "tidak enak"
  is pushed towards the opposite of "enak" even when the phrase was never seen in training;
- with `lexicon` on and a `Lexicon` given: a few dense features per text from a polarity word
  list (sum of positive and of negative polarities, negated words counting with the opposite
  sign; the same sums after a contrast word such as "tapi"/"namun"/"sayangnya"; positive and
  negative together; positive words beside an irony cue such as "katanya" or 🙃), whose weights
  are learned like any other feature;
- with `hashtags` on: a hashtag also yields its words ("#2019GantiPresiden" -> "2019 ganti
  presiden", "#gantipresiden" via the root-word list), so the words inside it count.
Each family is scaled by weight / sqrt(number of its n-grams in the text) (an approximate L2
normalisation that needs no sort). Buckets: 2**bits per family, shared hash space.

Weights are trained by scikit-learn's logistic regression on the same features (see train.py),
and stored (float32, zlib-compressed) with the settings in a joblib file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .base import Prediction

_P = 0x100000001B3  # odd: invertible modulo 2**64
_Q = pow(_P, -1, 1 << 64)
_P2 = 0xC2B2AE3D27D4EB4F
# one odd multiplier per feature family: (hash * mix) >> (64 - bits) is the bucket
_MIXES = {"char": 0x9E3779B97F4A7C15, "word": 0xD6E8FEB86659FD93, "bigram": 0xA0761D6478BD642F}
_M64 = (1 << 64) - 1
_POWERS: dict[str, np.ndarray] = {}


def _powers(kind: str, base: int, length: int) -> np.ndarray:
    """base**(i + offset) mod 2**64 for i < length, cached and grown as batches need."""
    have = _POWERS.get(kind)
    if have is None or len(have) < length:
        size = max(length, 1 << 16, 0 if have is None else 2 * len(have))
        arr = np.cumprod(np.full(size, base, np.uint64))
        _POWERS[kind] = np.concatenate(([np.uint64(1)], arr)) if kind == "p" else arr
    return _POWERS[kind]


def _qpow(length: int) -> np.ndarray:
    return _powers("q", _Q, length)[:length]  # Q**(t+1)


def _ppow(length: int) -> np.ndarray:
    return _powers("p", _P, length + 1)  # P**t

NEGATORS = ("tidak", "bukan", "belum", "jangan", "tanpa", "kurang", "tak")
BREAKS = (".", ",", "!", "?", ";", ":", "tapi", "tetapi", "namun", "padahal", "meski")

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_MENTION = re.compile(r"@[\w.]+")
_SPLIT = re.compile(r"[^\w\s]")


# Dense lexicon features: (name, bucket). The bucket numbers sit at the top of the hash space;
# a collision with an n-gram bucket there only adds noise to one weight.
LEXICON_FEATURES = ("lex_pos", "lex_neg", "lex_pos_after", "lex_neg_after", "lex_mixed",
                    "lex_pos_ironic", "lex_irony")
CONTRAST = 1
IRONY = 2


@dataclass
class Lexicon:
    """Polarity per word and cue flags, keyed by the word's hash (so the table, stored in a
    model file, holds no readable word list). Built by `Lexicon.build` from words."""

    hashes: np.ndarray  # sorted uint64
    polarity: np.ndarray  # float32, -5..+5
    flags: np.ndarray  # uint8: CONTRAST | IRONY

    @classmethod
    def build(cls, layers: Sequence[dict[str, float]], contrast: Sequence[str] = (),
              irony: Sequence[str] = (), featurizer: Featurizer | None = None,
              exclude: Sequence[str] = ()) -> Lexicon:
        """Words are prepared like texts (lowercased, normalised) and kept when they become one
        token. Each layer of polarities overrides the ones before it, token by token (so a
        later 0 removes a word); a word also counts with "-nya" ("korupsinya"). Tokens in
        `exclude` (negators) and contrast words get no polarity."""
        prepare = featurizer.prepare if featurizer is not None else (lambda ws: ws)

        def token(word: str) -> str | None:
            done = prepare([word])[0].split()
            return done[0] if len(done) == 1 else None

        merged: dict[str, float] = {}
        for layer in layers:
            tokens: dict[str, float] = {}
            for word, value in layer.items():
                t = token(word)
                if t is not None:
                    tokens[t] = float(value)
            merged.update(tokens)
        for t, value in list(merged.items()):
            merged.setdefault(t + "nya", value)
        silent = {token(w) for w in (*exclude, *contrast)}
        table: dict[int, list] = {}
        for t, value in merged.items():
            if value and t not in silent:
                table.setdefault(_poly(t), [0.0, 0])[0] = value
        for flag, words in ((CONTRAST, contrast), (IRONY, irony)):
            for word in words:
                t = token(word)
                if t is not None:
                    table.setdefault(_poly(t), [0.0, 0])[1] |= flag
        keys = sorted(table)
        return cls(np.array(keys, np.uint64),
                   np.array([table[k][0] for k in keys], np.float32),
                   np.array([table[k][1] for k in keys], np.uint8))

    def as_dict(self) -> dict:
        return {"hashes": self.hashes, "polarity": self.polarity, "flags": self.flags}

    @classmethod
    def from_dict(cls, d: dict) -> Lexicon:
        return cls(np.asarray(d["hashes"], np.uint64), np.asarray(d["polarity"], np.float32),
                   np.asarray(d["flags"], np.uint8))

    def lookup(self, word_hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(polarity, flags) of each word hash (0 where the word is not listed)."""
        if not len(self.hashes):
            z = np.zeros(len(word_hashes), np.float32)
            return z, z.astype(np.uint8)
        at = np.searchsorted(self.hashes, word_hashes)
        at[at == len(self.hashes)] = 0
        hit = self.hashes[at] == word_hashes
        return (np.where(hit, self.polarity[at], np.float32(0)),
                np.where(hit, self.flags[at], np.uint8(0)))


def _segment(word: str, vocabulary: frozenset[str]) -> list[str]:
    """Split a lowercase run of letters into known words (most letters covered by words of
    3+ letters; fewest pieces on ties); [] when no split covers it better than the whole."""
    n = len(word)
    if n < 6 or n > 40:
        return []
    best: list[tuple[int, int, int] | None] = [None] * (n + 1)  # (covered, -pieces, start)
    best[0] = (0, 0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - 20), end):
            prev = best[start]
            if prev is None:
                continue
            piece = word[start:end]
            known = len(piece) >= 3 and piece in vocabulary
            cand = (prev[0] + (len(piece) if known else 0), prev[1] - 1, start)
            if best[end] is None or cand[:2] > best[end][:2]:  # type: ignore[index]
                best[end] = cand
    pieces = []
    end = n
    while end > 0:
        start = best[end][2]  # type: ignore[index]
        pieces.append(word[start:end])
        end = start
    pieces.reverse()
    covered = best[n][0]  # type: ignore[index]
    return pieces if len(pieces) > 1 and covered >= n - 2 else []


def _poly(word: str) -> int:
    h = 0
    for ch in word:
        h = (h * _P + ord(ch)) & _M64
    return h


@dataclass
class FeatureConfig:
    bits: int = 20
    char_orders: tuple[int, ...] = (1, 2, 3, 4, 5)
    word_ngrams: int = 2
    negation_scope: int = 2
    weights: dict[str, float] = field(
        default_factory=lambda: {"char": 1.0, "word": 1.0, "bigram": 1.0})
    normalise: bool = True  # informal -> standard words before featurising
    # off by default so that model files saved before these existed featurise as before
    lexicon: bool = False  # dense polarity-lexicon features (needs a Lexicon)
    hashtags: bool = False  # split hashtags into words
    # with hashtags on: keep "#" as a token (off: a hashtag is only its words; in EmoT the
    # token mostly marks happy fan tweets)
    hashtag_mark: bool = True

    def as_dict(self) -> dict:
        d = asdict(self)
        d["char_orders"] = list(self.char_orders)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> FeatureConfig:
        d = dict(d)
        d["char_orders"] = tuple(d.get("char_orders", (1, 2, 3, 4, 5)))
        return cls(**d)


class Featurizer:
    def __init__(self, config: FeatureConfig | None = None,
                 lexicon: Lexicon | None = None) -> None:
        self.config = config or FeatureConfig()
        self.lexicon = lexicon if self.config.lexicon else None
        self._neg = np.array(sorted({_poly(w) for w in NEGATORS}), dtype=np.uint64)
        breaks = {_poly(w) for w in BREAKS}
        if self.lexicon is not None:  # a contrast word also ends a negation scope
            breaks |= set(self.lexicon.hashes[(self.lexicon.flags & CONTRAST) > 0].tolist())
        self._brk = np.array(sorted(breaks), dtype=np.uint64)
        self._vocabulary: frozenset[str] | None = None
        self._norm = None
        self._chunks: dict[str, str] = {}  # lowercased chunk -> prepared (see prepare)
        if self.config.normalise:
            from ..text.normalize import default

            self._norm = default()

    # -- text -> prepared string ------------------------------------------------------------
    def prepare(self, texts: Sequence[str | None]) -> list[str]:
        """Lowercase, replace URLs/mentions, split off punctuation, normalise words."""
        # URLs, mentions and words never span whitespace, so each whitespace-separated chunk
        # of the lowercased text is prepared once (chunks repeat) and the results are joined
        out = []
        chunks = self._chunks
        # hashtags are split by their capitals ("#GantiPresiden"), so chunks keep their case
        keep_case = self.config.hashtags
        for text in texts:
            if not text:
                out.append("")
                continue
            parts = []
            for chunk in (text if keep_case else text.lower()).split():
                done = chunks.get(chunk)
                if done is None:
                    done = self._prepare_chunk(chunk)
                if done:
                    parts.append(done)
            out.append(" ".join(parts))
        return out

    def _prepare_chunk(self, t: str) -> str:
        chunk = t
        if "://" in t or "www." in t or "WWW." in t.upper():
            t = _URL.sub(" url ", t)
        if self.config.hashtags:
            if "#" in t:
                t = _HASHTAG.sub(self._hashtag, t)
            t = t.lower()
        if "@" in t:
            t = _MENTION.sub(" @user ", t)
        words = _SPLIT.sub(r" \g<0> ", t).split()
        if self._norm is not None:
            cache, word = self._norm._cache, self._norm.word
            words = [cache.get(w) or word(w) for w in words]
        done = " ".join(words)
        if len(self._chunks) > 500_000:
            self._chunks.clear()
        self._chunks[chunk] = done
        return done

    def _hashtag(self, m: re.Match) -> str:
        """"#2019GantiPresiden" -> " # 2019gantipresiden 2019 ganti presiden " """
        tag = m.group(1)
        parts = _CAMEL.findall(tag)
        if len(parts) <= 1 or "".join(parts) != tag:
            if self._vocabulary is None:
                from ..text.normalize import root_words

                self._vocabulary = root_words()
            parts = []
            for run in re.findall(r"\d+|[^\W\d_]+", tag.lower()):
                parts += _segment(run, self._vocabulary) or [run]
        low = tag.lower()
        words = " ".join(p.lower() for p in parts)
        mark = "# " if self.config.hashtag_mark else ""
        return f" {mark}{low} {words} " if words != low else f" {mark}{low} "

    # -- prepared strings -> (rows, buckets, values) -----------------------------------------
    def hashed(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, bucket, value) of every feature occurrence of the prepared documents; a
        bucket may repeat within a row (the values add up)."""
        cfg = self.config
        n = len(docs)
        if n == 0:
            return (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32))
        joined = "\x00".join(f" {d} " for d in docs) + "\x00"
        c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        length = len(c)
        nul = np.flatnonzero(c == 0)  # one after each document
        sizes = np.diff(nul, prepend=-1)  # characters per document, its NUL included
        row = np.repeat(np.arange(n, dtype=np.int32), sizes)  # document of each position
        # characters left before the document's end: an n-gram of order k starting at i
        # stays inside its document iff left[i] >= k
        left = np.repeat(nul, sizes) - np.arange(length)
        shift = np.uint64(64 - cfg.bits)

        def bucket(h: np.ndarray, family: str) -> np.ndarray:
            return ((h * np.uint64(_MIXES[family])) >> shift).astype(np.int32)

        # words: maximal runs of non-space characters
        sep = c <= 32  # NUL or space
        nonsep = ~sep
        begins = np.flatnonzero(nonsep & np.concatenate(([True], sep[:-1])))
        ends = np.flatnonzero(nonsep & np.concatenate((sep[1:], [True]))) + 1
        # prefix sums of the rolling polynomial give any span's hash in O(1)
        g = np.empty(length + 1, np.uint64)
        g[0] = 0
        np.cumsum(c * _qpow(length), out=g[1:])
        wh = (g[ends] - g[begins]) * _ppow(length)[ends]  # == _poly(word)
        wrow = row[begins]

        # negation scope over words (stops at a break word or the end of the document)
        negated = None
        if cfg.negation_scope and len(wh):
            isneg = np.isin(wh, self._neg)
            if isneg.any():
                brk = np.isin(wh, self._brk)
                same = np.concatenate(([False], wrow[1:] == wrow[:-1]))
                prop = isneg
                negated = np.zeros(len(wh), bool)
                for _ in range(cfg.negation_scope):
                    prop = np.concatenate(([False], prop[:-1])) & same & ~brk & ~isneg
                    negated |= prop
                if not negated.any():
                    negated = None
        dense = self._lexicon_features(wh, wrow, negated, n) if self.lexicon is not None \
            else None
        flip_char = None
        if negated is not None:
            # characters of a negated word (and the space before it) flip their n-grams
            delta = np.zeros(length + 1, np.int32)
            np.add.at(delta, begins[negated] - 1, 1)
            np.add.at(delta, ends[negated], -1)
            flip_char = np.cumsum(delta[:-1]) > 0

        # Output arrays, filled in place: character n-grams of every order at every position
        # (an n-gram that would cross the document's end, or a lone space, gets value 0, which
        # the product ignores: cheaper than compacting), then words, then word bigrams.
        orders = sorted(k for k in cfg.char_orders if k <= length)
        pairs = np.flatnonzero(wrow[1:] == wrow[:-1]) if cfg.word_ngrams >= 2 and len(wh) > 1 \
            else np.zeros(0, np.int64)
        n_words = len(wh) if cfg.word_ngrams >= 1 else 0
        total = sum(length - k + 1 for k in orders) + n_words + len(pairs)
        if dense is not None:
            total += dense.size
        rows = np.empty(total, np.int32)
        cols = np.empty(total, np.int32)
        vals = np.empty(total, np.float32)

        def scale(counts: np.ndarray, family: str) -> np.ndarray:
            return (cfg.weights.get(family, 1.0) / np.sqrt(np.maximum(counts, 1))) \
                .astype(np.float32)

        at = 0
        if orders:
            doc_len = sizes - 1  # padded document length without its NUL
            spaces = np.bincount(row[c == 32], minlength=n)
            counts = np.zeros(n, np.int64)
            for k in orders:
                counts += np.maximum(doc_len - k + 1, 0)
                if k == 1:
                    counts -= spaces
            char_scale = scale(counts, "char")
            sign = np.ones(length, np.float32)
            if flip_char is not None:
                sign[flip_char] = -1.0
            h = c
            for k in range(1, orders[-1] + 1):
                if k > 1:
                    h = h[:-1] * np.uint64(_P) + c[k - 1:]
                if k not in orders:
                    continue
                m = length - k + 1
                rows[at:at + m] = row[:m]
                cols[at:at + m] = bucket(h, "char")
                valid = left[:m] >= k
                if k == 1:
                    valid &= c != 32
                np.multiply(char_scale[row[:m]], sign[:m], out=vals[at:at + m])
                vals[at:at + m] *= valid
                at += m
        if n_words:
            rows[at:at + n_words] = wrow
            cols[at:at + n_words] = bucket(wh, "word")
            v = scale(np.bincount(wrow, minlength=n), "word")[wrow]
            if negated is not None:
                v[negated] *= -1.0
            vals[at:at + n_words] = v
            at += n_words
        if len(pairs):
            prow = wrow[pairs]
            end = at + len(pairs)
            rows[at:end] = prow
            cols[at:end] = bucket(wh[pairs] * np.uint64(_P2) + wh[pairs + 1], "bigram")
            vals[at:end] = scale(np.bincount(prow, minlength=n), "bigram")[prow]
            at = end
        if dense is not None:
            k = dense.shape[1]
            rows[at:] = np.repeat(np.arange(n, dtype=np.int32), k)
            cols[at:] = np.tile(self.dense_buckets(), n)
            vals[at:] = dense.ravel() * np.float32(cfg.weights.get("lexicon", 1.0))
        return rows, cols, vals

    def dense_buckets(self) -> np.ndarray:
        """The buckets of LEXICON_FEATURES: the last ones of the hash space."""
        top = 1 << self.config.bits
        return np.arange(top - len(LEXICON_FEATURES), top, dtype=np.int32)

    def _lexicon_features(self, wh: np.ndarray, wrow: np.ndarray, negated: np.ndarray | None,
                          n: int) -> np.ndarray:
        """(n, len(LEXICON_FEATURES)) lexicon features, float32 (see the module docstring)."""
        assert self.lexicon is not None
        out = np.zeros((n, len(LEXICON_FEATURES)), np.float32)
        if not len(wh):
            return out
        polarity, flags = self.lexicon.lookup(wh)
        if negated is not None:
            polarity = np.where(negated, -polarity, polarity)
        # words after a contrast word in the same text: count contrast words so far per text
        contrast = (flags & CONTRAST) > 0
        seen = np.cumsum(contrast) - contrast
        first = np.flatnonzero(np.concatenate(([True], wrow[1:] != wrow[:-1])))
        starts = np.repeat(seen[first], np.diff(np.append(first, len(wh))))
        after = seen > starts
        pos = np.maximum(polarity, 0)
        neg = np.maximum(-polarity, 0)
        irony = np.bincount(wrow, weights=(flags & IRONY) > 0, minlength=n) > 0
        p = np.log1p(np.bincount(wrow, weights=pos, minlength=n))
        q = np.log1p(np.bincount(wrow, weights=neg, minlength=n))
        out[:, 0] = p
        out[:, 1] = q
        out[:, 2] = np.log1p(np.bincount(wrow, weights=pos * after, minlength=n))
        out[:, 3] = np.log1p(np.bincount(wrow, weights=neg * after, minlength=n))
        out[:, 4] = np.minimum(p, q)
        out[:, 5] = p * irony
        out[:, 6] = irony
        return out

    def matrix(self, texts: Sequence[str | None], *, prepared: bool = False):
        """Sparse (texts x 2**bits) matrix, duplicates summed (for training)."""
        import scipy.sparse as sp

        docs = list(texts) if prepared else self.prepare(texts)
        r, b, v = self.hashed(docs)
        m = sp.csr_matrix((v, (r, b)), shape=(len(docs), 1 << self.config.bits),
                          dtype=np.float32)
        m.sum_duplicates()
        m.eliminate_zeros()
        return m


class LinearTextModel:
    """Softmax over hashed features. Satisfies the Classifier protocol (models/base.py)."""

    def __init__(self, name: str, version: str, labels: Sequence[str], weights: np.ndarray,
                 bias: np.ndarray, config: FeatureConfig, meta: dict | None = None,
                 batch_size: int = 2048, threads: int | None = None,
                 lexicon: Lexicon | None = None) -> None:
        self.NAME = name
        self.VERSION = version
        self.LABELS = tuple(labels)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)  # (2**bits, n_labels)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.config = config
        self.meta = meta or {}
        self.batch_size = batch_size
        # numpy and scipy release the GIL in the heavy steps, so two threads use two cores
        self.threads = threads if threads is not None else min(2, os.cpu_count() or 1)
        self.lexicon = lexicon
        self.featurizer = Featurizer(config, lexicon)

    def warm(self) -> None:
        """Import what prediction imports on first use (before worker processes fork)."""
        import scipy.sparse  # noqa: F401

    # -- prediction --------------------------------------------------------------------------
    def probabilities(self, texts: Sequence[str | None]) -> np.ndarray:
        """(len(texts), n_labels) probabilities."""
        size = self.batch_size
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        if not chunks:
            return np.zeros((0, len(self.LABELS)), np.float64)
        prepare = self.featurizer.prepare
        if self.threads > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                parts = list(pool.map(lambda chunk: self._proba(prepare(chunk)), chunks))
        else:
            parts = [self._proba(prepare(chunk)) for chunk in chunks]
        return np.concatenate(parts)

    def _proba(self, docs: list[str]) -> np.ndarray:
        import scipy.sparse as sp

        n = len(docs)
        r, b, v = self.featurizer.hashed(docs)
        # a COO product runs one C loop over the features: no sort, no Python per feature
        logits = sp.coo_matrix((v, (r, b)), shape=(n, self.weights.shape[0])) @ self.weights
        logits = np.asarray(logits, dtype=np.float64) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        texts = list(texts)
        proba = self.probabilities(texts)
        labels = self.LABELS
        best = proba.argmax(axis=1)
        rounded = proba.round(4).tolist()
        return [Prediction(labels[i], dict(zip(labels, p, strict=True)))
                for i, p in zip(best.tolist(), rounded, strict=True)]

    def predict_labels(self, texts: Sequence[str | None]) -> tuple[list[str], np.ndarray]:
        """(labels, probability of each label) without building Prediction objects."""
        proba = self.probabilities(list(texts))
        best = proba.argmax(axis=1)
        return [self.LABELS[i] for i in best.tolist()], proba[np.arange(len(best)), best]

    # -- persistence --------------------------------------------------------------------------
    def save(self, path: Path | str) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": "pantau-linear-1", "name": self.NAME, "version": self.VERSION,
            "labels": list(self.LABELS), "config": self.config.as_dict(),
            "weights": self.weights, "bias": self.bias,
            "meta": self.meta,
        }
        if self.lexicon is not None:
            payload["lexicon"] = self.lexicon.as_dict()
        joblib.dump(payload, path, compress=("zlib", 6))
        return path

    @classmethod
    def load(cls, path: Path | str, *, name: str | None = None,
             version: str | None = None) -> LinearTextModel:
        import joblib

        payload = joblib.load(Path(path))
        if not isinstance(payload, dict) or payload.get("format") != "pantau-linear-1":
            raise ValueError(f"{path} is not a pantau linear model")
        lexicon = payload.get("lexicon")
        return cls(name or payload["name"], version or payload["version"], payload["labels"],
                   payload["weights"], payload["bias"],
                   FeatureConfig.from_dict(payload["config"]), payload.get("meta"),
                   lexicon=Lexicon.from_dict(lexicon) if lexicon is not None else None)


def file_digest(path: Path | str, n: int = 8) -> str:
    """A short content hash: the version of a project-local model."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:n]
