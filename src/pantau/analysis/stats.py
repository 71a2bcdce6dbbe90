"""Statistics on arrays (SciPy): does engagement differ between platforms and between candidates?

Kruskal-Wallis H across groups with epsilon squared as effect size, then pairwise two-sided
Mann-Whitney U; a bootstrap confidence interval for medians. Engagement counts are skewed and
rates are bounded, so rank tests, not means. Each result carries a plain sentence in Indonesian
and English, stored beside the numbers for the report and the web app.

Method choices (stated in the report):
- Units: posts of one account are not independent, so every test compares ACCOUNTS: each
  account contributes the median of its posts' metric (aggregation to the account).
- Minimum n: a group enters a test only with at least MIN_GROUP accounts (default 10); with
  fewer, no test is run and the report describes the medians only.
- Comparable metrics: engagement per view is not compared between platforms (TikTok plays, X
  impressions and Facebook video views are different things), and candidates are compared
  within one platform only, never with platforms pooled.
- Multiple testing: Holm's adjustment across EVERY test the report states (all Kruskal-Wallis
  and all pairwise tests together), not within each family; `p_adjusted` / `p_holm`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .base import platform_name

ALPHA = 0.05
MIN_GROUP = 10  # a group enters a test with at least this many accounts
SEED = 20241127
# Benchmarks for epsilon squared read like eta squared (Cohen 1988): .01 small, .06 medium,
# .14 large.
EFFECT_BANDS = ((0.14, "large"), (0.06, "medium"), (0.01, "small"), (0.0, "negligible"))
EFFECT_ID = {"large": "besar", "medium": "sedang", "small": "kecil", "negligible": "sangat kecil"}

METRIC_NAMES = {
    "interactions": ("jumlah interaksi (suka + komentar + bagikan)",
                     "the number of interactions (likes + comments + shares)"),
    "er_view": ("tingkat keterlibatan per tayangan", "engagement rate per view"),
    "er_follower": ("tingkat keterlibatan per pengikut", "engagement rate per follower"),
}


@dataclass
class KruskalResult:
    H: float
    df: int
    p: float
    n: int
    groups: int
    epsilon_sq: float

    @property
    def effect(self) -> str:
        return effect_label(self.epsilon_sq)


@dataclass
class PairResult:
    a: str
    b: str
    n_a: int
    n_b: int
    median_a: float
    median_b: float
    U: float
    p: float
    p_holm: float = float("nan")
    r: float = float("nan")  # rank-biserial correlation, positive when a tends to exceed b


def effect_label(epsilon_sq: float) -> str:
    for bound, label in EFFECT_BANDS:
        if epsilon_sq >= bound:
            return label
    return "negligible"


def epsilon_squared(H: float, n: int) -> float:
    """Epsilon squared for Kruskal-Wallis (Tomczak & Tomczak 2014): H / ((n^2 - 1) / (n + 1))."""
    return float(H / ((n * n - 1) / (n + 1))) if n > 1 else float("nan")


def kruskal(groups: dict[str, np.ndarray]) -> KruskalResult:
    from scipy import stats as sps  # imported when needed: it takes a second to load

    arrays = [np.asarray(v, dtype=float) for v in groups.values()]
    n = int(sum(len(a) for a in arrays))
    H, p = sps.kruskal(*arrays)
    return KruskalResult(float(H), len(arrays) - 1, float(p), n, len(arrays),
                         epsilon_squared(float(H), n))


def holm(pvalues: list[float]) -> list[float]:
    """Holm's step-down adjustment: sort ascending, multiply the i-th smallest (0-based) by
    (m - i), keep the running maximum, cap at 1; returned in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def pairwise(groups: dict[str, np.ndarray]) -> list[PairResult]:
    from scipy import stats as sps

    results = []
    for a, b in combinations(groups, 2):
        xa, xb = np.asarray(groups[a], float), np.asarray(groups[b], float)
        U, p = sps.mannwhitneyu(xa, xb, alternative="two-sided")
        results.append(PairResult(
            a, b, len(xa), len(xb), float(np.median(xa)), float(np.median(xb)), float(U),
            float(p), r=float(2 * U / (len(xa) * len(xb)) - 1)))
    for result, adjusted in zip(results, holm([r.p for r in results]), strict=True):
        result.p_holm = adjusted
    return results


