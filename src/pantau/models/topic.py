"""Issue topics of posts and comments: the weighted-evidence coder of models/function.py over
the codebook's `topic` variable (election-mechanics words such as TPS, coblos and nomor urut are
never topic evidence: `not_evidence` in codebook.toml)."""

from __future__ import annotations

from typing import Any

from .function import EvidenceCoder, load_topic


def load(project: Any = None) -> EvidenceCoder:
    return load_topic(project)
