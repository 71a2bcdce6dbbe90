"""The synthetic demo: deterministic files that import through the user path without rejects.

Tests use a fraction of the "small" volumes (`scale`), so they stay fast; the full size is timed
by hand (see the report in the demo's README and `pantau demo`).
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from pantau import formats
from pantau.cli import app
from pantau.demo import SYNTHETIC_MARKER, build_demo, generate
from pantau.demo import scenario as sc
from pantau.project import Project

from .conftest import query

SCALE = 0.1
FORMAT_MODULES = {
    "zeeschuimer-tiktok": "zeeschuimer_tiktok",
    "zeeschuimer-instagram": "zeeschuimer_instagram",
    "zeeschuimer-x": "zeeschuimer_x",
    "crowdtangle": "crowdtangle",
}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _format_available(name: str) -> bool:
    try:
        importlib.import_module(f"pantau.formats.{FORMAT_MODULES[name]}")
    except ModuleNotFoundError:
        return False
    return name in {f.name for f in formats.all_formats()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A small demo, written and imported (enrich/analyze/report are not this module's)."""
    root = tmp_path_factory.mktemp("demo") / "pantau-demo"
    result = build_demo(root, seed=11, scale=SCALE, steps=("import",))
    assert result.files
    return root


def test_same_seed_gives_identical_files(tmp_path):
    first = build_demo(tmp_path / "a", seed=3, scale=SCALE, steps=())
    second = build_demo(tmp_path / "b", seed=3, scale=SCALE, steps=())
    other = build_demo(tmp_path / "c", seed=4, scale=SCALE, steps=())
    a, b, c = _files(first.root), _files(second.root), _files(other.root)
    assert a == b
    # media files are named by post id, which the seed changes; the exports keep their names
    names = {n for n in a if not n.startswith("exports/media/")}
    assert names == {n for n in c if not n.startswith("exports/media/")} and a != c
    assert any(n.startswith("exports/media/") for n in a)
    for f in first.files:  # capture time as mtime, so a format without one stays stable
        assert int(f.path.stat().st_mtime) == int(f.captured_at.timestamp())


def test_volumes_of_small_size():
    corpus = generate(7, "small")
    assert 550 <= len(corpus.posts) <= 650
    assert 11_000 <= corpus.comment_count() <= 13_500
    platforms = {p.platform for p in corpus.posts}
    assert platforms == {"tiktok", "instagram", "facebook", "x"}


@pytest.mark.parametrize("format_name", sorted(FORMAT_MODULES))
def test_every_file_imports_without_rejects(demo, format_name):
    if not _format_available(format_name):
        pytest.skip(f"format module for {format_name} is not there yet; its demo file is "
                    "written but cannot be imported")
    imports = query(Project(demo), "SELECT path, format, status, records, rejected FROM imports")
    mine = [r for r in imports if r["format"] == format_name]
    assert mine, f"no demo file was detected as {format_name}: {imports}"
    for row in mine:
        assert row["status"] == "done"
        assert row["rejected"] == 0, row
        assert row["records"] > 0
    assert query(Project(demo), "SELECT count(*) AS n FROM rejects")[0]["n"] == 0


def test_every_imported_file_is_kept_under_raw(demo):
    rows = query(Project(demo), "SELECT path, raw_path FROM imports")
    assert rows
    for row in rows:  # the demo imports through the user path, which keeps each file's bytes
        assert row["raw_path"], row
        kept = demo / row["raw_path"]
        assert kept.read_bytes() == Path(row["path"]).read_bytes()


def test_config_has_the_three_real_pairs(demo):
    config = Project(demo).config
    assert config.election.name.endswith(f"({SYNTHETIC_MARKER})")
    pairs = {c.ballot_number: c for c in config.candidates}
    assert [pairs[n].name for n in (1, 2, 3)] == ["Heri Koswara", "Uu Saeful Mikdar",
                                                 "Tri Adhianto"]
    assert [pairs[n].running_mate for n in (1, 2, 3)] == [
        "Sholihin", "Nurul Sumarheni", "Abdul Harris Bobihoe"]
    assert pairs[2].parties == ["Golkar", "NasDem"]
    assert len({c.color for c in config.candidates}) == 3
    roles = {a.role for a in config.accounts}
    assert {"official", "candidate", "party", "volunteer"} <= roles
    assert {a.platform for a in config.accounts} == {"tiktok", "instagram", "facebook", "x"}
    unregistered = [a for a in config.accounts if a.role == "official" and not a.registered]
    assert len(unregistered) == 1
    assert sorted(str(e.date) for e in config.events if e.kind == "debate") == [
        "2024-11-01", "2024-11-22"]


