"""Learning from the coders: fit a project model for one codebook variable from the human codes,
and say how well it agrees with the humans on coded items it did not see.

    result = train_from_coding(project, "post_function")
    result.figures        # alpha and macro-F1 against the humans (cross-validated), ...
    path = result.save(project)   # models/coding-post_function.joblib + .json card

The gold code of an item is the adjudicated code when there is one, else the code all its
coders gave, else the strict majority; items whose coders split evenly are left out (and
counted). Every figure is cross-validated: each item is predicted by a model fitted on the other
folds, so agreement is measured only on items the model did not see. The model saved is then
fitted on all items.

Features and model are the NLP module's (models/linear.py: hashed character and word n-grams,
negation scope) with scikit-learn's logistic regression, saved in its `pantau-linear-1` format,
so enrich can load a coder-trained model like any shipped one. A variable with several values
(topics, flags) gets one present/absent model per value.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import PantauError
from ..models.base import Prediction
from ..project import Project
from . import coding
from .reliability import krippendorff_alpha

MIN_ITEMS = 20
MODEL_DIR = "models"


def gold_codes(by_coder: dict[str, tuple]) -> tuple | None:
    """The settled code of one item from {coder: values}: adjudicated, unanimous, or strict
    majority; None when the coders split evenly."""
    if coding.ADJUDICATED in by_coder:
        return by_coder[coding.ADJUDICATED]
    counts = Counter(by_coder.values())
    (top, n), *rest = counts.most_common()
    if rest and rest[0][1] == n:
        return None
    return top if n * 2 > len(by_coder) or not rest else None


def _texts(db, target: str, units: list[tuple[str, str]]) -> list[str]:
    table, key = ("posts", "post_id") if target == "post" else ("comments", "comment_id")
    found = {(r["platform"], r["id"]): r["text"] or "" for r in db.rows(
        f"""SELECT t.platform, t.{key} AS id, t.text FROM {table} t
            JOIN (SELECT unnest(?) AS platform, unnest(?) AS id) u
              ON u.platform = t.platform AND u.id = t.{key}""",
        [[u[0] for u in units], [u[1] for u in units]], cache=False)}
    return [found.get(u, "") for u in units]


def _fit(x, y: list[str], labels: list[str], c: float):
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


def _softmax(x, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    logits = np.asarray(x @ weights) + bias
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def _folds(y: list[str], k: int, seed: int):
    from sklearn.model_selection import KFold, StratifiedKFold

    smallest = min(Counter(y).values())
    if smallest >= 2:
        return StratifiedKFold(n_splits=min(k, smallest), shuffle=True,
                               random_state=seed).split(np.zeros(len(y)), y)
    return KFold(n_splits=min(k, len(y)), shuffle=True, random_state=seed).split(
        np.zeros(len(y)))


def _cross_predict(x, y: list[str], labels: list[str], folds: int, seed: int,
                   c: float) -> list[str]:
    predicted = [""] * len(y)
    for train, test in _folds(y, folds, seed):
        train_labels = sorted({y[i] for i in train})
        if len(train_labels) < 2:
            for i in test:
                predicted[i] = train_labels[0]
            continue
        weights, bias = _fit(x[train], [y[i] for i in train], train_labels, c)
        proba = _softmax(x[test], weights, bias)
        for i, row in zip(test, proba, strict=True):
            predicted[i] = train_labels[int(row.argmax())]
    return predicted


def _agreement(gold: list[str], predicted: list[str], labels: list[str]) -> dict[str, Any]:
    from ..models.evaluate import score

    scores = score(gold, predicted, labels)
    alpha = krippendorff_alpha({i: {"human": g, "model": p}
                                for i, (g, p) in enumerate(zip(gold, predicted, strict=True))})
    majority = Counter(gold).most_common(1)[0][0]
    baseline = score(gold, [majority] * len(gold), labels)
    return {"alpha": alpha.as_dict()["alpha"], "alpha_ci": [alpha.as_dict()["ci_low"],
                                                          alpha.as_dict()["ci_high"]],
            "verdict": alpha.verdict, "macro_f1": round(scores.macro_f1, 4),
            "accuracy": round(scores.accuracy, 4), "per_class": scores.per_class,
            "baseline_macro_f1": round(baseline.macro_f1, 4), "baseline_label": majority}


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

    def save(self, project: Project) -> Path:
        """Write the model and its card under the project's models/ folder."""
        folder = project.root / MODEL_DIR
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

    from ..models.linear import LinearTextModel

    path = Path(path)
    payload = joblib.load(path)
    if isinstance(payload, dict) and payload.get("format") == "pantau-coding-multi-1":
        models = {v: LinearTextModel.load(path.with_name(f"{path.stem}--{v}.joblib"))
                  for v in payload["values"]}
        return CodingModel(payload["name"], payload["version"], models)
    return LinearTextModel.load(path)


