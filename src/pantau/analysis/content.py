"""Content strategy: the share of post functions (P1-P9) and issue topics per candidate, the
engagement each function earns (median with a bootstrap 95% CI), and the candidates' hashtags.

Rows with candidate_id NULL pool all candidates."""

from __future__ import annotations

from .base import Context
from .stats import bootstrap_median_ci, store_rows

FUNCTIONS = tuple(f"P{i}" for i in range(1, 10))
TOP_HASHTAGS = 20

FUNCTION_COLUMNS = {
    "candidate_id": "VARCHAR", "function": "VARCHAR", "posts": "BIGINT",
    "labelled_posts": "BIGINT", "share": "DOUBLE",
    "n_interactions": "BIGINT", "median_interactions": "DOUBLE",
    "ci_low_interactions": "DOUBLE", "ci_high_interactions": "DOUBLE",
    "n_er_view": "BIGINT", "median_er_view": "DOUBLE",
    "ci_low_er_view": "DOUBLE", "ci_high_er_view": "DOUBLE",
}


def run(ctx: Context) -> None:
    _functions(ctx)
    _topics(ctx)
    ctx.create("analysis_hashtags", f"""
        WITH h AS (
            SELECT candidate_id, lower(ltrim(unnest(hashtags), '#')) AS hashtag
            FROM analysis_posts WHERE candidate_id IS NOT NULL)
        SELECT 'post' AS source, candidate_id, hashtag, count(*) AS n,
               row_number() OVER (PARTITION BY candidate_id ORDER BY count(*) DESC, hashtag)
                   AS rank
        FROM h WHERE hashtag <> '' GROUP BY candidate_id, hashtag
        QUALIFY rank <= {TOP_HASHTAGS}
        ORDER BY candidate_id, rank
    """)


def _functions(ctx: Context) -> None:
    df = ctx.df("""SELECT candidate_id, post_function, interactions, er_view
                   FROM analysis_posts
                   WHERE candidate_id IS NOT NULL AND post_function IS NOT NULL""")
    rows = []
    if not df.empty:
        scopes = [(None, df)] + [(c, sub) for c, sub in df.groupby("candidate_id", sort=True)]
        for candidate, frame in scopes:
            labelled = len(frame)
            for function, sub in frame.groupby("post_function", sort=True):
                row = {"candidate_id": candidate, "function": function, "posts": len(sub),
                       "labelled_posts": labelled, "share": len(sub) / labelled}
                for metric in ("interactions", "er_view"):
                    values = sub[metric].dropna().to_numpy(dtype=float)
                    median, low, high = bootstrap_median_ci(values)
                    row |= {f"n_{metric}": len(values), f"median_{metric}": median,
                            f"ci_low_{metric}": low, f"ci_high_{metric}": high}
                rows.append(row)
    store_rows(ctx, "analysis_content_functions", rows, FUNCTION_COLUMNS)


def _topics(ctx: Context) -> None:
    table = ctx.labels("topic", "post")
    if table is None:
        ctx.create("analysis_content_topics", """
            SELECT NULL::VARCHAR AS candidate_id, NULL::VARCHAR AS topic, 0::BIGINT AS posts,
                   0::BIGINT AS labelled_posts, NULL::DOUBLE AS share WHERE false""")
        return
    # Topic labels are one row per topic found, so a post without any is "no topic" only if
    # enrich has seen it: the base is the candidate's posts carrying any label.
    ctx.create("analysis_content_topics", f"""
        WITH seen AS (SELECT DISTINCT platform, target_id AS post_id FROM labels
                      WHERE target = 'post'),
        base AS (
            SELECT p.candidate_id, p.platform, p.post_id FROM analysis_posts p
            JOIN seen USING (platform, post_id) WHERE p.candidate_id IS NOT NULL),
        labelled AS (
            SELECT candidate_id, count(*) AS labelled_posts FROM base
            GROUP BY GROUPING SETS ((candidate_id), ())),
        t AS (
            SELECT b.candidate_id, l.value AS topic, count(DISTINCT b.post_id || '|' ||
                   b.platform) AS posts
            FROM base b JOIN {table} l ON l.platform = b.platform AND l.target_id = b.post_id
            GROUP BY GROUPING SETS ((b.candidate_id, l.value), (l.value)))
        SELECT t.candidate_id, t.topic, t.posts, labelled.labelled_posts,
               t.posts / labelled.labelled_posts AS share
        FROM t JOIN labelled ON labelled.candidate_id IS NOT DISTINCT FROM t.candidate_id
        ORDER BY t.candidate_id NULLS FIRST, t.posts DESC, t.topic
    """)
