"""The synthetic demo corpus: Pilkada Kota Bekasi 2024, invented posts and comments.

    from pantau.demo import build_demo
    result = build_demo(Path("pantau-demo"), seed=7, size="small")

The corpus is written as real export files (Zeeschuimer NDJSON, CrowdTangle CSV) and imported
through the same path as a user's data. It is seeded and deterministic: the same seed and size
give byte-identical files. Everything it contains is labelled synthetic (pantau.toml header,
README.txt, the election name).
"""

from __future__ import annotations

from .build import DemoResult, build_demo, is_demo_folder
from .corpus import Corpus, generate
from .scenario import ELECTION_NAME, SIZES, SYNTHETIC_MARKER

__all__ = ["Corpus", "DemoResult", "ELECTION_NAME", "SIZES", "SYNTHETIC_MARKER", "build_demo",
           "generate", "is_demo_folder"]
