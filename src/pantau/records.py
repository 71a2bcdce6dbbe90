"""Typed rows that format mappers produce and the store accepts.

A mapper returns these for each raw record. A field a format does not carry is None
(never 0 or ""), so analyses can tell "zero" from "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Literal, get_args

# The one definition of each of these lists: configuration, formats, store and analyses read
# them from here.
Platform = Literal["tiktok", "instagram", "facebook", "x", "youtube"]
PLATFORMS: tuple[str, ...] = get_args(Platform)
Role = Literal["official", "candidate", "party", "volunteer", "media", "other"]
ROLES: tuple[str, ...] = get_args(Role)
MEDIA_TYPES = ("video", "image", "carousel", "text", "link", "live")
# The counts a Post record carries itself; those that come only as Metric rows; together the
# metric columns of post_metrics.
POST_METRICS = ("views", "likes", "comments", "shares", "saves", "followers")
METRIC_ONLY = ("reach", "impressions")
METRIC_COLUMNS = (*POST_METRICS, *METRIC_ONLY)


@dataclass(slots=True)
class Account:
    platform: str
    account_id: str
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = None
    observed_at: datetime | None = None


@dataclass(slots=True)
class Post:
    platform: str
    post_id: str
    account_id: str | None = None
    created_at: datetime | None = None
    text: str | None = None
    media_type: str | None = None
    duration_s: float | None = None
    url: str | None = None
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    is_ad: bool | None = None
    lang: str | None = None
    music_id: str | None = None
    # Metrics seen with this capture; stored as one post_metrics observation.
    observed_at: datetime | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    followers: int | None = None


@dataclass(slots=True)
class Comment:
    platform: str
    comment_id: str
    post_id: str | None = None
    parent_id: str | None = None
    author_id: str | None = None
    author_handle: str | None = None
    created_at: datetime | None = None
    text: str | None = None
    likes: int | None = None
    reply_count: int | None = None
    by_post_author: bool | None = None
    observed_at: datetime | None = None  # capture time, when the export records one


@dataclass(slots=True)
class Metric:
    """An observation of a post's counts without the post itself (e.g. Graph API insights)."""

    platform: str
    post_id: str
    observed_at: datetime | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    followers: int | None = None
    reach: int | None = None
    impressions: int | None = None


Row = Account | Post | Comment | Metric


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def _typed_fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(text fields, whole-number fields, list-of-text fields) of a row class."""
    texts, ints, lists = [], [], []
    for f in fields(cls):
        kind = str(f.type)
        if kind.startswith("str"):
            texts.append(f.name)
        elif kind.startswith("int"):
            ints.append(f.name)
        elif kind.startswith("list[str]"):
            lists.append(f.name)
    return tuple(texts), tuple(ints), tuple(lists)


_TYPED: dict[type, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    cls: _typed_fields(cls) for cls in (Account, Post, Comment, Metric)}
_INT64 = (-(2**63), 2**63 - 1)


def check_types(row: object) -> None:
    """Refuse (ValueError) a row whose values do not fit the store's columns: a text or handle
    that is a number or a list, a count beyond 64 bits. The import rejects that one record
    instead of failing the whole file when the batch reaches DuckDB."""
    typed = _TYPED.get(type(row))
    if typed is None:
        return
    texts, ints, lists = typed
    for name in texts:
        value = getattr(row, name)
        if value is not None and type(value) is not str:
            raise ValueError(f"{name} should be text but is {type(value).__name__} "
                             f"{str(value)[:40]}")
    for name in ints:
        value = getattr(row, name)
        if value is not None and (type(value) is not int
                                  or not _INT64[0] <= value <= _INT64[1]):
            raise ValueError(f"{name} {str(value)[:40]} is not a whole number the store holds")
    for name in lists:
        value = getattr(row, name)
        if value and any(type(v) is not str for v in value):
            raise ValueError(f"{name} should be a list of texts")
