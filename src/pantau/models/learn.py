"""Models learnt from the coders' codes: the fitting, the cross-validated predictions, and the
saved format (`pantau-linear-1` for one value; `pantau-coding-multi-1` for a variable with
several values: one present/absent model per value), so that the registry can load a
coder-trained model like any shipped one (PROJECT/models/coding-SCHEME.joblib).

Features and model are models/linear.py's (hashed character and word n-grams, negation scope)
with scikit-learn's logistic regression. Gathering the codes and measuring agreement with the
coders is the web app's part (pantau.web.learn).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .base import Prediction

MODEL_DIR = "models"
ADJUDICATED = "adjudicated"  # reserved coder name: the settled code after a disagreement


def gold_codes(by_coder: dict[str, tuple]) -> tuple | None:
    """The settled code of one item from {coder: values}: adjudicated, unanimous, or strict
    majority; None when the coders split evenly."""
    if ADJUDICATED in by_coder:
        return by_coder[ADJUDICATED]
    counts = Counter(by_coder.values())
    (top, n), *rest = counts.most_common()
    if rest and rest[0][1] == n:
        return None
    return top if n * 2 > len(by_coder) or not rest else None


def fit(x, y: list[str], labels: list[str], c: float):
    """Logistic regression on hashed features -> (weights (features, k), bias (k)). Only the
    buckets the training texts use are fitted (hundreds of texts fill a few thousand of the
    2**bits buckets); the others keep weight 0."""
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(x[:, used], y)
    order = [list(model.classes_).index(label) for label in labels]
    if len(model.classes_) == 2:  # one logit: split it into a softmax pair
        w = model.coef_[0] / 2
        coef = np.stack([-w, w], axis=1)
        bias = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef, bias = model.coef_.T, model.intercept_
    weights = np.zeros((x.shape[1], len(labels)), np.float32)
    weights[used] = coef[:, order]
    return weights, bias[order]


def softmax(x, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    logits = np.asarray(x @ weights) + bias
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def fold_splits(y: list[str], k: int, seed: int):
    from sklearn.model_selection import KFold, StratifiedKFold

    smallest = min(Counter(y).values())
    if smallest >= 2:
        return StratifiedKFold(n_splits=min(k, smallest), shuffle=True,
                               random_state=seed).split(np.zeros(len(y)), y)
    return KFold(n_splits=min(k, len(y)), shuffle=True, random_state=seed).split(
        np.zeros(len(y)))


def cross_predict(x, y: list[str], labels: list[str], folds: int, seed: int,
                   c: float) -> list[str]:
    predicted = [""] * len(y)
    for train, test in fold_splits(y, folds, seed):
        train_labels = sorted({y[i] for i in train})
        if len(train_labels) < 2:
            for i in test:
                predicted[i] = train_labels[0]
            continue
        weights, bias = fit(x[train], [y[i] for i in train], train_labels, c)
        proba = softmax(x[test], weights, bias)
        for i, row in zip(test, proba, strict=True):
            predicted[i] = train_labels[int(row.argmax())]
    return predicted


class CodingModel:
    """A variable with several values: one present/absent linear model per value. Satisfies
    the Classifier protocol: label = the most likely present value (or "none"), targets = every
    value above 0.5."""

    def __init__(self, name: str, version: str, models: dict[str, Any]) -> None:
        self.NAME = name
        self.VERSION = version
        self.LABELS = (*models, "none")
        self.models = models

    def predict(self, texts) -> list[Prediction]:
        texts = list(texts)
        present = {value: m.probabilities(texts)[:, 1] for value, m in self.models.items()}
        out = []
        for i in range(len(texts)):
            scores = {v: round(float(p[i]), 4) for v, p in present.items()}
            targets = sorted((v for v, s in scores.items() if s >= 0.5), key=lambda v: -scores[v])
            out.append(Prediction(targets[0] if targets else "none", scores, None, targets))
        return out


@dataclass
class TrainResult:
    variable: str
    target: str
    figures: dict[str, Any]
    model: Any = field(repr=False)

    def save(self, project: Any) -> Path:
        """Write the model and its card under the project's models/ folder."""
        folder = Path(project.root) / MODEL_DIR
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"coding-{self.variable}.joblib"
        if isinstance(self.model, CodingModel):
            import joblib

            for value, m in self.model.models.items():
                m.save(folder / f"coding-{self.variable}--{value}.joblib")
            joblib.dump({"format": "pantau-coding-multi-1", "name": self.model.NAME,
                         "version": self.model.VERSION, "values": list(self.model.models)},
                        path)
        else:
            self.model.save(path)
        card = path.with_suffix(".json")
        card.write_text(json.dumps(self.figures, indent=2, default=str), encoding="utf-8")
        return path


def load_coding_model(path: Path | str):
    """A model written by TrainResult.save (one value, or several)."""
    import joblib

    from .linear import LinearTextModel

    path = Path(path)
    payload = joblib.load(path)
    from .adapt import from_payload, is_adapted

    if is_adapted(payload):  # a shipped model adapted in-domain (models/adapt.py)
        return from_payload(payload, path.parent.parent)  # PROJECT/models/coding-*.joblib
    if isinstance(payload, dict) and payload.get("format") == "pantau-coding-multi-1":
        models = {v: LinearTextModel.load(path.with_name(f"{path.stem}--{v}.joblib"))
                  for v in payload["values"]}
        return CodingModel(payload["name"], payload["version"], models)
    return LinearTextModel.load(path)
