"""Reach and engagement: totals, medians and IQR of the counts, the two named engagement rates
(each only where its inputs exist), growth between metric observations, and top posts."""

from __future__ import annotations

from .base import METRICS, Context

RATES = ("er_follower", "er_view")
ENGAGEMENT_METRICS = (*METRICS, "interactions", *RATES)
TOP_PER_GROUP = 5


def run(ctx: Context) -> None:
    parts = []
    for metric in ENGAGEMENT_METRICS:
        total = "NULL::DOUBLE" if metric in RATES else f"sum({metric})::DOUBLE"
        parts.append(f"""
            SELECT candidate_id, platform, '{metric}' AS metric, count(*) AS posts,
                   count({metric}) AS n, {total} AS total,
                   quantile_cont({metric}, 0.5) AS median,
                   quantile_cont({metric}, 0.25) AS q1,
                   quantile_cont({metric}, 0.75) AS q3,
                   avg({metric}) AS mean
            FROM analysis_posts WHERE candidate_id IS NOT NULL GROUP BY ALL""")
    ctx.create("analysis_engagement",
               " UNION ALL ".join(parts) + " ORDER BY candidate_id, platform, metric")

    counts = ["views", "likes", "comments", "shares"]
    firsts = ", ".join(
        f"arg_min({m}, observed_at) FILTER (WHERE {m} IS NOT NULL) AS {m}_first, "
        f"arg_max({m}, observed_at) FILTER (WHERE {m} IS NOT NULL) AS {m}_last" for m in counts)
    per_day = ", ".join(
        f"({m}_last - {m}_first) / nullif(hours / 24.0, 0) AS {m}_per_day" for m in counts)
    ctx.create("analysis_growth", f"""
        WITH g AS (
            SELECT platform, post_id, count(*) AS observations,
                   min(observed_at) AS first_observed, max(observed_at) AS last_observed,
                   date_diff('second', min(observed_at), max(observed_at)) / 3600.0 AS hours,
                   {firsts}
            FROM post_metrics GROUP BY ALL HAVING count(*) >= 2)
        SELECT p.candidate_id, g.*, {per_day}
        FROM g JOIN analysis_posts p USING (platform, post_id)
        ORDER BY candidate_id, platform, post_id
    """)
    ctx.create("analysis_top_posts", f"""
        SELECT candidate_id, platform,
               row_number() OVER (PARTITION BY candidate_id, platform
                                  ORDER BY interactions DESC NULLS LAST, views DESC NULLS LAST,
                                           post_id) AS rank,
               post_id, account, created_local, media_type, url, caption, post_function,
               views, likes, comments, shares, saves, interactions, er_view, er_follower
        FROM analysis_posts WHERE candidate_id IS NOT NULL
        QUALIFY rank <= {TOP_PER_GROUP}
        ORDER BY candidate_id, platform, rank
    """)
