"""In-domain adaptation of a shipped model from the project's codes.

The shipped models were trained on data users do not have (and may not redistribute), so the
shipped training set cannot be re-fitted here. Its knowledge enters as the shipped model itself:
the adapted model is a logistic regression over

    [ hashed word/character n-grams of the text  |  log p_shipped(label | text) per label ]

fitted on the coders' codes. With few codes the regularised n-gram weights stay small and the
model leans on the shipped model's scores (re-weighted: it learns, e.g., that the shipped
"neutral" is mostly "negative" here); with a few hundred codes the in-domain n-grams carry the
words this election uses. This is prior-model adaptation in the sense of Chelba & Acero (2006,
"Adaptation of maximum entropy capitaliser: little data can help a lot"), with the prior model's
output as a feature (stacking, Wolpert 1992) instead of a prior on the weights, so it works for
any classifier the registry holds (linear, lexicon, rules), whichever is in force.

At prediction time the shipped model runs first, so the adapted model names the shipped model's
VERSION in its own and refuses to load when the shipped model has changed since (retrain).
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import PantauError
from .base import Classifier, Prediction

FORMAT = "pantau-adapted-1"
PRIOR_SCALE = 4.0  # the shipped log-probabilities are scaled so their weights cost little
C_DEFAULT = 2.0
FLOOR = 1e-4  # probabilities are floored before the log


def load_shipped(task_name: str, project: Any = None) -> Classifier:
    """The task's shipped classifier, ignoring any project model (the base to adapt). Loaders
    are called without the project: given one, they hand over to the project's own model,
    which may be this very adapted model (so project lexicon overrides are not in the base)."""
    from . import registry

    spec = registry.task(task_name)
    for module_name, function in spec.loaders:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        loader = getattr(module, function, None)
        if loader is not None:
            return registry._call_loader(loader, None)
    raise registry.ModelUnavailable(f"no shipped model for task {spec.name!r}")


def base_features(base: Classifier, base_labels: Sequence[str],
                  texts: Sequence[str | None]) -> tuple[np.ndarray, list[Prediction]]:
    """(n, k_base) log-probabilities of the shipped model (floored), and its predictions.
    A model that scores only its chosen label spreads the rest evenly."""
    predictions = base.predict(list(texts))
    k = len(base_labels)
    out = np.empty((len(predictions), k), np.float64)
    for i, p in enumerate(predictions):
        scores = p.scores or {}
        row = np.array([float(scores.get(lab, np.nan)) for lab in base_labels])
        if np.isnan(row).any():
            chosen = float(scores.get(p.label, 0.9) or 0.9)
            rest = (1 - chosen) / max(1, k - 1)
            row = np.array([chosen if lab == p.label else rest for lab in base_labels])
        out[i] = np.log(np.clip(row, FLOOR, 1.0))
    return out, predictions


class AdaptedModel:
    """Shipped model + in-domain logistic regression (see the module doc)."""

    def __init__(self, name: str, version: str, labels: Sequence[str], base: Classifier,
                 base_labels: Sequence[str], ngram, prior: np.ndarray,
                 meta: dict[str, Any] | None = None) -> None:
        self.NAME = name
        self.VERSION = version
        self.LABELS = tuple(labels)
        self.base = base
        self.base_labels = list(base_labels)
        self.ngram = ngram  # LinearTextModel: the n-gram part (its weights and bias)
        self.prior = np.asarray(prior, np.float64)  # (k_base, k)
        self.meta = meta or {}

    def warm(self) -> None:
        for part in (self.base, self.ngram):
            warm = getattr(part, "warm", None)
            if warm:
                warm()

    def _combine(self, texts: Sequence[str | None]) -> tuple[np.ndarray, list[Prediction]]:
        feats, base_predictions = base_features(self.base, self.base_labels, texts)
        # log softmax(z) = z - const per row: adding the prior term and renormalising gives
        # softmax(z + prior . f), the fitted model's output
        logits = np.log(np.clip(self.ngram.probabilities(list(texts)), 1e-300, 1.0))
        logits += (PRIOR_SCALE * feats) @ self.prior
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        proba /= proba.sum(axis=1, keepdims=True)
        return proba, base_predictions

    def probabilities(self, texts: Sequence[str | None]) -> np.ndarray:
        return self._combine(texts)[0]

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        texts = list(texts)
        proba, base_predictions = self._combine(texts)
        out = []
        for row, base in zip(proba, base_predictions, strict=True):
            label = self.LABELS[int(row.argmax())]
            scores = {lab: round(float(v), 4) for lab, v in zip(self.LABELS, row, strict=True)}
            same = label == base.label
            # what the shipped model found (evidence, SARA targets) stands where it agrees
            evidence = base.evidence if same else [
                f"in-domain model: {label} (shipped model: {base.label})"]
            out.append(Prediction(label, scores, evidence, base.targets if same else None))
        return out

    def save(self, path: Path | str) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        used = np.flatnonzero(np.abs(self.ngram.weights).sum(axis=1))
        joblib.dump({
            "format": FORMAT, "name": self.NAME, "version": self.VERSION,
            "labels": list(self.LABELS), "base_task": self.meta["task"],
            "base_version": self.meta["base_version"], "base_labels": self.base_labels,
            "rows": used.astype(np.int64), "weights": self.ngram.weights[used],
            "n_rows": int(self.ngram.weights.shape[0]), "bias": self.ngram.bias,
            "config": self.ngram.config.as_dict(), "prior": self.prior, "meta": self.meta,
        }, path, compress=("zlib", 6))
        return path


def is_adapted(payload: Any) -> bool:
    return isinstance(payload, dict) and payload.get("format") == FORMAT


def from_payload(payload: dict[str, Any], project: Any = None) -> AdaptedModel:
    """Rebuild a saved adapted model; its shipped base must be the one it was fitted on."""
    from .linear import FeatureConfig, LinearTextModel

    base = load_shipped(payload["base_task"], project)
    if str(base.VERSION) != str(payload["base_version"]):
        raise ValueError(f"the shipped {payload['base_task']} model changed "
                         f"({payload['base_version']} -> {base.VERSION}) since this model was "
                         "adapted: retrain it (pantau models train --from-coding "
                         f"{payload['base_task']})")
    weights = np.zeros((payload["n_rows"], len(payload["labels"])), np.float32)
    weights[payload["rows"]] = payload["weights"]
    ngram = LinearTextModel(payload["name"] + "-ngrams", payload["version"], payload["labels"],
                            weights, payload["bias"], FeatureConfig.from_dict(payload["config"]))
    return AdaptedModel(payload["name"], payload["version"], payload["labels"], base,
                        payload["base_labels"], ngram, payload["prior"], payload.get("meta"))


# -- fitting ------------------------------------------------------------------------------------
def fit(x, feats: np.ndarray, y: Sequence[str], labels: Sequence[str], c: float):
    """Logistic regression on [n-grams | scaled shipped log-probs] -> (weights, bias, prior)."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)
    design = sp.hstack([x[:, used], sp.csr_matrix(PRIOR_SCALE * feats)]).tocsr()
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(design, list(y))
    classes = list(model.classes_)
    if len(classes) == 2:  # one logit: split into a softmax pair
        half = model.coef_[0] / 2
        coef = np.stack([-half, half])
        bias = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef, bias = model.coef_, model.intercept_
    k = len(labels)
    weights = np.zeros((x.shape[1], k), np.float32)
    prior = np.zeros((feats.shape[1], k))
    b = np.full(k, -1e4, np.float32)  # a label absent from the codes is never predicted
    for row, cls in enumerate(classes):
        j = list(labels).index(cls)
        weights[used, j] = coef[row, :len(used)]
        prior[:, j] = coef[row, len(used):]
        b[j] = bias[row]
    return weights, b, prior


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-F1 over the labels in the gold codes (a label predicted but never coded counts
    only as an error)."""
    from sklearn.metrics import f1_score

    return float(f1_score(list(gold), list(predicted), labels=sorted(set(gold)),
                          average="macro", zero_division=0))


@dataclass
class Adaptation:
    figures: dict[str, Any]
    model: AdaptedModel | None

    def save(self, project: Any) -> Path:
        from . import registry

        assert self.model is not None
        path = registry.coding_model_path(self.figures["task"], project)
        assert path is not None
        self.model.save(path)
        path.with_suffix(".json").write_text(json.dumps(self.figures, indent=2, default=str),
                                             encoding="utf-8")
        return path


def adapt(task_name: str, texts: Sequence[str], gold: Sequence[str], *, folds: int = 5,
          seed: int = 0, c: float = C_DEFAULT, project: Any = None,
          base: Classifier | None = None, fit_final: bool = True) -> Adaptation:
    """Cross-validate and fit an adapted model for a task from (text, code) pairs. Figures:
    the shipped model's macro-F1 on the codes, the adapted model's cross-validated macro-F1,
    and a model from the codes alone (no shipped knowledge), cross-validated likewise."""
    from sklearn.model_selection import StratifiedKFold

    from . import registry
    from .linear import FeatureConfig, Featurizer, LinearTextModel

    spec = registry.task(task_name)
    base = base or load_shipped(spec.name, project)
    base_labels = list(getattr(base, "LABELS", None) or spec.labels or sorted(set(gold)))
    labels = [lab for lab in (spec.labels or sorted(set(gold))) if lab in set(gold)]
    counts = Counter(gold)
    if len(labels) < 2:
        raise PantauError(f"{spec.name}: the codes hold one label only ({labels})",
                          "a model needs at least two labels to tell apart")
    texts, gold = list(texts), list(gold)
    config = FeatureConfig()
    x = Featurizer(config).matrix(texts)
    feats, base_predictions = base_features(base, base_labels, texts)
    shipped = [p.label for p in base_predictions]
    n_folds = min(folds, min(counts.values()))
    adapted_cv: list[str] = [""] * len(texts)
    codes_only_cv: list[str] = [""] * len(texts)
    if n_folds >= 2:
        splitter = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
        for train, test in splitter.split(texts, gold):
            y = [gold[i] for i in train]
            w, b, prior = fit(x[train], feats[train], y, labels, c)
            logits = np.asarray(x[test] @ w, np.float64) + b + (PRIOR_SCALE * feats[test]) \
                @ prior
            for i, j in zip(test, logits.argmax(axis=1), strict=True):
                adapted_cv[i] = labels[j]
            w0, b0, _ = fit(x[train], np.zeros((len(train), 0)), y, labels, c)
            logits0 = np.asarray(x[test] @ w0, np.float64) + b0
            for i, j in zip(test, logits0.argmax(axis=1), strict=True):
                codes_only_cv[i] = labels[j]
    figures: dict[str, Any] = {
        "task": spec.name, "scheme": spec.schemes[0], "items": len(texts),
        "labels": dict(counts), "folds": n_folds, "seed": seed, "C": c,
        "base_version": str(base.VERSION), "trained_at": datetime.now(UTC).isoformat(),
        "shipped_macro_f1": round(macro_f1(gold, shipped), 4),
        "adapted_macro_f1": round(macro_f1(gold, adapted_cv), 4) if n_folds >= 2 else None,
        "codes_only_macro_f1": round(macro_f1(gold, codes_only_cv), 4)
        if n_folds >= 2 else None,
        "evaluation": "macro-F1 on the coded items: the shipped model as it is; the adapted "
                      "and codes-only models cross-validated (each item predicted by a model "
                      "fitted without it)",
        "method": "shipped model's log-probabilities as features beside hashed n-grams "
                  "(prior-model adaptation, Chelba & Acero 2006; stacking, Wolpert 1992)",
    }
    if not fit_final:
        return Adaptation(figures, None)
    w, b, prior = fit(x, feats, gold, labels, c)
    digest = hashlib.sha256(json.dumps([texts, gold]).encode()).hexdigest()[:8]
    version = f"adapted-{base.VERSION}-{digest}"
    ngram = LinearTextModel(spec.model_name, version, labels, w, b, config)
    model = AdaptedModel(spec.model_name, version, labels, base, base_labels, ngram, prior,
                         {"task": spec.name, "base_version": str(base.VERSION),
                          "figures": figures})
    return Adaptation(figures, model)
