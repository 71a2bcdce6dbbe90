"""Audience response under the candidates' posts: comment volume, sentiment shares, comment
categories, the most frequent questions and complaints (near-duplicates grouped, with counts),
and the hashtags and terms commenters use. Comments by the candidate's own accounts are left out
of everything but the volume."""

from __future__ import annotations

from .base import Context
from .words import STOPWORDS

TOP_GROUPS = 20
TOP_TERMS = 30
TOP_HASHTAGS = 20
# Near-duplicates: lower case, no links or mentions, letters and digits only, spaces collapsed.
NORMALISED = ("trim(regexp_replace(lower({col}), '(https?://\\S+|@\\w+|[^a-z0-9])+', ' ', "
              "'g'))")
# Term counts read at most this many comments (a fixed hash sample above it): the top terms
# of a larger corpus are stable, and tokenising millions of texts is the slowest step.
TERMS_MAX_COMMENTS = 400_000


def run(ctx: Context) -> None:
    ctx.create("analysis_comment_volume", """
        WITH per_post AS (
            SELECT candidate_id, platform, post_id, comments_collected, comments
            FROM analysis_posts WHERE candidate_id IS NOT NULL),
        authors AS (
            SELECT a.candidate_id, a.platform,
                   count(DISTINCT coalesce(c.author_id, lower(c.author_handle)))
                       FILTER (WHERE NOT a.by_candidate) AS commenters,
                   count(*) FILTER (WHERE a.by_candidate) AS by_candidate
            FROM analysis_comments a
            JOIN comments c ON c.platform = a.platform AND c.comment_id = a.comment_id
            GROUP BY ALL)
        SELECT candidate_id, platform, count(*) AS posts,
               count(*) FILTER (WHERE comments_collected > 0) AS posts_with_comments,
               sum(comments_collected) AS comments_collected,
               sum(comments) AS comments_reported,
               quantile_cont(comments_collected, 0.5) AS median_per_post,
               quantile_cont(comments_collected, 0.25) AS q1_per_post,
               quantile_cont(comments_collected, 0.75) AS q3_per_post,
               avg(comments_collected) AS mean_per_post,
               coalesce(any_value(a.commenters), 0) AS commenters,
               coalesce(any_value(a.by_candidate), 0) AS comments_by_candidate
        FROM per_post LEFT JOIN authors a USING (candidate_id, platform)
        GROUP BY ALL ORDER BY ALL
    """)
    for name, column in (("analysis_sentiment", "sentiment"),
                         ("analysis_comment_categories", "category")):
        ctx.create(name, f"""
            SELECT candidate_id, platform, {column}, count(*) AS comments,
                   count(*) / sum(count(*)) OVER (PARTITION BY candidate_id, platform) AS share,
                   sum(count(*)) OVER (PARTITION BY candidate_id, platform) AS labelled
            FROM analysis_comments WHERE {column} IS NOT NULL AND NOT by_candidate
            GROUP BY candidate_id, platform, {column} ORDER BY candidate_id, platform, comments DESC
        """)
    _frequent(ctx)
    _terms(ctx)


def _frequent(ctx: Context) -> None:
    dup = ctx.labels("duplicate_group", "comment")
    dup_join = (f"LEFT JOIN {dup} d ON d.platform = c.platform AND d.target_id = c.comment_id"
                if dup else "LEFT JOIN (SELECT NULL::VARCHAR AS value) d ON false")
    ctx.create("analysis_frequent_comments", f"""
        WITH picked AS (
            SELECT c.candidate_id, c.platform, c.post_id, c.comment_id, c.created_local,
                   coalesce(c.likes, 0) AS likes,
                   CASE WHEN c.is_question THEN 'question' ELSE 'complaint' END AS kind,
                   cm.text, d.value AS dup_group
            FROM analysis_comments c
            JOIN comments cm ON cm.platform = c.platform AND cm.comment_id = c.comment_id
            {dup_join}
            WHERE NOT c.by_candidate AND (c.is_question OR c.category = 'aspirasi')
              AND cm.text IS NOT NULL),
        keyed AS (
            SELECT *, coalesce('dup:' || dup_group, {NORMALISED.format(col="text")}) AS group_key
            FROM picked)
        SELECT candidate_id, kind,
               row_number() OVER (PARTITION BY candidate_id, kind
                                  ORDER BY count(*) DESC, sum(likes) DESC, group_key) AS rank,
               group_key, arg_max(text, likes) AS example, count(*) AS comments,
               count(DISTINCT post_id) AS posts, sum(likes) AS likes,
               min(created_local) AS first_local, max(created_local) AS last_local
        FROM keyed WHERE group_key <> ''
        GROUP BY candidate_id, kind, group_key
        QUALIFY rank <= {TOP_GROUPS}
        ORDER BY candidate_id, kind, rank
    """)


def _terms(ctx: Context) -> None:
    ctx.execute("CREATE OR REPLACE TEMP TABLE _stopwords (term VARCHAR)")
    ctx.execute("INSERT INTO _stopwords SELECT unnest(?::VARCHAR[])", [sorted(STOPWORDS)])
    total = ctx.scalar("SELECT count(*) FROM analysis_comments WHERE NOT by_candidate") or 0
    every = max(1, -(-total // TERMS_MAX_COMMENTS))  # ceil
    sample = "" if every == 1 else f"AND hash(c.comment_id) % {every} = 0"
    ctx.create("_comment_text", f"""
        SELECT c.candidate_id, lower(cm.text) AS text
        FROM analysis_comments c
        JOIN comments cm ON cm.platform = c.platform AND cm.comment_id = c.comment_id
        WHERE NOT c.by_candidate AND cm.text IS NOT NULL {sample}
    """, temp=True)
    ctx.create("analysis_terms", f"""
        WITH tok AS (
            SELECT candidate_id,
                   unnest(string_split_regex(
                       CASE WHEN contains(text, '@') OR contains(text, '#')
                                 OR contains(text, 'http')
                            THEN regexp_replace(text, 'https?://\\S+|[@#]\\w+', ' ', 'g')
                            ELSE text END,
                       '[^a-z0-9]+')) AS term
            FROM _comment_text),
        counted AS (
            SELECT candidate_id, term, count(*) AS n FROM tok
            WHERE length(term) >= 3 AND NOT regexp_full_match(term, '[0-9]+')
            GROUP BY ALL)
        SELECT candidate_id, term, n,
               row_number() OVER (PARTITION BY candidate_id ORDER BY n DESC, term) AS rank,
               {1 / every} AS sample_share
        FROM counted ANTI JOIN _stopwords USING (term)
        QUALIFY rank <= {TOP_TERMS}
        ORDER BY candidate_id, rank
    """)
    ctx.create("_comment_hashtags", f"""
        WITH h AS (
            SELECT candidate_id, unnest(regexp_extract_all(text, '#(\\w+)', 1)) AS hashtag
            FROM _comment_text WHERE contains(text, '#'))
        SELECT 'comment' AS source, candidate_id, hashtag, count(*) AS n,
               row_number() OVER (PARTITION BY candidate_id ORDER BY count(*) DESC, hashtag)
                   AS rank
        FROM h GROUP BY candidate_id, hashtag
        QUALIFY rank <= {TOP_HASHTAGS}
    """, temp=True)
    ctx.execute("INSERT INTO analysis_hashtags SELECT * FROM _comment_hashtags")
    ctx.execute("DROP TABLE _comment_text")
