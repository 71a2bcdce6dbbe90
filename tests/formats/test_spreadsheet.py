"""Hand-made spreadsheets through [[imports.mapping]]: Indonesian counts and dates, CSV and XLSX,
mapping validation, refusal of an unmapped sheet, and the CLI's one-line errors."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from pantau.cli import app
from pantau.errors import ConfigError
from pantau.formats.spreadsheet import SheetMapping, _count, _when, load_mappings
from pantau.project import ProjectConfig
from tests.conftest import import_files, query

TIKTOK_MAPPING = """
[[imports.mapping]]
name = "tim-tiktok"
match = "laporan-tiktok-*.csv"
platform = "tiktok"
columns = { post_id = "Link Video", handle = "Akun", created_at = "Tanggal Posting", \
text = "Caption", views = "Ditonton", likes = "Suka", comments = "Komentar", \
shares = "Dibagikan", saves = "Disimpan", media_type = "Jenis" }
"""
CSV_FIXTURE = "spreadsheet/laporan-tiktok-bekasi.csv"


def mapping(**overrides) -> SheetMapping:
    values = dict(index=0, name="t", match="*.csv", platform="tiktok", kind="posts",
                  columns=(("post_id", "ID"),), date_format=None,
                  timezone=ZoneInfo("Asia/Jakarta"), decimal_comma=True)
    values.update(overrides)
    return SheetMapping(**values)


def config_with(*entries: dict) -> ProjectConfig:
    return ProjectConfig.model_validate({"election": {"name": "Pilkada Kota Bekasi 2024"},
                                         "imports": {"mapping": list(entries)}})


# --- Indonesian CSV through the real pipeline ----------------------------------------------

def test_indonesian_csv_imports_with_counts_and_dates(make_project, fixtures_dir):
    project = make_project(TIKTOK_MAPPING)
    (summary,) = import_files(project, fixtures_dir / CSV_FIXTURE)
    assert (summary.format, summary.posts, summary.accounts, summary.rejected) == (
        "spreadsheet", 3, 1, 1)
    rows = {r["post_id"]: r for r in query(project, """
        SELECT p.post_id, p.account_id, p.created_at, p.text, p.media_type, p.url, p.hashtags,
               m.views, m.likes, m.comments, m.shares, m.saves
        FROM posts p JOIN post_metrics m USING (platform, post_id)""")}
    first = rows["7418294751977327878"]  # id taken from the TikTok URL
    assert first["account_id"] == "uusaeful.official"  # "@uusaeful.official"
    assert first["created_at"] == datetime(2024, 9, 25, 12, 30)  # "25/09/2024 19.30" WIB
    # "1,2 rb" / "3 jt" / "1.234"
    assert (first["views"], first["likes"], first["comments"]) == (1200, 3_000_000, 1234)
    assert (first["shares"], first["saves"]) == (45, 12)
    assert first["hashtags"] == ["nomor2", "bekasibaru"]
    assert first["media_type"] == "video"
    second = rows["7420000000000000001"]  # URL with ?lang=id
    assert second["created_at"] == datetime(2024, 8, 24, 17, 0)  # "25 Agustus 2024" WIB
    assert (second["views"], second["likes"]) == (15700, 2100)  # "15,7 rb", "2,1 rb"
    assert (second["shares"], second["saves"]) == (None, None)  # "N/A", "-"
    assert second["media_type"] == "image"  # "Foto"
    third = rows["7430000000000000002"]
    assert third["created_at"] == datetime(2024, 10, 2, 7, 30)  # "Rabu, 2 Okt 2024 14:30 WIB"
    assert third["likes"] == 1200  # "1.2K", English style with a unit
    assert third["text"] == "Debat; siapa yang paling siap?"  # ; inside quotes
    reject = query(project, "SELECT line_no, reason FROM rejects")[0]
    assert reject["line_no"] == 5 and "no post id" in reject["reason"]


# --- XLSX written here ---------------------------------------------------------------------

XLSX_MAPPINGS = """
[[imports.mapping]]
name = "ig-posts"
match = "ig-*.xlsx"
platform = "instagram"
columns = { url = "Tautan", handle = "Akun", created_at = "Tanggal", text = "Caption", \
likes = "Suka", comments = "Komentar", views = "Tayangan", is_ad = "Iklan?" }

