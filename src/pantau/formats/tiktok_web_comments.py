"""TikTok comment lists as the web app receives them, and one tool's own JSON of them.

`tiktok-web-comments`: the raw response of TikTok's `/api/comment/list/` (and
`/api/comment/list/reply/`), saved as one JSON document: `{comments[], cursor, has_more, total,
status_code, extra.now, ...}`. Each comment is mapped by zeeschuimer_tiktok.map_comment, the same
function that maps Zeeschuimer's comment items, so a comment seen through both is one row:
`cid`, post `aweme_id`, thread `reply_id` / `reply_to_reply_id` ("0" = top level), replies
nested in `reply_comment[]`, author `user.uid / unique_id`, `create_time` (epoch s),
`digg_count`, `reply_comment_total`. Also read: a JSON array of such pages or of bare comments.
The same pages (or bare comments) one per line (NDJSON) are read too.

`tiktok-comment-scrapper`: the derived JSON written by RomySaputraSihananda/tiktok-comment-scrapper
(`{caption, video_url, comments[{comment_id, username, nickname, comment, create_time,
total_reply, replies[]}], has_more}`). The video id is read from `video_url`. The tool writes
`create_time` as a local time of the machine that ran it, without a zone; TikTok comment ids
carry their creation second in their top 32 bits, so the zone offset is recovered per comment
(rounded to 15 minutes) and the time stored in UTC. Output of older versions of the tool has no
`comment_id` and no reliable time: those comments are rejected (nothing to key them on). The
tool keeps no author id, likes or language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from ..records import Comment
from ..values import to_id, to_int, to_utc
from . import register
from .base import Format, MapContext, Probe, Rejected
from .zeeschuimer_tiktok import PLATFORM, map_comment

_VIDEO_ID = re.compile(r"(?:/video/|share_item_id=)(\d+)")
_MAX_OFFSET = timedelta(hours=14)


# --- raw web comment lists -----------------------------------------------------------------

def _is_comment(obj: Any) -> bool:
    return isinstance(obj, dict) and "cid" in obj and "aweme_id" in obj


def _is_page(obj: Any) -> bool:
    if not isinstance(obj, dict) or "comments" not in obj:
        return False
    if "source_platform" in obj or "video_url" in obj or "caption" in obj:
        return False
    comments = obj["comments"]
    if isinstance(comments, list) and comments:
        return any(_is_comment(c) for c in comments[:5])
    # an empty last page still carries TikTok's page fields
    return comments in (None, []) and {"cursor", "has_more", "status_code"} <= obj.keys()


def sniff(probe: Probe) -> bool:
    doc = probe.first
    if probe.kind == "ndjson":
        return "data" not in doc and (_is_page(doc) or _is_comment(doc))
    if probe.kind != "json":
        return False
    if isinstance(doc, list):
        return bool(doc) and (_is_page(doc[0]) or _is_comment(doc[0]))
    return _is_page(doc)


def map_page(record: Any, ctx: MapContext) -> Iterator[Any]:
    if isinstance(record, list):
        for element in record:
            yield from map_page(element, ctx)
        return
    if _is_comment(record):
        yield from map_comment(record)
        return
    if not isinstance(record, dict) or "comments" not in record:
        yield Rejected("not a TikTok comment-list page (no `comments`)", record)
        return
    status = record.get("status_code")
    if status not in (None, 0, "0") and not record.get("comments"):
        yield Rejected(f"TikTok answered status_code {status}: "
                       f"{record.get('status_msg') or 'no comments'}", record)
        return
    for comment in record.get("comments") or []:
        if isinstance(comment, dict):
            yield from map_comment(comment)
        else:
            yield Rejected("comment is not an object", comment)


# --- tiktok-comment-scrapper's derived JSON ------------------------------------------------

def sniff_scrapper(probe: Probe) -> bool:
    doc = probe.first
    if probe.kind not in ("json", "ndjson") or not isinstance(doc, dict):
        return False  # indented, or compact on one line (then probed as NDJSON)
    comments = doc.get("comments")
    if not isinstance(comments, list) or not ({"video_url", "caption"} & doc.keys()):
        return False
    return not comments or (isinstance(comments[0], dict)
                            and {"comment", "username", "create_time"} <= comments[0].keys())


def map_scrapper(doc: Any, ctx: MapContext) -> Iterator[Any]:
    if not isinstance(doc, dict):
        yield Rejected("not a tiktok-comment-scrapper document", doc)
        return
    m = _VIDEO_ID.search(str(doc.get("video_url") or ""))
    if not m:
        yield Rejected("no video id in `video_url`; cannot tell which post the comments are on",
                       {k: v for k, v in doc.items() if k != "comments"})
        return
    for comment in doc.get("comments") or []:
        yield from _scrapper_comment(comment, m.group(1), None)


def _scrapper_comment(data: Any, post_id: str, parent: str | None) -> Iterator[Any]:
    if not isinstance(data, dict):
        yield Rejected("comment is not an object", data)
        return
    comment_id = to_id(data.get("comment_id"))
    if comment_id is None:
        yield Rejected("comment has no `comment_id` (older tiktok-comment-scrapper output); "
                       "it cannot be keyed", data)
        return
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=parent,
        author_handle=data.get("username") or None,
        created_at=local_time_by_id(data.get("create_time"), comment_id),
        text=data.get("comment"),
        reply_count=to_int(data.get("total_reply")),
    )
    for reply in data.get("replies") or []:
        yield from _scrapper_comment(reply, post_id, comment_id)


def local_time_by_id(value: Any, comment_id: str) -> datetime | None:
    """A zone-less local time, put in UTC with the offset recovered from the id's timestamp."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    local = datetime.fromisoformat(text)
    if local.tzinfo is not None:
        return to_utc(text)
    if not comment_id.isdigit():
        return None
    id_time = datetime.fromtimestamp(int(comment_id) >> 32, UTC).replace(tzinfo=None)
    quarters = round((local - id_time).total_seconds() / 900)
    offset = timedelta(minutes=15 * quarters)
    if abs(offset) > _MAX_OFFSET or id_time.year < 2014:
        return None  # not an id with a timestamp: the zone is unknown, so the time is too
    return local - offset


register(Format(
    name="tiktok-web-comments",
    description="TikTok web comment-list responses (/api/comment/list/): one JSON document, "
                "a JSON array, or one page or comment per line",
    file_kinds="JSON (.json) or NDJSON (.ndjson, .jsonl), optionally .gz/.xz/.zip",
    reader="auto",
    sniff=sniff,
    map=map_page,
    platform=PLATFORM,
    priority=10,
))

register(Format(
    name="tiktok-comment-scrapper",
    description="JSON written by the tiktok-comment-scrapper tool (caption, video_url, comments)",
    file_kinds="JSON document (.json), indented or on one line",
    reader="auto",
    sniff=sniff_scrapper,
    map=map_scrapper,
    platform=PLATFORM,
    priority=10,
))
