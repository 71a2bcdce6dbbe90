"""X (Twitter) API v2 as written by twarc2: raw response pages and `twarc2 flatten` lines.

A page line is `{data[], includes.{users,tweets,media,places,polls}, meta, errors,
__twarc.{url,version,retrieved_at}}`; streaming lines carry `data` as one object plus
`matching_rules`. A flattened line is one tweet with `author`, `in_reply_to_user`,
`attachments.media[]`, `entities.mentions[]` (user objects) and full `referenced_tweets[]`
inlined, and its page's `__twarc`. `__twarc.retrieved_at` is the capture time.

Mapping decisions:
- every tweet in `data` and every full tweet in `includes.tweets` (or inlined in
  `referenced_tweets`) becomes a Post, except earlier versions of an edited tweet (expanded
  through `edit_history_tweet_ids`); authors and all `includes.users` become Accounts;
- a reply (`referenced_tweets[type=replied_to]`) is also a Comment so threads survive:
  `post_id` = the conversation root (`conversation_id`), `parent_id` = the replied-to tweet
  unless that is the root itself; `by_post_author` is decided by the store (the root's author);
- a retweet is a Post of the retweeter without counts: v2 gives a retweet the original's
  retweet count and zero likes, which are not the retweet's own;
- views = `public_metrics.impression_count`, else the largest media `view_count`;
  shares = `retweet_count` (quotes are posts of their own); saves = `bookmark_count`;
- long posts: `note_tweet.text` (the full text) is preferred over the truncated `text`.
Not handled: polls and places (kept in the raw file only), `twarc2 counts` and compliance
output (refused at sniffing), the v1.1 output of twarc 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..records import Account, Comment, Post
from ..values import dig, to_float, to_id, to_int, to_utc, unique
from . import register
from .base import Format, MapContext, Probe, Rejected

PLATFORM = "x"

# Fields only an X API v2 tweet has (a bare {id, text} could be many things).
_TWEET_MARKERS = ("author_id", "conversation_id", "edit_history_tweet_ids", "referenced_tweets",
                  "in_reply_to_user_id", "reply_settings")
_UNDETERMINED_LANGS = {"und", "zxx", "qme", "qam", "qct", "qht", "qst"}
_RETIRED_LANGS = {"in": "id", "iw": "he", "ji": "yi"}
_X_HOSTS = {"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com",
            "pic.twitter.com", "pic.x.com"}


# -- sniffing ---------------------------------------------------------------------------------

def looks_like_tweet(obj: Any) -> bool:
    if not isinstance(obj, dict) or "id" not in obj or "text" not in obj:
        return False
    if "rest_id" in obj or "legacy" in obj or "source_platform" in obj:  # GraphQL / Zeeschuimer
        return False
    return any(k in obj for k in _TWEET_MARKERS) or isinstance(
        dig(obj, "public_metrics", "retweet_count"), int)


def looks_like_user(obj: Any) -> bool:
    return (isinstance(obj, dict) and "id" in obj and "username" in obj and "text" not in obj
            and ("public_metrics" in obj or "name" in obj))


def is_v2_object(obj: Any) -> bool:
    """A twarc2 page, a stream line, a flattened tweet, or a users page."""
    if not isinstance(obj, dict) or "source_platform" in obj:
        return False
    if "data" in obj:
        data = obj["data"]
        items = [i for i in (data if isinstance(data, list) else [data]) if isinstance(i, dict)]
        if not items:
            return "__twarc" in obj and isinstance(data, list)
        if looks_like_tweet(items[0]):
            return True
        if looks_like_user(items[0]):
            return "__twarc" in obj or "includes" in obj or "meta" in obj
        return False
    if "__twarc" in obj and "meta" in obj and "result_count" in obj["meta"]:
        return True  # an empty result page
    return looks_like_tweet(obj) and ("__twarc" in obj or isinstance(obj.get("author"), dict)
                                      or any(k in obj for k in _TWEET_MARKERS))


def _head_looks_like_v2(head: bytes) -> bool:
    """Pages too long to parse in the sniff window (one 100-tweet page is often > 256 KB)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:16].replace(b" ", b"")
    return (start.startswith((b'{"data":[{', b'{"data":{'))
            and (b'"edit_history_tweet_ids"' in head or b'"author_id"' in head
                 or b'"conversation_id"' in head)
            and b'"rest_id"' not in head)


def sniff(probe: Probe) -> bool:
    if probe.kind not in ("ndjson", "json"):
        return False
    if probe.first is None:
        return probe.kind == "json" and _head_looks_like_v2(probe.head)
    first = probe.first
    if isinstance(first, list):  # a document holding a list of tweets
        return bool(first) and looks_like_tweet(first[0])
    return is_v2_object(first)


# -- mapping ----------------------------------------------------------------------------------

