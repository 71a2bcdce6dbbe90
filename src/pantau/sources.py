"""Turning the paths a user gives (files, folders, globs, .gz/.xz/.bz2/.zip) into byte streams."""

from __future__ import annotations

import bz2
import glob
import gzip
import hashlib
import lzma
import os
import zipfile
from collections.abc import Iterator
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
            info = archive.getinfo(self.member)
            inner: IO[bytes] = archive.open(self.member)
            if info.compress_type != zipfile.ZIP_STORED:
                inner = _Bounded(inner, self.name, info.compress_size)  # type: ignore[assignment]
            return _decompress(self.member, inner, self.stored_size())
        if self.compressed:
            return _decompress(self.path.name, open(self.path, "rb"), self.stored_size())
        return open(self.path, "rb")

    def decompress(self, raw: IO[bytes]) -> IO[bytes]:
        """`raw` (the bytes as stored, from open_raw) decompressed as open() would."""
        return _decompress(self.member or self.path.name, raw, self.stored_size())

    def stored_size(self) -> int:
        """Bytes as stored (compressed), for the decompression-bomb ratio."""
        if self.member is not None:
            return zipfile.ZipFile(self.path).getinfo(self.member).compress_size
        return self.path.stat().st_size

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


# Decompression bombs: past BOMB_FLOOR bytes out, a stream may not grow beyond MAX_RATIO times
# its compressed size (ordinary exports compress 5-30 times; a bomb 1,000 times).
# `pantau import --max-ratio N` raises the ratio for a file that really is that repetitive.
MAX_RATIO = 200
BOMB_FLOOR = 64 << 20


class DecompressionBomb(PantauError):
    pass


class _Bounded:
    """A decompressed stream that stops with DecompressionBomb past the ratio limit."""

    def __init__(self, stream: IO[bytes], name: str, compressed: int) -> None:
        self._stream, self._name = stream, name
        self._limit = max(BOMB_FLOOR, compressed * MAX_RATIO)
        self._out = 0

    def _count(self, n: int) -> None:
        self._out += n
        if self._out > self._limit:
            raise DecompressionBomb(
                f"{self._name}: expands past {self._limit >> 20:,} MB, more than {MAX_RATIO} "
                "times its compressed size (a decompression bomb?)",
                "if the file is genuine, raise the limit: pantau import --max-ratio 2000")

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while chunk := self.read(1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        data = self._stream.read(size)
        self._count(len(data))
        return data

    def readinto(self, buffer) -> int:
        n = self._stream.readinto(buffer) or 0
        self._count(n)
        return n

    def readline(self, size: int = -1) -> bytes:
        line = self._stream.readline(size)
        self._count(len(line))
        return line

    def __iter__(self):
        while line := self.readline():
            yield line

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _decompress(name: str, stream: IO[bytes], compressed: int | None = None) -> IO[bytes]:
    lower = name.lower()
    if lower.endswith(".gz"):
        out: IO[bytes] = gzip.GzipFile(fileobj=stream)
    elif lower.endswith(".xz"):
        out = lzma.LZMAFile(stream)  # noqa: SIM115 - closed by the caller
    elif lower.endswith(".bz2"):
        out = bz2.BZ2File(stream)
    else:
        return stream
    return _Bounded(out, name, compressed or 0)  # type: ignore[return-value]


@dataclass(frozen=True)
class Unreadable:
    """A file or folder under the given paths that cannot be read: a summary line, not an
    abort (the other files are still imported)."""

    name: str
    reason: str


def expand(paths: list[str]) -> Iterator[Source | Unreadable]:
    """Every importable file under the given paths, in a stable order. A path that exists is
    taken literally, even when its name holds glob characters (`x[31m].jsonl`, `why?.jsonl`);
    only a path that does not exist is expanded as a pattern. Symbolic links are followed
    once: a loop does not repeat a file."""
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.exists():
            yield from _expand_path(path, seen)
            continue
        if any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True), key=lambda m: (len(m), m))
            if not matches:
                raise PantauError(f"{raw}: no file matches this pattern",
                                  "check the pattern; quote it so the shell does not expand it")
            for match in sorted(matches):
                yield from _expand_path(Path(match), seen)
            continue
        raise PantauError(f"{raw}: no such file or folder", "check the path")


def _expand_path(path: Path, seen: set[str]) -> Iterator[Source | Unreadable]:
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    if path.is_dir():
        problems: list[Unreadable] = []

        def unreadable(error: OSError) -> None:
            problems.append(Unreadable(str(error.filename or path),
                                       f"cannot read this folder: {error.strerror or error}"))

        files = []
        for folder, dirs, names in os.walk(path, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files.extend(Path(folder) / n for n in names)
        for child in sorted(files):
            if child.name in SKIP_NAMES or child.name.startswith("."):
                continue
            if child.suffix.lower() in MEDIA_KINDS:  # linked by `pantau media`
                continue
            yield from _expand_path(child, seen)
        yield from problems
        return
    if not os.access(path, os.R_OK):
        yield Unreadable(str(path), "no permission to read it")
        return
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(archive.infolist(), key=lambda i: i.filename)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            yield Unreadable(str(path), f"not a readable zip archive ({exc})")
            return
        for info in members:
            base = info.filename.rsplit("/", 1)[-1]
            if info.is_dir() or base.startswith(".") or "__MACOSX" in info.filename:
                continue
            if info.flag_bits & 0x1:
                yield Unreadable(f"{path}!{info.filename}",
                                 "the zip member is encrypted (password protected); unzip it "
                                 "with its password and import the files")
                continue
            yield Source(f"{path}!{info.filename}", path, info.filename)
        return
    yield Source(str(path), path)
