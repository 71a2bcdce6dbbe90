"""Instaloader metadata (`--metadata-json`) and comments (`--comments`) files.

Metadata: `{"node": {...}, "instaloader": {"version", "node_type"}}`, written indented with
sorted keys (`.json`, `--no-compress-json`) or compact and LZMA-compressed (`.json.xz`, the
default). node_type Post (GraphImage / GraphVideo / GraphSidecar) -> Post + owner Account;
Profile (`{profile}_{id}.json.xz`) -> Account with `edge_followed_by.count`; StoryItem ->
Post with the shortcode derived from the media id.
The post id is the shortcode (Instagram's `code`), the key every other Instagram format uses,
so the same post seen by Instaloader and by Zeeschuimer or yt-dlp is one post.
Hashtags and mentions are found as Instaloader finds them: regexes over the lowercased caption.
Newer Instaloader adds `iphone_struct` (the app API item); it fills fields the node lacks.

Comments: `{post file stem}_comments.json`, a list of `{id, created_at (epoch s), text,
owner{id, username, ...}, likes_count, answers[]}` with replies nested in `answers` (older
versions have no likes or answers). The file names no post, so the post is found from the file
name: the metadata file beside it with the same stem (`{stem}.json` or `{stem}.json.xz`, also
inside the same zip), else a stem that is itself a shortcode (`--filename-pattern
{shortcode}`). A comments file whose post cannot be found is rejected with that reason.
Instaloader writes no capture time: observed_at falls back to the file's modification time.
Not handled: Highlight, Hashtag and TopSearchResults structures; tagged users (kept in the raw
file only); location.
"""

from __future__ import annotations

import lzma
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..records import Account, Comment, Post
from ..values import dig, epoch_to_utc, is_missing, to_float, to_id, to_int, to_utc, unique
from . import register
from .base import Format, MapContext, Probe, Rejected

PLATFORM = "instagram"
COMMENTS_SUFFIX = "_comments.json"

# Instaloader's own patterns (structures.py), applied to the lowercased caption.
HASHTAG_RE = re.compile(r"(?:#)((?:\w){1,150})")
MENTION_RE = re.compile(r"(?:^|[^\w])(?:@)(\w(?:(?:\w|(?:\.(?!\.))){0,28}(?:\w))?)")
SHORTCODE_RE = re.compile(r"[A-Za-z0-9_-]{10,14}")
_HEAD_RE = re.compile(rb'"instaloader"\s*:\s*\{\s*"node_type"\s*:|"instaloader"\s*:\s*\{\s*'
                      rb'"version"\s*:[^}]*"node_type"')
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


# -- sniffing ---------------------------------------------------------------------------------

def is_metadata(obj: Any) -> bool:
    return (isinstance(obj, dict) and isinstance(obj.get("node"), dict)
            and isinstance(obj.get("instaloader"), dict))


def is_comment(obj: Any) -> bool:
    return (isinstance(obj, dict) and "id" in obj and "created_at" in obj and "text" in obj
            and isinstance(obj.get("owner"), dict))


def sniff(probe: Probe) -> bool:
    if probe.kind not in ("ndjson", "json"):
        return False
    first = probe.first
    if first is None and probe.kind == "json":  # cut off or otherwise unreadable: say so
        head = probe.head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] == b"{":
            return bool(_HEAD_RE.search(head[:4096]))
        return head[:1] == b"[" and probe.name.lower().endswith(COMMENTS_SUFFIX)
    if is_metadata(first):
        return True
    if isinstance(first, list):
        if first:
            return is_comment(first[0])
        return probe.name.lower().endswith(COMMENTS_SUFFIX)
    return False


# -- mapping ----------------------------------------------------------------------------------

def map_record(record: Any, ctx: MapContext) -> Iterator[Any]:
    if isinstance(record, list):
        yield from map_comments_file(record, ctx.source_name)
        return
    if not is_metadata(record):
        raise TypeError("not an Instaloader metadata file ({node, instaloader})")
    node_type = record["instaloader"].get("node_type") or "Post"
    node = record["node"]
    if node_type == "Post":
        yield from map_post(node)
    elif node_type == "Profile":
        yield from map_profile(node)
    elif node_type == "StoryItem":
        yield from map_story(node)
    else:
        yield Rejected(f"Instaloader {node_type} files are not read", record["instaloader"])


def mediaid_to_shortcode(media_id: Any) -> str | None:
    """Instagram's shortcode of a numeric media id (the part before `_` of `pk_userid`)."""
    text = str(media_id).split("_")[0] if not is_missing(media_id) else ""
    if not text.isdigit():
        return None
    number, code = int(text), ""
    while number:
        number, digit = divmod(number, 64)
        code = _B64[digit] + code
    return code or "A"


