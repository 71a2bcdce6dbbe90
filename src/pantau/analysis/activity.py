"""Activity per candidate x platform x account role: accounts, followers, posts, posts per week,
media mix, posting hours and weekdays (local time)."""

from __future__ import annotations

from ..records import MEDIA_TYPES
from .base import Context


def run(ctx: Context) -> None:
    # One window for everyone, so posts per week compare fairly: the local days from the first
    # to the last post of any candidate's account.
    mix = ",\n".join(
        f"count(*) FILTER (WHERE media_type = '{m}') AS {m}" for m in MEDIA_TYPES)
    ctx.create("analysis_activity", f"""
        WITH win AS (
            SELECT min(date_local) AS first_day, max(date_local) AS last_day,
                   (max(date_local) - min(date_local) + 1) / 7.0 AS weeks
            FROM analysis_posts WHERE candidate_id IS NOT NULL),
        post_followers AS (
            SELECT platform, account_id, arg_max(followers, created_at) AS followers
            FROM analysis_posts WHERE followers IS NOT NULL GROUP BY ALL),
        acc AS (
            SELECT a.candidate_id, a.platform, coalesce(a.role, 'other') AS role,
                   count(*) AS accounts,
                   sum(coalesce(a.followers, pf.followers)) AS followers,
                   count(coalesce(a.followers, pf.followers)) AS accounts_with_followers
            FROM accounts a
            LEFT JOIN post_followers pf USING (platform, account_id)
            WHERE a.candidate_id IS NOT NULL GROUP BY ALL),
        p AS (
            SELECT candidate_id, platform, coalesce(role, 'other') AS role,
                   count(*) AS posts, count(DISTINCT account_id) AS posting_accounts,
                   min(created_local) AS first_post, max(created_local) AS last_post,
                   {mix},
                   count(*) FILTER (WHERE media_type IS NULL
                                    OR media_type NOT IN {tuple(MEDIA_TYPES)}) AS unknown_media
            FROM analysis_posts WHERE candidate_id IS NOT NULL GROUP BY ALL)
        SELECT candidate_id, platform, role,
               coalesce(acc.accounts, 0) AS accounts,
               coalesce(p.posting_accounts, 0) AS posting_accounts,
               acc.followers, coalesce(acc.accounts_with_followers, 0) AS accounts_with_followers,
               coalesce(p.posts, 0) AS posts, p.first_post, p.last_post,
               win.first_day AS window_first_day, win.last_day AS window_last_day,
               win.weeks AS window_weeks,
               coalesce(p.posts, 0) / nullif(win.weeks, 0) AS posts_per_week,
               {", ".join(f"coalesce(p.{m}, 0) AS {m}" for m in MEDIA_TYPES)},
               coalesce(p.unknown_media, 0) AS unknown_media
        FROM acc FULL JOIN p USING (candidate_id, platform, role)
        CROSS JOIN win
        ORDER BY candidate_id, platform, role
    """)
    ctx.create("analysis_posting_times", """
        SELECT candidate_id, platform, coalesce(role, 'other') AS role,
               weekday_local AS weekday, hour_local AS hour, count(*) AS posts
        FROM analysis_posts WHERE candidate_id IS NOT NULL AND created_local IS NOT NULL
        GROUP BY ALL ORDER BY ALL
    """)
