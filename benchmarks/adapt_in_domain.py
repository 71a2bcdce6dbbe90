"""In-domain adaptation from coders' codes (models/adapt.py), on a domain kept out of base
training: base = a sentiment model fitted on IndoNLU SmSA train only (reviews); domain = EmoT
tweets (emotions mapped to positive/negative; no neutral) and NusaX-senti id (texts that also
occur in SmSA removed). Up to 400 domain texts serve as "codes"; the rest is scored.

Printed per domain: base macro-F1; adapted (shipped-model scores as features + n-grams) and
codes-only models at 100/200/400 codes, drawn at random or by uncertainty sampling (start with
50 random, then batches of 50 where the current adapted model's top probability is lowest).
Reads ../shared/data (skips when absent). Usage: python benchmarks/adapt_in_domain.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

from pantau.models import adapt
from pantau.models.linear import FeatureConfig, LinearTextModel
from pantau.models.train import (
    EMOT_TO_SENTIMENT,
    _dedupe_key,
    fit_linear,
    read_csv_columns,
    read_smsa,
)

SHARED = Path(os.environ.get("PANTAU_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SIZES = (100, 200, 400)


class Base:
    """The SmSA-only base as a registry-like classifier."""

    def __init__(self, model: LinearTextModel) -> None:
        self.model, self.LABELS, self.VERSION, self.NAME = model, model.LABELS, "smsa", "base"
        self.seen: dict[str, object] = {}  # the same pool texts are scored again and again

    def predict(self, texts):
        new = [t for t in dict.fromkeys(texts) if t not in self.seen]
        for text, p in zip(new, self.model.predict(new), strict=True):
            self.seen[text] = p
        return [self.seen[t] for t in texts]


def domains(data: Path, smsa_keys: set[str]):
    emot_x, emot_e = read_csv_columns(data / "indonlu-emot" / "train_preprocess.csv", "tweet",
                                      "label")
    emot_vx, emot_ve = read_csv_columns(data / "indonlu-emot" / "valid_preprocess.csv",
                                        "tweet", "label")
    yield ("EmoT tweets", emot_x, [EMOT_TO_SENTIMENT[e] for e in emot_e],
           emot_vx, [EMOT_TO_SENTIMENT[e] for e in emot_ve])
    pool_x, pool_y = [], []
    for split in ("train", "valid"):
        xs, ys = read_csv_columns(data / "nusax-senti-id" / f"{split}.csv", "text", "label")
        pool_x += xs
        pool_y += ys
    test_x, test_y = read_csv_columns(data / "nusax-senti-id" / "test.csv", "text", "label")
    keep = [i for i, t in enumerate(pool_x) if _dedupe_key(t) not in smsa_keys]
    keep_t = [i for i, t in enumerate(test_x) if _dedupe_key(t) not in smsa_keys]
    yield ("NusaX-senti id (not in SmSA)", [pool_x[i] for i in keep], [pool_y[i] for i in keep],
           [test_x[i] for i in keep_t], [test_y[i] for i in keep_t])


def score(model, texts, gold) -> float:
    return adapt.macro_f1(gold, [p.label for p in model.predict(texts)])


def run_domain(name, pool_x, pool_y, test_x, test_y, *, base, rng) -> None:
    base_f1 = adapt.macro_f1(test_y, [p.label for p in base.predict(test_x)])
    print(f"\n{name}: pool {len(pool_x)}, test {len(test_x)}; base (SmSA only) macro-F1 "
          f"{base_f1:.3f}")
    print(f"  {'codes':>5} {'random: adapted':>16} {'codes only':>11} "
          f"{'uncertain: adapted':>19} {'codes only':>11}")
    order = rng.permutation(len(pool_x))
    uncertain: list[int] = list(order[:50])
    rows = {}
    for n in SIZES:
        chosen = list(order[:n])
        res = []
        for picked in (chosen,):
            model = adapt.adapt("sentiment", [pool_x[i] for i in picked],
                                [pool_y[i] for i in picked], base=base, folds=1).model
            only = _codes_only([pool_x[i] for i in picked], [pool_y[i] for i in picked])
            res += [score(model, test_x, test_y), score(only, test_x, test_y)]
        while len(uncertain) < n:
            model = adapt.adapt("sentiment", [pool_x[i] for i in uncertain],
                                [pool_y[i] for i in uncertain], base=base, folds=1).model
            rest = np.array([i for i in range(len(pool_x)) if i not in set(uncertain)])
            top = model.probabilities([pool_x[i] for i in rest]).max(axis=1)
            uncertain += list(rest[np.argsort(top)[:min(50, n - len(uncertain))]])
        model = adapt.adapt("sentiment", [pool_x[i] for i in uncertain],
                            [pool_y[i] for i in uncertain], base=base, folds=1).model
        only = _codes_only([pool_x[i] for i in uncertain], [pool_y[i] for i in uncertain])
        res += [score(model, test_x, test_y), score(only, test_x, test_y)]
        rows[n] = res
        print(f"  {n:5} {res[0]:16.3f} {res[1]:11.3f} {res[2]:19.3f} {res[3]:11.3f}",
              flush=True)


def _codes_only(texts, labels) -> LinearTextModel:
    w, b, order = fit_linear(texts, labels, config=FeatureConfig(), C=adapt.C_DEFAULT)
    return LinearTextModel("codes", "0", order, w, b, FeatureConfig())


def main() -> None:
    data = SHARED / "data"
    if not (data / "indonlu-smsa").is_dir():
        print(f"skipped: {data} not found (set PANTAU_SHARED)")
        sys.exit(0)
    started = time.perf_counter()
    smsa_x, smsa_y = read_smsa(data / "indonlu-smsa" / "train_preprocess.tsv")
    w, b, order = fit_linear(smsa_x, smsa_y, config=FeatureConfig(), C=25)
    base = Base(LinearTextModel("sentiment", "smsa", order, w, b, FeatureConfig()))
    smsa_keys = {_dedupe_key(t) for t in smsa_x}
    print(f"base fitted on {len(smsa_x)} SmSA texts in {time.perf_counter() - started:.0f} s; "
          f"load {os.getloadavg()[0]:.2f}")
    rng = np.random.default_rng(11)
    for domain in domains(data, smsa_keys):
        run_domain(*domain, base=base, rng=rng)
    print(f"\n{time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
