"""Timeline: daily posts, engagement and audience sentiment per candidate x platform (local
days), with the phase of each day, and the calendar to draw on it (phases and windows from the
rules file, events from the `events` table)."""

from __future__ import annotations

import pyarrow as pa

from .base import Context

# Daily net sentiment is left empty (not drawn) on days with fewer labelled comments: one or two
# comments would swing it between -1 and +1.
MIN_SENTIMENT_COMMENTS = 10


def run(ctx: Context) -> None:
    ctx.create("analysis_timeline", f"""
        WITH p AS (
            SELECT candidate_id, platform, date_local AS date, count(*) AS posts,
                   sum(interactions) AS interactions, sum(views) AS views
            FROM analysis_posts WHERE candidate_id IS NOT NULL AND date_local IS NOT NULL
            GROUP BY ALL),
        c AS (
            SELECT candidate_id, platform, created_local::DATE AS date, count(*) AS comments,
                   count(*) FILTER (WHERE sentiment = 'positive') AS positive,
                   count(*) FILTER (WHERE sentiment = 'negative') AS negative,
                   count(*) FILTER (WHERE sentiment = 'neutral') AS neutral
            FROM analysis_comments WHERE NOT by_candidate AND created_local IS NOT NULL
            GROUP BY ALL)
        SELECT candidate_id, platform, date, ph.id AS phase,
               coalesce(p.posts, 0) AS posts, coalesce(p.interactions, 0) AS interactions,
               coalesce(p.views, 0) AS views, coalesce(c.comments, 0) AS comments,
               coalesce(c.positive, 0) AS positive, coalesce(c.negative, 0) AS negative,
               coalesce(c.neutral, 0) AS neutral,
               c.positive + c.negative + c.neutral AS sentiment_labelled,
               CASE WHEN c.positive + c.negative + c.neutral >= {MIN_SENTIMENT_COMMENTS}
                    THEN (c.positive - c.negative) / (c.positive + c.negative + c.neutral)
               END AS net_sentiment
        FROM p FULL JOIN c USING (candidate_id, platform, date)
        LEFT JOIN _phases ph ON date::TIMESTAMP >= ph.start_local
                            AND date::TIMESTAMP < ph.end_local
        ORDER BY candidate_id, platform, date
    """)
    rows = ctx.phase_rows()
    arrow = pa.table({
        "kind": pa.array([r["kind"] for r in rows], pa.string()),
        "id": pa.array([r["id"] for r in rows], pa.string()),
        "name_id": pa.array([r["name_id"] for r in rows], pa.string()),
        "name_en": pa.array([r["name_en"] for r in rows], pa.string()),
        "start_local": pa.array([r["start_local"] for r in rows], pa.timestamp("us")),
        "end_local": pa.array([r["end_local"] for r in rows], pa.timestamp("us")),
    })
    ctx.con.register("_calendar", arrow)
    # Events: a whole-day event ends at 23:59:59.999999 in the store; keep [start, end).
    ctx.create("analysis_calendar", """
        SELECT kind, id, name_id, name_en, start_local, end_local FROM _calendar
        UNION ALL
        SELECT 'event', event_id, name, name, starts_at,
               CASE WHEN ends_at IS NULL THEN starts_at + INTERVAL 1 DAY
                    ELSE ends_at + INTERVAL 1 MICROSECOND END
        FROM events
        ORDER BY start_local, kind
    """)
    ctx.con.unregister("_calendar")
