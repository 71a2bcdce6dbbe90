"""Finding the media files users already have and linking each to its post.

Where media come from:
- Instaloader: `2024-11-19_07-00-00_UTC.jpg` (or `_1.jpg`, `_2.jpg`… for carousel slides, `.mp4`
  for videos) beside `2024-11-19_07-00-00_UTC.json[.xz]`;
- yt-dlp: `Title [id].mp4`, its thumbnail `Title [id].webp|jpg` and subtitles
  `Title [id].LANG.vtt|srt` beside `Title [id].info.json`;
- any folder of files named by post id or shortcode (`7431234567890123456.mp4`,
  `C9abcDEF123_2.jpg`): the name's tokens are looked up among the store's posts.
The sidecar JSON is read with the export format's own mapper (no second mapper to keep in
step), so the post key is the one `pantau import` stored. Every file is kept once,
content-addressed, under the project's media/ folder (a hard link where the file system allows).
A file whose post cannot be found is reported with the reason, never silently dropped.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..sources import MEDIA_KINDS as KINDS

MEDIA_FOLDER = "media"
_SLIDE = re.compile(r"^(?P<stem>.+?)_(?P<slide>\d{1,2})$")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{6,}")


@dataclass
class Link:
    platform: str
    post_id: str
    slide: int
    how: str  # instaloader | ytdlp | name


@dataclass
class AddSummary:
    files: int = 0
    linked: int = 0
    new_files: int = 0
    already: int = 0
    unlinked: list[tuple[str, str]] = field(default_factory=list)  # (path, why)

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "linked": self.linked, "new_files": self.new_files,
                "already_linked": self.already, "unlinked": len(self.unlinked),
                "unlinked_examples": [{"path": p, "why": w} for p, w in self.unlinked[:20]]}


def media_kind(path: Path) -> str | None:
    return KINDS.get(path.suffix.lower())


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Media files under the given files and folders (symbolic links to folders are not
    followed, so a link loop cannot make the walk endless)."""
    for path in paths:
        if path.is_file():
            if media_kind(path):
                yield path
            continue
        for folder, subfolders, names in os.walk(path, followlinks=False):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                candidate = Path(folder) / name
                if media_kind(candidate) and not name.startswith("."):
                    yield candidate


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keep(path: Path, sha256: str, root: Path) -> Path:
    """The project's copy of a media file (media/ab/abcdef….ext), made once."""
    target = root / MEDIA_FOLDER / sha256[:2] / f"{sha256}{path.suffix.lower()}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        os.link(path, partial)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(path, partial)
    os.replace(partial, target)
    return target


class Linker:
    """Finds the post of a media file; caches the sidecar files it has read."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self._sidecars: dict[Path, Link | None] = {}

    def link(self, path: Path) -> Link | str:
        """The post the file belongs to, or why none was found."""
        stem, slide = _stem_and_slide(path)
        for sidecar in _sidecar_candidates(path.parent, stem):
            found = self._read_sidecar(sidecar)
            if found is not None:
                return Link(found.platform, found.post_id, slide, found.how)
        tokens = list(dict.fromkeys(_TOKEN.findall(stem)))
        if tokens:
            rows = self.con.execute(
                f"SELECT DISTINCT platform, post_id FROM posts WHERE post_id IN "
                f"({', '.join('?' for _ in tokens)})", tokens).fetchall()
            if len(rows) == 1:
                return Link(rows[0][0], rows[0][1], slide, "name")
            if len(rows) > 1:
                return (f"its name matches {len(rows)} posts "
                        f"({', '.join(f'{p}:{i}' for p, i in rows[:3])})")
        return ("no export file beside it (Instaloader .json/.json.xz, yt-dlp .info.json) "
                "and no post id or shortcode of the store in its name")

    def _read_sidecar(self, sidecar: Path) -> Link | None:
        if sidecar not in self._sidecars:
            self._sidecars[sidecar] = _post_of_sidecar(sidecar)
        return self._sidecars[sidecar]


def _stem_and_slide(path: Path) -> tuple[str, int]:
    name = path.name
    kind = media_kind(path)
    stem = name[: -len(path.suffix)]
    if kind == "subtitle" and "." in stem:  # Title [id].LANG.vtt
        stem = stem.rsplit(".", 1)[0]
    match = _SLIDE.match(stem)
    if match and kind != "subtitle":
        return match["stem"], int(match["slide"])
    return stem, 1


def _sidecar_candidates(folder: Path, stem: str) -> list[Path]:
    names = (f"{stem}.json", f"{stem}.json.xz", f"{stem}.info.json")
    return [folder / n for n in names if (folder / n).is_file()]


def _post_of_sidecar(sidecar: Path) -> Link | None:
    """The (platform, post_id) the export file describes, through its format's own mapper."""
    from ..formats import get_format
    from ..formats.base import MapContext
    from ..records import Post

    try:
        raw = sidecar.read_bytes()
        if sidecar.name.endswith(".xz"):
            raw = lzma.decompress(raw)
        record = orjson.loads(raw)
    except (OSError, lzma.LZMAError, orjson.JSONDecodeError):
        return None
    if not isinstance(record, dict):
        return None
    name = "instaloader" if "instaloader" in record else "ytdlp"
    try:
        mapped = get_format(name).map(record, MapContext(source_name=sidecar.name))
        for row in mapped:
            if isinstance(row, Post):
                return Link(row.platform, row.post_id, 1, name)
    except Exception:  # noqa: BLE001 - a sidecar its format rejects links nothing
        return None
    return None
