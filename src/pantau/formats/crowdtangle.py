"""CrowdTangle CSV exports (Facebook and Instagram), full header or a subset of its columns.

Facebook exports carry 41 columns (`Page Name, User Name, Facebook Id, ..., Post Created, ...,
Likes, Comments, Shares, Love, Wow, Haha, Sad, Angry, Care, ..., URL, Message, ...`);
Instagram exports `Account, User Name, Followers at Posting, Post Created, Type, Likes,
Comments, Views, URL, Link, Photo, Title, Description`. A file is CrowdTangle when its header
has `URL`, `Post Created` (or its Date/Time pair), an account column and at least three
CrowdTangle column names in all, so a researcher's subset of the columns (e.g. `Page Name,
Post Created, Shares, Message, URL`) imports what it has and leaves the rest NULL.

Decisions:
- post id = the last segment of `URL` (as 4CAT does), or the `story_fbid` / `fbid` / `v`
  query value for permalink.php, photo.php and watch URLs. Instagram: the shortcode.
- platform per row: the URL's host, else the header (`Account` without `Page Name` /
  `Facebook Id` / `Group Name` is Instagram).
- likes = ALL reactions (Likes + Love + Wow + Haha + Sad + Angry + Care), the same meaning as
  the Graph API's `reactions.summary.total_count` and the Content Library's `reaction_count`,
  so CrowdTangle's Total Interactions = likes + comments + shares. post_metrics has no column
  per reaction type; the split stays in the kept raw file (`pantau raw`). When a file has no
  reaction column at all but has `Total Interactions`, likes = Total Interactions - Comments -
  Shares.
- account: `Facebook Id` (else the numeric page id in the URL, else `User Name`), handle
  `User Name`, display name `Page Name` / `Group Name` / `Account`. Instagram exports have no
  numeric id: the handle is the account id.
- `Post Created` ("2023-11-05 22:56:36 EST") carries a zone abbreviation (values.to_utc); the
  Date/Time pair is used only when it carries one too, otherwise the row is rejected.
- "N/A", "" and friends are NULL; counts may be "1,234" or "12.0" (pandas re-saves).
- observed_at: CrowdTangle names downloads "2023-11-16-18-20-30-EST-...csv"; that capture time
  is used, else ingest falls back to the file's modification time.
Not handled: Reddit and Twitter CrowdTangle exports; `Post Views` split by crosspost; the
weighted Total Interactions and Overperforming Score (only in the kept raw file: `pantau raw`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePath
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..records import Account, Post
from ..values import hashtags_in, is_missing, mentions_in, to_float, to_id, to_int, to_utc
from . import register
from .base import Format, MapContext, Probe

FACEBOOK_COLUMNS = frozenset({
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Post Created Time", "Type", "Total Interactions",
    "Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care",
    "Video Share Status", "Is Video Owner?", "Post Views", "Total Views",
    "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link",
    "Image Text", "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
    "Overperforming Score", "Group Name", "Members at Posting",
})
INSTAGRAM_COLUMNS = frozenset({
    "Account", "User Name", "Followers at Posting", "Post Created", "Post Created Date",
    "Post Created Time", "Type", "Total Interactions", "Likes", "Comments", "Views", "URL",
    "Link", "Photo", "Title", "Description", "Image Text", "Sponsor Id", "Sponsor Name",
    "Overperforming Score", "Score",
})
ALL_COLUMNS = FACEBOOK_COLUMNS | INSTAGRAM_COLUMNS
ACCOUNT_COLUMNS = ("Page Name", "User Name", "Facebook Id", "Account", "Group Name")
REACTION_COLUMNS = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care")

MEDIA_TYPES = {
    "photo": "image", "image": "image",
    "album": "carousel", "carousel": "carousel", "sidecar": "carousel",
    "link": "link", "youtube": "video", "vine": "video",
    "status": "text",
    "video": "video", "native video": "video", "igtv": "video", "reel": "video",
    "reels": "video",
    "live video": "live", "live video complete": "live", "live video scheduled": "live",
}

_FILE_TIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{2})-(\d{2})-(\d{2})-([A-Za-z]{2,5})-")
_SCIENTIFIC_RE = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")


def sniff(probe: Probe) -> bool:
    if probe.kind != "csv":
        return False
    columns = set(probe.columns)
    has_time = "Post Created" in columns or {"Post Created Date", "Post Created Time"} <= columns
    return (
        "URL" in columns
        and has_time
        and any(c in columns for c in ACCOUNT_COLUMNS)
        and len(columns & ALL_COLUMNS) >= 3
    )


def post_id_from_url(url: Any) -> str | None:
    """The post id a permalink ends with: /posts/123, /p/SHORTCODE/, ?story_fbid=123, ?v=..."""
    if is_missing(url):
        return None
    parts = urlsplit(str(url).strip())
    query = parse_qs(parts.query)
    for key in ("story_fbid", "fbid", "v"):
        if query.get(key):
            return query[key][0].strip() or None
    segments = [s for s in parts.path.split("/") if s]
    return segments[-1] if segments else None


def clean_id(value: Any) -> str | None:
    """to_id, plus the damage spreadsheets do: "123.0" is 123; "1.2E+14" lost its digits."""
    text = to_id(value)
    if text is None:
        return None
    if _SCIENTIFIC_RE.match(text):
        raise ValueError(f"id {text!r} is in scientific notation (a spreadsheet program rounded "
                         "it); export the file again without opening and saving it in Excel")
    if re.fullmatch(r"\d+\.0+", text):
        return text.split(".", 1)[0]
    return text


def platform_of(row: dict[str, Any]) -> str:
    host = urlsplit(str(row.get("URL") or "")).netloc.lower()
    if "instagram.com" in host:
        return "instagram"
    if "facebook.com" in host or host.endswith("fb.com") or host == "fb.watch":
        return "facebook"
    if "Account" in row and not any(c in row for c in ("Page Name", "Facebook Id", "Group Name")):
        return "instagram"
    return "facebook"


def observed_from_name(name: str) -> datetime | None:
    m = _FILE_TIME_RE.match(PurePath(name.replace("!", "/")).name)
    if not m:
        return None
    try:
        return to_utc(f"{m.group(1)} {m.group(2)}:{m.group(3)}:{m.group(4)} {m.group(5)}")
    except ValueError:
        return None


def created_time(row: dict[str, Any]) -> datetime | None:
    value = row.get("Post Created")
    if is_missing(value):
        date, time = row.get("Post Created Date"), row.get("Post Created Time")
        if is_missing(date):
            return None
        value = f"{date} {time}" if not is_missing(time) else date
    text = str(value).strip()
    # "2023-11-05 22:56:36 +0000": fromisoformat wants the offset attached
    text = re.sub(r"\s+([+-]\d{2}:?\d{2})$", r"\1", text)
    return to_utc(text)


def likes_of(row: dict[str, Any]) -> int | None:
    present = [c for c in REACTION_COLUMNS if c in row]
    if present:
        values = [to_int(row[c]) for c in present]
        known = [v for v in values if v is not None]
        return sum(known) if known else None
    total = to_int(row.get("Total Interactions"))
    comments, shares = to_int(row.get("Comments")), to_int(row.get("Shares"))
    if total is None or ("Comments" in row and comments is None) \
            or ("Shares" in row and shares is None):
        return None
    return total - (comments or 0) - (shares or 0)


def _text(value: Any) -> str | None:
    if is_missing(value):
        return None
    return str(value)


def map_row(row: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    url = _text(row.get("URL"))
    post_id = post_id_from_url(url)
    if post_id is None:
        raise ValueError("CrowdTangle row has no URL to take the post id from")
    platform = platform_of(row)
    observed = observed_from_name(ctx.source_name) if ctx.source_name else None

    handle = _text(row.get("User Name"))
    handle = handle.strip().lstrip("@") if handle else None
    if platform == "instagram":
        display = _text(row.get("Account"))
        account_id = handle
        text = _text(row.get("Description")) or _text(row.get("Title"))
        views = to_int(row.get("Views"))
    else:
        display = _text(row.get("Page Name")) or _text(row.get("Group Name"))
        account_id = clean_id(row.get("Facebook Id")) or _page_id_in_url(url) or handle
        text = _text(row.get("Message"))
        views = to_int(row.get("Post Views"))
        if views is None:
            views = to_int(row.get("Total Views"))
    followers = to_int(row.get("Followers at Posting"))
    kind = _text(row.get("Type"))

    if account_id is not None:
        yield Account(platform, account_id, handle, display, followers, observed)
    yield Post(
        platform=platform,
        post_id=post_id,
        account_id=account_id,
        created_at=created_time(row),
        text=text,
        media_type=MEDIA_TYPES.get(kind.strip().lower()) if kind else None,
        duration_s=to_float(row.get("Video Length")),
        url=url,
        hashtags=list(dict.fromkeys(hashtags_in(text))),
        mentions=list(dict.fromkeys(mentions_in(text))),
        observed_at=observed,
        views=views,
        likes=likes_of(row),
        comments=to_int(row.get("Comments")),
        shares=to_int(row.get("Shares")),
        followers=followers,
    )


def _page_id_in_url(url: str | None) -> str | None:
    """facebook.com/{numeric page id}/posts/... carries the page's id."""
    if not url:
        return None
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) >= 3 and segments[0].isdigit() and segments[1] in ("posts", "videos",
                                                                          "photos"):
        return segments[0]
    return None


register(Format(
    name="crowdtangle",
    description="CrowdTangle CSV export of Facebook pages/groups or Instagram accounts "
                "(full header or a subset of its columns)",
    file_kinds="CSV (.csv), optionally .gz/.zip",
    reader="csv",
    sniff=sniff,
    map=map_row,
    platform=None,
    priority=20,
))
