"""Compliance leads from the rules file, each with what Bawaslu asks for: who, what, when,
where (URL), the evidence text, the rule and its legal basis, and a note that it is a lead for
human review.

Campaign rules bind campaigners, i.e. accounts linked to a candidate whose role the rules file
lists in `accounts.binds_roles` (Keputusan KPU 1363/2024 binds pairs, parties and campaign
teams, so volunteers and parties are checked too):

- posts in the quiet period (after the accounts should have been deactivated);
- posts in the phases `campaign.check_phases` (before the campaign, voting day): campaigning
  outside the schedule. Posts before the calendar starts (before penetapan: nobody was a
  candidate yet) fall in no phase and are never leads;
- adverts (`posts.is_ad`) outside the rules' ad window, with the rules' note on ambiguity;
- posts, and comments/replies written by the candidate's side, whose labels match a
  prohibited-content rule's flags (a flag is a label value, e.g. toxicity=hate, a scheme, e.g.
  any sara label, or a codebook code, e.g. post_flags=money_or_goods);
- official accounts in pantau.toml that are not registered, and more registered accounts per
  candidate and platform than the rules allow.

Comments and replies by the public are a different lead (`public_hate_speech`): hate speech /
SARA under UU ITE Pasal 28(2) (as amended by UU 1/2024), for referral, never "a candidate broke
the campaign rules". A reply is counted once: X replies are stored both as their author's post
and as a comment; the post copy is only a lead when its author is a campaigner, the comment
copy only when the post copy is not.

Every lead has a stable `lead_key` (a hash of kind, rule, platform, target and id) that the
observer's reviews (table lead_reviews, pantau leads ...) refer to across re-runs.
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from .base import PRIORITY, Context, quote

NOTE_ID = ("Petunjuk awal untuk ditinjau manusia, bukan putusan pelanggaran; periksa konteks "
           "dan bukti aslinya sebelum melapor.")
NOTE_EN = ("A lead for human review, not a verdict of a violation; check the context and the "
           "original evidence before reporting.")
PROFILE_URLS = {
    "tiktok": "https://www.tiktok.com/@{h}", "instagram": "https://www.instagram.com/{h}/",
    "facebook": "https://www.facebook.com/{h}", "x": "https://x.com/{h}",
    "youtube": "https://www.youtube.com/@{h}",
}
# Every kind of lead, in the order the report and the web app show them.
KINDS = ("quiet_period_post", "outside_campaign_post", "ad_outside_window",
         "unregistered_official_account", "account_limit_exceeded", "prohibited_content_post",
         "prohibited_content_comment", "public_hate_speech")
FINDING_COLUMNS = (
    "kind", "rule_id", "rule", "rule_en", "legal_basis", "candidate_id", "platform", "target",
    "target_id", "who", "what_id", "what_en", "when_local", "url", "evidence", "label_source",
    "score",
)
NEGATIVE = "('none', 'no', 'false', '0', '')"
# Account roles in Indonesian, for the Indonesian description of a lead.
ROLE_ID = ("CASE role WHEN 'official' THEN 'resmi' WHEN 'candidate' THEN 'kandidat' "
           "WHEN 'party' THEN 'partai' WHEN 'volunteer' THEN 'relawan' WHEN 'media' THEN 'media' "
           "ELSE 'lainnya' END")


def run(ctx: Context) -> None:
    parts = [_calendar_posts(ctx), _ads(ctx), *_prohibited(ctx), _public_comments(ctx)]
    ctx.create("_findings_sql", " UNION ALL ".join(p for p in parts if p), temp=True)
    _append_account_findings(ctx)
    ctx.pseudonymise("_findings_sql", "who", "kind = 'public_hate_speech'")
    ctx.create("analysis_findings", f"""
        SELECT kind || '-' || row_number() OVER (PARTITION BY kind
                   ORDER BY when_local NULLS LAST, platform, target_id, rule_id) AS finding_id,
               left(md5(concat_ws('|', kind, rule_id, platform, target,
                                  coalesce(target_id, candidate_id, ''))), 16) AS lead_key,
               *, {quote(NOTE_ID)} AS note_id, {quote(NOTE_EN)} AS note_en
        FROM _findings_sql
        ORDER BY kind, when_local NULLS LAST, platform, target_id
    """)


def _section(ctx: Context, name: str) -> dict:
    return dict(ctx.rules.get(name, {}))


def _texts(section: dict, default: str) -> tuple[str, str, str]:
    rule = str(section.get("rule", default))
    return rule, str(section.get("rule_en", rule)), str(section.get("legal_basis", ""))


def _bound(ctx: Context, alias: str = "") -> str:
    """SQL: the post's account is a campaigner (linked to a candidate, with a bound role)."""
    prefix = f"{alias}." if alias else ""
    roles = ", ".join(quote(r) for r in ctx.bound_roles())
    return f"{prefix}candidate_id IS NOT NULL AND {prefix}role IN ({roles})"


