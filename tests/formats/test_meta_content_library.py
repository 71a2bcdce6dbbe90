"""Meta Content Library CSV (no real file is public; fixtures follow the data dictionary's dotted
column names). Facebook and Instagram are told apart per row."""

from __future__ import annotations

from datetime import datetime

from pantau.formats.meta_content_library import platform_of
from pantau.records import Account
from tests.conftest import import_files, query
from tests.formats.test_crowdtangle import mapped, posts_of

FB = "meta-content-library/facebook_posts.csv"
IG = "meta-content-library/instagram_posts.csv"


def test_facebook_posts(fixtures_dir):
    name, rows = mapped(fixtures_dir / FB)
    assert name == "meta-content-library"
    posts = posts_of(rows)
    photo = posts["1029384756102938"]
    assert photo.platform == "facebook"
    assert photo.account_id == "100070000111222"  # post_owner, not surface
    assert photo.created_at == datetime(2024, 10, 12, 3, 15)  # naive = UTC
    assert photo.media_type == "image"
    assert photo.lang == "id"
    # likes = statistics.reaction_count (all reactions), not like_count (1400)
    assert (photo.likes, photo.comments, photo.shares, photo.views) == (1540, 230, 45, None)
    assert photo.hashtags == ["pilkadabekasi"]
    assert photo.mentions == ["heri.koswara"]
    live = posts["1029384756109999"]
    assert live.platform == "facebook"  # surface.* columns, no URL
    assert live.media_type == "live"
    assert live.likes is None  # reaction_count "N/A", per-type counts empty
    assert (live.comments, live.shares, live.views) == (12, 3, 8800)  # views "8,800"
    assert live.created_at == datetime(2024, 11, 1, 12, 0)
    owner = next(a for a in rows if isinstance(a, Account))
    assert (owner.handle, owner.display_name) == ("herikoswara", "Heri Koswara")


def test_instagram_posts(fixtures_dir):
    name, rows = mapped(fixtures_dir / IG)
    assert name == "meta-content-library"
    posts = posts_of(rows)
    carousel = posts["3456789012345678901"]  # a 19-digit id stays exact
    assert carousel.platform == "instagram"
    assert carousel.created_at == datetime(2024, 9, 28, 10, 20, 30)  # "+0000"
    assert carousel.media_type == "carousel"
    assert (carousel.likes, carousel.comments, carousel.shares) == (12500, 430, None)
    assert carousel.url == "https://www.instagram.com/p/DAbCdEfGhIj/"
    reel = posts["3456789012345678902"]
    assert reel.created_at == datetime(2024, 10, 27, 3, 33, 20)  # epoch 1730000000
    assert (reel.media_type, reel.likes, reel.views) == ("video", None, 98765)


def test_platform_from_header_when_no_url():
    assert platform_of({"id": "1", "statistics.like_count": "3", "mcl_url": ""}) == "instagram"
    assert platform_of({"id": "1", "surface.id": "9", "mcl_url": ""}) == "facebook"
    assert platform_of({"id": "1", "statistics.share_count": "2"}) == "facebook"
    assert platform_of({"id": "1", "platform": "Instagram"}) == "instagram"


def test_import_pipeline(project, fixtures_dir):
    summaries = import_files(project, fixtures_dir / FB, fixtures_dir / IG)
    assert [(s.format, s.posts, s.rejected) for s in summaries] == [
        ("meta-content-library", 2, 0), ("meta-content-library", 2, 0)]
    rows = query(project, """SELECT platform, post_id, likes, views FROM posts
                             JOIN post_metrics USING (platform, post_id) ORDER BY post_id""")
    assert rows[0] == {"platform": "facebook", "post_id": "1029384756102938", "likes": 1540,
                       "views": None}
    assert rows[-1] == {"platform": "instagram", "post_id": "3456789012345678902",
                        "likes": None, "views": 98765}
