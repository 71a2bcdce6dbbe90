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
  is pushed towards the opposite of "enak" even when the phrase was never seen in training.
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

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@[\w.]+")
_SPLIT = re.compile(r"[^\w\s]")


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
    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        self._neg = np.array(sorted({_poly(w) for w in NEGATORS}), dtype=np.uint64)
        self._brk = np.array(sorted({_poly(w) for w in BREAKS}), dtype=np.uint64)
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
        for text in texts:
            if not text:
                out.append("")
                continue
            parts = []
            for chunk in text.lower().split():
                done = chunks.get(chunk)
                if done is None:
                    done = self._prepare_chunk(chunk)
                if done:
                    parts.append(done)
            out.append(" ".join(parts))
        return out

    def _prepare_chunk(self, t: str) -> str:
        chunk = t
        if "://" in t or "www." in t:
            t = _URL.sub(" url ", t)
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
            rows[at:] = prow
            cols[at:] = bucket(wh[pairs] * np.uint64(_P2) + wh[pairs + 1], "bigram")
            vals[at:] = scale(np.bincount(prow, minlength=n), "bigram")[prow]
        return rows, cols, vals

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
                 batch_size: int = 2048, threads: int | None = None) -> None:
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
        self.featurizer = Featurizer(config)

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
        joblib.dump(payload, path, compress=("zlib", 6))
        return path

    @classmethod
    def load(cls, path: Path | str, *, name: str | None = None,
             version: str | None = None) -> LinearTextModel:
        import joblib

        payload = joblib.load(Path(path))
        if not isinstance(payload, dict) or payload.get("format") != "pantau-linear-1":
            raise ValueError(f"{path} is not a pantau linear model")
        return cls(name or payload["name"], version or payload["version"], payload["labels"],
                   payload["weights"], payload["bias"],
                   FeatureConfig.from_dict(payload["config"]), payload.get("meta"))


def file_digest(path: Path | str, n: int = 8) -> str:
    """A short content hash: the version of a project-local model."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:n]
