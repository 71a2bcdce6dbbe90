"""Reviewing compliance leads: decisions are stored with who and when, dismissed leads leave the
report's counts, escalated ones are exported for Bawaslu with the raw record's hash."""

from __future__ import annotations

import csv
import hashlib

import pytest

from pantau import leads
from pantau.analysis import run_all
from pantau.errors import PantauError
from tests.conftest import BEKASI_TOML

from .fixture import build


@pytest.fixture
def analysed(tmp_path):
    project = build(tmp_path / "proj", BEKASI_TOML)
    run_all(project)
    con = project.connect()
    yield project, con
    con.close()


def _key(con, target_id: str) -> str:
    return con.execute("SELECT lead_key FROM analysis_findings WHERE target_id = ?",
                       [target_id]).fetchone()[0]


def test_a_review_is_stored_with_who_and_when_and_the_latest_is_in_force(analysed):
    _, con = analysed
    key = _key(con, "p10")
    leads.review(con, key, "reviewed", note="cek konteks", reviewer="ana")
    finding_id = leads.find_lead(con, key)["finding_id"]
    found = leads.review(con, finding_id, "escalated", note="lapor", reviewer="budi")
    assert (found["review_status"], found["reviewer"], found["review_note"]) == (
        "escalated", "budi", "lapor")
    history = con.execute("SELECT status, reviewer, reviewed_at FROM lead_reviews "
                          "ORDER BY reviewed_at").fetchall()
    assert [h[:2] for h in history] == [("reviewed", "ana"), ("escalated", "budi")]
    assert all(h[2] is not None for h in history)


def test_bad_reviews_are_refused_with_a_hint(analysed):
    _, con = analysed
    with pytest.raises(PantauError, match="unknown review status"):
        leads.review(con, _key(con, "p10"), "ignored", reviewer="ana")
    with pytest.raises(PantauError, match="no lead"):
        leads.review(con, "nope", "dismissed", reviewer="ana")
    with pytest.raises(PantauError, match="reviewer"):
        leads.review(con, _key(con, "p10"), "dismissed", reviewer=" ")


def test_dismissed_leads_leave_the_report_counts(analysed, tmp_path):
    from pantau.report import write_report

    project, con = analysed
    before = con.execute(f"SELECT count(*) FROM ({leads.counted_sql(con)})").fetchone()[0]
    leads.review(con, _key(con, "p10"), "dismissed", note="bukan kampanye", reviewer="ana")
    leads.review(con, _key(con, "p3"), "reviewed", reviewer="ana")
    after = con.execute(f"SELECT count(*) FROM ({leads.counted_sql(con)})").fetchone()[0]
    assert after == before - 1
    con.close()
    html = write_report(project, tmp_path / "r.html").read_text("utf-8")
    summary = html.split('data-section="summary"')[1].split("</section>")[0]
    assert f"{after} temuan kepatuhan" in summary
    assert "1 temuan yang diabaikan" in html
    assert 'id="quiet_period_post-' in html and "sudah ditinjau" in html


def test_escalated_export_lists_what_bawaslu_asks_for(analysed, tmp_path):
    project, con = analysed
    leads.review(con, _key(con, "c10"), "escalated", note="lapor", reviewer="ana")
    leads.review(con, _key(con, "p10"), "dismissed", reviewer="ana")
    result = leads.export_escalated(project, con, tmp_path / "bawaslu.csv")
    assert result["leads"] == 1
    with open(result["file"], encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(leads.EXPORT_COLUMNS)
    row = rows[0]
    assert row["target_id"] == "c10" and row["account"].startswith("warga-")
    assert "28 ayat (2)" in row["legal_basis"] and row["url"].endswith("/p14")
    assert row["time_local"].startswith("2024-10-15 20:00") and row["timezone"] == "Asia/Jakarta"
    assert "kafir" in row["evidence"]
    assert row["raw_record_sha256"] == ""  # the fixture store was filled without imports


def test_safe_cell_defuses_formulas():
    assert leads.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert leads.safe_cell("halo") == "halo" and leads.safe_cell(3) == 3


def test_raw_record_hash_of_an_imported_lead(demo_project_leads, tmp_path):
    project, con = demo_project_leads
    from pantau.demo.scenario import PLANTED_MARK

    post_id = con.execute("SELECT post_id FROM posts WHERE text = ?", [
        "Ada amplop dan uang transport untuk yang datang ke kampanye besok!" + PLANTED_MARK
    ]).fetchone()[0]
    key = con.execute("SELECT lead_key FROM analysis_findings WHERE target_id = ? AND "
                      "rule_id = 'money_politics'", [post_id]).fetchone()[0]
    leads.review(con, key, "escalated", reviewer="ana")
    out = leads.export_escalated(project, con, tmp_path / "b.csv")
    with open(out["file"], encoding="utf-8-sig") as fh:
        row = next(csv.DictReader(fh))
    assert row["raw_file"].startswith("raw") and int(row["raw_line"]) >= 1
    kept = (project.root / row["raw_file"]).read_text("utf-8").splitlines()
    record = kept[int(row["raw_line"]) - 1]
    assert post_id in record
    assert row["raw_record_sha256"] == hashlib.sha256(record.encode("utf-8")).hexdigest()
    assert "Pasal 73" in row["legal_basis"]


@pytest.fixture(scope="module")
def demo_project_leads(tmp_path_factory):
    from pantau.demo import build_demo
    from pantau.project import Project

    root = tmp_path_factory.mktemp("leads-demo") / "demo"
    build_demo(root, seed=11, scale=0.05, steps=("import", "enrich", "analyze"),
               raise_errors=True)
    project = Project.find(root)
    con = project.connect()
    yield project, con
    con.close()


def test_the_leads_commands(analysed, tmp_path):
    import json

    from tests.test_cli import one_line_error, run

    project, con = analysed
    key = _key(con, "p10")
    con.close()
    root = str(project.root)
    listed = json.loads(run("leads", "list", "--project", root, "--json").output)
    assert key in {r["lead_key"] for r in listed}
    result = run("leads", "review", key, "--status", "escalated", "--note", "lapor", "--by",
                 "ana", "--project", root)
    assert result.exit_code == 0 and "escalated by ana" in result.output
    escalated = json.loads(run("leads", "list", "--status", "escalated", "--project", root,
                               "--json").output)
    assert [r["lead_key"] for r in escalated] == [key]
    out = tmp_path / "bawaslu.csv"
    result = run("leads", "export", "-o", str(out), "--project", root)
    assert result.exit_code == 0 and "1 escalated" in result.output
    assert key in out.read_text("utf-8-sig")
    bad = run("leads", "review", "nope", "--status", "dismissed", "--by", "ana", "--project",
              root)
    assert bad.exit_code != 0
    one_line_error(bad)
