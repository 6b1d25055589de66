"""A last-resort reader of SQLite's file format: every row that sits on a table leaf page, found without the
schema, the b-tree interior pages or page 1 being intact (what the sqlite3 shell's ``.recover`` does).

Used only by ``salvage.py`` when SQL can no longer read some rows. It scans the main file and then the
committed frames of the ``-wal`` file (newer versions of pages win), follows overflow chains for long text and
skips anything that does not parse. The caller decides which table a row belongs to by its shape.
See https://www.sqlite.org/fileformat2.html for the layout.
"""
from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

TABLE_LEAF = 0x0D
DEFAULT_PAGE_SIZE = 4096


def varint(buf: bytes, pos: int) -> tuple[int, int]:
    """(value, next position) of the SQLite varint at ``pos``."""
    value = 0
    for i in range(9):
        byte = buf[pos + i]
        if i == 8:
            return ((value << 8) | byte) & 0xFFFFFFFFFFFFFFFF, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    raise ValueError("bad varint")


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def decode_record(payload: bytes) -> list:
    """The column values of one record; ValueError/IndexError when it does not parse."""
    header_size, pos = varint(payload, 0)
    if not 0 < header_size <= len(payload):
        raise ValueError("bad record header")
    types = []
    while pos < header_size:
        t, pos = varint(payload, pos)
        types.append(t)
    values, pos = [], header_size
    for t in types:
        value, pos = _value(payload, pos, t)
        values.append(value)
    if pos > len(payload):
        raise ValueError("record runs past its payload")
    return values


_INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def _value(buf: bytes, pos: int, t: int):
    if t == 0:
        return None, pos
    if t in _INT_SIZES:
        n = _INT_SIZES[t]
        if pos + n > len(buf):
            raise ValueError("integer past the end")
        return int.from_bytes(buf[pos:pos + n], "big", signed=True), pos + n
    if t == 7:
        return struct.unpack(">d", buf[pos:pos + 8])[0], pos + 8
    if t in (8, 9):
        return t - 8, pos
    if t >= 12:
        n = (t - 12) // 2
        if pos + n > len(buf):
            raise ValueError("text past the end")
        raw = buf[pos:pos + n]
        return (raw.decode("utf-8", "replace") if t % 2 else raw), pos + n
    raise ValueError(f"reserved serial type {t}")


class PageFile:
    """The pages of a database file and its WAL, read into memory (a chats database is megabytes, not GB)."""

    def __init__(self, path: Path):
        self.data = Path(path).read_bytes()
        self.page_size, self.reserved = self._geometry()
        self.usable = self.page_size - self.reserved
        self.pages: dict[int, bytes] = {}
        for n in range(len(self.data) // self.page_size):
            self.pages[n + 1] = self.data[n * self.page_size:(n + 1) * self.page_size]
        self._read_wal(Path(str(path) + "-wal"))

    def _geometry(self) -> tuple[int, int]:
        head = self.data[:100]
        if head.startswith(b"SQLite format 3\x00") and len(head) >= 21:
            size = int.from_bytes(head[16:18], "big")
            size = 65536 if size == 1 else size
            if size >= 512 and size & (size - 1) == 0:
                return size, head[20]
        return DEFAULT_PAGE_SIZE, 0  # damaged header: SQLite's default page size is the best guess

    def _read_wal(self, wal: Path) -> None:
        try:
            data = wal.read_bytes()
        except OSError:
            return
        if len(data) < 32 or int.from_bytes(data[8:12], "big") != self.page_size:
            return
        salts, frame, pending = data[16:24], 24 + self.page_size, {}
        for off in range(32, len(data) - frame + 1, frame):
            if data[off + 8:off + 16] != salts:
                break
            pending[int.from_bytes(data[off:off + 4], "big")] = data[off + 24:off + frame]
            if int.from_bytes(data[off + 4:off + 8], "big"):  # a commit frame: everything so far is durable
                self.pages.update(pending)
                pending = {}

    def rows(self) -> Iterator[tuple[int, list]]:
        """(rowid, values) for every parseable cell of every table leaf page."""
        for number, page in self.pages.items():
            start = 100 if number == 1 else 0
            if len(page) <= start or page[start] != TABLE_LEAF:
                continue
            yield from self._leaf_rows(page, start)

    def _leaf_rows(self, page: bytes, start: int) -> Iterator[tuple[int, list]]:
        count = int.from_bytes(page[start + 3:start + 5], "big")
        for i in range(min(count, self.usable // 4)):
            try:
                ptr = int.from_bytes(page[start + 8 + 2 * i:start + 10 + 2 * i], "big")
                size, pos = varint(page, ptr)
                rowid, pos = varint(page, pos)
                yield _signed(rowid), decode_record(self._payload(page, pos, size))
            except (ValueError, IndexError, struct.error):
                continue

    def _payload(self, page: bytes, pos: int, size: int) -> bytes:
        u = self.usable
        x = u - 35
        if size <= x:
            return page[pos:pos + size]
        m = ((u - 12) * 32 // 255) - 23
        local = m + (size - m) % (u - 4)
        local = local if local <= x else m
        parts, nxt, seen = [page[pos:pos + local]], int.from_bytes(page[pos + local:pos + local + 4], "big"), set()
        got = local
        while got < size and nxt and nxt not in seen and nxt in self.pages:
            seen.add(nxt)
            over = self.pages[nxt]
            chunk = over[4:u][:size - got]
            parts.append(chunk)
            got += len(chunk)
            nxt = int.from_bytes(over[:4], "big")
        if got < size:
            raise ValueError("overflow chain broken")
        return b"".join(parts)
