"""`pantau media fetch`: download the media URLs the imported exports hold. The only pantau
code that uses the network, for users who are online and want the pictures behind their export.

Where URLs come from (the kept raw files under raw/, read with each format's own reader; the
post key comes from the format's own mapper, so the file links to the post `import` stored):
- Zeeschuimer TikTok: photo-post slides (`imagePost.images[].imageURL.urlList`), the video
  (`video.playAddr` / `downloadAddr`), caption files (`video.subtitleInfos[].Url`);
- Zeeschuimer Instagram: `carousel_media[]`, `image_versions2.candidates`, `video_versions`,
  and the legacy `display_url` / `video_url` / `edge_sidecar_to_children`;
- Graph API: `media_url`, `children.data[].media_url`, `full_picture`;
- Instaloader: `display_url`, `video_url`, `edge_sidecar_to_children`;
- yt-dlp: `thumbnail` and `requested_subtitles` (videos: yt-dlp itself downloads them better).
Politeness: one request at a time at most `per_second` per second, three tries with backoff on
429/5xx/network errors, a User-Agent that says what it is. Resumable: every URL's outcome is
kept in `media_fetches`, so a second run only tries what is left. Signed CDN URLs whose expiry
(`x-expires=`, `oe=`) has passed are skipped without a request and counted as expired, like
403/404/410 answers.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import files as mediafiles
from . import library

USER_AGENT = "pantau-media-fetch/1 (research tool; downloads media of an export once)"
EXPIRED_STATUS = {401, 403, 404, 410}
RETRY_STATUS = {429, 500, 502, 503, 504}
FORMATS = ("zeeschuimer-tiktok", "zeeschuimer-instagram", "graph-api", "instaloader", "ytdlp")
_SUFFIX = {"image": ".jpg", "video": ".mp4", "subtitle": ".vtt"}


@dataclass(frozen=True)
class MediaUrl:
    platform: str
    post_id: str
    slide: int
    kind: str  # image | video | subtitle
    url: str


# -- where the URLs are -----------------------------------------------------------------------
def _first_url(value: Any) -> str | None:
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value
    if isinstance(value, list):
        for item in value:
            found = _first_url(item if not isinstance(item, dict) else item.get("url"))
            if found:
                return found
    if isinstance(value, dict):
        return _first_url(value.get("url") or value.get("urlList") or value.get("url_list"))
    return None


def urls_in(fmt: str, data: dict[str, Any]) -> Iterator[tuple[int, str, str]]:
    """(slide, kind, url) of the media one post record of a format names."""
    if fmt == "zeeschuimer-tiktok":
        image_post = data.get("imagePost") or {}
        for i, picture in enumerate(image_post.get("images") or [], start=1):
            url = _first_url((picture or {}).get("imageURL"))
            if url:
                yield i, "image", url
        video = data.get("video") or {}
        if not image_post:
            url = _first_url(video.get("playAddr")) or _first_url(video.get("downloadAddr"))
            if url:
                yield 1, "video", url
        for info in video.get("subtitleInfos") or []:
            url = _first_url((info or {}).get("Url"))
            if url:
                yield 1, "subtitle", url
    elif fmt in ("zeeschuimer-instagram", "instaloader", "graph-api"):
        node = data.get("node") if fmt == "instaloader" else data
        node = node if isinstance(node, dict) else {}
        children = (node.get("carousel_media")
                    or [e.get("node", {}) for e in (node.get("edge_sidecar_to_children") or {})
                        .get("edges", [])]
                    or (node.get("children") or {}).get("data") or [])
        for i, child in enumerate(children or [node], start=1):
            video = (_first_url(child.get("video_versions")) or _first_url(child.get("video_url"))
                     or (child.get("media_url") if child.get("media_type") == "VIDEO" else None))
            image = (_first_url((child.get("image_versions2") or {}).get("candidates"))
                     or _first_url(child.get("display_url")) or _first_url(child.get("media_url"))
                     or _first_url(child.get("full_picture")))
            if video:
                yield i, "video", video
            elif image:
                yield i, "image", image
    elif fmt == "ytdlp":
        if _first_url(data.get("thumbnail")):
            yield 1, "image", data["thumbnail"]
        for lang, sub in (data.get("requested_subtitles") or {}).items():
            url = _first_url(sub)
            if url:
                yield 1, "subtitle", url + ("" if "#" in url else f"#lang={lang}")


def media_urls(project: Any, con: Any) -> Iterator[MediaUrl]:
    """Every media URL in the project's kept raw files, keyed to its post."""
    from ..formats import get_format
    from ..formats.base import MapContext, unpack_zeeschuimer
    from ..raw import KeptImport, read_kept
    from ..records import Post

    rows = con.execute(
        f"SELECT import_id, path, format, raw_path FROM imports WHERE raw_path IS NOT NULL "
        f"AND format IN ({', '.join('?' for _ in FORMATS)}) ORDER BY import_id",
        list(FORMATS)).fetchall()
    for import_id, path, fmt_name, raw_path in rows:
        kept = KeptImport(import_id, path, fmt_name, project.root / raw_path)
        if not kept.raw_path.is_file():
            continue
        fmt = get_format(fmt_name)
        for record in read_kept(kept):
            data = record.data
            if not isinstance(data, dict):
                continue
            posts = [row for row in _mapped(fmt, data, MapContext(source_name=path))
                     if isinstance(row, Post)]
            if not posts:
                continue
            post = posts[0]
            inner = data
            if fmt_name.startswith("zeeschuimer"):
                inner = unpack_zeeschuimer(data)[0] or {}
            for slide, kind, url in urls_in(fmt_name, inner):
                yield MediaUrl(post.platform, post.post_id, slide, kind, url)


