"""Krippendorff's alpha for nominal data with a bootstrap confidence interval over units.

The point estimate and the verdict come from analysis/reliability.py (the figure the report
shows). The interval resamples units with replacement (B times) and takes the 2.5th and 97.5th
percentiles; to make 1,000 resamples cheap, each unit's row of the coincidence matrix (every
ordered pair of its values, weighted 1 / (m - 1)) is computed once with numpy, so a resample is
one matrix product.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ..analysis.reliability import krippendorff_alpha_nominal, verdict

RELIABLE = 0.800
TENTATIVE = 0.667


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
