"""analysis/validation.py: the estimators on cases small enough to work out by hand."""

from __future__ import annotations

import math

import pytest

from pantau.analysis import validation as V


def item(stratum, predicted, gold, **groups):
    return V.CodedItem(stratum, frozenset([predicted]) if isinstance(predicted, str)
                       else frozenset(predicted), frozenset([gold]) if isinstance(gold, str)
                       else frozenset(gold), groups)


def test_wilson_interval_known_values():
    low, high = V.wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = V.wilson(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert V.wilson(0, 0) == (None, None)


def test_stratum_size_from_interval_width():
    assert V.stratum_size(10**9, 0.2) == 97  # 1.96² · .25 / .1² = 96.04
    assert V.stratum_size(10**9, 0.1) == 385
    assert V.stratum_size(50, 0.2) < 50  # finite population correction
    assert V.stratum_size(5, 0.2) == 5
    assert V.stratum_size(0, 0.2) == 0


def _design():
    # population: 1000 predicted "a", 100 predicted "b"; 10 coded in each stratum
    items = [item("a", "a", "a") for _ in range(8)] + [item("a", "a", "b") for _ in range(2)]
    items += [item("b", "b", "b") for _ in range(5)] + [item("b", "b", "a") for _ in range(5)]
    return items, {"a": 1000, "b": 100}


def test_accuracy_weights_the_strata():
    items, population = _design()
    rows = {r.label: r for r in V.accuracy(items, population, ["a", "b"], bootstrap=300)}
    # precision = share right within the stratum the model gave the label
    assert rows["a"].precision.estimate == pytest.approx(0.8)
    assert rows["b"].precision.estimate == pytest.approx(0.5)
    # recall of b: true b's found = 100·0.5 = 50 of 1000·0.2 + 50 = 250 → 0.2 (unweighted
    # counting of the coded items would say 5/7)
    assert rows["b"].recall.estimate == pytest.approx(0.2)
    assert rows["a"].recall.estimate == pytest.approx(800 / 850)
    p, r = 0.5, 0.2
    assert rows["b"].f1.estimate == pytest.approx(2 * p * r / (p + r))
    # one stratum, equal weights: precision interval is Wilson's
    assert (rows["a"].precision.low, rows["a"].precision.high) == pytest.approx(V.wilson(8, 10))
    assert rows["b"].recall.low < 0.2 < rows["b"].recall.high


def test_corrected_counts_spread_each_predicted_cell():
    items, population = _design()
    groups = {"all": {"a": 1000, "b": 100}, "candidate:x": {"a": 100, "b": 100}}
    rows = {(r.group, r.label): r for r in V.corrected_counts(
        items, population, groups, ["a", "b"], bootstrap=300)}
    assert rows[("all", "a")].count == pytest.approx(1000 * 0.8 + 100 * 0.5)
    assert rows[("all", "b")].count == pytest.approx(1000 * 0.2 + 100 * 0.5)
    assert rows[("all", "b")].raw_count == 100
    assert rows[("candidate:x", "a")].count == pytest.approx(100 * 0.8 + 100 * 0.5)
    share = rows[("all", "b")].share()
    assert share.low < share.estimate < share.high
    assert all(r.status == "validated" for r in rows.values())


def test_unvalidated_and_partly_validated_cells_are_said():
    items = [item("a", "a", "a") for _ in range(5)]
    groups = {"all": {"a": 10, "b": 5}}
    rows = {r.label: r for r in V.corrected_counts(items, {"a": 10, "b": 5}, groups,
                                                   ["a", "b"], bootstrap=100)}
    assert rows["a"].status == "partly"  # nothing coded among the predicted b's
    assert rows["b"].count == 5  # its raw count stands where nothing was coded
    none = V.corrected_counts([], {}, groups, ["a", "b"])
    assert {r.status for r in none} == {"not_validated"} and none[0].count is None


def test_a_cell_where_all_coded_items_agree_still_has_an_interval():
    items = [item("a", "a", "a") for _ in range(20)] + [item("b", "b", "b") for _ in range(20)]
    rows = {r.label: r for r in V.corrected_counts(items, {"a": 1000, "b": 1000},
                                                   {"all": {"a": 1000, "b": 1000}},
                                                   ["a", "b"], bootstrap=200)}
    assert rows["a"].count == 1000
    assert rows["a"].count_low < 1000 < rows["a"].count_high


def test_several_value_schemes_are_corrected_value_by_value():
    items = [item("x", ["x"], ["x"]), item("x", ["x"], []), item("none", [], ["x"]),
             item("none", [], []), item("none", [], [])]
    population = {"x": 10, "none": 30}
    groups = {"all": {"x|present": 10, "x|absent": 30}}
    (row,) = V.corrected_counts(items, population, groups, ["x"], multiple=True,
                                bootstrap=100)
    assert row.count == pytest.approx(10 * 0.5 + 30 / 3)
    assert row.items == 40 and row.raw_count == 10


def test_differences_need_separate_intervals():
    assert V.differs(V.Interval(0.5, 0.4, 0.6), V.Interval(0.2, 0.1, 0.3))
    assert not V.differs(V.Interval(0.5, 0.3, 0.6), V.Interval(0.2, 0.1, 0.35))
    assert not V.differs(V.Interval(0.5, None, None), V.Interval(0.2, 0.1, 0.3))


def test_macro_f1_skips_labels_without_estimate():
    items, population = _design()
    rows = V.accuracy(items, population, ["a", "b", "c"], bootstrap=50)
    assert math.isclose(V.macro_f1(rows), (rows[0].f1.estimate + rows[1].f1.estimate) / 2)
