"""Collects what the report shows from the analysis_* tables: figures (rendered to SVG), tables
and the generated sentences, section by section. The template only lays them out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from .. import __version__
from ..analysis.base import platform_name
from ..analysis.validation import METHOD_REFERENCES
from ..records import MEDIA_TYPES
from . import charts, coordination, narrative
from . import fmt as F
from . import media as media_section
from .charts import SENTIMENT_COLORS, Palette
from .i18n import CODEBOOK, LIMITATIONS, REFERENCES, t
from .validation import Validation

SECTIONS = ("summary", "data_method", "profiles", "platforms", "content", "audience",
            "responsiveness", "youth", "timeline", "compliance", "media", "coordination",
            "appendix")
FINDINGS_PER_KIND = 25
UNANSWERED_PER_CANDIDATE = 10
SYNTHETIC_MARKERS = ("SINTETIS", "SYNTHETIC")


@dataclass
class Figure:
    ident: str
    number: int
    title: str
    source: str
    chart: Any
    slug: str
    svg: str = ""


@dataclass
class TableRef:
    ident: str
    number: int
    title: str
    source: str


@dataclass
class Report:
    lang: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[TableRef] = field(default_factory=list)
    ctx: dict[str, Any] = field(default_factory=dict)
    validation: Any = None  # report.validation.Validation: measured accuracy of the models

    def figure(self, slug: str, chart, title: str, source: str) -> Figure:
        if self.validation is not None:  # "not validated" on figures resting on such a model
            title += self.validation.mark(slug, self.lang) or \
                self.validation.mark(source, self.lang)
        n = len(self.figures) + 1
        fig = Figure(f"fig-{n}", n, title, source, chart, slug)
        fig.svg = charts.to_svg(chart, fig.ident, self.lang)
        self.figures.append(fig)
        return fig

    def table(self, title: str, source: str) -> TableRef:
        n = len(self.tables) + 1
        ref = TableRef(f"tab-{n}", n, title, source)
        self.tables.append(ref)
        return ref


def is_synthetic(con, election_name: str) -> bool:
    if any(m in (election_name or "").upper() for m in SYNTHETIC_MARKERS):
        return True
    row = con.execute("SELECT value FROM meta WHERE key = 'synthetic'").fetchone()
    return bool(row) and str(row[0]).strip().lower() in ("true", "1", "yes")


MENTION = re.compile(r"@([A-Za-z0-9_.]{2,30})")


def mention_masker(con):
    """Texts shown in the report keep their words but not the handles of ordinary people
    they mention: @handle becomes @warga-... unless it is a candidate's linked account (a text
    the analysis already masked stays as it is)."""
    from .. import privacy

    return privacy.Masker.for_store(con).text


def frame(con, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def has_labels(con, *schemes: str) -> bool:
    marks = ", ".join(f"'{s}'" for s in schemes)
    return bool(con.execute(
        f"SELECT count(*) FROM analysis_label_sources WHERE scheme IN ({marks})").fetchone()[0])


def palette_for(con, project) -> Palette:
    colors = project.candidate_colors()
    rows = con.execute("""SELECT candidate_id, ballot_number, name FROM candidates
                          ORDER BY ballot_number NULLS LAST, candidate_id""").fetchall()
    labels = {}
    for cid, ballot, name in rows:
        labels[cid] = f"{ballot}. {name}" if ballot is not None else name
    return Palette(labels=labels, colors={c: colors.get(c, "#777777") for c in labels})


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [] if df is None or df.empty else df.to_dict("records")


def build(project, con, lang: str) -> Report:
    report = Report(lang)
    palette = palette_for(con, project)
    config = project.config
    election = config.election.name
    run = con.execute("SELECT * FROM analysis_runs").dicts()[0]
    report.ctx.update(
        project=project, lang=lang, mask=mention_masker(con),
        t=lambda key, **kw: t(lang, key, **kw), F=F, election=election,
        synthetic=is_synthetic(con, election), sections=SECTIONS, palette=palette,
        generated=t(lang, "generated", version=__version__,
                    when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    tz=config.election.timezone),
        rules_name=str(project.rules.get("name", config.election.rules)), run=run,
    )
    data = _load(con)
    report.ctx["data"] = data
    report.validation = Validation(con, config.validation.min_precision)
    _data_method(report, con, data)
    _profiles(report, con, project, palette, data)
    _platforms(report, con, palette, data)
    _content(report, con, palette, data)
    _audience(report, con, palette, data)
    _responsiveness(report, con, palette, data)
    _youth(report, palette, data)
    _timeline(report, con, palette, data)
    _compliance(report, con, palette)
    media_section.section(report, con, palette)
    coordination.section(report, con, palette)
    _appendix(report, con, data)
    labels = _variable_labels(project, lang)
    report.ctx["validation"] = report.validation.section(report, palette, labels)
    report.ctx["claims"] = report.validation.summary(
        narrative.summary(report, data, palette, lang), lang, palette, labels,
        report.ctx["validation"].get("ref"))
    report.ctx["figures"] = report.figures
    return report


def _load(con) -> dict[str, pd.DataFrame]:
    names = ("activity", "engagement", "tests", "pairwise", "content_functions",
             "content_topics", "hashtags", "comment_volume", "sentiment", "comment_categories",
             "frequent_comments", "terms", "responsiveness", "youth", "timeline", "calendar",
             "coverage", "label_sources", "reliability", "model_agreement", "growth",
             "posting_times", "top_posts")
    return {n: frame(con, f"SELECT * FROM analysis_{n}") for n in names}


# -- sections -----------------------------------------------------------------------------

def _data_method(report: Report, con, data) -> None:
    lang = report.lang
    imports = frame(con, """SELECT path, format, status, records, posts, comments, rejected,
                                   finished_at FROM imports ORDER BY import_id""")
    sources = data["label_sources"]
    agreement = data["model_agreement"]
    models = []
    for r in records(sources):
        acc = agreement[(agreement["scheme"] == r["scheme"]) & (agreement["target"] ==
                        r["target"]) & (agreement["source"] == r["source"])] \
            if not agreement.empty else agreement
        models.append({**r, "accuracy": None if acc is None or acc.empty else
                       acc.iloc[0]["accuracy"],
                       "accuracy_n": None if acc is None or acc.empty else acc.iloc[0]["units"],
                       "validated": report.validation.model_accuracy(
                           r["scheme"], r["target"], r["source"], lang)
                       if report.validation is not None else None,
                       "card": _model_card(r["source"])})
    report.ctx["method"] = {
        "imports": records(imports), "imports_ref": report.table(t(lang, "sources"), "imports"),
        "coverage": records(data["coverage"]),
        "coverage_ref": report.table(t(lang, "coverage"), "analysis_coverage"),
        "models": models, "models_ref": report.table(t(lang, "models"),
                                                     "analysis_label_sources"),
        "codebook": _codebook(report.ctx.get("project"), lang),
        "reliability": records(data["reliability"]),
        "limitations": LIMITATIONS[lang],
        "references": [*REFERENCES, *(r for r in METHOD_REFERENCES if r not in REFERENCES)],
    }


def _variable_labels(project, lang: str) -> dict[str, dict[str, str]]:
    """{scheme: {code: label in the report's language}} from the codebook in force."""
    try:
        from ..models.codebook import load

        book = load(project)
    except Exception:  # noqa: BLE001 - codes stand in for labels
        return {}
    return {name: {v.code: (v.label_id if lang == "id" else v.label_en) for v in var.values}
            for name, var in book.variables.items()}


def _codebook(project, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The codebook in force (the project's own or the shipped one), plus the comment
    categories; the built-in summary when the codebook cannot be read."""
    out = {k: [(code, v[0 if lang == "id" else 1]) for code, v in d.items()]
           for k, d in CODEBOOK.items()}
    try:
        from ..models.codebook import load

        book = load(project)
    except Exception:  # noqa: BLE001 - the built-in summary is a fine fallback
        return out
    for name, var in book.variables.items():
        items = []
        for v in var.values:
            label = v.label_id if lang == "id" else v.label_en
            desc = v.description_id if lang == "id" else v.description_en
            items.append((v.code, f"{label} — {desc}" if desc else label))
        out[name] = items
    return out


def _model_card(source: str) -> str | None:
    """Measured scores from the model's own card, when the models package ships one."""
    match = re.match(r"model:([^@]+)@(.+)", source or "")
    if not match:
        return None
    from ..models import model_card_summary

    try:
        return model_card_summary(match.group(1), match.group(2))
    except Exception:  # noqa: BLE001 - a card is optional context, never a reason to fail
        return None


def _profiles(report: Report, con, project, palette: Palette, data) -> None:
    lang = report.lang
    accounts = frame(con, """
        SELECT a.candidate_id, a.platform, a.handle, a.role, a.registered, a.followers,
               count(p.post_id) AS posts
        FROM accounts a LEFT JOIN analysis_posts p
          ON p.platform = a.platform AND p.account_id = a.account_id
        WHERE a.candidate_id IS NOT NULL GROUP BY ALL ORDER BY a.platform, a.handle""")
    activity, engagement = data["activity"], data["engagement"]
    times, top = data["posting_times"], data["top_posts"]
    profiles = []
    for c in sorted(project.config.candidates,
                    key=lambda c: (c.ballot_number is None, c.ballot_number or 0, c.id)):
        act = activity[activity["candidate_id"] == c.id] if not activity.empty else activity
        per_platform = []
        if not act.empty:
            for platform, sub in act.groupby("platform"):
                eng = engagement[(engagement["candidate_id"] == c.id)
                                 & (engagement["platform"] == platform)]
                metric = {m: eng[eng["metric"] == m].iloc[0].to_dict()
                          for m in ("interactions", "er_view", "er_follower", "views")
                          if not eng[eng["metric"] == m].empty}
                per_platform.append({
                    "platform": platform, "posts": int(sub["posts"].sum()),
                    "posts_per_week": float(sub["posts_per_week"].sum()),
                    "followers": sub["followers"].sum(min_count=1),
                    "roles": ", ".join(sorted(sub["role"].astype(str))),
                    "metrics": metric,
                })
        fig = None
        cand_times = times[times["candidate_id"] == c.id] if not times.empty else times
        if not cand_times.empty:
            fig = report.figure(f"posting-hours-{c.id}", charts.posting_hours_chart(
                cand_times, lang), f"{t(lang, 'posting_hours')} — {palette.label(c.id)}",
                "analysis_posting_times")
        cand_top = top[top["candidate_id"] == c.id].sort_values(
            "interactions", ascending=False).head(3) if not top.empty else top
        profiles.append({
            "id": c.id, "label": palette.label(c.id), "color": palette.colors.get(c.id),
            "name": c.name, "running_mate": c.running_mate, "parties": ", ".join(c.parties),
            "ballot": c.ballot_number,
            "accounts": records(accounts[accounts["candidate_id"] == c.id]),
            "platforms": per_platform, "hours": fig, "top": records(cand_top),
        })
    report.ctx["profiles"] = profiles


def _platforms(report: Report, con, palette: Palette, data) -> None:
    lang = report.lang
    activity, engagement = data["activity"], data["engagement"]
    ctx: dict[str, Any] = {}
    if not activity.empty and activity["posts"].sum() > 0:
        ctx["ppw"] = report.figure("posts-per-week", charts.posts_per_week_chart(
            activity, palette, lang), t(lang, "posts_per_week"), "analysis_activity")
        ctx["mix"] = report.figure("media-mix", charts.media_mix_chart(
            activity, palette, lang, MEDIA_TYPES), t(lang, "media_mix"), "analysis_activity")
    for metric in ("er_view", "er_follower", "interactions"):
        if not engagement.empty and engagement[(engagement["metric"] == metric)
                                               & engagement["n"].gt(0)].shape[0]:
            ctx[metric] = report.figure(
                f"engagement-{metric}", charts.median_iqr_chart(engagement, metric, palette,
                                                                lang),
                f"{t(lang, metric)} — {t(lang, 'median_iqr')}", "analysis_engagement")
    rows = []
    if not engagement.empty:
        for (cid, platform), sub in engagement.groupby(["candidate_id", "platform"]):
            m = {r["metric"]: r for r in sub.to_dict("records")}
            rows.append({"candidate": palette.label(cid), "candidate_id": cid,
                         "platform": platform, "m": m})
        rows.sort(key=lambda r: (list(palette.labels).index(r["candidate_id"])
                                 if r["candidate_id"] in palette.labels else 99, r["platform"]))
    ctx["engagement_rows"] = rows
    ctx["engagement_ref"] = report.table(t(lang, "interactions"), "analysis_engagement")
    growth = data["growth"]
    if growth.empty:
        ctx["growth_text"] = t(lang, "growth_none")
    else:
        ctx["growth_text"] = t(lang, "growth_text", n=F.num(len(growth), lang),
                               likes=F.smart(growth["likes_per_day"].median(), lang),
                               views=F.smart(growth["views_per_day"].median(), lang))
    tests = data["tests"]

    def test_label(r) -> str:
        scope = r["scope"]
        scope = (t(lang, "all") if scope == "all" else palette.label(scope)
                 if r["comparison"] == "platform" else platform_name(scope))
        return f"{t(lang, 'between_' + r['comparison'])} · {scope} · {t(lang, r['metric'])}"

    from ..analysis.stats import MIN_GROUP

    ctx["tests"] = [{**r, "label": test_label(r)} for r in records(tests)]
    ctx["min_group"] = MIN_GROUP
    ctx["n_tests"] = len(tests) + len(data["pairwise"])
    ctx["tests_ref"] = report.table(t(lang, "tests"), "analysis_tests")
    pairwise = data["pairwise"]
    ctx["pairwise"] = [
        {**r, "label": test_label(r)} for r in records(pairwise.sort_values(
            ["significant", "p_holm"], ascending=[False, True]).head(40))]
    ctx["pairwise_total"] = len(pairwise)
    report.ctx["platforms"] = ctx


def _content(report: Report, con, palette: Palette, data) -> None:
    lang = report.lang
    ctx: dict[str, Any] = {"has_functions": has_labels(con, "post_function"),
                           "has_topics": has_labels(con, "topic")}
    functions = data["content_functions"]
    if not functions.empty:
        per_cand = functions[functions["candidate_id"].notna()]
        ctx["function_share"] = report.figure(
            "post-functions", charts.share_chart(per_cand, "function", "posts", palette, lang,
                                                 t(lang, "function")),
            f"{t(lang, 'function')} — {t(lang, 'share')}", "analysis_content_functions")
        if per_cand["n_interactions"].gt(0).any():
            ctx["function_engagement"] = report.figure(
                "function-engagement", charts.function_engagement_chart(functions, palette,
                                                                        lang),
                t(lang, "function_engagement"), "analysis_content_functions")
        ctx["functions_pooled"] = records(functions[functions["candidate_id"].isna()])
        ctx["functions_ref"] = report.table(t(lang, "function_engagement"),
                                            "analysis_content_functions")
    topics = data["content_topics"]
    if not topics.empty and topics["candidate_id"].notna().any():
        ctx["topics"] = report.figure("topics", charts.topic_chart(topics, palette, lang),
                                      t(lang, "topic"), "analysis_content_topics")
    hashtags = data["hashtags"]
    ctx["post_hashtags"] = _top_by_candidate(hashtags[hashtags["source"] == "post"]
                                             if not hashtags.empty else hashtags,
                                             "hashtag", palette, 10)
    report.ctx["content"] = ctx


def _top_by_candidate(df: pd.DataFrame, column: str, palette: Palette, n: int) -> list[dict]:
    out = []
    for cid in palette.labels:
        sub = df[df["candidate_id"] == cid].sort_values("rank").head(n) if not df.empty else df
        if not sub.empty:
            out.append({"candidate": palette.label(cid),
                        "entries": [(r[column], int(r["n"])) for r in sub.to_dict("records")]})
    return out


def _audience(report: Report, con, palette: Palette, data) -> None:
    lang = report.lang
    ctx: dict[str, Any] = {"has_sentiment": has_labels(con, "sentiment"),
                           "has_category": has_labels(con, "comment_category"),
                           "has_questions": has_labels(con, "question", "comment_category")}
    volume = data["comment_volume"]
    ctx["volume"] = [{**r, "candidate": palette.label(r["candidate_id"])}
                     for r in records(volume)]
    ctx["volume_ref"] = report.table(t(lang, "volume"), "analysis_comment_volume")
    sentiment = data["sentiment"]
    if not sentiment.empty:
        ctx["sentiment"] = report.figure(
            "sentiment", charts.share_chart(sentiment, "sentiment", "comments", palette, lang,
                                            t(lang, "sentiment"), SENTIMENT_COLORS),
            t(lang, "sentiment"), "analysis_sentiment")
    categories = data["comment_categories"]
    if not categories.empty:
        ctx["categories"] = report.figure(
            "comment-categories", charts.share_chart(categories, "category", "comments",
                                                     palette, lang, t(lang, "category")),
            t(lang, "category"), "analysis_comment_categories")
    frequent = data["frequent_comments"]
    groups = []
    for cid in palette.labels:
        for kind in ("question", "complaint"):
            sub = frequent[(frequent["candidate_id"] == cid) & (frequent["kind"] == kind)] \
                .sort_values("rank").head(10) if not frequent.empty else frequent
            if not sub.empty:
                groups.append({"candidate": palette.label(cid),
                               "kind": t(lang, "questions" if kind == "question"
                                         else "complaints"),
                               "rows": records(sub)})
    ctx["frequent"] = groups
    ctx["terms"] = _top_by_candidate(data["terms"], "term", palette, 15)
    hashtags = data["hashtags"]
    ctx["comment_hashtags"] = _top_by_candidate(
        hashtags[hashtags["source"] == "comment"] if not hashtags.empty else hashtags,
        "hashtag", palette, 10)
    report.ctx["audience"] = ctx


def _responsiveness(report: Report, con, palette: Palette, data) -> None:
    lang = report.lang
    resp = data["responsiveness"]
    ctx: dict[str, Any] = {"has_questions": has_labels(con, "question", "comment_category")}
    if not resp.empty:
        ctx["figure"] = report.figure("responsiveness", charts.responsiveness_chart(
            resp, palette, lang), t(lang, "share_answered"), "analysis_responsiveness")
    ctx["rows"] = [{**r, "candidate": palette.label(r["candidate_id"])}
                   for r in records(resp)]
    ctx["ref"] = report.table(t(lang, "responsiveness"), "analysis_responsiveness")
    lists = []
    for cid in palette.labels:
        total = con.execute("SELECT count(*) FROM analysis_questions WHERE candidate_id = ? "
                            "AND NOT answered", [cid]).fetchone()[0]
        if not total:
            continue
        rows = con.execute(f"""
            SELECT platform, post_id, post_url, comment_id, author, created_local, likes,
                   left(text, 240) AS text
            FROM analysis_questions WHERE candidate_id = ? AND NOT answered
            ORDER BY likes DESC NULLS LAST, created_local LIMIT {UNANSWERED_PER_CANDIDATE}
        """, [cid]).dicts()
        lists.append({"candidate": palette.label(cid), "rows": rows,
                      "more": max(0, total - len(rows))})
    ctx["unanswered"] = lists
    capture = frame(con, """SELECT platform, sum(comments_collected) AS got,
                                   sum(comments_counted) AS counted
                            FROM analysis_comment_capture GROUP BY ALL ORDER BY platform""")
    shares = [f"{platform_name(r['platform'])} {F.pct(r['got'] / r['counted'], lang)}"
              for r in records(capture) if r["counted"] and r["counted"] == r["counted"]]
    ctx["capture"] = t(lang, "capture_note", shares=", ".join(shares) or "–")
    report.ctx["responsiveness"] = ctx


def _youth(report: Report, palette: Palette, data) -> None:
    lang = report.lang
    youth = data["youth"]
    ctx: dict[str, Any] = {}
    if not youth.empty:
        ctx["figure"] = report.figure("youth", charts.youth_chart(youth, palette, lang),
                                      t(lang, "youth"), "analysis_youth")
    ctx["rows"] = [{**r, "candidate": palette.label(r["candidate_id"])}
                   for r in records(youth)]
    ctx["ref"] = report.table(t(lang, "youth"), "analysis_youth")
    report.ctx["youth"] = ctx


def _timeline(report: Report, con, palette: Palette, data) -> None:
    lang = report.lang
    tl, cal = data["timeline"], data["calendar"]
    calendar = []
    for r in records(cal):
        end = pd.Timestamp(r["end_local"]) - pd.Timedelta(microseconds=1)
        calendar.append({**r, "first_day": pd.Timestamp(r["start_local"]).date(),
                         "last_day": end.date()})
    ctx: dict[str, Any] = {"calendar": calendar}
    if not tl.empty:
        ctx["posts"] = report.figure("timeline-posts", charts.timeline_chart(
            tl, cal, "posts", t(lang, "timeline_posts"), palette, lang),
            t(lang, "timeline_posts"), "analysis_timeline")
        ctx["interactions"] = report.figure("timeline-interactions", charts.timeline_chart(
            tl, cal, "interactions", t(lang, "timeline_interactions"), palette, lang),
            t(lang, "timeline_interactions"), "analysis_timeline")
        from ..analysis.timeline import MIN_SENTIMENT_COMMENTS

        daily = tl.groupby(["candidate_id", "date"])[["positive", "negative", "neutral"]] \
            .sum().sum(axis=1)
        if (daily >= MIN_SENTIMENT_COMMENTS).any():
            ctx["sentiment"] = report.figure("timeline-sentiment", charts.timeline_chart(
                tl, cal, "net_sentiment", t(lang, "net_sentiment"), palette, lang,
                aggregate="net"), t(lang, "timeline_sentiment"), "analysis_timeline")
    ctx["has_sentiment"] = has_labels(con, "sentiment")
    report.ctx["timeline"] = ctx


from ..analysis.compliance import KINDS  # noqa: E402 - beside its only use


def _compliance(report: Report, con, palette: Palette) -> None:
    from ..leads import counted_sql

    lang = report.lang
    # Leads an observer dismissed (pantau leads review ... --status dismissed) are not counted.
    counted = counted_sql(con)
    dismissed = con.execute(f"SELECT count(*) FROM analysis_findings WHERE lead_key NOT IN "
                            f"(SELECT lead_key FROM ({counted}))").fetchone()[0]
    counts = frame(con, f"""SELECT kind, candidate_id, count(*) AS n FROM ({counted})
                            GROUP BY ALL""")
    summary = []
    for kind in KINDS:
        sub = counts[counts["kind"] == kind] if not counts.empty else counts
        per = {palette.label(r["candidate_id"]) if r["candidate_id"] is not None else "—":
               int(r["n"]) for r in records(sub)}
        summary.append({"kind": kind, "label": t(lang, f"kind_{kind}"),
                        "total": sum(per.values()), "per": per})
    columns = [palette.label(c) for c in palette.labels] + ["—"]
    what = "what_id" if lang == "id" else "what_en"
    note = "note_id" if lang == "id" else "note_en"
    groups = []
    for kind in KINDS:
        rows = con.execute(f"""
            SELECT finding_id, rule_id, {"rule" if lang == "id" else "rule_en"} AS rule,
                   legal_basis, candidate_id, platform, target, target_id, who,
                   {what} AS what, when_local, url, left(evidence, 400) AS evidence,
                   label_source, score, {note} AS note, review_status, review_note
            FROM ({counted}) WHERE kind = ?
            ORDER BY when_local NULLS LAST, finding_id LIMIT {FINDINGS_PER_KIND}""",
                           [kind]).dicts()
        total = next(s["total"] for s in summary if s["kind"] == kind)
        if rows:
            for r in rows:
                r["candidate"] = palette.label(r["candidate_id"]) if r["candidate_id"] else "—"
            groups.append({"kind": kind, "label": t(lang, f"kind_{kind}"), "rows": rows,
                           "more": total - len(rows)})
    report.ctx["compliance"] = {"summary": summary, "columns": columns, "groups": groups,
                                "ref": report.table(t(lang, "findings_summary"),
                                                    "analysis_findings"),
                                "total": int(counts["n"].sum()) if not counts.empty else 0,
                                "dismissed": int(dismissed)}


def _appendix(report: Report, con, data) -> None:
    from ..analysis.tables import ANALYSIS_TABLES

    lang = report.lang
    listing = []
    for name, (description, _cols) in ANALYSIS_TABLES.items():
        n = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        listing.append({"name": name, "description": description, "rows": n})
    report.ctx["appendix"] = {
        "tables": listing,
        "activity": records(data["activity"]),
        "activity_ref": report.table(t(lang, "posts"), "analysis_activity"),
    }
