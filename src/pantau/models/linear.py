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
with idf folded into the weights, and stored as float16 with the settings in a joblib file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .base import Prediction

_P = 0x100000001B3  # odd: invertible modulo 2**64
_Q = pow(_P, -1, 1 << 64)
_P2 = 0xC2B2AE3D27D4EB4F
_MIX = 0x9E3779B97F4A7C15
_SALT = {"char": 0x51ED27, "word": 0x2F0F1D, "bigram": 0x7A3B9C, "negword": 0x1B873593}
_M64 = (1 << 64) - 1

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
        if self.config.normalise:
            from ..text.normalize import default

            self._norm = default()

    # -- text -> prepared string ------------------------------------------------------------
    def prepare(self, texts: Sequence[str | None]) -> list[str]:
        """Lowercase, replace URLs/mentions, split off punctuation, normalise words."""
        out = []
        norm = self._norm
        cache = norm._cache if norm is not None else None
        word = norm.word if norm is not None else None
        for text in texts:
            if not text:
                out.append("")
                continue
            t = text.lower()
            if "://" in t or "www." in t:
                t = _URL.sub(" url ", t)
            if "@" in t:
                t = _MENTION.sub(" @user ", t)
            words = _SPLIT.sub(r" \g<0> ", t).split()
            if word is not None:
                words = [cache.get(w) or word(w) for w in words]
            out.append(" ".join(words))
        return out

    # -- prepared strings -> (rows, buckets, values) -----------------------------------------
    def hashed(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cfg = self.config
        n = len(docs)
        if n == 0:
            return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
        joined = "\x00".join(f" {d} " for d in docs)
        c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        length = len(c)
        is_nul = c == 0
        row = np.cumsum(is_nul)  # document index of each position
        zc = np.empty(length + 1, np.int64)
        zc[0] = 0
        np.cumsum(is_nul, out=zc[1:])
        shift = np.uint64(64 - cfg.bits)

        def bucket(h: np.ndarray, family: str) -> np.ndarray:
            return (((h ^ np.uint64(_SALT[family])) * np.uint64(_MIX)) >> shift).astype(np.int64)

        # words: maximal runs of non-space characters
        sep = is_nul | (c == 32)
        nonsep = ~sep
        begins = np.flatnonzero(nonsep & np.concatenate(([True], sep[:-1])))
        ends = np.flatnonzero(nonsep & np.concatenate((sep[1:], [True]))) + 1
        qpow = np.cumprod(np.full(length, _Q, np.uint64))  # Q^(t+1)
        g = np.empty(length + 1, np.uint64)
        g[0] = 0
        np.cumsum(c * qpow, out=g[1:])
        ppow = np.empty(length + 1, np.uint64)
        ppow[0] = 1
        np.cumprod(np.full(length, _P, np.uint64), out=ppow[1:])
        wh = (g[ends] - g[begins]) * ppow[ends]  # == rolling polynomial of each word
        wrow = row[begins]

        # negation scope over words (stops at a break word or the end of the document)
        sign_word = np.ones(len(wh), np.float32)
        if cfg.negation_scope and len(wh):
            isneg = np.isin(wh, self._neg)
            brk = np.isin(wh, self._brk)
            same = np.concatenate(([False], wrow[1:] == wrow[:-1]))
            prop = isneg
            negated = np.zeros(len(wh), bool)
            for _ in range(cfg.negation_scope):
                prop = np.concatenate(([False], prop[:-1])) & same & ~brk & ~isneg
                negated |= prop
            sign_word[negated] = -1.0
        sign_char = np.ones(length, np.float32)
        if cfg.negation_scope and len(wh) and (sign_word < 0).any():
            # characters of a negated word (and the space before it) take its sign
            delta = np.zeros(length + 1, np.float32)
            nb, ne = begins[sign_word < 0], ends[sign_word < 0]
            np.add.at(delta, nb - 1, 1.0)
            np.add.at(delta, ne, -1.0)
            sign_char[np.cumsum(delta[:-1]) > 0] = -1.0

        rows, cols, vals = [], [], []

        def add(r: np.ndarray, b: np.ndarray, s: np.ndarray | None, family: str) -> None:
            if not len(r):
                return
            counts = np.bincount(r, minlength=n).astype(np.float32)
            scale = (cfg.weights.get(family, 1.0) / np.sqrt(np.maximum(counts, 1.0)))
            v = scale[r]
            if s is not None:
                v = v * s
            rows.append(r)
            cols.append(b)
            vals.append(v.astype(np.float32))

        # character n-grams
        crow, cbucket, csign = [], [], []
        h = c.copy()
        top = max(cfg.char_orders) if cfg.char_orders else 0
        for k in range(1, top + 1):
            if k > 1:
                h = h[:-1] * np.uint64(_P) + c[k - 1:]
            if k not in cfg.char_orders:
                continue
            ok = (zc[k:] - zc[:-k]) == 0
            if k == 1:
                ok &= c != 32
            idx = np.flatnonzero(ok)
            crow.append(row[idx])
            cbucket.append(bucket(h[idx], "char"))
            csign.append(sign_char[idx])
        if crow:
            add(np.concatenate(crow), np.concatenate(cbucket), np.concatenate(csign), "char")
        if cfg.word_ngrams >= 1 and len(wh):
            add(wrow, bucket(wh, "word"), sign_word, "word")
        if cfg.word_ngrams >= 2 and len(wh) > 1:
            pair = np.flatnonzero(wrow[1:] == wrow[:-1])
            bh = wh[pair] * np.uint64(_P2) + wh[pair + 1]
            add(wrow[pair], bucket(bh, "bigram"), None, "bigram")
        if not rows:
            return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def matrix(self, texts: Sequence[str | None], *, prepared: bool = False):
        """Sparse (texts x 2**bits) matrix, duplicates summed (for training)."""
        import scipy.sparse as sp

        docs = list(texts) if prepared else self.prepare(texts)
        r, b, v = self.hashed(docs)
        m = sp.csr_matrix((v, (r, b)), shape=(len(docs), 1 << self.config.bits),
                          dtype=np.float32)
        m.sum_duplicates()
        return m


class LinearTextModel:
    """Softmax over hashed features. Satisfies the Classifier protocol (models/base.py)."""

    def __init__(self, name: str, version: str, labels: Sequence[str], weights: np.ndarray,
                 bias: np.ndarray, config: FeatureConfig, meta: dict | None = None,
                 batch_size: int = 2048) -> None:
        self.NAME = name
        self.VERSION = version
        self.LABELS = tuple(labels)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)  # (2**bits, n_labels)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.config = config
        self.meta = meta or {}
        self.batch_size = batch_size
        self.featurizer = Featurizer(config)

    # -- prediction --------------------------------------------------------------------------
    def probabilities(self, texts: Sequence[str | None]) -> np.ndarray:
        """(len(texts), n_labels) probabilities."""
        out = np.empty((len(texts), len(self.LABELS)), np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start:start + self.batch_size]
            out[start:start + len(chunk)] = self._proba(self.featurizer.prepare(chunk))
        return out

    def _proba(self, docs: list[str]) -> np.ndarray:
        n, k = len(docs), len(self.LABELS)
        r, b, v = self.featurizer.hashed(docs)
        logits = np.empty((n, k), np.float32)
        gathered = self.weights[b]  # (features, k)
        for j in range(k):
            logits[:, j] = np.bincount(r, weights=gathered[:, j] * v, minlength=n)
        logits += self.bias
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        texts = list(texts)
        proba = self.probabilities(texts)
        labels = self.LABELS
        best = proba.argmax(axis=1)
        rounded = np.round(proba, 4).tolist()
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
            "weights": self.weights.astype(np.float16), "bias": self.bias,
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
