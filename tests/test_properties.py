"""Property-based tests of the import guarantees (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.project import Project
from pantau.store import staging
from tests.conftest import BEKASI_TOML, import_files, query

TABLES = ("posts", "post_metrics", "accounts", "comments", "rejects")

counts = st.one_of(st.integers(min_value=0, max_value=10**9),
                   st.integers(min_value=0, max_value=10**6).map(str))
videos = st.fixed_dictionaries({
    "id": st.integers(min_value=7 * 10**18, max_value=7 * 10**18 + 50).map(str),
    "desc": st.text(max_size=40),
    "createTime": st.integers(min_value=1_700_000_000, max_value=1_740_000_000),
    "author": st.fixed_dictionaries({
        "id": st.sampled_from(["6800000000000000001", "6800000000000000002"]),
        "uniqueId": st.sampled_from(["heri", "uu", "tri"]),
    }),
    "stats": st.fixed_dictionaries({"playCount": counts, "diggCount": counts}),
})
garbage = st.sampled_from(['{"broken', "not json at all", '{"data": 5, "source_platform": 1}',
                           "[1, 2", '{"x": }'])
lines = st.lists(st.one_of(
    st.tuples(st.just("ok"), videos, st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("bad"), garbage, st.just(0)),
), min_size=1, max_size=25)


def render(items) -> str:
    out = []
    for kind, value, capture in items:
        if kind == "bad":
            out.append(value)
        else:
            out.append(json.dumps({"timestamp_collected": 1_730_000_000_000 + capture * 1000,
                                   "source_platform": "tiktok.com", "data": value}))
    return "\n".join(out) + "\n"


def snapshot(project: Project) -> dict:
    return {t: query(project, f"SELECT * EXCLUDE (import_id) FROM {t} ORDER BY ALL")
            if t != "accounts" else query(project, f"SELECT * FROM {t} ORDER BY ALL")
            for t in TABLES}


def fresh(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("prop")
    (root / "pantau.toml").write_text(BEKASI_TOML, encoding="utf-8")
    project = Project(root)
    project.connect().close()
    return project


SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def starts_with_record(items) -> bool:
    # A file must be recognisable: its first line is a Zeeschuimer TikTok record.
    return items[0][0] == "ok"


@SETTINGS
@given(items=lines.filter(starts_with_record))
def test_import_is_idempotent_and_rejects_exactly_the_bad_lines(tmp_path_factory, items):
    project = fresh(tmp_path_factory)
    path = Path(project.root) / "capture.ndjson"
    path.write_text(render(items), encoding="utf-8")
    [summary] = import_files(project, path)
    bad = sum(1 for kind, *_ in items if kind == "bad")
    assert summary.rejected == bad
    distinct_posts = {v["id"] for kind, v, _ in items if kind == "ok"}
    assert query(project, "SELECT count(*) AS n FROM posts")[0]["n"] == len(distinct_posts)
    first = snapshot(project)
    # The same records again, under another name and with lines reordered: nothing changes.
    copy = Path(project.root) / "copy.ndjson"
    copy.write_text(render(items[:1] + list(reversed(items[1:]))), encoding="utf-8")
    import_files(project, copy)
    second = snapshot(project)
    second["rejects"] = first["rejects"]  # rejects are per import, kept for each file
    for table in TABLES:
        assert second[table] == first[table], table


@SETTINGS
@given(items=lines.filter(starts_with_record), fail_at=st.integers(min_value=0, max_value=3))
def test_an_interrupted_import_changes_nothing(tmp_path_factory, items, fail_at):
    project = fresh(tmp_path_factory)
    path = Path(project.root) / "capture.ndjson"
    path.write_text(render(items), encoding="utf-8")
    before = snapshot(project)
    calls = {"n": 0}
    stages = ("_merge_accounts", "_merge_posts", "_merge_metrics", "_merge_comments")
    original = getattr(staging.StagingWriter, stages[fail_at])

    def fail(self, *args, **kwargs):
        original(self, *args, **kwargs)
        calls["n"] += 1
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(staging.StagingWriter, stages[fail_at], fail)
        with pytest.raises(KeyboardInterrupt):
            import_files(project, path)
    assert calls["n"] == 1
    assert snapshot(project) == before
    assert query(project, "SELECT count(*) AS n FROM imports")[0]["n"] == 0
