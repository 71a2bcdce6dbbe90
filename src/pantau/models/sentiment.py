"""Sentiment of Indonesian social-media text: positive, negative or neutral, with probabilities.

A hashed character + word n-gram softmax model with negation scope (models/linear.py), trained
by scripts/train_sentiment.py from IndoNLU SmSA, NusaX-senti and IndoNLU EmoT train splits; the
model card is models/cards/sentiment.md. The model file ships inside the package
(models/data/sentiment.joblib, float16 weights) and loads without network.

    from pantau.models import sentiment
    model = sentiment.load()            # or load(project): the project's own model if trained
    model.predict(["mantap pak, lanjutkan!", "gk becus kerjanya"])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .linear import LinearTextModel, file_digest

NAME = "sentiment"
LABELS = ("positive", "negative", "neutral")
MODEL_FILE = Path(__file__).resolve().parent / "data" / "sentiment.joblib"

_CACHE: dict[tuple[str, int], LinearTextModel] = {}


def load_shipped(path: Path = MODEL_FILE) -> LinearTextModel:
    """The model shipped with pantau (cached per file and modification time)."""
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _CACHE:
        model = LinearTextModel.load(path)
        model.NAME = NAME
        # the file's hash is part of the version: a retrained file relabels on `pantau enrich`
        model.VERSION = f"{model.VERSION}.{file_digest(path)}"
        _CACHE[key] = model
    return _CACHE[key]


def load(project: Any = None) -> LinearTextModel:
    """The project's own sentiment model (PROJECT/models/sentiment.joblib) if there is one,
    else the shipped model."""
    if project is not None:
        from . import registry

        if registry.project_model_path(NAME, project) is not None:
            return registry.load(NAME, project)  # type: ignore[return-value]
    return load_shipped()