def _phase_names(ctx: Context) -> tuple[str, str]:
    names = {r["id"]: (r["name_id"], r["name_en"]) for r in ctx.phase_rows()
             if r["kind"] == "phase"}
    if not names:
        return "'di luar kalender aturan'", "'outside the rules calendar'"
    case_id = " ".join(f"WHEN {quote(k)} THEN {quote(v[0])}" for k, v in names.items())
    case_en = " ".join(f"WHEN {quote(k)} THEN {quote(v[1])}" for k, v in names.items())
    return (f"CASE phase {case_id} ELSE 'di luar kalender aturan' END",
            f"CASE phase {case_en} ELSE 'outside the rules calendar' END")


def _calendar_posts(ctx: Context) -> str:
    quiet = ctx.phase_id("quiet_period", "quiet_period")
    campaign = _section(ctx, "campaign")
    check = [str(p) for p in campaign.get("check_phases", ["before_campaign", "voting_day"])]
    q_rule, q_en, q_basis = _texts(_section(ctx, "quiet_period"), "quiet_period")
    c_rule, c_en, c_basis = _texts(campaign, "campaign")
    phase_id, phase_en = _phase_names(ctx)
    checked = ", ".join(quote(p) for p in [quiet, *check])
    is_quiet = f"phase = {quote(quiet)}"
    return f"""
        SELECT CASE WHEN {is_quiet} THEN 'quiet_period_post' ELSE 'outside_campaign_post' END
                   AS kind,
               CASE WHEN {is_quiet} THEN 'quiet_period' ELSE 'outside_schedule' END AS rule_id,
               CASE WHEN {is_quiet} THEN {quote(q_rule)} ELSE {quote(c_rule)} END AS rule,
               CASE WHEN {is_quiet} THEN {quote(q_en)} ELSE {quote(c_en)} END AS rule_en,
               CASE WHEN {is_quiet} THEN {quote(q_basis)} ELSE {quote(c_basis)} END
                   AS legal_basis,
               candidate_id, platform, 'post' AS target, post_id AS target_id,
               account AS who,
               'Unggahan akun berperan ' || {ROLE_ID} || ' pada: ' || {phase_id} AS what_id,
               'Post by an account with role ' || role || ' during: ' || {phase_en} AS what_en,
               created_local AS when_local, url, caption AS evidence,
               NULL::VARCHAR AS label_source, NULL::DOUBLE AS score
        FROM analysis_posts
        WHERE {_bound(ctx)} AND created_local IS NOT NULL AND phase IN ({checked})
    """


def _ads(ctx: Context) -> str | None:
    ads = _section(ctx, "ads")
    window = next((r for r in ctx.phase_rows()
                   if r["kind"] == "window" and r["id"] == ads.get("window")), None)
    if not ads or window is None:
        return None
    rule, rule_en, basis = _texts(ads, "ads")
    start, end = window["start_local"], window["end_local"]
    note_id = str(ads.get("ambiguity_id", ""))
    note_en = str(ads.get("ambiguity_en", note_id))
    return f"""
        SELECT 'ad_outside_window' AS kind, 'ads_window' AS rule_id, {quote(rule)} AS rule,
               {quote(rule_en)} AS rule_en, {quote(basis)} AS legal_basis,
               candidate_id, platform, 'post' AS target, post_id AS target_id, account AS who,
               {quote("Iklan (is_ad) di luar masa iklan. " + note_id)} AS what_id,
               {quote("Advert (is_ad) outside the ad window. " + note_en)} AS what_en,
               created_local AS when_local, url, caption AS evidence,
               NULL::VARCHAR AS label_source, NULL::DOUBLE AS score
        FROM analysis_posts
        WHERE {_bound(ctx)} AND coalesce(is_ad, false) AND created_local IS NOT NULL
          AND NOT (created_local >= TIMESTAMP '{start}' AND created_local < TIMESTAMP '{end}')
    """


