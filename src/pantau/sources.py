"""Turning the paths a user gives (files, folders, globs, .gz/.xz/.bz2/.zip) into byte streams."""

from __future__ import annotations

import bz2
import glob
import gzip
import hashlib
import lzma
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from .errors import PantauError

# Media files are not exports: a folder's images, videos and subtitles are left to `pantau
# media` (pantau.media links them to their posts). The one list of them.
MEDIA_KINDS = {
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".webp": "image",
    ".mp4": "video", ".webm": "video", ".mov": "video", ".mkv": "video", ".m4v": "video",
    ".vtt": "subtitle", ".srt": "subtitle",
}
COMPRESSED = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
SKIP_NAMES = {".DS_Store", "Thumbs.db", "pantau.toml", "pantau.duckdb", "pantau.duckdb.wal"}


@dataclass(frozen=True)
class Source:
    """One importable file: a plain or compressed file, or one member of a zip archive."""

    name: str  # what the user sees: path, or archive.zip!member
    path: Path  # the file on disk (the archive for zip members)
    member: str | None = None

    @property
    def inner_name(self) -> str:
        """The name with compression suffixes removed, for sniffing by extension."""
        name = self.member or self.path.name
        for suffix in COMPRESSED:
            if name.lower().endswith(suffix):
                return name[: -len(suffix)]
        return name

    def open(self) -> IO[bytes]:
        if self.member is not None:
            archive = zipfile.ZipFile(self.path)
            inner = archive.open(self.member)
            return _decompress(self.member, inner)
        opener: Callable[..., IO[bytes]] | None = None
        for suffix, fn in COMPRESSED.items():
            if self.path.name.lower().endswith(suffix):
                opener = fn
        return opener(self.path, "rb") if opener else open(self.path, "rb")

    def decompress(self, raw: IO[bytes]) -> IO[bytes]:
        """`raw` (the bytes as stored, from open_raw) decompressed as open() would."""
        return _decompress(self.member or self.path.name, raw)

    @property
    def compressed(self) -> bool:
        return self.inner_name != (self.member or self.path.name)

    def open_raw(self) -> IO[bytes]:
        """The bytes as stored: the compressed file itself, or a zip member's content."""
        if self.member is not None:
            return zipfile.ZipFile(self.path).open(self.member)
        return open(self.path, "rb")

    def size(self) -> int:
        if self.member is not None:
            return zipfile.ZipFile(self.path).getinfo(self.member).file_size
        return self.path.stat().st_size

    def modified_utc(self) -> datetime:
        if self.member is not None:
            info = zipfile.ZipFile(self.path).getinfo(self.member)
            return datetime(*info.date_time)
        return datetime.fromtimestamp(self.path.stat().st_mtime, UTC).replace(tzinfo=None)

    def sha256(self) -> str:
        """Hash of the bytes as stored (compressed or not): the same file is the same import."""
        digest = hashlib.sha256()
        if self.member is not None:
            digest.update(self.path.name.encode())
            digest.update(self.member.encode())
        with self.open_raw() as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


def _decompress(name: str, stream: IO[bytes]) -> IO[bytes]:
    lower = name.lower()
    if lower.endswith(".gz"):
        return gzip.GzipFile(fileobj=stream)
    if lower.endswith(".xz"):
        return lzma.LZMAFile(stream)
    if lower.endswith(".bz2"):
        return bz2.BZ2File(stream)
    return stream


def expand(paths: list[str]) -> Iterator[Source]:
    """Every importable file under the given paths, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise PantauError(f"{raw}: no file matches this pattern",
                                  "check the pattern; quote it so the shell does not expand it")
            for match in matches:
                yield from expand([match])
            continue
        if not path.exists():
            raise PantauError(f"{raw}: no such file or folder", "check the path")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name in SKIP_NAMES or child.name.startswith("."):
                    continue
                if child.suffix.lower() in MEDIA_KINDS:  # linked by `pantau media`
                    continue
                yield from expand([str(child)])
            continue
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    base = info.filename.rsplit("/", 1)[-1]
                    if info.is_dir() or base.startswith(".") or "__MACOSX" in info.filename:
                        continue
                    yield Source(f"{path}!{info.filename}", path, info.filename)
            continue
        yield Source(str(path), path)
