"""`pantau enrich`: labels with provenance, incremental, relabel on a new model version."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau import enrich as enrichment
from pantau import store
from pantau.cli import app
from pantau.enrich import labels, parallel
from pantau.models import registry
from pantau.models.train import train_project_model
from tests.conftest import query

runner = CliRunner()

COMMENTS = [
    "Mantap pak, lanjutkan! Semoga amanah 👍",
    "gk becus, jalan depan rumah rusak parah dari tahun lalu",
    "Pak kapan banjir di Jatiasih diatasi?",
    "Ayo coblos nomor 3 bersama Tri Adhianto untuk Bekasi maju",
    "Ayo coblos nomor 3 bersama Tri Adhianto untuk Bekasi maju!!",
    "good job sir",
    "",
]
POSTS = ["Blusukan ke pasar Bantargebang bersama warga, membahas sampah dan banjir #BekasiMaju",
         "Selamat Hari Guru! Pendidikan gratis untuk anak Bekasi"]


def fill(project) -> None:
    con = store.connect(project.store_path)
    try:
        for i, text in enumerate(POSTS):
            con.execute("INSERT INTO posts (platform, post_id, account_id, text) VALUES "
                        "('tiktok', ?, 'acc', ?)", [f"p{i}", text])
        for i, text in enumerate(COMMENTS):
            con.execute("INSERT INTO comments (platform, comment_id, post_id, author_id, text) "
                        "VALUES ('tiktok', ?, 'p0', ?, ?)", [f"c{i}", f"u{i}", text])
    finally:
        con.close()


def add_comment(project, cid: str, text: str) -> None:
    con = store.connect(project.store_path)
    try:
        con.execute("INSERT INTO comments (platform, comment_id, post_id, author_id, text) "
                    "VALUES ('tiktok', ?, 'p0', 'ux', ?)", [cid, text])
    finally:
        con.close()


def schemes(project, target: str) -> dict[str, int]:
    rows = query(project, "SELECT scheme, count(*) AS n FROM labels WHERE target = ? "
                 "GROUP BY scheme", [target])
    return {r["scheme"]: r["n"] for r in rows}


def test_enrich_labels_everything_with_provenance(project):
    fill(project)
    result = enrichment.enrich(project, batch_size=3)
    comment = schemes(project, "comment")
    assert comment["lang"] == len(COMMENTS) and comment["sentiment"] == len(COMMENTS)
    post = schemes(project, "post")
    assert post["lang"] == 2 and post["sentiment"] == 2 and post["slang_density"] == 2
    rows = query(project, "SELECT target_id, value, score, source FROM labels "
                 "WHERE scheme = 'sentiment' AND target = 'comment' ORDER BY target_id")
    assert rows[0]["value"] == "positive" and 0.5 < rows[0]["score"] <= 1.0
    assert all(r["source"] == result.sources["sentiment"] for r in rows)
    assert rows[0]["source"].startswith("model:sentiment@")
    lang = {r["target_id"]: r["value"] for r in query(
        project, "SELECT target_id, value FROM labels WHERE scheme = 'lang'")}
    assert lang["c0"] == "id" and lang["c5"] == "en" and lang["c6"] == "other"
    # every value is one the contract allows
    for r in query(project, "SELECT DISTINCT scheme, value FROM labels"):
        allowed = {"lang": {"id", "en", "other"},
                   "sentiment": {"positive", "negative", "neutral"},
                   "question": {"question", "request", "rhetorical", "not_question"},
                   "toxicity": {"none", "abusive", "hate"},
                   "sara": {"religion", "ethnicity", "race", "group"},
                   "comment_category": set(registry.CATEGORY_LABELS),
                   "post_function": set(registry.FUNCTION_LABELS),
                   "slang_density": {None}}.get(r["scheme"])
        if allowed is not None:
            assert r["value"] in allowed, r
    if "duplicate_group" in result.sources:  # category module present
        dups = query(project, "SELECT target_id, value FROM labels "
                     "WHERE scheme = 'duplicate_group' ORDER BY target_id")
        assert [d["target_id"] for d in dups] == ["c3", "c4"]
        assert dups[0]["value"] == dups[1]["value"]


SCRIPT = "Sudah terbukti peduli, sudah terbukti bekerja. Nomor 3 untuk Bekasi! 🔥"


def test_enrich_marks_coordinated_copies_with_the_time_window(project):
    """Four accounts paste a script within minutes (coordinated copy), fans repeat a slogan
    once a day (a copy, not coordinated); batches of 2 split both groups."""
    con = store.connect(project.store_path)
    try:
        con.execute("INSERT INTO posts (platform, post_id, account_id, text) VALUES "
                    "('tiktok', 'p0', 'acc', 'Kampanye di Jatiasih')")
        rows = [(f"b{k}", f"buzz{k}", SCRIPT, f"2024-11-20 10:0{k}:00") for k in range(4)]
        rows += [(f"s{k}", f"fan{k}", "Nomor 3 menang satu putaran, Bekasi lebih maju!",
                  f"2024-11-{10 + k} 09:00:00") for k in range(4)]
        for cid, author, text, when in rows:
            con.execute("INSERT INTO comments (platform, comment_id, post_id, author_id, "
                        "created_at, text) VALUES ('tiktok', ?, 'p0', ?, ?, ?)",
                        [cid, author, when, text])
    finally:
        con.close()
    result = enrichment.enrich(project, batch_size=2, workers=0)
    if "duplicate_group" not in result.sources:
        pytest.skip("category module not installed")
    labels = {r["target_id"]: r["value"] for r in query(
        project, "SELECT target_id, value FROM labels WHERE scheme = 'comment_category'")}
    assert [labels[f"b{k}"] for k in range(4)] == ["salinan"] * 4
    assert all(labels[f"s{k}"] not in ("salinan", "spam") for k in range(4))
    evidence = {r["target_id"]: json.loads(r["evidence"]) for r in query(
        project, "SELECT target_id, evidence FROM labels WHERE scheme = 'duplicate_group'")}
    assert evidence["b0"]["coordinated"] is True and evidence["b0"]["burst_accounts"] == 4
    assert evidence["s0"]["coordinated"] is False and evidence["s0"]["authors"] == 4
    # a later fan copy of the script, a day after the burst: a copy, not coordinated; the
    # earlier burst stays coordinated after the regrouping
    con = store.connect(project.store_path)
    try:
        con.execute("INSERT INTO comments (platform, comment_id, post_id, author_id, "
                    "created_at, text) VALUES ('tiktok', 'late', 'p0', 'fan9', "
                    "'2024-11-21 10:00:00', ?)", [SCRIPT])
    finally:
        con.close()
    enrichment.enrich(project, batch_size=2, workers=0)
    labels = {r["target_id"]: r["value"] for r in query(
        project, "SELECT target_id, value FROM labels WHERE scheme = 'comment_category'")}
    assert labels["late"] != "salinan" and labels["b0"] == "salinan"


def test_enrich_is_incremental(project):
    fill(project)
    enrichment.enrich(project)
    before = query(project, "SELECT count(*) AS n FROM labels")[0]["n"]
    again = enrichment.enrich(project)
    assert again.items == {"comment": 0, "post": 0}
    assert query(project, "SELECT count(*) AS n FROM labels")[0]["n"] == before
    add_comment(project, "c-new", "terima kasih pak")
    third = enrichment.enrich(project)
    assert third.items["comment"] == 1
    assert query(project, "SELECT count(*) AS n FROM labels WHERE target_id = 'c-new' "
                 "AND scheme = 'sentiment'")[0]["n"] == 1


def test_new_model_version_relabels_and_keeps_human_codes(project, tmp_path):
    fill(project)
    first = enrichment.enrich(project, tasks=["sentiment"])
    con = store.connect(project.store_path)
    con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, source) "
                "VALUES ('tiktok', 'comment', 'c0', 'sentiment', 'neutral', 'coder:ani')")
    con.close()
    data = tmp_path / "coded.csv"
    data.write_text("text,label\nbagus,positive\nmantap,positive\njelek,negative\n"
                    "rusak,negative\n", encoding="utf-8")
    train_project_model(project, "sentiment", data, folds=0)
    second = enrichment.enrich(project, tasks=["sentiment"])
    assert second.sources["sentiment"] != first.sources["sentiment"]
    assert second.removed["sentiment"] == len(COMMENTS) + len(POSTS)
    sources = {r["source"] for r in query(
        project, "SELECT DISTINCT source FROM labels WHERE scheme = 'sentiment'")}
    assert sources == {second.sources["sentiment"], "coder:ani"}


def test_enrich_cli(project):
    fill(project)
    old = Path.cwd()
    os.chdir(project.root)
    try:
        result = runner.invoke(app, ["enrich", "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out = json.loads(result.output)
        assert out["items"] == {"comment": len(COMMENTS), "post": len(POSTS)}
        assert out["labelled"]["comment"]["sentiment"] == len(COMMENTS)
        text = runner.invoke(app, ["enrich"], catch_exceptions=False)
        assert "Nothing new to label" in text.output
        bad = runner.invoke(app, ["enrich", "--task", "horoscope"], catch_exceptions=False)
        assert bad.exit_code == 1 and "unknown task" in bad.output
    finally:
        os.chdir(old)


def test_worker_processes_give_the_same_labels(make_project):
    a, b = make_project(name="a"), make_project(name="b")
    for p in (a, b):
        fill(p)
        for i in range(40):
            add_comment(p, f"x{i}", f"jalan {i} rusak gk diperbaiki" if i % 2 else f"mantap {i}")
    enrichment.enrich(a, tasks=["lang", "sentiment"], workers=0, batch_size=10)
    result = enrichment.enrich(b, tasks=["lang", "sentiment"], workers=2, batch_size=10)
    assert result.items["comment"] == len(COMMENTS) + 40
    sql = ("SELECT target, target_id, scheme, value, round(score, 4) AS s FROM labels "
           "ORDER BY ALL")
    assert query(a, sql) == query(b, sql)


def test_missing_model_module_is_skipped(project, monkeypatch):
    fill(project)
    spec = registry.TASKS["question"]
    monkeypatch.setitem(registry.TASKS, "question", registry.Task(
        spec.name, spec.model_name, spec.schemes, spec.targets,
        (("pantau.models.not_written_yet", "load"),), spec.labels))
    with pytest.warns(UserWarning, match="question skipped"):
        result = enrichment.enrich(project, tasks=["question", "sentiment"])
    assert "question" in result.skipped and "not installed" in result.skipped["question"]
    assert schemes(project, "comment").get("question") is None
    assert schemes(project, "comment")["sentiment"] == len(COMMENTS)


def test_a_one_row_label_records_that_its_item_was_seen(project):
    """Tasks writing one row per item keep no state rows: the row itself says the item was
    seen, so only an item that lost its row is labelled again, by that task alone."""
    fill(project)
    enrichment.enrich(project)
    tasks = {r["task"] for r in query(project, "SELECT DISTINCT task FROM enrich_state")}
    assert tasks <= {"topic", "flags", "normalize", "duplicate_group"}
    con = store.connect(project.store_path)
    con.execute("DELETE FROM labels WHERE target = 'comment' AND target_id = 'c1' "
                "AND scheme = 'sentiment'")
    con.close()
    again = enrichment.enrich(project)
    assert again.items == {"comment": 1, "post": 0}
    assert again.labelled["comment"] == {"sentiment": 1}
    assert query(project, "SELECT count(*) AS n FROM labels WHERE target_id = 'c1' "
                 "AND scheme = 'sentiment'")[0]["n"] == 1


@pytest.mark.skipif(os.name == "nt", reason="fork")
def test_models_load_before_the_workers_fork_and_workers_relax_the_collector():
    import gc
    import multiprocessing as mp

    from pantau.text import langid

    runs, _ = enrichment.load_models(None, ["lang", "sentiment"])
    langid._identifier.cache_clear()
    parallel.warm_models(runs)
    assert langid._identifier.cache_info().currsize == 1  # loaded here, inherited by a fork
    labels.set_runs(runs)
    with mp.get_context("fork").Pool(1, initializer=parallel.worker_init) as pool:
        threshold, frozen = pool.apply(_collector_state)
    assert threshold == parallel.WORKER_GC and frozen > 0
    assert gc.get_threshold() != parallel.WORKER_GC  # this process is left alone
    labels.RUNS.clear()


@pytest.mark.skipif(os.name == "nt", reason="fork")
def test_a_worker_refuses_a_job_planned_with_other_models_than_it_inherited():
    """The models travel to the workers by fork, never with a job: changing them once the
    pool has forked would label with stale models, so a worker checks the job's key."""
    import multiprocessing as mp

    import pyarrow as pa

    runs, _ = enrichment.load_models(None, ["lang"])
    labels.set_runs(runs)
    batch = pa.record_batch([pa.array(["tiktok"]), pa.array(["c1"]), pa.array(["halo"]),
                             pa.array(["u1"]), pa.array([None], pa.list_(pa.string()))],
                            names=["platform", "id", "text", "author", "tasks"])
    try:
        with mp.get_context("fork").Pool(1, initializer=parallel.worker_init) as pool:
            planned = labels.runs_key()
            assert pool.apply(labels.label_batch, (planned, "comment", batch, None, None,
                                                   None))[4] == 1
            more, _ = enrichment.load_models(None, ["lang", "sentiment"])
            labels.set_runs(more)  # after the fork: the worker still holds lang alone
            with pytest.raises(labels.StaleModels):
                pool.apply(labels.label_batch, (labels.runs_key(), "comment", batch, None,
                                                None, None))
    finally:
        labels.RUNS.clear()


def _collector_state() -> tuple[tuple[int, ...], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()
