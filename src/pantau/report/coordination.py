"""The report's coordination section: patterns consistent with coordination, for human review
(never a verdict). A static network picture (SVG drawn here from an igraph layout, no script,
works offline) and a table per community, from the analysis_coordination_* tables."""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape

from . import fmt as F

COMMUNITIES_SHOWN = 12
EVIDENCE_SHOWN = 3
# Okabe-Ito colours, repeated: communities are told apart by their number too
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
          "#999999")

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "intro": "Bagian ini menampilkan pola yang konsisten dengan koordinasi, untuk ditinjau "
                 "manusia — bukan vonis. Akun-akun dikelompokkan karena berulang kali berkomentar "
                 "di unggahan yang sama dalam selang waktu pendek, menempelkan teks yang hampir "
                 "sama, membagikan tautan, tagar, atau suara yang sama, atau aktif bersamaan jauh "
                 "di atas kebiasaan mereka sendiri. Pasangan akun hanya dihitung bila polanya "
                 "jauh lebih sering daripada pada data yang waktunya diacak. Pendukung sungguhan "
                 "bisa juga bertindak serempak; periksa bukti sebelum menyimpulkan apa pun.",
        "none": "Tidak ada kelompok akun yang lolos ambang signifikansi.",
        "method": "Jendela waktu, ambang, dan model nol",
        "signal": "Sinyal", "window": "Jendela", "threshold": "Ambang (kejadian)",
        "pairs": "Pasangan ≥ minimum (data / acak)", "kept": "Pasangan lolos",
        "co_comment": "Berkomentar bersama", "copy_paste": "Salin-tempel terkoordinasi",
        "co_share": "Berbagi tautan/tagar/suara yang sama", "sync_burst": "Lonjakan serempak",
        "null": "Model nol: {null}. Uji: ekor Poisson terhadap rata-rata tiap pasangan pada "
                "{reps} pengacakan, Benjamini-Hochberg pada {fdr}.",
        "estimated": "diperkirakan dari data (aturan CooRnet)",
        "figure": "Jaringan akun yang polanya konsisten dengan koordinasi (warna = kelompok)",
        "community": "Kelompok {n}", "accounts": "Akun", "platforms": "Platform",
        "comments": "Komentar", "share": "Bagian dari semua komentar", "span": "Rentang waktu",
        "pushes": "Mendorong", "attacks": "Menyerang", "negative": "Sentimen negatif",
        "toxic": "Toksik", "texts": "Teks yang berulang", "urls": "Tautan", "tags": "Tagar",
        "handles": "Nama akun berpola nama+angka", "evidence": "Contoh bukti",
        "members": "Anggota (disamarkan)", "apart": "{m} menit terpisah",
        "table": "Kelompok {n}: ringkasan", "occasions": "{n} kejadian",
        "more": "Dan {n} kelompok lain di tabel analysis_coordination_communities.",
        "review": "Tinjau dan tandai kelompok ini di aplikasi web (pantau serve).",
    },
    "en": {
        "intro": "This section shows patterns consistent with coordination, for human review "
                 "— not verdicts. Accounts are grouped because they repeatedly commented on the "
                 "same posts within a short time, pasted near-identical text, shared the same "
                 "link, hashtag or sound, or were active together far above their own habits. A "
                 "pair of accounts only counts when the pattern is far more frequent than in "
                 "the same data with its times shuffled. Genuine supporters can act in step "
                 "too; check the evidence before concluding anything.",
        "none": "No group of accounts passed the significance threshold.",
        "method": "Time windows, thresholds and null model",
        "signal": "Signal", "window": "Window", "threshold": "Threshold (occasions)",
        "pairs": "Pairs ≥ minimum (data / shuffled)", "kept": "Pairs kept",
        "co_comment": "Co-commenting", "copy_paste": "Coordinated copy-paste",
        "co_share": "Sharing the same link/hashtag/sound", "sync_burst": "Synchronised bursts",
        "null": "Null model: {null}. Test: Poisson tail against each pair's mean over {reps} "
                "shuffles, Benjamini-Hochberg at {fdr}.",
        "estimated": "estimated from the data (CooRnet rule)",
        "figure": "Network of accounts whose patterns are consistent with coordination "
                  "(colour = community)",
        "community": "Community {n}", "accounts": "Accounts", "platforms": "Platforms",
        "comments": "Comments", "share": "Share of all comments", "span": "Time span",
        "pushes": "Pushes", "attacks": "Attacks", "negative": "Negative sentiment",
        "toxic": "Toxic", "texts": "Repeated texts", "urls": "Links", "tags": "Hashtags",
        "handles": "Handles of the name+digits pattern", "evidence": "Example evidence",
        "members": "Members (pseudonymised)", "apart": "{m} minutes apart",
        "table": "Community {n}: summary", "occasions": "{n} occasions",
        "more": "And {n} more communities in the table analysis_coordination_communities.",
        "review": "Review and mark this community in the web app (pantau serve).",
    },
}