class _Context:
    """What one page (or one flattened line) knows beside each tweet."""

    def __init__(self, observed) -> None:
        self.observed = observed
        self.users: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.tweets: dict[str, dict] = {}

    def add_user(self, user: Any) -> None:
        if isinstance(user, dict) and to_id(user.get("id")):
            known = self.users.setdefault(str(user["id"]), {})
            known.update({k: v for k, v in user.items() if v is not None})

    def add_tweet(self, tweet: Any) -> None:
        if isinstance(tweet, dict) and to_id(tweet.get("id")):
            self.tweets.setdefault(str(tweet["id"]), tweet)


def map_record(record: Any, ctx: MapContext) -> Iterator[Any]:
    if isinstance(record, list):  # a document holding a list of tweets
        context = _Context(None)
        for item in record:
            if isinstance(item, dict):
                _collect_inlined(item, context)
                yield from map_tweet(item, context)
            else:
                yield Rejected("not an X API v2 tweet", item)
        for user in context.users.values():
            yield _account(user, None)
        return
    if not isinstance(record, dict):
        raise TypeError("an X API v2 record is a JSON object")
    observed = to_utc(dig(record, "__twarc", "retrieved_at"))
    if "data" in record or "includes" in record or "meta" in record or "errors" in record:
        yield from map_page(record, observed)
    elif looks_like_user(record):
        yield from map_user(record, observed)
    else:
        yield from map_flat_tweet(record, observed)


def map_page(page: dict[str, Any], observed) -> Iterator[Any]:
    """A raw API response: tweets in `data`, their expansions in `includes`."""
    context = _Context(observed)
    includes = page.get("includes") if isinstance(page.get("includes"), dict) else {}
    for user in includes.get("users") or []:
        context.add_user(user)
    for media in includes.get("media") or []:
        if isinstance(media, dict) and media.get("media_key"):
            context.media[media["media_key"]] = media
    for tweet in includes.get("tweets") or []:
        context.add_tweet(tweet)
    data = page.get("data")
    items = data if isinstance(data, list) else [data] if data is not None else []
    seen: set[str] = set()
    for item in items:
        if looks_like_user(item):
            yield from map_user(item, observed)
            continue
        if not isinstance(item, dict) or to_id(item.get("id")) is None:
            yield Rejected("X API v2 item without an `id`", item)
            continue
        seen.add(str(item["id"]))
        yield from map_tweet(item, context)
    for tweet_id, tweet in context.tweets.items():
        if tweet_id not in seen and "text" in tweet and not is_superseded_edit(tweet):
            seen.add(tweet_id)
            yield from map_tweet(tweet, context)
    for user in context.users.values():
        yield _account(user, observed)


def map_flat_tweet(tweet: dict[str, Any], observed) -> Iterator[Any]:
    """A `twarc2 flatten` line: expansions are inlined in the tweet itself."""
    context = _Context(observed)
    _collect_inlined(tweet, context)
    yield from map_tweet(tweet, context)
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and "text" in ref and to_id(ref.get("id")) \
                and not is_superseded_edit(ref):
            yield from map_tweet(ref, context)
    for user in context.users.values():
        yield _account(user, observed)


def is_superseded_edit(tweet: dict[str, Any]) -> bool:
    """An earlier version of an edited tweet (expanded via `edit_history_tweet_ids`)."""
    history = tweet.get("edit_history_tweet_ids")
    return (isinstance(history, list) and len(history) > 1
            and to_id(history[-1]) != to_id(tweet.get("id")))


def _collect_inlined(tweet: dict[str, Any], context: _Context) -> None:
    context.add_user(tweet.get("author"))
    context.add_user(tweet.get("in_reply_to_user"))
    for mention in dig(tweet, "entities", "mentions", default=[]):
        if isinstance(mention, dict) and "username" in mention and "id" in mention:
            context.add_user({k: v for k, v in mention.items() if k not in ("start", "end")})
    for media in dig(tweet, "attachments", "media", default=[]):
        if isinstance(media, dict) and media.get("media_key"):
            context.media[media["media_key"]] = media
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref is not tweet:
            context.add_tweet(ref)
            if "text" in ref:
                _collect_inlined(ref, context)


def map_user(user: dict[str, Any], observed) -> Iterator[Any]:
    if to_id(user.get("id")) is None:
        yield Rejected("X user without an `id`", user)
        return
    yield _account(user, observed)


def _account(user: dict[str, Any], observed) -> Account:
    return Account(
        platform=PLATFORM,
        account_id=to_id(user["id"]),
        handle=user.get("username") or None,
        display_name=user.get("name") or None,
        followers=to_int(dig(user, "public_metrics", "followers_count")),
        observed_at=observed,
    )


def _media_of(tweet: dict[str, Any], context: _Context) -> list[dict]:
    inlined = dig(tweet, "attachments", "media")
    if isinstance(inlined, list) and inlined:
        return [m for m in inlined if isinstance(m, dict)]
    keys = dig(tweet, "attachments", "media_keys", default=[])
    return [context.media.get(k) or {"media_key": k} for k in keys if isinstance(k, str)]


