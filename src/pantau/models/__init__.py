"""Text classifiers (see base.Classifier) and their model cards (models/cards/*.md)."""

from __future__ import annotations

from importlib import resources

# Card file per label-source name (model:NAME@VERSION) where the two differ.
_CARD_NAMES = {"sara": "toxicity", "comment_category": "category", "lang": "text_basics",
               "duplicate_group": "category", "post_function": "codebook", "topic": "codebook"}


def model_card_summary(name: str, version: str | None = None) -> str | None:
    """The one-line `Summary:` of a model's card (its measured scores), for the report."""
    card = resources.files(__name__).joinpath("cards", f"{_CARD_NAMES.get(name, name)}.md")
    if not card.is_file():
        return None
    for line in card.read_text(encoding="utf-8").splitlines():
        if line.startswith("Summary:"):
            return line.removeprefix("Summary:").strip()
    return None
