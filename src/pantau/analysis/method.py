"""Data and method: what the figures rest on (coverage per platform and candidate, in local
time). Import counts are in the `imports` table; label provenance in analysis_label_sources."""

from __future__ import annotations

from .base import Context


def run(ctx: Context) -> None:
    ctx.create("analysis_coverage", f"""
        WITH p AS (
            SELECT platform, candidate_id, count(*) AS posts,
                   count(*) FILTER (WHERE observations > 0) AS posts_with_metrics,
                   sum(comments_collected) AS comments,
                   min(created_local) AS first_post_local, max(created_local) AS last_post_local
            FROM analysis_posts GROUP BY ALL),
        c AS (
            SELECT platform, min({ctx.local("created_at")}) AS first_comment_local,
                   max({ctx.local("created_at")}) AS last_comment_local
            FROM comments GROUP BY ALL)
        SELECT p.*, c.first_comment_local, c.last_comment_local
        FROM p LEFT JOIN c USING (platform)
        ORDER BY platform, candidate_id NULLS LAST
    """)
