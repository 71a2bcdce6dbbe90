"""Corrected estimates: coverage of the 95% interval in simulations with a known truth.

A population of N items with a known true prevalence per label; a classifier with a known
confusion matrix labels them; a validation sample stratified by the predicted label (n per
stratum) is "coded" with the truth; pantau.analysis.validation corrects the shares. Printed: the
coverage of the corrected 95% interval of each label's true population share over the runs,
against the raw (model) share with its naive binomial interval, and the mean absolute error of
both. Usage: python benchmarks/corrected_estimates.py [--runs 1000] [--per-stratum 100]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from pantau.analysis import validation as V

LABELS = ("positive", "negative", "neutral")
TRUE_SHARES = np.array([0.25, 0.35, 0.40])
# rows: true label, columns: predicted (a biased classifier: neutral often read as positive)
CONFUSION = np.array([[0.80, 0.05, 0.15],
                      [0.10, 0.65, 0.25],
                      [0.30, 0.10, 0.60]])


def one_run(rng: np.random.Generator, n_pop: int, per_stratum: int, seed: int):
    truth = rng.choice(3, size=n_pop, p=TRUE_SHARES)
    predicted = np.array([rng.choice(3, p=CONFUSION[t]) for t in truth]) if n_pop < 2000 else \
        _vector_predict(rng, truth)
    population = {LABELS[k]: int((predicted == k).sum()) for k in range(3)}
    items = []
    for k in range(3):
        members = np.flatnonzero(predicted == k)
        take = rng.choice(members, size=min(per_stratum, members.size), replace=False)
        items += [V.CodedItem(LABELS[k], frozenset([LABELS[k]]),
                              frozenset([LABELS[truth[i]]])) for i in take]
    groups = {"all": population}
    rows = V.corrected_counts(items, population, groups, LABELS, bootstrap=1000, seed=seed)
    true_share = {LABELS[k]: float((truth == k).mean()) for k in range(3)}
    return rows, true_share


def _vector_predict(rng, truth):
    u = rng.random(truth.size)
    cum = CONFUSION.cumsum(1)[truth]
    return (u[:, None] > cum).sum(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--population", type=int, default=20000)
    ap.add_argument("--per-stratum", type=int, default=100)
    args = ap.parse_args()
    rng = np.random.default_rng(20261202)
    covered = {lab: 0 for lab in LABELS}
    raw_covered = {lab: 0 for lab in LABELS}
    err = {lab: [] for lab in LABELS}
    raw_err = {lab: [] for lab in LABELS}
    widths = {lab: [] for lab in LABELS}
    started = time.perf_counter()
    for run in range(args.runs):
        rows, truth = one_run(rng, args.population, args.per_stratum, run)
        for r in rows:
            s = r.share()
            t = truth[r.label]
            covered[r.label] += s.low <= t <= s.high
            widths[r.label].append(s.high - s.low)
            err[r.label].append(abs(s.estimate - t))
            raw = r.raw_share
            half = V.Z95 * np.sqrt(raw * (1 - raw) / r.items)
            raw_covered[r.label] += raw - half <= t <= raw + half
            raw_err[r.label].append(abs(raw - t))
    print(f"{args.runs} runs, population {args.population}, {args.per_stratum} coded per "
          f"predicted label ({3 * args.per_stratum} in all); {time.perf_counter() - started:.0f} s;"
          f" load {os.getloadavg()[0]:.2f}")
    print(f"{'label':10} {'true':>6} {'corrected coverage':>19} {'mean width':>11} "
          f"{'MAE':>7} | {'raw coverage':>13} {'raw MAE':>8}")
    for k, lab in enumerate(LABELS):
        print(f"{lab:10} {TRUE_SHARES[k]:6.2f} {covered[lab] / args.runs:19.1%} "
              f"{np.mean(widths[lab]):11.3f} {np.mean(err[lab]):7.3f} | "
              f"{raw_covered[lab] / args.runs:13.1%} {np.mean(raw_err[lab]):8.3f}")


if __name__ == "__main__":
    main()
