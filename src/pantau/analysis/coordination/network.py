"""From signals to a pruned account graph and its communities.

Significance: the same signals are computed again on data whose action times are shuffled:
each action keeps its account, post and text, and its delay after the post (for a comment) is
swapped with that of a random other comment on the same platform; a post's time of day is
swapped with another post's of the same platform and day. This keeps who comments where, how
many comments each post draws and how delays after a post are distributed, and breaks only
the timing that ties accounts together. For
each signal the threshold is the smallest weight w >= min_occasions at which the mean number of
null pairs with weight >= w is at most `fdr` times the observed pairs with weight >= w (an
estimated false discovery rate). Communities: Leiden (leidenalg, modularity, seeded) on the
graph of the pairs above a threshold in at least one signal.
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


def threshold(observed: np.ndarray, null: list[np.ndarray], fdr: float, minimum: int
              ) -> int | None:
    """Smallest w >= minimum with mean(null >= w) <= fdr * (observed >= w); None when no
    observed weight reaches it."""
    if not len(observed) or observed.max() < minimum:
        return None
    obs = np.sort(observed)
    nulls = [np.sort(n) for n in null]
    for w in range(minimum, int(obs[-1]) + 1):
        n_obs = len(obs) - np.searchsorted(obs, w)
        if n_obs == 0:
            continue
        n_null = np.mean([len(n) - np.searchsorted(n, w) for n in nulls]) if nulls else 0.0
        if n_null <= fdr * n_obs:
            return w
    return None


def build_network(ev: Events, s: Settings, share_window: float) -> Network:
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    observed = compute_signals(ev, ev.t, s, share_window)
    seconds["signals"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rng = np.random.default_rng(s.seed)
    nulls: dict[str, list[np.ndarray]] = {name: [] for name in sg.SIGNALS}
    for _ in range(s.null_replicates):
        t_null = shuffled_times(ev, rng)
        for name, (weights, _evidence) in compute_signals(ev, t_null, s, share_window).items():
            nulls[name].append(weights.weights)
    seconds["null"] = time.perf_counter() - t0
    windows = dict(s.windows, co_share=share_window)
    results: dict[str, SignalResult] = {}
    for name in sg.SIGNALS:
        weights, evidence = observed[name]
        thr = threshold(weights.weights, nulls[name], s.fdr, s.min_occasions)
        results[name] = SignalResult(
            name, float(windows[name]), weights, evidence, thr,
            null_edges=[int((n >= thr).sum()) if thr else 0 for n in nulls[name]],
            observed_pairs=int((weights.weights >= s.min_occasions).sum()),
            null_pairs=float(np.mean([(n >= s.min_occasions).sum() for n in nulls[name]]))
            if nulls[name] else 0.0)
    t0 = time.perf_counter()
    kept_parts = []
    for r in results.values():
        if r.threshold is not None:
            kept_parts.append(r.weights.pairs[r.weights.weights >= r.threshold])
    pairs = np.unique(np.concatenate(kept_parts)) if kept_parts else np.zeros(0, np.int64)
    per_signal: dict[str, np.ndarray] = {}
    combined = np.zeros(len(pairs))
    for name, r in results.items():
        pos = np.searchsorted(r.weights.pairs, pairs)
        pos = np.minimum(pos, max(len(r.weights.pairs) - 1, 0))
        found = (r.weights.pairs[pos] == pairs) if len(r.weights.pairs) else \
            np.zeros(len(pairs), bool)
        values = np.where(found, r.weights.weights[pos] if len(r.weights.pairs) else 0, 0)
        per_signal[name] = values.astype(np.int64)
        if r.threshold is not None:
            significant = values >= r.threshold
            combined += np.where(significant, values / r.threshold, 0.0)
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
