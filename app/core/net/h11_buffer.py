"""A receive buffer for h11 (the HTTP/1.1 parser under httpx2/httpcore2) that passes body bytes through without
copying them.

h11's own ``ReceiveBuffer`` appends every block read from the socket to a ``bytearray`` and slices it out again
(twice, in ``maybe_extract_at_most``); httpcore then copies the slice into ``bytes``. For a multi-GB download
that is four extra copies of every byte, all made while holding the GIL: on a 2-core machine they cost more
than the socket read and the file write together. This buffer keeps a block that arrives while the buffer is
empty as the ``bytes`` object it is, and hands that same object out when h11 asks for body bytes; anything else
(status line, headers, chunk sizes, a block that arrives behind unread bytes) goes through h11's code unchanged.

:func:`install` swaps it into h11's connection class; it checks h11's layout first, so a different h11 only
costs speed, never correctness.
"""
from __future__ import annotations

import logging

log = logging.getLogger("hearth.network")

try:
    from h11._receivebuffer import ReceiveBuffer as _H11ReceiveBuffer
except ImportError:  # pragma: no cover - another h11 layout
    _H11ReceiveBuffer = None  # type: ignore[assignment,misc]

_EXPECTED = ("__iadd__", "__len__", "__bytes__", "maybe_extract_at_most", "maybe_extract_next_line",
             "maybe_extract_lines", "is_next_line_obviously_invalid_request_line")


if _H11ReceiveBuffer is not None:
    class PassThroughReceiveBuffer(_H11ReceiveBuffer):  # type: ignore[misc,valid-type]
        """h11's buffer plus one un-copied block (``_pending``) that is only ever at the front."""

        def __init__(self) -> None:
            super().__init__()
            self._pending: bytes | None = None

        def _merge(self) -> None:
            if self._pending is not None:
                self._data += self._pending
                self._pending = None

        def __iadd__(self, byteslike):
            if self._pending is None and not self._data and type(byteslike) is bytes:
                self._pending = byteslike
            else:
                self._merge()
                self._data += byteslike
            return self

        def __len__(self) -> int:
            return len(self._data) + (len(self._pending) if self._pending is not None else 0)

        def __bytes__(self) -> bytes:
            self._merge()
            return bytes(self._data)

        def maybe_extract_at_most(self, count: int):
            p = self._pending
            if p is None:
                if not self._data:
                    return None
                if count >= len(self._data):  # h11 slices twice; take the whole buffer once instead
                    out, self._data = self._data, bytearray()
                else:
                    out = self._data[:count]
                    del self._data[:count]
                self._next_line_search = self._multiple_lines_search = 0
                return out
            if count >= len(p):
                self._pending = None
                out = p  # the block as it came from the socket: no copy
            else:  # the end of a body and the start of what follows share a block
                out, self._pending = p[:count], p[count:]
            self._next_line_search = self._multiple_lines_search = 0
            return out

        def maybe_extract_next_line(self):
            self._merge()
            return super().maybe_extract_next_line()

        def maybe_extract_lines(self):
            self._merge()
            return super().maybe_extract_lines()

        def is_next_line_obviously_invalid_request_line(self) -> bool:
            self._merge()
            return super().is_next_line_obviously_invalid_request_line()
else:  # pragma: no cover
    PassThroughReceiveBuffer = None  # type: ignore[assignment,misc]


def install() -> bool:
    """Make new h11 connections use :class:`PassThroughReceiveBuffer`. Returns whether it is in use."""
    try:
        import h11._connection as conn
    except ImportError:  # pragma: no cover
        return False
    if PassThroughReceiveBuffer is None:  # pragma: no cover
        return False
    if conn.ReceiveBuffer is PassThroughReceiveBuffer:
        return True
    layout_ok = (conn.ReceiveBuffer is _H11ReceiveBuffer
                 and all(name in vars(_H11ReceiveBuffer) for name in _EXPECTED)
                 and {"_data", "_next_line_search", "_multiple_lines_search"} <= set(vars(_H11ReceiveBuffer())))
    if not layout_ok:  # pragma: no cover - a newer h11: keep its own buffer
        log.info("h11's receive buffer changed; downloads use it as it is (slower, same bytes)")
        return False
    conn.ReceiveBuffer = PassThroughReceiveBuffer
    return True
