"""Responsiveness: of the audience questions under each candidate's posts, the share answered
in the thread by the candidate's account, and the median time to answer.

A question is a comment labelled `question` (scheme question) or `pertanyaan` (comment_category),
not written by the candidate's side. It counts as answered only when a comment by the post's
author or by an official/candidate account linked to the same candidate answers THAT comment:
- it replies to it directly (its parent_id is the question: X names the tweet a reply answers);
- or the question opens a thread (a top-level comment) and the reply is in that thread (TikTok
  and Instagram hang every reply under the top-level comment);
- or the question is itself a reply inside a thread and the candidate's reply in that thread
  addresses its author (@handle), as TikTok and Instagram mark replies to replies.
A later reply in the thread that answers someone else does not count. The reply must come after
the question (or at an unknown time). Time to answer runs to the first such comment.

Coverage: `analysis_comment_capture` states the share of each platform's comments (as counted
on the posts) that the store holds; live chats, stories and video replies are never seen.
"""

from __future__ import annotations

from .base import Context


def run(ctx: Context) -> None:
    ctx.create("analysis_questions", """
        WITH q AS (
            SELECT platform, comment_id, post_id, parent_id, thread_id, candidate_id,
                   created_at, created_local, likes
            FROM analysis_comments WHERE is_question AND NOT by_candidate),
        replies AS (
            SELECT platform, post_id, thread_id, parent_id, comment_id, created_at
            FROM analysis_comments WHERE by_candidate),
        answers AS (
            -- a reply to the question itself (X: a reply names the tweet it answers)
            SELECT q.platform, q.comment_id, r.comment_id AS reply_id, r.created_at AS reply_at
            FROM q JOIN replies r
              ON r.platform = q.platform AND r.parent_id = q.comment_id
            UNION ALL
            -- in the thread the question opens (TikTok, Instagram: replies hang under it)
            SELECT q.platform, q.comment_id, r.comment_id, r.created_at
            FROM q JOIN replies r
              ON r.platform = q.platform AND r.post_id = q.post_id
             AND q.parent_id IS NULL AND r.thread_id = q.comment_id
             AND (r.created_at IS NULL OR q.created_at IS NULL OR r.created_at >= q.created_at)
            UNION ALL
            -- in the thread of a question that is itself a reply, addressed to its author
            SELECT q.platform, q.comment_id, r.comment_id, r.created_at
            FROM q JOIN replies r
              ON r.platform = q.platform AND r.post_id = q.post_id
             AND q.parent_id IS NOT NULL AND r.thread_id = q.thread_id
             AND r.comment_id <> q.comment_id
             AND (r.created_at IS NULL OR q.created_at IS NULL OR r.created_at >= q.created_at)
            JOIN comments qa ON qa.platform = q.platform AND qa.comment_id = q.comment_id
            JOIN comments rt ON rt.platform = r.platform AND rt.comment_id = r.comment_id
            WHERE qa.author_handle IS NOT NULL
              AND contains(lower(rt.text), '@' || lower(ltrim(qa.author_handle, '@')))),
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
    # What share of the comments the platforms count on these posts the store holds.
    ctx.create("analysis_comment_capture", """
        SELECT candidate_id, platform, count(*) AS posts,
               sum(comments_collected) AS comments_collected,
               sum(comments) FILTER (WHERE comments IS NOT NULL) AS comments_counted,
               sum(comments_collected) FILTER (WHERE comments IS NOT NULL)
                   / nullif(sum(comments) FILTER (WHERE comments IS NOT NULL), 0)
                   AS share_captured
        FROM analysis_posts WHERE candidate_id IS NOT NULL
        GROUP BY ALL ORDER BY ALL
    """)
