"""YouTube Data API v3 responses: videos, channels, commentThreads, comments, search and
playlistItems, as list responses (`{kind: youtube#...ListResponse, items[]}`), single
resources, JSON arrays of resources, or NDJSON with one response (or resource) per line.

- videos -> Post (+ Account from `snippet.channelId/channelTitle`): text = title + description
  (as in the yt-dlp module), duration from ISO 8601 `contentDetails.duration`, statistics are
  strings (`viewCount`, `likeCount`, `commentCount`); no share count exists; `liveStreamingDetails`
  or `liveBroadcastContent` live/upcoming -> media type "live".
- channels -> Account: handle = `snippet.customUrl` without "@", followers =
  `statistics.subscriberCount`, None when `hiddenSubscriberCount`.
- commentThreads -> top-level Comment (`reply_count` = `totalReplyCount`) and the replies in
  `replies.comments[]` (a subset; comments.list with `parentId` gives the rest); comments ->
  Comment with `snippet.parentId` as parent. Text = `textOriginal`, else `textDisplay` with its
  HTML removed. by_post_author = the author's channel is the video's channel (`channelId`).
  A reply from comments.list carries no `videoId`: its post stays unknown (None) until the
  same comment arrives with one.
- search results and playlistItems (a channel's uploads) -> Post without counts.
The API has no capture time: observed_at falls back to the file's modification time.
Not handled: playlists, captions, activities, members and other resource kinds (rejected).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from ..records import Account, Comment, Post
from ..values import (
    dig,
    hashtags_in,
    iso_duration_seconds,
    mentions_in,
    to_id,
    to_int,
    to_utc,
    unique,
)
from . import register
from .base import Format, MapContext, Probe, Rejected

PLATFORM = "youtube"
_KINDS = ("video", "channel", "commentThread", "comment", "searchResult", "playlistItem")
_KNOWN = {f"youtube#{k}" for k in _KINDS} | {
    f"youtube#{k}ListResponse" for k in _KINDS if k != "searchResult"} | {
    "youtube#searchListResponse"}


# -- sniffing ---------------------------------------------------------------------------------

def is_youtube_resource(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("kind") in _KNOWN


def sniff(probe: Probe) -> bool:
    if probe.kind not in ("ndjson", "json"):
        return False
    first = probe.first
    if first is None:
        stripped = probe.head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return probe.kind == "json" and stripped[:1] == b"{" and bool(
            re.search(rb'"kind"\s*:\s*"youtube#(video|channel|commentThread|comment|search'
                      rb'|playlistItem)', stripped[:2048]))
    if isinstance(first, list):
        return bool(first) and is_youtube_resource(first[0])
    return is_youtube_resource(first)


# -- mapping ----------------------------------------------------------------------------------

def map_document(doc: Any, ctx: MapContext) -> Iterator[Any]:
    if isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict) and str(doc.get("kind", "")).endswith("ListResponse"):
        items = doc.get("items") or []
    elif isinstance(doc, dict):
        items = [doc]
    else:
        raise TypeError("a YouTube Data API record is a JSON object")
    for item in items:
        if not isinstance(item, dict):
            yield Rejected("YouTube item is not an object", item)
            continue
        kind = item.get("kind")
        if kind == "youtube#video":
            yield from map_video(item)
        elif kind == "youtube#channel":
            yield from map_channel(item)
        elif kind == "youtube#commentThread":
            yield from map_thread(item)
        elif kind == "youtube#comment":
            yield from map_comment(item)
        elif kind == "youtube#searchResult":
            yield from map_search_result(item)
        elif kind == "youtube#playlistItem":
            yield from map_playlist_item(item)
        else:
            yield Rejected(f"YouTube items of kind {kind!r} are not read", item)


def video_text(title: Any, description: Any) -> str | None:
    parts = [p for p in (title, description) if isinstance(p, str) and p.strip()]
    return "\n\n".join(parts) if parts else None


def _lang(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-")[0].lower()


def _channel_account(snippet: dict[str, Any]) -> Iterator[Account]:
    channel_id = to_id(snippet.get("channelId"))
    if channel_id:
        yield Account(PLATFORM, channel_id, None, snippet.get("channelTitle") or None)


def map_video(item: dict[str, Any]) -> Iterator[Any]:
    video_id = to_id(item.get("id"))
    if video_id is None:
        yield Rejected("YouTube video without an `id`", item)
        return
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    text = video_text(snippet.get("title"), snippet.get("description"))
    live = bool(item.get("liveStreamingDetails")) or snippet.get("liveBroadcastContent") in (
        "live", "upcoming")
    yield from _channel_account(snippet)
    yield Post(
        platform=PLATFORM,
        post_id=video_id,
        account_id=to_id(snippet.get("channelId")),
        created_at=to_utc(snippet.get("publishedAt")),
        text=text,
        media_type="live" if live else "video",
        duration_s=iso_duration_seconds(dig(item, "contentDetails", "duration")),
        url=f"https://www.youtube.com/watch?v={video_id}",
        hashtags=unique(hashtags_in(text)),
        mentions=unique(mentions_in(text)),
        lang=_lang(snippet.get("defaultAudioLanguage") or snippet.get("defaultLanguage")),
        views=to_int(stats.get("viewCount")),
        likes=to_int(stats.get("likeCount")),
        comments=to_int(stats.get("commentCount")),
    )


def map_channel(item: dict[str, Any]) -> Iterator[Any]:
    channel_id = to_id(item.get("id"))
    if channel_id is None:
        yield Rejected("YouTube channel without an `id`", item)
        return
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    custom = snippet.get("customUrl")
    hidden = stats.get("hiddenSubscriberCount") in (True, "true")
    yield Account(
        platform=PLATFORM,
        account_id=channel_id,
        handle=(custom.lstrip("@") or None) if isinstance(custom, str) else None,
        display_name=snippet.get("title") or None,
        followers=None if hidden else to_int(stats.get("subscriberCount")),
    )


_TAG_RE = re.compile(r"<[^>]+>")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def comment_text(snippet: dict[str, Any]) -> str | None:
    original = snippet.get("textOriginal")
    if isinstance(original, str):
        return original
    shown = snippet.get("textDisplay")
    if not isinstance(shown, str):
        return None
    return html.unescape(_TAG_RE.sub("", _BR_RE.sub("\n", shown)))


def map_comment(item: dict[str, Any], video_id: str | None = None,
                channel_id: str | None = None, parent_id: str | None = None,
                reply_count: int | None = None) -> Iterator[Any]:
    comment_id = to_id(item.get("id"))
    if comment_id is None:
        yield Rejected("YouTube comment without an `id`", item)
        return
    snippet = item.get("snippet") or {}
    post_id = to_id(snippet.get("videoId")) or video_id
    channel = to_id(snippet.get("channelId")) or channel_id
    author_id = to_id(dig(snippet, "authorChannelId", "value"))
    name = snippet.get("authorDisplayName")
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=to_id(snippet.get("parentId")) or parent_id,
        author_id=author_id,
        author_handle=(name.lstrip("@") or None) if isinstance(name, str) else None,
        created_at=to_utc(snippet.get("publishedAt")),
        text=comment_text(snippet),
        likes=to_int(snippet.get("likeCount")),
        reply_count=reply_count,
        by_post_author=(author_id == channel) if author_id and channel and post_id else None,
    )


def map_thread(item: dict[str, Any]) -> Iterator[Any]:
    snippet = item.get("snippet") or {}
    top = snippet.get("topLevelComment")
    if not isinstance(top, dict):
        yield Rejected("YouTube comment thread without `topLevelComment`", item)
        return
    video_id = to_id(snippet.get("videoId"))
    channel_id = to_id(snippet.get("channelId"))
    top_id = to_id(top.get("id")) or to_id(item.get("id"))
    if top.get("id") is None and top_id is not None:
        top = {**top, "id": top_id}
    yield from map_comment(top, video_id, channel_id,
                           reply_count=to_int(snippet.get("totalReplyCount")))
    for reply in dig(item, "replies", "comments", default=[]):
        if isinstance(reply, dict):
            yield from map_comment(reply, video_id, channel_id, parent_id=top_id)
        else:
            yield Rejected("YouTube reply is not an object", reply)


def _partial_post(video_id: str | None, snippet: dict[str, Any], published: Any,
                  channel_id: Any, raw: dict[str, Any]) -> Iterator[Any]:
    if video_id is None:
        yield Rejected("YouTube item names no video", raw)
        return
    text = video_text(snippet.get("title"), snippet.get("description"))
    account_id = to_id(channel_id)
    if account_id:
        yield Account(PLATFORM, account_id, None,
                      snippet.get("videoOwnerChannelTitle") or snippet.get("channelTitle") or None)
    yield Post(
        platform=PLATFORM,
        post_id=video_id,
        account_id=account_id,
        created_at=to_utc(published),
        text=text,
        media_type="live" if snippet.get("liveBroadcastContent") in ("live", "upcoming")
        else "video",
        url=f"https://www.youtube.com/watch?v={video_id}",
        hashtags=unique(hashtags_in(text)),
        mentions=unique(mentions_in(text)),
    )


def map_search_result(item: dict[str, Any]) -> Iterator[Any]:
    kind = dig(item, "id", "kind")
    if kind == "youtube#channel":
        snippet = item.get("snippet") or {}
        channel_id = to_id(dig(item, "id", "channelId"))
        if channel_id:
            yield Account(PLATFORM, channel_id, None, snippet.get("channelTitle") or None)
            return
    if kind not in (None, "youtube#video"):
        yield Rejected(f"YouTube search results of kind {kind!r} are not read", item)
        return
    snippet = item.get("snippet") or {}
    yield from _partial_post(to_id(dig(item, "id", "videoId")), snippet,
                             snippet.get("publishedAt"), snippet.get("channelId"), item)


def map_playlist_item(item: dict[str, Any]) -> Iterator[Any]:
    snippet = item.get("snippet") or {}
    video_id = to_id(dig(snippet, "resourceId", "videoId")) or to_id(
        dig(item, "contentDetails", "videoId"))
    # snippet.publishedAt is when the video joined the playlist; the video's own time is here:
    published = dig(item, "contentDetails", "videoPublishedAt")
    owner = snippet.get("videoOwnerChannelId") or snippet.get("channelId")
    yield from _partial_post(video_id, snippet, published, owner, item)


register(Format(
    name="youtube-api",
    description="YouTube Data API v3 responses: videos, channels, commentThreads, comments, "
                "search, playlistItems",
    file_kinds="JSON (one response per file) or NDJSON (one response or resource per line)",
    reader="auto",
    sniff=sniff,
    map=map_document,
    platform=PLATFORM,
    priority=10,
))
