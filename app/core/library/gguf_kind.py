"""What a GGUF file in the library is: a model to chat with, a LoRA adapter or a vision projector (mmproj).

Decided by the header, not the name: ``general.type`` ``adapter`` (llama.cpp's ``convert_lora_to_gguf.py``) is an
adapter; ``general.architecture`` ``clip`` or ``general.type`` ``mmproj`` is a projector; anything else, including
a file whose header cannot be read, is left to be a model (the model checks say what is wrong with it). Only the
first metadata entries are read: converters write ``general.architecture`` and ``general.type`` first, and a
``tokenizer.*`` key means a model, so the vocabulary is never walked. One read of at most 16 KiB per file version,
cached by (path, size, mtime): the Chat page's picker lists the models folder on the GUI thread.
"""
from __future__ import annotations

import os
import struct
import threading

from app.core.gguf import types as T

MODEL, ADAPTER, PROJECTOR = "model", "adapter", "projector"
PEEK_BYTES = 16 << 10
_MAX_KEYS = 64

_cache: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def file_kind(path: str | os.PathLike, st: os.stat_result | None = None) -> str:
    """``"model"``, ``"adapter"`` or ``"projector"`` (``st``: the file's stat when the caller has it)."""
    p = os.fspath(path)
    try:
        st = st or os.stat(p)
    except OSError:
        return MODEL
    key = (p, st.st_size, st.st_mtime_ns)
    with _lock:
        kind = _cache.get(key)
    if kind is None:
        kind = _peek(p)
        with _lock:
            if len(_cache) > 4096:  # old versions of files: forget them all, they are cheap to read again
                _cache.clear()
            _cache[key] = kind
    return kind


def kind_of_header(header) -> str:
    """The same decision for a header already read (``GGUFHeader`` or ``GGUFModel``)."""
    return _kind(header.get("general.architecture"), header.get("general.type"))


def _kind(arch, gtype) -> str:
    if gtype == "adapter":
        return ADAPTER
    if arch == "clip" or gtype == "mmproj":
        return PROJECTOR
    return MODEL


def _peek(path: str) -> str:
    try:
        with open(path, "rb") as f:
            buf = f.read(PEEK_BYTES)
    except OSError:
        return MODEL
    arch = gtype = None
    try:
        if buf[:4] != b"GGUF" or struct.unpack_from("<I", buf, 4)[0] not in (2, 3):
            return MODEL
        n_kv = struct.unpack_from("<Q", buf, 16)[0]
        pos = 24
        for _ in range(min(n_kv, _MAX_KEYS)):
            (n,) = struct.unpack_from("<Q", buf, pos)
            key = buf[pos + 8:pos + 8 + n].decode("utf-8", "replace")
            pos += 8 + n
            (vtype,) = struct.unpack_from("<I", buf, pos)
            pos += 4
            if key.startswith("tokenizer."):
                return MODEL
            if vtype == T.STRING:
                (n,) = struct.unpack_from("<Q", buf, pos)
                value = buf[pos + 8:pos + 8 + n].decode("utf-8", "replace")
                pos += 8 + n
                if key == "general.architecture":
                    arch = value
                elif key == "general.type":
                    gtype = value
            elif vtype in T.SCALAR_FORMATS:
                pos += T.SCALAR_FORMATS[vtype][1]
            elif vtype == T.ARRAY:
                pos = _skip_array(buf, pos)
            else:
                break
            if gtype is not None or arch == "clip":
                break
            if pos > len(buf):
                break
    except (struct.error, ValueError, OverflowError):
        pass  # ran past what was read, or a damaged header (a length of 2**63): what was seen decides
    return _kind(arch, gtype)


def _skip_array(buf: bytes, pos: int) -> int:
    itype, count = struct.unpack_from("<IQ", buf, pos)
    pos += 12
    if itype in T.SCALAR_FORMATS:
        return pos + count * T.SCALAR_FORMATS[itype][1]
    if itype == T.STRING:
        for _ in range(count):
            (n,) = struct.unpack_from("<Q", buf, pos)
            pos += 8 + n
        return pos
    raise ValueError("nested or unknown array")
