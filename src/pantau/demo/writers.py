"""Writing the demo corpus as the export files real tools produce (FORMATS.md).

- TikTok, Instagram, X: Zeeschuimer NDJSON (`{id, nav_index, item_id, timestamp_collected,
  source_platform, source_platform_url, source_url, user_agent, data}` per line), with the raw
  platform objects in `data`: TikTok web items and comment-list items, Instagram's item-list
  media, X GraphQL tweet results.
- Facebook: a CrowdTangle CSV with the full 41-column header, `Post Created` in US Eastern time
  with its EST/EDT abbreviation.

Each file's modification time is set to its capture time, so a format without a capture time of
its own (CrowdTangle) still gets a stable one, and bytes depend on the seed only.
"""

from __future__ import annotations

import base64
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from . import scenario as sc
from .corpus import Corpus, DemoAccount, DemoComment, DemoPost, Person

USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
CROWDTANGLE_COLUMNS = (
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Post Created Time", "Type", "Total Interactions",
    "Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care",
    "Video Share Status", "Is Video Owner?", "Post Views", "Total Views",
    "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link",
    "Image Text", "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
    "Total Interactions (weighted  —  Likes 1x Shares 1x Comments 1x Love 1x Wow 1x Haha 1x "
    "Sad 1x Angry 1x Care 1x )",
    "Overperforming Score",
)
EASTERN = ZoneInfo("America/New_York")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class WrittenFile:
    path: Path
    platform: str
    format: str  # the pantau format expected to read it
    records: int
    captured_at: datetime

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def write_exports(corpus: Corpus, exports: Path) -> list[WrittenFile]:
    files = [
        _write_ndjson(exports / "tiktok" / _zee_name("tiktok.com", corpus.capture_main),
                      "tiktok", "zeeschuimer-tiktok", corpus.capture_main,
                      tiktok_items(corpus, later=False)),
        _write_ndjson(exports / "tiktok" / _zee_name("tiktok.com", corpus.capture_later),
                      "tiktok", "zeeschuimer-tiktok", corpus.capture_later,
                      tiktok_items(corpus, later=True)),
        _write_ndjson(exports / "instagram" / _zee_name("instagram.com", corpus.capture_main),
                      "instagram", "zeeschuimer-instagram", corpus.capture_main,
                      instagram_items(corpus, later=False)),
        _write_ndjson(exports / "instagram" / _zee_name("instagram.com", corpus.capture_later),
                      "instagram", "zeeschuimer-instagram", corpus.capture_later,
                      instagram_items(corpus, later=True)),
        _write_ndjson(exports / "x" / _zee_name("twitter.com", corpus.capture_main),
                      "x", "zeeschuimer-x", corpus.capture_main, x_items(corpus)),
        write_crowdtangle(corpus, exports / "facebook" /
                          f"crowdtangle-facebook-pages-{corpus.capture_main:%Y-%m-%d}.csv"),
    ]
    return [f for f in files if f.records]


def _zee_name(platform: str, moment: datetime) -> str:
    return f"zeeschuimer-export-{platform}-{moment.astimezone(UTC):%Y-%m-%dT%H%M%S}.ndjson"


def _write_ndjson(path: Path, platform: str, format_name: str, captured: datetime,
                  items: Iterator[dict[str, Any]]) -> WrittenFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("wb") as out:
        for item in items:
            out.write(orjson.dumps(item))
            out.write(b"\n")
            count += 1
    _stamp(path, captured)
    return WrittenFile(path, platform, format_name, count, captured)


def _stamp(path: Path, moment: datetime) -> None:
    ts = moment.timestamp()
    os.utime(path, (ts, ts))