def bootstrap_median_ci(values, *, resamples: int = 2000, level: float = 0.95,
                        seed: int = SEED) -> tuple[float, float, float]:
    """(median, low, high): percentile bootstrap CI of the median, seeded so reruns agree.

    Resampling n values with replacement and taking the median is the same, in distribution,
    as reading the sorted sample at the order statistics of n uniform draws: the resample's
    j-th smallest value is x_(ceil(n * U_(j))). So instead of drawing n values per resample we
    draw the one or two uniform order statistics the median needs: U_(m) ~ Beta(m, n - m + 1)
    and, for even n, U_(m+1) = U_(m) + (1 - U_(m)) * Beta(1, n - m). Same bootstrap
    distribution, cost independent of n (100,000 posts take milliseconds)."""
    x = np.asarray(values, dtype=float)
    x = np.sort(x[~np.isnan(x)])
    n = len(x)
    if n == 0:
        return (float("nan"),) * 3
    median = float(np.median(x))
    if n == 1:
        return median, median, median
    rng = np.random.default_rng(seed)
    m = (n + 1) // 2 if n % 2 else n // 2
    u = rng.beta(m, n - m + 1, size=resamples)
    lower = x[np.clip(np.ceil(n * u).astype(np.int64) - 1, 0, n - 1)]
    if n % 2:
        boot = lower
    else:
        v = u + (1 - u) * rng.beta(1, n - m, size=resamples)
        upper = x[np.clip(np.ceil(n * v).astype(np.int64) - 1, 0, n - 1)]
        boot = (lower + upper) / 2
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(boot, [tail, 100 - tail])
    return median, float(low), float(high)


# -- plain words --------------------------------------------------------------------------

def _dec(text: str, lang: str) -> str:
    """English number text in the language's convention (id: 1.234,5)."""
    if lang != "id":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_p(p: float, lang: str = "en") -> str:
    if p < 0.001:
        return _dec("p < 0.001", lang)
    return _dec(f"p = {p:.3f}", lang)


def fmt_num(x: float, lang: str = "en") -> str:
    if x != x:  # nan
        return "–"
    if abs(x) >= 100:
        return _dec(f"{x:,.0f}", lang)
    if abs(x) >= 1:
        return _dec(f"{x:.1f}", lang)
    return _dec(f"{x:.3g}", lang)


def kruskal_sentences(result: KruskalResult, metric: str, between: tuple[str, str],
                      scope: tuple[str, str], p_adjusted: float | None = None
                      ) -> tuple[str, str]:
    """between: ('platform', 'platforms') style words in (id, en); scope likewise. The claim
    rests on the p-value adjusted across the whole report (Holm) when given. Effect sizes are
    worded as association, never as explanation."""
    name_id, name_en = METRIC_NAMES.get(metric, (metric, metric))
    p_adj = result.p if p_adjusted is None else p_adjusted

    def numbers(lang: str) -> str:
        adj = "p disesuaikan Holm" if lang == "id" else "Holm-adjusted p"
        unit = "akun" if lang == "id" else "accounts"
        sep = "; " if lang == "id" else ", "
        return sep.join([_dec(f"Kruskal–Wallis H = {result.H:.2f}", lang),
                         f"df = {result.df}", fmt_p(result.p, lang),
                         f"{adj} {fmt_p(p_adj, lang)[2:]}", f"n = {result.n} {unit}"])

    eff = result.effect
    eps_id, eps_en = _dec(f"{result.epsilon_sq:.3f}", "id"), f"{result.epsilon_sq:.3f}"
    share_id, share_en = _dec(f"{result.epsilon_sq * 100:.1f}", "id"), \
        f"{result.epsilon_sq * 100:.1f}"
    if p_adj < ALPHA:
        text_id = (f"{name_id.capitalize()} berbeda antar{between[0]} {scope[0]} "
                   f"({numbers('id')}); besar efeknya {EFFECT_ID[eff]} (ε² = {eps_id}: sekitar "
                   f"{share_id}% variasi peringkat terkait dengan {between[0]}).")
        text_en = (f"{name_en.capitalize()} differs between {between[1]} {scope[1]} "
                   f"({numbers('en')}); the effect is {eff} (ε² = {eps_en}: about {share_en}% "
                   f"of the variation in ranks goes with the {between[1].rstrip('s')}).")
    else:
        text_id = (f"Tidak ada bukti bahwa {name_id} berbeda antar{between[0]} {scope[0]} "
                   f"({numbers('id')}; ε² = {eps_id}).")
        text_en = (f"No evidence that {name_en} differs between {between[1]} {scope[1]} "
                   f"({numbers('en')}; ε² = {eps_en}).")
    return text_id, text_en


