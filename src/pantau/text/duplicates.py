"""Copy-paste detection at corpus scale: identical and near-identical comments.

Same definition as pantau.models.category.assign_duplicate_groups (texts normalised: lower case,
no URLs/mentions/emoji/punctuation, stretched letters collapsed; texts under `min_words` words
never grouped; near-duplicates = Jaccard similarity of character 5-gram sets >= `similarity`;
group id "dup-" + hash of the group's smallest normalised text), computed with numpy so that a
project's whole comment table can be regrouped on every enrich run:

1. identical normalised texts are grouped with a dictionary;
2. the distinct texts' 5-gram hashes come from one rolling polynomial over all their characters;
3. MinHash signatures (32 hash functions) are per-document `minimum.reduceat`s;
4. locality-sensitive hashing (8 bands of 4) proposes candidate pairs (each member of a bucket
   with the bucket's first member and with its neighbour), screened by the signatures' estimate
   and, unless the estimate is far above the threshold, confirmed with the exact Jaccard
   similarity of the two 5-gram sets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_STRETCH = re.compile(r"([^\W\d_])\1{2,}")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:bit\.ly|s\.id|t\.co|wa\.me|linktr\.ee|youtu\.be)/\S*")
_MENTION = re.compile(r"@[\w.]+")
_NONWORD = re.compile(r"[^\w\s]|_")
_P = np.uint64(0x100000001B3)
_PERMS = 32
_BANDS = 8
_rng = np.random.default_rng(20241127)
_A = (_rng.integers(1, 2**63, _PERMS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_B = _rng.integers(0, 2**63, _PERMS, dtype=np.uint64)


@dataclass(frozen=True)
class DuplicateGroups:
    ids: list[str | None]  # group id per text (None: not a duplicate)
    sizes: dict[str, int]  # texts per group
    authors: dict[str, int]  # distinct authors per group (0 when authors are unknown)


def groups_from_members(members, norms: Sequence[str],
                        authors: Sequence[Any] | None) -> DuplicateGroups:
    """Groups of two or more texts, each named by a hash of its smallest normalised text so the
    id does not depend on the order of the corpus."""
    ids: list[str | None] = [None] * len(norms)
    sizes: dict[str, int] = {}
    n_authors: dict[str, int] = {}
    for group in members:
        if len(group) < 2:
            continue
        key = min(norms[i] for i in group)
        gid = "dup-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        for i in group:
            ids[i] = gid
        sizes[gid] = len(group)
        n_authors[gid] = len({authors[i] for i in group if authors[i] is not None}) \
            if authors is not None else 0
    return DuplicateGroups(ids, sizes, n_authors)


def normalise(text: str | None) -> str:
    """Lower case, NFKC; no URLs, mentions, emoji or punctuation (a hashtag keeps its word);
    stretched letters collapsed."""
    if not text:
        return ""
    t = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    if "http" in t or "www." in t or "/" in t:
        t = _URL.sub(" ", t)
    if "@" in t:
        t = _MENTION.sub(" ", t)
    t = _STRETCH.sub(r"\1", t)
    return " ".join(_NONWORD.sub(" ", t).split())


def _shingle_hashes(docs: list[str], n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every character n-gram of every document, documents one after another, and
    the offset where each document's n-grams start (a document shorter than n counts whole)."""
    padded = [d if len(d) >= n else d.ljust(n, "\x01") for d in docs]
    joined = "\x00".join(padded) + "\x00"
    c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = c.copy()
    for k in range(1, n):
        h = h[:-1] * _P + c[k:]
    lengths = np.fromiter((len(d) for d in padded), dtype=np.int64, count=len(padded))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    counts = lengths - n + 1
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    # positions of the valid windows: start_d .. start_d + count_d - 1 for each document
    index = np.repeat(starts - offsets, counts) + np.arange(counts.sum())
    return h[index], offsets


def _minhash(hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    sig = np.empty((len(offsets), _PERMS), np.uint64)
    for p in range(_PERMS):
        v = (hashes ^ _B[p]) * _A[p]
        v ^= v >> np.uint64(29)
        sig[:, p] = np.minimum.reduceat(v, offsets)
    return sig


def _candidates(sig: np.ndarray) -> np.ndarray:
    """Pairs (i, j), i < j, sharing a band: each member of a bucket is paired with the
    bucket's first member and with its predecessor (enough for the groups' union)."""
    rows = _PERMS // _BANDS
    n = len(sig)
    keys = []
    for band in range(_BANDS):
        block = sig[:, band * rows:(band + 1) * rows]
        key = block[:, 0].copy()
        for j in range(1, rows):
            key = key * _P + block[:, j]
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.concatenate(([True], sorted_key[1:] != sorted_key[:-1]))
        first = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
        inside = ~starts
        for a, b in ((first[inside], order[inside]),
                     (order[:-1][inside[1:]], order[1:][inside[1:]])):
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            keys.append(lo.astype(np.int64) * n + hi)
    if not keys:
        return np.zeros((0, 2), np.int64)
    unique = np.unique(np.concatenate(keys))
    unique = unique[unique // n != unique % n]
    return np.stack([unique // n, unique % n], 1)


def duplicate_groups(texts: Sequence[str | None], authors: Sequence[Any] | None = None, *,
                     similarity: float = 0.8, min_words: int = 4) -> DuplicateGroups:
    """Group identical or near-identical texts (see the module docstring)."""
    norms = [normalise(t) for t in texts]
    parent = list(range(len(norms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first: dict[str, int] = {}
    eligible: list[int] = []
    uniques: list[int] = []
    for i, norm in enumerate(norms):
        if norm.count(" ") + 1 < min_words or not norm:
            continue
        eligible.append(i)
        j = first.setdefault(norm, i)
        if j == i:
            uniques.append(i)
        else:
            union(j, i)
    if len(uniques) > 1 and similarity < 1.0:
        hashes, offsets = _shingle_hashes([norms[i] for i in uniques])
        sig = _minhash(hashes, offsets)
        pairs = _candidates(sig)
        estimate = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1)
        # two standard errors of a 32-hash estimate: below, no; far above, yes; else exact
        keep = estimate >= similarity - 0.15
        pairs, sure = pairs[keep], estimate[keep] >= min(similarity + 0.15, 1.0)
        ends = np.append(offsets[1:], len(hashes))
        sets: dict[int, set] = {}

        def shingles(k: int) -> set:
            if k not in sets:
                sets[k] = set(hashes[offsets[k]:ends[k]].tolist())
            return sets[k]

        for (x, y), certain in zip(pairs.tolist(), sure.tolist(), strict=True):
            if not certain:  # near the threshold: the exact Jaccard decides
                a, b = shingles(x), shingles(y)
                inter = len(a & b)
                if inter / (len(a) + len(b) - inter) < similarity:
                    continue
            union(uniques[x], uniques[y])
    members: dict[int, list[int]] = {}
    for i in eligible:
        members.setdefault(find(i), []).append(i)
    return groups_from_members(members.values(), norms, authors)