def media_type_of(media: list[dict], tweet: dict[str, Any]) -> str:
    """photo -> image, video/animated_gif -> video, several -> carousel, a URL -> link."""
    if len(media) > 1:
        return "carousel"
    if media:
        return "video" if media[0].get("type") in ("video", "animated_gif") else "image"
    for url in dig(tweet, "entities", "urls", default=[]):
        expanded = url.get("expanded_url") if isinstance(url, dict) else None
        if expanded and _host(str(expanded)) not in _X_HOSTS:
            return "link"
    return "text"


def _host(url: str) -> str | None:
    return urlsplit(url if "://" in url else "https://" + url).hostname


def _refs(tweet: dict[str, Any]) -> dict[str, dict]:
    refs: dict[str, dict] = {}
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") and to_id(ref.get("id")):
            refs.setdefault(ref["type"], ref)
    return refs


def map_tweet(tweet: dict[str, Any], context: _Context) -> Iterator[Any]:
    tweet_id = to_id(tweet.get("id"))
    if tweet_id is None:
        yield Rejected("X API v2 tweet without an `id`", tweet)
        return
    author = tweet.get("author") if isinstance(tweet.get("author"), dict) else None
    account_id = to_id(tweet.get("author_id")) or (to_id(author.get("id")) if author else None)
    if author is None and account_id:
        author = context.users.get(account_id)
    handle = (author or {}).get("username") or None
    if author and account_id and account_id not in context.users:
        context.add_user({**author, "id": account_id})
    refs = _refs(tweet)
    retweeted = refs.get("retweeted")
    shape = tweet
    if retweeted is not None:  # a retweet shows the original's media
        shape = context.tweets.get(str(retweeted["id"])) or retweeted
    media = _media_of(shape, context)
    note = tweet.get("note_tweet") if isinstance(tweet.get("note_tweet"), dict) else {}
    text = note.get("text") or tweet.get("text")
    entities = note.get("entities") or tweet.get("entities") or {}
    metrics = tweet.get("public_metrics") if isinstance(tweet.get("public_metrics"), dict) else {}
    views = to_int(metrics.get("impression_count"))
    if views is None:
        media_views = [to_int(dig(m, "public_metrics", "view_count")) for m in media]
        views = max((v for v in media_views if v is not None), default=None)
    durations = [to_float(m.get("duration_ms")) for m in media if m.get("duration_ms") is not None]
    counts: dict[str, int | None] = {
        "views": views,
        "likes": to_int(metrics.get("like_count")),
        "comments": to_int(metrics.get("reply_count")),
        "shares": to_int(metrics.get("retweet_count")),
        "saves": to_int(metrics.get("bookmark_count")),
    }
    if retweeted is not None:
        counts = dict.fromkeys(counts)
    created = to_utc(tweet.get("created_at"))
    yield Post(
        platform=PLATFORM,
        post_id=tweet_id,
        account_id=account_id,
        created_at=created,
        text=text,
        media_type=media_type_of(media, shape),
        duration_s=max(durations) / 1000.0 if durations else None,
        url=f"https://x.com/{handle}/status/{tweet_id}" if handle
        else f"https://x.com/i/web/status/{tweet_id}",
        hashtags=unique([str(h.get("tag", "")).lower() for h in entities.get("hashtags") or []
                         if isinstance(h, dict)]),
        mentions=unique([str(m.get("username", "")).lower()
                         for m in entities.get("mentions") or [] if isinstance(m, dict)]),
        lang=_lang(tweet.get("lang")),
        observed_at=context.observed,
        followers=to_int(dig(author or {}, "public_metrics", "followers_count")),
        **counts,
    )
    replied = refs.get("replied_to")
    if replied is not None:
        # Like the Zeeschuimer X mapper: a reply is a comment under the thread's root post
        # (conversation_id), its parent the tweet it answers unless that is the root, so a
        # candidate answering anywhere in their own thread counts as by_post_author.
        replied_id = to_id(replied["id"])
        root = to_id(tweet.get("conversation_id")) or replied_id
        yield Comment(
            platform=PLATFORM,
            comment_id=tweet_id,
            post_id=root,
            parent_id=replied_id if replied_id != root else None,
            author_id=account_id,
            author_handle=handle,
            created_at=created,
            text=text,
            likes=counts["likes"],
            reply_count=counts["comments"],
            by_post_author=None,  # decided in the store against the root post's account
            observed_at=context.observed,
        )


def _lang(code: Any) -> str | None:
    """X's language code; X still writes Indonesian as the retired ISO code "in"."""
    if not isinstance(code, str) or not code or code in _UNDETERMINED_LANGS:
        return None
    return _RETIRED_LANGS.get(code, code)


register(Format(
    name="twarc2",
    description="X API v2 as written by twarc2: response pages or `twarc2 flatten` lines",
    file_kinds="NDJSON (.jsonl) of pages or flattened tweets; a single page as .json",
    reader="auto",
    sniff=sniff,
    map=map_record,
    platform=PLATFORM,
    priority=10,
))
