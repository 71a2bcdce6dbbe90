"""Coordination signals on small hand-built data, the null threshold, settings, and the whole
detection on a hand-built store."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np
import pytest

from pantau.analysis.coordination import signals as sg
from pantau.analysis.coordination.events import Events
from pantau.analysis.coordination.network import shuffled_times, significant
from pantau.analysis.coordination.settings import load_settings, parse_duration
from pantau.errors import PantauError


def _events(rows, groups=None, items=()):
    """rows: (actor, t_seconds, post); groups: copy-paste group per row; items: (row, item)."""
    actor = np.array([r[0] for r in rows], np.int64)
    t = np.array([r[1] for r in rows], np.int64)
    ctx = np.array([r[2] for r in rows], np.int64)
    n = len(rows)
    return Events(actor=actor, t=t, ctx=ctx, ref=np.zeros(n, np.int64),
                  stratum=np.zeros(n, np.int64), is_comment=np.ones(n, bool),
                  group=np.array(groups if groups is not None else [-1] * n, np.int64),
                  item_event=np.array([i for i, _ in items], np.int64),
                  item=np.array([k for _, k in items], np.int64),
                  n_actors=int(actor.max()) + 1, n_items=len({k for _, k in items}),
                  seconds={})


def _weight(pw: sg.PairWeights, a: int, b: int, n: int) -> int:
    code = min(a, b) * n + max(a, b)
    hit = np.flatnonzero(pw.pairs == code)
    return int(pw.weights[hit[0]]) if len(hit) else 0


def test_window_pairs_same_key_other_actor_within_window():
    key = np.array([1, 1, 1, 2, 1])
    t = np.array([0, 100, 700, 50, 650])
    actor = np.array([0, 1, 2, 3, 0])
    i, j = sg.window_pairs(key, t, actor, 600, 200)
    got = sorted((int(a), int(b)) for a, b in zip(i, j, strict=True))
    # 0-1 (100 s), 1-4 (550 s), 4-2 (50 s), 1-2 (600 s: inclusive); 0-4 same actor;
    # row 3 has another key
    assert got == [(0, 1), (1, 2), (1, 4), (4, 2)]


def test_window_pairs_skips_crowds():
    # six actions within 100 s: the first three have more than two later ones in the window
    # (a crowd) and pair with nobody; the last three pair among themselves
    key = np.zeros(6, np.int64)
    t = np.arange(6)
    actor = np.arange(6)
    i, j = sg.window_pairs(key, t, actor, 100, 2)
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == [(3, 4), (3, 5), (4, 5)]
    i, _ = sg.window_pairs(key, t, actor, 100, 5)
    assert len(i) == 15


def test_co_comment_counts_posts_within_window_only():
    rows = []
    for post in range(3):  # A and B within 5 minutes on three posts; C two hours later
        base = post * 86_400
        rows += [(0, base, post), (1, base + 300, post), (2, base + 7200, post)]
    ev = _events(rows)
    weights, evidence = sg.co_comment(ev, ev.t, 600, 200)
    assert _weight(weights, 0, 1, 3) == 3
    assert _weight(weights, 0, 2, 3) == 0 and _weight(weights, 1, 2, 3) == 0
    first, second = evidence.first[0], evidence.second[0]
    assert {int(ev.actor[first]), int(ev.actor[second])} == {0, 1}


def test_co_comment_counts_one_post_once():
    rows = [(0, 0, 0), (1, 10, 0), (0, 20, 0), (1, 30, 0)]
    ev = _events(rows)
    weights, _ = sg.co_comment(ev, ev.t, 600, 200)
    assert _weight(weights, 0, 1, 2) == 1


def test_copy_paste_links_posts_and_respects_window():
    # group 7 pasted by A on post 0 and B on post 1 ten minutes later (cross-post), twice
    # on different days; C pastes it a day later
    rows = [(0, 0, 0), (1, 600, 1), (0, 200_000, 2), (1, 200_300, 3), (2, 90_000, 4)]
    ev = _events(rows, groups=[7, 7, 7, 7, 7])
    weights, _ = sg.copy_paste(ev, ev.t, 3600, 200)
    assert _weight(weights, 0, 1, 3) == 2
    assert _weight(weights, 0, 2, 3) == 0
    narrow, _ = sg.copy_paste(ev, ev.t, 60, 200)
    assert _weight(narrow, 0, 1, 3) == 0


def test_co_share_needs_the_same_item():
    rows = [(0, 0, 0), (1, 60, 1), (2, 90, 2)]
    ev = _events(rows, items=[(0, 5), (1, 5), (2, 6)])
    weights, _ = sg.co_share(ev, ev.t, 300, 200)
    assert _weight(weights, 0, 1, 3) == 1
    assert _weight(weights, 0, 2, 3) == 0


def test_bursts_are_relative_to_the_accounts_own_rate():
    hour = 3600
    # account 0: one action a day for 20 days, then 4 in one hour -> a burst
    # account 1: 4 actions every hour for 20 hours -> busy, but that is its baseline
    t0 = [d * 86_400 for d in range(20)] + [10 * 86_400 + 600 + k for k in range(4)]
    t1 = [h * hour + k * 60 for h in range(20) for k in range(4)]
    actor = np.array([0] * len(t0) + [1] * len(t1))
    who, where = sg.bursts(actor, np.array(t0 + t1), 2, hour, 3, 5.0)
    assert who.tolist() == [0]
    assert where.tolist() == [(10 * 86_400) // hour]


def test_sync_burst_pairs_accounts_bursting_in_the_same_bins():
    hour = 3600
    rows = []
    for a in (0, 1, 2):
        rows += [(a, d * 86_400 + 5000, 9) for d in range(30)]  # daily baseline
    for day in (3, 12):  # 0 and 1 burst together twice, 2 bursts alone once
        for a in (0, 1):
            rows += [(a, day * 86_400 + 40_000 + k * 60, day) for k in range(5)]
    rows += [(2, 20 * 86_400 + 40_000 + k * 60, 20) for k in range(5)]
    ev = _events(rows)
    weights, evidence = sg.sync_burst(ev, ev.t, hour, 3, 5.0, 200)
    assert _weight(weights, 0, 1, 3) == 2
    assert _weight(weights, 0, 2, 3) == 0
    assert {int(ev.actor[evidence.first[0]]), int(ev.actor[evidence.second[0]])} == {0, 1}


def test_share_window_follows_the_coornet_rule():
    # ten items, each shared by 4 accounts; item k's shares come k*10 s apart after the first
    rows, items = [], []
    for k in range(1, 11):
        for s in range(4):
            items.append((len(rows), k))
            rows.append((s, 1000 * k + s * 10 * k, k))
    ev = _events(rows, items=items)
    window, info = sg.estimate_share_window(ev, 0.1, 0.5, 1, 10_000)
    # fastest 10%: item 1 (second share after 10 s); half of its 4 shares: the 2nd, at 10 s
    assert info["items"] == 1 and window == 10
    assert sg.estimate_share_window(ev, 0.1, 0.5, 60, 10_000)[0] == 60  # kept within bounds


def test_significance_uses_each_pairs_own_null_expectation():
    # busy pair 0 meets 10 times but 9 times in the shuffles too; quiet pair 1 meets 6 times
    # and never in the shuffles; pair 2 meets once
    observed = sg.PairWeights(np.array([0, 1, 2]), np.array([10, 6, 1]))
    nulls = [sg.PairWeights(np.array([0]), np.array([9])),
             sg.PairWeights(np.array([0, 2]), np.array([9, 1]))]
    keep, p = significant(observed, nulls, 0.05, 2)
    assert keep.tolist() == [False, True, False]
    assert p[0] > 0.1 and p[1] < 1e-3 and p[2] == 1.0


def test_null_permutes_delays_within_strata_only():
    ev = _events([(0, 100, 0), (1, 200, 0), (2, 300, 1), (3, 5000, 1)])
    ev.ref = np.array([0, 0, 100, 100])
    ev.stratum = np.array([0, 0, 1, 1])
    seen = set()
    for seed in range(20):
        t = shuffled_times(ev, np.random.default_rng(seed))
        assert sorted((t - ev.ref)[:2].tolist()) == [100, 200]
        assert sorted((t - ev.ref)[2:].tolist()) == [200, 4900]
        seen.add(tuple(t.tolist()))
    assert len(seen) > 1


def test_durations_and_settings_errors(tmp_path):
    assert parse_duration("10m", "x") == 600 and parse_duration("1.5h", "x") == 5400
    assert parse_duration(90, "x") == 90
    with pytest.raises(PantauError, match="not a duration"):
        parse_duration("ten minutes", "--copy-window")
    (tmp_path / "coordination.toml").write_text('[co_comment]\nwindow = "5m"\n')
    settings = load_settings(tmp_path)
    assert settings.co_comment_window == 300
    assert settings.sources["co_comment_window"] == "coordination.toml"
    assert settings.scaled(1.25).windows["co_comment"] == 375
    (tmp_path / "coordination.toml").write_text('[co_comment]\nwindw = "5m"\n')
    with pytest.raises(PantauError, match=r"unknown key \[co_comment\] windw"):
        load_settings(tmp_path)


# -- the whole detection on a hand-built store ---------------------------------------------

def _fill_store(project) -> tuple[set[str], set[str]]:
    """Thirty posts; 120 organic commenters at random times; a ring of four accounts
    commenting on eight posts within two minutes, each its own words; four accounts pasting
    one script under six posts within ten minutes. Returns (ring + pasters, organic)."""
    rng = random.Random(5)
    start = datetime(2024, 10, 1, 8)
    posts = [(f"p{k}", start + timedelta(hours=20 * k)) for k in range(30)]
    comments = []
    words = ["banjir", "macet", "sampah", "sekolah", "jalan", "harga", "kerja", "pasar",
             "air", "listrik", "taman", "parkir", "pajak", "lampu", "got", "pohon"]

    def add(author, post, when, text):
        comments.append((f"c{len(comments)}", post, author, when, text))

    for k, (pid, created) in enumerate(posts):
        for _ in range(25):
            author = f"org{rng.randrange(120)}"
            text = " ".join(rng.sample(words, 5)) + f" {k}"
            add(author, pid, created + timedelta(minutes=rng.expovariate(1 / 300)), text)
    ring = [f"ring{i}" for i in range(4)]
    for k in range(2, 26, 3):
        pid, created = posts[k]
        at = created + timedelta(minutes=rng.uniform(10, 200))
        for i, author in enumerate(ring):
            text = " ".join(rng.sample(words, 6)) + f" ring {i} {k}"
            add(author, pid, at + timedelta(seconds=rng.uniform(0, 120)), text)
    pasters = [f"paste{i}" for i in range(4)]
    for k in range(1, 30, 5):
        pid, created = posts[k]
        at = created + timedelta(minutes=rng.uniform(5, 60))
        for author in pasters:
            add(author, pid, at + timedelta(seconds=rng.uniform(0, 600)),
                "Pilih nomor dua untuk Bekasi yang lebih baik, ayo menang!")
    con = project.connect()
    try:
        con.executemany("INSERT INTO posts (platform, post_id, account_id, created_at, text) "
                        "VALUES ('tiktok', ?, 'cand', ?, 'video kampanye')", posts)
        con.executemany("INSERT INTO comments (platform, comment_id, post_id, author_id, "
                        "author_handle, created_at, text) VALUES ('tiktok', ?, ?, ?, ?, ?, ?)",
                        [(c, p, a, a, w, t) for c, p, a, w, t in comments])
        con.execute("INSERT INTO accounts (platform, account_id, handle, candidate_id, role) "
                    "VALUES ('tiktok', 'cand', 'calon.demo', 'pair-2', 'official')")
    finally:
        con.close()
    return set(ring) | set(pasters), {f"org{i}" for i in range(120)}


def test_detection_finds_the_ring_and_the_pasters_not_the_crowd(project):
    from pantau.analysis.base import Context
    from pantau.analysis.coordination import (
        detect,
        flagged_accounts,
        load_settings,
        run,
        with_copy_definition,
    )

    planted, organic = _fill_store(project)
    con = project.connect()
    try:
        settings = with_copy_definition(load_settings(project.root), project)
        flagged = {a for _, a in flagged_accounts(con, detect(con, settings))}
        assert flagged == planted
        summary = run(Context(project, con), settings)
        assert summary["communities"] == 2
        rows = con.execute("SELECT * FROM analysis_coordination_communities "
                           "ORDER BY community_id").dicts()
        assert [r["accounts"] for r in rows] == [4, 4]
        accounts = con.execute("SELECT account FROM analysis_coordination_accounts").fetchall()
        # pseudonymised: no raw handle in the table
        assert all(r[0].startswith("warga-") for r in accounts)
        evidence = con.execute("SELECT signal, minutes_apart FROM "
                               "analysis_coordination_evidence").fetchall()
        assert {s for s, _ in evidence} >= {"co_comment", "copy_paste"}
        assert all(m <= 10 for s, m in evidence if s == "copy_paste")
        signals = {r["signal"]: r for r in con.execute(
            "SELECT * FROM analysis_coordination_signals").dicts()}
        assert signals["co_comment"]["threshold"] >= 2
    finally:
        con.close()
    assert not flagged & organic


def test_graph_exports_read_back(project, tmp_path):
    import xml.dom.minidom

    import igraph as ig

    from pantau.analysis.base import Context
    from pantau.analysis.coordination import run
    from pantau.analysis.coordination.graph_export import write_gexf, write_graphml

    _fill_store(project)
    con = project.connect()
    try:
        run(Context(project, con))
        n_edges = con.execute("SELECT count(*) FROM analysis_coordination_edges").fetchone()[0]
        write_graphml(con, tmp_path / "g.graphml")
        write_gexf(con, tmp_path / "g.gexf")
    finally:
        con.close()
    graph = ig.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    assert graph.vcount() == 8 and graph.ecount() == n_edges
    doc = xml.dom.minidom.parse(str(tmp_path / "g.gexf"))
    assert len(doc.getElementsByTagName("node")) == 8
    assert len(doc.getElementsByTagName("edge")) == n_edges


def test_mentions_in_evidence_texts_are_pseudonymised(project):
    from pantau.analysis.base import Context
    from pantau.analysis.coordination import run

    _fill_store(project)
    con = project.connect()
    try:
        con.execute("UPDATE comments SET text = text || ' cc @budi.santoso' "
                    "WHERE author_id LIKE 'paste%'")
        run(Context(project, con))
        texts = [r[0] for r in con.execute(
            "SELECT text_a FROM analysis_coordination_evidence WHERE signal = 'copy_paste'"
        ).fetchall()]
        tops = con.execute("SELECT flatten(list(top_texts)) FROM "
                           "analysis_coordination_communities").fetchone()[0]
    finally:
        con.close()
    assert texts and all("@warga-" in t and "budi" not in t for t in texts)
    assert all("budi" not in t for t in tops)


def test_pantau_export_writes_the_network_for_gephi(project, tmp_path):
    import igraph as ig

    from pantau.report.export import export_project

    _fill_store(project)
    result = export_project(project, tmp_path / "out", "csv")
    assert sorted(p.rsplit("/", 1)[1] for p in result["network"]) == [
        "coordination_network.gexf", "coordination_network.graphml"]
    graph = ig.Graph.Read_GraphML(str(tmp_path / "out" / "coordination_network.graphml"))
    assert graph.vcount() == 8
    assert (tmp_path / "out" / "analysis_coordination_communities.csv").exists()
