"""Facebook and Instagram Graph API responses saved as JSON (one response per file, or one
response or object per line).

Shapes read (each alone, as `data[]` of a page with `paging`, as an `{id: object}` map from
`?ids=`, or under a page/user node's `posts` / `feed` / `published_posts` / `media` edge,
including Instagram `business_discovery`):
- Facebook posts: `id` "{pageid}_{postid}", `message`, `created_time` ("...+0000"),
  `permalink_url`, `status_type`, `attachments.data[].type`, `shares.count`,
  `reactions.summary.total_count`, `comments.summary.total_count`, nested `comments.data[]`
  and `insights.data[]`.
- Instagram media: `id`, `caption`, `media_type` (IMAGE / VIDEO / CAROUSEL_ALBUM),
  `media_product_type`, `like_count`, `comments_count`, `timestamp`, `permalink`, `username`,
  `owner.id`, nested `comments.data[]` and `insights.data[]`.
- comments and replies: Facebook `id, message, created_time, like_count, comment_count, from,
  parent`; Instagram `id, text, timestamp, username, from, like_count, parent_id, media.id`,
  nested `replies.data[]` / `comments.data[]`.
- insights: `data[].{name, period, values[].value | total_value.value, id}` become Metric rows;
  the post id is the part of `id` before "/insights/".

Decisions:
- ids are the Graph ids as strings: a Facebook post is "{pageid}_{postid}" and an Instagram
  post is its media id (not the shortcode other Instagram formats use; `url` keeps the
  permalink that links them).
- a post without `from` is credited to the page in its id ("{pageid}_..."), or to the node the
  file was fetched from.
- likes = all reactions (`reactions.summary.total_count`, else the sum of the per-type aliases
  `like`, `love`, ...), as in the CrowdTangle and Content Library mappers.
- the Graph API leaves `shares` out of a post that has none; when the paging URL shows that
  `shares` was requested, a missing `shares` is 0, otherwise NULL.
- a Facebook comment without `id` (the API returns it only when asked for) is keyed by its
  `permalink_url`, which names it exactly: `.../posts/{post}/?comment_id=C&reply_comment_id=R`
  gives Graph's own id form `{post}_{C}` (or `{post}_{R}` with parent `{post}_{C}`); with
  neither it is rejected with that reason, never given an invented id.
- which post a comment belongs to, and which comment a reply answers, comes from the comment
  (`parent`, `parent_id`, `media.id`, the post in a Facebook `permalink_url`), else from the
  nesting, else from the request in the paging URL (`/{id}/comments`, `/{id}/replies`), else
  from an id in the file name (`17846368219941692_comments.json`, `replies_{id}.json`).
  A replies response with none of these imports its replies with post and parent NULL.
- insight metrics map: impressions, reach, saved -> saves, likes, comments, shares,
  video_views / plays / views -> views; Facebook post_impressions, post_impressions_unique ->
  reach, post_video_views -> views, post_reactions_by_type_total -> likes. Other metrics
  (profile_activity, follows, ...) and non-lifetime periods are rejected with the reason, so
  they stay in `rejects` for a later mapper.
Not handled: page-level insights, stories, ads-API responses, Graph error objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..records import Account, Comment, Metric, Post
from ..values import dig, hashtags_in, mentions_in, to_id, to_int, to_utc, unique
from . import register
from .base import Format, MapContext, Probe, Rejected

FACEBOOK = "facebook"
INSTAGRAM = "instagram"
GRAPH_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)$")
IG_MEDIA_TYPES = {"IMAGE": "image", "VIDEO": "video", "CAROUSEL_ALBUM": "carousel",
                  "REELS": "video", "STORY": "image"}
POST_EDGES = ("posts", "feed", "published_posts", "media", "tagged")
FB_POST_MARKERS = ("status_type", "attachments", "shares", "reactions", "full_picture", "story",
                   "is_published", "icon", "picture")
FB_ATTACHMENT_TYPES = {
    "photo": "image", "cover_photo": "image", "profile_media": "image", "image": "image",
    "album": "carousel", "multi_share": "carousel", "multi_share_no_end_card": "carousel",
    "share": "link", "link": "link", "native_templates": "link",
    "video_autoplay": "video", "video_inline": "video", "video": "video",
    "animated_image_video": "video", "animated_image_autoplay": "video",
    "video_direct_response": "video", "live_video": "live", "note": "text", "status": "text",
}
FB_STATUS_TYPES = {
    "added_photos": "image", "tagged_in_photo": "image", "added_video": "video",
    "shared_story": "link", "mobile_status_update": "text", "created_note": "text",
    "wall_post": "text", "published_story": "text",
}
REACTION_ALIASES = ("like", "love", "wow", "haha", "sad", "angry", "thankful", "pride", "care")
INSIGHT_FIELDS = {
    "impressions": "impressions", "reach": "reach", "saved": "saves", "likes": "likes",
    "comments": "comments", "shares": "shares", "video_views": "views", "plays": "views",
    "views": "views",
    "post_impressions": "impressions", "post_impressions_unique": "reach",
    "post_video_views": "views", "post_reactions_by_type_total": "likes",
}
_VERSION_RE = re.compile(r"^v\d+(\.\d+)?$")
_GRAPH_ID_RE = re.compile(r"^\d+(_\d+)?$")
_NAME_ID_RE = re.compile(r"(?<![0-9])(\d{6,}(?:_\d{6,})?)(?![0-9])")


# --- sniffing -----------------------------------------------------------------------------

def _is_graph_time(value: Any) -> bool:
    return isinstance(value, str) and GRAPH_TIME_RE.match(value) is not None


def _is_insight(obj: Any) -> bool:
    return isinstance(obj, dict) and "name" in obj and "period" in obj and (
        "values" in obj or "total_value" in obj)


def _is_item(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    return (
        _is_insight(obj)
        or _is_graph_time(obj.get("created_time"))
        or _is_graph_time(obj.get("timestamp"))
        or (obj.get("media_type") in IG_MEDIA_TYPES and "id" in obj)
    )


def _edge_items(node: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(edge, node[edge]["data"]) for edge in POST_EDGES
            if isinstance(node.get(edge), dict) and isinstance(node[edge].get("data"), list)]


def looks_like_graph(doc: Any) -> bool:
    if isinstance(doc, list):
        return bool(doc) and _is_item(doc[0])
    if not isinstance(doc, dict):
        return False
    if isinstance(doc.get("data"), list):
        items = doc["data"]
        if items:
            return _is_item(items[0])
        return isinstance(doc.get("paging"), dict) or isinstance(doc.get("summary"), dict)
    if _is_item(doc):
        return True
    if isinstance(doc.get("business_discovery"), dict):
        return True
    if "id" in doc and any(items and _is_item(items[0]) for _, items in _edge_items(doc)):
        return True
    values = list(doc.values())
    return bool(values) and all(
        isinstance(v, dict) and str(v.get("id")) == k for k, v in doc.items()
    ) and _is_item(values[0])


def sniff(probe: Probe) -> bool:
    return probe.kind in ("json", "ndjson") and looks_like_graph(probe.first)


# --- context: what the request and the file name tell about the items ---------------------

@dataclass(frozen=True)
class _Context:
    platform: str | None = None
    object_id: str | None = None  # the node the edge was read from
    edge: str | None = None  # comments | replies | feed | posts | media | insights | ...
    fields: frozenset[str] = field(default_factory=frozenset)  # requested top-level fields
    account_id: str | None = None
    post_id: str | None = None
    parent_id: str | None = None


def _requested_fields(spec: str) -> frozenset[str]:
    names, depth, current = [], 0, ""
    for char in spec:
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return frozenset(re.split(r"[.{(]", n.strip(), maxsplit=1)[0] for n in names if n.strip())


def _context_from_paging(doc: dict[str, Any], base: _Context) -> _Context:
    paging = doc.get("paging") if isinstance(doc.get("paging"), dict) else {}
    url = paging.get("next") or paging.get("previous")
    if not isinstance(url, str):
        return base
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s and not _VERSION_RE.match(s)]
    ctx = base
    if len(segments) >= 2:
        object_id = segments[-2] if _GRAPH_ID_RE.match(segments[-2]) else None  # not "me"
        ctx = replace(ctx, object_id=object_id, edge=segments[-1].lower())
    spec = parse_qs(parts.query).get("fields")
    if spec:
        ctx = replace(ctx, fields=_requested_fields(spec[0]))
    if "instagram" in parts.netloc:
        ctx = replace(ctx, platform=INSTAGRAM)
    return ctx


def _context_from_name(name: str) -> _Context:
    base = PurePath(name.replace("!", "/")).name.lower()
    ids = _NAME_ID_RE.findall(base)
    edge = next((e for e in ("replies", "comments", "insights") if e in base), None)
    if len(ids) == 1 and edge:
        return _Context(object_id=ids[0], edge=edge)
    return _Context()


def _bind(ctx: _Context) -> _Context:
    """Turn (object, edge) into the post or parent the items belong to."""
    if ctx.edge == "comments" and ctx.object_id:
        return replace(ctx, post_id=ctx.post_id or ctx.object_id)
    if ctx.edge == "replies" and ctx.object_id:
        return replace(ctx, parent_id=ctx.parent_id or ctx.object_id)
    if ctx.edge == "insights" and ctx.object_id:
        return replace(ctx, post_id=ctx.post_id or ctx.object_id)
    if ctx.edge in POST_EDGES and ctx.object_id:
        return replace(ctx, account_id=ctx.account_id or ctx.object_id)
    return ctx


# --- mapping ------------------------------------------------------------------------------

def map_document(doc: Any, ctx: MapContext) -> Iterator[Any]:
    yield from _walk(doc, _context_from_name(ctx.source_name or ""))


def _walk(doc: Any, ctx: _Context) -> Iterator[Any]:
    if isinstance(doc, list):
        yield from _items(doc, _bind(ctx))
        return
    if not isinstance(doc, dict):
        yield Rejected("Graph API response is not an object or a list", doc)
        return
    if isinstance(doc.get("data"), list):
        yield from _items(doc["data"], _bind(_context_from_paging(doc, ctx)))
        return
    if isinstance(doc.get("business_discovery"), dict):
        yield from _node(doc["business_discovery"], replace(ctx, platform=INSTAGRAM))
        return
    if "id" in doc and _edge_items(doc) and not _is_item(doc):
        yield from _node(doc, ctx)
        return
    if not _is_item(doc) and doc and all(isinstance(v, dict) for v in doc.values()):
        yield from _items(list(doc.values()), _bind(ctx))  # {id: object} from ?ids=
        return
    yield from _items([doc], _bind(ctx))


def _node(node: dict[str, Any], ctx: _Context) -> Iterator[Any]:
    """A page or Instagram user with its posts under an edge."""
    account_id = to_id(node.get("id"))
    platform = ctx.platform
    if platform is None:
        platform = INSTAGRAM if "media" in node or "username" in node and "name" not in node \
            else FACEBOOK
    handle = node.get("username")
    if account_id is None and handle:
        account_id = handle
    if account_id is not None:
        yield Account(platform, account_id, handle, node.get("name"),
                      to_int(node.get("followers_count")), None)
    for edge, items in _edge_items(node):
        edge_ctx = _context_from_paging(node[edge], replace(
            ctx, platform=platform, account_id=account_id, object_id=account_id, edge=edge))
        yield from _items(items, edge_ctx)


def _items(items: list[Any], ctx: _Context) -> Iterator[Any]:
    insights = [i for i in items if _is_insight(i)]
    for item in items:
        if _is_insight(item):
            continue
        if not isinstance(item, dict):
            yield Rejected("Graph API item is not an object", item)
            continue
        platform = ctx.platform or _platform_of(item)
        if platform == INSTAGRAM:
            if ctx.edge in ("comments", "replies") or not _is_ig_media(item):
                yield from _ig_comment(item, ctx)
            else:
                yield from _ig_media(item, ctx)
        elif ctx.edge in ("comments", "replies") or _is_fb_comment(item):
            yield from _fb_comment(item, ctx)
        else:
            yield from _fb_post(item, ctx)
    if insights:
        yield from _insights(insights, ctx)


def _platform_of(item: dict[str, Any]) -> str:
    if any(k in item for k in ("created_time", "message", "status_type", "permalink_url")):
        return FACEBOOK
    if any(k in item for k in ("timestamp", "caption", "media_type", "permalink", "text",
                               "username")):
        return INSTAGRAM
    return FACEBOOK


def _is_ig_media(item: dict[str, Any]) -> bool:
    return any(k in item for k in ("media_type", "caption", "permalink", "media_url",
                                   "comments_count", "media_product_type", "shortcode"))


def _is_fb_comment(item: dict[str, Any]) -> bool:
    if any(k in item for k in FB_POST_MARKERS):
        return False
    return (
        "comment_id=" in str(item.get("permalink_url") or "")
        or any(k in item for k in ("parent", "like_count", "comment_count", "can_remove",
                                   "user_likes", "attachment"))
    )


def _fb_likes(item: dict[str, Any]) -> int | None:
    total = to_int(dig(item, "reactions", "summary", "total_count"))
    if total is not None:
        return total
    parts = [to_int(dig(item, alias, "summary", "total_count")) for alias in REACTION_ALIASES]
    known = [p for p in parts if p is not None]
    if known:
        return sum(known)
    return to_int(dig(item, "likes", "summary", "total_count"))


def _fb_comment_count(item: dict[str, Any]) -> int | None:
    count = to_int(dig(item, "comments", "summary", "total_count"))
    return count if count is not None else to_int(dig(item, "comments", "count"))


def _fb_media_type(item: dict[str, Any]) -> str | None:
    attachment = dig(item, "attachments", "data", 0)
    if isinstance(attachment, dict):
        kind = FB_ATTACHMENT_TYPES.get(str(attachment.get("type") or "").lower())
        if kind is None:
            kind = FB_ATTACHMENT_TYPES.get(str(attachment.get("media_type") or "").lower())
        if kind:
            return kind
    return FB_STATUS_TYPES.get(str(item.get("status_type") or "").lower())


def _fb_post(item: dict[str, Any], ctx: _Context) -> Iterator[Any]:
    post_id = to_id(item.get("id"))
    if post_id is None:
        yield Rejected("Facebook post has no `id`", item)
        return
    author = item.get("from") if isinstance(item.get("from"), dict) else {}
    account_id = to_id(author.get("id")) or ctx.account_id
    if account_id is None and "_" in post_id:
        account_id = post_id.split("_", 1)[0]
    if account_id is not None:
        yield Account(FACEBOOK, account_id, None, author.get("name"), None, None)
    shares = to_int(dig(item, "shares", "count"))
    if shares is None and "shares" not in item and "shares" in ctx.fields:
        shares = 0  # the Graph API omits `shares` when a post has none
    text = item.get("message")
    yield Post(
        platform=FACEBOOK,
        post_id=post_id,
        account_id=account_id,
        created_at=to_utc(item.get("created_time")),
        text=text,
        media_type=_fb_media_type(item),
        url=item.get("permalink_url"),
        hashtags=unique(hashtags_in(text)),
        mentions=unique(mentions_in(text)),
        likes=_fb_likes(item),
        comments=_fb_comment_count(item),
        shares=shares,
    )
    nested = replace(ctx, post_id=post_id, parent_id=None, edge="comments", fields=frozenset())
    for comment in dig(item, "comments", "data", default=[]):
        yield from _fb_comment(comment, nested)
    insights = dig(item, "insights", "data", default=[])
    if insights:
        yield from _insights(insights, replace(nested, edge="insights"))


def _fb_comment_likes(item: dict[str, Any]) -> int | None:
    likes = to_int(item.get("like_count"))
    if likes is None:  # older versions: `likes` as a number or as an edge with a summary
        raw = item.get("likes")
        likes = to_int(dig(raw, "summary", "total_count")) if isinstance(raw, dict) \
            else to_int(raw)
    return likes


def _post_in_permalink(url: Any) -> str | None:
    """facebook.com/{page}/posts/{post}/?comment_id=... -> "{page}_{post}"."""
    if not isinstance(url, str):
        return None
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) >= 3 and segments[1] == "posts" and segments[0].isdigit() \
            and segments[2].isdigit():
        return f"{segments[0]}_{segments[2]}"
    return None


def _comment_in_permalink(url: Any) -> tuple[str | None, str | None]:
    """(comment id, parent id) in Graph's "{post}_{comment}" form, from a comment permalink."""
    if not isinstance(url, str):
        return None, None
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    segments = [s for s in parts.path.split("/") if s]
    post = segments[2] if len(segments) >= 3 and segments[1] == "posts" else None
    comment = (query.get("comment_id") or [None])[0]
    reply = (query.get("reply_comment_id") or [None])[0]
    if not post or not post.isdigit() or not comment or not comment.isdigit():
        return None, None
    if reply and reply.isdigit():
        return f"{post}_{reply}", f"{post}_{comment}"
    return f"{post}_{comment}", None


