"""The summary: sentences generated from the numbers in the analysis tables, in Indonesian or
English, each pointing to the figure or table that shows it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..analysis.base import platform_name
from . import fmt as F
from .i18n import CODEBOOK, t


def _claim(report, lang: str, text_id: str, text_en: str, ref,
           rests_on: tuple[str, str | None] | None = None) -> dict[str, Any]:
    """One sentence of the Summary; `rests_on` = (scheme, label or None for any) when it rests
    on a model's labels (report/validation.py withholds or corrects it)."""
    if ref is None:
        return {"text": text_id if lang == "id" else text_en, "ref": None, "ref_label": None,
                "rests_on": rests_on}
    kind = "figure" if ref.ident.startswith("fig") else "table"
    return {"text": text_id if lang == "id" else text_en, "ref": ref.ident,
            "ref_label": f"{t(lang, kind)} {ref.number}", "rests_on": rests_on}


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = " dan " if lang == "id" else " and "
    return "; ".join(items[:-1]) + word + items[-1]


def summary(report, data: dict[str, pd.DataFrame], palette, lang: str) -> list[dict]:
    claims: list[dict] = []
    P = report.ctx
    label = palette.label

    cov = data["coverage"]
    linked = cov[cov["candidate_id"].notna()] if not cov.empty else cov
    if not linked.empty:
        posts = int(linked["posts"].sum())
        comments = int(linked["comments"].fillna(0).sum())
        platforms = ", ".join(platform_name(p) for p in sorted(linked["platform"].unique()))
        first, last = F.day(linked["first_post_local"].min(), lang), \
            F.day(linked["last_post_local"].max(), lang)
        claims.append(_claim(
            report, lang,
            f"Data mencakup {F.num(posts, lang)} unggahan akun kandidat di {platforms} dan "
            f"{F.num(comments, lang)} komentar di bawahnya, {first} sampai {last}.",
            f"The data cover {F.num(posts, lang)} posts by the candidates' accounts on "
            f"{platforms} and {F.num(comments, lang)} comments under them, {first} to {last}.",
            P["method"]["coverage_ref"]))

    act = data["activity"]
    if not act.empty and act["posts"].sum() > 0:
        per = act.groupby("candidate_id")["posts_per_week"].sum().sort_values(ascending=False)
        parts = [f"{label(c)} {F.num(v, lang, 1)}" for c, v in per.items()]
        claims.append(_claim(
            report, lang,
            f"Unggahan per minggu (semua platform): {_join(parts, lang)}.",
            f"Posts per week (all platforms): {_join(parts, lang)}.",
            P["platforms"].get("ppw")))

    eng = data["engagement"]
    for metric in ("er_view", "er_follower"):
        sub = eng[(eng["metric"] == metric) & eng["n"].gt(0)] if not eng.empty else eng
        if sub.empty:
            continue
        parts_id, parts_en = [], []
        for platform, g in sub.groupby("platform"):
            best = g.sort_values("median", ascending=False).iloc[0]
            value = F.pct(best["median"], lang, 1)
            parts_id.append(f"di {platform_name(platform)} {label(best['candidate_id'])} "
                            f"({value})")
            parts_en.append(f"on {platform_name(platform)} {label(best['candidate_id'])} "
                            f"({value})")
        claims.append(_claim(
            report, lang,
            f"Median {t('id', metric).lower()} tertinggi: {_join(parts_id, 'id')}.",
            f"Highest median {t('en', metric).lower()}: {_join(parts_en, 'en')}.",
            P["platforms"].get(metric)))

    tests = data["tests"]
    if not tests.empty:
        # the clearest results (smallest report-wide adjusted p) first
        for _, row in tests.sort_values(["p_adjusted", "test_id"]).head(2).iterrows():
            claims.append(_claim(report, lang, row["sentence_id"], row["sentence_en"],
                                 P["platforms"]["tests_ref"]))
    else:
        from ..analysis.stats import MIN_GROUP

        claims.append(_claim(
            report, lang,
            f"Tidak ada uji statistik: perbandingan butuh sedikitnya {MIN_GROUP} akun per "
            "kelompok; median dibandingkan secara deskriptif.",
            f"No statistical test: a comparison needs at least {MIN_GROUP} accounts per "
            "group; medians are compared descriptively.", P["platforms"]["tests_ref"]))

    fun = data["content_functions"]
    if not fun.empty:
        per_c = fun[fun["candidate_id"].notna()]
        parts_id, parts_en = [], []
        for cid, g in per_c.groupby("candidate_id"):
            top = g.sort_values("share", ascending=False).iloc[0]
            name_id, name_en = CODEBOOK["post_function"].get(top["function"],
                                                             (top["function"],) * 2)
            parts_id.append(f"{label(cid)}: {top['function']} {name_id.split(' (')[0].lower()} "
                            f"({F.pct(top['share'], lang)})")
            parts_en.append(f"{label(cid)}: {top['function']} {name_en.split(' (')[0].lower()} "
                            f"({F.pct(top['share'], lang)})")
        claims.append(_claim(
            report, lang, f"Fungsi unggahan yang paling sering — {_join(parts_id, 'id')}.",
            f"Most frequent post function — {_join(parts_en, 'en')}.",
            P["content"].get("function_share"), rests_on=("post_function", None)))
        pooled = fun[fun["candidate_id"].isna() & fun["n_interactions"].ge(3)]
        if not pooled.empty:
            top = pooled.sort_values("median_interactions", ascending=False).iloc[0]
            ci = (f"{F.smart(top['ci_low_interactions'], lang)}–"
                  f"{F.smart(top['ci_high_interactions'], lang)}")
            claims.append(_claim(
                report, lang,
                f"Fungsi {top['function']} meraih median interaksi tertinggi: "
                f"{F.smart(top['median_interactions'], lang)} per unggahan (IK 95% {ci}, "
                f"n = {int(top['n_interactions'])}).",
                f"Function {top['function']} earns the highest median interactions: "
                f"{F.smart(top['median_interactions'], lang)} per post (95% CI {ci}, "
                f"n = {int(top['n_interactions'])}).",
                P["content"].get("function_engagement")))

    sent = data["sentiment"]
    if not sent.empty:
        g = sent.groupby(["candidate_id", "sentiment"])["comments"].sum().unstack(fill_value=0)
        parts = []
        for cid, row in g.iterrows():
            total = row.sum()
            parts.append(f"{label(cid)} {F.pct(row.get('negative', 0) / total, lang)}")
        claims.append(_claim(
            report, lang, f"Proporsi komentar negatif: {_join(parts, 'id')}.",
            f"Share of negative comments: {_join(parts, 'en')}.",
            P["audience"].get("sentiment"), rests_on=("sentiment", "negative")))

    resp = data["responsiveness"]
    if not resp.empty:
        g = resp.groupby("candidate_id")[["questions", "answered"]].sum()
        parts_id, parts_en = [], []
        for cid, row in g.iterrows():
            resp[resp["candidate_id"] == cid]["median_minutes"].dropna()
            share = F.pct(row["answered"] / row["questions"], lang)
            frac = f"{int(row['answered'])}/{int(row['questions'])}"
            parts_id.append(f"{label(cid)} {share} ({frac})")
            parts_en.append(f"{label(cid)} {share} ({frac})")
        claims.append(_claim(
            report, lang,
            f"Pertanyaan audiens yang dijawab di utasnya: {_join(parts_id, 'id')}.",
            f"Audience questions answered in their thread: {_join(parts_en, 'en')}.",
            P["responsiveness"].get("figure"), rests_on=("question", "question")))

    youth = data["youth"]
    if not youth.empty:
        # TikTok's default length is up to 60 s: a short TikTok video is not a choice
        g = youth[youth["platform"] != "tiktok"].groupby("candidate_id")[
            ["short_60", "videos_with_duration"]].sum()
        parts = [f"{label(cid)} {F.pct(r['short_60'] / r['videos_with_duration'], lang)}"
                 for cid, r in g.iterrows() if r["videos_with_duration"]]
        if parts:
            claims.append(_claim(
                report, lang,
                f"Proporsi video ≤ 60 detik di luar TikTok (proksi format anak muda): "
                f"{_join(parts, 'id')}.",
                f"Share of videos ≤ 60 s outside TikTok (a youth-format proxy): "
                f"{_join(parts, 'en')}.",
                P["youth"].get("figure")))

    comp = P["compliance"]
    parts_id = [f"{t('id', 'kind_' + s['kind']).lower()}: {s['total']}"
                for s in comp["summary"] if s["total"]]
    parts_en = [f"{t('en', 'kind_' + s['kind']).lower()}: {s['total']}"
                for s in comp["summary"] if s["total"]]
    if parts_id:
        claims.append(_claim(
            report, lang,
            f"{comp['total']} temuan kepatuhan untuk ditinjau manusia: {_join(parts_id, 'id')}.",
            f"{comp['total']} compliance leads for human review: {_join(parts_en, 'en')}.",
            comp["ref"]))
    else:
        claims.append(_claim(report, lang, "Tidak ada temuan kepatuhan dari aturan yang diperiksa.",
                             "No compliance leads from the rules checked.", comp["ref"]))
    return claims
