"""Analysis tables against values computed by hand from tests/analysis/fixture.py."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pantau.analysis import ANALYSIS_TABLES, is_current, run_all
from tests.conftest import BEKASI_TOML

from .fixture import build


def one(con, sql, params=None) -> dict:
    rows = con.execute(sql, params).dicts()
    assert len(rows) == 1, rows
    return rows[0]


def test_every_contract_table_exists(analysed):
    project, con = analysed
    for table in ANALYSIS_TABLES:
        con.execute(f"SELECT * FROM {table} LIMIT 1")
    assert is_current(project, con)


def test_local_time_and_phase(analysed):
    _, con = analysed
    # p4: 2024-09-24 18:00 UTC is 2024-09-25 01:00 WIB: the first campaign day, not before it
    p4 = one(con, "SELECT * FROM analysis_posts WHERE post_id = 'p4'")
    assert p4["created_local"] == datetime(2024, 9, 25, 1, 0)
    assert p4["phase"] == "campaign" and p4["hour_local"] == 1
    # p10: 2024-11-23 17:30 UTC is 2024-11-24 00:30 WIB: quiet period
    assert one(con, "SELECT phase FROM analysis_posts WHERE post_id = 'p10'")["phase"] \
        == "quiet_period"
    # p1 at 19:00 WIB on Tuesday 1 Oct 2024 (ISO weekday 2)
    p1 = one(con, "SELECT * FROM analysis_posts WHERE post_id = 'p1'")
    assert (p1["hour_local"], p1["weekday_local"], p1["date_local"]) == (19, 2, date(2024, 10, 1))


def test_rates_only_where_inputs_exist(analysed):
    _, con = analysed
    p1 = one(con, "SELECT * FROM analysis_posts WHERE post_id = 'p1'")
    # latest observation: views 1000, likes 100, comments 10, shares 5; followers 1000
    assert p1["interactions"] == 115
    assert p1["er_view"] == pytest.approx(115 / 1000)
    assert p1["er_follower"] == pytest.approx(110 / 1000)
    assert p1["observations"] == 2
    p5 = one(con, "SELECT * FROM analysis_posts WHERE post_id = 'p5'")
    assert p5["er_view"] is None  # Instagram image without views or shares
    assert p5["er_follower"] == pytest.approx(220 / 2000)


def test_activity(analysed):
    _, con = analysed
    a = one(con, "SELECT * FROM analysis_activity WHERE candidate_id = 'pair-1' "
                 "AND platform = 'tiktok'")
    assert (a["role"], a["accounts"], a["followers"], a["posts"], a["video"]) == \
        ("official", 1, 1000, 4, 4)
    # common window: first to last local day of any candidate post, 2024-09-20 .. 2024-11-25
    days = (date(2024, 11, 25) - date(2024, 9, 20)).days + 1
    assert a["window_weeks"] == pytest.approx(days / 7)
    assert a["posts_per_week"] == pytest.approx(4 / (days / 7))
    ig = one(con, "SELECT * FROM analysis_activity WHERE candidate_id = 'pair-2' "
                  "AND platform = 'instagram'")
    assert (ig["image"], ig["text"]) == (3, 1)
    hours = con.execute("SELECT hour, sum(posts) FROM analysis_posting_times "
                        "WHERE candidate_id = 'pair-1' AND platform = 'tiktok' GROUP BY 1 "
                        "ORDER BY 1").fetchall()
    assert hours == [(1, 1), (9, 1), (12, 1), (19, 1)]


def test_engagement_medians_and_iqr(analysed):
    _, con = analysed
    views = one(con, "SELECT * FROM analysis_engagement WHERE candidate_id = 'pair-1' "
                     "AND platform = 'tiktok' AND metric = 'views'")
    # views 1000, 2000, 500, 800: total 4300; median 900; q1 = 500 + .75*300; q3 = 1000 + .25*1000
    assert (views["n"], views["total"], views["median"]) == (4, 4300, 900)
    assert (views["q1"], views["q3"]) == (pytest.approx(725), pytest.approx(1250))
    er = one(con, "SELECT * FROM analysis_engagement WHERE candidate_id = 'pair-1' "
                  "AND platform = 'instagram' AND metric = 'er_view'")
    assert er["n"] == 0 and er["median"] is None
    erf = one(con, "SELECT * FROM analysis_engagement WHERE candidate_id = 'pair-1' "
                   "AND platform = 'instagram' AND metric = 'er_follower'")
    # (220, 100, 60) / 2000
    assert erf["median"] == pytest.approx(0.05)


def test_growth_and_top_posts(analysed):
    _, con = analysed
    g = one(con, "SELECT * FROM analysis_growth")
    # p1 observed 24 h apart: views 400 -> 1000, likes 40 -> 100
    assert (g["post_id"], g["hours"]) == ("p1", 24)
    assert (g["views_per_day"], g["likes_per_day"]) == (600, 60)
    top = con.execute("SELECT post_id FROM analysis_top_posts WHERE candidate_id = 'pair-3' "
                      "ORDER BY rank").fetchall()
    assert [r[0] for r in top] == ["p14", "p15", "p16", "p17", "p20"]


def test_tests_compare_accounts_and_skip_groups_under_the_minimum(analysed):
    _, con = analysed
    # the fixture has 1-3 accounts per candidate and platform: under MIN_GROUP (10) accounts,
    # so no test is run at all (the report says so) rather than treating posts as independent
    assert con.execute("SELECT count(*) FROM analysis_tests").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM analysis_pairwise").fetchone()[0] == 0


def test_content_functions_and_topics(analysed):
    _, con = analysed
    p1 = one(con, "SELECT * FROM analysis_content_functions WHERE candidate_id = 'pair-1' "
                  "AND function = 'P1'")
    # P1: p1 (115), p2 (200), p6 (100) of 7 labelled posts
    assert (p1["posts"], p1["labelled_posts"]) == (3, 7)
    assert p1["share"] == pytest.approx(3 / 7)
    assert p1["median_interactions"] == 115
    assert p1["ci_low_interactions"] <= 115 <= p1["ci_high_interactions"]
    assert p1["n_er_view"] == 2  # p6 is an Instagram carousel without views
    pooled = one(con, "SELECT * FROM analysis_content_functions WHERE candidate_id IS NULL "
                      "AND function = 'P4'")
    assert pooled["median_interactions"] == 55  # p3 50, p7 60
    banjir = one(con, "SELECT * FROM analysis_content_topics WHERE candidate_id = 'pair-1' "
                      "AND topic = 'banjir'")
    assert (banjir["posts"], banjir["labelled_posts"]) == (2, 7)


def test_audience(analysed):
    _, con = analysed
    s = {r["sentiment"]: r for r in con.execute(
        "SELECT * FROM analysis_sentiment WHERE candidate_id = 'pair-1' AND platform = 'tiktok'"
    ).dicts()}
    # audience comments c1 neutral, c3 negative, c4 negative (coder budi, latest, wins over the
    # model's positive), c5 negative; the candidate's replies c2 and c6 are left out
    assert {k: v["comments"] for k, v in s.items()} == {"neutral": 1, "negative": 3}
    assert s["negative"]["share"] == pytest.approx(0.75)
    vol = one(con, "SELECT * FROM analysis_comment_volume WHERE candidate_id = 'pair-1' "
                   "AND platform = 'tiktok'")
    assert (vol["comments_collected"], vol["comments_reported"], vol["comments_by_candidate"]) \
        == (6, 55, 2)
    dup = one(con, "SELECT * FROM analysis_frequent_comments WHERE candidate_id = 'pair-3' "
                   "AND kind = 'question'")
    # "Kapan jalan diperbaiki??" and "kapan jalan diperbaiki" are one group of two
    assert (dup["group_key"], dup["comments"]) == ("kapan jalan diperbaiki", 2)
    complaint = one(con, "SELECT * FROM analysis_frequent_comments WHERE kind = 'complaint'")
    assert complaint["candidate_id"] == "pair-3"
    terms = dict(con.execute("SELECT term, n FROM analysis_terms WHERE candidate_id = 'pair-3'")
                 .fetchall())
    assert terms["jalan"] == 2 and "kapan" not in terms  # stopword
    tags = con.execute("SELECT source, candidate_id, hashtag, n FROM analysis_hashtags "
                       "ORDER BY 1, 2, 4 DESC").fetchall()
    assert ("comment", "pair-3", "bekasibanjir", 1) in tags
    assert ("post", "pair-1", "bekasi", 2) in tags


def test_responsiveness(analysed):
    _, con = analysed
    r = one(con, "SELECT * FROM analysis_responsiveness WHERE candidate_id = 'pair-1' "
                 "AND platform = 'tiktok'")
    # questions c1, c3, c5; c1 answered by heri_tt (id) after 90 min; c5 is a reply in c1's
    # thread and @Heri_TT's later reply there (c6) does not address warga_c, so it answers c1
    # (the thread's opener), not c5; c3 unanswered
    assert (r["questions"], r["answered"]) == (3, 1)
    assert r["share_answered"] == pytest.approx(1 / 3)
    assert r["median_minutes"] == pytest.approx(90)
    ig = one(con, "SELECT * FROM analysis_responsiveness WHERE candidate_id = 'pair-1' "
                  "AND platform = 'instagram'")
    # c7 is a question only by its category; answered by the post's author after 30 min
    assert (ig["questions"], ig["answered"], ig["median_minutes"]) == (1, 1, 30)
    unanswered = {r[0] for r in con.execute(
        "SELECT comment_id FROM analysis_questions WHERE NOT answered").fetchall()}
    assert unanswered == {"c3", "c5", "c8", "c9", "c12", "c13"}
    authors = {r[0] for r in con.execute("SELECT author FROM analysis_questions").fetchall()}
    assert all(a.startswith("warga-") for a in authors)  # commenters pseudonymised


def test_youth(analysed):
    _, con = analysed
    y = one(con, "SELECT * FROM analysis_youth WHERE candidate_id = 'pair-1' "
                 "AND platform = 'tiktok'")
    # durations 45, 120, 30, 90: two <= 60 s, four <= 180 s; sounds m1, m1, m2 (m1 trending:
    # 8 posts by 5 accounts); evening 18-23 h local: p1 only
    assert (y["short_60"], y["short_180"], y["videos_with_duration"]) == (2, 4, 4)
    assert y["share_trending_sound"] == pytest.approx(2 / 3)
    assert y["share_evening"] == pytest.approx(1 / 4)
    assert y["slang_density_mean"] == pytest.approx(0.3)
    assert one(con, "SELECT trending FROM analysis_sounds WHERE music_id = 'm1'")["trending"]
    # TikTok's 60-s default is not a choice: no share of short videos there
    assert y["share_short_60"] is None
    # m2 and m3 are used by one candidate's accounts only: a pair's own sound is not a trend
    assert not any(r[0] for r in con.execute(
        "SELECT trending FROM analysis_sounds WHERE music_id IN ('m2', 'm3')").fetchall())


def test_timeline_and_calendar(analysed):
    _, con = analysed
    day = one(con, "SELECT * FROM analysis_timeline WHERE candidate_id = 'pair-1' "
                   "AND platform = 'tiktok' AND date = DATE '2024-10-01'")
    # p1 posted 19:00 WIB; audience comments c1, c3, c4, c5 that evening (WIB)
    assert (day["posts"], day["interactions"], day["comments"]) == (1, 115, 4)
    assert (day["negative"], day["neutral"]) == (3, 1)
    # four labelled comments: under the minimum of 10, so no net sentiment is drawn
    assert day["sentiment_labelled"] == 4 and day["net_sentiment"] is None
    assert day["phase"] == "campaign"
    kinds = {r[0]: r[1] for r in con.execute(
        "SELECT id, kind FROM analysis_calendar").fetchall()}
    assert kinds["quiet_period"] == "phase" and kinds["media_ads"] == "window"
    assert "event" in kinds.values()


def test_compliance_findings(analysed):
    _, con = analysed
    found = {(r["kind"], r["target_id"]) for r in con.execute(
        "SELECT kind, target_id FROM analysis_findings").dicts()}
    assert found == {
        ("quiet_period_post", "p3"), ("quiet_period_post", "p10"),
        ("quiet_period_post", "p20"),            # a volunteer: the duty binds campaign teams
        ("unregistered_official_account", "t2"),
        ("account_limit_exceeded", None),
        ("public_hate_speech", "c10"),           # the public's hate + sara: one lead, referral
        ("prohibited_content_post", "p17"),      # a volunteer's post flagged children
        ("prohibited_content_comment", "c2"),    # the candidate's own reply, abusive
    }  # not p4 (campaign in WIB), not p19 (20 Sep: before penetapan, nobody was a candidate),
    # not p18 (an ordinary account: campaign rules bind campaigners), not c11 (a coder
    # overrode the model)
    c10 = one(con, "SELECT * FROM analysis_findings WHERE target_id = 'c10'")
    assert c10["rule_id"] == "public_hate_speech" and c10["candidate_id"] == "pair-3"
    assert "28 ayat (2)" in c10["legal_basis"] and "UU 1/2024" in c10["legal_basis"]
    assert c10["who"].startswith("warga-")
    assert "[kafir]" in c10["evidence"] and c10["url"].endswith("/p14")
    assert c10["when_local"] == datetime(2024, 10, 15, 20, 0)
    assert "bukan putusan" in c10["note_id"] and "not a verdict" in c10["note_en"]
    p17 = one(con, "SELECT * FROM analysis_findings WHERE target_id = 'p17'")
    assert p17["rule_id"] == "involving_children" and "UU 35/2014" in p17["legal_basis"]
    c2 = one(con, "SELECT * FROM analysis_findings WHERE target_id = 'c2'")
    assert (c2["rule_id"], c2["who"]) == ("insult", "heri_tt")  # campaigners are public actors
    quiet = one(con, "SELECT * FROM analysis_findings WHERE target_id = 'p10'")
    assert (quiet["who"], quiet["rule_id"]) == ("uu_tt", "quiet_period")
    assert "1363/2024" in quiet["legal_basis"]
    limit = one(con, "SELECT * FROM analysis_findings WHERE kind = 'account_limit_exceeded'")
    assert (limit["candidate_id"], limit["platform"]) == ("pair-3", "tiktok")
    keys = [r[0] for r in con.execute("SELECT lead_key FROM analysis_findings").fetchall()]
    assert len(set(keys)) == len(keys)  # a stable key per lead, for reviews


def test_reliability_and_model_agreement(analysed):
    _, con = analysed
    rel = one(con, "SELECT * FROM analysis_reliability WHERE scheme = 'sentiment'")
    assert (rel["n_coders"], rel["units"]) == (2, 4)
    assert rel["alpha"] == pytest.approx(1 - 14 / 34)
    acc = one(con, "SELECT * FROM analysis_model_agreement WHERE scheme = 'sentiment'")
    assert (acc["units"], acc["agree"]) == (4, 3)


def test_without_labels_the_analyses_still_run(tmp_path):
    project = build(tmp_path / "bare", BEKASI_TOML, labels=False)
    summary = run_all(project)
    assert summary["tables"]["analysis_posts"] == 20
    assert summary["tables"]["analysis_sentiment"] == 0
    assert summary["tables"]["analysis_questions"] == 0
    con = project.connect()
    try:
        kinds = {r[0] for r in con.execute("SELECT kind FROM analysis_findings").fetchall()}
        assert "quiet_period_post" in kinds and "prohibited_content_post" not in kinds
        assert con.execute("SELECT count(*) FROM analysis_content_topics").fetchone()[0] == 0
    finally:
        con.close()


def test_rerun_is_stable_and_staleness_is_detected(analysed, tmp_path):
    project = build(tmp_path / "again", BEKASI_TOML)
    run_all(project)
    con = project.connect()
    try:
        first = con.execute("SELECT * FROM analysis_content_functions ORDER BY ALL").fetchall()
        assert is_current(project, con)
        con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, source) "
                    "VALUES ('tiktok', 'post', 'p8', 'post_function', 'P7', 'coder:ana')")
        assert not is_current(project, con)
        run_all(project, con)
        assert is_current(project, con)
        con.execute("DELETE FROM labels WHERE target_id = 'p8' AND scheme = 'post_function'")
        run_all(project, con)
        assert con.execute("SELECT * FROM analysis_content_functions ORDER BY ALL").fetchall() \
            == first
    finally:
        con.close()


def test_a_direct_reply_answers_a_question_deep_in_a_chain(tmp_path):
    # X-style chain: c16 asks in reply to c4 (itself a reply to c3); the candidate replies to
    # c16 directly, so the answer's thread (c16) differs from the question's (c4)
    project = build(tmp_path / "chain", BEKASI_TOML)
    con = project.connect()
    try:
        for cid, parent, author, handle, at in (
                ("c16", "c4", "wI", "warga_i", "2024-10-02 01:00"),
                ("c17", "c16", "t1", "heri_tt", "2024-10-02 01:45")):
            con.execute("INSERT INTO comments (platform, comment_id, post_id, parent_id, "
                        "author_id, author_handle, created_at, text) VALUES "
                        "('tiktok', ?, 'p1', ?, ?, ?, ?, 'teks')",
                        [cid, parent, author, handle, datetime.fromisoformat(at)])
        con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, source) "
                    "VALUES ('tiktok', 'comment', 'c16', 'question', 'question', 'model:t@1')")
        run_all(project, con)
        q = one(con, "SELECT * FROM analysis_questions WHERE comment_id = 'c16'")
        assert (q["answered"], q["answer_comment_id"], q["minutes_to_answer"]) == \
            (True, "c17", 45)
        r = one(con, "SELECT * FROM analysis_responsiveness WHERE candidate_id = 'pair-1' "
                     "AND platform = 'tiktok'")
        assert (r["questions"], r["answered"]) == (4, 2)
        assert r["median_minutes"] == pytest.approx(67.5)  # 90 (c1), 45 (c16)
    finally:
        con.close()


def test_a_reply_in_the_thread_answers_a_reply_question_only_when_addressed(tmp_path):
    # c5 asks inside c1's thread (TikTok hangs replies under the top-level comment); a later
    # reply by the candidate in that thread answers c5 only when it addresses @warga_c
    project = build(tmp_path / "addressed", BEKASI_TOML)
    con = project.connect()
    try:
        con.execute("INSERT INTO comments (platform, comment_id, post_id, parent_id, author_id, "
                    "author_handle, created_at, text) VALUES ('tiktok', 'c18', 'p1', 'c1', "
                    "'t1', 'heri_tt', TIMESTAMP '2024-10-01 17:00', '@Warga_C sudah kami "
                    "jadwalkan')")
        run_all(project, con)
        q = one(con, "SELECT * FROM analysis_questions WHERE comment_id = 'c5'")
        assert (q["answered"], q["answer_comment_id"], q["minutes_to_answer"]) == \
            (True, "c18", 60)
        c3 = one(con, "SELECT * FROM analysis_questions WHERE comment_id = 'c3'")
        assert not c3["answered"]  # a top-level question in another thread
    finally:
        con.close()
