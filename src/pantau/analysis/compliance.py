"""Compliance findings from the rules file, each with what Bawaslu asks for: who, what, when,
where (URL), the evidence text, the rule, and a note that it is a lead for human review.

- posts by candidate or official accounts in the quiet period, or outside the campaign;
- official accounts in pantau.toml that are not registered;
- more registered accounts per candidate and platform than the rules allow;
- posts and comments whose labels match a prohibited-content rule's flags (a flag is a label
  value, e.g. toxicity=hate, or a scheme, e.g. any sara label).
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from .base import CAMPAIGN_ROLES, PRIORITY, Context, quote

NOTE_ID = ("Petunjuk awal untuk ditinjau manusia, bukan putusan pelanggaran; periksa konteks "
           "dan bukti aslinya sebelum melapor.")
NOTE_EN = ("A lead for human review, not a verdict of a violation; check the context and the "
           "original evidence before reporting.")
PROFILE_URLS = {
    "tiktok": "https://www.tiktok.com/@{h}", "instagram": "https://www.instagram.com/{h}/",
    "facebook": "https://www.facebook.com/{h}", "x": "https://x.com/{h}",
    "youtube": "https://www.youtube.com/@{h}",
}
FINDING_COLUMNS = (
    "kind", "rule_id", "rule", "candidate_id", "platform", "target", "target_id", "who",
    "what_id", "what_en", "when_local", "url", "evidence", "label_source", "score",
)


def run(ctx: Context) -> None:
    parts = [_calendar_posts(ctx), _prohibited(ctx, "post"), _prohibited(ctx, "comment")]
    ctx.create("_findings_sql", " UNION ALL ".join(p for p in parts if p), temp=True)
    _append_account_findings(ctx)
    ctx.pseudonymise("_findings_sql", "who", "target = 'comment'")
    ctx.create("analysis_findings", f"""
        SELECT kind || '-' || row_number() OVER (PARTITION BY kind
                   ORDER BY when_local NULLS LAST, platform, target_id, rule_id) AS finding_id,
               *, {quote(NOTE_ID)} AS note_id, {quote(NOTE_EN)} AS note_en
        FROM _findings_sql
        ORDER BY kind, when_local NULLS LAST, platform, target_id
    """)


def _calendar_posts(ctx: Context) -> str:
    quiet = ctx.phase_id("quiet_period", "quiet_period")
    campaign = ctx.phase_id("campaign", "campaign")
    roles = ", ".join(quote(r) for r in CAMPAIGN_ROLES)
    names = {r["id"]: (r["name_id"], r["name_en"]) for r in ctx.phase_rows()
             if r["kind"] == "phase"}
    case_id = " ".join(f"WHEN {quote(k)} THEN {quote(v[0])}" for k, v in names.items())
    case_en = " ".join(f"WHEN {quote(k)} THEN {quote(v[1])}" for k, v in names.items())
    phase_id = f"CASE phase {case_id} ELSE 'di luar kalender aturan' END" if names else \
        "'di luar kalender aturan'"
    phase_en = f"CASE phase {case_en} ELSE 'outside the rules calendar' END" if names else \
        "'outside the rules calendar'"
    return f"""
        SELECT CASE WHEN phase = {quote(quiet)} THEN 'quiet_period_post'
                    ELSE 'outside_campaign_post' END AS kind,
               CASE WHEN phase = {quote(quiet)} THEN 'quiet_period'
                    ELSE 'campaign' END AS rule_id,
               CASE WHEN phase = {quote(quiet)} THEN {quote(ctx.rule_text("quiet_period"))}
                    ELSE {quote(ctx.rule_text("campaign"))} END AS rule,
               candidate_id, platform, 'post' AS target, post_id AS target_id,
               account AS who,
               'Unggahan akun berperan ' || role || ' pada: ' || {phase_id} AS what_id,
               'Post by an account with role ' || role || ' during: ' || {phase_en} AS what_en,
               created_local AS when_local, url, caption AS evidence,
               NULL::VARCHAR AS label_source, NULL::DOUBLE AS score
        FROM analysis_posts
        WHERE candidate_id IS NOT NULL AND role IN ({roles}) AND created_local IS NOT NULL
          AND phase IS DISTINCT FROM {quote(campaign)}
    """


def _prohibited(ctx: Context, target: str) -> str | None:
    rules = [r for r in ctx.rules.get("prohibited", []) if r.get("flags")]
    flags = sorted({f for r in rules for f in r["flags"]})
    if not flags:
        return None
    flag_list = ", ".join(quote(f) for f in flags)
    schemes = [r[0] for r in ctx.execute(
        f"""SELECT DISTINCT scheme FROM labels WHERE target = ?
            AND (scheme IN ({flag_list}) OR value IN ({flag_list}))""", [target]).fetchall()]
    if not schemes:
        return None
    name = f"_flagged_{target}"
    # Effective labels per scheme (a coder's 'none' overrides a model's 'hate'), then the
    # ones that raise a flag; only targets with some flagging label are resolved.
    scheme_list = ", ".join(quote(s) for s in schemes)
    ctx.create(name, f"""
        WITH hit AS (
            SELECT DISTINCT platform, target_id FROM labels
            WHERE target = {quote(target)} AND (value IN ({flag_list})
                  OR (scheme IN ({flag_list}) AND value IS NOT NULL
                      AND lower(value) NOT IN ('none', 'no', 'false', '0', '')))),
        l AS (SELECT * FROM labels SEMI JOIN hit USING (platform, target_id)
              WHERE target = {quote(target)} AND scheme IN ({scheme_list})),
        best AS (SELECT platform, target_id, scheme, arg_max(source, {PRIORITY}) AS source
                 FROM l GROUP BY ALL)
        SELECT l.platform, l.target_id, l.scheme, l.value, l.score, l.source, l.evidence,
               CASE WHEN l.value IN ({flag_list}) THEN l.value ELSE l.scheme END AS flag
        FROM l JOIN best USING (platform, target_id, scheme, source)
        WHERE l.value IN ({flag_list})
           OR (l.scheme IN ({flag_list}) AND l.value IS NOT NULL
               AND lower(l.value) NOT IN ('none', 'no', 'false', '0', ''))
    """, temp=True)
    ctx.con.register(f"_rule_flags_{target}", pa.table({
        "rule_id": pa.array([r["id"] for r in rules for _ in r["flags"]], pa.string()),
        "rule": pa.array([r.get("rule", r["id"]) for r in rules for _ in r["flags"]],
                         pa.string()),
        "flag": pa.array([f for r in rules for f in r["flags"]], pa.string()),
    }))
    ctx.create(f"_rule_flags_t_{target}", f"SELECT * FROM _rule_flags_{target}", temp=True)
    ctx.con.unregister(f"_rule_flags_{target}")
    # Label evidence is a JSON list of the words that fired: show them as plain words.
    words = ("CASE WHEN json_valid(f.evidence) AND json_type(f.evidence) = 'ARRAY' "
             "THEN array_to_string(from_json(f.evidence, '[\"VARCHAR\"]'), ', ') "
             "ELSE f.evidence END")
    hits = f"""
        SELECT f.platform, f.target_id, r.rule_id, any_value(r.rule) AS rule,
               string_agg(DISTINCT f.scheme || '=' || f.value, ', ') AS labels,
               string_agg(DISTINCT {words}, ', ') AS label_evidence,
               max(f.score) AS score, string_agg(DISTINCT f.source, ', ') AS label_source
        FROM {name} f JOIN _rule_flags_t_{target} r USING (flag)
        GROUP BY ALL"""
    evidence = ("left(t.text, 500) || CASE WHEN h.label_evidence IS NOT NULL "
                "THEN ' [' || h.label_evidence || ']' ELSE '' END")
    if target == "post":
        return f"""
            SELECT 'prohibited_content_post' AS kind, h.rule_id, h.rule, p.candidate_id,
                   h.platform, 'post' AS target, h.target_id, p.account AS who,
                   'Unggahan dengan label ' || h.labels AS what_id,
                   'Post labelled ' || h.labels AS what_en,
                   p.created_local AS when_local, p.url, {evidence} AS evidence,
                   h.label_source, h.score
            FROM ({hits}) h
            JOIN posts t ON t.platform = h.platform AND t.post_id = h.target_id
            LEFT JOIN analysis_posts p ON p.platform = h.platform AND p.post_id = h.target_id
        """
    return f"""
        SELECT 'prohibited_content_comment' AS kind, h.rule_id, h.rule, p.candidate_id,
               h.platform, 'comment' AS target, h.target_id, t.author_handle AS who,
               'Komentar dengan label ' || h.labels || ' pada unggahan ' || t.post_id AS what_id,
               'Comment labelled ' || h.labels || ' under post ' || t.post_id AS what_en,
               {ctx.local("t.created_at")} AS when_local, p.url, {evidence} AS evidence,
               h.label_source, h.score
        FROM ({hits}) h
        JOIN comments t ON t.platform = h.platform AND t.comment_id = h.target_id
        LEFT JOIN analysis_posts p ON p.platform = t.platform AND p.post_id = t.post_id
    """


def _append_account_findings(ctx: Context) -> None:
    config = ctx.project.config
    accounts_rules = ctx.rules.get("accounts", {})
    rule = str(accounts_rules.get("rule", "accounts"))
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
                    rule=rule, candidate_id=candidate, platform=platform, target="account",
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
