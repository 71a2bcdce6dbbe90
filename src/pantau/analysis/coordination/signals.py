"""The four pairwise signals, vectorised with numpy.

Every signal is "two different accounts did the same thing within a window": the same post
(co-commenting), the same copy-paste group (copy-paste), the same URL/hashtag/sound
(co-sharing), a burst in the same time bin (synchronised posting). A pair's weight in a signal
is the number of separate *occasions* it happened on: distinct (thing, post of the earlier
action) — so eight accounts pasting one script under one post give each pair weight 1, and the
same eight doing it under five posts give weight 5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .events import Events

SIGNALS = ("co_comment", "copy_paste", "co_share", "sync_burst")


@dataclass
class PairWeights:
    """Sorted unique pair codes (a * n + b, a < b) and their occasion counts."""

    pairs: np.ndarray
    weights: np.ndarray

    @classmethod
    def empty(cls) -> PairWeights:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64))


@dataclass
class PairEvidence:
    """For each pair of a PairWeights, one example: the two events of its first occasion."""

    first: np.ndarray
    second: np.ndarray


def window_pairs(key: np.ndarray, t: np.ndarray, actor: np.ndarray, window: float,
                 max_neighbours: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j) of actions with the same key, different actors and
    0 <= t[j] - t[i] <= window (i the earlier one).

    Crowds are skipped: an action followed within the window by more than `max_neighbours`
    actions of its key (a viral post's first minutes, a campaign hashtag on a busy evening)
    pairs with none of them, since being there together says nothing about two accounts."""
    n = len(key)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((t, key))
    k, tt, ac = key[order], t[order], actor[order]
    # how many later actions of the same key fall within the window: one sorted search on
    # (key, time) packed into one integer
    span = int(tt.max() - tt.min()) + int(window) + 2
    packed = (k - k.min()) * np.int64(span) + (tt - tt.min())
    ends = np.searchsorted(packed, packed + np.int64(int(window)), side="right")
    crowd = ends - np.arange(n) - 1
    firsts, seconds = [], []
    active = np.flatnonzero((crowd >= 1) & (crowd <= max_neighbours))
    d = 1
    # the actions still within the window shrink as d grows (times are sorted within a key)
    while active.size:
        active = active[crowd[active] >= d]
        j = active + d
        other = ac[j] != ac[active]
        firsts.append(order[active[other]])
        seconds.append(order[j[other]])
        d += 1
    if not firsts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def occasion_weights(first: np.ndarray, second: np.ndarray, actor: np.ndarray,
                     occasion: np.ndarray, n_actors: int
                     ) -> tuple[PairWeights, PairEvidence]:
    """Count distinct occasions per unordered actor pair; `first`/`second` are event indices,
    `occasion` the occasion code of each event pair."""
    if not len(first):
        return PairWeights.empty(), PairEvidence(np.zeros(0, np.int64), np.zeros(0, np.int64))
    a, b = actor[first], actor[second]
    pair = np.minimum(a, b) * np.int64(n_actors) + np.maximum(a, b)
    del a, b  # millions of pairs at national scale: keep few arrays alive at once
    order = np.lexsort((occasion, pair))
    pair, occasion = pair[order], occasion[order]
    new = np.ones(len(pair), bool)
    new[1:] = (pair[1:] != pair[:-1]) | (occasion[1:] != occasion[:-1])
    pair = pair[new]
    starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
    weights = np.diff(np.append(starts, len(pair)))
    kept = order[new][starts]
    return (PairWeights(pair[starts], weights.astype(np.int64)),
            PairEvidence(first[kept], second[kept]))


def _occasion(key: np.ndarray, ctx: np.ndarray) -> np.ndarray:
    return key * np.int64(int(ctx.max(initial=0)) + 1) + ctx


def co_comment(ev: Events, t: np.ndarray, window: float, max_neighbours: int):
    """Pairs of accounts commenting on the same post within `window`; occasions = posts."""
    idx = np.flatnonzero(ev.is_comment)
    i, j = window_pairs(ev.ctx[idx], t[idx], ev.actor[idx], window, max_neighbours)
    i, j = idx[i], idx[j]
    return occasion_weights(i, j, ev.actor, ev.ctx[i], ev.n_actors)


def copy_paste(ev: Events, t: np.ndarray, window: float, max_neighbours: int):
    """Pairs writing texts of the same copy-paste group within `window`, on any post or
    platform; occasions = (group, post of the earlier copy)."""
    idx = np.flatnonzero(ev.group >= 0)
    i, j = window_pairs(ev.group[idx], t[idx], ev.actor[idx], window, max_neighbours)
    i, j = idx[i], idx[j]
    return occasion_weights(i, j, ev.actor, _occasion(ev.group[i], ev.ctx[i]), ev.n_actors)


