"""yt-dlp (and youtube-dl) metadata: an `.info.json` document or `--dump-json` lines.

One record is one info dict; the platform comes from `extractor_key` / `extractor` (`ie_key`
for `--flat-playlist` stubs), else from the URL's host. YouTube, TikTok, Instagram and Facebook
are read; a record from another site is rejected with that reason.

Field choices per platform (yt-dlp source, FORMATS.md section 3):
- YouTube: account = `channel_id`, handle = the `@name` in `uploader_id` (or in the channel
  URL), text = title + description. Old youtube-dl files have only `upload_date` (a date: midnight
  UTC) and `uploader_id` = channel id.
- TikTok: account = `uploader_id` (numeric), handle = `uploader` (uniqueId), display =
  `channel` (or the older `creator`); share -> `repost_count`, collect -> `save_count`.
- Instagram: handle = `channel`, account = `uploader_id` (pk), display = `uploader`; older
  yt-dlp put the handle in `uploader_id` (then the handle is also the account id). The post id
  is the shortcode, as in other Instagram formats. A carousel is a `_type: playlist` with
  `entries[]` (one post); a carousel entry dumped on its own line (`-j`) carries
  `playlist_id` = the post's shortcode and becomes that post (counts from the first entry only).
- Facebook: account = `uploader_id`, display = `uploader`; counts may be "1.2K"-style strings.
Other playlists (channels, tabs) give their entries as posts, and the channel as an account.
Comments (`--write-comments`): `parent` "root" (or absent) is top level, else the parent's id;
`author_is_uploader` -> by_post_author; `timestamp` is yt-dlp's estimate from "2 days ago"-style
text for YouTube, so comment times are approximate there. `epoch` (capture time) -> observed_at.
Not handled: sites other than the four above; TikTok photo posts are typed as video.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..records import Account, Comment, Post
from ..values import (
    epoch_to_utc,
    hashtags_in,
    is_missing,
    mentions_in,
    to_float,
    to_id,
    to_int,
    unique,
    ymd_to_utc,
)
from . import register
from .base import Format, MapContext, Probe, Rejected

_PLATFORM_PREFIXES = (("youtube", "youtube"), ("tiktok", "tiktok"), ("instagram", "instagram"),
                      ("facebook", "facebook"), ("fb", "facebook"))
_PLATFORM_HOSTS = (("youtube.com", "youtube"), ("youtu.be", "youtube"), ("tiktok.com", "tiktok"),
                   ("instagram.com", "instagram"), ("facebook.com", "facebook"),
                   ("fb.watch", "facebook"))
_INFO_KEYS = ("webpage_url", "formats", "_type", "original_url", "display_id", "url", "epoch",
              "_version", "fulltitle")
_GENERIC_TITLE = re.compile(r"^(?:(?:Video|Post|Reel) by .*|TikTok video #\d+|Facebook video.*)$",
                            re.IGNORECASE)
_LIVE_STATUSES = {"is_live", "was_live", "post_live"}
_POST_PATH = re.compile(r"/(?:p|reels?|tv)/([^/?#&]+)")


# -- sniffing ---------------------------------------------------------------------------------

def is_info(obj: Any) -> bool:
    return (isinstance(obj, dict) and "id" in obj
            and any(k in obj for k in ("extractor_key", "extractor", "ie_key"))
            and any(k in obj for k in _INFO_KEYS))


def _head_looks_like_ytdlp(head: bytes) -> bool:
    """--dump-json lines too long to parse in the sniff window (formats lists are long)."""
    return head.lstrip()[:1] == b"{" and (b'"extractor_key"' in head or (
        b'"format_id"' in head and b'"protocol"' in head
        and (b'"vcodec"' in head or b'"acodec"' in head)))


def sniff(probe: Probe) -> bool:
    if probe.kind not in ("ndjson", "json"):
        return False
    first = probe.first
    if first is None:
        return probe.kind == "json" and _head_looks_like_ytdlp(probe.head)
    if isinstance(first, list):
        return bool(first) and is_info(first[0])
    return is_info(first)


# -- mapping ----------------------------------------------------------------------------------

def platform_of(info: dict[str, Any]) -> str | None:
    keys = [info.get("extractor_key"), info.get("extractor")]
    if info.get("_type") in ("url", "url_transparent"):
        keys.insert(0, info.get("ie_key"))
    for key in keys:
        if isinstance(key, str) and key:
            lowered = key.lower()
            for prefix, platform in _PLATFORM_PREFIXES:
                if lowered.startswith(prefix):
                    return platform
    for key in ("webpage_url", "original_url", "url"):
        host = urlsplit(str(info.get(key) or "")).hostname or ""
        for domain, platform in _PLATFORM_HOSTS:
            if host == domain or host.endswith("." + domain):
                return platform
    return None


def map_info(info: Any, ctx: MapContext) -> Iterator[Any]:
    if isinstance(info, list):  # a JSON array of info dicts
        for item in info:
            yield from map_info(item, ctx)
        return
    if not isinstance(info, dict):
        raise TypeError("a yt-dlp record is a JSON object")
    platform = platform_of(info)
    if platform is None:
        yield Rejected(
            f"yt-dlp record from {info.get('extractor_key') or info.get('extractor')!r}: "
            "pantau reads YouTube, TikTok, Instagram and Facebook",
            {k: info.get(k) for k in ("id", "extractor", "webpage_url")})
        return
    if info.get("_type") in ("playlist", "multi_video"):
        if platform == "instagram" and _is_instagram_post(info):
            yield from map_post(info, platform, carousel=True)
            return
        yield from _playlist_account(info, platform)
        for entry in info.get("entries") or []:
            if not isinstance(entry, dict):
                yield Rejected("yt-dlp playlist entry is not an object", entry)
                continue
            if "epoch" not in entry and "epoch" in info:
                entry = {**entry, "epoch": info["epoch"]}
            yield from map_info(entry, ctx)
        return
    yield from map_post(info, platform)


def _is_instagram_post(info: dict[str, Any]) -> bool:
    """An Instagram post playlist (a carousel), not a profile, tag or story playlist."""
    if str(info.get("extractor_key") or info.get("extractor") or "").lower() == "instagram":
        return True
    return bool(_POST_PATH.search(str(info.get("webpage_url") or "")))


def _carousel_parent(info: dict[str, Any], platform: str) -> str | None:
    """The post shortcode of an Instagram carousel entry dumped on its own."""
    parent = to_id(info.get("playlist_id"))
    if platform != "instagram" or parent is None:
        return None
    for key in ("playlist_webpage_url", "webpage_url", "original_url"):
        match = _POST_PATH.search(str(info.get(key) or ""))
        if match and match.group(1) == parent:
            return parent
    return None


def _handle_from_url(url: Any) -> str | None:
    match = re.search(r"/@([^/?#]+)", str(url or ""))
    return match.group(1) if match else None


def account_fields(info: dict[str, Any], platform: str) -> tuple[str | None, str | None,
                                                                 str | None]:
    """(account_id, handle, display name) as each platform's extractor writes them."""
    uploader_id = to_id(info.get("uploader_id"))
    if platform == "youtube":
        account_id = to_id(info.get("channel_id"))
        if account_id is None and uploader_id and uploader_id.startswith("UC"):
            account_id = uploader_id
        handle = None
        for candidate in (uploader_id, info.get("channel_handle")):
            if isinstance(candidate, str) and candidate.startswith("@"):
                handle = candidate[1:]
                break
        handle = handle or _handle_from_url(info.get("uploader_url")) or _handle_from_url(
            info.get("channel_url"))
        return account_id, handle, info.get("channel") or info.get("uploader") or None
    if platform == "tiktok":
        handle = info.get("uploader") or _handle_from_url(info.get("uploader_url")) or None
        account_id = uploader_id if uploader_id and uploader_id.isdigit() else None
        display = info.get("channel") or info.get("creator") or None
        return account_id or handle, handle, display
    if platform == "instagram":
        numeric = uploader_id if uploader_id and uploader_id.isdigit() else None
        handle = info.get("channel") or (uploader_id if uploader_id and not numeric else None)
        return numeric or handle, handle, info.get("uploader") or None
    account_id = uploader_id or to_id(info.get("channel_id"))
    return account_id, None, info.get("uploader") or info.get("channel") or None


