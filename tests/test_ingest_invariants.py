"""The buffers the block reader lends to the raw keeper: the bytes of the last read stay
untouched until the next read returns (checked in code by ingest.blocks.LentBytes)."""

from __future__ import annotations

import io

import pytest

from pantau.ingest import blocks


def test_a_write_into_the_bytes_of_the_last_read_is_refused():
    lent = blocks.LentBytes()
    a, b = bytearray(16), bytearray(16)
    assert lent.read(io.BytesIO(b"0123456789"), a, 2, 12) == 10
    with pytest.raises(blocks.BufferStillLent):
        lent.check_write(a, 0, 3)  # overlaps bytes 2-12
    with pytest.raises(blocks.BufferStillLent):
        lent.check_write(a, 11, 14)
    lent.check_write(a, 0, 2)  # before them
    lent.check_write(a, 12, 13)  # after them (the final newline at end of file)
    lent.check_write(b, 0, 16)  # the other buffer
    assert lent.read(io.BytesIO(b"xy"), b, 0, 2) == 2
    lent.check_write(a, 0, 16)  # once the next read returned, the first buffer is free


def test_the_block_reader_keeps_the_rule_on_short_reads_and_long_lines(monkeypatch):
    """Lines longer than a block, reads that return a few bytes, no final newline: every write
    is checked, and the blocks hold the lines."""

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data, self.pos = data, 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            n = min(len(buffer), 7, len(self.data) - self.pos)
            buffer[:n] = self.data[self.pos:self.pos + n]
            self.pos += n
            return n

    checked = []
    original = blocks.LentBytes.check_write

    def counting(self, buffer, start, stop):
        checked.append((start, stop))
        return original(self, buffer, start, stop)

    monkeypatch.setattr(blocks.LentBytes, "check_write", counting)
    monkeypatch.setattr(blocks, "READ_BLOCK", 32)
    lines = [b"a" * 5, b"b" * 70, b"c" * 3, b"d" * 40, b"e"]
    got = []
    for block in blocks.line_blocks(Trickle(b"\n".join(lines))):
        got += [block.line(i).rstrip(b"\n") for i in range(len(block))]
    assert got == lines
    assert checked  # the reader announced its writes
