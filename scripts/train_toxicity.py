"""Train the shipped toxicity model and print its scores on the BLOB-toxic held-out half.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_toxicity.py [--shared ../shared]
        [--out src/pantau/models/data/toxicity.joblib] [--C 0.5]

Training data (nothing else is read):
- BLOB-toxic-id (MIT, ../shared/data/blob-toxic-id), the `dev` half only (the split of
  benchmarks/toxicity.py; its `test` half is the held-out figure). Its labels are toxic/normal:
  a toxic line becomes `hate` when the rule stage finds a group attack in it, else `abusive`.
- data/train/toxicity_train_id.csv: sentences written for pantau (scripts/build_toxicity_train.py),
  none / abusive / hate.
The test sets in data/eval are never read here (tests/text/test_hate_suite.py checks it).

Model: logistic regression (scikit-learn, multinomial, balanced classes) over the rule stage's
features (pantau.models.toxicity.FEATURES) and hashed word/character n-grams of the
de-obfuscated text with group words replaced by one placeholder. Only the non-zero n-gram
weights are stored (float16), with the rule-feature weights, in a small joblib file.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models import toxicity  # noqa: E402
from pantau.models.linear import FeatureConfig, Featurizer  # noqa: E402

TRAIN_CSV = REPO / "data" / "train" / "toxicity_train_id.csv"
CONFIG = FeatureConfig(bits=18, char_orders=(), word_ngrams=2, negation_scope=2,
                       weights={"char": 0.5, "word": 1.0, "bigram": 0.7}, normalise=True)
DENSE_SCALE = 1.0


def blob_module():
    """benchmarks/toxicity.py: its reader and dev/test split are the ones the benchmark uses."""
    spec = importlib.util.spec_from_file_location("blob_benchmark",
                                                  REPO / "benchmarks" / "toxicity.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def training_data(shared: Path, rules: toxicity.ToxicityClassifier
                  ) -> tuple[list[str], list[str], Counter]:
    blob = blob_module()
    texts: list[str] = []
    labels: list[str] = []
    sources: Counter = Counter()
    for file, line, text, gold in blob.read_blob(shared):
        if blob.split_of(file, line) != "dev":
            continue
        if gold == "toxic":
            label = "hate" if rules.predict_one(text).label == "hate" else "abusive"
        else:
            label = "none"
        texts.append(text)
        labels.append(label)
        sources["blob-toxic-id dev half"] += 1
    with TRAIN_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts.append(row["text"])
            labels.append(row["label"])
            sources["data/train/toxicity_train_id.csv"] += 1
    return texts, labels, sources


def matrix(rules: toxicity.ToxicityClassifier, featurizer: Featurizer, texts: list[str]):
    import scipy.sparse as sp

    analyses = [rules.analyse(t) for t in texts]
    grams = featurizer.matrix([a.doc for a in analyses])
    dense = sp.csr_matrix(np.asarray([a.features for a in analyses], np.float32) * DENSE_SCALE)
    return sp.hstack([dense, grams]).tocsr()


def train(shared: Path, C: float) -> tuple[dict, dict]:
    from sklearn.linear_model import LogisticRegression

    rules = toxicity.ToxicityClassifier()
    featurizer = Featurizer(CONFIG)
    texts, labels, sources = training_data(shared, rules)
    X = matrix(rules, featurizer, texts)
    y = np.array([toxicity.LABELS.index(label) for label in labels])
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    clf.fit(X, y)
    coef = clf.coef_.T.astype(np.float32)  # (features, labels)
    dense = coef[:toxicity.N_FEATURES] * DENSE_SCALE
    grams = coef[toxicity.N_FEATURES:]
    nonzero = np.flatnonzero(np.abs(grams).max(axis=1) > 1e-4)
    payload = {
        "format": toxicity.MODEL_FORMAT, "labels": list(toxicity.LABELS),
        "config": CONFIG.as_dict(), "features": list(toxicity.FEATURES),
        "dense_weights": dense, "bias": clf.intercept_.astype(np.float32),
        "sparse_index": nonzero.astype(np.int32),
        "sparse_values": grams[nonzero].astype(np.float16),
        "meta": {"trained_on": dict(sources), "label_counts": dict(Counter(labels)), "C": C,
                 "lexicon": rules.lexicon.digest},
    }
    return payload, {"n": len(texts), "sources": dict(sources),
                     "labels": dict(Counter(labels))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=toxicity.MODEL_FILE)
    ap.add_argument("--C", type=float, default=0.5)
    args = ap.parse_args()
    import joblib

    started = time.perf_counter()
    payload, info = train(args.shared, args.C)
    print(f"trained on {info['n']} texts {info['sources']} labels {info['labels']} "
          f"({time.perf_counter() - started:.1f} s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(payload, args.out, compress=("zlib", 9))
    print(f"saved {args.out} ({args.out.stat().st_size / 1e3:.0f} kB, "
          f"{len(payload['sparse_index'])} n-gram buckets)")
    for name, w in zip(toxicity.FEATURES, payload["dense_weights"], strict=True):
        print(f"  {name:20s} " + " ".join(f"{x:+.2f}" for x in w))
    # scored as shipped: loaded back through pantau
    model = toxicity.load(path=args.out)
    blob = blob_module()
    items = [i for i in blob.read_blob(args.shared) if blob.split_of(i[0], i[1]) == "test"]
    preds = model.predict([t for _, _, t, _ in items])
    gold = [g for *_, g in items]
    pred = ["none" if p.label == "none" else "toxic" for p in preds]
    for cls in ("toxic", "none"):
        p, r, f, n = blob.prf(gold, pred, cls)
        print(f"BLOB held-out half {cls:5s}: precision {p:.3f} recall {r:.3f} F1 {f:.3f} (n={n})")


if __name__ == "__main__":
    main()