class _Envelope:
    """Zeeschuimer's wrapper: a local counter, the navigation index and the capture time."""

    def __init__(self, platform: str, captured: datetime) -> None:
        self.platform = platform
        self.ms = int(captured.timestamp() * 1000)
        self.count = 0

    def wrap(self, item_id: str, page_url: str, source_url: str, data: dict[str, Any],
             tab: int = 1) -> dict[str, Any]:
        self.count += 1
        self.ms += 180 + (self.count * 37) % 400  # a few hundred ms between items
        return {
            "id": self.count,
            "nav_index": f"{tab}:{1 + self.count // 30}:{self.count % 30}",
            "item_id": item_id,
            "timestamp_collected": self.ms,
            "source_platform": self.platform,
            "source_platform_url": page_url,
            "source_url": source_url,
            "user_agent": USER_AGENT,
            "data": data,
        }


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _by_account(posts: list[DemoPost]) -> list[tuple[DemoAccount, list[DemoPost]]]:
    """Posts grouped as a profile page shows them: account by account, newest first."""
    groups: dict[int, tuple[DemoAccount, list[DemoPost]]] = {}
    order: list[int] = []
    for post in posts:
        key = id(post.account)
        if key not in groups:
            groups[key] = (post.account, [])
            order.append(key)
        groups[key][1].append(post)
    out = [groups[k] for k in order]
    out.sort(key=lambda g: sc.ACCOUNTS.index(g[0].spec))
    for _, group in out:
        group.sort(key=lambda p: (p.created, p.post_id), reverse=True)
    return out


# -- TikTok --------------------------------------------------------------------------------

def tiktok_items(corpus: Corpus, *, later: bool) -> Iterator[dict[str, Any]]:
    captured = corpus.capture_later if later else corpus.capture_main
    env = _Envelope("tiktok.com", captured)
    posts = [p for p in corpus.posts_on("tiktok") if not later or p.counts_later]
    for account, group in _by_account(posts):
        page = f"https://www.tiktok.com/@{account.spec.handle}"
        source = ("https://www.tiktok.com/api/post/item_list/?WebIdLastTime=0&aid=1988&count=35"
                  f"&cursor=0&secUid={account.person.sec_uid}")
        for post in group:
            yield env.wrap(post.post_id, page, source, tiktok_video(post, later=later))
    if later:
        return
    for post in sorted(posts, key=lambda p: (p.created, p.post_id)):
        page = f"https://www.tiktok.com/@{post.account.spec.handle}/video/{post.post_id}"
        source = (f"https://www.tiktok.com/api/comment/list/?aid=1988&aweme_id={post.post_id}"
                  "&count=20&cursor=0")
        for top in post.comments:
            yield env.wrap(top.comment_id, page, source, tiktok_comment(top), tab=2)
        for top in post.comments:
            if not top.replies:
                continue
            reply_source = (f"https://www.tiktok.com/api/comment/list/reply/?aid=1988"
                            f"&comment_id={top.comment_id}&count=3&cursor=0"
                            f"&item_id={post.post_id}")
            for reply in top.replies:
                yield env.wrap(reply.comment_id, page, reply_source, tiktok_comment(reply),
                               tab=2)