def _flagged(ctx: Context, target: str, rules: list[tuple[str, str, str, str, list[str]]],
             suffix: str) -> str | None:
    """SQL of (platform, target_id, rule_id, rule, rule_en, legal_basis, labels,
    label_evidence, score, label_source) for targets whose effective labels raise a flag of one
    of `rules` (id, rule, rule_en, legal_basis, flags); None when no label can."""
    flags = sorted({f for r in rules for f in r[4]})
    if not flags:
        return None
    flag_list = ", ".join(quote(f) for f in flags)
    schemes = [r[0] for r in ctx.execute(
        f"""SELECT DISTINCT scheme FROM labels WHERE target = ?
            AND (scheme IN ({flag_list}) OR value IN ({flag_list}))""", [target]).fetchall()]
    if not schemes:
        return None
    name = f"_flagged_{target}_{suffix}"
    # Effective labels per scheme (a coder's 'none' overrides a model's 'hate'), then the
    # ones that raise a flag; only targets with some flagging label are resolved.
    scheme_list = ", ".join(quote(s) for s in schemes)
    ctx.create(name, f"""
        WITH hit AS (
            SELECT DISTINCT platform, target_id FROM labels
            WHERE target = {quote(target)} AND (value IN ({flag_list})
                  OR (scheme IN ({flag_list}) AND value IS NOT NULL
                      AND lower(value) NOT IN {NEGATIVE}))),
        l AS (SELECT * FROM labels SEMI JOIN hit USING (platform, target_id)
              WHERE target = {quote(target)} AND scheme IN ({scheme_list})),
        best AS (SELECT platform, target_id, scheme, arg_max(source, {PRIORITY}) AS source
                 FROM l GROUP BY ALL)
        SELECT l.platform, l.target_id, l.scheme, l.value, l.score, l.source, l.evidence,
               CASE WHEN l.value IN ({flag_list}) THEN l.value ELSE l.scheme END AS flag
        FROM l JOIN best USING (platform, target_id, scheme, source)
        WHERE l.value IN ({flag_list})
           OR (l.scheme IN ({flag_list}) AND l.value IS NOT NULL
               AND lower(l.value) NOT IN {NEGATIVE})
    """, temp=True)
    table = f"_rule_flags_{target}_{suffix}"
    rows = [(r, f) for r in rules for f in r[4]]
    ctx.con.register("_rule_flags_arrow", pa.table({
        "rule_id": pa.array([r[0] for r, _ in rows], pa.string()),
        "rule": pa.array([r[1] for r, _ in rows], pa.string()),
        "rule_en": pa.array([r[2] for r, _ in rows], pa.string()),
        "legal_basis": pa.array([r[3] for r, _ in rows], pa.string()),
        "flag": pa.array([f for _, f in rows], pa.string()),
    }))
    ctx.create(table, "SELECT * FROM _rule_flags_arrow", temp=True)
    ctx.con.unregister("_rule_flags_arrow")
    # Label evidence is a JSON list of the words that fired: show them as plain words.
    words = ("CASE WHEN json_valid(f.evidence) AND json_type(f.evidence) = 'ARRAY' "
             "THEN array_to_string(from_json(f.evidence, '[\"VARCHAR\"]'), ', ') "
             "ELSE f.evidence END")
    return f"""
        SELECT f.platform, f.target_id, r.rule_id, any_value(r.rule) AS rule,
               any_value(r.rule_en) AS rule_en, any_value(r.legal_basis) AS legal_basis,
               string_agg(DISTINCT f.scheme || '=' || f.value, ', ') AS labels,
               string_agg(DISTINCT {words}, ', ') AS label_evidence,
               max(f.score) AS score, string_agg(DISTINCT f.source, ', ') AS label_source
        FROM {name} f JOIN {table} r USING (flag)
        GROUP BY ALL"""


