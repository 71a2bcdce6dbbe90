"""The report's measured accuracy: each model's accuracy against the coders, the shares corrected
for its errors (analysis_validation_* from `pantau analyze`), the "not validated" marks on the
figures that rest on an unvalidated model, and the Summary's rule that a label whose measured
precision is under `[validation] min_precision` carries no finding.

Estimators: pantau/analysis/validation.py. Wording in both languages lives here so the other
sections' wording stays where it is.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..analysis.validation import Interval, differs
from . import fmt as F

# figures and tables that rest on a model's labels: slug or source table -> scheme
FIGURE_SCHEMES = {
    "analysis_sentiment": "sentiment", "timeline-sentiment": "sentiment",
    "analysis_comment_categories": "comment_category",
    "analysis_content_functions": "post_function", "analysis_content_topics": "topic",
    "analysis_responsiveness": "question",
}
# the claims of the Summary (narrative.py) and the label each rests on
CLAIM_SCHEMES = {"sentiment": ("sentiment", "negative"), "function": ("post_function", None),
                 "responsiveness": ("question", "question")}
# the labels the Summary reports corrected, per scheme
HEADLINE = {"sentiment": ["negative", "positive"], "question": ["question"],
            "toxicity": ["abusive", "hate"], "comment_category": None, "post_function": None,
            "topic": None, "sara": None}
NOT_VALIDATED = {"id": "belum divalidasi", "en": "not validated"}

TEXT = {
    "id": {
        "title": "Akurasi model dan estimasi terkoreksi",
        "intro": "Setiap angka dari model diukur terhadap koder manusia pada sampel validasi "
                 "acak yang distratifikasi menurut label model (`pantau validate`), lalu "
                 "dikoreksi untuk kesalahan model yang terukur. Interval: IK 95%.",
        "scheme": "Skema", "label": "Label", "model_share": "Proporsi model",
        "corrected": "Proporsi terkoreksi (IK 95%)", "precision": "Presisi",
        "recall": "Recall", "coded": "Dikode", "status": "Status", "alpha": "α koder",
        "validated": "tervalidasi", "partly": "sebagian (ada label tanpa butir terkode)",
        "not_validated": "belum divalidasi",
        "low": "presisi di bawah {t}: tidak dipakai untuk temuan",
        "by_candidate": "Terkoreksi per kandidat",
        "table": "Akurasi model terhadap koder dan proporsi terkoreksi",
        "method": "Metode: sampel acak berstrata menurut label prediksi; presisi, recall dan F1 "
                  "berbobot desain (Olofsson dkk. 2014); proporsi terkoreksi = jumlah per "
                  "label prediksi × proporsi label sebenarnya di antara butir terkode dengan "
                  "label prediksi itu (kalibrasi salah-klasifikasi, Buonaccorsi 2010; bdk. "
                  "adjusted classify-and-count, Forman 2008). IK 95%: Wilson (presisi dalam "
                  "satu strata) dan bootstrap berstrata 1.000 kali (selainnya). Koreksi per "
                  "kandidat menganggap tingkat kesalahan model sama untuk semua kandidat. "
                  "Perbedaan antarkandidat hanya disebut bila IK 95% terkoreksinya tidak "
                  "bertumpang tindih.",
        "none_yet": "Belum ada model yang divalidasi. Semua angka dari model di laporan ini "
                    "adalah keluaran model mentah ({schemes}). Jalankan `pantau validate`.",
    },
    "en": {
        "title": "Model accuracy and corrected estimates",
        "intro": "Every figure that comes from a model is measured against human coders on a "
                 "random validation sample stratified by the model's label (`pantau "
                 "validate`), then corrected for the model's measured errors. Intervals: 95% "
                 "CI.",
        "scheme": "Scheme", "label": "Label", "model_share": "Model share",
        "corrected": "Corrected share (95% CI)", "precision": "Precision",
        "recall": "Recall", "coded": "Coded", "status": "Status", "alpha": "Coders' α",
        "validated": "validated", "partly": "partly (a label with no coded item)",
        "not_validated": "not validated",
        "low": "precision below {t}: not used for findings",
        "by_candidate": "Corrected, per candidate",
        "table": "Model accuracy against coders and corrected shares",
        "method": "Method: random sample stratified by predicted label; precision, recall and "
                  "F1 weighted for the design (Olofsson et al. 2014); corrected share = the "
                  "count of each predicted label × the share of each true label among the "
                  "coded items with that prediction (misclassification calibration, "
                  "Buonaccorsi 2010; cf. adjusted classify-and-count, Forman 2008). 95% CIs: "
                  "Wilson (precision within one stratum) and a stratified bootstrap with "
                  "1,000 resamples (the rest). Per-candidate corrections assume the model errs "
                  "at the same rates for every candidate. Candidates are said to differ only "
                  "when their corrected 95% CIs do not overlap.",
        "none_yet": "No model is validated yet. Every model-based figure in this report is raw "
                    "model output ({schemes}). Run `pantau validate`.",
    },
}


def _frame(con, name: str) -> pd.DataFrame:
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                         [name]).fetchone()[0]
    return con.execute(f"SELECT * FROM {name}").df() if exists else pd.DataFrame()


def _interval(value, low, high, lang: str, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = F.pct(value, lang, digits)
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return text
    return f"{text} ({F.pct(low, lang, digits)}–{F.pct(high, lang, digits)})"


class Validation:
    """What the report knows about the models' measured accuracy."""

    def __init__(self, con, min_precision: float) -> None:
        self.accuracy = _frame(con, "analysis_validation_accuracy")
        self.estimates = _frame(con, "analysis_validation_estimates")
        self.min_precision = min_precision

    def status(self, scheme: str) -> str | None:
        """validated | partly | not_validated for a scheme with model labels, else None."""
        est = self.estimates
        if est.empty:
            return None
        rows = est[(est["scheme"] == scheme) & (est["group_kind"] == "all")]
        if rows.empty:
            return None
        states = set(rows["status"])
        if states == {"not_validated"}:
            return "not_validated"
        return "partly" if "partly" in states else "validated"

    def schemes(self) -> list[str]:
        if self.estimates.empty:
            return []
        return list(dict.fromkeys(self.estimates["scheme"]))

    def withheld(self) -> dict[tuple[str, str], float]:
        """(scheme, label) -> measured precision, for labels under min_precision."""
        acc = self.accuracy
        if acc.empty:
            return {}
        low = acc[acc["precision"].notna() & (acc["precision"] < self.min_precision)]
        return {(r["scheme"], r["label"]): float(r["precision"]) for _, r in low.iterrows()}

    def mark(self, key: str, lang: str) -> str:
        """' — not validated' for a figure resting on an unvalidated model, else ''."""
        scheme = FIGURE_SCHEMES.get(key)
        if scheme and self.status(scheme) == "not_validated":
            return f" — {NOT_VALIDATED[lang]}"
        return ""

    def model_accuracy(self, scheme: str, target: str, source: str,
                       lang: str) -> str | None:
        """The model table's 'Accuracy vs coders': macro-F1 and the weakest precision, or
        'not validated'."""
        acc = self.accuracy
        rows = acc[(acc["scheme"] == scheme) & (acc["target"] == target)] \
            if not acc.empty else acc
        if rows.empty:
            return NOT_VALIDATED[lang] if self.status(scheme) else None
        f1 = rows["f1"].dropna()
        coded = int(rows["coded"].iloc[0])
        prec = rows.dropna(subset=["precision"]).sort_values("precision")
        parts = [f"F1 makro {F.num(f1.mean(), lang, 2)}" if lang == "id"
                 else f"macro-F1 {F.num(f1.mean(), lang, 2)}"] if not f1.empty else []
        if not prec.empty:
            w = prec.iloc[0]
            word = "presisi terendah" if lang == "id" else "lowest precision"
            shown = _interval(w["precision"], w["precision_low"], w["precision_high"], lang)
            parts.append(f"{word} {w['label']} {shown}")
        parts.append(f"n = {F.num(coded, lang)}")
        if rows["model_source"].iloc[0] != source:
            parts.append("untuk versi model lain" if lang == "id" else "for another model "
                         "version")
        return " · ".join(parts)

    # -- the section ------------------------------------------------------------------------
    def section(self, report, palette, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
        lang = report.lang
        text = TEXT[lang]
        out: dict[str, Any] = {"text": text, "schemes": [], "min_precision": self.min_precision}
        if self.estimates.empty:
            return out
        out["ref"] = report.table(text["table"], "analysis_validation_estimates")
        withheld = self.withheld()
        for scheme in self.schemes():
            est = self.estimates[self.estimates["scheme"] == scheme]
            acc = self.accuracy[self.accuracy["scheme"] == scheme] \
                if not self.accuracy.empty else self.accuracy
            names = labels.get(scheme, {})
            rows = []
            for _, r in est[est["group_kind"] == "all"].iterrows():
                a = acc[acc["label"] == r["label"]] if not acc.empty else acc
                a = a.iloc[0] if not a.empty else None
                rows.append({
                    "label": r["label"], "name": names.get(r["label"], r["label"]),
                    "model_share": F.pct(r["raw_share"], lang, 1),
                    "corrected": _interval(r["share"], r["share_low"], r["share_high"], lang,
                                           1) if r["status"] != "not_validated"
                    else NOT_VALIDATED[lang],
                    "precision": "–" if a is None else _interval(
                        a["precision"], a["precision_low"], a["precision_high"], lang),
                    "recall": "–" if a is None else _interval(
                        a["recall"], a["recall_low"], a["recall_high"], lang),
                    "low": (scheme, r["label"]) in withheld,
                    "status": text[r["status"]]})
            per_candidate = []
            cand = est[est["group_kind"] == "candidate"]
            for label in HEADLINE.get(scheme) or []:
                sub = cand[(cand["label"] == label) & (cand["status"] != "not_validated")]
                if sub.empty:
                    continue
                per_candidate.append({
                    "label": label, "name": names.get(label, label),
                    "shares": [(palette.label(r["group_value"]),
                                _interval(r["share"], r["share_low"], r["share_high"], lang, 1))
                               for _, r in sub.iterrows()],
                    "differences": self.differences(scheme, label, palette, lang)})
            first = acc.iloc[0] if not acc.empty else None
            out["schemes"].append({
                "scheme": scheme, "status": self.status(scheme),
                "model": est["model_source"].iloc[0], "rows": rows,
                "per_candidate": per_candidate,
                "coded": None if first is None else int(first["coded"]),
                "alpha": None if first is None or pd.isna(first["alpha"]) else
                F.num(first["alpha"], lang, 2)})
        return out

    def differences(self, scheme: str, label: str, palette, lang: str) -> list[str]:
        """Pairs of candidates whose corrected shares' 95% CIs do not overlap."""
        est = self.estimates
        sub = est[(est["scheme"] == scheme) & (est["label"] == label)
                  & (est["group_kind"] == "candidate") & (est["status"] != "not_validated")]
        found = []
        rows = list(sub.itertuples())
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                ia = Interval(a.share, a.share_low, a.share_high)
                ib = Interval(b.share, b.share_low, b.share_high)
                if differs(ia, ib):
                    hi, lo = (a, b) if a.share > b.share else (b, a)
                    word = "lebih tinggi daripada" if lang == "id" else "higher than"
                    found.append(f"{palette.label(hi.group_value)} {word} "
                                 f"{palette.label(lo.group_value)}")
        return found

    # -- the Summary ------------------------------------------------------------------------
    def summary(self, claims: list[dict], lang: str, palette, labels, ref) -> list[dict]:
        """The Summary's claims with those resting on a withheld label replaced by why, raw
        claims on a validated scheme replaced by corrected ones, and unvalidated models named."""
        if self.estimates.empty:
            return claims
        withheld = self.withheld()
        out = []
        for claim in claims:
            rests = claim.get("rests_on")
            if rests:
                scheme, label = rests
                if any(s == scheme and (label is None or lab == label)
                       for s, lab in withheld):
                    continue
                if self.status(scheme) in ("validated", "partly") and HEADLINE.get(scheme):
                    continue  # replaced by the corrected claim below
            out.append(claim)
        ref_ident = ref.ident if ref else None
        ref_label = (f"{'Tabel' if lang == 'id' else 'Table'} {ref.number}") if ref else None

        def claim(text: str) -> dict:
            return {"text": text, "ref": ref_ident, "ref_label": ref_label}

        unvalidated = [s for s in self.schemes() if self.status(s) == "not_validated"]
        if unvalidated:
            names = ", ".join(unvalidated)
            out.append(claim(
                f"Belum divalidasi terhadap koder: {names}. Angka dari model ini adalah "
                "keluaran model mentah yang bisa keliru; jangan dijadikan temuan sebelum "
                "`pantau validate`." if lang == "id" else
                f"Not validated against coders: {names}. Figures from these models are raw "
                "model output that may be wrong; do not treat them as findings before "
                "`pantau validate`."))
        threshold = F.num(self.min_precision, lang, 2)
        for (scheme, label), precision in sorted(withheld.items()):
            out.append(claim(
                f"Presisi label {label} ({scheme}) terukur {F.num(precision, lang, 2)}, di "
                f"bawah ambang {threshold}: ringkasan ini tidak menyatakan temuan yang "
                "bersandar pada label itu." if lang == "id" else
                f"The measured precision of label {label} ({scheme}) is "
                f"{F.num(precision, lang, 2)}, below the threshold {threshold}: this summary "
                "states no finding that rests on it."))
        for scheme in self.schemes():
            if self.status(scheme) not in ("validated", "partly"):
                continue
            for label in HEADLINE.get(scheme) or []:
                if (scheme, label) in withheld:
                    continue
                est = self.estimates
                sub = est[(est["scheme"] == scheme) & (est["label"] == label)
                          & (est["group_kind"] == "candidate")
                          & (est["status"] != "not_validated")]
                if sub.empty:
                    continue
                name = labels.get(scheme, {}).get(label, label)
                parts = ", ".join(
                    f"{palette.label(r['group_value'])} "
                    f"{_interval(r['share'], r['share_low'], r['share_high'], lang, 1)}"
                    for _, r in sub.iterrows())
                diffs = self.differences(scheme, label, palette, lang)
                if lang == "id":
                    tail = (f" Berbeda nyata: {'; '.join(diffs)}." if diffs else
                            " IK 95%-nya bertumpang tindih: tidak ada perbedaan antarkandidat "
                            "yang dapat dinyatakan.")
                    out.append(claim(f"Proporsi terkoreksi {name} ({scheme}): {parts}.{tail}"))
                else:
                    tail = (f" Clear differences: {'; '.join(diffs)}." if diffs else
                            " Their 95% CIs overlap: no difference between candidates can be "
                            "stated.")
                    out.append(claim(f"Corrected share {name} ({scheme}): {parts}.{tail}"))
        return out