def pair_sentences(pair: PairResult, metric: str, label_a: str, label_b: str,
                   omnibus_significant: bool = True) -> tuple[str, str]:
    """A pairwise difference is claimed only when the Kruskal-Wallis test across all groups
    was significant too; otherwise the comparison is reported as exploratory."""
    name_id, name_en = METRIC_NAMES.get(metric, (metric, metric))
    numbers_id = (f"median {fmt_num(pair.median_a, 'id')} vs {fmt_num(pair.median_b, 'id')}; "
                  f"U = {_dec(f'{pair.U:,.0f}', 'id')}; p disesuaikan Holm = "
                  f"{_dec(f'{pair.p_holm:.3g}', 'id')}; r = {_dec(f'{pair.r:.2f}', 'id')}")
    numbers_en = (f"median {fmt_num(pair.median_a)} vs {fmt_num(pair.median_b)}; "
                  f"U = {pair.U:,.0f}, Holm-adjusted p = {pair.p_holm:.3g}, r = {pair.r:.2f}")
    if not omnibus_significant:
        return (f"Uji keseluruhan tidak bermakna, jadi perbandingan {label_a} dengan {label_b} "
                f"dalam {name_id} hanya eksploratif ({numbers_id}).",
                f"The overall test is not significant, so comparing {label_a} with {label_b} "
                f"on {name_en} is exploratory only ({numbers_en}).")
    if pair.p_holm < ALPHA:
        hi, lo = (label_a, label_b) if pair.r > 0 else (label_b, label_a)
        return (f"{hi} lebih tinggi daripada {lo} dalam {name_id} ({numbers_id}).",
                f"{hi} scores higher than {lo} on {name_en} ({numbers_en}).")
    return (f"{label_a} dan {label_b} tidak berbeda nyata dalam {name_id} ({numbers_id}).",
            f"{label_a} and {label_b} do not differ clearly on {name_en} ({numbers_en}).")


# -- the analysis -------------------------------------------------------------------------

TEST_METRICS = ("interactions", "er_view", "er_follower")
# Metrics whose inputs mean different things on different platforms: never compared across them.
PER_PLATFORM_ONLY = ("er_view",)
PLATFORM_ID = "platform"
PLATFORM_EN = ("platforms", "platform")


def _groups(df: pd.DataFrame, by: str, metric: str,
            min_group: int = MIN_GROUP) -> dict[str, np.ndarray]:
    out = {}
    for key, sub in df.groupby(by, sort=True):
        values = sub[metric].dropna().to_numpy(dtype=float)
        if len(values) >= min_group:
            out[str(key)] = values
    return out


