"""Reliability of human coding (Krippendorff's alpha, nominal) and how well each model agrees
with the coders, from labels whose source is `coder:NAME`.

`krippendorff_alpha_nominal` is plain Python: the point estimate everywhere (report, web app,
learning from the coders). `krippendorff_alpha` adds a bootstrap confidence interval over
units: it resamples units with replacement (B times) and takes the 2.5th and 97.5th
percentiles; to make 1,000 resamples cheap, each unit's row of the coincidence matrix (every
ordered pair of its values, weighted 1 / (m - 1)) is computed once with numpy, so a resample is
one matrix product.
Hayes & Krippendorff (2007): alpha >= .800 reliable (RELIABLE), .667-.800 tentative
(TENTATIVE), below that drop.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .base import MULTI_VALUED, Context
from .stats import store_rows

# Hayes & Krippendorff (2007): the one definition of the verdict thresholds
RELIABLE = 0.800
TENTATIVE = 0.667


def krippendorff_alpha_nominal(
    data: Mapping[Hashable, Sequence[Hashable | None]] | Iterable[tuple[Hashable, Hashable,
                                                                         Hashable | None]],
) -> float | None:
    """Krippendorff's alpha for nominal data.

    `data` is either {unit: [value per coder, None where missing]} or an iterable of
    (unit, coder, value) triples. Units with fewer than two values are not pairable and are
    ignored. Returns None when alpha is undefined (no pairable unit, or a single value used
    throughout, so there is no expected disagreement).
    """
    if isinstance(data, Mapping):
        units = {u: [v for v in values if v is not None] for u, values in data.items()}
    else:
        grouped: dict[Hashable, list[Hashable]] = defaultdict(list)
        for unit, _coder, value in data:
            if value is not None:
                grouped[unit].append(value)
        units = dict(grouped)
    # Coincidence matrix: each unit with m values adds 1/(m-1) per ordered pair of values
    # from different coders.
    coincidences: Counter[tuple[Hashable, Hashable]] = Counter()
    for values in units.values():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidences[(c, k)] += pairs / (m - 1)
    n_c: Counter[Hashable] = Counter()
    for (c, _k), o in coincidences.items():
        n_c[c] += o
    n = sum(n_c.values())
    if n <= 1:
        return None
    observed = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def verdict(alpha: float | None) -> str:
    if alpha is None:
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


# -- alpha with a bootstrap confidence interval ---------------------------------------------
@dataclass(frozen=True)
class Alpha:
    alpha: float  # NaN when undefined (fewer than two pairable values, or no variation)
    ci_low: float
    ci_high: float
    units: int  # units with at least two values
    values: int  # pairable values
    coders: int
    agreement: float  # share of units on which all coders agree (easier to explain)

    @property
    def verdict(self) -> str:
        """reliable (>= .800), tentative (.667-.800), unreliable, or undefined."""
        return verdict(None if math.isnan(self.alpha) else self.alpha)

    def as_dict(self) -> dict:
        return {"alpha": _num(self.alpha), "ci_low": _num(self.ci_low),
                "ci_high": _num(self.ci_high), "units": self.units, "values": self.values,
                "coders": self.coders, "agreement": _num(self.agreement),
                "verdict": self.verdict}


def _num(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


def _unit_coincidences(units: list[list[int]], k: int) -> np.ndarray:
    """(n_units, k*k): each unit's contribution to the coincidence matrix."""
    out = np.zeros((len(units), k * k))
    for row, values in enumerate(units):
        m = len(values)
        counts = np.bincount(values, minlength=k).astype(float)
        matrix = (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
        out[row] = matrix.ravel()
    return out


def _alpha_from(coincidences: np.ndarray, k: int) -> np.ndarray:
    """Alpha for each row of flattened coincidence matrices (shape (..., k*k))."""
    o = coincidences.reshape(*coincidences.shape[:-1], k, k)
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    observed = n - np.trace(o, axis1=-2, axis2=-1)
    expected = (n**2 - (n_c**2).sum(axis=-1)) / np.where(n > 1, n - 1, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - observed / expected, np.nan)


def krippendorff_alpha(data: Mapping[Hashable, Mapping[Hashable, Hashable]] |
                       Iterable[Iterable[Hashable]], *, bootstrap: int = 1000,
                       seed: int = 0) -> Alpha:
    """Nominal alpha. `data` is {unit: {coder: value}} or an iterable of per-unit value lists
    (None values are ignored)."""
    if isinstance(data, Mapping):
        coders = {c for codes in data.values() for c, v in codes.items() if v is not None}
        raw_units = [[v for v in codes.values() if v is not None] for codes in data.values()]
    else:
        raw_units = [[v for v in values if v is not None] for values in data]
        coders = set()
    raw_units = [u for u in raw_units if len(u) >= 2]
    categories = sorted({v for u in raw_units for v in u}, key=str)
    index = {c: i for i, c in enumerate(categories)}
    units = [[index[v] for v in u] for u in raw_units]
    n_coders = len(coders) if coders else max((len(u) for u in units), default=0)
    values = sum(len(u) for u in units)
    agreement = (sum(1 for u in units if len(set(u)) == 1) / len(units)) if units else math.nan
    k = len(categories)
    if not units or k == 0:
        return Alpha(math.nan, math.nan, math.nan, 0, 0, n_coders, agreement)
    point = krippendorff_alpha_nominal(dict(enumerate(raw_units)))
    alpha = math.nan if point is None else float(point)
    per_unit = _unit_coincidences(units, k)
    low = high = math.nan
    if bootstrap and len(units) > 1 and not math.isnan(alpha):
        rng = np.random.default_rng(seed)
        weights = rng.multinomial(len(units), np.full(len(units), 1 / len(units)),
                                  size=bootstrap)
        samples = _alpha_from(weights @ per_unit, k)
        samples = samples[~np.isnan(samples)]
        if len(samples):
            low, high = (float(x) for x in np.percentile(samples, [2.5, 97.5]))
    return Alpha(alpha, low, high, len(units), values, n_coders, agreement)


RELIABILITY_COLUMNS = {
    "scheme": "VARCHAR", "target": "VARCHAR", "coders": "VARCHAR", "n_coders": "INTEGER",
    "units": "BIGINT", "values": "BIGINT", "alpha": "DOUBLE", "verdict": "VARCHAR",
}
AGREEMENT_COLUMNS = {
    "scheme": "VARCHAR", "target": "VARCHAR", "source": "VARCHAR", "units": "BIGINT",
    "agree": "BIGINT", "accuracy": "DOUBLE",
}


def run(ctx: Context) -> None:
    """analysis_label_sources, analysis_reliability, analysis_model_agreement."""
    ctx.create("analysis_label_sources", """
        SELECT scheme, target, source, count(*) AS labels,
               approx_count_distinct(target_id) AS targets,
               min(created_at) AS first_at, max(created_at) AS last_at
        FROM labels GROUP BY ALL ORDER BY scheme, target, source
    """)
    # Human codes are few (hundreds to thousands): they pass through Python.
    rows = ctx.execute("""
        SELECT scheme, target, platform, target_id, source,
               string_agg(DISTINCT value, '|' ORDER BY value) AS value
        FROM labels WHERE source LIKE 'coder:%' AND value IS NOT NULL
        GROUP BY ALL
    """).fetchall()
    by_scheme: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for scheme, target, platform, target_id, source, value in rows:
        by_scheme[(scheme, target)].append(((platform, target_id), source, value))
    reliability = []
    for (scheme, target), triples in sorted(by_scheme.items()):
        coders = sorted({c for _, c, _ in triples})
        per_unit: dict = defaultdict(list)
        for unit, _coder, value in triples:
            per_unit[unit].append(value)
        pairable = {u: v for u, v in per_unit.items() if len(v) >= 2}
        alpha = krippendorff_alpha_nominal(pairable) if len(coders) >= 2 else None
        reliability.append({
            "scheme": scheme, "target": target, "coders": ", ".join(coders),
            "n_coders": len(coders), "units": len(pairable),
            "values": sum(len(v) for v in pairable.values()), "alpha": alpha,
            "verdict": verdict(alpha) if len(coders) >= 2 else "one coder",
        })
    store_rows(ctx, "analysis_reliability", reliability, RELIABILITY_COLUMNS)
    # Model vs the coders' majority value (ties: the alphabetically first), per unit.
    agreement = []
    if by_scheme:
        ctx.create("_coder_majority", """
            WITH v AS (
                SELECT scheme, target, platform, target_id, value, count(*) AS n
                FROM labels WHERE source LIKE 'coder:%' AND value IS NOT NULL GROUP BY ALL)
            SELECT scheme, target, platform, target_id,
                   first(value ORDER BY n DESC, value) AS value
            FROM v GROUP BY ALL
        """, temp=True)
        for scheme, target, source, units, agree in ctx.execute("""
            WITH m AS (
                SELECT scheme, target, platform, target_id, source,
                       arg_max(value, created_at) AS value
                FROM labels l SEMI JOIN _coder_majority c
                     USING (scheme, target, platform, target_id)
                WHERE source LIKE 'model:%' GROUP BY ALL)
            SELECT m.scheme, m.target, m.source, count(*) AS units,
                   count(*) FILTER (WHERE m.value = c.value) AS agree
            FROM m JOIN _coder_majority c USING (scheme, target, platform, target_id)
            GROUP BY ALL ORDER BY ALL
        """).fetchall():
            if scheme in MULTI_VALUED:
                continue  # one row per value: per-unit accuracy is not defined this way
            agreement.append({"scheme": scheme, "target": target, "source": source,
                              "units": units, "agree": agree,
                              "accuracy": agree / units if units else None})
    store_rows(ctx, "analysis_model_agreement", agreement, AGREEMENT_COLUMNS)
