"""Responsiveness: of the audience questions under each candidate's posts, the share answered
in the thread by the candidate's account, and the median time to answer.

A question is a comment labelled `question` (scheme question) or `pertanyaan` (comment_category),
not written by the candidate's side. It counts as answered when a comment by the post's author or
by an official/candidate account linked to the same candidate replies to it directly (its
parent_id is the question: X names the tweet a reply answers), or follows it in the same thread
(coalesce(parent_id, comment_id): TikTok and Instagram hang replies under the top-level comment),
after it or at an unknown time. Time to answer runs to the first such comment.
"""

from __future__ import annotations

from .base import Context


def run(ctx: Context) -> None:
    ctx.create("analysis_questions", """
        WITH q AS (
            SELECT platform, comment_id, post_id, thread_id, candidate_id, created_at,
                   created_local, likes
            FROM analysis_comments WHERE is_question AND NOT by_candidate),
        replies AS (
            SELECT platform, post_id, thread_id, parent_id, comment_id, created_at
            FROM analysis_comments WHERE by_candidate),
        answers AS (
            -- in the same thread (TikTok, Instagram: replies hang under the top-level comment)
            SELECT q.platform, q.comment_id, r.comment_id AS reply_id, r.created_at AS reply_at
            FROM q JOIN replies r
              ON r.platform = q.platform AND r.post_id = q.post_id
             AND r.thread_id = q.thread_id AND r.comment_id <> q.comment_id
             AND (r.created_at IS NULL OR q.created_at IS NULL OR r.created_at >= q.created_at)
            UNION ALL
            -- or directly to the question (X: a reply names the tweet it answers)
            SELECT q.platform, q.comment_id, r.comment_id, r.created_at
            FROM q JOIN replies r
              ON r.platform = q.platform AND r.parent_id = q.comment_id),
        answered AS (
            SELECT platform, comment_id, arg_min(reply_id, reply_at) AS answer_comment_id,
                   min(reply_at) AS answer_at
            FROM answers GROUP BY ALL)
        SELECT q.candidate_id, q.platform, q.post_id, p.url AS post_url, q.comment_id,
               q.thread_id, cm.author_handle AS author, q.created_local, q.likes,
               a.comment_id IS NOT NULL AS answered, a.answer_comment_id,
               date_diff('second', q.created_at, a.answer_at) / 60.0 AS minutes_to_answer,
               cm.text
        FROM q
        LEFT JOIN answered a ON a.platform = q.platform AND a.comment_id = q.comment_id
        JOIN analysis_posts p ON p.platform = q.platform AND p.post_id = q.post_id
        JOIN comments cm ON cm.platform = q.platform AND cm.comment_id = q.comment_id
        ORDER BY q.candidate_id, q.platform, q.created_local
    """)
    ctx.pseudonymise("analysis_questions", "author")
    ctx.create("analysis_responsiveness", """
        SELECT candidate_id, platform, count(*) AS questions,
               count(*) FILTER (WHERE answered) AS answered,
               count(*) FILTER (WHERE answered) / count(*) AS share_answered,
               count(minutes_to_answer) AS answered_with_time,
               quantile_cont(minutes_to_answer, 0.5) AS median_minutes,
               quantile_cont(minutes_to_answer, 0.25) AS q1_minutes,
               quantile_cont(minutes_to_answer, 0.75) AS q3_minutes
        FROM analysis_questions GROUP BY ALL ORDER BY ALL
    """)
