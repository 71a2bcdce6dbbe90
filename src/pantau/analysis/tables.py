"""What each analysis_* table holds and what its columns mean: the contract the report, exports
(README) and the web app share. Times are local to the election; rates are fractions (0.05 =
5%); rows with candidate_id NULL pool all candidates where a table says so."""

from __future__ import annotations

ANALYSIS_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "analysis_runs": ("When the analyses last ran and on what (row counts, config hash).", {
        "run_at": "UTC time of the run", "seconds": "duration",
        "timezone": "election time zone used for every local time",
        "rules": "rules file id", "n_posts": "posts in the store at the run (likewise n_*)",
        "config_sha256": "hash of pantau.toml and the rules file",
    }),
    "analysis_posts": ("One row per post: the base every post-level figure aggregates.", {
        "account": "handle; pseudonymised unless the account is linked to a candidate",
        "candidate_id": "candidate the account is linked to in pantau.toml (NULL: none)",
        "role": "official | candidate | party | volunteer | media | other",
        "created_local": "post time in the election's time zone",
        "date_local": "local day", "hour_local": "local hour 0-23",
        "weekday_local": "ISO weekday, 1 = Monday",
        "phase": "phase of the rules calendar the post falls in (NULL: outside it)",
        "views": "latest observed views (likewise likes, comments, shares, saves)",
        "followers": "followers observed closest to the time of posting, else the account's "
                     "latest count",
        "age_hours_at_capture": "hours between posting and the latest metric observation: "
                                "the counts are those of a post this old",
        "interactions": "likes + comments + shares (missing parts count 0; NULL if all missing)",
        "er_follower": "(likes + comments) / followers, only where both inputs exist",
        "er_view": "(likes + comments + shares) / views, only where all inputs exist",
        "observations": "number of metric observations (post_metrics rows)",
        "comments_collected": "comments of this post present in the store",
        "post_function": "effective post_function label (P1-P9; coder over model)",
        "slang_density": "share of informal tokens in the caption (label score)",
        "caption": "first 300 characters of the text",
    }),
    "analysis_comments": ("One row per comment under a candidate's post: the base of every "
                          "audience figure (no author, no text: join comments).", {
        "thread_id": "coalesce(parent_id, comment_id): the top-level comment on TikTok and "
                     "Instagram, the tweet replied to on X",
        "candidate_id": "candidate whose post it is under",
        "created_local": "comment time in the election's time zone",
        "by_candidate": "written by the post's author or an official/candidate account of "
                        "the same candidate",
        "sentiment": "effective sentiment label (coder over model, then latest)",
        "is_question": "labelled question, or comment_category pertanyaan",
        "category": "effective comment_category label",
    }),
    "analysis_coverage": ("Posts and comments per platform and candidate, first and last dates.",
                          {}),
    "analysis_label_sources": (
        "Labels per scheme, target and source (model@version or coder).",
        {"targets": "distinct posts/comments labelled (HyperLogLog estimate)"}),
    "analysis_activity": ("Activity per candidate x platform x account role.", {
        "accounts": "linked accounts in the store", "posting_accounts": "accounts with posts",
        "followers": "sum of the accounts' latest follower counts",
        "posts_per_week": "posts / window_weeks; the window is the same for everyone: first to "
                          "last local day with a post by any candidate's account",
        "video": "posts with that media type (likewise image, carousel, text, link, live)",
    }),
    "analysis_media_formats": (
        "Visual formats per candidate x platform: infographic / video / photo / image (not "
        "read) / text, from the post's media (pantau media) and its media type.", {
            "format": "infographic when any linked image is typed infographic; video; photo "
                      "(images read, none infographic); image (not read): images whose files "
                      "pantau has not seen; text",
            "posts": "posts of the candidate's accounts on the platform in this format",
            "share_of_posts": "posts / the candidate's posts on the platform",
            "posts_with_media_text": "posts with text read from their media (OCR, subtitles)",
            "median_er_view": "median (likes + comments + shares) / views",
            "median_er_follower": "median (likes + comments) / followers",
            "median_interactions": "median likes + comments + shares",
            "top_function": "most frequent effective post_function label",
            "top_topics": "up to three most frequent topics",
        }),
    "analysis_media_engagement": (
        "Infographic vs other posts within one platform, the account as the unit: per account "
        "the median rate of each, paired across accounts with both (Wilcoxon signed-rank).", {
            "metric": "er_view or er_follower",
            "accounts": "accounts with both infographic and other posts",
            "median_difference": "median over accounts of (infographic - other) median rates",
            "statistic": "Wilcoxon W (NULL: no test)",
            "p_value": "raw two-sided p (the report adjusts it with its other tests)",
            "note": "tested | too few accounts (under 10 with both formats) | no difference",
        }),
    "analysis_posting_times": ("Posts per local weekday (1 = Monday) and hour.", {}),
    "analysis_engagement": ("Per candidate x platform x metric: n, total, median, IQR, mean.", {
        "posts": "posts in the group", "n": "posts where the metric exists",
        "total": "sum (NULL for rates)", "q1": "25th percentile", "q3": "75th percentile",
    }),
    "analysis_growth": ("Posts with two or more metric observations: first and last counts and "
                        "growth per day.", {"hours": "hours between first and last observation"}),
    "analysis_top_posts": ("Top 5 posts per candidate x platform by interactions.", {}),
    "analysis_tests": ("Kruskal-Wallis tests: does a metric differ between platforms or "
                       "candidates?", {
        "comparison": "platform | candidate", "scope": "candidate id, platform, or all",
        "H": "Kruskal-Wallis H (tie-corrected)", "df": "groups - 1",
        "epsilon_sq": "effect size H / ((n^2 - 1) / (n + 1))",
        "effect": "negligible < .01 <= small < .06 <= medium < .14 <= large",
        "sentence_id": "the result in plain Indonesian", "sentence_en": "in plain English",
    }),
    "analysis_pairwise": ("Pairwise Mann-Whitney U (two-sided) with Holm-adjusted p.", {
        "U": "U of group_a", "p_holm": "Holm-adjusted p within the test",
        "r_rank_biserial": "2U / (n_a n_b) - 1; positive: group_a tends higher",
    }),
    "analysis_content_functions": ("Post functions P1-P9 per candidate (NULL: all), share and "
                                   "median engagement with a bootstrap 95% CI.", {
        "share": "posts / labelled_posts",
        "ci_low_interactions": "2.5th percentile of 1,000 bootstrap medians (seeded)",
    }),
    "analysis_content_topics": ("Issue topics per candidate (NULL: all).",
                                {"labelled_posts": "the candidate's posts carrying any label"}),
    "analysis_hashtags": ("Top hashtags in candidates' posts (source post) and in the comments "
                          "under them (source comment).", {}),
    "analysis_comment_volume": ("Comments per candidate x platform.", {
        "comments_collected": "comments in the store",
        "comments_reported": "sum of the platforms' comment counts",
        "median_per_post": "median comments collected per post",
    }),
    "analysis_sentiment": ("Sentiment shares of audience comments.", {
        "labelled": "audience comments with a sentiment label in the group"}),
    "analysis_comment_categories": ("Comment categories of audience comments.", {}),
    "analysis_frequent_comments": ("Most frequent questions and complaints (aspirasi), "
                                   "near-duplicates grouped.", {
        "group_key": "duplicate_group label, else the text normalised (lower case, letters "
                     "and digits only)",
        "example": "the most-liked text of the group",
    }),
    "analysis_terms": ("Most frequent terms in audience comments (stopwords removed).", {
        "sample_share": "share of comments read: 1, or a fixed hash sample above 400,000 "
                        "comments (also for comment hashtags)"}),
    "analysis_questions": ("Every audience question under a candidate's post, answered or not.", {
        "author": "pseudonymised commenter", "answered": "the candidate's side replied to this "
        "comment: directly, in the thread it opens, or (a reply itself) addressing its author "
        "by @handle", "minutes_to_answer": "to the first such reply",
    }),
    "analysis_responsiveness": ("Share of questions answered and time to answer.", {}),
    "analysis_comment_capture": ("Comments in the store against the comments the platforms "
                                 "count on the same posts (live chats, stories and video "
                                 "replies are never seen).", {
        "comments_counted": "sum of the posts' comment counts (where the platform gives one)",
        "share_captured": "comments_collected / comments_counted over those posts",
    }),
    "analysis_sounds": ("Sounds (music_id) by posts and accounts; trending = used in >= 5 "
                        "posts by >= 2 accounts.", {}),
    "analysis_youth": ("Youth-oriented format proxies (not audience age).", {
        "share_short_60": "videos <= 60 s / videos with a known duration",
        "share_trending_sound": "posts with a trending sound / posts with a sound",
        "share_evening": "posts 18:00-22:59 local / posts",
        "slang_density_mean": "mean informal-token share of captions",
    }),
    "analysis_timeline": ("Per candidate x platform x local day: posts, engagement, audience "
                          "comments and sentiment.", {
        "interactions": "interactions, as of the latest capture, of the posts published that "
                        "day (not interactions that happened that day)",
        "sentiment_labelled": "comments with a sentiment label that day",
        "net_sentiment": "(positive - negative) / labelled comments that day; NULL under 10 "
                         "labelled comments"}),
    "analysis_calendar": ("Phases and windows of the rules file and events, [start, end) local.",
                          {}),
    "analysis_findings": ("Compliance leads for human review (not verdicts).", {
        "who": "account (commenters pseudonymised)", "what_id": "what happened (Indonesian)",
        "when_local": "local time", "url": "where (post URL)",
        "evidence": "the text, with the words that fired in [brackets]",
        "rule": "the rule from the rules file (Indonesian)", "rule_en": "the rule in English",
        "legal_basis": "the legal article(s) the rule rests on, from the rules file",
        "lead_key": "stable key of the lead across re-runs (reviews refer to it)",
        "label_source": "which model or coder flagged",
    }),
    "analysis_reliability": ("Krippendorff's alpha (nominal) per scheme over human coders.", {
        "units": "units coded by two or more coders",
        "verdict": "reliable >= .800, tentative >= .667, else unreliable",
    }),
    "analysis_model_agreement": ("Accuracy of each model against the coders' majority.", {}),
    "analysis_validation_accuracy": (
        "Per model scheme and label: accuracy against the coders on the random validation "
        "samples (pantau validate), weighted for the stratified design (analysis/validation.py)"
        ".", {
            "model_source": "the model in force (model:NAME@VERSION) the figures are for",
            "design_model": "the model whose labels the sample was stratified by",
            "coded": "validation items with a settled code (adjudicated, else majority)",
            "assigned": "validation items drawn",
            "coded_predicted": "coded items the model gave this label (coded_gold: the coders)",
            "precision": "weighted share right among items the model gave the label "
                         "(precision_low/high: 95% interval, Wilson or stratified bootstrap)",
            "recall": "weighted share found among items the coders gave the label (95% "
                      "interval: stratified bootstrap)",
            "f1": "2PR/(P+R) (95% interval: stratified bootstrap)",
            "alpha": "Krippendorff's alpha between coders on the scheme's validation items",
        }),
    "analysis_validation_estimates": (
        "Per model scheme, label and group: the model's count and share and the count and "
        "share corrected for its measured errors (95% intervals).", {
            "group_kind": "all | candidate | platform (group_value: the candidate id or "
                          "platform)",
            "items": "items of the group the model labelled (the report's population)",
            "raw_count": "items the model gave the label (raw_share = raw_count / items)",
            "count": "corrected count (count_low/high: 95% interval); NULL when not validated",
            "share": "corrected share (share_low/high: 95% interval)",
            "status": "validated | partly (a predicted label with no coded item keeps its raw "
                      "count) | not_validated",
        }),
    "analysis_coordination_settings": (
        "Coordination: every setting used (windows in seconds, thresholds, null) and where it "
        "came from (defaults, coordination.toml, command line, estimated).", {}),
    "analysis_coordination_signals": (
        "Coordination: per signal, its window, the threshold set against the shuffled-time "
        "null, and observed vs null pair counts.", {
            "threshold": "minimum occasions for a pair to count (NULL: no pair reached it)",
            "observed_pairs": "account pairs with >= min_occasions occasions",
            "null_pairs": "the same in the shuffled data (mean over replicates)",
            "null_pairs_above_threshold": "null pairs at or above the threshold (mean)",
            "null_model": "what the shuffle keeps and what it breaks"}),
    "analysis_coordination_communities": (
        "Patterns consistent with coordination, for human review (not verdicts): one row per "
        "community of accounts (Leiden on the pruned account graph).", {
            "community_key": "hash of the members' platform ids: stable while membership is",
            "share_of_comments": "the community's comments / all comments in the store",
            "pushes": "candidates whose posts draw mostly positive/supportive comments from it",
            "attacks": "candidates whose posts draw mostly negative/critical comments from it",
            "negative_share": "negative sentiment among its labelled comments",
            "toxic_share": "toxicity label other than none among its labelled comments",
            "top_texts": "its most repeated texts (copy-paste groups first)",
            "top_urls": "URLs shared by two or more of its accounts",
            "share_handle_name_digits": "members whose handle is a name followed by 4+ digits"}),
    "analysis_coordination_accounts": (
        "Accounts in a reported community (pseudonymised unless linked to a candidate), with "
        "traits where the export has them.", {
            "partners": "accounts it shares a kept edge with", "strength": "sum of edge weights",
            "median_gap_minutes": "median time between its actions (posting cadence)",
            "gap_cv": "coefficient of variation of those gaps (low: machine-like regularity)",
            "handle_name_digits": "handle is a name followed by four or more digits",
            "account_created": "creation date when the store has it (else NULL)",
            "empty_bio": "no profile text, when the store has profile texts (else NULL)"}),
    "analysis_coordination_edges": (
        "Kept account pairs inside communities: occasions per signal and combined weight.", {
            "co_comment": "posts both commented on within the window (likewise copy_paste: "
                          "copied texts; co_share: shared URLs/hashtags/sounds; sync_burst: "
                          "shared burst bins)",
            "weight": "sum over signals above threshold of occasions / threshold"}),
    "analysis_coordination_evidence": (
        "Example evidence: the strongest pairs of each community per signal, with the two "
        "actions of their first occasion.", {
            "id_a": "comment or post id (kind_a says which)",
            "minutes_apart": "time between the two actions"}),
}

CORE_TABLES: dict[str, str] = {
    "meta": "store settings (the pseudonym key is never exported)",
    "candidates": "candidates from pantau.toml",
    "accounts": "accounts seen in imports, linked to candidates by pantau.toml",
    "posts": "posts, one row per (platform, post_id); times in UTC",
    "post_metrics": "one row per observation of a post's counts",
    "comments": "comments, one row per (platform, comment_id); times in UTC",
    "labels": "every automatic or human label with its source",
    "imports": "one row per imported file",
    "rejects": "records that could not be mapped, with the reason and the raw text",
    "events": "events from pantau.toml (debates, ...)",
    "lead_reviews": "an observer's decisions on compliance leads (reviewed, dismissed, "
                    "escalated), one row each; the latest per lead_key is in force",
}