[[imports.mapping]]
name = "ig-komentar"
match = "komentar-*.xlsx"
platform = "instagram"
kind = "comments"
columns = { comment_id = "ID", post_url = "Postingan", author_handle = "Pengguna", \
created_at = "Waktu", text = "Komentar", likes = "Suka" }
timezone = "Asia/Makassar"
"""


def write_xlsx(path, header, rows) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_posts_and_comments(make_project, tmp_path):
    project = make_project(XLSX_MAPPINGS)
    posts = tmp_path / "ig-tri-adhianto.xlsx"
    write_xlsx(posts, ["Tautan", "Akun", "Tanggal", "Caption", "Suka", "Komentar", "Tayangan",
                       "Iklan?"], [
        ["https://www.instagram.com/p/C_abc123XYZ/", "@tri_adhianto",
         datetime(2024, 9, 30, 18, 15), "Blusukan #BekasiKeren", 5100, 220, None, "tidak"],
        ["https://www.instagram.com/reel/DBx9Yz0Pq1r/?igsh=abc", "tri_adhianto",
         "24 Des 2024", "Reels akhir tahun", "12,5 rb", "1.020", "1,5 jt", "ya"],
        ["https://www.instagram.com/p/DCzzzzzzzzz/", "tri_adhianto", date(2024, 11, 3),
         "Tanggal sebagai date", 10.0, 0, 0, None],
    ])
    comments = tmp_path / "komentar-oktober.xlsx"
    write_xlsx(comments, ["ID", "Postingan", "Pengguna", "Waktu", "Komentar", "Suka"], [
        ["17860000000000011", "https://www.instagram.com/p/C_abc123XYZ/", "@warga_bekasi",
         "7 Okt 2024 08.15", "Mantap pak!", "3"],
        [1786000000000012, "C_abc123XYZ", "bekasi_muda", "7 Okt 2024", "Setuju", None],
        # a 17-digit number cell is a double in Excel: its last digits are gone
        [17860000000000013, "C_abc123XYZ", "x", "7 Okt 2024", "hilang", None],
    ])
    summaries = import_files(project, posts, comments)
    assert [(s.format, s.posts, s.comments, s.rejected) for s in summaries] == [
        ("spreadsheet", 3, 0, 0), ("spreadsheet", 0, 2, 1)]
    assert "lost its exact digits" in query(project, "SELECT reason FROM rejects")[0]["reason"]
    rows = {r["post_id"]: r for r in query(project, """
        SELECT p.post_id, p.created_at, p.is_ad, m.likes, m.comments, m.views
        FROM posts p JOIN post_metrics m USING (platform, post_id)""")}
    assert rows["C_abc123XYZ"] == {"post_id": "C_abc123XYZ",
                                   "created_at": datetime(2024, 9, 30, 11, 15),  # WIB cell
                                   "is_ad": False, "likes": 5100, "comments": 220,
                                   "views": None}
    assert rows["DBx9Yz0Pq1r"]["created_at"] == datetime(2024, 12, 23, 17, 0)  # "24 Des 2024"
    assert (rows["DBx9Yz0Pq1r"]["likes"], rows["DBx9Yz0Pq1r"]["comments"],
            rows["DBx9Yz0Pq1r"]["views"]) == (12500, 1020, 1_500_000)
    assert rows["DBx9Yz0Pq1r"]["is_ad"] is True
    assert rows["DCzzzzzzzzz"]["created_at"] == datetime(2024, 11, 2, 17, 0)
    comments = {c["comment_id"]: c for c in query(project, "SELECT * FROM comments")}
    assert comments["1786000000000012"]["post_id"] == "C_abc123XYZ"  # int cell, exact
    comment = comments["17860000000000011"]  # text cell
    assert comment["post_id"] == "C_abc123XYZ"
    assert comment["author_handle"] == "warga_bekasi"
    assert comment["created_at"] == datetime(2024, 10, 7, 0, 15)  # 08:15 WITA (UTC+8)
    assert comment["likes"] == 3


# --- values --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("25/09/2024", datetime(2024, 9, 24, 17, 0)),
    ("25-09-2024 07:05", datetime(2024, 9, 25, 0, 5)),
    ("25 Sep 2024", datetime(2024, 9, 24, 17, 0)),
    ("25 September 2024", datetime(2024, 9, 24, 17, 0)),
    ("25 Agustus 2024", datetime(2024, 8, 24, 17, 0)),
    ("3 Agt 2024", datetime(2024, 8, 2, 17, 0)),
    ("7 Okt 2024 08.15", datetime(2024, 10, 7, 1, 15)),
    ("24 Des 2024", datetime(2024, 12, 23, 17, 0)),
    ("1 Mei 2024", datetime(2024, 4, 30, 17, 0)),
    ("Rabu, 25 September 2024 pukul 19.30 WIB", datetime(2024, 9, 25, 12, 30)),
    ("Sep 25, 2024 7:30 PM", datetime(2024, 9, 25, 12, 30)),
    ("2024-09-25", datetime(2024, 9, 24, 17, 0)),
    ("2024-09-25 10:00 UTC", datetime(2024, 9, 25, 10, 0)),
    ("2024-09-25T10:00:00+00:00", datetime(2024, 9, 25, 10, 0)),
    ("2024-09-25T10:00:00Z", datetime(2024, 9, 25, 10, 0)),
])
def test_dates_without_a_format(text, expected):
    assert _when(text, mapping()) == expected


def test_dates_refused_or_formatted():
    with pytest.raises(ValueError, match="not day/month/year"):
        _when("09/25/2024", mapping())
    with pytest.raises(ValueError, match="set date_format"):
        _when("kemarin sore", mapping())
    fmt = mapping(date_format="%d-%b-%Y %H:%M")
    assert _when("25-Agt-2024 10:00", fmt) == datetime(2024, 8, 25, 3, 0)
    us = mapping(date_format="%m/%d/%Y", timezone=ZoneInfo("UTC"))
    assert _when("09/25/2024", us) == datetime(2024, 9, 25)
    assert _when(45560, mapping()) == datetime(2024, 9, 24, 17, 0)  # Excel serial day


@pytest.mark.parametrize("text, decimal_comma, expected", [
    ("1,2 rb", True, 1200), ("3 jt", True, 3_000_000), ("1.234", True, 1234),
    ("1.234.567", True, 1_234_567), ("1,5 M", True, 1_500_000_000), ("1.2K", True, 1200),
    ("12", True, 12), (1234.0, True, 1234), ("1,234", False, 1234), ("1.5M", False, 1_500_000),
])
def test_counts(text, decimal_comma, expected):
    assert _count(text, decimal_comma) == expected


def test_counts_in_the_other_convention_are_refused():
    with pytest.raises(ValueError, match="decimal_comma = true"):
        _count("1,234", True)
    with pytest.raises(ValueError, match="decimal_comma = false"):
        _count("1.234", False)


# --- validation ----------------------------------------------------------------------------

GOOD = {"match": "*.csv", "platform": "tiktok", "columns": {"post_id": "ID"}}


@pytest.mark.parametrize("entry, key, words", [
    ({**GOOD, "columns": {"post_id": "ID", "likez": "Suka"}},
     "imports.mapping[0].columns.likez", "unknown pantau field"),
    ({**GOOD, "colums": {}}, "imports.mapping[0].colums", "unknown key"),
    ({k: v for k, v in GOOD.items() if k != "match"}, "imports.mapping[0].match", "missing"),
    ({**GOOD, "platform": "tiktokk"}, "imports.mapping[0].platform", "unknown platform"),
    ({**GOOD, "kind": "videos"}, "imports.mapping[0].kind", "unknown kind"),
    ({**GOOD, "columns": {"text": "Caption"}}, "imports.mapping[0].columns", "needs post_id"),
    ({**GOOD, "kind": "comments"}, "imports.mapping[0].columns", "needs comment_id"),
    ({**GOOD, "date_format": "dd/mm/yyyy"}, "imports.mapping[0].date_format", "not a date"),
    ({**GOOD, "timezone": "Asia/Bekasi"}, "imports.mapping[0].timezone", "unknown time zone"),
    ({**GOOD, "decimal_comma": "ya"}, "imports.mapping[0].decimal_comma", "true or false"),
    ({**GOOD, "columns": {"likes": 3, "post_id": "ID"}}, "imports.mapping[0].columns.likes",
     "column's name"),
])
def test_invalid_mappings_name_the_key(entry, key, words):
    with pytest.raises(ConfigError) as info:
        load_mappings(config_with(entry))
    assert key in info.value.message and words in info.value.message
    assert info.value.hint


def test_mapping_defaults():
    (m,) = load_mappings(config_with(GOOD))
    assert (m.kind, m.decimal_comma, str(m.timezone)) == ("posts", True, "Asia/Jakarta")
    assert m.fits("/data/x/LAPORAN.CSV") and not m.fits("laporan.xlsx")


def test_cli_invalid_mapping_exits_1_naming_the_key(make_project, fixtures_dir):
    project = make_project(TIKTOK_MAPPING.replace('likes = "Suka"', 'likez = "Suka"'))
    result = CliRunner().invoke(app, ["import", "--project", str(project.root),
                                      str(fixtures_dir / CSV_FIXTURE)])
    assert result.exit_code == 1
    error_lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert error_lines == ["Error: pantau.toml: imports.mapping[0].columns.likez: unknown "
                           "pantau field 'likez'"]
    dry = CliRunner().invoke(app, ["import", "--dry-run", "--project", str(project.root),
                                   str(fixtures_dir / CSV_FIXTURE)])
    assert dry.exit_code == 1 and "imports.mapping[0].columns.likez" in dry.output


# --- choosing (or refusing) a mapping ------------------------------------------------------

def test_unmapped_spreadsheet_is_refused_with_how_to(project, tmp_path):
    path = tmp_path / "rekap.csv"
    path.write_text("Tanggal,Link,Caption,Suka\n25/09/2024,https://x.com/a/status/1,hai,3\n",
                    encoding="utf-8")
    (summary,) = import_files(project, path)
    assert summary.status == "refused"
    assert "not a format pantau knows" in summary.message
    assert "no [[imports.mapping]] in pantau.toml matches" in summary.message
    assert '[[imports.mapping]]  name = "my-sheet"  match = "rekap.csv"' in summary.message
    assert 'columns = { post_id = "Link", created_at = "Tanggal"' in summary.message
    result = CliRunner().invoke(app, ["import", "--project", str(project.root), str(path)])
    assert result.exit_code == 1
    assert "[[imports.mapping]]" in result.output  # not eaten as Rich markup


def test_mapping_naming_a_missing_column_is_refused(make_project, tmp_path):
    project = make_project(TIKTOK_MAPPING)
    path = tmp_path / "laporan-tiktok-lain.csv"
    path.write_text("Link Video,Akun\nhttps://www.tiktok.com/@a/video/1,a\n", encoding="utf-8")
    (summary,) = import_files(project, path)
    assert summary.status == "refused"
    assert "imports.mapping[0] (tim-tiktok) names column(s) 'Tanggal Posting'" in summary.message


def test_url_only_mapping_and_loose_column_names(make_project, tmp_path):
    project = make_project("""
[[imports.mapping]]
match = "x-*.csv"
platform = "x"
decimal_comma = false
columns = { url = "tweet url", created_at = "Created", likes = "Likes" }
""")
    path = tmp_path / "x-debat.csv"
    path.write_text("Tweet URL ,Created,Likes\n"
                    "https://x.com/bang_tri/status/1849000000000000001,"
                    '2024-10-25 20:00,"1,234"\n', encoding="utf-8")
    (summary,) = import_files(project, path)
    assert (summary.posts, summary.rejected) == (1, 0)
    row = query(project, "SELECT post_id, account_id, created_at, likes FROM posts "
                         "JOIN post_metrics USING (platform, post_id)")[0]
    assert row == {"post_id": "1849000000000000001", "account_id": "bang_tri",
                   "created_at": datetime(2024, 10, 25, 13, 0), "likes": 1234}


def test_specific_formats_win_over_a_catch_all_mapping(make_project, fixtures_dir):
    project = make_project("""
[[imports.mapping]]
match = "*.csv"
platform = "facebook"
columns = { url = "URL" }
""")
    (summary,) = import_files(
        project, fixtures_dir / "crowdtangle/instagram_accounts.csv")
    assert summary.format == "crowdtangle"
