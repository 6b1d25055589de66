"""Telling models, adapters and projectors apart from the first bytes of a file must never raise, whatever the
bytes: a damaged file is left to the model checks, which say what is wrong with it (a length field of 2**64-1
once made the peek raise OverflowError and the Chat page's model list fail)."""
from __future__ import annotations

import random
import struct

from app.core.library.gguf_kind import MODEL, file_kind


def test_damaged_headers_never_raise(tmp_path):
    rng = random.Random(11)
    f = tmp_path / "broken.gguf"
    head = b"GGUF" + struct.pack("<IQQ", 3, 0, 4)
    cases = [head + struct.pack("<Q", 2**64 - 1) + b"x" * 40,  # a key "longer" than the file
             head + struct.pack("<Q", 12) + b"general.type" + struct.pack("<IQ", 8, 2**63) + b"adapter",
             head + struct.pack("<Q", 3) + b"abc" + struct.pack("<IIQ", 9, 8, 2**62)]  # an array of huge strings
    cases += [head + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) for _ in range(300)]
    for i, data in enumerate(cases):
        one = tmp_path / f"broken{i}.gguf"  # a file of its own each: nothing comes from a cache
        one.write_bytes(data)
        assert file_kind(one) in (MODEL, "adapter", "projector")
    f.write_bytes(cases[0])
    assert file_kind(f) == MODEL
