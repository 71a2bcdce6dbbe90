"""End to end on the demo: the campaigns campaigns.py plants are found at the default settings,
and the organic look-alikes (slogans fans repeat over days, a viral news link) are not."""

from __future__ import annotations

import json

import pytest

from pantau.analysis.base import Context
from pantau.analysis.coordination import (
    detect,
    flagged_accounts,
    load_settings,
    run,
    with_copy_definition,
)
from pantau.analysis.coordination.evaluate import score, truth_sets
from pantau.demo import build_demo
from pantau.project import Project


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("coord-demo") / "demo"
    build_demo(root, steps=("import",))
    return root


def test_demo_records_what_it_planted(demo):
    truth = json.loads((demo / "planted_coordination.json").read_text("utf-8"))
    kinds = {g["kind"] for g in truth["groups"]}
    assert {"copy_paste_burst", "co_comment_ring", "link_push", "organic_slogan",
            "organic_viral_link"} <= kinds
    planted, expected, organic = truth_sets(truth["groups"])
    assert len(expected) >= 40 and len(organic) >= 60 and not planted & organic


def test_planted_networks_are_found_and_lookalikes_are_not(demo):
    truth = json.loads((demo / "planted_coordination.json").read_text("utf-8"))["groups"]
    project = Project(demo)
    con = project.connect()
    try:
        settings = with_copy_definition(load_settings(demo), project)
        flagged = flagged_accounts(con, detect(con, settings))
        everyone = {tuple(r) for r in con.execute(
            "SELECT platform, account_id FROM _co_actors").fetchall()}
        result = score(flagged, truth, everyone)
        assert result.precision >= 0.9 and result.recall >= 0.85, result
        assert result.organic_flagged == 0, result
        # every kind of planted campaign is represented among the flagged accounts
        for kind in ("copy_paste_burst", "co_comment_ring", "link_push"):
            members = {(a["platform"], a["account_id"]) for g in truth if g["kind"] == kind
                       for a in g["accounts"]}
            assert flagged & members, kind
        summary = run(Context(project, con), settings)
        pushed = con.execute("SELECT list_distinct(flatten(list(top_urls))) FROM "
                             "analysis_coordination_communities").fetchone()[0]
    finally:
        con.close()
    assert summary["communities"] >= 5
    assert any("s.id/faktapaslon3" in u for u in pushed)
    assert not any("detik.com" in u for u in pushed)  # the genuine viral link