def tiktok_video(post: DemoPost, *, later: bool) -> dict[str, Any]:
    account = post.account
    counts = post.counts_later if later and post.counts_later else post.counts
    followers = account.followers_later if later else account.spec.followers
    text_extra = []
    for tag in post.hashtags:
        start = post.text.find("#" + tag)
        if start < 0:
            continue
        text_extra.append({
            "awemeId": "", "end": start + len(tag) + 1, "hashtagName": tag, "isCommerce": False,
            "start": start, "subType": 0, "type": 1,
        })
    for handle in post.mentions:
        start = post.text.find("@" + handle)
        text_extra.append({
            "awemeId": "", "end": start + len(handle) + 1, "hashtagName": "",
            "isCommerce": False, "secUid": "", "start": start, "subType": 0, "type": 0,
            "userId": "", "userUniqueId": handle,
        })
    challenges = [{"id": str(abs(hash_tag(tag))), "title": tag, "desc": "",
                   "profileLarger": "", "profileMedium": "", "profileThumb": "",
                   "coverLarger": "", "coverMedium": "", "coverThumb": ""}
                  for tag in post.hashtags]
    music = post.music or {}
    return {
        "id": post.post_id,
        "desc": post.text,
        "createTime": _epoch(post.created),
        "scheduleTime": 0,
        "video": {
            "id": post.post_id, "height": 1024, "width": 576, "duration": int(post.duration or 0),
            "ratio": "540p", "format": "mp4", "videoQuality": "normal", "definition": "540p",
            "cover": f"https://p16-sign-sg.tiktokcdn.com/obj/demo-cover/{post.post_id}.jpeg",
            "playAddr": "", "downloadAddr": "",
        },
        "author": {
            "id": account.person.person_id, "uniqueId": account.spec.handle,
            "nickname": account.spec.display_name,
            "avatarThumb": f"https://p16-sign-sg.tiktokcdn.com/demo-avatar/{account.spec.handle}",
            "signature": _bio(account), "verified": account.spec.role in ("official",
                                                                           "candidate"),
            "secUid": account.person.sec_uid, "privateAccount": False, "openFavorite": False,
            "commentSetting": 0, "duetSetting": 0, "stitchSetting": 0, "downloadSetting": 0,
            "ftc": False, "relation": 0, "isADVirtual": False, "ttSeller": False,
        },
        "music": {
            "id": music.get("id", ""), "title": music.get("title", ""),
            "authorName": music.get("authorName", ""), "original": music.get("original", True),
            "duration": music.get("duration", 0), "album": "", "isCopyrighted": False,
            "playUrl": "",
        },
        "challenges": challenges,
        "stats": {
            "diggCount": counts.get("likes", 0), "shareCount": counts.get("shares", 0),
            "commentCount": counts.get("comments", 0), "playCount": counts.get("views", 0),
            "collectCount": str(counts.get("saves", 0)),
        },
        "statsV2": {
            "diggCount": str(counts.get("likes", 0)), "shareCount": str(counts.get("shares", 0)),
            "commentCount": str(counts.get("comments", 0)),
            "playCount": str(counts.get("views", 0)), "collectCount": str(counts.get("saves", 0)),
            "repostCount": "0",
        },
        "authorStats": {
            "followerCount": followers, "followingCount": 120 + len(account.spec.handle) * 7,
            "heart": followers * 9, "heartCount": followers * 9, "videoCount": 150,
            "diggCount": 0, "friendCount": 35,
        },
        "textExtra": text_extra,
        "textLanguage": "id",
        "isAd": bool(post.extra.get("is_ad", False)),
        "duetEnabled": True, "stitchEnabled": True, "shareEnabled": True,
        "officalItem": False, "originalItem": False, "privateItem": False, "secret": False,
        "forFriend": False, "digged": False, "itemCommentStatus": 0, "locationCreated": "ID",
        "diversificationId": 10010 + sc.PAIRS.index(post.pair) if post.pair else 10000,
    }


def hash_tag(tag: str) -> int:
    """A stable numeric id for a hashtag (TikTok gives each challenge one)."""
    value = 7
    for ch in tag.lower():
        value = (value * 131 + ord(ch)) % 10**16
    return 1_600_000_000_000_000 + value % 10**15


def _bio(account: DemoAccount) -> str:
    pair = account.pair
    if pair is None:
        return "Info seputar Kota Bekasi"
    return {
        "official": f"Akun resmi paslon nomor urut {pair.ballot_number} Pilkada Kota Bekasi 2024",
        "candidate": f"Calon wali kota/wakil wali kota Bekasi nomor {pair.ballot_number}",
        "party": f"Partai pengusung {pair.pasangan}",
        "volunteer": f"Relawan {pair.pasangan} se-Kota Bekasi",
    }.get(account.spec.role, "")


def _tiktok_user(person: Person) -> dict[str, Any]:
    return {
        "uid": person.person_id, "unique_id": person.handle, "nickname": person.name,
        "sec_uid": person.sec_uid,
        "avatar_thumb": {"uri": f"tos-alisg-avt-0068/demo{person.person_id[-8:]}",
                         "url_list": [f"https://p16-sign-sg.tiktokcdn.com/tos-alisg-avt-0068/"
                                      f"demo{person.person_id[-8:]}~c5_100x100.jpeg"]},
        "custom_verify": "", "enterprise_verify_reason": "", "account_labels": None,
        "type_label": None,
    }


