"""`pantau raw` and pantau.raw.raw_records: records read back from the files kept under raw/."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from pantau.project import Project
from pantau.raw import raw_records
from tests.conftest import FIXTURES, query
from tests.test_cli import one_line_error, run

CAPTURE_1 = FIXTURES / "ingest" / "capture-1.ndjson"  # line 5 blank, line 6 not valid JSON
CAPTURE_2 = FIXTURES / "ingest" / "capture-2.ndjson"


def lines_of(path: Path) -> list[tuple[int, str]]:
    """(line_no, text) of the non-blank lines, as the NDJSON reader gives them."""
    text = path.read_bytes().decode("utf-8")
    return [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1)
            if line.strip()]


def import_one(project: Project, path: Path) -> int:
    result = run("import", str(path), "--project", str(project.root), "--json")
    assert result.exit_code == 0, result.output
    [summary] = json.loads(result.stdout)
    assert summary["status"] == "imported", summary
    return summary["import_id"]


def test_line_gives_back_exactly_the_rejected_line(project):
    import_id = import_one(project, CAPTURE_1)
    [reject] = query(project, "SELECT import_id, line_no, raw FROM rejects")
    assert (reject["import_id"], reject["line_no"]) == (import_id, 6)
    expected = dict(lines_of(CAPTURE_1))[6]
    result = run("raw", str(import_id), "--line", "6", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"
    assert reject["raw"] == expected  # the reject and the kept file agree
    good = run("raw", str(import_id), "--line", "7", "--project", str(project.root))
    assert good.stdout == dict(lines_of(CAPTURE_1))[7] + "\n"


def test_listing_numbers_records_by_their_line(project):
    import_id = import_one(project, CAPTURE_1)
    result = run("raw", str(import_id), "--project", str(project.root))
    assert result.exit_code == 0, result.output
    listed = [tuple(row.split("\t", 1)) for row in result.stdout.splitlines()]
    assert [(int(n), text) for n, text in listed] == lines_of(CAPTURE_1)  # 5 (blank) skipped


def test_json_output_shape_and_limit(project):
    import_id = import_one(project, CAPTURE_1)
    result = run("raw", str(import_id), "--limit", "2", "--json",
                 "--project", str(project.root))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"import_id", "source", "format", "raw_path", "records", "more"}
    assert (out["import_id"], out["format"], out["more"]) == (import_id, "zeeschuimer-tiktok",
                                                            True)
    assert out["source"] == str(CAPTURE_1)
    assert out["raw_path"].startswith("raw/") and (project.root / out["raw_path"]).is_file()
    assert out["records"] == [{"line_no": n, "text": t, "error": None}
                              for n, t in lines_of(CAPTURE_1)[:2]]
    bad = json.loads(run("raw", str(import_id), "--line", "6", "--json",
                         "--project", str(project.root)).stdout)
    [record] = bad["records"]
    assert record["line_no"] == 6 and "not valid JSON" in record["error"]
    assert bad["more"] is False


def test_compressed_imports_read_back(project, tmp_path):
    gz = tmp_path / "capture-2.ndjson.gz"
    gz.write_bytes(gzip.compress(CAPTURE_2.read_bytes()))
    gz_id = import_one(project, gz)
    assert list(raw_records(project, gz_id)) == lines_of(CAPTURE_2)
    result = run("raw", str(gz_id), "--line", "1", "--project", str(project.root))
    assert result.stdout == lines_of(CAPTURE_2)[0][1] + "\n"
    archive = tmp_path / "captures.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(CAPTURE_1, "exports/capture-1.ndjson")
    zip_id = import_one(project, archive)
    assert list(raw_records(project.root, zip_id)) == lines_of(CAPTURE_1)


def test_unknown_import_id_is_one_line_with_a_hint(project):
    result = run("raw", "99", "--project", str(project.root))
    assert result.exit_code == 1
    output = one_line_error(result)
    assert "no import with id 99" in output and "pantau status" in output


def test_missing_kept_file_names_its_path(project):
    import_id = import_one(project, CAPTURE_1)
    [kept] = (project.root / "raw").iterdir()
    kept.unlink()
    result = run("raw", str(import_id), "--project", str(project.root))
    assert result.exit_code == 1
    assert "missing" in one_line_error(result) and kept.name in result.output


def test_line_without_a_record_is_an_error(project):
    import_id = import_one(project, CAPTURE_1)
    for line in ("5", "500"):  # blank; past the end
        result = run("raw", str(import_id), "--line", line, "--project", str(project.root))
        assert result.exit_code == 1
        assert f"no record at line {line}" in one_line_error(result)


def test_library_reuses_an_open_connection(project):
    import_id = import_one(project, CAPTURE_1)
    con = project.connect()
    try:
        assert list(raw_records(project, import_id, con=con)) == lines_of(CAPTURE_1)
        with pytest.raises(Exception, match="no import with id 7"):
            list(raw_records(project, 7, con=con))
    finally:
        con.close()


def test_import_without_a_kept_copy_points_to_the_original(project):
    from pantau.ingest import import_paths

    con = project.connect()
    try:
        [summary] = import_paths(con, project.config, [str(CAPTURE_1)])  # no raw_dir
    finally:
        con.close()
    result = run("raw", str(summary.import_id), "--project", str(project.root))
    assert result.exit_code == 1
    error = one_line_error(result)
    assert "kept no copy" in error and str(CAPTURE_1) in error
    assert "original file" in result.output

