"""Facebook / Instagram Graph API responses: every real sample, and fixtures for the shapes the
samples lack (posts with `from`, comments with ids and `parent`, nested replies, page-node and
business_discovery documents, the newer insights form, one response per line)."""

from __future__ import annotations

from datetime import datetime

import pytest

from pantau.records import Account, Comment, Metric
from tests.conftest import import_files, query
from tests.formats.test_crowdtangle import mapped, posts_of

FB_DIR, IG_DIR = "facebook_graph_api", "instagram_graph_api"
PAGE = "104829374650218"


def of(rows, cls) -> list:
    return [r for r in rows if isinstance(r, cls)]


def rejects(rows) -> list[str]:
    return [r.reason for r in rows if type(r).__name__ == "Rejected"]


def test_every_sample_sniffs_as_graph_api(samples_dir):
    files = sorted((samples_dir / FB_DIR).glob("*.json")) + sorted(
        (samples_dir / IG_DIR).glob("*.json"))
    assert len(files) == 12
    for path in files:
        name, rows = mapped(path)
        assert name == "graph-api", path.name
        assert rows, path.name  # every sample yields rows or per-item rejects


# --- Facebook samples ----------------------------------------------------------------------

def test_page_feed_sample(samples_dir):
    _, rows = mapped(samples_dir / FB_DIR / "python-facebook_posts_feeds_default_fields_p1.json")
    posts = posts_of(rows)
    assert len(posts) == 5 and not rejects(rows)
    first = posts["19292868552_10158349356748553"]
    assert first.platform == "facebook"
    assert first.account_id == "19292868552"  # no `from`: the page in the id
    assert first.created_at == datetime(2021, 7, 9, 19, 9, 52)  # "+0000"
    assert first.text.startswith("Singaporean logistics company Ninja Van")
    assert first.media_type == "image"  # attachments type photo
    assert (first.likes, first.comments, first.shares) == (125, 13, 10)
    assert first.url == "https://www.facebook.com/19292868552/posts/10158349356748553/"
    assert posts["19292868552_10158347294088553"].media_type == "link"  # share
    assert posts["19292868552_10158333323653553"].media_type == "video"  # video_autoplay


def test_single_post_and_model_samples(samples_dir):
    _, rows = mapped(samples_dir / FB_DIR / "python-facebook_posts_single_post_data.json")
    post = posts_of(rows)["175154750010052_424924701699721"]
    assert (post.text, post.media_type) == ("我测试一下 MyLife", "text")  # mobile_status_update
    assert (post.likes, post.comments, post.shares) == (1, 0, None)  # haha 1
    assert post.created_at == datetime(2019, 8, 12, 3, 45, 11)
    _, rows = mapped(samples_dir / FB_DIR / "python-facebook_models_post.json")
    post = posts_of(rows)["565225540184937_4018908568149933"]
    assert (post.media_type, post.likes, post.comments) == ("carousel", 8878, 47)


def test_multi_posts_sample_has_nested_comments(samples_dir):
    _, rows = mapped(samples_dir / FB_DIR / "python-facebook_posts_multi_posts_data.json")
    assert set(posts_of(rows)) == {"19292868552_10158347294088553",
                                   "19292868552_10158345715593553"}
    comments = {c.comment_id: c for c in of(rows, Comment)}
    assert len(comments) == 16
    c = comments["19292868552_10158347294088553_10158348537573553"]
    assert c.post_id == "19292868552_10158347294088553"
    assert (c.author_id, c.author_handle) == ("100070073499229", "Vivian Smith")
    assert c.created_at == datetime(2021, 7, 9, 9, 29, 6)
    assert c.likes == 0  # older `likes` number
    assert c.parent_id is None


def test_comments_without_id_are_keyed_by_their_permalink(project, samples_dir):
    path = samples_dir / FB_DIR / "python-facebook_comments_comments_p1.json"
    _, rows = mapped(path)
    comments = {c.comment_id: c for c in of(rows, Comment)}
    assert len(comments) == 10 and not rejects(rows)
    first = comments["10158407654328553_10158407835073553"]
    assert first.post_id == "19292868552_10158407654328553"
    assert first.parent_id is None
    assert first.text.startswith("Boa noite peço ajuda")
    assert first.created_at == datetime(2021, 8, 10, 18, 45, 3)
    (summary,) = import_files(project, path)
    assert (summary.comments, summary.rejected) == (10, 0)


