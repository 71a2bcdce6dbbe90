"""The raw-file keeper of pantau.ingest: hashes the bytes of an imported file as stored, from
the importer's own reads, and keeps a byte-for-byte copy under the project's raw/ folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import PantauError
from ..sources import Source

RAW_BUFFER = 1 << 20  # read size for the Python readers and decompressors


class RawKeeper:
    """Hashes the bytes of the file as stored, from the same reads the import makes (so a
    large file is not read twice), in a worker thread one read behind the importer; and with a
    raw folder keeps a copy of them.

    A file on disk is copied by the kernel (sendfile) in a second thread: on the machines we
    measured, writing the copy from Python costs several times the CPU. Its size and mtime are
    checked at the end, so a file changed during the import is refused rather than kept and
    hashed from two different versions. A zip member (no file of its own) is written from the
    reads. The copy gets a temporary name, renamed to `{sha256[:16]}-{name}` once the hash is
    known (content-addressed: the same file is kept once)."""

    def __init__(self, source: Source, raw_dir: Path | None) -> None:
        self.source = source
        self.raw_dir = raw_dir
        self.partial: Path | None = None
        self._digest = hashlib.sha256()
        if source.member is not None:
            self._digest.update(source.path.name.encode())
            self._digest.update(source.member.encode())
        self._sink: Any = None
        self._tee: Tee | None = None
        self._stream: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-hash")
        self._copy_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-copy")
        self._pending: Future | None = None
        self._copier: Future | None = None
        self._stop = threading.Event()
        self._stat: tuple[int, int] | None = None

    def open(self, *, lend: bool) -> Any:
        """The stream to import from (decompressed when the file is). With `lend`, the plain
        tee itself, read only by _line_blocks; otherwise buffered reads the keeper copies."""
        if self.source.member is None:
            self._stat = file_stat(self.source.path)
        if self.raw_dir is not None:
            self.raw_dir.mkdir(parents=True, exist_ok=True)
            self.partial = self.raw_dir / f".{uuid.uuid4().hex}.partial"
            if self.source.member is None:
                self._copier = self._copy_pool.submit(
                    copy_file, self.source.path, self.partial, self._stop)
            else:
                self._sink = open(self.partial, "wb")  # noqa: SIM115 - closed by _close
        self._tee = Tee(self.source.open_raw(), self, lend=lend)
        if lend:
            self._stream = self._tee
        else:
            self._stream = self.source.decompress(
                io.BufferedReader(self._tee, buffer_size=RAW_BUFFER))
        return self._stream

    def feed(self, data: Any) -> None:
        self.wait()
        self._pending = self._worker.submit(self._take, data)

    def _take(self, data: Any) -> None:
        self._digest.update(data)
        if self._sink is not None:
            self._sink.write(data)

    def wait(self) -> None:
        """Until the worker is done with everything fed so far (raises what it raised)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def digest(self) -> str:
        """Read what the importer left unread (a format may stop early): the file's sha256.
        The copy may still be running (it is waited for by keep)."""
        assert self._tee is not None
        self._tee.drain()
        self._close()
        self._check_unchanged()
        return self._digest.hexdigest()

    def keep(self, digest: str) -> Path | None:
        """The kept copy, complete and under its final name (None without a raw folder)."""
        self._wait_copier()
        if self.partial is None:
            return None
        self._check_unchanged()  # the copy read the file once more
        if self._stat is not None and self.partial.stat().st_size != self._stat[0]:
            raise PantauError(f"the copy of {self.source.name} kept under raw/ is incomplete",
                              "check the free space of the project's disk, then import again")
        name = self.source.member.rsplit("/", 1)[-1] if self.source.member \
            else self.source.path.name
        target = self.partial.with_name(f"{digest[:16]}-{name}")
        if target.exists():
            self.partial.unlink()
        else:
            self.partial.replace(target)
        self.partial = None
        return target

    def abandon(self) -> None:
        self._stop.set()
        with contextlib.suppress(Exception):  # already failing: report the original error
            self._close()
        with contextlib.suppress(Exception):
            self._wait_copier()
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)
            self.partial = None

    def _check_unchanged(self) -> None:
        if self._stat is not None and file_stat(self.source.path) != self._stat:
            raise PantauError(f"{self.source.name} changed while it was being imported",
                              "import it again once whatever writes it has finished")

    def _wait_copier(self) -> None:
        try:
            if self._copier is not None:
                copier, self._copier = self._copier, None
                copier.result()
        finally:
            self._copy_pool.shutdown(wait=True)

    def _close(self) -> None:
        try:
            self.wait()
        finally:
            self._worker.shutdown(wait=True)
            for closable in (self._stream, self._sink):
                if closable is not None:
                    closable.close()
            if self._tee is not None:
                self._tee.close_raw()
            self._stream = self._tee = self._sink = None


def file_stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def copy_file(source: Path, target: Path, stop: threading.Event) -> None:
    """source -> target in the kernel where it can: copy_file_range (a reflink on file systems
    that have them, so no bytes move; a copy that stays put if the original is edited), else
    sendfile, else reads and writes (macOS, Windows). In chunks, so an abandoned import stops
    it."""
    chunk = 64 << 20
    ways = [way for way in ("copy_file_range", "sendfile") if hasattr(os, way)]
    with open(source, "rb", buffering=0) as src, open(target, "wb", buffering=0) as dst:
        fin, fout = src.fileno(), dst.fileno()
        size = os.fstat(fin).st_size
        way = ways.pop(0) if ways else "read"
        copied = 0
        while not stop.is_set():
            try:
                if way == "copy_file_range":
                    done = os.copy_file_range(fin, fout, chunk)
                elif way == "sendfile":
                    done = os.sendfile(fout, fin, None, chunk)
                else:
                    data = os.read(fin, chunk)
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fout, view):]
                    done = len(data)
            except OSError:
                if way == "read":
                    raise
                way = ways.pop(0) if ways else "read"  # both fds are where the copy stands
                continue
            if not done:
                if copied >= size or way == "read":
                    return
                # some file systems answer 0 before the end to an in-kernel copy
                way = ways.pop(0) if ways else "read"
            copied += done


class Tee(io.RawIOBase):
    """The bytes as stored, read from `raw`, each read also fed to the keeper.

    A read first waits until the keeper is done with the previous one. With `lend`, the keeper
    is handed the caller's buffer itself, not a copy: the caller must leave what a read wrote
    untouched until its next read has returned (_line_blocks does). io.BufferedReader gives no
    such promise, so without `lend` every read is copied (RAW_BUFFER at a time: cheap)."""

    def __init__(self, raw: Any, keeper: RawKeeper, *, lend: bool) -> None:
        super().__init__()
        self._raw = raw
        self._keeper = keeper
        self._lend = lend

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._keeper.wait()
        n = self._raw.readinto(buffer) or 0
        if n:
            view = memoryview(buffer).cast("B")[:n]
            self._keeper.feed(view if self._lend else bytes(view))
        return n

    def drain(self) -> None:
        """Feed the keeper what the importer left unread, even once a reader closed the tee
        (a TextIOWrapper closes the stream it wraps when it is collected)."""
        scratch = bytearray(RAW_BUFFER)
        while self.readinto(scratch):
            pass

    def close_raw(self) -> None:
        self.close()
        self._raw.close()
