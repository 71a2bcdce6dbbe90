"""Accuracy against coders and corrected estimates under a stratified validation design.

The design (pantau validate): the items a model labelled are split into strata by the model's
predicted label (its main label for a several-value scheme), and a simple random sample is drawn
in each stratum. Item i of stratum h then stands for w_h = N_h / n_h items of the population
(N_h items in the stratum, n_h of them coded). This is the design and the estimators of
Olofsson et al. (2014) for map accuracy and area — a classifier's output is a "map" — written
with design weights so that they also hold for a model retrained since the sample was drawn
(its predictions then cut across the strata; the weights still make the sample stand for the
population, Horvitz & Thompson 1952):

    precision_k = sum w [pred has k][gold has k] / sum w [pred has k]      (user's accuracy)
    recall_k    = sum w [pred has k][gold has k] / sum w [gold has k]      (producer's accuracy)
    F1_k        = 2 P R / (P + R)

Corrected counts (the "stratified validation estimator"; for a one-value scheme Olofsson's
area estimator, i.e. misclassification calibration, Buonaccorsi 2010 ch. 3): the population,
or a group of it (a candidate, a platform), is split by the model's current prediction j, and
each cell's count N_j is spread over the true labels by the coded items predicted j:

    corrected_k = sum_j N_j * p(gold has k | pred j),   p estimated with the design weights.

For a several-value scheme (topics, SARA targets) each value is treated on its own: j is
"predicted present / absent". The group's counts N_j are known; the uncertainty is that of the
p's, and it assumes the error rates are the same in every group (stated in the report).

Intervals are 95%: precision in a design stratum (all weights equal) by Wilson's score interval
(Wilson 1927); everything else by the stratified bootstrap (resampling the coded items within
each design stratum, Davison & Hinkley 1997 §3.7), percentile intervals, 1,000 resamples.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

Z95 = 1.959963984540054
BOOTSTRAP = 1000
METHOD_REFERENCES = (
    "Olofsson, P., Foody, G. M., Herold, M., Stehman, S. V., Woodcock, C. E., & Wulder, M. A. "
    "(2014). Good practices for estimating area and assessing accuracy of land change. Remote "
    "Sensing of Environment, 148, 42-57.",
    "Buonaccorsi, J. P. (2010). Measurement Error: Models, Methods, and Applications. Chapman "
    "& Hall/CRC (ch. 3, misclassification in estimating a proportion).",
    "Forman, G. (2008). Quantifying counts and costs via classification. Data Mining and "
    "Knowledge Discovery, 17(2), 164-206.",
    "Wilson, E. B. (1927). Probable inference, the law of succession, and statistical "
    "inference. JASA, 22(158), 209-212.",
    "Davison, A. C., & Hinkley, D. V. (1997). Bootstrap Methods and their Application. "
    "Cambridge University Press.",
)


@dataclass(frozen=True)
class CodedItem:
    """One coded validation item: its design stratum, the model's current label(s), the
    coders' settled label(s), and the groups it belongs to (candidate, platform)."""
    stratum: str
    predicted: frozenset[str]
    gold: frozenset[str]
    groups: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Interval:
    estimate: float | None
    low: float | None
    high: float | None

    def as_tuple(self) -> tuple[float | None, float | None, float | None]:
        return self.estimate, self.low, self.high


@dataclass
class LabelAccuracy:
    label: str
    coded_predicted: int  # coded items the model gave this label
    coded_gold: int  # coded items the coders gave this label
    precision: Interval
    recall: Interval
    f1: Interval

    def as_row(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "coded_predicted": self.coded_predicted,
                               "coded_gold": self.coded_gold}
        for name in ("precision", "recall", "f1"):
            iv = getattr(self, name)
            out[name], out[f"{name}_low"], out[f"{name}_high"] = iv.as_tuple()
        return out


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson's score interval for a proportion."""
    if n <= 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def stratum_size(population: int, ci_width: float, expected: float = 0.5) -> int:
    """Items to code in a stratum of `population` for a 95% interval of total width
    `ci_width` around a proportion near `expected` (0.5: the widest), with the finite
    population correction (Cochran 1977, eq. 4.1-4.2)."""
    if population <= 0:
        return 0
    half = ci_width / 2
    n0 = Z95 * Z95 * expected * (1 - expected) / (half * half)
    n = n0 / (1 + (n0 - 1) / population)
    return int(min(population, math.ceil(n)))