def tiktok_comment(comment: DemoComment) -> dict[str, Any]:
    post = comment.post
    parent = comment.parent
    data: dict[str, Any] = {
        "cid": comment.comment_id,
        "aweme_id": post.post_id,
        "text": comment.text,
        "text_extra": [],
        "create_time": _epoch(comment.created),
        "digg_count": comment.likes,
        "status": 1,
        "reply_id": parent.comment_id if parent else "0",
        "reply_to_reply_id": comment.reply_to.comment_id if comment.reply_to else "0",
        "user": _tiktok_user(comment.author),
        "comment_language": comment.lang,
        "is_author_digged": any(r.by_post_author for r in comment.replies),
        "author_pin": False,
        "stick_position": 0,
        "user_digged": 0,
        "user_buried": False,
        "collect_stat": 0,
        "no_show": False,
        "image_list": None,
        "label_list": None,
        "share_info": {
            "desc": f"{comment.author.name}'s comment: {comment.text}",
            "url": (f"https://www.tiktok.com/@{post.account.spec.handle}/video/{post.post_id}"
                    f"?share_comment_id={comment.comment_id}&sharer_language=id"),
        },
        "trans_btn_style": 0,
    }
    if comment.by_post_author:
        data["label_list"] = [{"text": "Creator", "type": 1}]
        data["label_text"] = "Creator"
        data["label_type"] = 1
    if parent is None:
        data["reply_comment_total"] = len(comment.replies)
        # The list response previews the first reply inline, as TikTok's web app does.
        data["reply_comment"] = ([tiktok_comment(comment.replies[0])] if comment.replies
                                 else None)
    else:
        data["reply_comment"] = None
    return data


# -- Instagram -----------------------------------------------------------------------------

def instagram_items(corpus: Corpus, *, later: bool) -> Iterator[dict[str, Any]]:
    captured = corpus.capture_later if later else corpus.capture_main
    env = _Envelope("instagram.com", captured)
    posts = [p for p in corpus.posts_on("instagram") if not later or p.counts_later]
    accounts = {a.spec.handle: a for a in corpus.accounts if a.platform == "instagram"}
    for account, group in _by_account(posts):
        page = f"https://www.instagram.com/{account.spec.handle}/"
        for post in group:
            item = instagram_media(post, accounts, later=later)
            yield env.wrap(item["id"], page, "https://www.instagram.com/graphql/query", item)
    if later:
        return
    for post in sorted(posts, key=lambda p: (p.created, p.post_id)):
        page = f"https://www.instagram.com/p/{post.post_id}/"
        source = (f"https://www.instagram.com/api/v1/media/{post.extra['pk']}/comments/"
                  "?can_support_threading=true&permalink_enabled=false")
        for top in post.comments:
            yield env.wrap(top.comment_id, page, source, instagram_comment(top))
        for top in post.comments:
            if not top.replies:
                continue
            reply_source = (f"https://www.instagram.com/api/v1/media/{post.extra['pk']}/comments/"
                            f"{top.comment_id}/child_comments/")
            for reply in top.replies:
                yield env.wrap(reply.comment_id, page, reply_source, instagram_comment(reply))


def _ig_user(account: DemoAccount, *, later: bool) -> dict[str, Any]:
    pk = account.person.person_id
    return {
        "pk": pk, "pk_id": pk, "id": pk, "username": account.spec.handle,
        "full_name": account.spec.display_name, "is_private": False,
        "is_verified": account.spec.role in ("official", "candidate"),
        "profile_pic_id": f"{pk}_demo",
        "profile_pic_url": f"https://instagram.fcgk1-1.fna.fbcdn.net/demo/{account.spec.handle}.jpg",
        "follower_count": account.followers_later if later else account.spec.followers,
        "friendship_status": None, "is_unpublished": False, "has_anonymous_profile_picture": False,
    }


