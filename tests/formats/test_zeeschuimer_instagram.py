"""Zeeschuimer Instagram: item list, legacy Graph and partial Polaris items, comment items, and
import through the pipeline. shared/samples has no Zeeschuimer Instagram file, so the fixtures
mirror the structure of real captures (item list as in 2024-2026 exports, Graph nodes,
Polaris nodes from logged-out pages, and the instagram-comments module's rewritten comments)."""

from __future__ import annotations

from datetime import datetime

from pantau.formats.base import Rejected
from pantau.formats.zeeschuimer_instagram import shortcode_from_media_id
from tests.conftest import import_files, query
from tests.formats.test_zeeschuimer_tiktok import (
    assert_claims_only,
    comments_by_id,
    detect_name,
    map_file,
    posts_by_id,
)

CAPTURE = "zeeschuimer-instagram/instagram_capture.ndjson"
COMMENTS = "zeeschuimer-instagram/instagram_comments.ndjson"
CAROUSEL, REEL, HIDDEN, AD = "DBN-W_Rge_y", "DBP1GUm5rrA", "DBSjI0z6QAR", "DBWGgvYr4Ad"
POLARIS_VIDEO, POLARIS_IMAGE = "DBZp4p9dgAp", "DBZp4p9dgA1"
HERI = "51234567890"


def test_fixtures_are_sniffed(fixtures_dir):
    assert detect_name(fixtures_dir / CAPTURE) == "zeeschuimer-instagram"
    assert detect_name(fixtures_dir / COMMENTS) == "zeeschuimer-instagram"


def test_never_claims_a_shared_sample(samples_dir):
    assert_claims_only(samples_dir, {"zeeschuimer-instagram"}, set())


def test_shortcode_is_the_media_pk_in_base64():
    # pk and code of one public item in a Zeeschuimer export
    assert shortcode_from_media_id("3513759156023256734") == "DDDYVXxCuae"
    assert shortcode_from_media_id("3513759156023256734_45437676048") == "DDDYVXxCuae"
    assert shortcode_from_media_id(None) is None


def test_item_list_carousel(fixtures_dir):
    (post,) = posts_by_id(map_file(fixtures_dir / CAPTURE))[CAROUSEL]
    assert post.account_id == HERI
    assert post.created_at == datetime(2024, 10, 20, 4, 53, 20)
    assert post.observed_at == datetime(2024, 10, 22, 12, 26, 40)
    assert post.text.startswith("Silaturahmi dengan warga Bantargebang")
    assert post.media_type == "carousel"
    assert (post.hashtags, post.mentions) == (["herisholihin", "bekasimaju"],
                                              ["sholihin.official"])
    assert (post.likes, post.comments, post.views, post.shares, post.saves) == (
        3400, 210, None, None, None)
    assert post.url == f"https://www.instagram.com/p/{CAROUSEL}/"
    assert post.is_ad is False


def test_reel_captured_twice(fixtures_dir):
    first, second = posts_by_id(map_file(fixtures_dir / CAPTURE))[REEL]
    assert (first.media_type, first.duration_s) == ("video", 30.5)
    assert (first.views, first.likes, first.comments) == (45100, 2100, 88)  # play_count
    assert (second.views, second.likes, second.comments) == (51200, 2400, 97)
    assert second.observed_at == datetime(2024, 10, 23, 12, 26, 40)


def test_hidden_counts_and_ads(fixtures_dir):
    posts = posts_by_id(map_file(fixtures_dir / CAPTURE))
    (hidden,) = posts[HIDDEN]
    assert (hidden.likes, hidden.views, hidden.comments) == (None, None, 22)
    assert (hidden.text, hidden.media_type) == (None, "image")
    (ad,) = posts[AD]
    assert ad.is_ad is True