def _text(info: dict[str, Any], platform: str) -> str | None:
    title = info.get("title") if isinstance(info.get("title"), str) else None
    description = info.get("description") if isinstance(info.get("description"), str) else None
    if platform == "youtube":
        parts = [p for p in (title, description) if p and p.strip()]
        return "\n\n".join(parts) if parts else None
    if description and description.strip():
        return description
    if title and not _GENERIC_TITLE.match(title.strip()):
        return title
    return None


def _created(info: dict[str, Any]):
    for key in ("timestamp", "release_timestamp"):
        if not is_missing(info.get(key)):
            return epoch_to_utc(info[key])
    for key in ("upload_date", "release_date"):
        if not is_missing(info.get(key)):
            return ymd_to_utc(info[key])
    return None


def _lang(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-")[0].split("_")[0].lower()


def _playlist_account(info: dict[str, Any], platform: str) -> Iterator[Account]:
    account_id, handle, display = account_fields(info, platform)
    if account_id:
        yield Account(platform, account_id, handle, display,
                      to_int(info.get("channel_follower_count")), epoch_to_utc(info.get("epoch")))


def map_post(info: dict[str, Any], platform: str, carousel: bool = False) -> Iterator[Any]:
    parent = _carousel_parent(info, platform)
    post_id = parent or to_id(info.get("id"))
    if post_id is None:
        yield Rejected("yt-dlp record without an `id`", info)
        return
    observed = epoch_to_utc(info.get("epoch"))
    account_id, handle, display = account_fields(info, platform)
    followers = to_int(info.get("channel_follower_count"))
    if account_id:
        yield Account(platform, account_id, handle, display, followers, observed)
    text = _text(info, platform)
    if carousel or parent:
        media_type = "carousel"
    elif info.get("live_status") in _LIVE_STATUSES or info.get("is_live") or info.get("was_live"):
        media_type = "live"
    else:
        media_type = "video"
    counts = {
        "views": to_int(info.get("view_count")),
        "likes": to_int(info.get("like_count")),
        "comments": to_int(info.get("comment_count")),
        "shares": to_int(info.get("repost_count")),
        "saves": to_int(info.get("save_count")),
    }
    if parent:
        # Each carousel entry repeats the post's counts (or only has its own video's views):
        # one observation per capture, from the first entry.
        counts["views"] = None
        if to_int(info.get("playlist_index")) not in (None, 1):
            counts = dict.fromkeys(counts)
    url = info.get("webpage_url") or info.get("original_url")
    if parent:
        url = f"https://www.instagram.com/p/{parent}/"
    elif not url and info.get("_type") in ("url", "url_transparent"):
        url = info.get("url")
    yield Post(
        platform=platform,
        post_id=post_id,
        account_id=account_id,
        created_at=_created(info),
        text=text,
        media_type=media_type,
        duration_s=None if carousel or parent else to_float(info.get("duration")),
        url=url or None,
        hashtags=unique(hashtags_in(text)),
        mentions=unique(mentions_in(text)),
        lang=_lang(info.get("language")),
        observed_at=observed,
        followers=followers,
        **counts,
    )
    comments = list(info.get("comments") or [])
    if carousel:  # a carousel's comments may sit on the playlist or on its entries
        for entry in info.get("entries") or []:
            if isinstance(entry, dict):
                comments += entry.get("comments") or []
    seen: set[str] = set()
    for comment in comments:
        comment_id = to_id(comment.get("id")) if isinstance(comment, dict) else None
        if comment_id is not None and comment_id in seen:
            continue
        seen.add(comment_id or "")
        yield from map_comment(comment, post_id, platform)


def map_comment(comment: Any, post_id: str, platform: str) -> Iterator[Any]:
    if not isinstance(comment, dict) or to_id(comment.get("id")) is None:
        yield Rejected("yt-dlp comment without an `id`", comment)
        return
    parent = to_id(comment.get("parent"))
    author = comment.get("author")
    by_author = comment.get("author_is_uploader")
    yield Comment(
        platform=platform,
        comment_id=to_id(comment["id"]),
        post_id=post_id,
        parent_id=None if parent in (None, "root", "0") else parent,
        author_id=to_id(comment.get("author_id")),
        author_handle=(author.lstrip("@") or None) if isinstance(author, str) else None,
        created_at=epoch_to_utc(comment.get("timestamp")),
        text=comment.get("text"),
        likes=to_int(comment.get("like_count")),
        by_post_author=by_author if isinstance(by_author, bool) else None,
    )


register(Format(
    name="ytdlp",
    description="yt-dlp metadata (.info.json or --dump-json lines): YouTube, TikTok, "
                "Instagram, Facebook, with comments from --write-comments",
    file_kinds=".info.json, or NDJSON from --dump-json / -J",
    reader="auto",
    sniff=sniff,
    map=map_info,
    platform=None,
    priority=10,
))