def _mapped(fmt: Any, data: dict[str, Any], ctx: Any) -> list[Any]:
    try:
        return list(fmt.map(data, ctx))
    except Exception:  # noqa: BLE001 - a record its format rejects names no post
        return []


def expired(url: str, now: float | None = None) -> bool:
    """Whether a signed CDN URL says it has expired (TikTok `x-expires`, Meta `oe` in hex)."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    now = now if now is not None else time.time()
    try:
        if "x-expires" in query:
            return int(query["x-expires"][0]) < now
        if "oe" in query:
            return int(query["oe"][0], 16) < now
    except ValueError:
        return False
    return False


# -- downloading ------------------------------------------------------------------------------
Opener = Callable[[urllib.request.Request, float], Any]


def fetch(project: Any, *, limit: int | None = None, per_second: float = 1.0,
          progress: Callable[[int, int], None] | None = None, opener: Opener | None = None,
          tries: int = 3) -> dict[str, int]:
    """Download what is left to download; see the module docstring."""
    opener = opener or (lambda request, timeout: urllib.request.urlopen(request, timeout=timeout))
    counts = {"downloaded": 0, "already": 0, "expired": 0, "failed": 0, "linked": 0}
    with project.connect() as con:
        done = {url: status for url, status in con.execute(
            "SELECT url, status FROM media_fetches").fetchall()}
        todo: list[MediaUrl] = []
        seen: set[str] = set()
        for item in media_urls(project, con):
            if done.get(item.url) in ("downloaded", "expired"):
                counts["already"] += 1
            elif item.url not in seen:
                seen.add(item.url)
                todo.append(item)
        todo = todo[:limit] if limit is not None else todo
        if progress:
            progress(0, len(todo))
        last = 0.0
        for item in todo:
            if expired(item.url):
                _record(con, item, "expired", None, None, "signed URL expired")
                counts["expired"] += 1
            else:
                wait = 1 / per_second - (time.monotonic() - last) if per_second > 0 else 0
                if wait > 0:
                    time.sleep(wait)
                last = time.monotonic()
                status, http, path, error = _download(item, project.root, opener, tries)
                sha = None
                if path is not None:
                    summary = mediafiles.AddSummary()
                    link = mediafiles.Link(item.platform, item.post_id, item.slide, "fetch")
                    sha = library.add_file(con, project.root, path, link, summary,
                                           kind=item.kind)
                    path.unlink(missing_ok=True)
                    counts["linked"] += summary.linked
                _record(con, item, status, http, sha, error)
                counts[status if status in counts else "failed"] += 1
            if progress:
                progress(1, len(todo))
    return counts


def _download(item: MediaUrl, root: Path, opener: Opener, tries: int
              ) -> tuple[str, int | None, Path | None, str | None]:
    folder = root / mediafiles.MEDIA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f".fetch-{os.getpid()}{_SUFFIX[item.kind]}"
    request = urllib.request.Request(item.url.split("#")[0], headers={"User-Agent": USER_AGENT})
    error = None
    http = None
    for attempt in range(tries):
        try:
            with opener(request, 30) as response, target.open("wb") as out:
                http = getattr(response, "status", 200)
                while block := response.read(1 << 16):
                    out.write(block)
            return "downloaded", http, target, None
        except urllib.error.HTTPError as exc:
            http, error = exc.code, f"HTTP {exc.code}"
            if exc.code in EXPIRED_STATUS:
                return "expired", http, None, error
            if exc.code not in RETRY_STATUS:
                break
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        time.sleep(min(8.0, 0.5 * 2 ** attempt))
    target.unlink(missing_ok=True)
    return "failed", http, None, error


def _record(con: Any, item: MediaUrl, status: str, http: int | None, sha: str | None,
            error: str | None) -> None:
    con.execute("INSERT OR REPLACE INTO media_fetches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [item.url, item.platform, item.post_id, item.slide, item.kind, status, http, sha,
                 error, datetime.now(UTC).replace(tzinfo=None)])
