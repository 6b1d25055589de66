"""What a model's companions add to its memory: the LoRA adapters applied to it and its vision projector.

- **An adapter** adds its lora_a/lora_b tensors (``app.core.gguf.adapters.adapter_bytes``): llama.cpp copies them
  into a buffer of their own, each next to the base weight it changes, so they go where the model's layers go
  (:func:`app.core.fit.memory.estimate` splits them like the layers). No compute buffer of its own to speak of.
- **A vision projector** (mmproj) adds its weights (the file: libmtmd reads it whole into its own buffer) and
  the compute buffer libmtmd reserves at load time for one image (``reserve_compute_meta``). That buffer is
  estimated from the header as::

      compute = image_size² × 3 × 4                    (the preprocessed image, f32)
              + 4 × n_patches × (n_ff + 3 × n_embd)    (the widest layer's activations: the FFN's up projection
                                                        plus the residual stream, attention in and out)
      n_patches = (image_size / patch_size)²

  with flash attention (libmtmd's default, "auto", picks it on the CPU and the usual GPU backends; without it the
  n_patches² × n_head score matrix would come on top), at least ``PROJECTOR_MIN_COMPUTE`` (16 MiB), and
  ``PROJECTOR_UNKNOWN_COMPUTE`` when the header lacks the sizes. Measured against the bundled llama.cpp's own
  "compute buffer size" lines (tiny projectors from tests/support/make_mmproj.py with real models' sizes):
  SmolVLM-like (512 px, patch 16, 768 wide, FFN 3072): 21.0 MiB reported, 24.0 estimated; Gemma-3-like (896 px,
  patch 14, 1152 wide, FFN 4304): 121.3 MiB reported, 130.4 estimated; LLaVA-like (336 px, patch 14, 1024
  wide, FFN 4096): 15.8 MiB reported, 17.0 estimated. Projectors that tile an image (idefics3, LLaVA-NeXT)
  reserve for one tile, which is what ``image_size`` is. Libmtmd runs on the CPU unless the engine asks for the
  GPU (``on_gpu``).
No Qt.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.core.i18n import translate
from app.core.units import human_bytes

MiB = 1 << 20
PROJECTOR_MIN_COMPUTE = 16 * MiB
PROJECTOR_UNKNOWN_COMPUTE = 128 * MiB


@dataclass(frozen=True)
class ExtraPart:
    """One companion loaded with the model: its resident bytes and where they go."""
    kind: str  # "adapter" | "projector"
    name: str  # what the verdict calls it (the adapter's name, the projector's file)
    weights: int
    compute: int = 0
    on_gpu: bool = False  # projector only: libmtmd on the GPU (adapters follow the model's layers)

    @property
    def total(self) -> int:
        return self.weights + self.compute

    def describe(self) -> str:
        if self.kind == "adapter":
            return translate("FitExtras", "adapter {name} ({size})").format(name=self.name,
                                                                            size=human_bytes(self.total))
        return translate("FitExtras", "vision projector ({size})").format(size=human_bytes(self.total))


def adapter_part(adapter) -> ExtraPart:
    """An adapter (``AdapterInfo``, or the path of one: read and checked)."""
    from app.core.gguf.adapters import AdapterInfo, adapter_bytes, read_adapter

    info = adapter if isinstance(adapter, AdapterInfo) else read_adapter(adapter)
    return ExtraPart("adapter", info.name, adapter_bytes(info))


def projector_part(path: str | os.PathLike, on_gpu: bool = False) -> ExtraPart:
    """A vision projector file: its size and the compute buffer for one image. ``GGUFError``/``OSError`` when its
    header cannot be read."""
    from app.core.gguf.header import read_header_file

    p = Path(path)
    h = read_header_file(p)
    return ExtraPart("projector", p.name, h.file_size, projector_compute_bytes(h), on_gpu)


def projector_compute_bytes(header) -> int:
    """libmtmd's compute buffer for one image (the formula in the module's docstring)."""
    def num(key: str) -> int:
        v = header.get(f"clip.vision.{key}")
        return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else 0

    size, patch, hidden = num("image_size"), num("patch_size"), num("embedding_length")
    ffn = num("feed_forward_length") or 4 * hidden
    if not (size and patch and hidden) or patch > size:
        return PROJECTOR_UNKNOWN_COMPUTE
    n_patches = (size // patch) ** 2
    image = size * size * 3 * 4
    return max(PROJECTOR_MIN_COMPUTE, image + 4 * n_patches * (ffn + 3 * hidden))


def describe(parts) -> str:
    """"with adapter x (12 MiB) and vision projector (190 MiB)", or "" when there are none."""
    texts = [p.describe() for p in parts]
    if not texts:
        return ""
    if len(texts) == 1:
        return translate("FitExtras", "with {part}").format(part=texts[0])
    return translate("FitExtras", "with {parts} and {last}").format(parts=", ".join(texts[:-1]), last=texts[-1])