def _owner(node: dict[str, Any]) -> tuple[str | None, str | None, str | None, int | None]:
    owner = node.get("owner") if isinstance(node.get("owner"), dict) else {}
    user = dig(node, "iphone_struct", "user", default={})
    account_id = to_id(owner.get("id")) or to_id(user.get("pk") or user.get("id"))
    handle = owner.get("username") or user.get("username") or None
    display = owner.get("full_name") or user.get("full_name") or None
    followers = to_int(dig(owner, "edge_followed_by", "count"))
    return account_id, handle, display, followers


def caption_of(node: dict[str, Any]) -> str | None:
    caption = dig(node, "edge_media_to_caption", "edges", 0, "node", "text")
    if caption is None and isinstance(node.get("caption"), str):
        caption = node["caption"]
    if caption is None:
        caption = dig(node, "iphone_struct", "caption", "text")
    return caption


def _first_int(*values: Any) -> int | None:
    for value in values:
        number = to_int(value)
        if number is not None:
            return number
    return None


def media_type_of(node: dict[str, Any]) -> str:
    typename = str(node.get("__typename") or "")
    if typename.endswith("Sidecar") or dig(node, "edge_sidecar_to_children", "edges"):
        return "carousel"
    if typename.endswith("Video") or node.get("is_video") is True:
        return "video"
    app_type = dig(node, "iphone_struct", "media_type")  # the app API: 1 photo, 2 video, 8 album
    return {8: "carousel", 2: "video"}.get(app_type, "image")


def map_post(node: dict[str, Any]) -> Iterator[Any]:
    iphone = node.get("iphone_struct") if isinstance(node.get("iphone_struct"), dict) else {}
    shortcode = (to_id(node.get("shortcode")) or to_id(node.get("code"))
                 or to_id(iphone.get("code")) or mediaid_to_shortcode(node.get("id")))
    if shortcode is None:
        yield Rejected("Instaloader post without `shortcode`", node)
        return
    account_id, handle, display, followers = _owner(node)
    if account_id:
        yield Account(PLATFORM, account_id, handle, display, followers)
    caption = caption_of(node)
    lowered = (caption or "").lower()
    media_type = media_type_of(node)
    taken = node.get("taken_at_timestamp", node.get("date", iphone.get("taken_at")))
    yield Post(
        platform=PLATFORM,
        post_id=shortcode,
        account_id=account_id,
        created_at=epoch_to_utc(taken),
        text=caption,
        media_type=media_type,
        duration_s=to_float(node.get("video_duration") or iphone.get("video_duration"))
        if media_type == "video" else None,
        url=f"https://www.instagram.com/p/{shortcode}",
        hashtags=unique(HASHTAG_RE.findall(lowered)),
        mentions=unique(MENTION_RE.findall(lowered)),
        is_ad=bool(node["is_ad"]) if isinstance(node.get("is_ad"), bool) else None,
        views=_first_int(node.get("video_view_count"), node.get("video_play_count"),
                         iphone.get("view_count"), iphone.get("play_count")),
        likes=_first_int(dig(node, "edge_media_preview_like", "count"),
                         dig(node, "edge_liked_by", "count"), dig(node, "likes", "count"),
                         iphone.get("like_count")),
        comments=_first_int(dig(node, "edge_media_to_comment", "count"),
                            dig(node, "edge_media_to_parent_comment", "count"),
                            dig(node, "edge_media_preview_comment", "count"),
                            iphone.get("comment_count")),
        followers=followers,
    )


def map_profile(node: dict[str, Any]) -> Iterator[Any]:
    account_id = to_id(node.get("id")) or to_id(node.get("pk"))
    if account_id is None:
        yield Rejected("Instaloader profile without `id`", node)
        return
    yield Account(
        platform=PLATFORM,
        account_id=account_id,
        handle=node.get("username") or None,
        display_name=node.get("full_name") or None,
        followers=_first_int(dig(node, "edge_followed_by", "count"),
                             dig(node, "iphone_struct", "follower_count")),
    )


def map_story(node: dict[str, Any]) -> Iterator[Any]:
    shortcode = to_id(node.get("shortcode")) or mediaid_to_shortcode(node.get("id"))
    if shortcode is None:
        yield Rejected("Instaloader story item without `id`", node)
        return
    account_id, handle, display, followers = _owner(node)
    if account_id:
        yield Account(PLATFORM, account_id, handle, display, followers)
    is_video = node.get("is_video") is True or str(node.get("__typename", "")).endswith("Video")
    caption = caption_of(node)
    lowered = (caption or "").lower()
    yield Post(
        platform=PLATFORM,
        post_id=shortcode,
        account_id=account_id,
        created_at=epoch_to_utc(node.get("taken_at_timestamp")),
        text=caption,
        media_type="video" if is_video else "image",
        duration_s=to_float(node.get("video_duration")) if is_video else None,
        url=f"https://www.instagram.com/stories/{handle}/{to_id(node.get('id'))}/"
        if handle and node.get("id") else None,
        hashtags=unique(HASHTAG_RE.findall(lowered)),
        mentions=unique(MENTION_RE.findall(lowered)),
    )


