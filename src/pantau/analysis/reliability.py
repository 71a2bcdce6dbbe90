"""Reliability of human coding (Krippendorff's alpha, nominal) and how well each model agrees
with the coders, from labels whose source is `coder:NAME`.

`krippendorff_alpha_nominal` is plain Python so the web app's coding page can reuse it.
Hayes & Krippendorff (2007): alpha >= .800 reliable, .667-.800 tentative, below that drop.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

from .base import MULTI_VALUED, Context
from .stats import store_rows


def krippendorff_alpha_nominal(
    data: Mapping[Hashable, Sequence[Hashable | None]] | Iterable[tuple[Hashable, Hashable,
                                                                         Hashable | None]],
) -> float | None:
    """Krippendorff's alpha for nominal data.

    `data` is either {unit: [value per coder, None where missing]} or an iterable of
    (unit, coder, value) triples. Units with fewer than two values are not pairable and are
    ignored. Returns None when alpha is undefined (no pairable unit, or a single value used
    throughout, so there is no expected disagreement).
    """
    if isinstance(data, Mapping):
        units = {u: [v for v in values if v is not None] for u, values in data.items()}
    else:
        grouped: dict[Hashable, list[Hashable]] = defaultdict(list)
        for unit, _coder, value in data:
            if value is not None:
                grouped[unit].append(value)
        units = dict(grouped)
    # Coincidence matrix: each unit with m values adds 1/(m-1) per ordered pair of values
    # from different coders.
    coincidences: Counter[tuple[Hashable, Hashable]] = Counter()
    for values in units.values():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidences[(c, k)] += pairs / (m - 1)
    n_c: Counter[Hashable] = Counter()
    for (c, _k), o in coincidences.items():
        n_c[c] += o
    n = sum(n_c.values())
    if n <= 1:
        return None
    observed = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def verdict(alpha: float | None) -> str:
    if alpha is None:
        return "undefined"
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable"


RELIABILITY_COLUMNS = {
    "scheme": "VARCHAR", "target": "VARCHAR", "coders": "VARCHAR", "n_coders": "INTEGER",
    "units": "BIGINT", "values": "BIGINT", "alpha": "DOUBLE", "verdict": "VARCHAR",
}
AGREEMENT_COLUMNS = {
    "scheme": "VARCHAR", "target": "VARCHAR", "source": "VARCHAR", "units": "BIGINT",
    "agree": "BIGINT", "accuracy": "DOUBLE",
}


def run(ctx: Context) -> None:
    """analysis_label_sources, analysis_reliability, analysis_model_agreement."""
    ctx.create("analysis_label_sources", """
        SELECT scheme, target, source, count(*) AS labels,
               approx_count_distinct(target_id) AS targets,
               min(created_at) AS first_at, max(created_at) AS last_at
        FROM labels GROUP BY ALL ORDER BY scheme, target, source
    """)
    # Human codes are few (hundreds to thousands): they pass through Python.
    rows = ctx.execute("""
        SELECT scheme, target, platform, target_id, source,
               string_agg(DISTINCT value, '|' ORDER BY value) AS value
        FROM labels WHERE source LIKE 'coder:%' AND value IS NOT NULL
        GROUP BY ALL
    """).fetchall()
    by_scheme: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for scheme, target, platform, target_id, source, value in rows:
        by_scheme[(scheme, target)].append(((platform, target_id), source, value))
    reliability = []
    for (scheme, target), triples in sorted(by_scheme.items()):
        coders = sorted({c for _, c, _ in triples})
        per_unit: dict = defaultdict(list)
        for unit, _coder, value in triples:
            per_unit[unit].append(value)
        pairable = {u: v for u, v in per_unit.items() if len(v) >= 2}
        alpha = krippendorff_alpha_nominal(pairable) if len(coders) >= 2 else None
        reliability.append({
            "scheme": scheme, "target": target, "coders": ", ".join(coders),
            "n_coders": len(coders), "units": len(pairable),
            "values": sum(len(v) for v in pairable.values()), "alpha": alpha,
            "verdict": verdict(alpha) if len(coders) >= 2 else "one coder",
        })
    store_rows(ctx, "analysis_reliability", reliability, RELIABILITY_COLUMNS)
    # Model vs the coders' majority value (ties: the alphabetically first), per unit.
    agreement = []
    if by_scheme:
        ctx.create("_coder_majority", """
            WITH v AS (
                SELECT scheme, target, platform, target_id, value, count(*) AS n
                FROM labels WHERE source LIKE 'coder:%' AND value IS NOT NULL GROUP BY ALL)
            SELECT scheme, target, platform, target_id,
                   first(value ORDER BY n DESC, value) AS value
            FROM v GROUP BY ALL
        """, temp=True)
        for scheme, target, source, units, agree in ctx.execute("""
            WITH m AS (
                SELECT scheme, target, platform, target_id, source,
                       arg_max(value, created_at) AS value
                FROM labels l SEMI JOIN _coder_majority c
                     USING (scheme, target, platform, target_id)
                WHERE source LIKE 'model:%' GROUP BY ALL)
            SELECT m.scheme, m.target, m.source, count(*) AS units,
                   count(*) FILTER (WHERE m.value = c.value) AS agree
            FROM m JOIN _coder_majority c USING (scheme, target, platform, target_id)
            GROUP BY ALL ORDER BY ALL
        """).fetchall():
            if scheme in MULTI_VALUED:
                continue  # one row per value: per-unit accuracy is not defined this way
            agreement.append({"scheme": scheme, "target": target, "source": source,
                              "units": units, "agree": agree,
                              "accuracy": agree / units if units else None})
    store_rows(ctx, "analysis_model_agreement", agreement, AGREEMENT_COLUMNS)
