"""Where the app may send a browser: local paths after a login, http(s) links to platforms."""

from __future__ import annotations


def safe_next(value: str | None) -> str:
    """Only local paths: never redirect to another site after a login (browsers drop tabs and
    newlines and read a backslash as a slash, so "/\t/evil" would be "//evil")."""
    if (not value or not value.startswith("/") or value.startswith("//") or "\\" in value
            or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value)):
        return "/"
    return value


def external_url(url: str | None) -> str | None:
    """A platform URL shown as a link only when it is http(s) (never javascript: or data:)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