def _fb_comment(item: Any, ctx: _Context) -> Iterator[Any]:
    if not isinstance(item, dict):
        yield Rejected("Facebook comment is not an object", item)
        return
    comment_id = to_id(item.get("id"))
    parent = to_id(dig(item, "parent", "id")) or ctx.parent_id
    if comment_id is None:
        # Without `id` (not requested), the permalink still names the comment exactly:
        # .../posts/{post}/?comment_id=C[&reply_comment_id=R]; Graph ids are "{post}_{C}".
        comment_id, permalink_parent = _comment_in_permalink(item.get("permalink_url"))
        parent = parent or permalink_parent
    if comment_id is None:
        yield Rejected(
            "Facebook comment has no `id` and no permalink_url naming it, so it cannot be "
            "keyed (request fields=id,message,created_time,from,...)", item)
        return
    author = item.get("from") if isinstance(item.get("from"), dict) else {}
    post_id = _post_in_permalink(item.get("permalink_url")) or ctx.post_id
    yield Comment(
        platform=FACEBOOK,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=parent,
        author_id=to_id(author.get("id")),
        author_handle=author.get("name") or None,
        created_at=to_utc(item.get("created_time")),
        text=item.get("message"),
        likes=_fb_comment_likes(item),
        reply_count=to_int(item.get("comment_count")),
    )
    replies = replace(ctx, post_id=post_id, parent_id=comment_id)
    for reply in dig(item, "comments", "data", default=[]):
        yield from _fb_comment(reply, replies)