EVIDENCE = ("left(t.text, 500) || CASE WHEN h.label_evidence IS NOT NULL "
            "THEN ' [' || h.label_evidence || ']' ELSE '' END")


def _prohibited(ctx: Context) -> list[str]:
    """Campaigners' posts, and comments/replies by the candidate's side that are not also
    stored as a post (X replies are both), matching a prohibited-content rule."""
    rules = [(str(r["id"]), str(r.get("rule", r["id"])), str(r.get("rule_en", r.get("rule", ""))),
              str(r.get("legal_basis", "")), list(r.get("flags", [])))
             for r in ctx.rules.get("prohibited", []) if r.get("flags")]
    out = []
    posts = _flagged(ctx, "post", rules, "campaign")
    if posts:
        out.append(f"""
            SELECT 'prohibited_content_post' AS kind, h.rule_id, h.rule, h.rule_en,
                   h.legal_basis, p.candidate_id, h.platform, 'post' AS target, h.target_id,
                   p.account AS who,
                   'Unggahan akun kampanye dengan label ' || h.labels AS what_id,
                   'Campaign account post labelled ' || h.labels AS what_en,
                   p.created_local AS when_local, p.url, {EVIDENCE} AS evidence,
                   h.label_source, h.score
            FROM ({posts}) h
            JOIN posts t ON t.platform = h.platform AND t.post_id = h.target_id
            JOIN analysis_posts p ON p.platform = h.platform AND p.post_id = h.target_id
            WHERE {_bound(ctx, "p")}
        """)
    comments = _flagged(ctx, "comment", rules, "campaign")
    if comments:
        out.append(f"""
            SELECT 'prohibited_content_comment' AS kind, h.rule_id, h.rule, h.rule_en,
                   h.legal_basis, ac.candidate_id, h.platform, 'comment' AS target,
                   h.target_id, t.author_handle AS who,
                   'Komentar/balasan pihak kandidat dengan label ' || h.labels
                       || ' pada unggahan ' || t.post_id AS what_id,
                   'Comment/reply by the candidate''s side labelled ' || h.labels
                       || ' under post ' || t.post_id AS what_en,
                   ac.created_local AS when_local, p.url, {EVIDENCE} AS evidence,
                   h.label_source, h.score
            FROM ({comments}) h
            JOIN analysis_comments ac ON ac.platform = h.platform AND ac.comment_id = h.target_id
            JOIN comments t ON t.platform = h.platform AND t.comment_id = h.target_id
            LEFT JOIN analysis_posts p ON p.platform = t.platform AND p.post_id = t.post_id
            WHERE ac.by_candidate
              AND NOT EXISTS (SELECT 1 FROM posts x WHERE x.platform = h.platform
                                                      AND x.post_id = h.target_id)
        """)
    return out


def _public_comments(ctx: Context) -> str | None:
    """Comments and replies by the public (not the candidate's side) with hate/SARA labels:
    a lead for referral under UU ITE, not a campaign violation. An X reply stored as a post too
    is counted here once, as a comment, unless its author is a campaigner."""
    public = _section(ctx, "public_comments")
    if not public.get("flags"):
        return None
    rule, rule_en, basis = _texts(public, "public_comments")
    hits = _flagged(ctx, "comment", [("public_hate_speech", rule, rule_en, basis,
                                      list(public["flags"]))], "public")
    if not hits:
        return None
    return f"""
        SELECT 'public_hate_speech' AS kind, h.rule_id, h.rule, h.rule_en, h.legal_basis,
               ac.candidate_id, h.platform, 'comment' AS target, h.target_id,
               t.author_handle AS who,
               'Komentar warganet dengan label ' || h.labels || ' pada unggahan ' || t.post_id
                   || ' (untuk dirujuk; bukan pelanggaran kampanye)' AS what_id,
               'Public comment labelled ' || h.labels || ' under post ' || t.post_id
                   || ' (for referral; not a campaign violation)' AS what_en,
               {ctx.local("t.created_at")} AS when_local, p.url, {EVIDENCE} AS evidence,
               h.label_source, h.score
        FROM ({hits}) h
        JOIN comments t ON t.platform = h.platform AND t.comment_id = h.target_id
        LEFT JOIN analysis_comments ac ON ac.platform = h.platform
                                      AND ac.comment_id = h.target_id
        LEFT JOIN analysis_posts p ON p.platform = t.platform AND p.post_id = t.post_id
        LEFT JOIN analysis_posts own ON own.platform = h.platform AND own.post_id = h.target_id
        WHERE NOT coalesce(ac.by_candidate, false)
          AND NOT coalesce({_bound(ctx, "own")}, false)
    """


