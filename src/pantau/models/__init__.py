"""Text classifiers (see base.Classifier) and their model cards (models/cards/*.md)."""

from __future__ import annotations


def model_card_summary(name: str, version: str | None = None) -> str | None:
    """The one-line `Summary:` of a model's card (its measured scores), for the report; `name`
    as in a label source model:NAME@VERSION (the registry knows which card is whose)."""
    from .registry import card_path

    card = card_path(name)
    if card is None:
        return None
    for line in card.read_text(encoding="utf-8").splitlines():
        if line.startswith("Summary:"):
            return line.removeprefix("Summary:").strip()
    return None
