"""pantau validate: stratified samples, blind coding, accuracy and corrected shares from the
store, the CLI."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from pantau import validate
from pantau.cli import app as cli
from pantau.models.codebook import SHIPPED
from pantau.web import coding
from pantau.web.db import WebStore


@pytest.fixture
def shipped_project(web_project):
    """The web fixture project with the shipped codebook (comment model variables)."""
    (web_project.root / "codebook.toml").write_text(SHIPPED.read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    return web_project


def _store(project):
    book = coding.load_codebook(project)
    return WebStore(project, build_index=False, flag_scheme=coding.flag_scheme(book)), book


def _truth(text: str) -> str:
    """What a coder would say of the fixture's comments: the model calls the questions
    'negative'; they are neutral."""
    if text.startswith("mantap"):
        return "positive"
    if text.startswith("dasar"):
        return "negative"
    return "neutral"


def test_sample_is_stratified_by_the_predicted_label(shipped_project):
    db, book = _store(shipped_project)
    try:
        drawn = validate.draw(db, book, "sentiment", coders=["ana", "budi"], overlap=0.5,
                              ci_width=0.5, seed=4)
        strata = {s["stratum"]: s for s in drawn["strata"]}
        rows = db.rows("SELECT stratum, count(*) AS n FROM validation_items WHERE "
                       "sample_id = ? GROUP BY 1", [drawn["sample_id"]], cache=False)
        doubles = db.one("SELECT count(DISTINCT position) AS n FROM coding_items WHERE "
                         "sample_id = ? AND double_coded", [drawn["sample_id"]], cache=False)
        assert validate.is_validation_sample(db, drawn["sample_id"])
    finally:
        db.close()
    # 24 posts x (question + attack) predicted negative, 24 support predicted positive
    assert strata["negative"]["population"] == 48 and strata["positive"]["population"] == 24
    sizes = {r["stratum"]: r["n"] for r in rows}
    expected = {h: validate.V.stratum_size(s["population"], 0.5) for h, s in strata.items()}
    assert sizes == expected
    assert doubles["n"] == round(drawn["items"] * 0.5)
    assert drawn["schemes"] == ["sentiment"] and drawn["target"] == "comment"


def test_accuracy_and_corrected_shares_from_the_codes(shipped_project):
    db, book = _store(shipped_project)
    try:
        drawn = validate.draw(db, book, "sentiment", coders=["ana"], overlap=0, ci_width=0.5,
                              seed=9)
        items = db.rows("""SELECT i.position, c.text, v.stratum FROM coding_items i
                           JOIN comments c ON c.platform = i.platform
                                          AND c.comment_id = i.target_id
                           JOIN validation_items v ON v.sample_id = i.sample_id
                            AND v.platform = i.platform AND v.target_id = i.target_id
                           WHERE i.sample_id = ?""", [drawn["sample_id"]], cache=False)
        for it in items:
            coding.save_item(db, book, sample_id=drawn["sample_id"], position=it["position"],
                             coder="ana", codes={"sentiment": [_truth(it["text"])]})
        accuracy, estimates = validate.compute(db, book, bootstrap=200)
    finally:
        db.close()
    negative = [it for it in items if it["stratum"] == "negative"]
    right = sum(_truth(it["text"]) == "negative" for it in negative)
    acc = {r["label"]: r for r in accuracy if r["scheme"] == "sentiment"}
    assert acc["negative"]["precision"] == pytest.approx(right / len(negative))
    assert acc["positive"]["precision"] == pytest.approx(1.0)
    assert acc["negative"]["coded"] == len(items)
    est = {r["label"]: r for r in estimates if r["scheme"] == "sentiment"
           and r["group_kind"] == "all"}
    # corrected neutral = 48 predicted negative x share of them coded neutral
    share_neutral = sum(_truth(it["text"]) == "neutral" for it in negative) / len(negative)
    assert est["neutral"]["count"] == pytest.approx(48 * share_neutral)
    assert est["neutral"]["raw_count"] == 0
    assert est["neutral"]["status"] == "validated"
    per_candidate = [r for r in estimates if r["scheme"] == "sentiment"
                     and r["group_kind"] == "candidate"]
    assert per_candidate and {r["group_value"] for r in per_candidate} >= {"pair-1"}
    # a model not validated is said so, with its raw share
    question = [r for r in estimates if r["scheme"] == "question"]
    assert question and {r["status"] for r in question} == {"not_validated"}


def test_validation_samples_are_coded_blind(shipped_project):
    from tests.web.support import make_client

    db, book = _store(shipped_project)
    try:
        drawn = validate.draw(db, book, "toxicity", coders=["ana"], overlap=0, ci_width=0.5,
                              seed=1)
    finally:
        db.close()
    client, store = make_client(shipped_project)
    try:
        client.post("/coding/coder", data={"coder": "ana",
                                           "csrf": _csrf(client)})
        page = client.get(f"/coding/samples/{drawn['sample_id']}/code?lang=en")
    finally:
        client.close()
        store.close()
    assert page.status_code == 200
    assert "model:toxicity" not in page.text and "blind" in page.text.lower()


def _csrf(client) -> str:
    from tests.web.support import csrf_of

    return csrf_of(client.get("/coding").text)


def test_cli_validate_and_report(shipped_project):
    root = str(shipped_project.root)
    runner = CliRunner()
    drawn = runner.invoke(cli, ["validate", "--project", root, "--coders", "ana,budi",
                                "--ci-width", "0.5", "--seed", "2", "--json"])
    assert drawn.exit_code == 0, drawn.output
    tasks = Counter(s["task"] for s in json.loads(drawn.output)["samples"])
    assert {"sentiment", "question", "toxicity", "category", "function"} <= set(tasks)
    shown = runner.invoke(cli, ["validate", "report", "--project", root])
    assert shown.exit_code == 0, shown.output
    assert "not validated" in shown.output and "sentiment" in shown.output
    missing = runner.invoke(cli, ["validate", "--project", root])
    assert missing.exit_code != 0 and "--coders" in missing.output
    unknown = runner.invoke(cli, ["validate", "--project", root, "--task", "lang",
                                  "--coders", "ana"])
    assert unknown.exit_code != 0 and "cannot be validated" in unknown.output


def test_report_shows_accuracy_corrected_shares_and_withholds_low_precision(shipped_project,
                                                                            tmp_path):
    db, book = _store(shipped_project)
    try:
        drawn = validate.draw(db, book, "sentiment", coders=["ana"], overlap=0, ci_width=0.5,
                              seed=9)
        for it in db.rows("""SELECT i.position, c.text FROM coding_items i JOIN comments c
                             ON c.platform = i.platform AND c.comment_id = i.target_id
                             WHERE i.sample_id = ?""", [drawn["sample_id"]], cache=False):
            coding.save_item(db, book, sample_id=drawn["sample_id"], position=it["position"],
                             coder="ana", codes={"sentiment": [_truth(it["text"])]})
    finally:
        db.close()
    root = str(shipped_project.root)
    runner = CliRunner()
    assert runner.invoke(cli, ["analyze", "--project", root]).exit_code == 0
    out = tmp_path / "r.html"
    made = runner.invoke(cli, ["report", "--project", root, "--lang", "en", "-o", str(out)])
    assert made.exit_code == 0, made.output
    html = out.read_text(encoding="utf-8")
    assert "Model accuracy and corrected estimates" in html
    assert "macro-F1" in html  # the model table's "Accuracy vs coders" is filled
    # half the comments the model calls negative are questions: precision ~0.5 < 0.70
    assert "The measured precision of label negative (sentiment)" in html
    assert "Share of negative comments" not in html  # the raw finding is withheld
    assert "Not validated against coders: question" in html
    assert "Olofsson" in html and "Buonaccorsi" in html
