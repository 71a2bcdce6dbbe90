"""The contract every text classifier follows, so `pantau text`, enrich and evaluation treat
them alike.

A classifier has a NAME and a VERSION (label source `model:NAME@VERSION`; bump VERSION whenever
its output can change, so enrich relabels) and predicts a batch of texts at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(slots=True)
class Prediction:
    label: str
    scores: dict[str, float] = field(default_factory=dict)  # probability (or score) per label
    evidence: list[str] | None = None  # words/rules that fired, for a human to check
    targets: list[str] | None = None  # e.g. SARA targets found: religion, ethnicity, race, group

    def as_dict(self) -> dict:
        out: dict = {"label": self.label, "scores": self.scores}
        if self.evidence is not None:
            out["evidence"] = self.evidence
        if self.targets is not None:
            out["targets"] = self.targets
        return out


class Classifier(Protocol):
    NAME: str  # e.g. "sentiment"
    VERSION: str  # e.g. "1"
    LABELS: tuple[str, ...]

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One Prediction per text, in order. Empty or None texts get an answer too."""
        ...


def source_of(model: Classifier) -> str:
    return f"model:{model.NAME}@{model.VERSION}"
