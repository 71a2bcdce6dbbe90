"""TikTok Research API responses saved as JSON (one response per file, or a JSON array of them)
or NDJSON (one response, or one video or comment object, per line).

Every response is `{data: {...}, error: {code, message, log_id}}`:
- video query (and the liked / pinned / reposted video lists): a list of videos under `data`
  (`videos`, or whatever the endpoint calls it): `id` (the documentation's example says
  `video_id`), `username`, `create_time` (epoch s), `video_description`, `hashtag_names[]`,
  `video_mention_list[]`, `video_duration`, `music_id`, `view_count`, `like_count`,
  `comment_count`, `share_count`, `favorites_count` (saves). There is no follower count, URL or
  media type: every post is a video and the URL is built from `username` when present;
- comment list: `data.comments[]` with `id, video_id, text, create_time, like_count,
  reply_count, parent_comment_id` and no author (the API gives none; text is PII-redacted).
  `parent_comment_id` equal to the video id (or 0) marks a top-level comment;
- user info: `data.{display_name, follower_count, following_count, likes_count, video_count,
  is_verified, bio_description}`. The API does not echo the username it was asked for, so a
  response without `username` (in `data`, at the top level, or in `request`) is rejected with
  that reason: add the username and import again.
Accounts are keyed by username (the API has no numeric user id), as Zeeschuimer keys an author
it only knows by handle. Ids are 64-bit JSON numbers: orjson reads them as exact ints and
values.to_id keeps every digit (a float id is refused). Times have no capture time in the
response, so the file's modification time is the observation time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records import Account, Comment, Post
from ..values import epoch_to_utc, hashtags_in, to_float, to_id, to_int, unique
from . import register
from .base import Format, MapContext, Probe, Rejected

PLATFORM = "tiktok"
# Keys only Research API videos carry (yt-dlp's view_count/like_count are not enough to tell).
_VIDEO_FIELDS = {"video_description", "region_code", "hashtag_names", "favorites_count",
                 "effect_ids", "video_mention_list", "voice_to_text", "is_stem_verified",
                 "hashtag_info_list", "playlist_id"}
_USER_FIELDS = {"follower_count", "following_count", "likes_count", "video_count",
                "display_name", "bio_description", "is_verified", "avatar_url"}


def _is_response(obj: Any) -> bool:
    return (isinstance(obj, dict) and isinstance(obj.get("data"), dict)
            and isinstance(obj.get("error"), dict)
            and bool({"code", "log_id"} & obj["error"].keys()))


def _is_comment(obj: Any) -> bool:
    return (isinstance(obj, dict) and "text" in obj and "video_description" not in obj
            and "cid" not in obj
            and ("parent_comment_id" in obj or ("video_id" in obj and "id" in obj)))


def _is_video(obj: Any) -> bool:
    if not isinstance(obj, dict) or _is_comment(obj) or "extractor" in obj:
        return False
    return ("id" in obj or "video_id" in obj) and bool(
        _VIDEO_FIELDS & obj.keys() or {"create_time", "username"} <= obj.keys())


def _is_record(obj: Any) -> bool:
    return _is_response(obj) or _is_comment(obj) or _is_video(obj)


def sniff(probe: Probe) -> bool:
    doc = probe.first
    if probe.kind == "ndjson":
        return "source_platform" not in doc and _is_record(doc)
    if probe.kind != "json":
        return False
    if isinstance(doc, list):
        return bool(doc) and _is_record(doc[0])
    return _is_response(doc)


def map_record(record: Any, ctx: MapContext) -> Iterator[Any]:
    if isinstance(record, list):
        for element in record:
            yield from map_record(element, ctx)
    elif _is_response(record):
        yield from map_response(record)
    elif _is_comment(record):
        yield from map_comment(record)
    elif _is_video(record):
        yield from map_video(record)
    else:
        yield Rejected("not a TikTok Research API response, video or comment", record)


def map_response(response: dict[str, Any]) -> Iterator[Any]:
    data = response["data"]
    error = response["error"]
    found = False
    for value in data.values():
        if not isinstance(value, list):
            continue
        for element in value:
            if _is_comment(element):
                found = True
                yield from map_comment(element)
            elif isinstance(element, dict) and ("id" in element or "video_id" in element):
                found = True  # inside a response any object with an id is a video
                yield from map_video(element)
    if _USER_FIELDS & data.keys():
        found = True
        yield from map_user(data, response)
    if not found and str(error.get("code", "ok")).lower() != "ok":
        yield Rejected(f"TikTok Research API error {error.get('code')}: "
                       f"{error.get('message') or 'no message'}", response)


def map_video(video: dict[str, Any]) -> Iterator[Any]:
    post_id = to_id(_first(video.get("id"), video.get("video_id")))
    if post_id is None:
        yield Rejected("Research API video has no `id`", video)
        return
    username = video.get("username") or None
    text = video.get("video_description")
    tags = video.get("hashtag_names")
    hashtags = [str(t).lower() for t in tags] if isinstance(tags, list) else hashtags_in(text)
    mentions = [str(m).lstrip("@").lower() for m in video.get("video_mention_list") or []]
    if username:
        yield Account(PLATFORM, username, username)
    yield Post(
        platform=PLATFORM,
        post_id=post_id,
        account_id=username,
        created_at=epoch_to_utc(video.get("create_time")),
        text=text,
        media_type="video",
        duration_s=to_float(video.get("video_duration")),
        url=f"https://www.tiktok.com/@{username}/video/{post_id}" if username else None,
        hashtags=unique([t for t in hashtags if t]),
        mentions=unique([m for m in mentions if m]),
        music_id=to_id(video.get("music_id")),
        views=to_int(video.get("view_count")),
        likes=to_int(video.get("like_count")),
        comments=to_int(video.get("comment_count")),
        shares=to_int(video.get("share_count")),
        saves=to_int(video.get("favorites_count")),
    )


def map_comment(comment: dict[str, Any]) -> Iterator[Any]:
    comment_id = to_id(comment.get("id"))
    if comment_id is None:
        yield Rejected("Research API comment has no `id`", comment)
        return
    video_id = to_id(comment.get("video_id"))
    parent = to_id(comment.get("parent_comment_id"))
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=video_id,
        parent_id=None if parent in (None, "0", video_id) else parent,
        created_at=epoch_to_utc(comment.get("create_time")),
        text=comment.get("text"),
        likes=to_int(comment.get("like_count")),
        reply_count=to_int(comment.get("reply_count")),
    )


def map_user(data: dict[str, Any], response: dict[str, Any]) -> Iterator[Any]:
    request = response.get("request") if isinstance(response.get("request"), dict) else {}
    username = data.get("username") or response.get("username") or request.get("username")
    if not username:
        yield Rejected("Research API user-info response has no username: TikTok returns it only "
                       "in the request; add \"username\" to `data` and import again", response)
        return
    username = str(username).lstrip("@")
    yield Account(PLATFORM, username, username, data.get("display_name") or None,
                  to_int(data.get("follower_count")))


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


register(Format(
    name="tiktok-research-api",
    description="TikTok Research API responses (videos, comments, user info): one JSON "
                "document, a JSON array, or one response, video or comment per line",
    file_kinds="JSON (.json) or NDJSON (.ndjson, .jsonl), optionally .gz/.xz/.zip",
    reader="auto",
    sniff=sniff,
    map=map_record,
    platform=PLATFORM,
    priority=10,
))
