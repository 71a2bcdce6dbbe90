"""Coordination pages: the communities of analysis_coordination_communities, one page each with
its evidence, and a coder's review (confirmed / dismissed / open) kept in
coordination_reviews (store migration 3): one row per decision, the latest counts."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from ...report.coordination import tr
from ..context import Ctx, user_write_ctx
from .explore import explore_ctx

router = APIRouter(prefix="/coordination")
STATUSES = ("confirmed", "dismissed", "open")
STATUS_TEXT = {
    "id": {"confirmed": "dikonfirmasi", "dismissed": "ditolak", "open": "belum ditinjau"},
    "en": {"confirmed": "confirmed", "dismissed": "dismissed", "open": "not reviewed"},
}
NOTE_LIMIT = 1000


def _lang(ctx: Ctx) -> str:
    return "en" if ctx.lang == "en" else "id"


def _ready(ctx: Ctx) -> bool:
    return ctx.db.table_exists("analysis_coordination_communities")


def _latest_reviews(ctx: Ctx) -> dict[str, dict]:
    if not ctx.db.table_exists("coordination_reviews"):
        return {}
    rows = ctx.db.rows("""
        SELECT community_key, arg_max(status, reviewed_at) AS status,
               arg_max(coder, reviewed_at) AS coder, max(reviewed_at) AS reviewed_at
        FROM coordination_reviews GROUP BY community_key""", cache=False)
    return {r["community_key"]: r for r in rows}


@router.get("")
def communities(ctx: Ctx = Depends(explore_ctx)):
    lang = _lang(ctx)
    if not _ready(ctx):
        return ctx.render("coordination.html", rows=None, lang_text=_texts(lang))
    rows = ctx.db.rows("SELECT * FROM analysis_coordination_communities ORDER BY community_id")
    reviews = _latest_reviews(ctx)
    for r in rows:
        review = reviews.get(r["community_key"])
        r["status"] = review["status"] if review else "open"
        r["status_text"] = STATUS_TEXT[lang][r["status"]]
        r["pushes_text"] = ", ".join(ctx.candidate_name(c) for c in r["pushes"] or [])
        r["attacks_text"] = ", ".join(ctx.candidate_name(c) for c in r["attacks"] or [])
    signals = ctx.db.rows("SELECT * FROM analysis_coordination_signals")
    for s in signals:
        s["label"] = tr(lang, s["signal"])
    return ctx.render("coordination.html", rows=rows, signals=signals, lang_text=_texts(lang))


@router.get("/{community_id}")
def community(community_id: int, ctx: Ctx = Depends(explore_ctx)):
    lang = _lang(ctx)
    if not _ready(ctx):
        raise HTTPException(404, "no coordination results yet: run pantau analyze")
    row = ctx.db.one("SELECT * FROM analysis_coordination_communities WHERE community_id = ?",
                     [community_id])
    if row is None:
        raise HTTPException(404, f"no community {community_id}")
    accounts = ctx.db.rows("SELECT * FROM analysis_coordination_accounts WHERE community_id = ?"
                           " ORDER BY strength DESC NULLS LAST, account", [community_id])
    edges = ctx.db.rows("SELECT * FROM analysis_coordination_edges WHERE community_id = ? "
                        "ORDER BY weight DESC LIMIT 200", [community_id])
    evidence = ctx.db.rows("SELECT * FROM analysis_coordination_evidence WHERE community_id = ?"
                           " ORDER BY signal, rank", [community_id])
    for e in evidence:
        e["label"] = tr(lang, e["signal"])
    history = []
    if ctx.db.table_exists("coordination_reviews"):
        history = ctx.db.rows("SELECT * FROM coordination_reviews WHERE community_key = ? "
                              "ORDER BY reviewed_at DESC", [row["community_key"]], cache=False)
    for h in history:
        h["status_text"] = STATUS_TEXT[lang].get(h["status"], h["status"])
    status = history[0]["status"] if history else "open"
    row["pushes_text"] = ", ".join(ctx.candidate_name(c) for c in row["pushes"] or [])
    row["attacks_text"] = ", ".join(ctx.candidate_name(c) for c in row["attacks"] or [])
    return ctx.render("coordination_community.html", c=row, accounts=accounts, edges=edges,
                      evidence=evidence, history=history, status=status,
                      status_text=STATUS_TEXT[lang], statuses=STATUSES,
                      lang_text=_texts(lang))


@router.post("/{community_id}/review")
async def review(community_id: int, request: Request, ctx: Ctx = Depends(user_write_ctx)):
    """Mark a community confirmed, dismissed or open again, with an optional note; the coder
    is the session's coder name (or the user)."""
    form = await request.form()
    status = str(form.get("status", ""))
    if status not in STATUSES:
        raise HTTPException(400, f"status must be one of {', '.join(STATUSES)}")
    coder = ctx.coder or ctx.user
    if not coder:
        raise HTTPException(400, "choose a coder name on the Coding page first")
    if not _ready(ctx):
        raise HTTPException(404, "no coordination results yet: run pantau analyze")
    row = ctx.db.one("SELECT community_key, accounts FROM analysis_coordination_communities "
                     "WHERE community_id = ?", [community_id], cache=False)
    if row is None:
        raise HTTPException(404, f"no community {community_id}")
    if str(form.get("community_key", "")) != row["community_key"]:
        # the analysis ran again and the numbering moved: never mark the wrong accounts
        raise HTTPException(409, "this community changed since the page was loaded: reload")
    note = str(form.get("note", "")).strip()[:NOTE_LIMIT] or None
    with ctx.db.write() as tx:
        tx.execute("INSERT INTO coordination_reviews VALUES (?, ?, ?, ?, ?, ?)",
                   [row["community_key"], status, coder, note, row["accounts"],
                    datetime.now(UTC).replace(tzinfo=None)])
    return RedirectResponse(f"/coordination/{community_id}", status_code=303)