def _ig_media(item: dict[str, Any], ctx: _Context) -> Iterator[Any]:
    media_id = to_id(item.get("id"))
    if media_id is None:
        yield Rejected("Instagram media has no `id`", item)
        return
    owner = item.get("owner") if isinstance(item.get("owner"), dict) else {}
    handle = item.get("username") or owner.get("username")
    account_id = to_id(owner.get("id")) or ctx.account_id or handle
    if account_id is not None:
        yield Account(INSTAGRAM, account_id, handle, None, None, None)
    media_type = IG_MEDIA_TYPES.get(str(item.get("media_type") or "").upper())
    if str(item.get("media_product_type") or "").upper() == "REELS":
        media_type = "video"
    caption = item.get("caption")
    yield Post(
        platform=INSTAGRAM,
        post_id=media_id,
        account_id=account_id,
        created_at=to_utc(item.get("timestamp")),
        text=caption,
        media_type=media_type,
        url=item.get("permalink"),
        hashtags=unique(hashtags_in(caption)),
        mentions=unique(mentions_in(caption)),
        is_ad=None,
        likes=to_int(item.get("like_count")),
        comments=to_int(item.get("comments_count")),
        views=to_int(item.get("view_count")),
    )
    nested = replace(ctx, post_id=media_id, parent_id=None, edge="comments", fields=frozenset())
    for comment in dig(item, "comments", "data", default=[]):
        yield from _ig_comment(comment, nested)
    insights = dig(item, "insights", "data", default=[])
    if insights:
        yield from _insights(insights, replace(nested, edge="insights"))


