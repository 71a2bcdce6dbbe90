"""Pseudonyms for ordinary commenters (UU 27/2022 on personal data protection).

A keyed hash (HMAC-SHA256) with a per-project secret kept in the store's meta table: the same
handle always gets the same pseudonym inside one project, and nobody without the store can
reverse it. Candidates' and parties' accounts (those linked in pantau.toml) are public actors
and keep their handles.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets


def project_key(con) -> bytes:
    row = con.execute("SELECT value FROM meta WHERE key = 'pseudonym_key'").fetchone()
    if row:
        return bytes.fromhex(row[0])
    key = secrets.token_bytes(32)
    con.execute("INSERT INTO meta VALUES ('pseudonym_key', ?)", [key.hex()])
    return key


def pseudonym(handle: str | None, key: bytes) -> str | None:
    """`warga-3f9a1c2b`: stable within a project, not reversible without its key."""
    if handle is None or handle == "":
        return None
    normalised = handle.strip().lstrip("@").lower().encode()
    return "warga-" + hmac.new(key, normalised, hashlib.sha256).hexdigest()[:10]


def public_handles(con) -> set[str]:
    """Handles of accounts linked to a candidate in pantau.toml (public actors)."""
    rows = con.execute(
        "SELECT lower(handle) FROM accounts WHERE candidate_id IS NOT NULL AND handle IS NOT NULL"
    ).fetchall()
    return {r[0] for r in rows}


def display_handle(handle: str | None, key: bytes, public: set[str]) -> str | None:
    if handle is None:
        return None
    if handle.strip().lstrip("@").lower() in public:
        return handle
    return pseudonym(handle, key)


def public_ids(con) -> set[str]:
    """Account ids of accounts linked to a candidate in pantau.toml (public actors)."""
    rows = con.execute(
        "SELECT account_id FROM accounts WHERE candidate_id IS NOT NULL").fetchall()
    return {r[0] for r in rows}


# @handle inside a text; a pseudonym already written (@warga-0123456789) is left as it is, so
# masking twice changes nothing.
PSEUDONYM = re.compile(r"warga-[0-9a-f]{10}$")
MENTION = re.compile(r"@(?!warga-[0-9a-f]{10})([A-Za-z0-9_.]{2,30})")
# The first path part of a post or profile address on a platform that puts the author's handle
# there (x.com/HANDLE/status/1, tiktok.com/@HANDLE/video/1, facebook.com/HANDLE/posts/1,
# instagram.com/HANDLE/, youtube.com/@HANDLE).
URL_HANDLE = re.compile(
    r"^(?P<head>(?:https?://)?(?:[a-z0-9-]+\.)*"
    r"(?:x|twitter|tiktok|instagram|facebook|fb|youtube|threads)\.(?:com|net)/)"
    r"(?P<at>@?)(?P<handle>[A-Za-z0-9_.]{1,60})(?P<tail>(?:[/?#].*)?)$",
    re.IGNORECASE | re.DOTALL)
# First path parts that are a platform's own words, not a person.
URL_WORDS = frozenset({
    "i", "p", "reel", "reels", "tv", "stories", "explore", "watch", "shorts", "video", "groups",
    "permalink.php", "story.php", "photo.php", "profile.php", "share", "hashtag", "search",
    "intent", "home", "channel", "c", "events", "pages", "photo", "photos", "login", "status",
    "embed", "v", "tag", "music", "live", "t", "notifications", "messages", "settings",
})


class Masker:
    """Everything that can name an ordinary person, as the report, exports and web show it:
    handles and ids become pseudonyms, @mentions inside texts and the handle part of post
    addresses too; candidates' and parties' linked accounts stay as they are."""

    def __init__(self, key: bytes, public: set[str], public_account_ids: set[str] = frozenset(),
                 *, enabled: bool = True) -> None:
        self.key = key
        self.public = {h.strip().lstrip("@").lower() for h in public}
        self.public_ids = set(public_account_ids)
        self.enabled = enabled
        self._cache: dict[str, str | None] = {}

    @classmethod
    def for_store(cls, con, *, enabled: bool = True) -> Masker:
        return cls(project_key(con), public_handles(con), public_ids(con), enabled=enabled)

    def handle(self, handle: str | None) -> str | None:
        if not self.enabled or handle is None or handle == "" or PSEUDONYM.match(handle):
            return handle
        shown = self._cache.get(handle)
        if shown is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            shown = self._cache[handle] = display_handle(handle, self.key, self.public)
        return shown

    def account_id(self, account_id: str | None) -> str | None:
        if not self.enabled or account_id is None or account_id in self.public_ids:
            return account_id
        return pseudonym(account_id, self.key)

    def handles(self, handles: list[str] | None) -> list[str] | None:
        if handles is None:
            return None
        return [self.handle(h) or "" for h in handles]

    def text(self, text: str | None) -> str | None:
        if not self.enabled or not text or "@" not in text:
            return text
        return MENTION.sub(lambda m: "@" + (self.handle(m.group(1)) or ""), text)

    def url(self, url: str | None) -> str | None:
        if not self.enabled or not url:
            return url
        match = URL_HANDLE.match(url)
        if not match or match["handle"].lower() in URL_WORDS \
                or match["handle"].lower() in self.public:
            return url
        if match["handle"].lower().startswith("warga-"):
            return url
        return match["head"] + match["at"] + (self.handle(match["handle"]) or "") + match["tail"]

    def register(self, con) -> None:
        """SQL functions pantau_handle, pantau_account_id, pantau_text, pantau_url and
        pantau_handles on this connection (and its cursors), for queries that mask in place."""
        import duckdb
        import pyarrow as pa

        def vectorised(fn, out_type=pa.string()):
            return lambda values: pa.array([fn(v) for v in values.to_pylist()], out_type)

        functions = [
            ("pantau_handle", self.handle, ["VARCHAR"], "VARCHAR", pa.string()),
            ("pantau_account_id", self.account_id, ["VARCHAR"], "VARCHAR", pa.string()),
            ("pantau_text", self.text, ["VARCHAR"], "VARCHAR", pa.string()),
            ("pantau_url", self.url, ["VARCHAR"], "VARCHAR", pa.string()),
            ("pantau_handles", self.handles, ["VARCHAR[]"], "VARCHAR[]", pa.list_(pa.string())),
        ]
        raw = getattr(con, "raw", con)
        for name, fn, params, returns, arrow_type in functions:
            with contextlib.suppress(duckdb.Error):
                raw.remove_function(name)
            raw.create_function(name, vectorised(fn, arrow_type), params, returns,
                                type="arrow", null_handling="special", side_effects=False)
