"""A tiny synthetic GGUF model for the engine probe (app/core/engine/probe.py), written without the gguf package.

A two-layer Llama (n_embd 256, 4 heads, 2 KV heads, n_ff 512, 256 tokens, no tokenizer: the probe feeds
token ids) whose weights are random bytes in the quantized types that llama.cpp's fast CPU paths handle:
Q4_0 (repacked to Q4_0x8 on AVX2/ARM, AMX tiles), Q4_K (repacked, AMX), Q4_1, Q8_0 and Q6_K (AMX). The scale
fields of each block are set to small finite values so activations stay finite. It loads in milliseconds and
exercises the same matrix-multiplication kernels as a real model of those types: a multi-token prompt goes
through the batched (GEMM) paths, single tokens through the vector (GEMV) paths.
"""
from __future__ import annotations

import random
import struct
from pathlib import Path

F32, Q4_0, Q4_1, Q8_0, Q4_K, Q6_K = 0, 2, 3, 8, 12, 14
# type -> (values per block, bytes per block, [(offset of an f16 scale, value)])
_BLOCKS = {
    Q4_0: (32, 18, [(0, 0.02)]),
    Q4_1: (32, 20, [(0, 0.01), (2, -0.05)]),
    Q8_0: (32, 34, [(0, 0.002)]),
    Q4_K: (256, 144, [(0, 0.0005), (2, 0.0005)]),
    Q6_K: (256, 210, [(208, 0.0004)]),
}
N_EMBD, N_FF, N_HEAD, N_HEAD_KV, N_LAYER, N_VOCAB, N_CTX = 256, 512, 4, 2, 2, 256, 256
STRING, UINT32, FLOAT32 = 8, 4, 6
ALIGN = 32
MODEL_VERSION = 1  # part of the probe's cache key: a new model means a new probe


def _tensors() -> list[tuple[str, tuple[int, ...], int]]:
    out = [("token_embd.weight", (N_EMBD, N_VOCAB), Q8_0), ("output_norm.weight", (N_EMBD,), F32),
           ("output.weight", (N_EMBD, N_VOCAB), Q6_K)]
    kv_dim = N_EMBD // N_HEAD * N_HEAD_KV
    for i in range(N_LAYER):
        b = f"blk.{i}."
        out += [(b + "attn_norm.weight", (N_EMBD,), F32),
                (b + "attn_q.weight", (N_EMBD, N_EMBD), Q4_0),
                (b + "attn_k.weight", (N_EMBD, kv_dim), Q4_0),
                (b + "attn_v.weight", (N_EMBD, kv_dim), Q8_0),
                (b + "attn_output.weight", (N_EMBD, N_EMBD), Q4_0),
                (b + "ffn_norm.weight", (N_EMBD,), F32),
                (b + "ffn_gate.weight", (N_EMBD, N_FF), Q4_K),
                (b + "ffn_up.weight", (N_EMBD, N_FF), Q4_K),
                (b + "ffn_down.weight", (N_FF, N_EMBD), Q4_1)]
    return out


def _data(dims: tuple[int, ...], type_id: int, rng: random.Random) -> bytes:
    n = 1
    for d in dims:
        n *= d
    if type_id == F32:
        return struct.pack(f"<{n}f", *([1.0] * n))
    per, size, scales = _BLOCKS[type_id]
    blocks = bytearray(rng.randbytes(n // per * size))
    for b in range(0, len(blocks), size):
        for off, v in scales:
            blocks[b + off:b + off + 2] = struct.pack("<e", v)
    return bytes(blocks)


def _str(s: str) -> bytes:
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def build(seed: int = 1) -> bytes:
    kv = [("general.architecture", STRING, "llama"), ("general.name", STRING, "hearth-engine-probe"),
          ("llama.context_length", UINT32, N_CTX), ("llama.embedding_length", UINT32, N_EMBD),
          ("llama.block_count", UINT32, N_LAYER), ("llama.feed_forward_length", UINT32, N_FF),
          ("llama.attention.head_count", UINT32, N_HEAD), ("llama.attention.head_count_kv", UINT32, N_HEAD_KV),
          ("llama.attention.layer_norm_rms_epsilon", FLOAT32, 1e-5),
          ("llama.rope.dimension_count", UINT32, N_EMBD // N_HEAD), ("llama.vocab_size", UINT32, N_VOCAB),
          ("tokenizer.ggml.model", STRING, "none")]
    head = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(_tensors()), len(kv)))
    for key, vtype, v in kv:
        head += _str(key) + struct.pack("<I", vtype)
        head += _str(v) if vtype == STRING else struct.pack("<I" if vtype == UINT32 else "<f", v)
    rng = random.Random(seed)
    body = bytearray()
    for name, dims, type_id in _tensors():
        body += b"\0" * (-len(body) % ALIGN)
        head += _str(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
        head += struct.pack("<IQ", type_id, len(body))
        body += _data(dims, type_id, rng)
    head += b"\0" * (-len(head) % ALIGN)
    return bytes(head + body)


def write(path: Path, seed: int = 1) -> Path:
    """Write the model to `path` atomically (a crash never leaves half a file for the next probe)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(build(seed))
    tmp.replace(path)
    return path
