"""Reviewing compliance leads: an observer marks each lead (analysis_findings, by its stable
`lead_key`) reviewed, dismissed or escalated, with a note, who and when (table lead_reviews,
one row per decision; the latest is in force). Dismissed leads leave the report's counts;
escalated ones can be exported for a report to Bawaslu with the evidence Bawaslu asks for
(who, when, where, what, the rule and its legal basis) and the SHA-256 of the raw record kept
from the import, so the evidence can be shown to be unchanged.

    pantau leads list [--status escalated]
    pantau leads review LEAD --status dismissed --note "satire account" --by ana
    pantau leads export -o bawaslu.csv
"""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import PantauError

STATUSES = ("reviewed", "dismissed", "escalated")

LATEST = """
    SELECT lead_key, arg_max(status, reviewed_at) AS review_status,
           arg_max(note, reviewed_at) AS review_note, arg_max(reviewer, reviewed_at) AS reviewer,
           max(reviewed_at) AS reviewed_at
    FROM lead_reviews GROUP BY lead_key"""


def has_reviews(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                            "'lead_reviews'").fetchone()[0])


def findings_sql(con, where: str = "true", *, reviews: bool | None = None) -> str:
    """analysis_findings with each lead's review in force (review_status NULL: not reviewed).
    `reviews`: whether the table lead_reviews exists (asked from `con` when None)."""
    if not (has_reviews(con) if reviews is None else reviews):
        return (f"SELECT f.*, NULL::VARCHAR AS review_status, NULL::VARCHAR AS review_note, "
                f"NULL::VARCHAR AS reviewer, NULL::TIMESTAMP AS reviewed_at "
                f"FROM analysis_findings f WHERE {where}")
    return (f"SELECT f.*, r.review_status, r.review_note, r.reviewer, r.reviewed_at "
            f"FROM analysis_findings f LEFT JOIN ({LATEST}) r USING (lead_key) WHERE {where}")


def counted_sql(con) -> str:
    """The leads the report counts: all but the dismissed ones."""
    return findings_sql(con, "coalesce(r.review_status, '') <> 'dismissed'"
                        if has_reviews(con) else "true")


def find_lead(con, lead: str) -> dict[str, Any]:
    """A lead by its lead_key or its finding_id (e.g. quiet_period_post-3)."""
    rows = con.execute(findings_sql(con, "f.lead_key = ? OR f.finding_id = ?"),
                       [lead, lead]).dicts()
    if not rows:
        raise PantauError(f"no lead {lead!r} in analysis_findings",
                          "`pantau leads list` shows the leads and their keys (run `pantau "
                          "analyze` first if the list is empty)")
    return rows[0]


def review(con, lead: str, status: str, *, note: str | None = None,
           reviewer: str) -> dict[str, Any]:
    """Record a decision on a lead; returns the lead with its new review."""
    if status not in STATUSES:
        raise PantauError(f"unknown review status {status!r}", f"use one of {', '.join(STATUSES)}")
    if not reviewer or not reviewer.strip():
        raise PantauError("a review needs the reviewer's name", "pass --by NAME")
    found = find_lead(con, lead)
    con.execute("INSERT INTO lead_reviews VALUES (?, ?, ?, ?, ?)",
                [found["lead_key"], status, note or None, reviewer.strip(),
                 datetime.now(UTC).replace(tzinfo=None)])
    return find_lead(con, found["lead_key"])


EXPORT_COLUMNS = (
    "lead_key", "finding_id", "kind", "rule_id", "rule", "legal_basis", "candidate_id",
    "platform", "target", "target_id", "account", "time_local", "timezone", "url", "evidence",
    "review_note", "reviewer", "reviewed_at_utc", "raw_import_id", "raw_file", "raw_line",
    "raw_record_sha256", "raw_file_sha256",
)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (text starting with = + - @ gets a
    leading apostrophe, as spreadsheet programs themselves write it)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def raw_evidence(con, root: Path, platform: str, target: str, target_id: str) -> dict[str, Any]:
    """Where the lead's record sits in the file kept from its import, and the SHA-256 of that
    record's text (UTF-8) and of the whole kept file. Empty values when the store keeps no
    copy (an import made by a library call) or the record cannot be found."""
    from .raw import kept_import, read_kept

    table, column = {"post": ("posts", "post_id"), "comment": ("comments", "comment_id")}.get(
        target, (None, None))
    empty = {"raw_import_id": None, "raw_file": None, "raw_line": None,
             "raw_record_sha256": None, "raw_file_sha256": None}
    if table is None or not target_id:
        return empty
    row = con.execute(f"SELECT import_id FROM {table} WHERE platform = ? AND {column} = ?",
                      [platform, target_id]).fetchone()
    if not row or row[0] is None:
        return empty
    import_id = int(row[0])
    file_sha = con.execute("SELECT sha256 FROM imports WHERE import_id = ?",
                           [import_id]).fetchone()
    try:
        kept = kept_import(con, root, import_id)
    except PantauError:
        return {**empty, "raw_import_id": import_id, "raw_file_sha256": file_sha[0]}
    needle = str(target_id)
    for record in read_kept(kept):
        if needle in record.text:
            return {"raw_import_id": import_id, "raw_file": str(kept.raw_path.relative_to(root)),
                    "raw_line": record.line_no,
                    "raw_record_sha256": hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
                    "raw_file_sha256": file_sha[0] if file_sha else None}
    return {**empty, "raw_import_id": import_id, "raw_file_sha256": file_sha[0]}


def export_escalated(project, con, out: Path, lang: str = "id") -> dict[str, Any]:
    """The escalated leads as CSV (UTF-8 with BOM, so spreadsheet programs read it), one row
    per lead with everything a report to Bawaslu needs. Commenters stay pseudonymised, as in
    every export: reveal one only when filing, from the store."""
    rows = con.execute(findings_sql(con, "r.review_status = 'escalated'")
                       if has_reviews(con) else findings_sql(con, "false")).dicts()
    tz = project.config.election.timezone
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_COLUMNS)
        for r in rows:
            raw = raw_evidence(con, project.root, r["platform"], r["target"], r["target_id"])
            values = {
                **r, **raw, "rule": r["rule"] if lang == "id" else r.get("rule_en") or r["rule"],
                "account": r["who"], "time_local": r["when_local"], "timezone": tz,
                "reviewed_at_utc": r["reviewed_at"],
            }
            writer.writerow([safe_cell(values.get(c)) for c in EXPORT_COLUMNS])
    return {"file": str(out), "leads": len(rows)}
