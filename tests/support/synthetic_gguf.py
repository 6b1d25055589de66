"""A synthetic ~1 GB Llama that llama.cpp really loads and runs: ground truth for the speed forecast at a size no
test model has (the starter models are 0.1 and 0.25 GB).

It borrows SmolLM2's tokenizer (vocabulary, merges, special tokens, chat template: read from the real SmolLM2
file with ``gguf.GGUFReader``), so prompts tokenize and replies detokenize like a real model, and adds a
TinyLlama-shaped body (width 2048, 32 heads, 8 KV heads, FFN 5632) of 17 layers with an untied output matrix:
about 1.03 GB of Q8_0 weights. The weights are random (a fixed seed, so every copy is the same), scaled so each
matrix multiplication keeps unit variance, and written really, not as a sparse hole: a speed measurement must read
real pages. The output rows of the special tokens (ids below ``N_SPECIAL``, end of turn among them) are zero, so
their logit is always 0 while the largest of ~49,000 random logits is positive: greedy decoding never ends the
reply early and ``--max-tokens`` tokens are always generated.

    path = synthetic_llama_1gb(models_dir, tokenizer_from=smollm2_path)  # built once, then reused

The file is written to a temporary name and renamed when complete, so an interrupted build is never reused.
"""
from __future__ import annotations

import os
from pathlib import Path

FILE_NAME = "synthetic-llama-1gb-Q8_0.gguf"
VERSION = 1  # bump when the layout changes: the name in the file's metadata changes and it is rebuilt

N_EMBD, N_HEAD, N_HEAD_KV, N_FF, N_LAYER = 2048, 32, 8, 5632, 17
N_SPECIAL = 17  # SmolLM2's special tokens: <|endoftext|>, <|im_start|>, <|im_end|>, ... <empty_output> (0-16)
SEED = 1234
_Q8_BLOCK = 32  # values per Q8_0 block: one f16 scale then 32 int8


def _tokenizer_fields(source: Path) -> dict:
    import gguf

    r = gguf.GGUFReader(source)
    keep = {}
    for key, field in r.fields.items():
        if key.startswith("tokenizer."):
            keep[key] = (field.contents(), field.types)
    if "tokenizer.ggml.tokens" not in keep:
        raise ValueError(f"{source} has no tokenizer to borrow")
    return keep


def _q8_0(rng, rows: int, cols: int, zero_rows: int = 0):
    """A (rows, cols) Q8_0 matrix of random weights with standard deviation ~1/sqrt(cols), as raw bytes."""
    import numpy as np

    blocks = cols // _Q8_BLOCK
    out = np.empty((rows, blocks, 2 + _Q8_BLOCK), dtype=np.uint8)
    # int8 uniform in [-127, 127] has a standard deviation of ~73.5
    scale = np.float16(1.0 / (73.5 * cols ** 0.5))
    out[:, :, :2] = np.frombuffer(scale.tobytes(), dtype=np.uint8)
    out[:, :, 2:] = rng.integers(-127, 128, size=(rows, blocks, _Q8_BLOCK), dtype=np.int8).view(np.uint8)
    if zero_rows:
        out[:zero_rows] = 0
    return out.reshape(rows, blocks * (2 + _Q8_BLOCK))


def _plan() -> list[tuple[str, int, int]]:
    """(name, rows, cols) of every matrix in file order (a row is one output, cols its inputs)."""
    hd = N_EMBD // N_HEAD
    out = [("token_embd.weight", 0, 0)]  # the vocabulary size is the tokenizer's: filled in by the writer
    for i in range(N_LAYER):
        b = f"blk.{i}."
        out += [(b + "attn_norm.weight", 1, N_EMBD), (b + "attn_q.weight", N_HEAD * hd, N_EMBD),
                (b + "attn_k.weight", N_HEAD_KV * hd, N_EMBD), (b + "attn_v.weight", N_HEAD_KV * hd, N_EMBD),
                (b + "attn_output.weight", N_EMBD, N_HEAD * hd), (b + "ffn_norm.weight", 1, N_EMBD),
                (b + "ffn_gate.weight", N_FF, N_EMBD), (b + "ffn_up.weight", N_FF, N_EMBD),
                (b + "ffn_down.weight", N_EMBD, N_FF)]
    out += [("output_norm.weight", 1, N_EMBD), ("output.weight", 0, 0)]
    return out


def write_synthetic_llama(path: str | os.PathLike, tokenizer_from: str | os.PathLike) -> Path:
    """Write the model to ``path`` (always; see :func:`synthetic_llama_1gb` for the cached copy)."""
    import gguf
    import numpy as np

    path = Path(path)
    tok = _tokenizer_fields(Path(tokenizer_from))
    n_vocab = len(tok["tokenizer.ggml.tokens"][0])
    w = gguf.GGUFWriter(path, "llama")
    w.add_name(f"Hearth synthetic Llama 1GB v{VERSION}")
    w.add_uint32("llama.context_length", 4096)
    w.add_uint32("llama.embedding_length", N_EMBD)
    w.add_uint32("llama.block_count", N_LAYER)
    w.add_uint32("llama.feed_forward_length", N_FF)
    w.add_uint32("llama.attention.head_count", N_HEAD)
    w.add_uint32("llama.attention.head_count_kv", N_HEAD_KV)
    w.add_float32("llama.attention.layer_norm_rms_epsilon", 1e-5)
    w.add_float32("llama.rope.freq_base", 10000.0)
    w.add_uint32("llama.rope.dimension_count", N_EMBD // N_HEAD)
    w.add_uint32("llama.vocab_size", n_vocab)
    w.add_file_type(7)  # MOSTLY_Q8_0
    w.add_quantization_version(2)
    for key, (value, types) in tok.items():
        if types[0] == gguf.GGUFValueType.ARRAY:
            w.add_key_value(key, value, types[0], sub_type=types[-1])
        else:
            w.add_key_value(key, value, types[0])

    plan = [(name, rows or n_vocab, cols or N_EMBD) for name, rows, cols in _plan()]
    for name, rows, cols in plan:
        if rows == 1:  # a norm: F32 ones
            w.add_tensor_info(name, (cols,), np.dtype(np.float32), cols * 4)
        else:
            nbytes = rows * cols // _Q8_BLOCK * (2 + _Q8_BLOCK)
            w.add_tensor_info(name, (rows, cols), np.dtype(np.float32), nbytes,
                              raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    rng = np.random.default_rng(SEED)
    for name, rows, cols in plan:
        if rows == 1:
            w.write_tensor_data(np.ones(cols, dtype=np.float32))
        else:
            w.write_tensor_data(_q8_0(rng, rows, cols, zero_rows=N_SPECIAL if name == "output.weight" else 0))
    w.close()
    return path


def synthetic_llama_1gb(folder: str | os.PathLike, tokenizer_from: str | os.PathLike) -> Path:
    """The model in ``folder`` (e.g. ``.cache/models``), written there the first time (~20 s, 1.03 GB)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    if path.is_file() and _is_current(path):
        return path
    tmp = folder / f".{FILE_NAME}.{os.getpid()}.tmp"
    try:
        write_synthetic_llama(tmp, tokenizer_from)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _is_current(path: Path) -> bool:
    try:
        import gguf

        field = gguf.GGUFReader(path).fields.get("general.name")
        return field is not None and field.contents() == f"Hearth synthetic Llama 1GB v{VERSION}"
    except Exception:
        return False


__all__ = ["FILE_NAME", "synthetic_llama_1gb", "write_synthetic_llama"]
