"""Zeeschuimer NDJSON captures of TikTok: posts, and comment items when present.

Each line is `{nav_index, item_id, timestamp_collected (ms), source_platform, ..., data}`.
`data` is a TikTok web item (a video) or, when Zeeschuimer captured a comment list, a comment
(`cid` + `aweme_id`). Known variants handled: `author` as an object or a plain string,
hashtags in `textExtra[]` or `challenges[]`, counts as strings, `stats` or `statsV2`,
nested `reply_comment[]`. Not handled: TikTok LIVE items and photo-mode slideshow music (kept
in the raw record only).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records import Account, Comment, Post
from ..values import dig, epoch_to_utc, hashtags_in, to_float, to_id, to_int, unique
from . import register
from .base import Format, MapContext, Probe, Rejected

PLATFORM = "tiktok"


def sniff(probe: Probe) -> bool:
    first = probe.first
    return (
        probe.kind == "ndjson"
        and isinstance(first, dict)
        and "data" in first
        and str(first.get("source_platform", "")).startswith("tiktok")
    )


def map_item(item: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    data = item.get("data")
    if not isinstance(data, dict):
        yield Rejected("Zeeschuimer item has no `data` object", item)
        return
    observed = epoch_to_utc(item.get("timestamp_collected"))
    if "cid" in data and "aweme_id" in data:
        yield from map_comment(data)
        return
    yield from map_video(data, observed)


def map_video(data: dict[str, Any], observed) -> Iterator[Any]:
    post_id = to_id(data.get("id"))
    if post_id is None:
        yield Rejected("TikTok item has no `id`", data)
        return
    author = data.get("author")
    if isinstance(author, dict):
        account_id = to_id(author.get("id"))
        handle = author.get("uniqueId")
        display = author.get("nickname")
    else:  # older captures carry the handle as a string
        account_id, handle, display = None, author if isinstance(author, str) else None, None
    if account_id is None and handle:
        account_id = handle
    stats = data.get("stats") or data.get("statsV2") or {}
    followers = to_int(dig(data, "authorStats", "followerCount"))
    text = data.get("desc")
    extras = data.get("textExtra") or []
    tags = [e.get("hashtagName") for e in extras if isinstance(e, dict) and e.get("hashtagName")]
    tags += [c.get("title") for c in data.get("challenges") or [] if isinstance(c, dict)]
    if not tags:
        tags = hashtags_in(text)
    mentions = [e.get("userUniqueId") for e in extras
                if isinstance(e, dict) and e.get("userUniqueId")]
    media_type = "video"
    if data.get("imagePost"):
        media_type = "carousel"
    elif data.get("liveRoomInfo") or data.get("isLive"):
        media_type = "live"
    if account_id is not None:
        yield Account(PLATFORM, account_id, handle, display, followers, observed)
    yield Post(
        platform=PLATFORM,
        post_id=post_id,
        account_id=account_id,
        created_at=epoch_to_utc(data.get("createTime")),
        text=text,
        media_type=media_type,
        duration_s=to_float(dig(data, "video", "duration")),
        url=f"https://www.tiktok.com/@{handle}/video/{post_id}" if handle else None,
        hashtags=unique([t.lower() for t in tags if t]),
        mentions=unique([m.lower() for m in mentions]),
        is_ad=bool(data["isAd"]) if "isAd" in data else None,
        lang=data.get("textLanguage") or None,
        music_id=to_id(dig(data, "music", "id")),
        observed_at=observed,
        views=to_int(stats.get("playCount")),
        likes=to_int(stats.get("diggCount")),
        comments=to_int(stats.get("commentCount")),
        shares=to_int(stats.get("shareCount")),
        saves=to_int(stats.get("collectCount")),
        followers=followers,
    )


def map_comment(data: dict[str, Any], parent_id: str | None = None) -> Iterator[Any]:
    """A TikTok web comment (shared with the raw comment-list format)."""
    comment_id = to_id(data.get("cid"))
    if comment_id is None:
        yield Rejected("TikTok comment has no `cid`", data)
        return
    reply_to = to_id(data.get("reply_to_reply_id"))
    reply_id = to_id(data.get("reply_id"))
    if reply_to and reply_to != "0":
        parent = reply_to
    elif reply_id and reply_id != "0":
        parent = reply_id
    else:
        parent = parent_id
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=to_id(data.get("aweme_id")),
        parent_id=parent,
        author_id=to_id(user.get("uid")),
        author_handle=user.get("unique_id") or None,
        created_at=epoch_to_utc(data.get("create_time")),
        text=data.get("text"),
        likes=to_int(data.get("digg_count")),
        reply_count=to_int(data.get("reply_comment_total")),
        by_post_author=None,  # decided in the store, where the post's author is known
    )
    for reply in data.get("reply_comment") or []:
        if isinstance(reply, dict):
            yield from map_comment(reply, parent_id=comment_id)


register(Format(
    name="zeeschuimer-tiktok",
    description="Zeeschuimer capture of TikTok (videos, and comments when captured)",
    file_kinds="NDJSON (.ndjson, .jsonl), optionally .gz/.xz/.zip",
    reader="ndjson",
    sniff=sniff,
    map=map_item,
    platform=PLATFORM,
    priority=10,
))