def _append_account_findings(ctx: Context) -> None:
    config = ctx.project.config
    accounts_rules = ctx.rules.get("accounts", {})
    rule, rule_en, basis = _texts(accounts_rules, "accounts")
    limit = accounts_rules.get("max_per_platform")
    seen = {
        (r[0], r[1]): r[2:] for r in ctx.execute(
            """SELECT a.platform, lower(a.handle), a.account_id, min(p.created_local),
                      count(p.post_id)
               FROM accounts a LEFT JOIN analysis_posts p
                 ON p.platform = a.platform AND p.account_id = a.account_id
               WHERE a.candidate_id IS NOT NULL AND a.handle IS NOT NULL GROUP BY ALL"""
        ).fetchall()
    }
    rows: list[dict] = []
    for a in config.accounts:
        if a.role != "official" or a.registered:
            continue
        handle = a.handle or a.id or ""
        found = seen.get((a.platform, a.handle_key or ""))
        posts = found[2] if found else 0
        rows.append(_row(
            kind="unregistered_official_account", rule_id="accounts_registered", rule=rule,
            rule_en=rule_en, legal_basis=basis,
            candidate_id=a.candidate, platform=a.platform, target="account",
            target_id=(found[0] if found else None) or handle, who=handle,
            what_id="Akun berperan resmi (official) yang tidak tercatat terdaftar di KPU",
            what_en="Account with the official role that is not recorded as registered with "
                    "the KPU",
            when_local=found[1] if found else None,
            url=PROFILE_URLS[a.platform].format(h=handle.lstrip("@")) if a.handle else None,
            evidence=f"pantau.toml: role = official, registered = false; posts = {posts}",
        ))
    names = {c.id: c.name for c in config.candidates}
    if limit is not None:
        counts: dict[tuple[str | None, str], list[str]] = {}
        for a in config.accounts:
            if a.registered:
                counts.setdefault((a.candidate, a.platform), []).append(a.handle or a.id or "")
        for (candidate, platform), handles in sorted(counts.items(),
                                                     key=lambda kv: (str(kv[0][0]), kv[0][1])):
            if len(handles) > int(limit):
                rows.append(_row(
                    kind="account_limit_exceeded", rule_id="accounts_max_per_platform",
                    rule=rule, rule_en=rule_en, legal_basis=basis, candidate_id=candidate,
                    platform=platform, target="account",
                    target_id=None, who=names.get(candidate or "", candidate),
                    what_id=f"{len(handles)} akun terdaftar di {platform}, batasnya {limit}",
                    what_en=f"{len(handles)} registered accounts on {platform}; the limit is "
                            f"{limit}",
                    when_local=None, url=None, evidence=", ".join(handles)))
    if rows:
        types = {"when_local": pa.timestamp("us"), "score": pa.float64()}
        ctx.con.register("_account_findings", pa.table({
            c: pa.array([r[c] for r in rows], types.get(c, pa.string()))
            for c in FINDING_COLUMNS}))
        ctx.execute("INSERT INTO _findings_sql SELECT * FROM _account_findings")
        ctx.con.unregister("_account_findings")


def _row(**values) -> dict:
    values.setdefault("label_source", None)
    values.setdefault("score", None)
    when = values.get("when_local")
    if when is not None and not isinstance(when, datetime):
        values["when_local"] = None
    return {c: values.get(c) for c in FINDING_COLUMNS}
