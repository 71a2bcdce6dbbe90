"""`pantau import --dry-run`: the first mapped rows of every file, for any format, no writes."""

from __future__ import annotations

import orjson
from typer.testing import CliRunner

from pantau.cli import app
from pantau.preview import preview_paths
from tests.conftest import query
from tests.formats.test_spreadsheet import CSV_FIXTURE, TIKTOK_MAPPING

CT = "crowdtangle/2024-11-21-08-30-00-EST-Historical-Report-Pilkada-Bekasi.csv"
COMMENTS = "graph-api/fb_post_comments.json"


def stored_counts(project) -> dict:
    return query(project, "SELECT (SELECT count(*) FROM posts) AS posts, "
                          "(SELECT count(*) FROM comments) AS comments, "
                          "(SELECT count(*) FROM imports) AS imports, "
                          "(SELECT count(*) FROM rejects) AS rejects")[0]


def test_preview_is_generic_and_readable(make_project, fixtures_dir, tmp_path):
    project = make_project(TIKTOK_MAPPING)
    unknown = tmp_path / "catatan.bin"
    unknown.write_bytes(b"\x00\x01 not an export")
    previews = preview_paths(project.config, [str(fixtures_dir / CT),
                                              str(fixtures_dir / COMMENTS),
                                              str(fixtures_dir / CSV_FIXTURE), str(unknown)],
                             rows=2)
    ct, comments, sheet, refused = previews
    assert ct["format"] == "crowdtangle"
    posts = [r for r in ct["rows"] if r["row"] == "post"]
    assert len(posts) == 2  # rows=2
    assert posts[0]["post_id"] == "1122334455667788"
    assert posts[0]["created_at"] == "2024-09-26 01:30:00 UTC"
    assert posts[0]["likes"] == 1324 and "duration_s" not in posts[0]  # None left out
    assert posts[0]["line"] == 2
    assert comments["format"] == "graph-api"
    assert [r["row"] for r in comments["rows"]] == ["comment", "comment", "reject"]
    assert "has no `id`" in comments["rejects"][0]["reason"]
    assert sheet["format"] == "spreadsheet"
    first = next(r for r in sheet["rows"] if r["row"] == "post")
    assert (first["views"], first["likes"]) == (1200, 3_000_000)
    assert refused["format"] is None and "not a format pantau knows" in refused["error"]
    assert refused["rows"][0]["row"] == "refused"
    assert stored_counts(project) == {"posts": 0, "comments": 0, "imports": 0, "rejects": 0}


def test_preview_stops_early(project, samples_dir):
    subset = samples_dir / "crowdtangle_csv/architmeta_db2_rows_subset_columns.csv"
    (preview,) = preview_paths(project.config, [str(subset)], rows=3)
    assert len([r for r in preview["rows"] if r["row"] == "post"]) == 3
    assert preview["records_read"] == 3  # of 382


def test_cli_dry_run(make_project, fixtures_dir):
    project = make_project(TIKTOK_MAPPING)
    runner = CliRunner()
    result = runner.invoke(app, ["import", "--dry-run", "--json", "--project", str(project.root),
                                 str(fixtures_dir / CSV_FIXTURE), str(fixtures_dir / COMMENTS)])
    assert result.exit_code == 0, result.output
    previews = orjson.loads(result.stdout)
    assert [p["format"] for p in previews] == ["spreadsheet", "graph-api"]
    assert previews[0]["rows"][1]["post_id"] == "7418294751977327878"
    assert previews[0]["rows"][1]["created_at"] == "2024-09-25 12:30:00 UTC"
    text = runner.invoke(app, ["import", "--dry-run", "--project", str(project.root),
                               str(fixtures_dir / COMMENTS)])
    assert text.exit_code == 0
    assert "graph-api" in text.output and "cannot be keyed" in text.output
    assert stored_counts(project) == {"posts": 0, "comments": 0, "imports": 0, "rejects": 0}