def design_weights(items: Sequence[CodedItem], population: Mapping[str, int]) -> np.ndarray:
    """w_i = N_h / n_h for the stratum h of each item (0 for a stratum unknown to the design)."""
    coded: dict[str, int] = {}
    for item in items:
        coded[item.stratum] = coded.get(item.stratum, 0) + 1
    return np.array([population.get(i.stratum, 0) / coded[i.stratum] for i in items], float)


def _indicators(items: Sequence[CodedItem], labels: Sequence[str]) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    pred = np.array([[lab in i.predicted for lab in labels] for i in items], bool)
    gold = np.array([[lab in i.gold for lab in labels] for i in items], bool)
    return pred.reshape(len(items), len(labels)), gold.reshape(len(items), len(labels))


def _resamples(items: Sequence[CodedItem], bootstrap: int, seed: int) -> np.ndarray:
    """(bootstrap, n) index arrays: each resample draws n_h items with replacement within
    every design stratum."""
    rng = np.random.default_rng(seed)
    by_stratum: dict[str, list[int]] = {}
    for k, item in enumerate(items):
        by_stratum.setdefault(item.stratum, []).append(k)
    out = np.empty((bootstrap, len(items)), int)
    col = 0
    for members in by_stratum.values():
        idx = np.array(members)
        out[:, col:col + len(idx)] = idx[rng.integers(0, len(idx), (bootstrap, len(idx)))]
        col += len(idx)
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _percentile(values: np.ndarray) -> tuple[float | None, float | None]:
    finite = values[np.isfinite(values)]
    if finite.size < max(10, values.size // 2):
        return None, None
    return float(np.quantile(finite, 0.025)), float(np.quantile(finite, 0.975))


def _f1(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((p + r) > 0, 2 * p * r / np.where((p + r) > 0, p + r, 1), 0.0)


def accuracy(items: Sequence[CodedItem], population: Mapping[str, int], labels: Sequence[str],
             *, bootstrap: int = BOOTSTRAP, seed: int = 0) -> list[LabelAccuracy]:
    """Per label: precision, recall and F1 against the coders with 95% intervals, weighted
    for the stratified design."""
    if not items:
        return []
    items = list(items)
    w = design_weights(items, population)
    pred, gold = _indicators(items, labels)
    both = pred & gold
    wcol = w[:, None]
    precision = _ratio((wcol * both).sum(0), (wcol * pred).sum(0))
    recall = _ratio((wcol * both).sum(0), (wcol * gold).sum(0))
    f1 = _f1(np.nan_to_num(precision), np.nan_to_num(recall))
    idx = _resamples(items, bootstrap, seed)
    wb = w[idx][:, :, None]  # (B, n, 1)
    bp = _ratio((wb * both[idx]).sum(1), (wb * pred[idx]).sum(1))
    br = _ratio((wb * both[idx]).sum(1), (wb * gold[idx]).sum(1))
    bf = _f1(np.nan_to_num(bp), np.nan_to_num(br))
    bf[~(np.isfinite(bp) & np.isfinite(br))] = np.nan
    out = []
    for k, label in enumerate(labels):
        n_pred = int(pred[:, k].sum())
        n_gold = int(gold[:, k].sum())
        in_pred = [i for i in range(len(items)) if pred[i, k]]
        same_weight = len({round(w[i], 9) for i in in_pred}) == 1
        if n_pred and same_weight:  # one design stratum: a plain proportion
            p_low, p_high = wilson(int(both[in_pred, k].sum()), n_pred)
        else:
            p_low, p_high = _percentile(bp[:, k])
        prec = None if math.isnan(precision[k]) else float(precision[k])
        rec = None if math.isnan(recall[k]) else float(recall[k])
        r_low, r_high = _percentile(br[:, k])
        f_low, f_high = _percentile(bf[:, k])
        out.append(LabelAccuracy(
            label, n_pred, n_gold, Interval(prec, p_low, p_high), Interval(rec, r_low, r_high),
            Interval(float(f1[k]) if prec is not None and rec is not None else None,
                     f_low, f_high)))
    return out


def macro_f1(rows: Sequence[LabelAccuracy]) -> float | None:
    values = [r.f1.estimate for r in rows if r.f1.estimate is not None]
    return float(np.mean(values)) if values else None


@dataclass
class Corrected:
    """A corrected count and share of one label in one group, with the raw (model) figures."""
    label: str
    group: str
    items: int
    raw_count: int
    count: float | None
    count_low: float | None
    count_high: float | None
    status: str  # validated | partly (a predicted cell had no coded item) | not_validated

    @property
    def raw_share(self) -> float | None:
        return self.raw_count / self.items if self.items else None

    def share(self) -> Interval:
        if not self.items or self.count is None:
            return Interval(None, None, None)
        return Interval(self.count / self.items,
                        None if self.count_low is None else self.count_low / self.items,
                        None if self.count_high is None else self.count_high / self.items)

    def as_row(self) -> dict[str, Any]:
        share = self.share()
        return {**asdict(self), "raw_share": self.raw_share, "share": share.estimate,
                "share_low": share.low, "share_high": share.high}


def _cell(predicted: frozenset[str], label: str, multiple: bool) -> str:
    if multiple:
        return "present" if label in predicted else "absent"
    return next(iter(sorted(predicted)), "none")


def corrected_counts(items: Sequence[CodedItem], population: Mapping[str, int],
                     groups: Mapping[str, Mapping[str, int]], labels: Sequence[str], *,
                     multiple: bool = False, bootstrap: int = BOOTSTRAP,
                     seed: int = 0) -> list[Corrected]:
    """Corrected counts per group and label.

    `groups`: {group: {cell: items}} where a cell is the model's predicted label (one-value
    scheme) or, for a several-value scheme, "LABEL|present" / "LABEL|absent"; the raw count of
    a label is its predicted cell(s). With no coded items every figure is not_validated and
    count is None."""
    items = list(items)
    out: list[Corrected] = []
    if not items:
        for group, cells in groups.items():
            total = _group_total(cells, labels, multiple)
            for label in labels:
                out.append(Corrected(label, group, total, _raw(cells, label, multiple), None,
                                     None, None, "not_validated"))
        return out
    w = design_weights(items, population)
    idx = _resamples(items, bootstrap, seed)
    for label in labels:
        cell_of = np.array([_cell(i.predicted, label, multiple) for i in items])
        has = np.array([label in i.gold for i in items], float)
        cells = sorted({c for g in groups.values() for c in _cells_for(g, label, multiple)})
        # p(gold has label | cell) and its bootstrap replicates, per predicted cell
        point: dict[str, float | None] = {}
        reps: dict[str, np.ndarray] = {}
        slack: dict[str, tuple[float, float]] = {}
        for cell in cells:
            mask = cell_of == cell
            if not mask.any():
                point[cell] = None
                continue
            point[cell] = float((w * has)[mask].sum() / w[mask].sum())
            wm = (w * mask)[idx]
            reps[cell] = _ratio((wm * has[idx]).sum(1), wm.sum(1))
            # A cell whose coded items all agree (0 of n, n of n) gives every bootstrap
            # replicate the same p and a zero-width interval, although unseen errors remain
            # possible: widen by Wilson's interval for that proportion instead.
            n_cell = int(mask.sum())
            coded_all = sum(population.get(h, 0) for h in {i.stratum for i, m in
                                                           zip(items, mask, strict=True) if m})
            if point[cell] in (0.0, 1.0) and n_cell < coded_all:
                lo, hi = wilson(round(point[cell] * n_cell), n_cell)
                slack[cell] = (point[cell] - (lo or 0.0), (hi or 1.0) - point[cell])
        for group, counts in groups.items():
            total = _group_total(counts, labels, multiple)
            mine = _cells_for(counts, label, multiple)
            raw = _raw(counts, label, multiple)
            known = [c for c, n in mine.items() if n and point.get(c) is not None]
            missing = [c for c, n in mine.items() if n and point.get(c) is None]
            if not known:
                out.append(Corrected(label, group, total, raw, None, None, None,
                                     "not_validated"))
                continue
            # a predicted cell no coded item fell in keeps its raw count (said: "partly")
            fallback = sum(n for c, n in mine.items() if c in missing and _is_label_cell(
                c, label, multiple))
            estimate = sum(mine[c] * point[c] for c in known) + fallback  # type: ignore[operator]
            rep = sum(mine[c] * reps[c] for c in known) + fallback
            low, high = _percentile(np.asarray(rep, float))
            if low is not None and high is not None:
                low -= sum(mine[c] * slack[c][0] for c in known if c in slack)
                high += sum(mine[c] * slack[c][1] for c in known if c in slack)
                low, high = max(0.0, low), min(float(total), high)
            out.append(Corrected(label, group, total, raw, float(estimate), low, high,
                                 "partly" if missing else "validated"))
    return out


def _is_label_cell(cell: str, label: str, multiple: bool) -> bool:
    return cell == "present" if multiple else cell == label


def _cells_for(counts: Mapping[str, int], label: str, multiple: bool) -> dict[str, int]:
    if not multiple:
        return dict(counts)
    return {"present": counts.get(f"{label}|present", 0),
            "absent": counts.get(f"{label}|absent", 0)}


def _group_total(counts: Mapping[str, int], labels: Sequence[str], multiple: bool) -> int:
    if not multiple:
        return int(sum(counts.values()))
    first = labels[0] if labels else ""
    return int(counts.get(f"{first}|present", 0) + counts.get(f"{first}|absent", 0))


def _raw(counts: Mapping[str, int], label: str, multiple: bool) -> int:
    return int(counts.get(f"{label}|present", 0) if multiple else counts.get(label, 0))


def differs(a: Interval, b: Interval) -> bool:
    """Two corrected shares are called different only when their 95% intervals do not
    overlap (conservative: non-overlap implies p < .05, not the reverse)."""
    if None in (a.low, a.high, b.low, b.high):
        return False
    return a.low > b.high or b.low > a.high  # type: ignore[operator]


def counts_by_group(rows: Iterable[tuple[str, frozenset[str]]], labels: Sequence[str],
                    multiple: bool) -> dict[str, int]:
    """{cell: items} of one group from (group, predicted labels) rows already filtered to it."""
    out: dict[str, int] = {}
    for _, predicted in rows:
        if multiple:
            for label in labels:
                key = f"{label}|{'present' if label in predicted else 'absent'}"
                out[key] = out.get(key, 0) + 1
        else:
            cell = _cell(predicted, "", False)
            out[cell] = out.get(cell, 0) + 1
    return out


def run(ctx: Any) -> None:
    """The analysis step: analysis_validation_accuracy and analysis_validation_estimates from
    the store's validation samples and the model labels (pantau.validate)."""
    from .. import validate
    from ..models.codebook import load

    try:
        book = load(ctx.project)
    except Exception:  # noqa: BLE001 - a broken codebook is reported by pantau status
        validate.write_tables(ctx.execute, [], [])
        return
    db = validate.Rows(ctx.con)
    accuracy_rows, estimate_rows = validate.compute(db, book)
    validate.write_tables(ctx.execute, accuracy_rows, estimate_rows)