def test_legacy_graph_nodes(fixtures_dir):
    rows = map_file(fixtures_dir / CAPTURE)
    posts = posts_by_id(rows)
    (sidecar,) = posts["C_gRaPhSiDe"]
    assert (sidecar.account_id, sidecar.media_type, sidecar.followers) == (
        "41234567890", "carousel", 152000)
    assert sidecar.created_at == datetime(2024, 10, 19, 1, 6, 40)
    assert (sidecar.likes, sidecar.comments) == (5300, 320)
    assert sidecar.hashtags == ["triharris", "bekasi2024"]
    (video,) = posts["C_gRaPhViDe"]
    assert (video.media_type, video.views, video.duration_s, video.text) == (
        "video", 12000, 58.2, None)
    found = comments_by_id(rows)
    assert found["17990000000000001"].post_id == "C_gRaPhViDe"
    assert found["17990000000000002"].parent_id == "17990000000000001"
    assert found["17990000000000002"].created_at == datetime(2024, 10, 19, 4, 26, 40)


def test_partial_polaris_items(fixtures_dir):
    posts = posts_by_id(map_file(fixtures_dir / CAPTURE))
    (video,) = posts[POLARIS_VIDEO]
    assert (video.account_id, video.media_type, video.views) == (HERI, "video", 9100)
    assert video.text == "Debat kandidat malam ini! #DebatPilkadaBekasi"
    assert (video.created_at, video.likes, video.comments) == (None, None, None)
    (image,) = posts[POLARIS_IMAGE]  # no user, no caption, no time
    assert (image.account_id, image.media_type, image.text, image.created_at) == (
        None, "image", None, None)


def test_comment_items_and_preview_comments(fixtures_dir):
    found = comments_by_id(map_file(fixtures_dir / COMMENTS))
    question = found["18060000000000001"]
    assert (question.post_id, question.parent_id, question.author_handle) == (
        REEL, None, "ibu.rawalumbu")
    assert question.created_at == datetime(2024, 10, 21, 11, 26, 40)
    assert (question.likes, question.reply_count) == (5, 1)
    answer = found["18060000000000002"]
    assert (answer.parent_id, answer.author_id) == ("18060000000000001", HERI)
    assert found["18060000000000003"].post_id == REEL  # shortcode computed from media_id
    preview = comments_by_id(map_file(fixtures_dir / CAPTURE))
    assert preview["18050000000000002"].parent_id == "18050000000000001"
    assert preview["18050000000000001"].post_id == CAROUSEL


def test_malformed_line(fixtures_dir):
    rejects = [n for n, r in map_file(fixtures_dir / CAPTURE) if isinstance(r, Rejected)]
    assert rejects == [5]


def test_import_pipeline(project, fixtures_dir):
    import_files(project, fixtures_dir / CAPTURE, fixtures_dir / COMMENTS)
    posts = {r["post_id"] for r in query(project, "SELECT post_id FROM posts")}
    assert posts == {CAROUSEL, REEL, HIDDEN, AD, "C_gRaPhSiDe", "C_gRaPhViDe", POLARIS_VIDEO,
                     POLARIS_IMAGE}
    metrics = query(project, "SELECT observed_at, views FROM post_metrics WHERE post_id = ? "
                             "ORDER BY observed_at", [REEL])
    assert metrics == [{"observed_at": datetime(2024, 10, 22, 12, 26, 40), "views": 45100},
                       {"observed_at": datetime(2024, 10, 23, 12, 26, 40), "views": 51200}]
    (reject,) = query(project, "SELECT line_no, reason FROM rejects")
    assert reject["line_no"] == 5 and "not valid JSON" in reject["reason"]
    authors = {r["comment_id"]: r["by_post_author"] for r in query(
        project, "SELECT comment_id, by_post_author FROM comments")}
    assert authors["18060000000000002"] is True  # the candidate answering under the reel
    assert authors["18050000000000002"] is True
    assert authors["17990000000000002"] is True
    assert authors["18060000000000001"] is False
    (account,) = query(project, "SELECT handle, display_name FROM accounts WHERE account_id = ?",
                       [HERI])
    assert account == {"handle": "heri.koswara", "display_name": "Heri Koswara"}


def test_4cat_reexport_maps_like_the_capture(tmp_path, fixtures_dir):
    from tests.formats.test_zeeschuimer_tiktok import fourcat_reexport

    path = fourcat_reexport(fixtures_dir / CAPTURE, tmp_path / "4cat-instagram.ndjson")
    assert detect_name(path) == "zeeschuimer-instagram"
    original = [r for _, r in map_file(fixtures_dir / CAPTURE) if not isinstance(r, Rejected)]
    assert [r for _, r in map_file(path) if not isinstance(r, Rejected)] == original