def tr(lang: str, key: str, **values: Any) -> str:
    text = TEXT.get(lang, TEXT["id"]).get(key) or TEXT["en"].get(key, key)
    return text.format(**values) if values else text


def _duration(seconds: float, lang: str) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{F.num(seconds / 3600, lang)} {'jam' if lang == 'id' else 'h'}"
    if seconds >= 60:
        return f"{F.num(seconds / 60, lang, 1 if seconds % 60 else 0)} " \
               f"{'menit' if lang == 'id' else 'min'}"
    return f"{F.num(seconds, lang)} {'detik' if lang == 'id' else 's'}"


def _exists(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                            [name]).fetchone()[0])


def network_svg(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], lang: str,
                width: int = 720, height: int = 460, seed: int = 7) -> str:
    """A static picture of the kept graph: one dot per account coloured by community, grey
    lines weighted by edge weight, community numbers at their centres."""
    if not nodes:
        return ""
    import random

    import igraph as ig

    index = {(n["platform"], n["account"]): i for i, n in enumerate(nodes)}
    pairs = [(index[(e["platform_a"], e["account_a"])], index[(e["platform_b"], e["account_b"])])
             for e in edges if (e["platform_a"], e["account_a"]) in index
             and (e["platform_b"], e["account_b"]) in index]
    graph = ig.Graph(n=len(nodes), edges=pairs)
    random.seed(seed)  # igraph's layouts draw from Python's random module
    layout = graph.layout_fruchterman_reingold(
        weights=[float(e["weight"]) for e in edges][:len(pairs)] or None, niter=500,
        seed=[[math.cos(i), math.sin(i)] for i in range(len(nodes))])
    xs, ys = [p[0] for p in layout.coords], [p[1] for p in layout.coords]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = 28

    def sx(x: float) -> float:
        return pad + (x - x0) / ((x1 - x0) or 1) * (width - 2 * pad)

    def sy(y: float) -> float:
        return pad + (y - y0) / ((y1 - y0) or 1) * (height - 2 * pad)

    title = escape(tr(lang, "figure"))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{title}">',
             f"<title>{title}</title>", '<g stroke="#888" stroke-opacity="0.45">']
    top = max((float(e["weight"]) for e in edges), default=1.0) or 1.0
    for (a, b), e in zip(pairs, edges, strict=False):
        w = 0.5 + 2.5 * float(e["weight"]) / top
        parts.append(f'<line x1="{sx(xs[a]):.1f}" y1="{sy(ys[a]):.1f}" x2="{sx(xs[b]):.1f}" '
                     f'y2="{sy(ys[b]):.1f}" stroke-width="{w:.2f}"/>')
    parts.append("</g><g stroke=\"#fff\" stroke-width=\"0.8\">")
    centres: dict[int, list[tuple[float, float]]] = {}
    for i, n in enumerate(nodes):
        cid = int(n["community_id"])
        color = COLORS[(cid - 1) % len(COLORS)]
        parts.append(f'<circle cx="{sx(xs[i]):.1f}" cy="{sy(ys[i]):.1f}" r="5" '
                     f'fill="{color}"><title>{escape(str(n["account"]))} '
                     f'({escape(tr(lang, "community", n=cid))})</title></circle>')
        centres.setdefault(cid, []).append((sx(xs[i]), sy(ys[i])))
    parts.append('</g><g font-family="sans-serif" font-size="13" font-weight="bold" '
                 'fill="#222" text-anchor="middle">')
    for cid, points in sorted(centres.items()):
        cx = sum(p[0] for p in points) / len(points)
        cy = min(p[1] for p in points) - 9
        parts.append(f'<text x="{cx:.1f}" y="{max(cy, 12):.1f}">{cid}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


def section(report, con, palette) -> None:
    """Fill report.ctx["coordination"] (None when the analysis has not run)."""
    lang = report.lang
    if not _exists(con, "analysis_coordination_communities"):
        report.ctx["coordination"] = None
        return
    signals = con.execute("SELECT * FROM analysis_coordination_signals").dicts()
    settings = {r["setting"]: r for r in con.execute(
        "SELECT * FROM analysis_coordination_settings").dicts()}
    method = []
    for r in signals:
        source = settings.get(f"{r['signal']}.window", {}).get("source", "")
        window = _duration(float(r["window_s"]), lang)
        if source == "estimated":
            window += f" ({tr(lang, 'estimated')})"
        method.append({
            "signal": tr(lang, r["signal"]), "window": window,
            "threshold": "–" if r["threshold"] is None or r["threshold"] != r["threshold"]
            else F.num(r["threshold"], lang),
            "pairs": f"{F.num(r['observed_pairs'], lang)} / {F.num(r['null_pairs'], lang, 1)}",
            "kept": F.num(r["pairs_above_threshold"], lang)})
    null = signals[0]["null_model"] if signals else ""
    fdr = settings.get("fdr", {}).get("value", "")
    reps = settings.get("null_replicates", {}).get("value", "")
    communities = con.execute("SELECT * FROM analysis_coordination_communities "
                              "ORDER BY community_id").dicts()
    shown = communities[:COMMUNITIES_SHOWN]
    ids = [c["community_id"] for c in shown]
    nodes = con.execute("SELECT * FROM analysis_coordination_accounts WHERE "
                        "list_contains(?, community_id)", [ids]).dicts() if ids else []
    edges = con.execute("SELECT * FROM analysis_coordination_edges WHERE "
                        "list_contains(?, community_id)", [ids]).dicts() if ids else []
    evidence = con.execute("SELECT * FROM analysis_coordination_evidence WHERE rank <= ? "
                           "ORDER BY community_id, signal, rank",
                           [EVIDENCE_SHOWN]).dicts()
    mask = report.ctx.get("mask") or (lambda s: s)
    blocks = []
    for c in shown:
        cid = c["community_id"]
        members = [n["account"] for n in nodes if n["community_id"] == cid]
        rows = [
            (tr(lang, "accounts"), F.num(c["accounts"], lang)),
            (tr(lang, "platforms"), c["platforms"]),
            (tr(lang, "comments"), F.num(c["comments"], lang)),
            (tr(lang, "share"), F.pct(c["share_of_comments"], lang, 2)),
            (tr(lang, "span"), f"{F.when(c['first_local'], lang)} – "
                               f"{F.when(c['last_local'], lang)}"),
            (tr(lang, "pushes"), ", ".join(palette.label(x) for x in c["pushes"]) or "–"),
            (tr(lang, "attacks"), ", ".join(palette.label(x) for x in c["attacks"]) or "–"),
            (tr(lang, "negative"), F.pct(c["negative_share"], lang) if c["negative_share"]
             is not None else "–"),
            (tr(lang, "toxic"), F.pct(c["toxic_share"], lang) if c["toxic_share"] is not None
             else "–"),
            (tr(lang, "handles"), F.pct(c["share_handle_name_digits"], lang)
             if c["share_handle_name_digits"] is not None else "–"),
        ]
        blocks.append({
            "id": cid, "key": c["community_key"], "title": tr(lang, "community", n=cid),
            "rows": rows, "members": members,
            "texts": [mask(x) for x in (c["top_texts"] or [])],
            "urls": list(c["top_urls"] or []), "tags": list(c["top_hashtags"] or []),
            "evidence": [{**e, "signal_label": tr(lang, e["signal"]),
                          "text_a": mask(e["text_a"]), "text_b": mask(e["text_b"]),
                          "apart": tr(lang, "apart", m=F.num(e["minutes_apart"], lang, 1)),
                          "occ": tr(lang, "occasions", n=e["occasions"])}
                         for e in evidence if e["community_id"] == cid],
            "ref": report.table(tr(lang, "table", n=cid), "analysis_coordination_communities"),
        })
    report.ctx["coordination"] = {
        "intro": tr(lang, "intro"), "none": tr(lang, "none"), "method_title": tr(lang, "method"),
        "method": method, "null": tr(lang, "null", null=null, reps=reps, fdr=fdr),
        "head": [tr(lang, k) for k in ("signal", "window", "threshold", "pairs", "kept")],
        "svg": network_svg(nodes, edges, lang), "figure_title": tr(lang, "figure"),
        "blocks": blocks, "labels": {k: tr(lang, k) for k in (
            "texts", "urls", "tags", "evidence", "members", "review")},
        "more": tr(lang, "more", n=len(communities) - len(shown))
        if len(communities) > len(shown) else "",
    }
