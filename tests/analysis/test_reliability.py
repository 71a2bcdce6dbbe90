from __future__ import annotations

import pytest

from pantau.analysis.reliability import krippendorff_alpha_nominal, verdict


def test_krippendorff_canonical_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units,
    # missing values; nominal alpha = 0.743.
    A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = {u: [A[u], B[u], C[u], D[u]] for u in range(12)}
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_small_by_hand_and_triples():
    # Units (neu, neu), (neg, neg), (pos, neg), (neg, neg): o(c != k) = 2, n = 8,
    # n_neu = 2, n_neg = 5, n_pos = 1; alpha = 1 - 7 * 2 / (2 * (10 + 2 + 5)) = 1 - 14/34
    triples = [("u1", "a", "neu"), ("u1", "b", "neu"), ("u2", "a", "neg"), ("u2", "b", "neg"),
               ("u3", "a", "pos"), ("u3", "b", "neg"), ("u4", "a", "neg"), ("u4", "b", "neg"),
               ("u5", "a", "pos")]  # u5 has one value: not pairable
    assert krippendorff_alpha_nominal(triples) == pytest.approx(1 - 14 / 34)


def test_krippendorff_edge_cases():
    assert krippendorff_alpha_nominal({1: ["x", "x"], 2: ["y", "y"]}) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal({1: ["x", "x"], 2: ["x", "x"]}) is None  # no variation
    assert krippendorff_alpha_nominal({1: ["x"], 2: [None, "y"]}) is None  # nothing pairable
    assert verdict(0.85) == "reliable" and verdict(0.7) == "tentative"
    assert verdict(0.2) == "unreliable" and verdict(None) == "undefined"
