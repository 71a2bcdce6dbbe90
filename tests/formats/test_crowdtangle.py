"""CrowdTangle CSV: the real 5-column subset, full 41-column Facebook and Instagram fixtures.

Fixtures (tests/fixtures/crowdtangle/): a Facebook "Historical Report" with the full header,
named the way CrowdTangle names downloads (capture time 2024-11-21 08:30 EST), with EDT and EST
times, "N/A" cells, counts with thousands commas, permalink.php / videos URLs; and an Instagram
export with an /p/ and a /reel/ URL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pantau import formats
from pantau.formats.base import READERS, MapContext, Rejected
from pantau.records import Account, Post
from pantau.sources import expand
from tests.conftest import import_files, query

FB_FIXTURE = "crowdtangle/2024-11-21-08-30-00-EST-Historical-Report-Pilkada-Bekasi.csv"
IG_FIXTURE = "crowdtangle/instagram_accounts.csv"
SUBSET = "crowdtangle_csv/architmeta_db2_rows_subset_columns.csv"


def mapped(path: Path) -> tuple[str, list]:
    """(format name, rows) for a file, read and mapped the way ingest does."""
    (source,) = expand([str(path)])
    fmt = formats.detect(source)
    rows: list = []
    ctx = MapContext(source_name=source.name)
    with source.open() as stream:
        for record in READERS[fmt.reader](stream):
            if record.error:
                rows.append(Rejected(record.error, record.text))
                continue
            try:
                rows.extend(fmt.map(record.data, ctx))
            except (ValueError, KeyError, TypeError) as exc:
                rows.append(Rejected(f"{type(exc).__name__}: {exc}", record.text))
    return fmt.name, rows


def posts_of(rows) -> dict[str, Post]:
    return {r.post_id: r for r in rows if isinstance(r, Post)}


# --- the real sample: 5 of the columns -----------------------------------------------------

def test_real_subset_is_crowdtangle_and_maps_what_it_has(samples_dir):
    name, rows = mapped(samples_dir / SUBSET)
    assert name == "crowdtangle"
    assert not [r for r in rows if isinstance(r, Rejected)]
    posts = posts_of(rows)
    assert len(posts) == 382
    first = posts["737265021752251"]  # Mondoweiss, "2023-11-05 22:56:36 EST"
    assert first.platform == "facebook"
    assert first.created_at == datetime(2023, 11, 6, 3, 56, 36)  # EST = UTC-5
    assert first.shares == 4346
    assert first.text.startswith("An estimated 300,000 protesters")
    assert "ceasefirenow" in first.hashtags
    assert first.account_id == "100064062786653"  # the page id in the URL
    assert first.url == "https://www.facebook.com/100064062786653/posts/737265021752251"
    # columns the subset lacks stay unknown, never 0
    assert first.likes is None and first.comments is None and first.views is None
    edt = posts["823563959778602"]  # BreakThrough News, "2023-10-27 12:10:13 EDT"
    assert edt.created_at == datetime(2023, 10, 27, 16, 10, 13)  # EDT = UTC-4
    assert edt.shares == 8004
    accounts = {a.account_id: a for a in rows if isinstance(a, Account)}
    assert accounts["100064062786653"].display_name == "Mondoweiss"


def test_real_subset_imports(project, samples_dir):
    (summary,) = import_files(project, samples_dir / SUBSET)
    assert (summary.format, summary.posts, summary.rejected) == ("crowdtangle", 382, 0)
    row = query(project, """SELECT p.created_at, p.account_id, m.shares, m.likes
                            FROM posts p JOIN post_metrics m USING (platform, post_id)
                            WHERE p.post_id = '723251456502501'""")[0]
    # AJ+, "2023-11-04 19:12:24 EDT", 5916 shares
    assert row == {"created_at": datetime(2023, 11, 4, 23, 12, 24),
                   "account_id": "100064529598989", "shares": 5916, "likes": None}


# --- full Facebook header ------------------------------------------------------------------

def test_full_facebook_header(fixtures_dir):
    name, rows = mapped(fixtures_dir / FB_FIXTURE)
    assert name == "crowdtangle"
    posts = posts_of(rows)
    photo = posts["1122334455667788"]
    assert photo.platform == "facebook"
    assert photo.account_id == "104829374650218"  # Facebook Id, not the vanity URL
    assert photo.created_at == datetime(2024, 9, 26, 1, 30)  # 21:30 EDT
    assert photo.media_type == "image"
    # likes = all reactions: Likes 1,210 + Love 85 + Wow 3 + Haha 20 + Sad 1 + Angry 2 + Care 3
    assert (photo.likes, photo.comments, photo.shares) == (1324, 98, 12)
    assert photo.likes + photo.comments + photo.shares == 1434  # = Total Interactions "1,434"
    assert photo.followers == 135210  # "135,210.0"
    assert photo.views == 0
    assert photo.duration_s is None  # "N/A"
    assert photo.hashtags == ["banjir", "bekasimaju"]
    assert photo.mentions == ["wargabekasi"]
    # the capture time is in CrowdTangle's file name: 2024-11-21 08:30:00 EST
    assert photo.observed_at == datetime(2024, 11, 21, 13, 30)

    video = posts["556677889900112"]  # .../videos/556677889900112/ (trailing slash)
    assert video.created_at == datetime(2024, 11, 6, 3, 56, 36)  # 22:56:36 EST
    assert video.media_type == "video"
    assert video.duration_s == 65.0
    assert video.views == 48900  # Post Views, not Total Views
    assert video.likes == 2001  # reactions "N/A": only Likes is known
    assert video.followers is None  # empty cell

    status = posts["443322110099"]  # permalink.php?story_fbid=443322110099&id=...
    assert status.media_type == "text"
    assert status.account_id == "100064111222333"
    assert status.hashtags == ["uunurul"]

    live = posts["778899001122"]
    assert live.media_type == "live"
    assert live.text is None  # empty Message
    assert live.duration_s == 3723.0  # 01:02:03
    assert live.followers is None  # "N/A"

    accounts = {a.account_id: a for a in rows if isinstance(a, Account)}
    assert accounts["104829374650218"].handle == "triadhianto.official"
    assert accounts["104829374650218"].display_name == "Tri Adhianto"


def test_full_facebook_header_imports_with_na_as_null(project, fixtures_dir):
    (summary,) = import_files(project, fixtures_dir / FB_FIXTURE)
    assert (summary.posts, summary.accounts, summary.rejected) == (4, 3, 0)
    rows = query(project, """SELECT post_id, observed_at, likes, views, followers
                             FROM post_metrics ORDER BY post_id""")
    by_id = {r["post_id"]: r for r in rows}
    assert by_id["778899001122"]["followers"] is None
    assert by_id["556677889900112"]["views"] == 48900
    assert {r["observed_at"] for r in rows} == {datetime(2024, 11, 21, 13, 30)}
    account = query(project, "SELECT handle, followers FROM accounts "
                             "WHERE account_id = '104829374650218'")[0]
    assert account == {"handle": "triadhianto.official", "followers": 135210}


# --- Instagram -----------------------------------------------------------------------------

def test_instagram_header(fixtures_dir):
    name, rows = mapped(fixtures_dir / IG_FIXTURE)
    assert name == "crowdtangle"
    posts = posts_of(rows)
    album = posts["C_abc123XYZ"]  # the shortcode, as the other Instagram formats key posts
    assert album.platform == "instagram"
    assert album.account_id == "triadhianto"  # no numeric id in these exports
    assert album.created_at == datetime(2024, 9, 30, 11, 15)  # 07:15 EDT
    assert album.media_type == "carousel"
    assert (album.likes, album.comments, album.views) == (5100, 220, None)  # Views "N/A"
    assert album.followers == 210400
    assert album.text.startswith("Blusukan ke pasar Kranji")
    assert album.mentions == ["tri_adhianto"]
    reel = posts["DBx9Yz0Pq1r"]  # /reel/DBx9Yz0Pq1r/
    assert reel.created_at == datetime(2024, 11, 11, 1, 0)  # 20:00 EST
    assert (reel.media_type, reel.views) == ("video", 12345)
    accounts = {a.account_id: a for a in rows if isinstance(a, Account)}
    assert accounts["uusaefulmikdar"].display_name == "Uu Saeful Mikdar"


# --- variants written here -----------------------------------------------------------------

def test_total_interactions_gives_likes_when_no_reaction_column(tmp_path):
    path = tmp_path / "subset.csv"
    path.write_text(
        "Page Name,Facebook Id,Post Created,Total Interactions,Comments,Shares,URL\n"
        'Heri Koswara,100070000111222,2024-10-01 09:00:00 EDT,"1,250",50,200,'
        "https://www.facebook.com/100070000111222/posts/123456789\n", encoding="utf-8")
    _, rows = mapped(path)
    post = posts_of(rows)["123456789"]
    assert (post.likes, post.comments, post.shares) == (1000, 50, 200)


def test_bad_rows_are_rejected_with_reasons(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "Page Name,Facebook Id,Post Created,Likes,URL\n"
        "A,1.00064E+14,2024-10-01 09:00:00 EDT,5,https://www.facebook.com/a/posts/1\n"
        "B,100070000111222,2024-10-01 09:00:00 XYZ,5,https://www.facebook.com/b/posts/2\n"
        "C,100070000111223,2024-10-01 09:00:00 EDT,5,\n"
        "D,100070000111224,2024-10-01 09:00:00 EDT,N/A,https://www.facebook.com/d/posts/4\n",
        encoding="utf-8")
    _, rows = mapped(path)
    reasons = [r.reason for r in rows if isinstance(r, Rejected)]
    assert len(reasons) == 3
    assert "scientific notation" in reasons[0]
    assert "unknown time-zone abbreviation 'XYZ'" in reasons[1]
    assert "no URL" in reasons[2]
    assert posts_of(rows)["4"].likes is None


@pytest.mark.parametrize("header", [
    "URL,Message\n",  # too few CrowdTangle columns
    "id,creation_time,post_owner.id,text\n",  # Meta Content Library
    "Page Name,Message,Likes\n",  # no URL, no Post Created
])
def test_other_csvs_are_not_crowdtangle(tmp_path, header):
    path = tmp_path / "other.csv"
    path.write_text(header + ",".join(["x"] * header.count(",")) + ",y\n", encoding="utf-8")
    (source,) = expand([str(path)])
    try:
        name = formats.detect(source).name
    except formats.FormatError:
        name = None
    assert name != "crowdtangle"