def account_medians(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per account (platform, candidate, account_id) with the median of each metric
    over its posts: the unit of every test."""
    import warnings

    keys = ["platform", "candidate_id", "account_id"]
    with warnings.catch_warnings():  # an account without any value of a rate has no median
        warnings.simplefilter("ignore", RuntimeWarning)
        return posts.groupby(keys, dropna=False)[list(TEST_METRICS)].median().reset_index()


def compute(accounts: pd.DataFrame, names: dict[str, str], *,
            min_group: int = MIN_GROUP) -> tuple[list[dict], list[dict]]:
    """The tests over account medians, with Holm's adjustment across all of them."""
    tests, pairs = [], []

    def label(by: str, key: str) -> str:
        return names.get(key, key) if by == "candidate_id" else platform_name(key)

    plans = []  # (comparison, by, scope id, (scope words id, en), frame, metrics)
    cross = tuple(m for m in TEST_METRICS if m not in PER_PLATFORM_ONLY)
    plans.append(("platform", "platform", "all", ("(semua kandidat)", "(all candidates)"),
                  accounts, cross))
    for cand, sub in accounts.groupby("candidate_id", sort=True):
        who = names.get(cand, cand)
        plans.append(("platform", "platform", str(cand), (f"untuk {who}", f"for {who}"), sub,
                      cross))
    for platform, sub in accounts.groupby("platform", sort=True):
        shown = platform_name(platform)
        plans.append(("candidate", "candidate_id", str(platform),
                      (f"di {shown}", f"on {shown}"), sub, TEST_METRICS))
    results = []
    for comparison, by, scope, words, frame, metrics in plans:
        for metric in metrics:
            groups = _groups(frame, by, metric, min_group)
            if len(groups) < 2:
                continue
            values = np.concatenate(list(groups.values()))
            if np.all(values == values[0]):
                continue  # every value tied: ranks carry no information
            results.append((comparison, by, scope, words, metric, groups, kruskal(groups),
                            pairwise(groups)))
    # Holm across every test the report states: the omnibus tests and all pairwise tests.
    every = [r[6].p for r in results] + [p.p for r in results for p in r[7]]
    adjusted = iter(holm(every))
    omnibus_adjusted = [next(adjusted) for _ in results]
    for (comparison, by, scope, words, metric, groups, result, pair_results), p_adj in zip(
            results, omnibus_adjusted, strict=True):
        for pair in pair_results:
            pair.p_holm = next(adjusted)
        between = (("platform", "platforms") if comparison == "platform"
                   else ("kandidat", "candidates"))
        significant = p_adj < ALPHA
        text_id, text_en = kruskal_sentences(result, metric, between, words, p_adj)
        test_id = f"{comparison}:{scope}:{metric}"
        tests.append({
            "test_id": test_id, "comparison": comparison, "scope": scope, "metric": metric,
            "groups": ", ".join(groups), "n_groups": result.groups, "n": result.n,
            "H": result.H, "df": result.df, "p_value": result.p, "p_adjusted": p_adj,
            "epsilon_sq": result.epsilon_sq, "effect": result.effect,
            "significant": significant, "sentence_id": text_id, "sentence_en": text_en,
        })
        for pair in pair_results:
            la, lb = label(by, pair.a), label(by, pair.b)
            p_id, p_en = pair_sentences(pair, metric, la, lb, significant)
            pairs.append({
                "test_id": test_id, "comparison": comparison, "scope": scope,
                "metric": metric, "group_a": pair.a, "group_b": pair.b, "n_a": pair.n_a,
                "n_b": pair.n_b, "median_a": pair.median_a, "median_b": pair.median_b,
                "U": pair.U, "p_value": pair.p, "p_holm": pair.p_holm, "r_rank_biserial":
                pair.r, "significant": bool(pair.p_holm < ALPHA and significant),
                "sentence_id": p_id,
                "sentence_en": p_en,
            })
    return tests, pairs


def run(ctx) -> None:
    """analysis_tests (one Kruskal-Wallis per row) and analysis_pairwise (Mann-Whitney), over
    account medians, Holm-adjusted across all tests."""
    df = ctx.df(f"""SELECT platform, candidate_id, account_id, {", ".join(TEST_METRICS)}
                    FROM analysis_posts WHERE candidate_id IS NOT NULL""")
    names = dict(ctx.execute("SELECT candidate_id, name FROM candidates").fetchall())
    tests, pairs = compute(account_medians(df), names) if not df.empty else ([], [])
    _store(ctx, "analysis_tests", tests, TEST_COLUMNS)
    _store(ctx, "analysis_pairwise", pairs, PAIR_COLUMNS)


TEST_COLUMNS = {
    "test_id": "VARCHAR", "comparison": "VARCHAR", "scope": "VARCHAR", "metric": "VARCHAR",
    "groups": "VARCHAR", "n_groups": "INTEGER", "n": "BIGINT", "H": "DOUBLE", "df": "INTEGER",
    "p_value": "DOUBLE", "p_adjusted": "DOUBLE", "epsilon_sq": "DOUBLE", "effect": "VARCHAR",
    "significant": "BOOLEAN",
    "sentence_id": "VARCHAR", "sentence_en": "VARCHAR",
}
PAIR_COLUMNS = {
    "test_id": "VARCHAR", "comparison": "VARCHAR", "scope": "VARCHAR", "metric": "VARCHAR",
    "group_a": "VARCHAR", "group_b": "VARCHAR", "n_a": "BIGINT", "n_b": "BIGINT",
    "median_a": "DOUBLE", "median_b": "DOUBLE", "U": "DOUBLE", "p_value": "DOUBLE",
    "p_holm": "DOUBLE", "r_rank_biserial": "DOUBLE", "significant": "BOOLEAN",
    "sentence_id": "VARCHAR", "sentence_en": "VARCHAR",
}


def _store(ctx, name: str, rows: list[dict], columns: dict[str, str]) -> None:
    store_rows(ctx, name, rows, columns)


def store_rows(ctx, name: str, rows: list[dict], columns: dict[str, str]) -> None:
    """Write Python rows as an analysis table with fixed column types (even when empty)."""
    frame = pd.DataFrame(rows, columns=list(columns))
    ctx.con.register("_rows", frame)
    casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in columns.items())
    ctx.create(name, f"SELECT {casts} FROM _rows")
    ctx.con.unregister("_rows")
