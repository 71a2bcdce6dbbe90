"""X API v2 tweets as CSV, written by twarc-csv (`twarc2 csv`), with its default columns.

Columns are dotted paths of the flattened tweet (`public_metrics.like_count`,
`author.username`, `referenced_tweets.replied_to.id`, `__twarc.retrieved_at`, ...). List cells
are JSON-encoded; hashtags are written `#tag`, mentions `@user`, URLs as the expanded URL;
newlines in text are written as the two characters `\\n`. Each row is rebuilt into a v2 tweet
and mapped by the twarc2 module, so both give the same rows for the same tweet.

twarc-csv merges retweets by default: a retweet's row carries the *original* tweet's text,
entities, media and counts. Such a row gives two posts: the retweet (by the row's author, no
counts) and the original (`referenced_tweets.retweeted.id` by `retweeted_user_id`, with the
counts). A row whose text still starts with "RT @" (`--no-merge-retweets`) is the retweet only.
A users CSV (`twarc2 csv --input-data-type users`) gives accounts.
Not handled: `--json-encode-all` / `--json-encode-text` output, counts and compliance CSVs; ids
mangled by a spreadsheet program ("1.38E+18") are rejected, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from ..values import is_missing, to_utc
from . import register
from .base import Format, MapContext, Probe
from .twarc2 import PLATFORM, _account, _Context, map_tweet

# twarc-csv's DEFAULT_TWEET_COLUMNS (dataframe_converter.py): the ones this mapper reads.
TWEET_COLUMNS = (
    "id", "conversation_id", "referenced_tweets.replied_to.id", "referenced_tweets.retweeted.id",
    "referenced_tweets.quoted.id", "author_id", "in_reply_to_user_id", "in_reply_to_username",
    "retweeted_user_id", "retweeted_username", "quoted_user_id", "quoted_username", "created_at",
    "text", "lang", "public_metrics.impression_count", "public_metrics.reply_count",
    "public_metrics.retweet_count", "public_metrics.quote_count", "public_metrics.like_count",
    "public_metrics.bookmark_count", "entities.hashtags", "entities.mentions", "entities.urls",
    "attachments.media", "attachments.media_keys", "author.id", "author.username", "author.name",
    "author.public_metrics.followers_count", "__twarc.retrieved_at",
)
_DISTINCTIVE = ("conversation_id", "referenced_tweets.replied_to.id",
                "referenced_tweets.retweeted.id", "public_metrics.retweet_count",
                "author.username", "__twarc.retrieved_at", "in_reply_to_user_id",
                "entities.hashtags", "edit_history_tweet_ids")
_ID_RE = re.compile(r"\d+")


def sniff(probe: Probe) -> bool:
    if probe.kind != "csv":
        return False
    cols = set(probe.columns)
    if {"id", "text"} <= cols and cols & {"author_id", "author.id"}:
        return sum(c in cols for c in _DISTINCTIVE) >= 3
    return ({"id", "username", "public_metrics.followers_count"} <= cols and "text" not in cols
            and bool(cols & {"__twarc.retrieved_at", "pinned_tweet_id"}))


def _cell(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if is_missing(value):
        return None
    return str(value).strip()


def _id(row: dict[str, Any], key: str) -> str | None:
    value = _cell(row, key)
    if value is None:
        return None
    if value.endswith(".0") and _ID_RE.fullmatch(value[:-2]) and len(value) < 17:
        value = value[:-2]  # a small id written by pandas as a float, still exact
    if not _ID_RE.fullmatch(value):
        raise ValueError(f"{key} {value!r} is not an X id: it lost its digits (the CSV went "
                         "through a spreadsheet program?); export it again with twarc-csv")
    return value


def _json_list(value: str | None, pattern: re.Pattern[str] | None = None) -> list[Any]:
    if value is None:
        return []
    try:
        parsed = orjson.loads(value)
    except orjson.JSONDecodeError:
        return pattern.findall(value) if pattern else []
    if isinstance(parsed, list):
        return parsed
    return [parsed] if parsed is not None else []


def _entity_values(items: list[Any], key: str, sigil: str) -> list[str]:
    """`#tag` / `@user` strings (twarc-csv) or entity objects (early twarc-csv)."""
    values = []
    for item in items:
        value = item.get(key) if isinstance(item, dict) else item
        if isinstance(value, str) and value.strip():
            values.append(value.strip()[len(sigil):] if sigil and value.strip().startswith(
                sigil) else value.strip())
    return values


_TAG_RE = re.compile(r"#(\w+)")
_MENTION_RE = re.compile(r"@(\w+)")


def _text(value: str | None) -> str | None:
    return value.replace("\\n", "\n") if value is not None else None


def rebuild_tweets(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The row as an X API v2 tweet, and the retweeted original when the row was merged."""
    tweet_id = _id(row, "id")
    if tweet_id is None:
        raise KeyError("id")
    author_id = _id(row, "author_id") or _id(row, "author.id")
    text = _text(_cell(row, "text"))
    metrics = {name: _cell(row, f"public_metrics.{name}") for name in (
        "impression_count", "reply_count", "retweet_count", "quote_count", "like_count",
        "bookmark_count")}
    entities = {
        "hashtags": [{"tag": t} for t in _entity_values(
            _json_list(_cell(row, "entities.hashtags"), _TAG_RE), "tag", "#")],
        "mentions": [{"username": m} for m in _entity_values(
            _json_list(_cell(row, "entities.mentions"), _MENTION_RE), "username", "@")],
        "urls": [{"expanded_url": u} for u in _entity_values(
            _json_list(_cell(row, "entities.urls")), "expanded_url", "")],
    }
    attachments = {
        "media": [m for m in _json_list(_cell(row, "attachments.media")) if isinstance(m, dict)],
        "media_keys": [k for k in _json_list(_cell(row, "attachments.media_keys"))
                       if isinstance(k, str)],
    }
    refs = [{"type": kind, "id": ref_id} for kind in ("replied_to", "retweeted", "quoted")
            if (ref_id := _id(row, f"referenced_tweets.{kind}.id"))]
    if not refs:  # early twarc-csv: one JSON column [{"type": ..., "id": ...}]
        refs = [{"type": r["type"], "id": _id(r, "id")}
                for r in _json_list(_cell(row, "referenced_tweets"))
                if isinstance(r, dict) and r.get("type") and r.get("id")]
    tweet: dict[str, Any] = {
        "id": tweet_id,
        "conversation_id": _id(row, "conversation_id"),
        "author_id": author_id,
        "author": {
            "id": author_id,
            "username": _cell(row, "author.username"),
            "name": _cell(row, "author.name"),
            "public_metrics": {
                "followers_count": _cell(row, "author.public_metrics.followers_count")},
        },
        "in_reply_to_user_id": _id(row, "in_reply_to_user_id"),
        "created_at": _cell(row, "created_at"),
        "text": text,
        "lang": _cell(row, "lang"),
        "public_metrics": metrics,
        "entities": entities,
        "attachments": attachments,
        "referenced_tweets": refs,
    }
    retweeted_id = next((r["id"] for r in refs if r["type"] == "retweeted"), None)
    if retweeted_id is None or (text or "").startswith("RT @"):
        return tweet, None
    # A merged retweet: text, entities, media and counts are the original's.
    original_author = _id(row, "retweeted_user_id")
    original_handle = _cell(row, "retweeted_username")
    original = {
        "id": retweeted_id,
        "author_id": original_author,
        "author": {"id": original_author, "username": original_handle},
        "text": text,
        "lang": tweet["lang"],
        "public_metrics": metrics,
        "entities": entities,
        "attachments": attachments,
    }
    retweet_mentions = [{"username": original_handle}] if original_handle else []
    tweet.update(
        text=f"RT @{original_handle}: {text}" if original_handle and text else text,
        public_metrics={},
        entities={**entities, "mentions": retweet_mentions + entities["mentions"]},
        attachments={},
    )
    return tweet, original


