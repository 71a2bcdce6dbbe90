"""Krippendorff's alpha (nominal) with its bootstrap interval."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from pantau.analysis.reliability import krippendorff_alpha_nominal
from pantau.web.reliability import _alpha_from, _unit_coincidences, krippendorff_alpha

N = None
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: .743
TEXTBOOK = [[1, 1, N, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
            [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [N, 5, 5, 5], [N, N, 1, 1], [N, N, 3, N]]


def test_textbook_value_and_interval():
    result = krippendorff_alpha(TEXTBOOK, bootstrap=2000, seed=1)
    assert result.alpha == pytest.approx(0.743, abs=0.001)
    assert result.units == 11  # the unit coded once is not pairable
    assert result.ci_low < result.alpha <= result.ci_high <= 1
    assert result.verdict == "tentative"


def test_vectorised_coincidences_match_the_reference_implementation():
    rng = random.Random(3)
    for _ in range(25):
        units = [[rng.choice("abcd") if rng.random() > 0.2 else None for _ in range(3)]
                 for _ in range(rng.randint(5, 40))]
        reference = krippendorff_alpha_nominal(dict(enumerate(units)))
        pairable = [[v for v in u if v is not None] for u in units]
        pairable = [u for u in pairable if len(u) >= 2]
        categories = sorted({v for u in pairable for v in u})
        index = {c: i for i, c in enumerate(categories)}
        k = len(categories)
        if not pairable or k < 2:
            continue
        mine = float(_alpha_from(_unit_coincidences([[index[v] for v in u] for u in pairable],
                                                    k).sum(axis=0), k))
        if reference is None:
            assert math.isnan(mine)
        else:
            assert mine == pytest.approx(reference, abs=1e-9)


def test_perfect_agreement_and_undefined_cases():
    perfect = krippendorff_alpha({"u1": {"a": "x", "b": "x"}, "u2": {"a": "y", "b": "y"}})
    assert perfect.alpha == 1.0 and perfect.verdict == "reliable" and perfect.agreement == 1.0
    one_value = krippendorff_alpha({"u1": {"a": "x", "b": "x"}, "u2": {"a": "x", "b": "x"}})
    assert math.isnan(one_value.alpha) and one_value.verdict == "undefined"
    single_coded = krippendorff_alpha({"u1": {"a": "x"}, "u2": {"b": "y"}})
    assert single_coded.units == 0 and single_coded.as_dict()["alpha"] is None


def test_disagreement_is_unreliable_and_bootstrap_is_seeded():
    rng = np.random.default_rng(0)
    data = {i: {"a": int(rng.integers(3)), "b": int(rng.integers(3))} for i in range(200)}
    first = krippendorff_alpha(data, seed=5)
    assert first.verdict == "unreliable"
    assert first == krippendorff_alpha(data, seed=5)