def instagram_media(post: DemoPost, accounts: dict[str, DemoAccount], *,
                    later: bool) -> dict[str, Any]:
    counts = post.counts_later if later and post.counts_later else post.counts
    user = _ig_user(post.account, later=later)
    pk = post.extra["pk"]
    media_type = {"image": 1, "video": 2, "carousel": 8}[post.media_type]
    item: dict[str, Any] = {
        "pk": pk,
        "id": f"{pk}_{user['pk']}",
        "code": post.post_id,
        "taken_at": _epoch(post.created),
        "device_timestamp": _epoch(post.created) * 1_000_000 + int(pk) % 1_000_000,
        "media_type": media_type,
        "product_type": {1: "feed", 2: "clips", 8: "carousel_container"}[media_type],
        "caption": {
            "pk": str(int(pk) + 1), "user_id": user["pk"], "text": post.text, "type": 1,
            "created_at": _epoch(post.created), "created_at_utc": _epoch(post.created),
            "content_type": "comment", "status": "Active", "media_id": pk,
            "did_report_as_spam": False, "is_covered": False,
        },
        "caption_is_edited": False,
        "user": user,
        "owner": dict(user),
        "like_count": counts.get("likes", 0),
        "comment_count": counts.get("comments", 0),
        "like_and_view_counts_disabled": False,
        "view_count": None,
        "play_count": counts.get("views") if media_type == 2 else None,
        "video_duration": post.duration if media_type == 2 else None,
        "has_audio": media_type == 2,
        "is_paid_partnership": False,
        "commerciality_status": "not_commercial",
        "comments_disabled": False,
        "original_width": 1080,
        "original_height": 1920 if media_type == 2 else 1350,
        "accessibility_caption": None,
        "location": ({"pk": "213400112", "name": "Kota Bekasi", "lat": -6.2349, "lng": 106.9896}
                     if post.function == "P2" else None),
        "usertags": {"in": [
            {"user": {"pk": accounts[h].person.person_id, "username": h,
                      "full_name": accounts[h].spec.display_name}, "position": [0.5, 0.62]}
            for h in post.mentions if h in accounts
        ]},
    }
    if media_type == 8:
        item["carousel_media_count"] = post.extra["slides"]
        item["carousel_media"] = [
            {"id": f"{int(pk) + n + 2}_{user['pk']}", "pk": str(int(pk) + n + 2),
             "media_type": 1, "carousel_parent_id": item["id"], "original_width": 1080,
             "original_height": 1350}
            for n in range(post.extra["slides"])
        ]
    return item


def instagram_comment(comment: DemoComment) -> dict[str, Any]:
    """A raw web comment (api/v1/media/{id}/comments/), replies with `parent_comment_id`."""
    author = comment.author
    text = comment.text
    if comment.reply_to is not None:
        text = f"@{comment.reply_to.author.handle} {text}"
    data: dict[str, Any] = {
        "pk": comment.comment_id,
        "user_id": author.person_id,
        "text": text,
        "type": 2 if comment.parent else 0,
        "created_at": _epoch(comment.created),
        "created_at_utc": _epoch(comment.created),
        "content_type": "comment",
        "status": "Active",
        "bit_flags": 0,
        "did_report_as_spam": False,
        "share_enabled": False,
        "user": {
            "pk": author.person_id, "pk_id": author.person_id, "id": author.person_id,
            "username": author.handle, "full_name": author.name, "is_private": False,
            "is_verified": comment.by_post_author,
            "profile_pic_url": f"https://instagram.fcgk1-1.fna.fbcdn.net/demo/u{author.person_id}.jpg",
        },
        "is_covered": False,
        "media_id": comment.post.extra["pk"],
        "has_liked_comment": False,
        "comment_like_count": comment.likes,
        "private_reply_status": 0,
    }
    if comment.parent is None:
        data["child_comment_count"] = len(comment.replies)
        data["preview_child_comments"] = []
    else:
        data["parent_comment_id"] = comment.parent.comment_id
    return data


# -- X -------------------------------------------------------------------------------------

def x_items(corpus: Corpus) -> Iterator[dict[str, Any]]:
    env = _Envelope("twitter.com", corpus.capture_main)
    posts = corpus.posts_on("x")
    handles = {a.spec.handle: a for a in corpus.accounts if a.platform == "x"}
    for account, group in _by_account(posts):
        page = f"https://x.com/{account.spec.handle}"
        source = "https://x.com/i/api/graphql/demo/UserTweets"
        for post in group:
            yield env.wrap(post.post_id, page, source, x_tweet(post, handles))
    for post in sorted(posts, key=lambda p: (p.created, p.post_id)):
        page = f"https://x.com/{post.account.spec.handle}/status/{post.post_id}"
        source = "https://x.com/i/api/graphql/demo/TweetDetail"
        for comment in post.all_comments():
            yield env.wrap(comment.comment_id, page, source, x_reply(comment))


