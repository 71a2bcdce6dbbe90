"""Zeeschuimer NDJSON captures of TikTok: posts, and comment items when present.

Each line is `{nav_index, item_id, timestamp_collected (ms), source_platform, ..., data}`.
`data` is a TikTok web item (a video) or, when Zeeschuimer captured a comment list, a comment
(`cid` + `aweme_id`). Known variants handled: `author` as an object or a plain string,
hashtags in `textExtra[]` or `challenges[]`, counts as strings, `stats` or `statsV2`,
nested `reply_comment[]`, and 4CAT's re-export of a capture (`{**data, "__import_meta": {...}}`).
Not handled: TikTok LIVE items and photo-mode slideshow music (kept
in the raw record only).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb

from ..records import Account, Comment, Post
from ..values import dig, epoch_to_utc, hashtags_in, to_float, to_id, to_int, unique
from . import register
from .base import Format, MapContext, Probe, Rejected

PLATFORM = "tiktok"


def sniff(probe: Probe) -> bool:
    first = probe.first
    if probe.kind != "ndjson" or not isinstance(first, dict):
        return False
    meta = first if "data" in first else first.get("__import_meta")  # 4CAT's re-export
    return isinstance(meta, dict) and str(meta.get("source_platform", "")).startswith("tiktok")


def map_item(item: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    if "data" not in item and isinstance(item.get("__import_meta"), dict):
        # 4CAT re-exports a capture as {**data, "__import_meta": {envelope}}
        item = {**item["__import_meta"],
                "data": {k: v for k, v in item.items() if k != "__import_meta"}}
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


# JSON paths read by the vectorised path, parsed once per line by DuckDB (json_extract with a
# list of paths is about twice as fast as json_transform on these large items).
_PATHS = {
    "collected": "$.timestamp_collected", "id": "$.data.id", "cid": "$.data.cid",
    "desc": "$.data.desc", "created": "$.data.createTime",
    "author_id": "$.data.author.id", "handle": "$.data.author.uniqueId",
    "nickname": "$.data.author.nickname", "followers": "$.data.authorStats.followerCount",
    "views": "$.data.stats.playCount", "likes": "$.data.stats.diggCount",
    "comments": "$.data.stats.commentCount", "shares": "$.data.stats.shareCount",
    "saves": "$.data.stats.collectCount", "duration": "$.data.video.duration",
    "text_extra": "$.data.textExtra", "challenges": "$.data.challenges", "is_ad": "$.data.isAd",
    "lang": "$.data.textLanguage", "music_id": "$.data.music.id",
    "image_post": "$.data.imagePost", "live_room": "$.data.liveRoomInfo",
    "is_live": "$.data.isLive",
}
_INTEGERS = ("collected", "created", "followers", "views", "likes", "comments", "shares", "saves")


def _text(name: str) -> str:
    return f"v[{list(_PATHS).index(name) + 1}]"


def _years(name: str) -> str:
    value = f"TRY_CAST({_text(name)} AS HUGEINT)"
    return (f"({_text(name)} IS NULL OR {value} BETWEEN 631152000 AND 4133980799 "
            f"OR {value} BETWEEN 631152000000 AND 4133980799000)")


def _fast_insert() -> str:
    """INSERT of the video items from `zt_parsed` (line_no, v = the _PATHS strings) that map
    without surprises; every other line is left for `map_item`."""
    # Numbers must be plain digits (one regex call over all fields: a per-field call costs more
    # than the match); a missing count passes as "0", a missing id fails as "" (so does a
    # string `author`, which has no id: the Python mapper reads it as the handle). A "|" inside
    # a value adds a separator the pattern has no room for, so such a line is left for Python.
    numbers = [f"coalesce({_text(n)}, '0')" for n in (*_INTEGERS, "music_id")]
    numbers += [f"coalesce({_text(n)}, '')" for n in ("id", "author_id")]
    numbers.append(f"coalesce({_text('duration')}, '0')")
    # counts and times at most 18 digits (a count beyond 64 bits is the Python mapper's to
    # reject); ids (music, post, author) any length; the duration may have decimals
    number_pattern = ("[|]".join(["[0-9]{1,18}"] * len(_INTEGERS) + ["[0-9]+"] * 3)
                      + "[|][0-9]+([.][0-9]+)?")
    flags_unset = " AND ".join(
        f"coalesce({_text(n)}, 'false') = 'false'"
        for n in ("image_post", "live_room", "is_live"))
    tags = f"""list_transform(
        list_filter(coalesce(json_extract_string({_text("text_extra")}, '$[*].hashtagName'), []),
                    lambda t: coalesce(t, '') <> '')
        || list_filter(coalesce(json_extract_string({_text("challenges")}, '$[*].title'), []),
                       lambda t: coalesce(t, '') <> ''),
        lambda t: lower(t))"""
    mentions = f"""list_transform(
        list_filter(coalesce(json_extract_string({_text("text_extra")}, '$[*].userUniqueId'),
                             []), lambda m: coalesce(m, '') <> ''),
        lambda m: lower(m))"""
    epoch = ("CASE WHEN {c} IS NULL THEN NULL WHEN {c} > 100000000000 "
             "THEN make_timestamp(({c} * 1000)::BIGINT) "
             "ELSE make_timestamp(({c} * 1000000)::BIGINT) END")
    return f"""
        INSERT INTO stage_posts (line_no, platform, post_id, account_id, author_handle,
            author_name, created_at, text, media_type, duration_s, url, hashtags, mentions,
            is_ad, lang, music_id, observed_at, views, likes, comments, shares, saves,
            followers)
        SELECT line_no, 'tiktok', post_id, author_id, handle, nickname,
            {epoch.format(c="created")}, body, 'video', duration,
            CASE WHEN handle IS NOT NULL AND handle <> ''
                 THEN 'https://www.tiktok.com/@' || handle || '/video/' || post_id END,
            list_filter(tags, lambda t, i: list_position(tags, t) = i),
            list_filter(mention_list, lambda m, i: list_position(mention_list, m) = i),
            CASE is_ad WHEN 'true' THEN true WHEN 'false' THEN false END,
            lang, music_id, {epoch.format(c="collected")}, views, likes, comments, shares,
            saves, followers
        FROM (
            SELECT line_no, {_text("id")} AS post_id, {_text("author_id")} AS author_id,
                {_text("handle")} AS handle, {_text("nickname")} AS nickname,
                {_text("desc")} AS body,
                {_text("collected")}::HUGEINT AS collected, {_text("created")}::HUGEINT AS created,
                {_text("followers")}::BIGINT AS followers, {_text("views")}::BIGINT AS views,
                {_text("likes")}::BIGINT AS likes, {_text("comments")}::BIGINT AS comments,
                {_text("shares")}::BIGINT AS shares, {_text("saves")}::BIGINT AS saves,
                {_text("duration")}::DOUBLE AS duration, {_text("is_ad")} AS is_ad,
                nullif({_text("lang")}, '') AS lang, {_text("music_id")} AS music_id,
                {tags} AS tags, {mentions} AS mention_list
            FROM zt_parsed
            WHERE v IS NOT NULL AND {_text("cid")} IS NULL
              AND regexp_full_match(concat_ws('|', {", ".join(numbers)}), '{number_pattern}')
              AND coalesce({_text("is_ad")}, 'false') IN ('true', 'false')
              -- times in 1990-2100 (seconds or milliseconds); any other is rejected in Python
              AND {_years("created")} AND {_years("collected")}
              AND {flags_unset}
              -- captions without tag entities need the Python regex (a look-behind RE2
              -- lacks); written so that the tag lists are built only for captions with a "#"
              AND (NOT contains(coalesce({_text("desc")}, ''), '#') OR len({tags}) > 0)
        )
    """


_FAST_INSERT = _fast_insert()


def sql_batch(con, lines_table: str) -> list[int]:
    """The common case (a video item with plain integer counts) mapped inside DuckDB.

    Anything unusual (comments, string authors, "1.2K" counts, photo or live posts, captions
    whose hashtags must be found by regex, invalid JSON) is left for `map_item`, so both paths
    give the same rows; tests/formats/test_zeeschuimer_tiktok.py checks that they do.
    Each line is parsed once into a temp table (a barrier: the optimizer would otherwise copy
    the parse into every filter that reads it); one INSERT then appends the posts, with the
    author's handle and name, from which the accounts are merged.
    """
    paths = "[" + ", ".join(f"'{p}'" for p in _PATHS.values()) + "]"
    parse = "CREATE OR REPLACE TEMP TABLE zt_parsed AS SELECT line_no, {} AS v FROM {}"
    try:  # only a batch holding invalid JSON pays for validation
        con.execute(parse.format(f"json_extract_string(line, {paths})", lines_table))
    except duckdb.InvalidInputException:
        con.execute(parse.format(
            f"CASE WHEN json_valid(line) THEN json_extract_string(line, {paths}) END",
            lines_table))
    try:
        taken = con.execute(_FAST_INSERT).fetchone()[0]
        lines, first = con.execute("SELECT count(*), min(line_no) FROM zt_parsed").fetchone()
        if taken == lines:
            return []
        # Line numbers grow through a file: this batch's posts are those from `first` on.
        left = con.execute(f"""
            SELECT line_no FROM zt_parsed
            WHERE line_no NOT IN (SELECT line_no FROM stage_posts WHERE line_no >= {first})
            ORDER BY line_no
        """).fetchall()
        return [row[0] for row in left]
    finally:
        con.execute("DROP TABLE IF EXISTS zt_parsed")


register(Format(
    name="zeeschuimer-tiktok",
    description="Zeeschuimer capture of TikTok (videos, and comments when captured)",
    file_kinds="NDJSON (.ndjson, .jsonl), optionally .gz/.xz/.zip",
    reader="ndjson",
    sniff=sniff,
    map=map_item,
    platform=PLATFORM,
    priority=10,
    sql_batch=sql_batch,
))
