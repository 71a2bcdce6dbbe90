"""Fit the cue weights of the question rules on the tuning (`dev`) half of the labelled set.

    .venv/bin/python scripts/fit_question_weights.py [--shared ../shared] [--C 1.0] [--write]

Features: the cue kinds the rules find in each text (models/question.py `cue_kinds`; toxicity
is left out, its hand weight is kept). Model: multinomial logistic regression with
`not_question` as the zero reference (the fitted logits are shifted so that its weights are 0).
Prints the weights as the [bias] and [weights.*] tables of lexicons/question.toml; --write
replaces those tables in the shipped file. The `test` half is never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from question import load_labelled  # noqa: E402

from pantau.models import lexicons  # noqa: E402
from pantau.models.question import LABELS, QuestionClassifier  # noqa: E402

KEEP_BY_HAND = {"rhetorical": {"toxic": 1.0}}


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--cv", action="store_true",
                    help="print 5-fold cross-validated macro-F1 on the dev half for some C")
    ap.add_argument("--balanced", action="store_true", help="balanced class weights")
    args = ap.parse_args()
    rows = [r for r in load_labelled(args.shared) if r["split"] == "dev"]
    model = QuestionClassifier(lexicons.load("question"), toxicity=None)
    kinds = model.cue_kinds([r["text"] for r in rows])
    names = sorted({k for ks in kinds for k in ks})
    x = np.array([[k in ks for k in names] for ks in kinds], float)
    y = np.array([LABELS.index(r["label"]) for r in rows])
    if args.cv:
        from sklearn.metrics import f1_score
        from sklearn.model_selection import cross_val_predict

        for balanced in (False, True):
            for c in (0.1, 0.3, 1.0, 3.0):
                got = cross_val_predict(LogisticRegression(
                    C=c, max_iter=5000, class_weight="balanced" if balanced else None), x, y, cv=5)
                print(f"C={c} balanced={balanced}: macro-F1 "
                      f"{f1_score(y, got, average='macro'):.3f}")
    lr = LogisticRegression(C=args.C, max_iter=5000,
                            class_weight="balanced" if args.balanced else None)
    lr.fit(x, y)
    coef = np.zeros((len(LABELS), len(names)))
    bias = np.zeros(len(LABELS))
    coef[lr.classes_] = lr.coef_
    bias[lr.classes_] = lr.intercept_
    ref = LABELS.index("not_question")
    coef -= coef[ref]
    bias -= bias[ref]
    balanced = ", balanced" if args.balanced else ""
    out = [f"# Fitted weights (scripts/fit_question_weights.py, C={args.C:g}{balanced}, on "
           f"{len(rows)} dev texts): bias and weight per cue kind per label.", "[bias]"]
    out += [f"{label} = {bias[i]:.2f}" for i, label in enumerate(LABELS) if i != ref]
    for i, label in enumerate(LABELS):
        if i == ref:
            continue
        out += ["", f"[weights.{label}]"]
        weights = {n: round(float(coef[i, j]), 2) for j, n in enumerate(names)}
        weights.update(KEEP_BY_HAND.get(label, {}))
        out += [f"{n} = {w:.2f}" for n, w in sorted(weights.items()) if abs(w) >= 0.05]
    text = "\n".join(out) + "\n"
    print(text)
    if args.write:
        path = lexicons.shipped_path("question")
        raw = path.read_text(encoding="utf-8")
        head = re.split(r"\n# Fitted weights", raw, maxsplit=1)[0].rstrip("\n")
        path.write_text(head + "\n\n" + text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
