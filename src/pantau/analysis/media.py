"""Visual formats: who campaigned with infographics, what they said, and whether they worked.

A post's format comes from its media (pantau.media): `infographic` when any of its images is
typed infographic, else `video` (video and live), `photo` (images read and typed photo or
video frame), `image (not read)` (images whose files pantau has not seen: the type is unknown,
never guessed), `text` (text and link posts). Shares are over each candidate's posts on a
platform.

Engagement is compared within one platform only (TikTok plays, Instagram likes and Facebook
reactions are not one scale) and with the account as the unit, because posts of one account
are not independent: per account, the median engagement rate of its infographic posts and of
its other posts; across accounts holding both, the paired differences are tested with
Wilcoxon's signed-rank test, only where at least MIN_ACCOUNTS accounts qualify (else the
table says why no test was made). The p-values are raw here; the report adjusts them with the
report's other tests.
"""

from __future__ import annotations

from scipy import stats

from .base import Context

MIN_ACCOUNTS = 10  # the report's minimum group size for a test
FORMAT_SQL = """CASE
    WHEN fm.infographic THEN 'infographic'
    WHEN p.media_type IN ('video', 'live') THEN 'video'
    WHEN p.media_type IN ('image', 'carousel') AND fm.read_images > 0 THEN 'photo'
    WHEN p.media_type IN ('image', 'carousel') THEN 'image (not read)'
    ELSE 'text' END"""


def run(ctx: Context) -> None:
    ctx.create("_media_posts", f"""
        WITH fm AS (
            SELECT pm.platform, pm.post_id,
                   bool_or(f.image_type = 'infographic') AS infographic,
                   count(*) FILTER (WHERE f.kind = 'image' AND f.read_by IS NOT NULL)
                       AS read_images,
                   bool_or(t.sha256 IS NOT NULL) AS has_text
            FROM post_media pm JOIN media_files f USING (sha256)
            LEFT JOIN (SELECT DISTINCT sha256 FROM media_text) t USING (sha256)
            GROUP BY ALL)
        SELECT p.platform, p.post_id, p.account, p.candidate_id, p.post_function,
               p.er_view, p.er_follower, p.interactions,
               {FORMAT_SQL} AS format, coalesce(fm.has_text, false) AS has_media_text
        FROM analysis_posts p LEFT JOIN fm USING (platform, post_id)
        WHERE p.candidate_id IS NOT NULL""", temp=True)
    topic_join, _ = ctx.label_join("topic", "post", "tp", "m.platform, m.post_id")
    ctx.create("analysis_media_formats", f"""
        WITH t AS (
            SELECT m.candidate_id, m.platform, m.format, tp.value AS topic,
                   count(DISTINCT m.post_id) AS n
            FROM _media_posts m {topic_join}
            WHERE tp.value IS NOT NULL GROUP BY ALL),
        top_topics AS (
            SELECT candidate_id, platform, format,
                   list(topic ORDER BY n DESC, topic)[1:3] AS top_topics
            FROM t GROUP BY ALL),
        f AS (
            SELECT candidate_id, platform, format, post_function, count(*) AS n
            FROM _media_posts WHERE post_function IS NOT NULL GROUP BY ALL),
        top_function AS (
            SELECT candidate_id, platform, format, arg_max(post_function, n) AS top_function
            FROM f GROUP BY ALL)
        SELECT m.candidate_id, m.platform, m.format, count(*) AS posts,
               count(*) / sum(count(*)) OVER (PARTITION BY m.candidate_id, m.platform)
                   AS share_of_posts,
               count(*) FILTER (WHERE m.has_media_text) AS posts_with_media_text,
               median(m.er_view) AS median_er_view, median(m.er_follower) AS median_er_follower,
               median(m.interactions) AS median_interactions,
               any_value(tf.top_function) AS top_function,
               any_value(tt.top_topics) AS top_topics
        FROM _media_posts m
        LEFT JOIN top_function tf USING (candidate_id, platform, format)
        LEFT JOIN top_topics tt USING (candidate_id, platform, format)
        GROUP BY m.candidate_id, m.platform, m.format
        ORDER BY m.candidate_id, m.platform, posts DESC""")
    _compare(ctx)


def _compare(ctx: Context) -> None:
    rows = ctx.execute("""
        SELECT platform, account, metric,
               median(value) FILTER (WHERE format = 'infographic') AS infographic,
               median(value) FILTER (WHERE format <> 'infographic') AS other
        FROM (UNPIVOT (SELECT platform, account, format, er_view, er_follower
                       FROM _media_posts)
              ON er_view, er_follower INTO NAME metric VALUE value)
        GROUP BY ALL ORDER BY ALL""").fetchall()
    by_platform: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for platform, _account, metric, infographic, other in rows:
        if infographic is not None and other is not None:
            by_platform.setdefault((platform, metric), []).append((infographic, other))
    out = []
    for platform, metric in sorted({(r[0], r[2]) for r in rows}):
        pairs = by_platform.get((platform, metric), [])
        n = len(pairs)
        diffs = sorted(a - b for a, b in pairs)
        median_diff = diffs[n // 2] if n % 2 else (
            (diffs[n // 2 - 1] + diffs[n // 2]) / 2 if n else None)
        statistic = p_value = None
        note = "tested"
        if n < MIN_ACCOUNTS:
            note = "too few accounts"
        elif all(d == 0 for d in diffs):
            note = "no difference"
        else:
            result = stats.wilcoxon([a for a, _ in pairs], [b for _, b in pairs])
            statistic, p_value = float(result.statistic), float(result.pvalue)
        out.append((platform, metric, n, median_diff, statistic, p_value, note))
    ctx.execute("""CREATE OR REPLACE TABLE analysis_media_engagement (
        platform VARCHAR, metric VARCHAR, accounts BIGINT, median_difference DOUBLE,
        statistic DOUBLE, p_value DOUBLE, note VARCHAR)""")
    if out:
        ctx.con.executemany("INSERT INTO analysis_media_engagement VALUES (?, ?, ?, ?, ?, ?, ?)",
                            out)