def test_reply_permalink_names_its_parent(samples_dir):
    path = samples_dir / FB_DIR / "python-facebook_comments_comments_p2.json"
    _, rows = mapped(path)
    replies = [c for c in of(rows, Comment) if c.parent_id is not None]
    reply = next(c for c in replies if c.comment_id.endswith("_10158413660043553"))
    assert reply.parent_id.endswith("_10158412899928553")
    assert reply.comment_id.split("_")[0] == reply.parent_id.split("_")[0]


def test_comment_without_id_or_permalink_is_rejected():
    from pantau.formats.graph_api import _comment_in_permalink

    assert _comment_in_permalink(None) == (None, None)
    assert _comment_in_permalink("https://www.facebook.com/groups/1/") == (None, None)


# --- Instagram samples ---------------------------------------------------------------------

def test_ig_media_sample(samples_dir):
    _, rows = mapped(samples_dir / IG_DIR / "python-facebook_ig_medias_medias_fields.json")
    posts = posts_of(rows)
    image = posts["17893085207160254"]
    assert image.platform == "instagram"
    assert (image.text, image.media_type) == ("Peach new", "image")
    assert (image.likes, image.comments) == (1, 0)
    assert image.created_at == datetime(2021, 6, 9, 9, 47, 29)
    assert image.url == "https://www.instagram.com/p/CP5Rq0bjBzn/"
    assert posts["17896129349106152"].media_type == "carousel"  # children are not posts
    assert len(posts) == 2


def test_ig_comments_take_the_post_from_paging(samples_dir):
    _, rows = mapped(samples_dir / IG_DIR / "python-facebook_ig_medias_comments_p1.json")
    comments = {c.comment_id: c for c in of(rows, Comment)}
    assert set(comments) == {"17858154961981086", "17874875428706419"}
    c = comments["17858154961981086"]
    assert (c.post_id, c.text) == ("17846368219941692", "Beautiful!")  # /{media}/comments
    assert c.created_at == datetime(2020, 6, 1, 10, 56, 52)


def test_ig_replies_without_context_keep_their_id(samples_dir):
    _, rows = mapped(samples_dir / IG_DIR / "python-facebook_ig_comments_replies.json")
    (reply,) = of(rows, Comment)
    assert (reply.comment_id, reply.text) == ("17847314687296283", "@lixiangguodu123 nihao")
    assert reply.post_id is None and reply.parent_id is None  # nothing in the file says


def test_ig_insights_samples(project, samples_dir):
    path = samples_dir / IG_DIR / "python-facebook_ig_medias_insights.json"
    _, rows = mapped(path)
    (metric,) = of(rows, Metric)
    assert (metric.platform, metric.post_id) == ("instagram", "17846368219941692")
    assert (metric.impressions, metric.reach, metric.saves) == (8, 5, 0)
    _, rows = mapped(samples_dir / IG_DIR / "python-facebook_ig_medias_insights_new.json")
    assert not of(rows, Metric)
    assert rejects(rows) == ["insight metric 'profile_activity' has no column in post_metrics "
                             "(kept here for a later mapper)"]
    (summary,) = import_files(project, path)
    assert summary.metrics == 1
    row = query(project, "SELECT impressions, reach, saves, likes FROM post_metrics")[0]
    assert row == {"impressions": 8, "reach": 5, "saves": 0, "likes": None}


# --- fixtures ------------------------------------------------------------------------------

def test_feed_with_from_nested_comments_and_missing_shares(project, fixtures_dir):
    path = fixtures_dir / "graph-api/fb_page_feed.json"
    _, rows = mapped(path)
    posts = posts_of(rows)
    album = posts[f"{PAGE}_1122334455667788"]
    assert (album.media_type, album.likes, album.comments, album.shares) == (
        "carousel", 1324, 98, 12)
    assert album.hashtags == ["banjir", "bekasimaju"]
    video = posts[f"{PAGE}_9988776655443322"]
    assert video.media_type == "video"
    # `shares` was requested (paging URL) and is absent: the Graph API's way of saying 0
    assert (video.likes, video.shares) == (0, 0)
    author = next(a for a in of(rows, Account))
    assert (author.account_id, author.display_name) == (PAGE, "Tri Adhianto")
    import_files(project, path)
    stored = query(project, "SELECT comment_id, post_id, author_id, by_post_author "
                            "FROM comments ORDER BY comment_id")
    assert [c["post_id"] for c in stored] == [f"{PAGE}_1122334455667788"] * 2
    assert stored[1]["author_id"] == PAGE and stored[1]["by_post_author"] is True


