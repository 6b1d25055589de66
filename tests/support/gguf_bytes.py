"""Build GGUF bytes by hand, field by field, so tests can make every kind of malformed file.

    kv = [("general.architecture", STRING, "llama"), ("general.alignment", UINT32, 32)]
    tensors = [Tensor("a.weight", (32, 2), 0)]           # offsets laid out back to back unless given
    data = build(kv, tensors)                             # a valid file
    data = build(kv, tensors, n_tensors=2**60)            # lie about a count
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
_FMT = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i", FLOAT32: "<f", BOOL: "<?",
        UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}
_TYPE_SIZE = {0: (1, 4), 1: (1, 2), 2: (32, 18), 8: (32, 34), 12: (256, 144)}


@dataclass
class Tensor:
    name: str
    dims: tuple[int, ...]
    type_id: int = 0
    offset: int | None = None


def s(text: str | bytes) -> bytes:
    b = text.encode("utf-8") if isinstance(text, str) else text
    return struct.pack("<Q", len(b)) + b


def value(vtype: int, v) -> bytes:
    if vtype == STRING:
        return s(v)
    if vtype == ARRAY:
        itype, items = v
        return struct.pack("<IQ", itype, len(items)) + b"".join(value(itype, x) for x in items)
    return struct.pack(_FMT[vtype], v)


def nbytes(t: Tensor) -> int:
    bs, ts = _TYPE_SIZE[t.type_id]
    n = 1
    for d in t.dims:
        n *= d
    return n // bs * ts


def pad(n: int, a: int = 32) -> int:
    return (n + a - 1) // a * a


def build(kv: list[tuple[str, int, object]], tensors: list[Tensor], *, magic: bytes = b"GGUF", version: int = 3,
          n_tensors: int | None = None, n_kv: int | None = None, alignment: int = 32, data: bytes | None = None,
          extra_data: int = 0) -> bytes:
    out = bytearray(magic + struct.pack("<I", version))
    out += struct.pack("<QQ", len(tensors) if n_tensors is None else n_tensors, len(kv) if n_kv is None else n_kv)
    for key, vtype, v in kv:
        out += s(key) + struct.pack("<I", vtype) + value(vtype, v)
    off = 0
    for t in tensors:
        o = off if t.offset is None else t.offset
        out += s(t.name) + struct.pack("<I", len(t.dims)) + b"".join(struct.pack("<Q", d) for d in t.dims)
        out += struct.pack("<IQ", t.type_id, o)
        off = pad(o + nbytes(t), alignment)
    out += b"\0" * (pad(len(out), alignment) - len(out))
    if data is None:
        data = bytes(off + extra_data)
    return bytes(out) + data


def small_valid() -> bytes:
    """A tiny but complete GGUF: a few metadata kinds (with a skipped big array) and three tensors."""
    kv = [("general.architecture", STRING, "llama"), ("llama.block_count", UINT32, 1),
          ("llama.embedding_length", UINT32, 64), ("general.name", STRING, "tiny"),
          ("tokenizer.ggml.tokens", ARRAY, (STRING, [f"t{i}" for i in range(300)])),
          ("tokenizer.ggml.scores", ARRAY, (FLOAT32, [0.5] * 5000)),
          ("llama.rope.freq_base", FLOAT32, 10000.0), ("general.flag", BOOL, True)]
    tensors = [Tensor("token_embd.weight", (64, 300), 8), Tensor("blk.0.attn_q.weight", (64, 64), 1),
               Tensor("output_norm.weight", (64,), 0)]
    return build(kv, tensors)
