"""Tokenising social-media text: hashtags, @mentions, URLs, emoji and numbers stay whole tokens.

One compiled pattern with named groups, so a token's kind is the group that matched
(`Match.lastgroup`). Words keep inner hyphens and apostrophes ("anak-anak", "ke-2") and trailing
digits used for reduplication ("teman2"). Anything else that is not a space is a one-character
`punct` token
(so no character but whitespace is ever dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Emoji: pictographs, symbols, dingbats, with skin tones, variation selectors and ZWJ sequences;
# flags are two regional indicators; keycaps are a digit, #, or * with U+20E3.
_PICTO = (
    "\U0001F000-\U0001FAFF"  # symbols & pictographs, emoticons, transport, supplemental
    "\u2600-\u27BF"  # misc symbols, dingbats
    "\u2300-\u23FF"  # misc technical (⌚ ⏰)
    "\u2B00-\u2BFF"  # arrows, stars (⭐)
    "\u2190-\u21FF"  # arrows
    "\u3030\u303D\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139"
)
_MODIFIERS = "\uFE0F\uFE0E\U0001F3FB-\U0001F3FF"
EMOJI_PATTERN = (
    rf"(?:[\U0001F1E6-\U0001F1FF]{{2}}"
    rf"|[0-9#*]\uFE0F?\u20E3"
    rf"|[{_PICTO}][{_MODIFIERS}]*(?:\u200D[{_PICTO}][{_MODIFIERS}]*)*)"
)

TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.|(?:bit\.ly|s\.id|t\.co|wa\.me|linktr\.ee|youtu\.be|vt\.tiktok\.com)/)"
    r"[^\s<>\"']*[^\s<>\"'.,;:!?)\]}])"
    r"|(?P<number>\d++(?:[.,:/]\d++)*+(?:%|rb|ribu|jt|juta|m|k)?+(?![^\W\d_]|\uFE0F?\u20E3))"
    r"|(?P<word>[^\W\d_]\w*(?:['’-][^\W_]+)*|\d+(?:[.,]\d+)*[^\W\d_]\w*(?:-[^\W_]+)*)"
    r"|(?P<mention>@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"
    r"|(?P<hashtag>#\w+)"
    rf"|(?P<emoji>{EMOJI_PATTERN})"
    r"|(?P<punct>\S)",
)

KINDS = ("url", "mention", "hashtag", "emoji", "number", "word", "punct")


def iter_tokens(text: str | None) -> Iterator[tuple[str, str]]:
    """(kind, token) pairs in order; kind is one of KINDS."""
    if not text:
        return
    for match in TOKEN_RE.finditer(text):
        yield match.lastgroup, match.group()  # type: ignore[misc]


def tokenize(text: str | None) -> list[str]:
    """The tokens of a text, in order (no spaces)."""
    if not text:
        return []
    return [m.group() for m in TOKEN_RE.finditer(text)]


def tokenize_kinds(text: str | None) -> list[tuple[str, str]]:
    """The (kind, token) pairs of a text, in order."""
    return list(iter_tokens(text))


def words(text: str | None) -> list[str]:
    """Only the word tokens, lowercased (no hashtags, mentions, URLs, numbers or emoji)."""
    if not text:
        return []
    return [m.group().lower() for m in TOKEN_RE.finditer(text) if m.lastgroup == "word"]


def hashtags(text: str | None) -> list[str]:
    return [t for k, t in iter_tokens(text) if k == "hashtag"]


def mentions(text: str | None) -> list[str]:
    return [t for k, t in iter_tokens(text) if k == "mention"]