def _x_time(moment: datetime) -> str:
    t = moment.astimezone(UTC)
    return (f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day:02d} "
            f"{t:%H:%M:%S} +0000 {t.year}")


def _x_user(person: Person, created: datetime, description: str = "") -> dict[str, Any]:
    return {"result": {
        "__typename": "User",
        "id": base64.b64encode(f"User:{person.person_id}".encode()).decode(),
        "rest_id": person.person_id,
        "is_blue_verified": False,
        "legacy": {
            "screen_name": person.handle, "name": person.name,
            "followers_count": person.followers, "friends_count": 180,
            "created_at": _x_time(created), "description": description,
            "statuses_count": 500, "verified": False, "location": "Bekasi",
        },
    }}


def _x_entities(text: str, tags: list[str],
                mentions: list[tuple[str, str, str]]) -> dict[str, Any]:
    hashtags = []
    for tag in tags:
        start = text.find("#" + tag)
        if start >= 0:
            hashtags.append({"indices": [start, start + len(tag) + 1], "text": tag})
    users = []
    for handle, user_id, name in mentions:
        start = text.find("@" + handle)
        if start >= 0:
            users.append({"id_str": user_id, "name": name, "screen_name": handle,
                          "indices": [start, start + len(handle) + 1]})
    return {"hashtags": hashtags, "symbols": [], "timestamps": [], "urls": [],
            "user_mentions": users}


def x_tweet(post: DemoPost, handles: dict[str, DemoAccount]) -> dict[str, Any]:
    account = post.account
    mentions = [(h, handles[h].person.person_id, handles[h].spec.display_name)
                for h in post.mentions if h in handles]
    legacy: dict[str, Any] = {
        "bookmark_count": post.counts.get("bookmarks", 0), "bookmarked": False,
        "created_at": _x_time(post.created), "conversation_id_str": post.post_id,
        "display_text_range": [0, len(post.text)],
        "entities": _x_entities(post.text, post.hashtags, mentions),
        "favorite_count": post.counts.get("likes", 0), "favorited": False,
        "full_text": post.text, "is_quote_status": False, "lang": "in",
        "quote_count": post.counts.get("quotes", 0), "reply_count": post.counts.get("replies", 0),
        "retweet_count": post.counts.get("retweets", 0), "retweeted": False,
        "user_id_str": account.person.person_id, "id_str": post.post_id,
    }
    if post.media_type in ("image", "video"):
        media: dict[str, Any] = {
            "id_str": post.extra["media_key"].split("_", 1)[1],
            "media_key": post.extra["media_key"], "type": "photo" if post.media_type == "image"
            else "video", "media_url_https": "https://pbs.twimg.com/media/demo.jpg",
        }
        if post.media_type == "video":
            media["video_info"] = {"duration_millis": int((post.duration or 0) * 1000),
                                   "aspect_ratio": [9, 16], "variants": []}
        legacy["extended_entities"] = {"media": [media]}
    return {
        "__typename": "Tweet",
        "rest_id": post.post_id,
        "core": {"user_results": _x_user(account.person, account.created_at, _bio(account))},
        "is_translatable": False,
        "views": {"count": str(post.counts.get("views", 0)), "state": "EnabledWithCount"},
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "legacy": legacy,
    }


