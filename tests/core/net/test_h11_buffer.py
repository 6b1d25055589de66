"""The copy-free h11 receive buffer gives h11 exactly the events its own buffer gives, however the bytes arrive."""
from __future__ import annotations

import os
import random

import h11
import h11._connection as h11_connection
import pytest
from h11._receivebuffer import ReceiveBuffer

from app.core.net import h11_buffer

BODY = os.urandom(300_000)
FIXED = (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nX-Linked-Size: 1\r\n\r\n" % len(BODY)) + BODY
CHUNKED = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"".join(
    b"%x\r\n%s\r\n" % (len(BODY[i:i + 70_000]), BODY[i:i + 70_000]) for i in range(0, len(BODY), 70_000))
    + b"0\r\nX-Trailer: yes\r\n\r\n")
SECOND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!"


def _events(buffer_cls, stream: bytes, cuts: list[int], responses: int = 1):
    old = h11_connection.ReceiveBuffer
    h11_connection.ReceiveBuffer = buffer_cls
    try:
        conn = h11.Connection(h11.CLIENT)
    finally:
        h11_connection.ReceiveBuffer = old
    out, body = [], bytearray()
    pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])]
    for n in range(responses):
        conn.send(h11.Request(method="GET", target="/x", headers=[("Host", "h")]))
        conn.send(h11.EndOfMessage())
        while True:
            ev = conn.next_event()
            if ev is h11.NEED_DATA:
                conn.receive_data(pieces.pop(0) if pieces else b"")
                continue
            if isinstance(ev, h11.Data):
                body += ev.data
                continue
            out.append((type(ev).__name__, getattr(ev, "status_code", None), list(getattr(ev, "headers", []))))
            if isinstance(ev, h11.EndOfMessage):
                out.append(("body", bytes(body)))
                body.clear()
                break
        if n + 1 < responses:
            conn.start_next_cycle()
    return out


@pytest.mark.parametrize("stream,responses", [(FIXED, 1), (CHUNKED, 1), (FIXED + SECOND, 2)])
def test_same_events_as_h11_for_any_split(stream, responses):
    rng = random.Random(7)
    splits = [[], [len(stream) // 2], [10], [len(FIXED) - 3], list(range(1, 200, 7)),
              sorted(rng.sample(range(1, len(stream)), 40))]
    for cuts in splits:
        mine = _events(h11_buffer.PassThroughReceiveBuffer, stream, cuts, responses)
        theirs = _events(ReceiveBuffer, stream, cuts, responses)
        assert mine == theirs
        assert mine[-1] == ("body", stream[-5:] if responses == 2 else BODY)


def test_body_blocks_are_handed_out_without_copies():
    buf = h11_buffer.PassThroughReceiveBuffer()
    block = os.urandom(1 << 20)
    buf += block
    assert len(buf) == len(block) and buf
    assert buf.maybe_extract_at_most(10 << 20) is block  # the same object: nothing copied
    assert not buf and buf.maybe_extract_at_most(5) is None
    buf += block
    assert buf.maybe_extract_at_most(100) == block[:100]
    buf += b"tail"
    assert bytes(buf) == block[100:] + b"tail"


def test_install_is_idempotent_and_used_by_new_connections():
    assert h11_buffer.install()
    assert h11_buffer.install()
    assert isinstance(h11.Connection(h11.CLIENT)._receive_buffer, h11_buffer.PassThroughReceiveBuffer)
