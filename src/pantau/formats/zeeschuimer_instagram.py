"""Zeeschuimer NDJSON captures of Instagram: posts and reels, and comment items when captured.

Each line is `{nav_index, item_id, timestamp_collected (ms), source_platform, ..., data}` with
`data` one media object. Three layouts reach us, told apart by `__typename`:

- item list (2024-2026 web app; no `__typename` or `XDTMediaDict`): `code`, `pk`,
  `id` = "{pk}_{user pk}", `user`/`owner`, `taken_at`, `caption.text`, `media_type`
  (1 photo, 2 video, 8 carousel with `carousel_media[]`), `product_type` (feed, clips, igtv, ad),
  `like_count`, `comment_count`, `play_count`/`view_count`, `video_duration`;
- legacy Graph (`GraphImage`/`GraphVideo`/`GraphSidecar`, also `XDTGraph*`): `shortcode`,
  `owner`, `taken_at_timestamp`, `edge_media_to_caption`, `edge_media_preview_like.count`,
  `edge_media_to_comment.count`, `video_view_count`/`video_play_count`, `video_duration`;
- "Polaris" (`XIGPolaris*Media`, logged-out and tag pages): a partial item-list object. What it
  carries is imported; what it lacks (often time, likes, comments) stays None.

post_id is the shortcode (`code` / `shortcode`), the code in the post URL, not the numeric `pk`:
it is the one id every Instagram source shares (item list, Graph, Polaris, Instaloader, 4CAT,
CrowdTangle and yt-dlp URLs), so the same post imported from two tools is one row. Where only
the numeric media id is known (comment items) the shortcode is computed from it: a shortcode is
the media pk written in base64 with Instagram's URL alphabet.

Counts: `like_and_view_counts_disabled` means the owner hid likes and views; the numbers Instagram
still sends are then not the real counts and are stored as None. Reels: views are `play_count`
(else `ig_play_count`, `view_count`). Instagram sends no share or save counts, and
`user.follower_count` is null in item lists (followers come from Graph `owner.edge_followed_by`).
Hashtags and mentions are read from the caption (Instagram has no entity list); photo tags
(`usertags`) are not mentions and are not stored. Ads (`product_type` "ad") are kept with
is_ad = true. Comment items (Zeeschuimer's "instagram-comments" module, or preview `comments[]`
inside an item, or Graph `edge_media_to_parent_comment`) become comments with their thread.
4CAT's re-export of a capture (`{**data, "__import_meta": {envelope}}`) is read too.
Not handled: stories and highlights (no post to attach them to; kept in the raw record only).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import Account, Comment, Post
from ..values import dig, epoch_to_utc, hashtags_in, mentions_in, to_float, to_id, to_int, unique
from . import register
from .base import Format, MapContext, Probe, Rejected, unpack_zeeschuimer

PLATFORM = "instagram"
SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MEDIA_PHOTO, MEDIA_VIDEO, MEDIA_CAROUSEL = 1, 2, 8


def sniff(probe: Probe) -> bool:
    if probe.kind != "ndjson" or not isinstance(probe.first, dict):
        return False
    data, meta = unpack_zeeschuimer(probe.first)
    return data is not None and str(meta.get("source_platform", "")).lower().startswith(
        "instagram")


def map_item(item: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    data, meta = unpack_zeeschuimer(item)
    if data is None:
        yield Rejected("Zeeschuimer item has no `data` object", item)
        return
    observed = epoch_to_utc(meta.get("timestamp_collected"))
    if _is_comment(data):
        yield from map_comment(data)
        return
    typename = str(data.get("__typename") or "")
    if typename.startswith(("Graph", "XDTGraph")):
        yield from map_graph(data, observed)
    else:
        yield from map_media(data, observed)


def map_media(data: dict[str, Any], observed: datetime | None) -> Iterator[Any]:
    """An item-list media object, or a partial Polaris one."""
    code = data.get("code") or data.get("shortcode") or shortcode_from_media_id(data.get("pk"))
    if not code:
        yield Rejected("Instagram item has no `code` (shortcode) or `pk`", data)
        return
    typename = str(data.get("__typename") or data.get("__isXIGPolarisMedia") or "")
    user = _first_dict(data.get("user"), data.get("owner"))
    account_id = to_id(_first(user.get("pk"), user.get("pk_id"), user.get("id")))
    if account_id is None and isinstance(data.get("id"), str) and "_" in data["id"]:
        account_id = to_id(data["id"].split("_", 1)[1])  # item-list id = "{pk}_{user pk}"
    handle = user.get("username") or None
    caption = data.get("caption")
    text = (caption.get("text") if isinstance(caption, dict) else caption if isinstance(
        caption, str) else None) or None
    hidden = bool(data.get("like_and_view_counts_disabled"))
    product = data.get("product_type")
    followers = to_int(user.get("follower_count"))
    if account_id is not None:
        yield Account(PLATFORM, account_id, handle, user.get("full_name") or None, followers,
                      observed)
    yield Post(
        platform=PLATFORM,
        post_id=str(code),
        account_id=account_id,
        created_at=epoch_to_utc(_first(data.get("taken_at"), data.get("taken_at_timestamp"))),
        text=text,
        media_type=_media_type(to_int(data.get("media_type")), product, typename,
                               bool(data.get("carousel_media"))),
        duration_s=to_float(data.get("video_duration")),
        url=f"https://www.instagram.com/p/{code}/",
        hashtags=unique(hashtags_in(text)),
        mentions=unique(mentions_in(text)),
        is_ad=_is_ad(data),
        observed_at=observed,
        views=None if hidden else to_int(_first(data.get("play_count"),
                                                data.get("ig_play_count"),
                                                data.get("view_count"))),
        likes=None if hidden else to_int(data.get("like_count")),
        comments=to_int(data.get("comment_count")),
        followers=followers,
    )
    for key in ("comments", "preview_comments"):
        for comment in data.get(key) or []:
            if isinstance(comment, dict):
                yield from map_comment(comment, post_id=str(code))


def map_graph(node: dict[str, Any], observed: datetime | None) -> Iterator[Any]:
    """A legacy Graph node (GraphImage / GraphVideo / GraphSidecar, or XDTGraph*)."""
    code = node.get("shortcode") or node.get("code")
    if not code:
        yield Rejected("Instagram Graph node has no `shortcode`", node)
        return
    owner = _first_dict(node.get("owner"), node.get("user"))
    account_id = to_id(owner.get("id") or owner.get("pk"))
    handle = owner.get("username") or None
    followers = to_int(dig(owner, "edge_followed_by", "count"))
    text = dig(node, "edge_media_to_caption", "edges", 0, "node", "text") or None
    typename = str(node.get("__typename") or "")
    if account_id is not None:
        yield Account(PLATFORM, account_id, handle, owner.get("full_name") or None, followers,
                      observed)
    yield Post(
        platform=PLATFORM,
        post_id=str(code),
        account_id=account_id,
        created_at=epoch_to_utc(_first(node.get("taken_at_timestamp"), node.get("taken_at"))),
        text=text,
        media_type=_media_type(None, node.get("product_type"), typename,
                               bool(dig(node, "edge_sidecar_to_children", "edges"))),
        duration_s=to_float(node.get("video_duration")),
        url=f"https://www.instagram.com/p/{code}/",
        hashtags=unique(hashtags_in(text)),
        mentions=unique(mentions_in(text)),
        is_ad=None,
        observed_at=observed,
        views=to_int(_first(node.get("video_play_count"), node.get("video_view_count"))),
        likes=to_int(_first(dig(node, "edge_media_preview_like", "count"),
                            dig(node, "edge_liked_by", "count"))),
        comments=to_int(_first(dig(node, "edge_media_to_comment", "count"),
                               dig(node, "edge_media_to_parent_comment", "count"),
                               dig(node, "edge_media_preview_comment", "count"))),
        followers=followers,
    )
    for edge in dig(node, "edge_media_to_parent_comment", "edges", default=[]):
        if isinstance(edge, dict) and isinstance(edge.get("node"), dict):
            yield from _graph_comment(edge["node"], str(code), None)


def _graph_comment(node: dict[str, Any], post_id: str, parent: str | None) -> Iterator[Any]:
    comment_id = to_id(node.get("id"))
    if comment_id is None:
        yield Rejected("Instagram Graph comment has no `id`", node)
        return
    owner = node.get("owner") if isinstance(node.get("owner"), dict) else {}
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=parent,
        author_id=to_id(owner.get("id")),
        author_handle=owner.get("username") or None,
        created_at=epoch_to_utc(node.get("created_at")),
        text=node.get("text"),
        likes=to_int(dig(node, "edge_liked_by", "count")),
        reply_count=to_int(dig(node, "edge_threaded_comments", "count")),
    )
    for edge in dig(node, "edge_threaded_comments", "edges", default=[]):
        if isinstance(edge, dict) and isinstance(edge.get("node"), dict):
            yield from _graph_comment(edge["node"], post_id, comment_id)


def map_comment(data: dict[str, Any], post_id: str | None = None,
                parent_id: str | None = None) -> Iterator[Any]:
    """An Instagram web comment: raw (`pk`, `user`, `created_at`, `comment_like_count`) or as
    Zeeschuimer's comment module rewrites it (`comment_id`, `user.unique_id`, `post_shortcode`,
    `parent_comment_id`)."""
    comment_id = to_id(_first(data.get("pk"), data.get("comment_id"), data.get("id")))
    if comment_id is None:
        yield Rejected("Instagram comment has no `pk` or `id`", data)
        return
    post = post_id or data.get("post_shortcode") or _post_code(
        _first(data.get("media_id"), data.get("media_pk"), data.get("_zs_comment_post_id"),
               data.get("post_id")))
    user = _first_dict(data.get("user"), data.get("owner"))
    parent = to_id(data.get("parent_comment_id")) or parent_id
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=post,
        parent_id=parent if parent != comment_id else None,
        author_id=to_id(_first(user.get("pk"), user.get("pk_id"), user.get("id"))),
        author_handle=user.get("username") or user.get("unique_id") or None,
        created_at=epoch_to_utc(_first(data.get("created_at"), data.get("created_at_utc"))),
        text=data.get("text"),
        likes=to_int(_first(data.get("comment_like_count"), data.get("like_count"))),
        reply_count=to_int(data.get("child_comment_count")),
    )
    for key in ("preview_child_comments", "child_comments"):
        for reply in data.get(key) or []:
            if isinstance(reply, dict):
                yield from map_comment(reply, post, comment_id)


def shortcode_from_media_id(media_id: Any) -> str | None:
    """Instagram's shortcode for a numeric media id ("3513759156023256734" or "{pk}_{user}")."""
    text = to_id(media_id)
    if text is None:
        return None
    number = text.split("_", 1)[0]
    if not number.isdigit():
        return None
    n, code = int(number), ""
    while n:
        n, digit = divmod(n, 64)
        code = SHORTCODE_ALPHABET[digit] + code
    return code or None


