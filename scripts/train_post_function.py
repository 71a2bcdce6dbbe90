"""Train the small learned part of the post-function coder (pantau/models/function.py).

    .venv/bin/python scripts/train_post_function.py [--data data/train/post_function_train.jsonl]
        [--out src/pantau/models/data/post_function.json] [--cv]

Reads ONLY the training posts (written for training, separately from the evaluation set in
data/eval, which no training code may read: tests/text/test_post_function.py checks this),
fits a logistic regression (scikit-learn, L2, C=2, balanced classes) on the words, word pairs,
hashtag words and media-text words of each post (pantau.models.function.features), and writes
the non-negligible weights as readable JSON: label -> {feature: weight}. `--cv` prints 5-fold
cross-validated accuracy and macro-F1 on the training posts for the keyword evidence alone and
for keywords plus the model at several weights (how the codebook's `model` weight was chosen).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models import codebook  # noqa: E402
from pantau.models.function import EvidenceCoder, LearnedWeights, features  # noqa: E402

DEFAULT_DATA = REPO / "data" / "train" / "post_function_train.jsonl"
DEFAULT_OUT = REPO / "src" / "pantau" / "models" / "data" / "post_function.json"
C = 2.0
MIN_WEIGHT = 0.05


def read(path: Path) -> list[dict]:
    if "eval" in path.parts:
        raise SystemExit(f"{path}: evaluation data is never trained on")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def fit(rows: list[dict]) -> LearnedWeights:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(features(r["text"], r.get("media_text")), 1.0)
                           for r in rows])
    y = [r["function"] for r in rows]
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    for k, label in enumerate(clf.classes_):
        row = clf.coef_[k]
        weights[str(label)] = {str(names[j]): round(float(row[j]), 4)
                               for j in range(len(names)) if abs(row[j]) >= MIN_WEIGHT}
    bias = {str(label): round(float(b), 4) for label, b in zip(clf.classes_, clf.intercept_,
                                                                 strict=True)}
    meta = {"trained_on": "data/train/post_function_train.jsonl", "posts": len(rows),
            "C": C, "features": "caption words + word pairs, #hashtag words, m:media words"}
    return LearnedWeights([str(c) for c in clf.classes_], weights, bias, "", meta)


def cross_validate(rows: list[dict], folds: int = 5) -> None:
    import random

    variable = codebook.load(None).get("post_function")
    order = list(range(len(rows)))
    random.Random(12).shuffle(order)
    weights = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]
    gold: list[str] = []
    preds: dict[float, list[str]] = {w: [] for w in weights}
    for f in range(folds):
        test = [rows[i] for i in order[f::folds]]
        train = [rows[i] for k, i in enumerate(order) if k % folds != f]
        model = fit(train)
        gold += [r["function"] for r in test]
        for w in weights:
            settings = dict(variable.evidence, model=w)
            coder = EvidenceCoder(_with_evidence(variable, settings), model)
            preds[w] += [p.label for p in coder.predict([r["text"] for r in test],
                                                       [r.get("media_text") for r in test])]
    for w in weights:
        acc = sum(g == p for g, p in zip(gold, preds[w], strict=True)) / len(gold)
        f1 = _macro_f1(gold, preds[w])
        print(f"model weight {w:3.1f}: accuracy {acc:.3f}  macro-F1 {f1:.3f}")


def _with_evidence(variable: codebook.Variable, evidence: dict) -> codebook.Variable:
    from dataclasses import replace

    return replace(variable, evidence=evidence)


def _macro_f1(gold: list[str], pred: list[str]) -> float:
    out = []
    for code in sorted(set(gold)):
        tp = sum(g == code and p == code for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(code), gold.count(code)
        prec, rec = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
        out.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(out) / len(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--cv", action="store_true", help="cross-validate instead of writing")
    args = ap.parse_args()
    rows = read(args.data)
    if args.cv:
        cross_validate(rows)
        return
    model = fit(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"labels": model.labels, "bias": model.bias, "weights": model.weights,
               "meta": model.meta}
    args.out.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                        encoding="utf-8")
    n = sum(len(w) for w in model.weights.values())
    print(f"wrote {args.out}: {len(model.labels)} labels, {n} weights from {len(rows)} posts")


if __name__ == "__main__":
    main()