def test_comments_with_parent_and_one_without_id(fixtures_dir):
    _, rows = mapped(fixtures_dir / "graph-api/fb_post_comments.json")
    comments = {c.comment_id: c for c in of(rows, Comment)}
    top = comments["1122334455667788_5550001"]
    assert top.post_id == f"{PAGE}_1122334455667788"
    assert (top.likes, top.reply_count, top.author_handle) == (4, 1, "Siti Rahma")
    reply = comments["1122334455667788_5550003"]
    assert reply.parent_id == "1122334455667788_5550001"
    assert reply.post_id == f"{PAGE}_1122334455667788"  # from the paging URL
    assert len(rejects(rows)) == 1


def test_fb_post_insights(fixtures_dir):
    _, rows = mapped(fixtures_dir / "graph-api/fb_post_insights.json")
    (metric,) = of(rows, Metric)
    assert (metric.platform, metric.post_id) == ("facebook", f"{PAGE}_1122334455667788")
    assert (metric.impressions, metric.reach) == (5000, 3100)
    assert metric.likes == 1315  # post_reactions_by_type_total summed
    assert rejects(rows) == ["insight metric 'post_clicks' has no column in post_metrics "
                             "(kept here for a later mapper)"]


def test_business_discovery(fixtures_dir):
    _, rows = mapped(fixtures_dir / "graph-api/ig_business_discovery.json")
    account = next(a for a in of(rows, Account) if a.handle)
    assert (account.account_id, account.handle, account.followers) == (
        "17841400000000001", "tri_adhianto", 210400)
    posts = posts_of(rows)
    assert {p.account_id for p in posts.values()} == {"17841400000000001"}
    reel = posts["17990000000000002"]
    assert (reel.media_type, reel.likes, reel.comments) == ("video", None, 50)  # likes hidden
    assert posts["17990000000000001"].mentions == ["uusaeful"]


def test_media_with_nested_comments_replies_and_insights(fixtures_dir):
    _, rows = mapped(fixtures_dir / "graph-api/ig_media_with_comments.json")
    comments = {c.comment_id: c for c in of(rows, Comment)}
    assert comments["17860000000000011"].parent_id is None
    reply = comments["17860000000000012"]
    assert (reply.parent_id, reply.post_id) == ("17860000000000011", "17990000000000001")
    assert reply.author_handle == "tri_adhianto"
    (metric,) = of(rows, Metric)
    assert (metric.post_id, metric.reach) == ("17990000000000001", 40000)


def test_replies_take_their_parent_from_the_file_name(project, fixtures_dir):
    import_files(project, fixtures_dir / "graph-api/17860000000000011_replies.json")
    row = query(project, "SELECT comment_id, parent_id, author_handle, created_at "
                         "FROM comments")[0]
    assert row == {"comment_id": "17860000000000099", "parent_id": "17860000000000011",
                   "author_handle": "bekasi_muda", "created_at": datetime(2024, 10, 1, 1, 2, 3)}


def test_newer_insights_form(fixtures_dir):
    _, rows = mapped(fixtures_dir / "graph-api/ig_reels_insights.json")
    (metric,) = of(rows, Metric)
    assert metric.reach == 15200  # total_value.value only
    assert (metric.views, metric.saves, metric.shares) == (41000, 88, 130)  # plays -> views
    reasons = rejects(rows)
    assert len(reasons) == 2
    assert "'total_interactions' has no column" in reasons[0]
    assert "period 'day'" in reasons[1]


def test_one_response_per_line(project, fixtures_dir):
    path = fixtures_dir / "graph-api/fb_posts_pages.ndjson"
    name, rows = mapped(path)
    assert name == "graph-api"
    posts = posts_of(rows)
    assert posts[f"{PAGE}_1000000000000001"].likes == 10
    assert posts[f"{PAGE}_1000000000000002"].likes == 9  # like 7 + love 2 aliases
    (summary,) = import_files(project, path)
    assert (summary.records, summary.posts) == (2, 2)


@pytest.mark.parametrize("sample", [
    "youtube_data_api/python-youtube_videos_videos_info_single.json",
    "twarc2/twarc-csv_two_tweets.jsonl",
    "tiktok_research_api/traktok_example_resp_q_videos.json",
])
def test_other_json_is_not_graph_api(samples_dir, sample):
    from pantau import formats
    from pantau.sources import expand

    (source,) = expand([str(samples_dir / sample)])
    try:
        name = formats.detect(source).name
    except formats.FormatError:
        name = None
    assert name != "graph-api"