def _post_code(value: Any) -> str | None:
    text = to_id(value)
    if text is None:
        return None
    return shortcode_from_media_id(text) if text.split("_", 1)[0].isdigit() else text


def _is_comment(data: dict[str, Any]) -> bool:
    if any(k in data for k in ("code", "shortcode", "media_type", "taken_at")):
        return False
    return "text" in data and any(
        k in data for k in ("comment_id", "_zs_comment_post_id", "media_id", "comment_like_count",
                            "child_comment_count", "parent_comment_id"))


def _media_type(media_type: int | None, product: Any, typename: str,
                has_children: bool) -> str | None:
    name = typename.lower()
    if media_type == MEDIA_CAROUSEL or has_children or "sidecar" in name or "carousel" in name:
        return "carousel"
    if (media_type == MEDIA_VIDEO or product in ("clips", "igtv") or "video" in name
            or "clips" in name or "reel" in name):
        return "video"
    if media_type == MEDIA_PHOTO or "image" in name or "photo" in name:
        return "image"
    return None


def _is_ad(data: dict[str, Any]) -> bool | None:
    link = data.get("link") or ""
    if data.get("product_type") == "ad" or str(link).startswith(
            "https://www.facebook.com/ads/ig_redirect"):
        return True
    return False if data.get("product_type") else None


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


def _first_dict(*values: Any) -> dict[str, Any]:
    for value in values:
        if isinstance(value, dict) and value:
            return value
    return {}


register(Format(
    name="zeeschuimer-instagram",
    description="Zeeschuimer capture of Instagram (posts and reels: item list, Graph and "
                "Polaris layouts; comments when captured)",
    file_kinds="NDJSON (.ndjson, .jsonl), optionally .gz/.xz/.zip",
    reader="ndjson",
    sniff=sniff,
    map=map_item,
    platform=PLATFORM,
    priority=10,
))
