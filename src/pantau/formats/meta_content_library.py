"""Meta Content Library CSV downloads (Facebook and Instagram posts).

Columns are the Content Library API fields with dots for nested ones: `id, creation_time,
modified_time, text, lang, post_owner.{id,name,username,type}, surface.{id,name,username,type},
statistics.{reaction_count, like_count, love_count, haha_count, wow_count, sad_count,
angry_count, care_count, comment_count, share_count, views, views_date_last_refreshed},
content_type, multimedia, link_attachment.link, is_branded_content, mcl_url, shared_post_id`.

Decisions:
- platform per row: a `platform` column if present; else the host of a post URL (`url`,
  `link`, `permalink`, `mcl_url`) when it names instagram.com or facebook.com; else
  `post_owner.type` / `surface.type` mentioning Instagram; else the header: Facebook files
  carry `surface.*`, `statistics.reaction_count` or `statistics.share_count`, Instagram files
  carry none of them.
- likes = all reactions (`statistics.reaction_count`, else the sum of the per-type counts, else
  `statistics.like_count`), the same meaning as the Graph API and CrowdTangle mappers.
  Instagram has only `like_count`.
- the author is `post_owner` (`surface` is where it was posted: a page, group or event).
- `creation_time` without a zone is UTC (the Content Library writes UTC).
- ids pass through clean_id: "123.0" is 123; an id in scientific notation is refused.
- url: a permalink column if the file has one, else `mcl_url` (the Content Library link).
Not handled: comments downloads, the JSON form of API results, `multimedia` details
(they stay in the kept raw file: `pantau raw`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from ..records import Account, Post
from ..values import hashtags_in, is_missing, mentions_in, to_int, to_utc
from . import register
from .base import Format, MapContext, Probe
from .crowdtangle import clean_id

MCL_MARKERS = ("post_owner.", "statistics.", "surface.")
REACTIONS = ("like_count", "love_count", "haha_count", "wow_count", "sad_count",
             "angry_count", "care_count")
FACEBOOK_ONLY = ("statistics.reaction_count", "statistics.share_count")
URL_COLUMNS = ("url", "link", "permalink", "post_url", "mcl_url")

MEDIA_TYPES = {
    "photo": "image", "image": "image", "photos": "image",
    "video": "video", "videos": "video", "reel": "video", "reels": "video", "igtv": "video",
    "clips": "video",
    "live_video": "live", "live": "live",
    "album": "carousel", "carousel": "carousel", "carousel_album": "carousel",
    "sidecar": "carousel",
    "link": "link", "share": "link",
    "status": "text", "text": "text",
}


def sniff(probe: Probe) -> bool:
    if probe.kind != "csv":
        return False
    columns = set(probe.columns)
    return (
        "id" in columns
        and "creation_time" in columns
        and ("mcl_url" in columns or any(c.startswith(MCL_MARKERS) for c in columns))
    )


def platform_of(row: dict[str, Any]) -> str:
    declared = str(row.get("platform") or "").strip().lower()
    if declared in ("facebook", "instagram"):
        return declared
    for column in URL_COLUMNS:
        host = urlsplit(str(row.get(column) or "")).netloc.lower()
        if "instagram.com" in host:
            return "instagram"
        if "facebook.com" in host or host.endswith("fb.com"):
            return "facebook"
    owner_types = f"{row.get('post_owner.type') or ''} {row.get('surface.type') or ''}".lower()
    if "instagram" in owner_types:
        return "instagram"
    if any(c.startswith("surface.") for c in row) or any(c in row for c in FACEBOOK_ONLY):
        return "facebook"
    return "instagram"


def likes_of(row: dict[str, Any], platform: str) -> int | None:
    total = to_int(row.get("statistics.reaction_count"))
    if total is not None or platform == "instagram":
        return total if total is not None else to_int(row.get("statistics.like_count"))
    parts = [to_int(row.get(f"statistics.{r}")) for r in REACTIONS]
    known = [p for p in parts if p is not None]
    if len(known) > 1:
        return sum(known)
    return to_int(row.get("statistics.like_count"))


def _text(value: Any) -> str | None:
    return None if is_missing(value) else str(value)


def map_row(row: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    post_id = clean_id(row.get("id"))
    if post_id is None:
        raise ValueError("Content Library row has no `id`")
    platform = platform_of(row)
    account_id = clean_id(row.get("post_owner.id"))
    handle = _text(row.get("post_owner.username"))
    display = _text(row.get("post_owner.name"))
    if account_id is None and handle:
        account_id = handle
    text = _text(row.get("text"))
    url = next((_text(row.get(c)) for c in URL_COLUMNS if _text(row.get(c))), None)
    content_type = (_text(row.get("content_type")) or "").strip().lower()
    if account_id is not None:
        yield Account(platform, account_id, handle, display, None, None)
    yield Post(
        platform=platform,
        post_id=post_id,
        account_id=account_id,
        created_at=to_utc(row.get("creation_time"), default_tz=UTC),
        text=text,
        media_type=MEDIA_TYPES.get(content_type),
        url=url,
        hashtags=list(dict.fromkeys(hashtags_in(text))),
        mentions=list(dict.fromkeys(mentions_in(text))),
        lang=(_text(row.get("lang")) or "").strip().lower() or None,
        views=to_int(row.get("statistics.views")),
        likes=likes_of(row, platform),
        comments=to_int(row.get("statistics.comment_count")),
        shares=to_int(row.get("statistics.share_count")),
    )


register(Format(
    name="meta-content-library",
    description="Meta Content Library CSV download of Facebook or Instagram posts",
    file_kinds="CSV (.csv) with dotted columns (post_owner.id, statistics.*), optionally .gz",
    reader="csv",
    sniff=sniff,
    map=map_row,
    platform=None,
    priority=20,
))