def map_row(row: dict[str, Any], ctx: MapContext) -> Iterator[Any]:
    observed = to_utc(_cell(row, "__twarc.retrieved_at"))
    if "text" not in row and "username" in row:  # a users CSV
        yield _account({
            "id": _id(row, "id"), "username": _cell(row, "username"),
            "name": _cell(row, "name"),
            "public_metrics": {"followers_count": _cell(row, "public_metrics.followers_count")},
        }, observed)
        return
    tweet, original = rebuild_tweets(row)
    context = _Context(observed)
    context.add_user(tweet["author"])
    for prefix in ("in_reply_to", "retweeted", "quoted"):
        user_id = _id(row, f"{prefix}_user_id")
        if user_id:
            context.add_user({"id": user_id, "username": _cell(row, f"{prefix}_username")})
    if original is not None:
        context.add_tweet(original)
        yield from map_tweet(original, context)
    yield from map_tweet(tweet, context)
    for user in context.users.values():
        yield _account(user, observed)


register(Format(
    name="twarc-csv",
    description="X API v2 tweets (or users) as CSV from twarc-csv (`twarc2 csv`)",
    file_kinds="CSV with twarc-csv's dotted column names",
    reader="csv",
    sniff=sniff,
    map=map_row,
    platform=PLATFORM,
    priority=10,
))
