"""Reading NDJSON as blocks of whole lines for DuckDB to parse and map (the vectorised path of
pantau.ingest): one buffer per block with numpy-found line offsets, no per-line objects, and
the next block read, split and checked in a thread while DuckDB maps the current one.

Buffer lending (checked in code, see LineBlock and line_blocks): blocks are read into two
buffers used in turn, and the raw keeper (rawkeep.Tee with lend=True) is handed those very
buffers, not copies. A buffer is therefore written again only after a read into the other one
has returned, and a block is valid only until the one after the next is asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

PARSE_CHUNKS = 8  # record batches per block, so DuckDB parses on every core
READ_BLOCK = 64 << 20  # bytes of lines mapped by DuckDB at once
SCAN_CHUNK = 8 << 20  # bytes searched for newlines at once (bounds the flag array)


@dataclass
class LineBlock:
    """A block of complete lines, kept as one buffer with line offsets (no per-line objects)."""

    first_line_no: int
    data: memoryview
    offsets: np.ndarray  # int64, len = lines + 1; line i is data[offsets[i]:offsets[i + 1]]
    # Set by prepare(): the lines as Arrow (None when the block holds invalid UTF-8) and the
    # number of whitespace-only lines.
    arrow: pa.Table | None = None
    blank: int = 0

    def prepare(self) -> LineBlock:
        """The per-block work done outside DuckDB, so read_ahead can do it in its thread."""
        try:
            self.arrow = self.table()
        except pa.ArrowInvalid:
            self.arrow = None
        else:
            self.blank = self.blank_lines()
        return self

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def line(self, i: int) -> bytes:
        return bytes(self.data[self.offsets[i]:self.offsets[i + 1]])

    def blank_lines(self) -> int:
        """How many lines hold only whitespace, newline included. Counted among the lines
        shorter than 64 bytes only: a longer blank line is found when its JSON fails."""
        short = np.flatnonzero(np.diff(self.offsets) < 64)
        return sum(1 for i in short if not self.line(int(i)).strip(b" \t\n\r"))

    def table(self) -> pa.Table:
        """line_no + line as Arrow, zero-copy over the block, in several record batches so
        DuckDB parses on every core. Raises pa.ArrowInvalid on invalid UTF-8."""
        n = len(self)
        lines = pa.LargeStringArray.from_buffers(
            n, pa.py_buffer(self.offsets), pa.py_buffer(self.data))
        lines.validate(full=True)
        # from_buffers, not pa.array(ndarray): that one imports pandas (0.3 s) on first use
        numbers = pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(
            np.arange(self.first_line_no, self.first_line_no + n, dtype=np.int64))])
        step = max(1, n // PARSE_CHUNKS + 1)
        return pa.Table.from_batches([
            pa.record_batch([numbers.slice(i, step), lines.slice(i, step)],
                            names=["line_no", "line"])
            for i in range(0, n, step)
        ])


class BufferStillLent(RuntimeError):
    """A write into bytes the raw keeper may still be reading (a bug in the block reader)."""


class LentBytes:
    """The bytes the last read wrote: with rawkeep.Tee(lend=True) the keeper hashes and copies
    them in its thread, from the buffer itself, until the next read returns. Reads go through
    read(); every other write into a buffer is announced with check_write(), which raises
    BufferStillLent if it would touch those bytes."""

    def __init__(self) -> None:
        self.buffer: bytearray | None = None
        self.start = self.stop = 0

    def read(self, stream: Any, buffer: bytearray, start: int, stop: int) -> int:
        n = stream.readinto(memoryview(buffer)[start:stop]) or 0
        # the read waited for the keeper to finish the bytes before: only these are lent now
        self.buffer, self.start, self.stop = buffer, start, start + n
        return n

    def check_write(self, buffer: bytearray, start: int, stop: int) -> None:
        if buffer is self.buffer and start < self.stop and self.start < stop:
            raise BufferStillLent(f"bytes {start}-{stop} of a read buffer are written while "
                                  f"bytes {self.start}-{self.stop} are lent to the raw keeper")


def line_blocks(stream) -> Iterator[LineBlock]:
    """The stream as blocks of whole lines; newline offsets found with numpy, not Python.

    Blocks are read (readinto) into two buffers used in turn: a fresh 64 MB allocation per
    block costs more in page faults than the read itself. A block is valid until the one after
    the next is asked for (so read_ahead may read block N+1 while block N is mapped). A buffer
    is written again only after a read into the other one has returned, which is what lending
    buffers to the raw keeper requires (see rawkeep.Tee; checked by LentBytes)."""
    lent = LentBytes()
    buffers = [bytearray(READ_BLOCK + 1), bytearray(READ_BLOCK + 1)]  # +1: final newline
    flags = np.empty(SCAN_CHUNK, np.bool_)
    line_no = 1
    carry = memoryview(b"")  # the unfinished last line of the previous block
    turn = 0
    while True:
        if len(carry) >= len(buffers[turn]) - 1:  # a line longer than a block: grow
            buffers[turn] = bytearray(2 * len(carry) + 2)
        buf = buffers[turn]
        view = memoryview(buf)
        filled = len(carry)
        lent.check_write(buf, 0, filled)
        view[:filled] = carry
        end = len(buf) - 1
        eof = False
        while filled < end:
            n = lent.read(stream, buf, filled, end)
            if not n:
                eof = True
                break
            filled += n
        if eof:
            if not filled:
                return
            if buf[filled - 1] != 10:
                lent.check_write(buf, filled, filled + 1)
                buf[filled] = 10
                filled += 1
            cut = filled
        else:
            cut = buf.rfind(b"\n", 0, filled) + 1
            if not cut:  # no newline in a full buffer: carry all of it into a larger one,
                # in this turn's place (the other buffer holds the block before, still in use)
                carry = view[:filled]
                buffers[turn] = bytearray(2 * filled + 2)
                continue
        block = view[:cut]
        offsets = line_offsets(block, flags)
        yield LineBlock(line_no, block, offsets)
        line_no += len(offsets) - 1
        if eof:
            return
        carry = view[cut:filled]
        turn ^= 1


def read_ahead(blocks: Iterator[LineBlock]) -> Generator[LineBlock, None, None]:
    """The blocks of `blocks`, prepared; block N+1 is read, split and checked in a thread
    while the caller maps block N. DuckDB and the reads, numpy and Arrow calls all release the
    GIL, so this puts the second core to work where the import was serial.

    The caller must be done with a block when it asks for the next: only then is the one after
    that read, into the buffer the finished block used (see line_blocks)."""

    def produce() -> LineBlock | None:
        block = next(blocks, None)
        return block.prepare() if block is not None else None

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pantau-read")
    pending: Future | None = None
    try:
        pending = pool.submit(produce)
        while (block := pending.result()) is not None:
            pending = pool.submit(produce)
            yield block
        pending = None
    finally:
        # Stopped early (an error, Ctrl-C): the reader must be idle before the stream closes.
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                pending.result()
        pool.shutdown(wait=True)
        if isinstance(blocks, Generator):
            blocks.close()


def line_offsets(data: memoryview, flags: np.ndarray) -> np.ndarray:
    """Start offsets of the lines in `data` (which ends with a newline), plus its length."""
    octets = np.frombuffer(data, np.uint8)
    parts = [np.zeros(1, np.int64)]
    for start in range(0, len(octets), len(flags)):
        piece = octets[start:start + len(flags)]
        found = flags[:len(piece)]
        np.equal(piece, 10, out=found)  # into a reused array: no allocation per block
        parts.append(np.flatnonzero(found) + (start + 1))
    return np.concatenate(parts)
