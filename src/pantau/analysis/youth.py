"""Youth-oriented format proxies per candidate x platform. These describe the *format* of the
posts, which studies link to young audiences; they say nothing about the age of who watched.

- short video: videos of at most 60 s and at most 3 min, among videos whose duration is known;
- trending sounds: posts using a sound (posts.music_id) that at least TRENDING_MIN_POSTS posts
  in the store use, by at least TRENDING_MIN_ACCOUNTS accounts, AND beyond one candidate's own
  accounts (used by another candidate's or an unlinked account): a pair's own jingle across
  its accounts is not a trend;
- TikTok's default video length is up to 60 s, so a short TikTok video is not a choice: the
  share of videos <= 60 s is left empty (NULL) for TikTok and given for the other platforms;
- evening posting: local hour in [EVENING_FROM, EVENING_TO);
- slang density: the mean share of informal tokens in captions (label slang_density).
"""

from __future__ import annotations

from .base import Context

TRENDING_MIN_POSTS = 5
TRENDING_MIN_ACCOUNTS = 2
EVENING_FROM, EVENING_TO = 18, 23


def run(ctx: Context) -> None:
    ctx.create("analysis_sounds", f"""
        SELECT platform, music_id, count(*) AS posts, count(DISTINCT account_id) AS accounts,
               count(DISTINCT candidate_id) AS candidates,
               count(*) FILTER (WHERE candidate_id IS NULL) AS unlinked_posts,
               count(*) >= {TRENDING_MIN_POSTS}
                   AND count(DISTINCT account_id) >= {TRENDING_MIN_ACCOUNTS}
                   AND (count(DISTINCT candidate_id) >= 2
                        OR count(*) FILTER (WHERE candidate_id IS NULL) > 0) AS trending
        FROM analysis_posts WHERE music_id IS NOT NULL
        GROUP BY ALL ORDER BY posts DESC, music_id
    """)
    ctx.create("analysis_youth", f"""
        SELECT p.candidate_id, p.platform, count(*) AS posts,
               count(*) FILTER (WHERE media_type = 'video') AS videos,
               count(*) FILTER (WHERE media_type = 'video' AND duration_s IS NOT NULL)
                   AS videos_with_duration,
               count(*) FILTER (WHERE media_type = 'video' AND duration_s <= 60) AS short_60,
               count(*) FILTER (WHERE media_type = 'video' AND duration_s <= 180) AS short_180,
               CASE WHEN max(p.platform) <> 'tiktok'
                    THEN short_60 / nullif(videos_with_duration, 0) END AS share_short_60,
               short_180 / nullif(videos_with_duration, 0) AS share_short_180,
               count(p.music_id) AS posts_with_sound,
               count(DISTINCT p.music_id) AS distinct_sounds,
               count(*) FILTER (WHERE s.trending) AS trending_sound_posts,
               trending_sound_posts / nullif(posts_with_sound, 0) AS share_trending_sound,
               count(*) FILTER (WHERE hour_local >= {EVENING_FROM} AND hour_local < {EVENING_TO})
                   AS evening_posts,
               evening_posts / nullif(count(hour_local), 0) AS share_evening,
               count(slang_density) AS slang_labelled,
               avg(slang_density) AS slang_density_mean,
               quantile_cont(slang_density, 0.5) AS slang_density_median
        FROM analysis_posts p
        LEFT JOIN analysis_sounds s USING (platform, music_id)
        WHERE p.candidate_id IS NOT NULL
        GROUP BY ALL ORDER BY ALL
    """)
