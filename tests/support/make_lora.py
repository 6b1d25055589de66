"""LoRA adapters in GGUF, written offline for the tests (the ``gguf`` package and numpy, no training).

What these files prove: the adapter path through real llama.cpp - Hearth's own header check
(``app/core/gguf/adapters.py``), ``llama_adapter_lora_init`` accepting the file for its base model, and
``llama_set_adapters_lora`` changing what the model generates. They are *not* fine-tunes: A and B are random
(B deliberately not zero, unlike a freshly initialised LoRA, so that applying the adapter changes the output),
and the "adapted" model says nothing useful.

Tensor convention (llama.cpp ``src/llama-adapter.cpp``, checked against the bundled library): for a base weight
``W`` with ggml shape ``ne = [n_in, n_out]``, ``W.lora_a`` has ``ne = [n_in, r]`` and ``W.lora_b`` has
``ne = [r, n_out]`` (numpy shapes are the reverse: ``(r, n_in)`` and ``(n_out, r)``). The output gains
``scale * alpha / r * B @ (A @ x)``.

    write_lora(tmp / "a.gguf", starter_model)                        # fits SmolLM2: attn_q + attn_v, rank 4
    write_lora(tmp / "g.gguf", gemma_model)                          # Gemma-3-shaped: llama.cpp refuses it on SmolLM2
    write_lora(tmp / "w.gguf", starter_model,
               shape_override={"attn_q": (512, 576)})                # made for a different width: wrong shape
    truncate(tmp / "a.gguf", tmp / "cut.gguf", 0.5)                  # an incomplete download
    write_adapter_tensors(tmp / "x.gguf", "llama", {...})            # anything malformed, tensor by tensor
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

import numpy as np

from app.core.gguf.header import read_header_file

DTYPES = {"f32": np.float32, "f16": np.float16}


def write_lora(path, base_path, rank: int = 4, alpha: float = 8.0, targets: Iterable[str] = ("attn_q", "attn_v"),
               seed: int = 0, b_scale: float = 0.05, layers: Iterable[int] | None = None, arch: str | None = None,
               shape_override: Mapping[str, tuple[int, int]] | None = None, dtype: str = "f32",
               name: str | None = None) -> Path:
    """A LoRA adapter for the model at ``base_path``: ``blk.{i}.{target}.weight.lora_a/.lora_b`` for each layer in
    ``layers`` (default: all) and each target, shaped for the base tensor.

    ``arch`` overrides ``general.architecture`` (default: the base's). ``shape_override`` maps a target
    (``"attn_q"``) or a full base tensor name (``"blk.0.attn_q.weight"``) to the ggml shape ``(n_in, n_out)`` the
    adapter pretends the base weight has: a consistent A/B pair that does not fit the real model. ``name`` is
    written as ``general.name``; the base's own name goes to ``general.base_model.0.name``.
    """
    base = read_header_file(base_path)
    shapes = {t.name: t.shape for t in base.tensors}
    n_layer = int(base.arch_get("block_count"))
    rng = np.random.default_rng(seed)
    overrides = dict(shape_override or {})
    tensors: dict[str, np.ndarray] = {}
    for i in (range(n_layer) if layers is None else layers):
        for target in targets:
            weight = f"blk.{i}.{target}.weight"
            if weight in overrides or target in overrides:
                n_in, n_out = overrides.get(weight, overrides.get(target))
            elif weight in shapes:
                n_in, n_out = shapes[weight][0], shapes[weight][1]
            else:
                raise KeyError(f"{base_path} has no tensor {weight}")
            a = rng.standard_normal((rank, n_in)) / np.sqrt(n_in)  # ne [n_in, r]
            b = rng.standard_normal((n_out, rank)) * b_scale  # ne [r, n_out]
            tensors[f"{weight}.lora_a"] = a
            tensors[f"{weight}.lora_b"] = b
    meta = {"general.base_model.count": 1}
    if isinstance(base.get("general.name"), str):
        meta["general.base_model.0.name"] = base.get("general.name")
    return write_adapter_tensors(path, arch or base.architecture, tensors, alpha=alpha, dtype=dtype, name=name,
                                 extra=meta)


def write_adapter_tensors(path, arch: str, tensors: Mapping[str, np.ndarray], alpha: float | None = 8.0,
                          dtype: str = "f32", general_type: str | None = "adapter", adapter_type: str | None = "lora",
                          name: str | None = None, extra: Mapping[str, object] | None = None) -> Path:
    """A GGUF written exactly as given (numpy shapes, reversed to ggml order by the writer); ``None`` leaves a
    key out. For malformed adapters: an unpaired ``lora_a``, ranks that differ, another adapter type ..."""
    import gguf

    path = Path(path)
    w = gguf.GGUFWriter(str(path), arch)
    if general_type is not None:
        w.add_type(general_type)
    if name is not None:
        w.add_name(name)
    if adapter_type is not None:
        w.add_string(gguf.Keys.Adapter.TYPE, adapter_type)
    if alpha is not None:
        w.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    for key, value in (extra or {}).items():
        if isinstance(value, str):
            w.add_string(key, value)
        elif isinstance(value, int):
            w.add_uint32(key, value)
        else:
            w.add_float32(key, float(value))
    for tname, arr in tensors.items():
        w.add_tensor(tname, np.ascontiguousarray(arr, dtype=DTYPES[dtype]))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def write_stub(path, arch: str, general_type: str | None = None) -> Path:
    """A tiny non-adapter GGUF (one f32 tensor): a model-like or projector-like header for classification tests."""
    import gguf

    path = Path(path)
    w = gguf.GGUFWriter(str(path), arch)
    if general_type is not None:
        w.add_type(general_type)
    w.add_tensor("token_embd.weight", np.zeros((4, 32), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def truncate(path, out, keep_fraction: float) -> Path:
    """The first ``keep_fraction`` of ``path`` written to ``out`` (an interrupted download)."""
    data = Path(path).read_bytes()
    out = Path(out)
    out.write_bytes(data[:int(len(data) * keep_fraction)])
    return out
