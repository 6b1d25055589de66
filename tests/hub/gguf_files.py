"""Synthetic GGUF files for the Hub tests: a real GGUF header (written by the ``gguf`` package) describing a
model of any size; the tensor data after it can be generated on the fly by the test server."""
from __future__ import annotations

import tempfile
from pathlib import Path

import gguf
import numpy as np

Q = gguf.GGMLQuantizationType


def _nbytes(shape: tuple[int, ...], qtype) -> int:
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    n = 1
    for d in shape:
        n *= d
    return n // block * size


def model_header(*, n_layers: int = 32, n_embd: int = 4096, n_ff: int = 14336, n_vocab: int = 32000,
                 n_head: int = 32, n_head_kv: int = 8, ctx: int = 32768, qtype=Q.Q4_K, name: str = "Synthetic",
                 chat_template: bool = True) -> tuple[bytes, int]:
    """(header bytes including the padding up to the tensor data, size of the tensor data)."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "h.gguf"
        w = gguf.GGUFWriter(str(path), "llama")
        w.add_name(name)
        w.add_block_count(n_layers)
        w.add_context_length(ctx)
        w.add_embedding_length(n_embd)
        w.add_feed_forward_length(n_ff)
        w.add_head_count(n_head)
        w.add_head_count_kv(n_head_kv)
        w.add_layer_norm_rms_eps(1e-5)
        w.add_rope_freq_base(10000.0)
        w.add_file_type(15 if qtype == Q.Q4_K else 1)
        w.add_tokenizer_model("llama")
        w.add_token_list([f"t{i}" for i in range(256)])
        if chat_template:
            w.add_chat_template("{% for m in messages %}{{ m['content'] }}{% endfor %}")
        head_dim = n_embd // n_head
        tensors: list[tuple[str, tuple[int, ...], object]] = [
            ("token_embd.weight", (n_vocab, n_embd), qtype), ("output_norm.weight", (n_embd,), Q.F32),
            ("output.weight", (n_vocab, n_embd), qtype)]
        for i in range(n_layers):
            p = f"blk.{i}."
            tensors += [
                (p + "attn_norm.weight", (n_embd,), Q.F32), (p + "ffn_norm.weight", (n_embd,), Q.F32),
                (p + "attn_q.weight", (n_embd, n_embd), qtype),
                (p + "attn_k.weight", (n_head_kv * head_dim, n_embd), qtype),
                (p + "attn_v.weight", (n_head_kv * head_dim, n_embd), qtype),
                (p + "attn_output.weight", (n_embd, n_embd), qtype),
                (p + "ffn_gate.weight", (n_ff, n_embd), qtype), (p + "ffn_up.weight", (n_ff, n_embd), qtype),
                (p + "ffn_down.weight", (n_embd, n_ff), qtype)]
        data = 0
        for tname, shape, qt in tensors:
            nb = _nbytes(shape, qt)
            # gguf wants numpy order (reversed) shapes; raw_dtype marks the quantized type
            if qt == Q.F32:
                w.add_tensor_info(tname, shape, np.dtype(np.float32), nb, raw_dtype=qt)
            else:  # quantized: gguf takes the shape in bytes per row
                block, size = gguf.GGML_QUANT_SIZES[qt]
                w.add_tensor_info(tname, (*shape[:-1], shape[-1] // block * size), np.dtype(np.uint8), nb,
                                  raw_dtype=qt)
            data += -(-nb // 32) * 32
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_ti_data_to_file()
        w.close()
        header = path.read_bytes()
    header += b"\x00" * (-len(header) % 32)  # the tensor data starts at the next 32-byte boundary
    return header, data


def small_model_bytes(seed: int = 0, n_layers: int = 2, n_embd: int = 256, name: str = "Tiny") -> bytes:
    """A complete small GGUF file (header + deterministic tensor bytes), a few hundred KB."""
    header, data = model_header(n_layers=n_layers, n_embd=n_embd, n_ff=512, n_vocab=512, n_head=4, n_head_kv=2,
                                ctx=2048, name=name)
    rng = np.random.default_rng(seed)
    return header + rng.integers(0, 256, size=data, dtype=np.uint8).tobytes()
