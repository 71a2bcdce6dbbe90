"""Zeeschuimer NDJSON captures of X/Twitter (the web app's GraphQL responses).

Each line is `{nav_index, item_id, timestamp_collected (ms), source_platform ("twitter.com",
"x.com", or a comments module), ..., data}` with `data` one tweet. Variants handled:

- the `Tweet` object: `rest_id`, `legacy.{created_at, full_text, entities, extended_entities,
  favorite_count, reply_count, retweet_count, quote_count, bookmark_count, lang,
  in_reply_to_status_id_str, conversation_id_str, user_id_str}`, `views.count` (a string);
- `TweetWithVisibilityResults`, whose tweet sits one level down in `tweet`;
- the author in `core.user_results.result` with the handle in `legacy.screen_name` (2023) or
  `core.screen_name` (2025); an empty `user_results` (the handle is then read from the media
  URL `x.com/{handle}/status/...`, else None; the id still comes from `legacy.user_id_str`);
- long tweets: the full text is `note_tweet.note_tweet_results.result.text`;
- the older "adaptive" search layout (`type: "adaptive"`, `legacy` + `user`);
- items of Zeeschuimer's X comments module (`source_platform` "twitter-comments": the tweet plus
  a rewritten `user`), and 4CAT's re-export of a capture (`{**data, "__import_meta": {...}}`).
Ids are taken from `rest_id` / `legacy.id_str`, never from `data.id`: Zeeschuimer builds that one
with JavaScript's parseInt, which loses the last digits of a 64-bit id.

Retweets: the retweet is a post of the retweeter, text "RT @{handle}: {full text}" (the
retweet's own `full_text` is truncated, so the retweeted status' full text is used), hashtags
and media of the original, and no counts (X reports the original's counts on a retweet). The
retweeted and the quoted tweet are stored as posts of their own authors, with their counts.

Replies: a reply is a post of its author (it is their tweet) and also a comment, so audience
response and responsiveness work on X as on the other platforms. The comment's post_id is the
thread root (`conversation_id_str`), the post people are answering; parent_id is
`in_reply_to_status_id_str` when the reply answers another reply, and None when it answers the
root itself (as a top-level TikTok comment). A candidate answering under their own tweet thus
gets by_post_author true. Promoted tweets (Zeeschuimer's `promoted`) get is_ad true.
X's language code "in" is stored as "id"; "und", "zxx" and the q* pseudo-codes as None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..records import Account, Comment, Post
from ..values import dig, epoch_to_utc, to_id, to_int, to_utc, unique
from . import register
from .base import Format, MapContext, Probe, Rejected, unpack_zeeschuimer

PLATFORM = "x"
_HANDLE_IN_URL = re.compile(r"(?:twitter|x)\.com/([A-Za-z0-9_]{1,15})/status/", re.I)
_NO_LANGUAGE = {"und", "zxx", "art", "qme", "qam", "qct", "qht", "qst"}
_LANGUAGE = {"in": "id"}


def sniff(probe: Probe) -> bool:
    if probe.kind != "ndjson" or not isinstance(probe.first, dict):
        return False
    data, meta = unpack_zeeschuimer(probe.first)
    platform = str(meta.get("source_platform", "")).lower()
    return data is not None and (platform.startswith(("twitter", "x.com"))
                                 or platform in ("x", "x-comments"))


def map_item(item: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    data, meta = unpack_zeeschuimer(item)
    if data is None:
        yield Rejected("Zeeschuimer item has no `data` object", item)
        return
    yield from map_tweet(data, epoch_to_utc(meta.get("timestamp_collected")))


def map_tweet(tweet: dict[str, Any], observed: datetime | None, *,
              embedded: bool = False) -> Iterator[Any]:
    promoted = tweet.get("promoted")
    tweet = _unwrap(tweet)
    legacy = tweet.get("legacy") if isinstance(tweet, dict) else None
    if not isinstance(legacy, dict):
        if not embedded:
            kind = tweet.get("__typename") if isinstance(tweet, dict) else None
            yield Rejected(f"X item is not a readable tweet ({kind or 'no `legacy`'})", tweet)
        return
    tweet_id = to_id(tweet.get("rest_id") or legacy.get("id_str"))
    if tweet_id is None:
        yield Rejected("tweet has no `rest_id` or `legacy.id_str`", tweet)
        return
    user_id, handle, display, followers = _author(tweet)
    account_id = to_id(legacy.get("user_id_str")) or user_id
    handle = handle or _handle_from_media(legacy)

    retweet = _unwrap(dig(legacy, "retweeted_status_result", "result")
                      or dig(tweet, "retweeted_status_result", "result"))
    if not isinstance(retweet, dict) or not isinstance(retweet.get("legacy"), dict):
        retweet = None
    quoted = _unwrap(dig(tweet, "quoted_status_result", "result"))

    source = retweet if retweet else tweet  # whose text, entities and media describe the post
    source_legacy = source["legacy"]
    text = _full_text(source)
    hashtags = _hashtags(source)
    mentions = [m.get("screen_name") for m in dig(source_legacy, "entities", "user_mentions",
                                                  default=[]) if isinstance(m, dict)]
    is_retweet = retweet is not None or bool(legacy.get("retweeted_status_id_str")) or bool(
        legacy.get("retweeted_status_result"))  # an original that is gone is still a retweet
    if retweet:
        original_handle = _author(retweet)[1] or _handle_from_media(retweet["legacy"])
        text = f"RT @{original_handle}: {text}" if original_handle else f"RT: {text}"
        if original_handle:
            mentions.insert(0, original_handle)
    media = _media(source_legacy)
    counts = not is_retweet
    views = to_int(_first(dig(tweet, "views", "count"), dig(tweet, "ext_views", "count")))

    if account_id is not None:
        yield Account(PLATFORM, account_id, handle, display, followers, observed)
    yield Post(
        platform=PLATFORM,
        post_id=tweet_id,
        account_id=account_id,
        created_at=to_utc(legacy.get("created_at")),
        text=text,
        media_type=_media_type(media, source_legacy),
        duration_s=_duration(media),
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        hashtags=unique([h.lower() for h in hashtags if h]),
        mentions=unique([m.lower() for m in mentions if m]),
        is_ad=bool(promoted) if promoted is not None and not embedded else None,
        lang=_language(legacy.get("lang")),
        observed_at=observed,
        views=views if counts else None,
        likes=to_int(legacy.get("favorite_count")) if counts else None,
        comments=to_int(legacy.get("reply_count")) if counts else None,
        shares=to_int(legacy.get("retweet_count")) if counts else None,
        saves=to_int(legacy.get("bookmark_count")) if counts else None,
        followers=followers,
    )
    reply_to = to_id(legacy.get("in_reply_to_status_id_str"))
    if reply_to:
        root = to_id(legacy.get("conversation_id_str")) or reply_to
        yield Comment(
            platform=PLATFORM,
            comment_id=tweet_id,
            post_id=root,
            parent_id=None if reply_to == root else reply_to,
            author_id=account_id,
            author_handle=handle,
            created_at=to_utc(legacy.get("created_at")),
            text=text,
            likes=to_int(legacy.get("favorite_count")),
            reply_count=to_int(legacy.get("reply_count")),
        )
    if retweet:
        yield from map_tweet(retweet, observed, embedded=True)
    if isinstance(quoted, dict):
        yield from map_tweet(quoted, observed, embedded=True)


def _unwrap(tweet: Any) -> Any:
    """TweetWithVisibilityResults (and similar) keep the tweet one level down in `tweet`."""
    while isinstance(tweet, dict) and "legacy" not in tweet and isinstance(tweet.get("tweet"),
                                                                           dict):
        tweet = tweet["tweet"]
    return tweet


def _author(tweet: dict[str, Any]) -> tuple[str | None, str | None, str | None, int | None]:
    """(user id, handle, display name, followers) from whichever layout the tweet uses."""
    user = dig(tweet, "core", "user_results", "result")
    if isinstance(user, dict) and user.get("__typename") != "UserUnavailable":
        user_legacy = user.get("legacy") if isinstance(user.get("legacy"), dict) else {}
        core = user.get("core") if isinstance(user.get("core"), dict) else {}
        return (
            to_id(user.get("rest_id")),
            core.get("screen_name") or user_legacy.get("screen_name") or None,
            core.get("name") or user_legacy.get("name") or None,
            to_int(_first(user_legacy.get("followers_count"),
                          dig(user, "relationship_counts", "followers"))),
        )
    flat = tweet.get("user")  # adaptive layout, or the comments module's rewritten user
    if isinstance(flat, dict):
        return (to_id(flat.get("id_str") or flat.get("id")),
                flat.get("screen_name") or flat.get("unique_id") or None,
                flat.get("name") or flat.get("nickname") or None,
                to_int(_first(flat.get("followers_count"), flat.get("follower_count"))))
    return None, None, None, None


def _handle_from_media(legacy: dict[str, Any]) -> str | None:
    for key in ("extended_entities", "entities"):
        for item in dig(legacy, key, "media", default=[]):
            if isinstance(item, dict):
                m = _HANDLE_IN_URL.search(str(item.get("expanded_url") or ""))
                if m:
                    return m.group(1)
    return None


def _full_text(tweet: dict[str, Any]) -> str | None:
    note = dig(tweet, "note_tweet", "note_tweet_results", "result", "text")
    if note:
        return note
    legacy = tweet["legacy"]
    return legacy.get("full_text") or legacy.get("text")


def _hashtags(tweet: dict[str, Any]) -> list[str]:
    note_tags = dig(tweet, "note_tweet", "note_tweet_results", "result", "entity_set",
                    "hashtags", default=[])
    tags = note_tags or dig(tweet, "legacy", "entities", "hashtags", default=[])
    return [t.get("text") for t in tags if isinstance(t, dict)]


def _media(legacy: dict[str, Any]) -> list[dict[str, Any]]:
    media = dig(legacy, "extended_entities", "media") or dig(legacy, "entities", "media")
    return [m for m in media or [] if isinstance(m, dict)]


def _media_type(media: list[dict[str, Any]], legacy: dict[str, Any]) -> str:
    if len(media) > 1:
        return "carousel"
    if media:
        return "image" if media[0].get("type") == "photo" else "video"
    if dig(legacy, "entities", "urls"):
        return "link"
    return "text"


def _duration(media: list[dict[str, Any]]) -> float | None:
    for item in media:
        millis = dig(item, "video_info", "duration_millis")
        if millis is not None:
            return float(millis) / 1000.0
    return None


def _language(code: Any) -> str | None:
    if not code or code in _NO_LANGUAGE:
        return None
    return _LANGUAGE.get(code, code)


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


register(Format(
    name="zeeschuimer-x",
    description="Zeeschuimer capture of X/Twitter (tweets, replies, quotes, retweets)",
    file_kinds="NDJSON (.ndjson, .jsonl), optionally .gz/.xz/.zip",
    reader="ndjson",
    sniff=sniff,
    map=map_item,
    platform=PLATFORM,
    priority=10,
))
