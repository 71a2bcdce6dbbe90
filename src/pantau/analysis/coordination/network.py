"""From signals to a pruned account graph and its communities.

Significance: the same signals are computed again on data whose action times are shuffled:
each action keeps its account, post and text, and its delay after the post (for a comment) is
swapped with that of a random other comment on the same platform; a post's time of day is
swapped with another post's of the same platform and day. This keeps who comments where, how
many comments each post draws and how delays after a post are distributed, and breaks only
the timing that ties accounts together.

A pair is significant in a signal when its weight is at least min_occasions (co-commenting:
co_comment.min_occasions) and the Poisson tail of that weight against the pair's own mean
weight in the shuffles (at least FLOOR, and at least its share of all null meetings in
proportion to the product of both accounts' activity) passes Benjamini-Hochberg at `fdr`
among all such pairs: two very active commenters who meet often by chance need far more
meetings than two quiet accounts. Communities: Leiden (leidenalg, modularity, seeded) on the
graph of the pairs significant in at least one signal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import signals as sg
from .events import Events
from .settings import Settings


@dataclass
class SignalResult:
    name: str
    window: float
    weights: sg.PairWeights
    evidence: sg.PairEvidence
    threshold: int | None = None
    null_edges: list[int] = field(default_factory=list)  # null pairs >= threshold, per replicate
    observed_pairs: int = 0
    null_pairs: float = 0.0  # mean null pairs with weight >= min_occasions
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class Network:
    signals: dict[str, SignalResult]
    pairs: np.ndarray  # kept pair codes (a * n_actors + b)
    weight: np.ndarray  # combined weight: sum over significant signals of weight / threshold
    per_signal: dict[str, np.ndarray]  # each signal's weight of the kept pairs (0 when absent)
    community: np.ndarray  # community of each actor (-1: none reported)
    n_actors: int
    seconds: dict[str, float]
    settings: Settings


def compute_signals(ev: Events, t: np.ndarray, s: Settings, share_window: float
                    ) -> dict[str, tuple[sg.PairWeights, sg.PairEvidence]]:
    w = s.windows
    return {
        "co_comment": sg.co_comment(ev, t, w["co_comment"], s.max_neighbours),
        "copy_paste": sg.copy_paste(ev, t, w["copy_paste"], s.max_neighbours),
        "co_share": sg.co_share(ev, t, share_window, s.max_neighbours),
        "sync_burst": sg.sync_burst(ev, t, w["sync_burst"], s.burst_min_actions,
                                    s.burst_factor, s.max_neighbours),
    }


def shuffled_times(ev: Events, rng: np.random.Generator) -> np.ndarray:
    """Each action's delay after its reference time permuted within its stratum (see the
    module docstring)."""
    delay = ev.t - ev.ref
    by_stratum = np.argsort(ev.stratum, kind="stable")
    shuffled = np.lexsort((rng.random(len(ev.t)), ev.stratum))
    out = np.empty_like(delay)
    out[shuffled] = delay[by_stratum]
    return ev.ref + out


# a pair the shuffles never produced is still expected to meet this often by chance
FLOOR = 0.3


def null_expectation(observed: sg.PairWeights, nulls: list[sg.PairWeights]) -> np.ndarray:
    """Each observed pair's mean weight over the shuffled replicates (0 where absent)."""
    total = np.zeros(len(observed.pairs))
    for null in nulls:
        if not len(null.pairs) or not len(observed.pairs):
            continue
        pos = np.minimum(np.searchsorted(null.pairs, observed.pairs), len(null.pairs) - 1)
        total += np.where(null.pairs[pos] == observed.pairs, null.weights[pos], 0)
    return total / max(1, len(nulls))


