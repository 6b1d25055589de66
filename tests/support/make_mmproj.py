"""Write a tiny multimodal projector (mmproj) GGUF for tests.

The weights are random: this proves the path through llama.cpp's real image encoder (libmtmd / clip:
preprocessing, the vision transformer, the projector, decoding the embeddings into the text model), not sight.
Whatever the text model "says" about the image is noise.

The tower is a SigLIP-style ViT, as llama.cpp's clip loader expects it: patch embedding (conv), learned position
embeddings, ``block_count`` pre-norm transformer layers, a post layer norm, then the projector. Two projector types
are written:

- ``gemma3`` (default): average-pool by ``scale_factor``, RMS norm, a linear map to ``n_embd_text``. Fixed-size
  preprocessing (any image is resized to ``image_size``), one image chunk per image, the begin/end markers
  ``<start_of_image>``/``<end_of_image>`` added as plain text. llama.cpp decodes its image tokens non-causally.
- ``idefics3`` (SmolVLM): pixel shuffle by ``scale_factor``, a linear map. Its preprocessor always slices the image
  into tiles and looks up SmolVLM's special tokens (``<fake_token_around_image>``, ``<global-img>``) in the text
  vocabulary; a plain text model such as SmolLM2 lacks them, so use it only with a SmolVLM text model.

The output width is ``n_embd_text``: give the text model's ``n_embd`` (576 for SmolLM2-135M) for a projector that
fits, anything else (e.g. 960) for one that does not.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

PROJECTOR_TYPES = ("gemma3", "idefics3")


class U32(int):
    """An int written as uint32 (llama.cpp reads most clip sizes as uint32)."""


def write_tiny_projector(path, n_embd_text: int = 576, projector_type: str = "gemma3", seed: int = 0, *,
                         image_size: int = 32, patch_size: int = 8, hidden: int = 32, ffn: int = 64,
                         heads: int = 2, layers: int = 1, scale_factor: int = 2,
                         overrides: dict[str, object] | None = None) -> Path:
    """Write the projector to ``path`` and return it as a Path (about 90 KB with the default sizes).

    ``overrides`` replaces metadata values (``None`` drops the key) to make malformed projectors; a value of type
    ``U32`` is written as uint32, other ints as int32, floats as float32, lists as arrays.
    """
    import gguf

    if projector_type not in PROJECTOR_TYPES:
        raise ValueError(f"projector_type must be one of {PROJECTOR_TYPES}")
    n_side = image_size // patch_size
    if image_size % patch_size or n_side % scale_factor or hidden % heads or ffn == hidden:
        # ffn == hidden would make llama.cpp take the up/down weights for a legacy swapped pair
        raise ValueError("inconsistent sizes")
    rng = np.random.default_rng(seed)
    path = Path(path)

    def rand(*shape, scale=0.2, dtype=np.float32):
        return (rng.standard_normal(shape) * scale).astype(dtype)

    kv: dict[str, object] = {
        "general.architecture": "clip",
        "general.name": f"hearth-test-tiny-{projector_type}",
        "general.description": "random weights: proves the path through llama.cpp's image encoder, not sight",
        gguf.Keys.Clip.HAS_VISION_ENCODER: True,
        gguf.Keys.Clip.PROJECTOR_TYPE: projector_type,
        gguf.Keys.ClipVision.IMAGE_SIZE: U32(image_size),
        gguf.Keys.ClipVision.PATCH_SIZE: U32(patch_size),
        gguf.Keys.ClipVision.EMBEDDING_LENGTH: U32(hidden),
        gguf.Keys.ClipVision.FEED_FORWARD_LENGTH: U32(ffn),
        gguf.Keys.ClipVision.PROJECTION_DIM: U32(n_embd_text),
        gguf.Keys.ClipVision.BLOCK_COUNT: U32(layers),
        gguf.Keys.ClipVision.Attention.HEAD_COUNT: U32(heads),
        gguf.Keys.ClipVision.Attention.LAYERNORM_EPS: 1e-6,
        gguf.Keys.ClipVision.IMAGE_MEAN: [0.5, 0.5, 0.5],
        gguf.Keys.ClipVision.IMAGE_STD: [0.5, 0.5, 0.5],
        gguf.Keys.ClipVision.Projector.SCALE_FACTOR: U32(scale_factor),
        "clip.use_gelu": True,
    }
    if projector_type == "idefics3":
        kv[gguf.Keys.ClipVision.PREPROC_IMAGE_SIZE] = U32(image_size)  # longest edge: one tile + the overview
    for key, value in (overrides or {}).items():
        if value is None:
            kv.pop(key, None)
        else:
            kv[key] = value

    w = gguf.GGUFWriter(str(path), arch=str(kv.pop("general.architecture", "")))
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    for key, value in kv.items():
        if isinstance(value, U32):
            w.add_uint32(key, int(value))
        elif isinstance(value, bool):
            w.add_bool(key, value)
        elif isinstance(value, str):
            w.add_string(key, value)
        elif isinstance(value, float):
            w.add_float32(key, value)
        elif isinstance(value, int):
            w.add_int32(key, value)
        else:
            w.add_array(key, list(value))

    # numpy shapes are ggml's ne reversed
    w.add_tensor("v.patch_embd.weight", rand(hidden, 3, patch_size, patch_size, dtype=np.float16))
    w.add_tensor("v.patch_embd.bias", rand(hidden))
    w.add_tensor("v.position_embd.weight", rand(n_side * n_side, hidden))
    for i in range(layers):
        p = f"v.blk.{i}"
        for name in ("attn_q", "attn_k", "attn_v", "attn_out"):
            w.add_tensor(f"{p}.{name}.weight", rand(hidden, hidden))
            w.add_tensor(f"{p}.{name}.bias", rand(hidden, scale=0.02))
        for name in ("ln1", "ln2"):
            w.add_tensor(f"{p}.{name}.weight", np.ones(hidden, dtype=np.float32))
            w.add_tensor(f"{p}.{name}.bias", np.zeros(hidden, dtype=np.float32))
        w.add_tensor(f"{p}.ffn_up.weight", rand(ffn, hidden))
        w.add_tensor(f"{p}.ffn_up.bias", rand(ffn, scale=0.02))
        w.add_tensor(f"{p}.ffn_down.weight", rand(hidden, ffn))
        w.add_tensor(f"{p}.ffn_down.bias", rand(hidden, scale=0.02))
    w.add_tensor("v.post_ln.weight", np.ones(hidden, dtype=np.float32))
    w.add_tensor("v.post_ln.bias", np.zeros(hidden, dtype=np.float32))
    if projector_type == "gemma3":
        w.add_tensor("mm.soft_emb_norm.weight", np.ones(hidden, dtype=np.float32))
        w.add_tensor("mm.input_projection.weight", rand(hidden, n_embd_text, scale=0.05, dtype=np.float16))
    else:
        k = hidden * scale_factor * scale_factor
        w.add_tensor("mm.model.fc.weight", rand(n_embd_text, k, scale=0.05, dtype=np.float16))

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    out = write_tiny_projector(sys.argv[1] if len(sys.argv) > 1 else "tiny-mmproj.gguf")
    print(out, out.stat().st_size, "bytes")
