"""The shipped rules files: every rule can fire (its flags have a producer), cites its legal
basis, and on the synthetic demo fires on its planted case and on none of its non-cases."""

from __future__ import annotations

import pytest

from pantau.rules_data import (
    SHIPPED,
    load_rules,
    producible_flags,
    rule_flags,
    unproducible_flags,
)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_flag_a_rules_file_names_has_a_producer(name):
    rules = load_rules(name)
    assert rule_flags(rules)  # the file does name flags
    assert unproducible_flags(rules) == {}


def test_a_flag_nothing_produces_is_reported():
    rules = load_rules("pilkada-2024")
    rules["prohibited"].append({"id": "made_up", "rule": "x", "legal_basis": "y",
                                "flags": ["no_model_writes_this", "hate"]})
    assert unproducible_flags(rules) == {"made_up": ["no_model_writes_this"]}


def test_codebook_flags_and_model_labels_are_producible():
    known = producible_flags()
    assert {"money_or_goods", "asn_tni_polri", "children", "incitement", "unverified_claim",
            "hate", "abusive", "sara", "religion"} <= known
    assert "none" not in known


@pytest.mark.parametrize("name", SHIPPED)
def test_every_rule_cites_its_legal_basis(name):
    rules = load_rules(name)
    for section in ("accounts", "quiet_period", "campaign", "ads", "public_comments"):
        assert rules[section]["legal_basis"], section
        assert rules[section]["rule_en"], section
    for rule in rules["prohibited"]:
        assert rule["legal_basis"] and rule["rule_en"], rule["id"]
    text = " ".join(r["legal_basis"] for r in rules["prohibited"])
    if name == "pilkada-2024":
        assert "Pasal 69 huruf c" in text and "187A" in text and "UU 35/2014 Pasal 15" in text
        assert "1363/2024" in rules["accounts"]["legal_basis"]
        assert "PKPU 1363" not in str(rules)
    else:
        assert "Pasal 280 ayat (2) huruf k" in text and "Pasal 493" in text and "523" in text
    incitement = next(r for r in rules["prohibited"] if r["id"] == "incitement")
    assert "unverified_claim" not in incitement["flags"]  # incitement is not a hoax
    assert rules["accounts"]["max_per_platform"] == 20
    assert {"party", "volunteer"} <= set(rules["accounts"]["binds_roles"])


def test_pilkada_calendar_starts_at_penetapan():
    rules = load_rules("pilkada-2024")
    before = next(p for p in rules["phases"] if p["id"] == "before_campaign")
    assert str(before["start"]) == "2024-09-22"
    events = {e["id"]: str(e["start"]) for e in rules["events"]}
    assert events["penetapan"] == "2024-09-22" and events["peace_declaration"] == "2024-09-24"
    assert str(rules["accounts"]["deactivate_by"]) == "2024-11-23 23:59:00"


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    from pantau.demo import build_demo
    from pantau.project import Project

    root = tmp_path_factory.mktemp("planted") / "demo"
    build_demo(root, seed=11, scale=0.05, steps=("import", "enrich", "analyze"),
               raise_errors=True)
    project = Project.find(root)
    con = project.connect()
    yield project, con
    con.close()


def test_every_rule_fires_on_its_planted_case_and_no_planted_non_case(demo_project):
    from pantau.demo.scenario import PLANTED, PLANTED_MARK

    _, con = demo_project
    leads = {(r[0], r[1], r[2]) for r in con.execute(
        "SELECT kind, rule_id, target_id FROM analysis_findings").fetchall()}
    failures = []
    for plant in PLANTED:
        if plant.reply:
            row = con.execute("SELECT comment_id FROM comments WHERE text = ?",
                              [plant.reply[1] + PLANTED_MARK]).fetchone()
        else:
            row = con.execute("SELECT post_id FROM posts WHERE text = ?",
                              [plant.text + PLANTED_MARK]).fetchone()
        assert row, f"planted {plant.rule} ({plant.case}) is not in the store"
        fired = (plant.kind, plant.rule, row[0]) in leads
        if fired != plant.case:
            failures.append((plant.rule, plant.kind, "case" if plant.case else "non-case",
                             plant.text))
    assert failures == []
    # every rule of the rules file has a planted case, except the account limit (fixture)
    rules = load_rules("pilkada-2024")
    planted = {p.rule for p in PLANTED if p.case}
    expected = {r["id"] for r in rules["prohibited"]} | {
        "outside_schedule", "quiet_period", "ads_window", "public_hate_speech"}
    assert expected <= planted


def test_demo_accounts_rules(demo_project):
    _, con = demo_project
    unregistered = {r[0] for r in con.execute(
        "SELECT who FROM analysis_findings WHERE kind = 'unregistered_official_account'"
    ).fetchall()}
    assert "uunurul.official.demo" in unregistered  # the planted case
    assert "uunurul.demo" not in unregistered  # registered: the non-case