def significant(observed: sg.PairWeights, nulls: list[sg.PairWeights], fdr: float,
                minimum: int, activity: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs are significant, and their p-values: weight >= minimum, and a Poisson
    tail P(X >= weight) against the pair's own null expectation (at least FLOOR) small enough
    to pass Benjamini-Hochberg at `fdr` over all pairs with weight >= minimum."""
    from scipy.stats import poisson

    weights = observed.weights
    p = np.ones(len(weights))
    keep = np.zeros(len(weights), bool)
    candidate = np.flatnonzero(weights >= minimum)
    if not len(candidate):
        return keep, p
    expected = np.maximum(null_expectation(observed, nulls)[candidate], FLOOR)
    if activity is not None and nulls:
        # three shuffles cannot see every pair: a pair also expects its share of all the null
        # meetings in proportion to how active both accounts are (busy accounts meet often)
        n = np.asarray(activity, np.float64)
        all_pairs = (n.sum() ** 2 - (n ** 2).sum()) / 2
        null_total = float(np.mean([w.weights.sum() for w in nulls]))
        if all_pairs > 0:
            a, b = observed.pairs[candidate] // len(n), observed.pairs[candidate] % len(n)
            expected = np.maximum(expected, null_total / all_pairs * n[a] * n[b])
    p[candidate] = poisson.sf(weights[candidate] - 1, expected)
    order = np.argsort(p[candidate], kind="stable")
    ranked = p[candidate][order]
    passes = np.flatnonzero(ranked <= fdr * np.arange(1, len(ranked) + 1) / len(ranked))
    if len(passes):
        keep[candidate[order[: passes[-1] + 1]]] = True
    return keep, p


def build_network(ev: Events, s: Settings, share_window: float) -> Network:
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    observed = compute_signals(ev, ev.t, s, share_window)
    seconds["signals"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rng = np.random.default_rng(s.seed)
    nulls: dict[str, list[sg.PairWeights]] = {name: [] for name in sg.SIGNALS}
    for _ in range(s.null_replicates):
        t_null = shuffled_times(ev, rng)
        for name, (weights, _evidence) in compute_signals(ev, t_null, s, share_window).items():
            nulls[name].append(weights)
    seconds["null"] = time.perf_counter() - t0
    windows = dict(s.windows, co_share=share_window)
    who, _bins = sg.bursts(ev.actor, ev.t, ev.n_actors, s.windows["sync_burst"],
                           s.burst_min_actions, s.burst_factor)
    activity = {  # each account's actions that could make a pair in each signal
        "co_comment": np.bincount(ev.actor[ev.is_comment], minlength=ev.n_actors),
        "copy_paste": np.bincount(ev.actor[ev.group >= 0], minlength=ev.n_actors),
        "co_share": np.bincount(ev.actor[ev.item_event], minlength=ev.n_actors),
        "sync_burst": np.bincount(who, minlength=ev.n_actors)}
    results: dict[str, SignalResult] = {}
    kept_masks: dict[str, np.ndarray] = {}
    for name in sg.SIGNALS:
        weights, evidence = observed[name]
        minimum = max(s.min_occasions, s.co_comment_min_occasions) if name == "co_comment" \
            else s.min_occasions
        keep, _p = significant(weights, nulls[name], s.fdr, minimum, activity[name])
        kept_masks[name] = keep
        thr = int(weights.weights[keep].min()) if keep.any() else None
        results[name] = SignalResult(
            name, float(windows[name]), weights, evidence, thr,
            null_edges=[int((n.weights >= thr).sum()) if thr else 0 for n in nulls[name]],
            observed_pairs=int((weights.weights >= s.min_occasions).sum()),
            null_pairs=float(np.mean([(n.weights >= s.min_occasions).sum()
                                      for n in nulls[name]])) if nulls[name] else 0.0,
            extra={"kept": float(keep.sum())})
    t0 = time.perf_counter()
    kept_parts = [results[name].weights.pairs[kept_masks[name]] for name in sg.SIGNALS]
    pairs = np.unique(np.concatenate(kept_parts)) if kept_parts else np.zeros(0, np.int64)
    per_signal: dict[str, np.ndarray] = {}
    combined = np.zeros(len(pairs))
    for name, r in results.items():
        if not len(r.weights.pairs) or not len(pairs):
            per_signal[name] = np.zeros(len(pairs), np.int64)
            continue
        pos = np.minimum(np.searchsorted(r.weights.pairs, pairs), len(r.weights.pairs) - 1)
        found = r.weights.pairs[pos] == pairs
        per_signal[name] = np.where(found, r.weights.weights[pos], 0).astype(np.int64)
        significant_here = found & kept_masks[name][pos]
        if r.threshold is not None:
            combined += np.where(significant_here, per_signal[name] / r.threshold, 0.0)
    community = communities(pairs, combined, ev.n_actors, s.min_community, s.seed)
    seconds["communities"] = time.perf_counter() - t0
    return Network(results, pairs, combined, per_signal, community, ev.n_actors, seconds, s)


def communities(pairs: np.ndarray, weight: np.ndarray, n_actors: int, min_size: int,
                seed: int) -> np.ndarray:
    """Leiden communities (modularity, weighted) of the kept graph; communities smaller than
    `min_size` get -1. Numbered by size, largest first (ties: smallest member first)."""
    out = np.full(n_actors, -1, np.int64)
    if not len(pairs):
        return out
    import igraph as ig
    import leidenalg

    a, b = pairs // n_actors, pairs % n_actors
    nodes = np.unique(np.concatenate([a, b]))
    local = {int(v): k for k, v in enumerate(nodes.tolist())}
    edges = [(local[int(x)], local[int(y)]) for x, y in zip(a.tolist(), b.tolist(), strict=True)]
    graph = ig.Graph(n=len(nodes), edges=edges)
    graph.es["weight"] = weight.tolist()
    partition = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition,
                                         weights="weight", seed=seed, n_iterations=-1)
    groups = [sorted(nodes[list(members)].tolist()) for members in partition
              if len(members) >= min_size]
    groups.sort(key=lambda g: (-len(g), g[0]))
    for number, members in enumerate(groups, start=1):
        out[members] = number
    return out