def _texts(lang: str) -> dict[str, str]:
    if lang == "en":
        return {
            "title": "Coordination", "intro": tr("en", "intro"),
            "none": "No coordination results yet: run pantau analyze (or pantau coordination).",
            "empty": tr("en", "none"), "community": "Community", "accounts": "Accounts",
            "platforms": "Platforms", "comments": "Comments", "share": "Share of comments",
            "span": "Time span", "pushes": "Pushes", "attacks": "Attacks", "status": "Review",
            "signals": "Signals", "window": "Window (s)", "threshold": "Threshold",
            "kept": "Pairs kept", "members": "Accounts (pseudonymised)",
            "evidence": "Evidence", "edges": "Pairs", "texts": "Repeated texts",
            "urls": "Links", "tags": "Hashtags", "mark": "Mark as", "note": "Note",
            "save": "Save", "history": "Reviews", "post": "post", "apart": "min apart",
            "occasions": "occasions", "negative": "Negative sentiment", "toxic": "Toxic",
            "handles": "Name+digits handles", "cadence": "Median gap (min)",
            "partners": "Partners", "followers": "Followers", "back": "All communities",
            "confirm": "confirmed", "dismiss": "dismissed", "reopen": "open",
        }
    return {
        "title": "Koordinasi", "intro": tr("id", "intro"),
        "none": "Belum ada hasil koordinasi: jalankan pantau analyze (atau pantau coordination).",
        "empty": tr("id", "none"), "community": "Kelompok", "accounts": "Akun",
        "platforms": "Platform", "comments": "Komentar", "share": "Bagian dari komentar",
        "span": "Rentang waktu", "pushes": "Mendorong", "attacks": "Menyerang",
        "status": "Tinjauan", "signals": "Sinyal", "window": "Jendela (detik)",
        "threshold": "Ambang", "kept": "Pasangan lolos", "members": "Akun (disamarkan)",
        "evidence": "Bukti", "edges": "Pasangan", "texts": "Teks yang berulang",
        "urls": "Tautan", "tags": "Tagar", "mark": "Tandai sebagai", "note": "Catatan",
        "save": "Simpan", "history": "Riwayat tinjauan", "post": "unggahan",
        "apart": "menit terpisah", "occasions": "kejadian", "negative": "Sentimen negatif",
        "toxic": "Toksik", "handles": "Nama akun nama+angka", "cadence": "Median jeda (menit)",
        "partners": "Mitra", "followers": "Pengikut", "back": "Semua kelompok",
        "confirm": "dikonfirmasi", "dismiss": "ditolak", "reopen": "belum ditinjau",
    }
