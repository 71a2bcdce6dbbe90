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

The fitting and the saved format are pantau.models.learn's (so that the registry loads a
coder-trained model without reaching up into the web app); this module gathers the codes and
measures agreement. A variable with several values (topics, flags) gets one present/absent
model per value.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Hashable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..analysis.reliability import krippendorff_alpha
from ..errors import PantauError
from ..models.adapt import C_DEFAULT, Adaptation, adapt
from ..models.learn import (
    MODEL_DIR,
    CodingModel,
    TrainResult,
    cross_predict,
    fit,
    gold_codes,
    load_coding_model,
)
from ..project import Project
from . import coding

MIN_ITEMS = 20
__all__ = ["MODEL_DIR", "CodingModel", "TrainResult", "adapt_from_coding", "gold_codes",
           "load_coding_model",
           "train_from_coding"]


def _texts(db, target: str, units: list[tuple[str, str]]) -> list[str]:
    table, key = ("posts", "post_id") if target == "post" else ("comments", "comment_id")
    found = {(r["platform"], r["id"]): r["text"] or "" for r in db.rows(
        f"""SELECT t.platform, t.{key} AS id, t.text FROM {table} t
            JOIN (SELECT unnest(?) AS platform, unnest(?) AS id) u
              ON u.platform = t.platform AND u.id = t.{key}""",
        [[u[0] for u in units], [u[1] for u in units]], cache=False)}
    return [found.get(u, "") for u in units]


def _agreement(gold: list[str], predicted: list[str], labels: list[str]) -> dict[str, Any]:
    from ..models.evaluate import score

    scores = score(gold, predicted, labels)
    pairs: dict[Hashable, Mapping[Hashable, Hashable]] = {
        i: {"human": g, "model": p} for i, (g, p) in enumerate(zip(gold, predicted, strict=True))}
    alpha = krippendorff_alpha(pairs)
    majority = Counter(gold).most_common(1)[0][0]
    baseline = score(gold, [majority] * len(gold), labels)
    return {"alpha": alpha.as_dict()["alpha"], "alpha_ci": [alpha.as_dict()["ci_low"],
                                                          alpha.as_dict()["ci_high"]],
            "verdict": alpha.verdict, "macro_f1": round(scores.macro_f1, 4),
            "accuracy": round(scores.accuracy, 4), "per_class": scores.per_class,
            "baseline_macro_f1": round(baseline.macro_f1, 4), "baseline_label": majority}


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
        predicted = cross_predict(x, y, labels, folds, seed, c)
        figures.update(labels=dict(Counter(y)), **_agreement(y, predicted, labels))
        weights, bias = fit(x, y, labels, c)
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
        predicted = cross_predict(x, y, ["no", "yes"], folds, seed, c)
        per_value[value.code] = {"present": y.count("yes"),
                                 **_agreement(y, predicted, ["no", "yes"])}
        weights, bias = fit(x, y, ["no", "yes"], c)
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


def adapt_from_coding(project: Any, task_name: str, *, folds: int = 5, seed: int = 0,
                      c: float = C_DEFAULT, min_items: int = 20, db: Any = None) -> Adaptation:
    """The settled codes of the task's main scheme in the store (every coding sample: random,
    validation and uncertain), then models.adapt.adapt."""
    from ..models import registry
    from ..models.codebook import load

    spec = registry.task(task_name)
    scheme = spec.schemes[0]
    book = load(project)
    if scheme not in book.variables:
        raise PantauError(f"the codebook has no variable {scheme!r} to learn {spec.name} from",
                          "add it (see the shipped codebook.toml)")
    target = book.variables[scheme].target
    from .. import store as store_pkg
    from ..validate import Rows
    from .coding import coder_codes

    con = store_pkg.connect(project.store_path) if db is None else None
    try:
        db = Rows(con) if con is not None else db  # the web app passes its own store
        units = coder_codes(db, target, [scheme], include_adjudicated=True).get(scheme, {})
        gold = {u: g[0] for u, by in sorted(units.items())
                if (g := gold_codes(by)) is not None and g}
        table, key = ("posts", "post_id") if target == "post" else ("comments", "comment_id")
        found = {(r["platform"], r["id"]): r["text"] or "" for r in db.rows(
            f"""SELECT t.platform, t.{key} AS id, t.text FROM {table} t
                JOIN (SELECT unnest(?) AS platform, unnest(?) AS id) u
                  ON u.platform = t.platform AND u.id = t.{key}""",
            [[u[0] for u in gold], [u[1] for u in gold]], cache=False)}
    finally:
        if con is not None:
            con.close()
    if len(gold) < min_items:
        raise PantauError(f"{spec.name}: only {len(gold)} coded item(s) with a settled code; at "
                          f"least {min_items} are needed", "code more items (pantau serve → "
                          "Coding, or pantau coding sample --strategy uncertain)")
    keys = list(gold)
    return adapt(spec.name, [found.get(k, "") for k in keys], [gold[k] for k in keys],
                 folds=folds, seed=seed, c=c, project=project)