def co_share(ev: Events, t: np.ndarray, window: float, max_neighbours: int):
    """Pairs sharing the same URL, hashtag or sound within `window`; occasions =
    (item, post of the earlier share)."""
    e = ev.item_event
    i, j = window_pairs(ev.item, t[e], ev.actor[e], window, max_neighbours)
    item = ev.item[i]
    i, j = e[i], e[j]
    return occasion_weights(i, j, ev.actor, _occasion(item, ev.ctx[i]), ev.n_actors)


def bursts(actor: np.ndarray, t: np.ndarray, n_actors: int, width: float, min_actions: int,
           factor: float, max_p: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    """(actor, bin) of every burst: a bin of `width` seconds where the account acts at least
    `min_actions` times, at least `factor` times its own mean per bin over its active span
    (first to last action), and so many times that a Poisson count with that mean reaches it
    with probability below `max_p` (a busy account's ordinary ups and downs are no burst)."""
    from scipy.stats import poisson

    if not len(t):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    b = (t // max(1, int(width))).astype(np.int64)
    b0 = int(b.min())
    b = b - b0
    nb = int(b.max()) + 1
    code = actor * np.int64(nb) + b
    code.sort()
    starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    counts = np.diff(np.append(starts, len(code)))
    cell = code[starts]
    who, where = cell // nb, cell % nb
    total = np.bincount(actor, minlength=n_actors)
    first = np.full(n_actors, np.iinfo(np.int64).max)
    last = np.zeros(n_actors, np.int64)
    np.minimum.at(first, who, where)
    np.maximum.at(last, who, where)
    span = np.maximum(last - first + 1, 1)
    mean = total / span
    hot = (counts >= min_actions) & (counts >= factor * mean[who])
    hot[hot] = poisson.sf(counts[hot] - 1, mean[who[hot]]) < max_p
    return who[hot], where[hot] + b0


def sync_burst(ev: Events, t: np.ndarray, width: float, min_actions: int, factor: float,
               max_neighbours: int):
    """Pairs of accounts bursting in the same bin; occasions = bins. Evidence: the first
    action of each account in the shared bin."""
    who, where = bursts(ev.actor, t, ev.n_actors, width, min_actions, factor)
    if not len(who):
        return PairWeights.empty(), PairEvidence(np.zeros(0, np.int64), np.zeros(0, np.int64))
    # one pseudo-event per burst; pairs within the same bin (window 0)
    i, j = window_pairs(where, np.zeros(len(where), np.int64), who, 0, max_neighbours)
    weights, evidence = occasion_weights(i, j, who, where[i], ev.n_actors)
    # map the burst pseudo-events back to a real action of that account in that bin
    bins = (t // max(1, int(width))).astype(np.int64)
    n_bins = np.int64(int(bins.max()) + 1)
    key = ev.actor * n_bins + bins
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    first = order[np.searchsorted(sorted_key, who[evidence.first] * n_bins
                                  + where[evidence.first])]
    second = order[np.searchsorted(sorted_key, who[evidence.second] * n_bins
                                   + where[evidence.second])]
    return weights, PairEvidence(first, second)


def estimate_share_window(ev: Events, quantile: float, share: float, lowest: float,
                          highest: float) -> tuple[float, dict[str, float]]:
    """CooRnet's rule: among items shared by two or more accounts, take the `quantile` whose
    second share came fastest after the first; for each, the time until `share` of its shares
    had happened; the median of those times, kept within [lowest, highest]."""
    info: dict[str, float] = {"items": 0, "raw_seconds": float("nan")}
    if not len(ev.item):
        return highest, info
    t = ev.t[ev.item_event]
    order = np.lexsort((t, ev.item))
    item, tt = ev.item[order], t[order]
    starts = np.flatnonzero(np.concatenate(([True], item[1:] != item[:-1])))
    counts = np.diff(np.append(starts, len(item)))
    multi = counts >= 2
    starts, counts = starts[multi], counts[multi]
    if not len(starts):
        return highest, info
    second_gap = tt[starts + 1] - tt[starts]
    fastest = second_gap <= np.quantile(second_gap, quantile)
    starts, counts = starts[fastest], counts[fastest]
    reach = starts + np.maximum(np.ceil(counts * share).astype(np.int64) - 1, 1)
    raw = float(np.median(tt[reach] - tt[starts]))
    info = {"items": float(len(starts)), "raw_seconds": raw}
    return float(min(max(raw, lowest), highest)), info