def _ig_comment(item: dict[str, Any], ctx: _Context) -> Iterator[Any]:
    if not isinstance(item, dict):
        yield Rejected("Instagram comment is not an object", item)
        return
    comment_id = to_id(item.get("id"))
    if comment_id is None:
        yield Rejected("Instagram comment has no `id`, so it cannot be keyed", item)
        return
    author = item.get("from") if isinstance(item.get("from"), dict) else {}
    parent = to_id(item.get("parent_id")) or ctx.parent_id
    post_id = to_id(dig(item, "media", "id")) or ctx.post_id
    yield Comment(
        platform=INSTAGRAM,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=parent,
        author_id=to_id(author.get("id")),
        author_handle=item.get("username") or author.get("username") or None,
        created_at=to_utc(item.get("timestamp")),
        text=item.get("text"),
        likes=to_int(item.get("like_count")),
    )
    replies = replace(ctx, post_id=post_id, parent_id=comment_id)
    for reply in dig(item, "replies", "data", default=[]):
        yield from _ig_comment(reply, replies)


def _insight_value(item: dict[str, Any]) -> Any:
    if isinstance(item.get("total_value"), dict) and "value" in item["total_value"]:
        return item["total_value"]["value"]
    values = item.get("values")
    if isinstance(values, list) and values and isinstance(values[-1], dict):
        return values[-1].get("value")
    return None


