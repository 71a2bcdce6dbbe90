"""YouTube Data API v3: videos, channels, commentThreads, comments, playlistItems.

Real samples: ../shared/samples/youtube_data_api/ (sns-sdks/python-youtube's test data).
Fixtures (tests/fixtures/youtube-api/): `pilkada_video_threads.ndjson` holds three responses
as a collector writes them, one per line: videos.list (a debate video and a past live stream),
commentThreads.list for the debate (HTML in textDisplay, a reply by the channel itself) and
playlistItems.list of the channel's uploads; `channels.json` is channels.list with one channel
whose subscriber count is hidden.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import orjson

from pantau.formats.base import Rejected
from pantau.formats.youtube_api import comment_text
from pantau.records import Account, Comment, Post
from tests.conftest import FIXTURES, import_files, query
from tests.formats.test_twarc2 import (
    by_id,
    claimed,
    foreign_files,
    map_path,
    of,
    sniffs_as,
)

DIR = FIXTURES / "youtube-api"
RESPONSES = DIR / "pilkada_video_threads.ndjson"
CHANNELS = DIR / "channels.json"
CHANNEL = "UCq3bEkAsI3pAsLoN3xYz12A"
VIDEO = "Xq7bK2pLm9A"


def sample(samples_dir, name: str):
    return samples_dir / "youtube_data_api" / f"python-youtube_{name}.json"


def test_all_samples_sniff_and_import_without_rejects(samples_dir, project):
    paths = sorted((samples_dir / "youtube_data_api").glob("*.json"))
    assert len(paths) == 11
    assert claimed(samples_dir, {"youtube-api"}) == {
        p.relative_to(samples_dir).as_posix() for p in paths}
    summaries = import_files(project, *paths)
    assert [(s.status, s.format) for s in summaries] == [("imported", "youtube-api")] * 11
    assert sum(s.rejected for s in summaries) == 0
    (row,) = query(project, "SELECT count(*) AS n FROM comments WHERE platform = 'youtube'")
    assert row["n"] == 15  # distinct comments over all thread and comment samples


def test_youtube_api_claims_no_other_format_fixture():
    for path in foreign_files("youtube-api"):
        assert not sniffs_as(path, "youtube-api"), path


def test_sample_video(samples_dir):
    rows = map_path(sample(samples_dir, "modeldata_videos_video_api_response"))
    (post,) = of(rows, Post)
    assert (post.platform, post.post_id, post.account_id) == (
        "youtube", "D-lhorsDlUQ", "UC_x5XG1OV2P6uZZ5FSM9Ttw")
    assert post.created_at == datetime(2019, 3, 21, 20, 37, 49)
    assert post.duration_s == 21 * 60 + 7  # PT21M7S
    assert (post.views, post.likes, post.comments, post.shares) == (7920, 190, 32, None)
    assert post.text.startswith("What are Actions on Google (Assistant on Air)\n\nIn the first")
    assert (post.media_type, post.lang) == ("video", "en")
    assert post.url == "https://www.youtube.com/watch?v=D-lhorsDlUQ"
    (account,) = of(rows, Account)
    assert account.display_name == "Google Developers"


def test_sample_channel(samples_dir):
    (account,) = of(map_path(sample(samples_dir, "channel_info_single")), Account)
    assert (account.account_id, account.handle, account.display_name, account.followers) == (
        "UC_x5XG1OV2P6uZZ5FSM9Ttw", "googledevelopers", "Google Developers", 1927873)


def test_sample_thread_with_reply(samples_dir):
    comments = by_id(map_path(sample(samples_dir, "modeldata_comments_comment_thread_info")),
                     Comment, "comment_id")
    top = comments["UgydxWWoeA7F1OdqypJ4AaABAg"]
    assert (top.post_id, top.parent_id, top.reply_count) == ("D-lhorsDlUQ", None, 1)
    assert top.text == "Actions.ai"  # textOriginal, not the HTML of textDisplay
    assert top.created_at == datetime(2019, 6, 23, 8, 24, 24)
    reply = comments["UgydxWWoeA7F1OdqypJ4AaABAg.8wWQ3tdHcFx8xcDheui-qb"]
    assert (reply.post_id, reply.parent_id) == ("D-lhorsDlUQ", "UgydxWWoeA7F1OdqypJ4AaABAg")
    assert (reply.author_id, reply.author_handle) == ("UCsl2A_QzcSnFD2hpCyVwXxA",
                                                      "Dian Anggraeni")
    assert (reply.likes, reply.created_at) == (1, datetime(2019, 7, 20, 20, 22, 27))


def test_sample_replies_listed_by_parent_have_no_video(samples_dir):
    comments = of(map_path(sample(samples_dir, "comments_comments_by_parent_paged_1")), Comment)
    assert [c.comment_id for c in comments] == [
        "Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za6voUoRh",
        "Ugw5zYU6n9pmIgAZWvN4AaABAg.91zT3cYb5B291za5eJxzs1"]
    assert {(c.post_id, c.parent_id) for c in comments} == {(None,
                                                            "Ugw5zYU6n9pmIgAZWvN4AaABAg")}
    assert comments[0].text == "this is the third reply!"


def test_sample_threads_related_to_a_channel(samples_dir):
    comments = of(map_path(sample(samples_dir, "comment_threads_comment_threads_all_to_me")),
                  Comment)
    assert len(comments) == 4
    on_video = [c for c in comments if c.post_id == "JE8xdDp5B8Q"]
    assert [c.comment_id for c in on_video] == ["UgyWeTdgc4sc1xgmbld4AaABAg",
                                                "Ugw5zYU6n9pmIgAZWvN4AaABAg"]
    assert {c.by_post_author for c in on_video} == {False}  # UCNvMB... is not UCa-vr...
    # comments on the channel itself (no videoId) belong to no post
    assert [(c.post_id, c.by_post_author) for c in comments if c not in on_video] == [
        (None, None), (None, None)]


def test_fixture_responses_one_per_line():
    rows = map_path(RESPONSES)
    posts = by_id(rows, Post, "post_id")
    debate = posts[VIDEO]  # first seen in videos.list (the playlist item repeats it)
    assert (debate.views, debate.likes, debate.comments) == (18230, 944, 5)
    assert debate.duration_s == 1265
    assert debate.hashtags == ["pilkadabekasi", "debatpilkada"]
    assert debate.mentions == ["beritabekasi"] and debate.lang == "id"
    live = posts["Lv5KampAnYe"]
    assert (live.media_type, live.duration_s, live.comments) == ("live", 7384, None)
    uploads = [p for p in of(rows, Post) if p.post_id == VIDEO and p.views is None]
    assert uploads[0].created_at == datetime(2024, 11, 18, 3, 20)  # videoPublishedAt
    comments = by_id(rows, Comment, "comment_id")
    top = comments["UgzF3kQm1vPilkada01AaABAg"]
    assert top.text == "Program banjirnya konkret, semoga bukan janji saja\nMustikajaya & " \
                       "Bantargebang juga ya"
    assert (top.author_handle, top.reply_count, top.by_post_author) == (
        "wargamustikajaya", 1, False)
    reply = comments["UgzF3kQm1vPilkada01AaABAg.AB12cd34EF5"]
    assert (reply.parent_id, reply.author_id, reply.by_post_author) == (
        "UgzF3kQm1vPilkada01AaABAg", CHANNEL, True)


def test_channels_with_a_hidden_subscriber_count():
    accounts = by_id(map_path(CHANNELS), Account, "account_id")
    assert (accounts[CHANNEL].handle, accounts[CHANNEL].followers) == ("paslon3bekasi", 12900)
    hidden = accounts["UCrElAwAnBeKaSiHiDdEn000"]
    assert (hidden.handle, hidden.followers) == ("relawanbekasi", None)  # not 0


def test_text_display_html_is_cleaned_when_there_is_no_original():
    assert comment_text({"textDisplay": '<a href="http://x.id/">Program</a> bagus<br>'
                                        "Banjir &amp; macet &quot;beres&quot;"}) == (
        'Program bagus\nBanjir & macet "beres"')


def test_unknown_kinds_and_broken_items_are_rejected(tmp_path):
    doc = {"kind": "youtube#videoListResponse", "items": [
        {"kind": "youtube#video", "snippet": {"title": "no id"}},
        {"kind": "youtube#caption", "id": "AUieDaZ"},
        {"kind": "youtube#video", "id": "Ok1Ok2Ok3Ok", "statistics": {"viewCount": "12"}}]}
    path = tmp_path / "mixed.json"
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    rows = map_path(path)
    assert [r.reason for r in of(rows, Rejected)] == [
        "YouTube video without an `id`", "YouTube items of kind 'youtube#caption' are not read"]
    assert [(p.post_id, p.views) for p in of(rows, Post)] == [("Ok1Ok2Ok3Ok", 12)]


def test_same_video_from_ytdlp_and_the_api_is_one_post(project, tmp_path):
    mtime = datetime(2024, 11, 23, 0, 0)
    # The API has no capture time, and comments carry none: the files' times are used.
    ytdlp = tmp_path / "youtube_debat.info.json"
    api = tmp_path / RESPONSES.name
    for path, source, seen in ((ytdlp, FIXTURES / "ytdlp" / ytdlp.name,
                                datetime(2024, 11, 20, 5, 0)), (api, RESPONSES, mtime)):
        path.write_bytes(source.read_bytes())
        stamp = seen.replace(tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    import_files(project, ytdlp, api, CHANNELS)
    (row,) = query(project, f"SELECT count(*) AS n FROM posts WHERE post_id = '{VIDEO}'")
    assert row["n"] == 1
    metrics = query(project, "SELECT observed_at, views, source_format FROM post_metrics "
                             f"WHERE post_id = '{VIDEO}' ORDER BY observed_at")
    assert metrics == [
        {"observed_at": datetime(2024, 11, 20, 5, 0), "views": 15420, "source_format": "ytdlp"},
        {"observed_at": mtime, "views": 18230, "source_format": "youtube-api"},
    ]
    (comment,) = query(project, "SELECT likes, text, by_post_author FROM comments "
                                "WHERE comment_id = 'UgzF3kQm1vPilkada01AaABAg'")
    assert comment["likes"] == 27 and comment["by_post_author"] is False  # the later capture
    (account,) = query(project, f"SELECT handle, followers FROM accounts "
                                f"WHERE account_id = '{CHANNEL}'")
    assert account["handle"] == "paslon3bekasi"
