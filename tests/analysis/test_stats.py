"""The statistics against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pantau.analysis.stats import (
    account_medians,
    bootstrap_median_ci,
    compute,
    epsilon_squared,
    holm,
    kruskal,
    kruskal_sentences,
    pair_sentences,
    pairwise,
)

# Three groups without ties: ranks 1-3, 4-6, 7-9; rank sums 6, 15, 24; n = 9.
GROUPS = {"a": np.array([1.0, 2, 3]), "b": np.array([4.0, 5, 6]), "c": np.array([7.0, 8, 9])}


def test_kruskal_matches_hand_computation():
    # H = 12 / (n (n + 1)) * sum(R_i^2 / n_i) - 3 (n + 1) = 12/90 * (12 + 75 + 192) - 30 = 7.2
    result = kruskal(GROUPS)
    assert pytest.approx(7.2) == result.H
    assert result.df == 2
    # chi-square with 2 df: P(X > h) = exp(-h / 2)
    assert result.p == pytest.approx(math.exp(-3.6))
    # epsilon squared = H / ((n^2 - 1) / (n + 1)) = 7.2 / 8
    assert result.epsilon_sq == pytest.approx(0.9)
    assert result.effect == "large"


def test_kruskal_with_ties_matches_the_textbook_formula():
    groups = {"x": np.array([1.0, 2, 2, 3]), "y": np.array([2.0, 3, 4, 4]),
              "z": np.array([5.0, 5, 6, 1])}
    values = np.concatenate(list(groups.values()))
    n = len(values)
    # mid-ranks by hand: sort, average the positions of equal values
    order = np.sort(values)
    rank_of = {v: np.mean(np.nonzero(order == v)[0] + 1) for v in set(values)}
    sums = [sum(rank_of[v] for v in g) for g in groups.values()]
    H = 12 / (n * (n + 1)) * sum(s * s / 4 for s in sums) - 3 * (n + 1)
    ties = sum(c ** 3 - c for c in np.unique(values, return_counts=True)[1])
    H /= 1 - ties / (n ** 3 - n)
    assert pytest.approx(H) == kruskal(groups).H


def test_epsilon_squared_definition():
    assert epsilon_squared(3.0, 31) == pytest.approx(3.0 / 30)


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04 -> 3*0.01 = 0.03; 2*0.03 = 0.06; max(0.06, 1*0.04) = 0.06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert holm([]) == []


def test_pairwise_mann_whitney_and_holm_by_hand():
    pairs = {(p.a, p.b): p for p in pairwise(GROUPS)}
    ab = pairs[("a", "b")]
    # every value of a is below every value of b: U_a = 0; exact two-sided p = 2 / C(6, 3)
    assert ab.U == 0
    assert ab.p == pytest.approx(2 / 20)
    # all three raw p are 0.1: Holm gives 3 * 0.1 for the smallest and keeps the maximum
    assert [p.p_holm for p in pairs.values()] == pytest.approx([0.3, 0.3, 0.3])
    assert ab.r == pytest.approx(-1.0)
    assert (ab.median_a, ab.median_b) == (2.0, 5.0)


def test_mann_whitney_u_counts_pairs():
    # U_a = number of pairs (x in a, y in b) with x > y, ties counting one half
    a, b = np.array([3.0, 5, 7]), np.array([1.0, 5, 6, 8])
    hand = sum((x > y) + 0.5 * (x == y) for x in a for y in b)
    (pair,) = pairwise({"a": a, "b": b})
    assert pytest.approx(hand) == pair.U  # 1 + 1.5 + 3 = 5.5


def test_bootstrap_median_ci():
    median, low, high = bootstrap_median_ci([1, 2, 3, 4, 100])
    assert median == 3
    assert low <= median <= high
    assert (low, high) != (median, median)
    assert bootstrap_median_ci([7, 7, 7]) == (7, 7, 7)
    assert bootstrap_median_ci([5]) == (5, 5, 5)
    assert all(math.isnan(v) for v in bootstrap_median_ci([]))
    # seeded: the same input gives the same interval
    assert bootstrap_median_ci(range(50)) == bootstrap_median_ci(range(50))


def test_sentences_say_the_result_in_words():
    result = kruskal(GROUPS)
    text_id, text_en = kruskal_sentences(result, "er_view", ("platform", "platforms"),
                                         ("(semua)", "(all)"))
    assert "differs between platforms" in text_en and "H = 7.20" in text_en
    assert "berbeda" in text_id and "H = 7,20" in text_id and "terkait dengan" in text_id
    assert "dijelaskan" not in text_id and "." not in text_id.split("H = ")[1].split(";")[0]
    (pair, *_) = pairwise(GROUPS)
    pair.p_holm = 0.01
    _, en = pair_sentences(pair, "er_view", "TikTok", "Instagram")
    assert en.startswith("Instagram scores higher than TikTok")
    _, en = pair_sentences(pair, "er_view", "TikTok", "Instagram", omnibus_significant=False)
    assert "exploratory" in en


@pytest.mark.parametrize("n", [9, 10, 51])
def test_bootstrap_matches_resampling(n):
    # the order-statistic shortcut has the distribution of plain resampling
    rng = np.random.default_rng(7)
    x = rng.lognormal(size=n)
    naive = np.median(x[rng.integers(0, n, size=(20_000, n))], axis=1)
    _, low, high = bootstrap_median_ci(x, resamples=20_000)
    lo_ref, hi_ref = np.percentile(naive, [2.5, 97.5])
    spread = np.ptp(x)
    assert abs(low - lo_ref) < 0.05 * spread and abs(high - hi_ref) < 0.05 * spread


def _accounts(rng, medians: dict[tuple[str, str], float], n: int) -> pd.DataFrame:
    rows = []
    for (platform, candidate), centre in medians.items():
        for k in range(n):
            rows.append({"platform": platform, "candidate_id": candidate,
                         "account_id": f"{platform}-{candidate}-{k}",
                         "interactions": centre * rng.lognormal(0, 0.3),
                         "er_view": centre / 1000 * rng.lognormal(0, 0.3),
                         "er_follower": centre / 500 * rng.lognormal(0, 0.3)})
    return pd.DataFrame(rows)


def test_report_wide_holm_minimum_group_and_no_pooled_per_view_metrics():
    rng = np.random.default_rng(3)
    frame = _accounts(rng, {("tiktok", "a"): 100, ("tiktok", "b"): 300,
                            ("instagram", "a"): 120, ("instagram", "b"): 110}, 10)
    tests, pairs = compute(frame, {"a": "A", "b": "B"})
    ids = {t["test_id"] for t in tests}
    assert "candidate:tiktok:er_view" in ids and "candidate:instagram:er_view" in ids
    assert not any(t["comparison"] == "platform" and t["metric"] == "er_view" for t in tests)
    assert not any(t["scope"] == "all" and t["comparison"] == "candidate" for t in tests)
    # Holm across every test: omnibus and pairwise p-values form one family
    raw = [t["p_value"] for t in tests] + [p["p_value"] for p in pairs]
    adjusted = holm(raw)
    assert [t["p_adjusted"] for t in tests] == pytest.approx(adjusted[:len(tests)])
    assert [p["p_holm"] for p in pairs] == pytest.approx(adjusted[len(tests):])
    assert all(t["significant"] == (t["p_adjusted"] < 0.05) for t in tests)
    # account medians are the units: n counts accounts
    t = next(t for t in tests if t["test_id"] == "candidate:tiktok:interactions")
    assert t["n"] == 20
    # four accounts per candidate and platform (eight per platform): under the minimum
    small = frame.groupby(["platform", "candidate_id"]).head(4)
    assert compute(small, {}) == ([], [])
    assert compute(small, {}, min_group=4)[0]


def test_account_medians_make_one_row_per_account():
    posts = pd.DataFrame({"platform": ["x"] * 4, "candidate_id": ["a"] * 4,
                          "account_id": ["1", "1", "1", "2"],
                          "interactions": [1.0, 5.0, 100.0, 7.0], "er_view": [None] * 4,
                          "er_follower": [0.1, 0.2, 0.3, 0.4]})
    medians = account_medians(posts).set_index("account_id")
    assert medians.loc["1", "interactions"] == 5.0 and medians.loc["2", "interactions"] == 7.0