def _insights(items: list[Any], ctx: _Context) -> Iterator[Any]:
    metrics: dict[str, Metric] = {}
    for item in items:
        name = str(item.get("name") or "")
        raw_id = str(item.get("id") or "")
        post_id = raw_id.split("/insights", 1)[0] if "/insights" in raw_id else ctx.post_id
        if not post_id:
            yield Rejected(f"insight {name!r} has no `id` naming its post", item)
            continue
        column = INSIGHT_FIELDS.get(name)
        if column is None:
            yield Rejected(f"insight metric {name!r} has no column in post_metrics (kept here "
                           "for a later mapper)", item)
            continue
        period = str(item.get("period") or "lifetime")
        if period != "lifetime":
            yield Rejected(f"insight {name!r} has period {period!r}; only lifetime totals are "
                           "post metrics", item)
            continue
        value = _insight_value(item)
        if isinstance(value, dict):  # e.g. post_reactions_by_type_total {"like": 3, "love": 1}
            counts = [to_int(v) for v in value.values()]
            value = sum(c for c in counts if c is not None)
        platform = ctx.platform or (
            FACEBOOK if "_" in post_id or name.startswith("post_") else INSTAGRAM)
        metric = metrics.setdefault(post_id, Metric(platform, post_id))
        end_time = dig(item, "values", -1, "end_time")
        if end_time and metric.observed_at is None:
            metric.observed_at = to_utc(end_time)
        if getattr(metric, column) is None:
            setattr(metric, column, to_int(value))
    yield from metrics.values()


register(Format(
    name="graph-api",
    description="Facebook / Instagram Graph API responses saved as JSON: page feed, posts, "
                "IG media, comments and replies, insights",
    file_kinds="JSON (.json) or one response/object per line (.ndjson), optionally .gz/.zip",
    reader="auto",
    sniff=sniff,
    map=map_document,
    platform=None,
    priority=15,
))
