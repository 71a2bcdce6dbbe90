"""The report's visual-formats section: who used infographics (and video, photos), what their
media said (post functions and topics from caption + media text), and how infographics did
against each candidate's other posts on the same platform. Reads analysis_media_formats and
analysis_media_engagement; says plainly when no media files were linked."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..analysis.media import MIN_ACCOUNTS
from . import charts
from . import fmt as F

FORMATS = ("infographic", "video", "photo", "image (not read)", "text")
TEXT: dict[str, dict[str, str]] = {
    "id": {
        "intro": "Format visual dari media unggahan: infografis bila salah satu gambarnya "
                 "bertipe infografis (teks dibaca dengan OCR), video, foto, gambar yang "
                 "berkasnya belum dimiliki pantau (tipenya tidak diketahui), dan teks. Tipe "
                 "gambar berasal dari model sederhana yang dijelaskan di bagian metode; fungsi "
                 "dan topik membaca keterangan dan teks media bersama-sama.",
        "no_media": "Belum ada berkas media yang ditautkan. Simpan gambar dan video di samping "
                    "berkas ekspor (Instaloader, yt-dlp) lalu jalankan pantau import, atau "
                    "pantau media add FOLDER, lalu pantau media read.",
        "figure": "Bagian format visual per kandidat dan platform",
        "table": "Format visual per kandidat dan platform",
        "compare": "Infografis dibanding unggahan lain pada platform yang sama (akun sebagai "
                   "unit; uji peringkat bertanda Wilcoxon)",
        "format": "Format", "posts": "Unggahan", "share": "Bagian", "with_text": "Dengan teks "
        "media", "er_view": "Median ER per tayangan", "function": "Fungsi terbanyak",
        "topics": "Topik teratas", "metric": "Ukuran", "accounts": "Akun",
        "difference": "Median selisih", "p": "p (mentah)", "note": "Catatan",
        "tested": "diuji", "too few accounts": "tidak diuji: kurang dari {min} akun punya "
        "kedua format", "no difference": "tidak diuji: tidak ada akun yang berbeda",
        "infographic": "infografis", "video": "video", "photo": "foto",
        "image (not read)": "gambar (belum dibaca)", "text": "teks",
    },
    "en": {
        "intro": "Visual format from each post's media: infographic when any of its images is "
                 "typed infographic (its text read by OCR), video, photo, images whose files "
                 "pantau does not have (type unknown), and text. Image types come from a small "
                 "model described in the method section; functions and topics read caption and "
                 "media text together.",
        "no_media": "No media files are linked yet. Keep images and videos beside the export "
                    "files (Instaloader, yt-dlp) and run pantau import, or pantau media add "
                    "FOLDER, then pantau media read.",
        "figure": "Share of visual formats per candidate and platform",
        "table": "Visual formats per candidate and platform",
        "compare": "Infographics against other posts on the same platform (account as the "
                   "unit; Wilcoxon signed-rank test)",
        "format": "Format", "posts": "Posts", "share": "Share", "with_text": "With media text",
        "er_view": "Median ER per view", "function": "Most frequent function",
        "topics": "Top topics", "metric": "Measure", "accounts": "Accounts",
        "difference": "Median difference", "p": "p (raw)", "note": "Note", "tested": "tested",
        "too few accounts": "not tested: fewer than {min} accounts have both formats",
        "no difference": "not tested: no account differs",
        "infographic": "infographic", "video": "video", "photo": "photo",
        "image (not read)": "image (not read)", "text": "text",
    },
}


def _p(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    return f"< {F.num(0.001, lang, 3)}" if p < 0.001 else F.num(p, lang, 3)


def tr(lang: str, key: str) -> str:
    return TEXT.get(lang, TEXT["en"]).get(key, key)


def _exists(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                            [name]).fetchone()[0])


def section(report, con, palette) -> None:
    """Fill report.ctx["media"] (None when the analysis has not run)."""
    lang = report.lang
    if not _exists(con, "analysis_media_formats"):
        report.ctx["media"] = None
        return
    linked = con.execute("SELECT count(*) FROM post_media").fetchone()[0]
    rows = con.execute("SELECT * FROM analysis_media_formats").dicts()
    ctx: dict = {"intro": tr(lang, "intro"), "none": tr(lang, "no_media") if not linked else "",
                 "head": [tr(lang, k) for k in ("format", "posts", "share", "with_text",
                                                 "er_view", "function", "topics")],
                 "rows": [], "compare": [], "compare_title": tr(lang, "compare"),
                 "compare_head": [tr(lang, k) for k in ("metric", "accounts", "difference",
                                                         "p", "note")]}
    for r in rows:
        ctx["rows"].append({
            "candidate": palette.label(r["candidate_id"]), "platform": r["platform"],
            "cells": [tr(lang, r["format"]), F.num(r["posts"], lang),
                      F.pct(r["share_of_posts"], lang), F.num(r["posts_with_media_text"], lang),
                      F.pct(r["median_er_view"], lang, 2) if r["median_er_view"] is not None
                      else "–", r["top_function"] or "–",
                      ", ".join(r["top_topics"] or []) or "–"]})
    if rows:
        ctx["ref"] = report.table(tr(lang, "table"), "analysis_media_formats")
        df = pd.DataFrame(rows)
        df["format"] = df["format"].map(lambda f: tr(lang, f))
        df = palette.with_labels(df)
        df["group"] = df["candidate"] + " · " + df["platform"]
        chart = charts._base(df).mark_bar().encode(
            y=alt.Y("group:N", title=None),
            x=alt.X("sum(posts):Q", stack="normalize", title=tr(lang, "share"),
                    axis=alt.Axis(format="%")),
            color=alt.Color("format:N", title=tr(lang, "format"),
                            sort=[tr(lang, f) for f in FORMATS],
                            scale=alt.Scale(scheme="set2")),
            tooltip=["candidate", "platform", "format", "posts"],
        ).properties(height=alt.Step(22))
        ctx["figure"] = report.figure("media-formats", chart, tr(lang, "figure"),
                                      "analysis_media_formats")
    if _exists(con, "analysis_media_engagement"):
        for r in con.execute("SELECT * FROM analysis_media_engagement ORDER BY ALL").dicts():
            ctx["compare"].append([
                f"{r['platform']} · {r['metric']}", F.num(r["accounts"], lang),
                F.pct(r["median_difference"], lang, 2) if r["median_difference"] is not None
                else "–",
                _p(r["p_value"], lang),
                tr(lang, r["note"]).format(min=MIN_ACCOUNTS)])
        if ctx["compare"]:
            ctx["compare_ref"] = report.table(tr(lang, "compare"), "analysis_media_engagement")
    ctx["card"] = card_summary(lang)
    report.ctx["media"] = ctx


def card_summary(lang: str) -> str | None:
    """The measured scores of the image-type model and OCR (models/cards/image_type.md), in
    the report's language (the card's `Ringkasan:` line for Indonesian)."""
    from importlib import resources

    card = resources.files("pantau.models").joinpath("cards", "image_type.md")
    prefix = "Ringkasan:" if lang == "id" else "Summary:"
    for line in card.read_text(encoding="utf-8").splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix).strip()
    return None
