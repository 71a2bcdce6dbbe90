"""Copy-paste detection at corpus scale: identical and near-identical comments.

The one definition of copy-paste, used by enrich and by the comment category (texts normalised:
lower case, no URLs/mentions/emoji/punctuation, stretched letters collapsed; texts under
`min_words` words never grouped; near-duplicates = Jaccard similarity of character 5-gram
sets >= `similarity`; group id "dup-" + hash of the group's smallest normalised text),
computed with numpy so that a project's whole comment table can be regrouped on every enrich
run:

1. identical normalised texts are grouped with a dictionary;
2. the distinct texts' 5-gram hashes come from one rolling polynomial over all their characters;
3. MinHash signatures (32 hash functions) are per-document `minimum.reduceat`s;
4. locality-sensitive hashing (8 bands of 4) proposes candidate pairs (each member of a bucket
   with the bucket's first member and with its neighbour), screened by the signatures' estimate
   and, unless the estimate is far above the threshold, confirmed with the exact Jaccard
   similarity of the two 5-gram sets.

Coordinated copy-paste ("salinan terkoordinasi") is decided by `coordinated_copies` below, the
one definition shared by the comment category, enrich and the coordination analysis: within a
duplicate group, a copy is coordinated when at least `min_accounts` distinct accounts posted
copies of the group inside one window of `window_minutes` that includes it. A slogan that
unrelated fans repeat over days forms a duplicate group but no such burst, so it is not
coordinated. Settings: `[coordination]` in the category lexicon (models/lexicons/category.toml,
or the project's lexicons/category.toml).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
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
    # per text: a coordinated copy (see coordinated_copies); None: not judged (no times)
    coordinated: list[bool] | None = None
    # group -> the most distinct accounts found inside one window (only groups judged)
    bursts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CoordinationSettings:
    """When copies count as coordinated: `min_accounts` distinct accounts within
    `window_minutes`. Defaults: a pasted script from a coordinated team lands within minutes of
    the instruction (the demo's and the reported Indonesian buzzer bursts: under 15 minutes),
    fans repeating a slogan spread over hours and days; 30 minutes keeps a slow team's burst
    whole, and three accounts rule out two friends posting the same line by chance."""

    window_minutes: float = 30.0
    min_accounts: int = 3
    # share of a group's copies that must lie in such bursts: a phrase many people write
    # anyway ("kurang detail penjelasannya...") meets 3 accounts in 30 minutes now and then on
    # busy posts, but most of its copies are scattered; a team's script is mostly bursts
    min_share: float = 0.5

    @classmethod
    def from_table(cls, table: dict[str, Any] | None, where: str = "[coordination]"
                   ) -> CoordinationSettings:
        """From a TOML table {window_minutes, min_accounts, min_share}; a bad value raises
        ValueError naming the key."""
        table = table or {}
        out = cls()
        unknown = set(table) - {"window_minutes", "min_accounts", "min_share"}
        if unknown:
            raise ValueError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: "
                             "window_minutes, min_accounts, min_share)")
        try:
            window = float(table.get("window_minutes", out.window_minutes))
            accounts = int(table.get("min_accounts", out.min_accounts))
            share = float(table.get("min_share", out.min_share))
        except (TypeError, ValueError):
            raise ValueError(f"{where}: window_minutes and min_share must be numbers, "
                             "min_accounts a whole number") from None
        if window <= 0 or accounts < 2 or not 0 <= share <= 1:
            raise ValueError(f"{where}: window_minutes must be > 0, min_accounts >= 2 and "
                             f"min_share between 0 and 1 (got {window}, {accounts}, {share})")
        return cls(window, accounts, share)

    @property
    def digest(self) -> str:
        return f"{self.window_minutes:g}m{self.min_accounts}a{self.min_share:g}s"


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
    if text.isascii():
        # every step is confined to a whitespace-separated chunk, and chunks repeat: each
        # is normalised once (NFKC, which can change spacing, keeps other texts whole)
        out = []
        for chunk in text.lower().split():
            done = _CHUNKS.get(chunk)
            if done is None:
                done = _normalise(chunk)
                if len(_CHUNKS) > 500_000:
                    _CHUNKS.clear()
                _CHUNKS[chunk] = done
            if done:
                out.append(done)
        return " ".join(out)
    return _normalise(unicodedata.normalize("NFKC", text).lower())


_CHUNKS: dict[str, str] = {}


def _normalise(t: str) -> str:
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
    if not len(offsets):
        return sig
    # documents in blocks of about _BLOCK n-grams, each hashed 32 times while it is in the
    # cache (whole arrays would stream every pass through memory); same arithmetic
    ends = np.append(offsets[1:], len(hashes))
    cut = np.searchsorted(offsets, np.arange(0, len(hashes), _BLOCK), side="right") - 1
    bounds = sorted(set(cut.tolist()) | {len(offsets)})
    shift = np.uint64(29)
    for d0, d1 in zip(bounds, bounds[1:], strict=False):
        h0, h1 = int(offsets[d0]), int(ends[d1 - 1])
        block = hashes[h0:h1]
        starts = offsets[d0:d1] - h0
        v = np.empty_like(block)
        t = np.empty_like(block)
        for p in range(_PERMS):
            np.bitwise_xor(block, _B[p], out=v)
            np.multiply(v, _A[p], out=v)
            np.right_shift(v, shift, out=t)
            np.bitwise_xor(v, t, out=v)
            sig[d0:d1, p] = np.minimum.reduceat(v, starts)
    return sig


_BLOCK = 32_768


def _agreement(sig: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Share of equal signature entries for each pair, in blocks of pairs (the whole gather
    would build two arrays of pairs x 32 x 8 bytes)."""
    out = np.empty(len(pairs), np.float64)
    for k in range(0, len(pairs), _BLOCK):
        p = pairs[k:k + _BLOCK]
        out[k:k + _BLOCK] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    return out


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
    unique = _sorted_unique(np.concatenate(keys))
    unique = unique[unique // n != unique % n]
    return np.stack([unique // n, unique % n], 1)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) of a 1-d integer array, by sorting (numpy's hash-based unique is
    several times slower on millions of keys)."""
    out = np.sort(values)
    return out[np.concatenate(([True], out[1:] != out[:-1]))] if len(out) else out


Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]


def duplicate_groups(texts: Sequence[str | None], authors: Sequence[Any] | None = None, *,
                     similarity: float = 0.8, min_words: int = 4, mapper: Mapper = map,
                     parts: int = 1) -> DuplicateGroups:
    """Group identical or near-identical texts (see the module docstring).

    `mapper` and `parts`: the per-text stages (normalising, signatures, exact similarities) run
    as `parts` pieces through `mapper`, e.g. a process pool's map to use several cores; the
    result is the same."""
    norms = [n for piece in mapper(_normalise_many, _split(list(texts), parts)) for n in piece]
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
        docs = [norms[i] for i in uniques]
        sig = np.concatenate(list(mapper(_signatures, _split(docs, parts))))
        pairs = _candidates(sig)
        estimate = _agreement(sig, pairs)
        # two standard errors of a 32-hash estimate: below, no; far above, yes; else exact
        keep = estimate >= similarity - 0.15
        pairs, sure = pairs[keep], estimate[keep] >= min(similarity + 0.15, 1.0)
        # near the threshold the exact Jaccard decides; the order of the unions is immaterial
        unsure = pairs[~sure]
        jobs = [(chunk, [docs[k] for k in _sorted_unique(chunk.ravel()).tolist()], similarity)
                for chunk in _split(unsure, parts)]
        close = np.concatenate([np.zeros(0, bool), *mapper(_similar, jobs)])
        for x, y in np.concatenate([pairs[sure], unsure[close]]).tolist():
            union(uniques[x], uniques[y])
    members: dict[int, list[int]] = {}
    for i in eligible:
        members.setdefault(find(i), []).append(i)
    return groups_from_members(members.values(), norms, authors)


def as_seconds(value: Any) -> float | None:
    """A time as seconds since the epoch: datetime (naive = UTC), date, number or ISO text."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return (value - datetime(1970, 1, 1)).total_seconds()
        return value.timestamp()
    if isinstance(value, date):
        return (datetime(value.year, value.month, value.day) - datetime(1970, 1, 1)).total_seconds()
    stamp = getattr(value, "timestamp", None)  # e.g. a pandas Timestamp
    return float(stamp()) if callable(stamp) else None


def coordinated_copies(groups: DuplicateGroups, authors: Sequence[Any] | None,
                       times: Sequence[Any] | None,
                       settings: CoordinationSettings | None = None) -> DuplicateGroups:
    """THE definition of a coordinated copy (salinan terkoordinasi): `groups` (from
    duplicate_groups over the same texts) with `coordinated` and `bursts` filled in.

    A copy is coordinated when it lies inside some window of `settings.window_minutes` in which
    copies of its group were posted by at least `settings.min_accounts` distinct accounts (a
    burst), and at least `settings.min_share` of the group's copies lie in bursts (else the
    bursts are taken as chance meetings of a phrase many people write). Copies without an
    author or a time are never coordinated; without authors or times at all nothing is judged
    (`coordinated` stays None). The windows slide over each group's copies in time order, so
    the cost is one sort per group. `bursts`: group -> most distinct accounts in one window."""
    settings = settings or CoordinationSettings()
    if authors is None or times is None:
        return replace(groups, coordinated=None, bursts={})
    n = len(groups.ids)
    if len(authors) != n or len(times) != n:
        raise ValueError("coordinated_copies: texts, authors and times differ in length")
    members: dict[str, list[tuple[float, Any, int]]] = {}
    for i, gid in enumerate(groups.ids):
        if gid is None or authors[i] is None:
            continue
        when = as_seconds(times[i])
        if when is not None:
            members.setdefault(gid, []).append((when, authors[i], i))
    flags = [False] * n
    bursts: dict[str, int] = {}
    span = settings.window_minutes * 60.0
    need = settings.min_accounts
    for gid, copies in members.items():
        copies.sort(key=lambda c: (c[0], c[2]))
        counts: dict[Any, int] = {}
        best = 0
        start = 0
        marked_to = 0  # copies before this index are already marked
        inside: list[int] = []
        for end, (when, author, _) in enumerate(copies):
            counts[author] = counts.get(author, 0) + 1
            while when - copies[start][0] > span:
                old = copies[start][1]
                counts[old] -= 1
                if not counts[old]:
                    del counts[old]
                start += 1
            best = max(best, len(counts))
            if len(counts) >= need:
                inside.extend(copies[k][2] for k in range(max(start, marked_to), end + 1))
                marked_to = end + 1
        bursts[gid] = best
        if inside and len(inside) >= settings.min_share * len(copies):
            for i in inside:
                flags[i] = True
    return replace(groups, coordinated=flags, bursts=bursts)


def coordinated_groups(texts: Sequence[str | None], authors: Sequence[Any] | None,
                       times: Sequence[Any] | None, *, similarity: float = 0.8,
                       min_words: int = 4, settings: CoordinationSettings | None = None,
                       mapper: Mapper = map, parts: int = 1) -> DuplicateGroups:
    """duplicate_groups then coordinated_copies: copy-paste groups with the coordinated copies
    marked (what the comment category and the coordination analysis use)."""
    groups = duplicate_groups(texts, authors, similarity=similarity, min_words=min_words,
                              mapper=mapper, parts=parts)
    return coordinated_copies(groups, authors, times, settings)


def _split(items: Any, parts: int) -> list:
    """`items` (a list or an array) in `parts` consecutive pieces (fewer when short)."""
    size = max(1, -(-len(items) // max(parts, 1)))
    return [items[k:k + size] for k in range(0, len(items), size)] or [items[:0]]


def _normalise_many(texts: list[str | None]) -> list[str]:
    return [normalise(t) for t in texts]


def _signatures(docs: list[str]) -> np.ndarray:
    if not docs:
        return np.zeros((0, _PERMS), np.uint64)
    return _minhash(*_shingle_hashes(docs))


def _similar(job: tuple[np.ndarray, list[str], float]) -> np.ndarray:
    """Whether each pair (indices into the distinct texts) has a 5-gram Jaccard similarity of
    at least the threshold; `docs` are the texts of the indices in the pairs, in sorted order."""
    import scipy.sparse as sp

    pairs, docs, similarity = job
    if not len(pairs):
        return np.zeros(0, bool)
    _, inverse = np.unique(pairs, return_inverse=True)
    hashes, offsets = _shingle_hashes(docs)
    # each document's set of 5-gram hashes as a 0/1 row of a sparse matrix (columns: the
    # distinct hashes), so that an intersection is a row product done in C, not Python sets
    # (a sort and a search: np.unique's inverse needs a stable argsort, several times slower)
    values = _sorted_unique(hashes)
    column = np.searchsorted(values, hashes)
    sets = sp.csr_matrix((np.ones(len(hashes), np.int32), column,
                          np.append(offsets, len(hashes))), shape=(len(docs), len(values)))
    sets.sum_duplicates()  # a 5-gram repeated within a document counts once
    sets.data[:] = 1
    sizes = np.diff(sets.indptr).astype(np.int64)
    local = inverse.reshape(-1, 2)
    small, large = sizes[local[:, 0]], sizes[local[:, 1]]
    small, large = np.minimum(small, large), np.maximum(small, large)
    # the Jaccard similarity is at most smaller set / larger set (the same float division,
    # so never above it): pairs below the threshold on sizes alone are not close
    maybe = np.flatnonzero(small / large >= similarity)
    out = np.zeros(len(pairs), bool)
    if not len(maybe):
        return out
    x, y = local[maybe, 0], local[maybe, 1]
    inter = np.asarray(sets[x].multiply(sets[y]).sum(axis=1), np.int64).ravel()
    # int / int as in Python: both round the exact quotient once to a float64
    out[maybe] = inter / (sizes[x] + sizes[y] - inter) >= similarity
    return out
