"""Pseudonyms for ordinary commenters (UU 27/2022 on personal data protection).

A keyed hash (HMAC-SHA256) with a per-project secret kept in the store's meta table: the same
handle always gets the same pseudonym inside one project, and nobody without the store can
reverse it. Candidates' and parties' accounts (those linked in pantau.toml) are public actors
and keep their handles.
"""

from __future__ import annotations

import hashlib
import hmac
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