def train_from_coding(project: Project, variable: str, *, folds: int = 5, seed: int = 0,
                      c: float = 10.0, db=None, min_items: int = MIN_ITEMS) -> TrainResult:
    """Fit a model for `variable` from the coders' codes; figures are cross-validated against
    the humans (alpha with a bootstrap CI, macro-F1, accuracy, a majority-class baseline, and
    the coders' own alpha for comparison)."""
    from ..models.linear import FeatureConfig, Featurizer, LinearTextModel
    from .db import WebStore

    codebook = coding.load_codebook(project)
    var = codebook.get(variable)
    own = db is None
    if own:
        db = WebStore(project, build_index=False, flag_scheme=coding.flag_scheme(codebook))
    try:
        units = coding.coder_codes(db, var.target, [variable],
                                   include_adjudicated=True).get(variable, {})
        resolved = {u: gold_codes(by) for u, by in units.items()}
        gold = {u: g for u, g in sorted(resolved.items()) if g is not None}
        unresolved = len(resolved) - len(gold)
        if not var.multiple:
            gold = {u: g[0] for u, g in gold.items() if g}
        if len(gold) < min_items:
            raise PantauError(
                f"{variable}: only {len(gold)} coded item(s) with a settled code; at least "
                f"{min_items} are needed", "code more items (pantau serve → Coding)")
        keys = list(gold)
        texts = _texts(db, var.target, keys)
        human = coding.reliability(db, codebook, target=var.target)
    finally:
        if own:
            db.close()
    featurizer = Featurizer(FeatureConfig())
    x = featurizer.matrix(texts)
    digest = hashlib.sha256(json.dumps([[*k, str(gold[k])] for k in keys]).encode()) \
        .hexdigest()[:8]
    version = f"{datetime.now(UTC):%Y%m%d}.{digest}"
    name = f"coding-{variable}"
    human_alpha = next((r for r in human if r["variable"] == variable and r["value"] is None),
                       None)
    figures: dict[str, Any] = {
        "variable": variable, "target": var.target, "items": len(keys),
        "unresolved_items": unresolved, "folds": folds, "seed": seed, "C": c,
        "model": f"model:{name}@{version}", "trained_at": datetime.now(UTC).isoformat(),
        "human_alpha": human_alpha["alpha"] if human_alpha else None,
        "evaluation": "cross-validated: every item predicted by a model that did not see it",
    }
    if not var.multiple:
        y = [str(gold[k]) for k in keys]
        labels = [v.code for v in var.values if v.code in set(y)]
        if len(labels) < 2:
            raise PantauError(f"{variable}: the coders used one code only ({labels[0]})",
                              "a model needs at least two codes to tell apart")
        predicted = _cross_predict(x, y, labels, folds, seed, c)
        figures.update(labels=dict(Counter(y)), **_agreement(y, predicted, labels))
        weights, bias = _fit(x, y, labels, c)
        model: Any = LinearTextModel(name, version, labels, weights, bias, featurizer.config,
                                     {"trained_from": "coders", "figures": figures})
        return TrainResult(variable, var.target, figures, model)
    per_value: dict[str, Any] = {}
    models = {}
    for value in var.values:
        y = ["yes" if value.code in gold[k] else "no" for k in keys]
        if len(set(y)) < 2:
            per_value[value.code] = {"skipped": "all items alike", "present": y.count("yes")}
            continue
        predicted = _cross_predict(x, y, ["no", "yes"], folds, seed, c)
        per_value[value.code] = {"present": y.count("yes"),
                                 **_agreement(y, predicted, ["no", "yes"])}
        weights, bias = _fit(x, y, ["no", "yes"], c)
        models[value.code] = LinearTextModel(f"{name}--{value.code}", version, ["no", "yes"],
                                             weights, bias, featurizer.config)
    scored = [v for v in per_value.values() if "macro_f1" in v]
    if not scored:
        raise PantauError(f"{variable}: no value is both present and absent among the coded "
                          "items", "code more items")
    alphas = [v["alpha"] for v in scored if v["alpha"] is not None]
    figures.update(per_value=per_value,
                   macro_f1=round(float(np.mean([v["macro_f1"] for v in scored])), 4),
                   alpha=round(float(np.mean(alphas)), 4) if alphas else None,
                   alpha_note="mean of the per-value alphas (present/absent)")
    return TrainResult(variable, var.target, figures, CodingModel(name, version, models))