def test_calendar_phases_are_all_present(demo):
    if not _format_available("zeeschuimer-tiktok"):
        pytest.skip("zeeschuimer-tiktok not available")
    rows = query(Project(demo), """
        SELECT CAST(p.created_at + INTERVAL 7 HOUR AS DATE) AS day, a.role, a.registered
        FROM posts p JOIN accounts a USING (platform, account_id)
        WHERE a.role IS NOT NULL""")
    days = [r["day"].isoformat() for r in rows]
    assert any(d < "2024-09-25" for d in days), "no post before the campaign"
    quiet = [r for r in rows if "2024-11-24" <= r["day"].isoformat() <= "2024-11-26"]
    assert any(r["role"] == "official" and r["registered"] for r in quiet)
    assert any(r["role"] == "official" and not r["registered"] for r in quiet)
    assert any(d == "2024-11-27" for d in days), "no post on voting day"
    # 21 Sep: the planted non-case before penetapan (22 Sep), which must never be a lead
    assert max(days) <= "2024-11-28" and min(days) >= "2024-09-21"
    linked = query(Project(demo), "SELECT DISTINCT candidate_id FROM accounts "
                                  "WHERE candidate_id IS NOT NULL ORDER BY 1")
    assert [r["candidate_id"] for r in linked] == ["pair-1", "pair-2", "pair-3"]


def test_candidates_answer_some_comments(demo):
    rows = query(Project(demo), "SELECT platform, count(*) FILTER (by_post_author) AS own, "
                                "count(*) AS n FROM comments GROUP BY 1")
    by_platform = {r["platform"]: r for r in rows}
    if "tiktok" not in by_platform:
        pytest.skip("zeeschuimer-tiktok not available")
    assert by_platform["tiktok"]["own"] > 0
    assert by_platform["tiktok"]["own"] < by_platform["tiktok"]["n"] / 5  # most go unanswered
    threads = query(Project(demo), "SELECT count(*) AS n FROM comments WHERE parent_id IS NOT "
                                   "NULL AND platform = 'tiktok'")
    assert threads[0]["n"] > 0


def test_buzzer_comments_are_copy_pasted_by_several_accounts(demo):
    rows = query(Project(demo), """
        SELECT text, count(DISTINCT author_id) AS authors FROM comments
        GROUP BY text HAVING count(DISTINCT author_id) >= 4 ORDER BY authors DESC""")
    if not rows:
        pytest.skip("no comments imported")
    assert any("Coblos" in r["text"] or "nomor" in r["text"].lower() for r in rows)


def test_second_capture_shows_growth(demo):
    rows = query(Project(demo), """
        SELECT platform, post_id, count(*) AS observations,
               max(coalesce(views, likes)) - min(coalesce(views, likes)) AS growth
        FROM post_metrics GROUP BY 1, 2 HAVING count(*) > 1""")
    if not rows:
        pytest.skip("no format module imported the captures")
    assert all(r["growth"] >= 0 for r in rows)
    assert any(r["growth"] > 0 for r in rows)


def test_music_is_reused_across_videos():
    corpus = generate(5, "small", scale=SCALE)
    ids = [p.music["id"] for p in corpus.posts_on("tiktok") if p.music]
    assert len(ids) > len(set(ids))


def test_outputs_say_synthetic(demo):
    assert SYNTHETIC_MARKER in (demo / "pantau.toml").read_text("utf-8").split("\n", 3)[1]
    assert SYNTHETIC_MARKER in (demo / "README.txt").read_text("utf-8")
    rows = query(Project(demo), "SELECT DISTINCT election FROM candidates")
    assert rows == [{"election": sc.ELECTION_NAME}]


def test_refuses_existing_folder_unless_force(tmp_path):
    root = tmp_path / "d"
    build_demo(root, scale=0.05, steps=())
    with pytest.raises(Exception, match="already exists"):
        build_demo(root, scale=0.05, steps=())
    build_demo(root, scale=0.05, steps=(), force=True)
    other = tmp_path / "not-a-demo"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(Exception, match="not a pantau demo folder"):
        build_demo(other, scale=0.05, steps=(), force=True)
    assert (other / "notes.txt").exists()


def test_cli_demo_end_to_end(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    out = Path("cli-demo")  # relative, as a user types it
    result = runner.invoke(app, ["demo", "--out", str(out), "--scale", "0.05", "--json"])
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.stdout)
    assert data["synthetic"] is True and SYNTHETIC_MARKER in data["election"]
    assert {f["platform"] for f in data["files"]} == {"tiktok", "instagram", "facebook", "x"}
    assert all(f["path"].startswith("exports/") for f in data["files"])
    assert sum(s["rejected"] for s in data["imports"]) == 0
    assert {s["name"] for s in data["steps"]} >= {"generate", "import", "enrich", "analyze",
                                                  "report"}
    assert all(s["status"] in ("done", "skipped", "failed") for s in data["steps"])
    report = out / "report.html"
    if data["report"]:
        assert report.exists()
        assert "SINTETIS" in report.read_text("utf-8", "replace")

    again = runner.invoke(app, ["demo", "--out", str(out)])
    assert again.exit_code == 1
    assert "already exists" in again.output and "--force" in again.output

    # The table output, with the pipeline cut to the import (the full run was checked above).
    import pantau.demo

    monkeypatch.setattr(pantau.demo, "build_demo",
                        functools.partial(build_demo, steps=("import",)))
    table = runner.invoke(app, ["demo", "--out", str(out), "--scale", "0.05", "--force"])
    assert table.exit_code == 0, table.output
    assert "SYNTHETIC" in table.output and "pantau status" in table.output