def x_reply(comment: DemoComment) -> dict[str, Any]:
    post = comment.post
    target = comment.reply_to or comment.parent
    replying_to = target.author if target else post.account.person
    target_id = target.comment_id if target else post.post_id
    prefix = f"@{replying_to.handle} "
    text = prefix + comment.text
    if comment.author is post.account.person:
        created = post.account.created_at
    else:  # an invented but stable sign-up date
        digits = int(comment.author.person_id[-4:])
        created = datetime(2010 + digits % 14, 1 + digits % 12, 1 + digits % 28, tzinfo=UTC)
    return {
        "__typename": "Tweet",
        "rest_id": comment.comment_id,
        "core": {"user_results": _x_user(comment.author, created)},
        "is_translatable": False,
        "views": {"count": str(max(1, comment.likes * 17 + 12)), "state": "EnabledWithCount"},
        "source": '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for '
                  'Android</a>',
        "legacy": {
            "bookmark_count": 0, "bookmarked": False, "created_at": _x_time(comment.created),
            "conversation_id_str": post.post_id,
            "display_text_range": [len(prefix), len(text)],
            "entities": _x_entities(text, [], [(replying_to.handle, replying_to.person_id,
                                                replying_to.name)]),
            "favorite_count": comment.likes, "favorited": False, "full_text": text,
            "in_reply_to_screen_name": replying_to.handle,
            "in_reply_to_status_id_str": target_id,
            "in_reply_to_user_id_str": replying_to.person_id,
            "is_quote_status": False, "lang": "in" if comment.lang == "id" else "und",
            "quote_count": 0, "reply_count": len(comment.replies), "retweet_count": 0,
            "retweeted": False, "user_id_str": comment.author.person_id,
            "id_str": comment.comment_id,
        },
    }


# -- Facebook (CrowdTangle CSV) ------------------------------------------------------------

def _eastern(moment: datetime) -> tuple[str, str, str]:
    local = moment.astimezone(EASTERN)
    return (f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}", f"{local:%Y-%m-%d}",
            f"{local:%H:%M:%S}")


def _length(seconds: float | None) -> str:
    if not seconds:
        return "N/A"
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def write_crowdtangle(corpus: Corpus, path: Path) -> WrittenFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    posts = sorted(corpus.posts_on("facebook"), key=lambda p: (p.created, p.post_id),
                   reverse=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CROWDTANGLE_COLUMNS)
    start = datetime(2024, 9, 1, tzinfo=UTC)
    span = (corpus.capture_main - start).total_seconds()
    for n, post in enumerate(posts):
        account = post.account
        spec = account.spec
        share = min(1.0, max(0.0, (post.created - start).total_seconds() / span))
        followers = int(spec.followers * (0.93 + 0.07 * share))
        likes_at = "" if n % 9 == 4 else str(int(followers * 0.87))  # CrowdTangle has gaps
        reactions = post.extra["reactions"]
        comments = post.counts.get("comments", 0)
        shares = post.counts.get("shares", 0)
        total = sum(reactions.values()) + comments + shares
        video = post.media_type in ("video", "live")
        views = post.counts.get("views", 0) if video else 0
        created, created_date, created_time = _eastern(post.created)
        kind = "videos" if video else "posts"
        link = ""
        link_text = ""
        if post.media_type == "link":
            link = "https://www.kpu.go.id/berita"
            link_text = "Informasi Pilkada Serentak 2024"
        elif post.media_type == "image":
            link = f"https://www.facebook.com/photo.php?fbid={post.post_id}"
        category = {"official": "POLITICIAN", "candidate": "POLITICIAN",
                    "party": "POLITICAL_ORGANIZATION", "volunteer": "COMMUNITY"}.get(
            spec.role, "MEDIA_NEWS_COMPANY")
        score = int(post.post_id[-3:]) % 700 / 100 - 2.5  # invented, stable
        writer.writerow([
            spec.display_name, spec.handle, account.person.person_id, category, "ID",
            _bio(account), _eastern(account.created_at)[0], likes_at, followers,
            created, created_date, created_time, post.extra["type"], f"{total:,}",
            reactions["Likes"], comments, shares, reactions["Love"], reactions["Wow"],
            reactions["Haha"], reactions["Sad"], reactions["Angry"], reactions["Care"],
            "owned" if video else "", "Yes" if video else "-", views, views, views,
            _length(post.duration) if video else "N/A",
            f"https://www.facebook.com/{spec.handle}/{kind}/{post.post_id}",
            post.text, link, link, "", link_text, "", "", "", "", total, f"{score:.2f}",
        ])
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(data)
    _stamp(path, corpus.capture_main)
    return WrittenFile(path, "facebook", "crowdtangle", len(posts), corpus.capture_main)