# -- comments files ---------------------------------------------------------------------------

def _split_source(source_name: str) -> tuple[Path, str | None]:
    """A path, or `archive.zip!member` as sources.expand names zip members."""
    if "!" in source_name:
        archive, member = source_name.split("!", 1)
        if archive.lower().endswith(".zip"):
            return Path(archive), member
    return Path(source_name), None


def _strip_compression(name: str) -> str:
    for suffix in (".xz", ".gz", ".bz2"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _shortcode_in(data: bytes, compressed: bool) -> str | None:
    try:
        doc = orjson.loads(lzma.decompress(data) if compressed else data)
    except (orjson.JSONDecodeError, lzma.LZMAError):
        return None
    if not is_metadata(doc):
        return None
    node = doc["node"]
    return to_id(node.get("shortcode")) or to_id(node.get("code")) or mediaid_to_shortcode(
        node.get("id"))


def post_id_for_comments(source_name: str) -> str | None:
    """The shortcode of the post a `*_comments.json` file belongs to, found from its name."""
    path, member = _split_source(source_name)
    name = _strip_compression((member or path.name).rsplit("/", 1)[-1])
    if not name.lower().endswith(COMMENTS_SUFFIX):
        return None
    stem = name[: -len(COMMENTS_SUFFIX)]
    candidates = (stem + ".json", stem + ".json.xz")
    if member is None:
        for candidate in candidates:
            sibling = path.with_name(candidate)
            try:
                data = sibling.read_bytes() if sibling.is_file() else None
            except OSError:
                data = None
            found = _shortcode_in(data, candidate.endswith(".xz")) if data else None
            if found:
                return found
    else:
        folder = member.rsplit("/", 1)[0] + "/" if "/" in member else ""
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                for candidate in candidates:
                    if folder + candidate in names:
                        found = _shortcode_in(archive.read(folder + candidate),
                                              candidate.endswith(".xz"))
                        if found:
                            return found
        except (OSError, zipfile.BadZipFile):
            pass
    if SHORTCODE_RE.fullmatch(stem) and not stem.isdigit() and "UTC" not in stem:
        return stem  # --filename-pattern {shortcode}
    return None


def map_comments_file(comments: list[Any], source_name: str) -> Iterator[Any]:
    post_id = post_id_for_comments(source_name)
    if post_id is None:
        yield Rejected(
            f"Instaloader comments file {Path(_split_source(source_name)[1] or source_name).name}"
            ": cannot tell which post it belongs to. Import it from the folder Instaloader "
            "wrote, beside its post's metadata file (the same name without `_comments`, "
            "`.json` or `.json.xz`), or download with --filename-pattern {shortcode}",
            {"file": source_name, "comments": len(comments)})
        return
    for comment in comments:
        yield from map_comment(comment, post_id)


def map_comment(comment: Any, post_id: str, parent_id: str | None = None) -> Iterator[Any]:
    if not isinstance(comment, dict) or to_id(comment.get("id")) is None:
        yield Rejected("Instaloader comment without `id`", comment)
        return
    comment_id = to_id(comment["id"])
    owner = comment.get("owner") if isinstance(comment.get("owner"), dict) else {}
    answers = comment.get("answers")
    yield Comment(
        platform=PLATFORM,
        comment_id=comment_id,
        post_id=post_id,
        parent_id=parent_id,
        author_id=to_id(owner.get("id")) or to_id(owner.get("pk")),
        author_handle=owner.get("username") or None,
        created_at=to_utc(comment.get("created_at")),
        text=comment.get("text"),
        likes=to_int(comment.get("likes_count")),
        reply_count=len(answers) if isinstance(answers, list) else None,
    )
    for answer in answers or []:
        yield from map_comment(answer, post_id, parent_id=comment_id)


register(Format(
    name="instaloader",
    description="Instaloader metadata (.json / .json.xz: posts, profiles, stories) and "
                "*_comments.json files",
    file_kinds=".json (indented) or .json.xz (compact), *_comments.json",
    reader="auto",
    sniff=sniff,
    map=map_record,
    platform=PLATFORM,
    priority=10,
))
