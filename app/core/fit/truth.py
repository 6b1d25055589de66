"""Ground truth for the estimator: what llama.cpp itself reports when Hearth's engine really loads a model.

llama.cpp logs one line per buffer it allocates (``load_tensors: CPU_Mapped model buffer size = 92.10 MiB``,
``llama_kv_cache: CPU KV buffer size = ...``, ``llama_context: CPU output buffer size = ...``,
``sched_reserve: CPU compute buffer size = ...``, and ``RS buffer size`` for recurrent state). We load through
``Engine.load`` (so the parameters are exactly the app's), capture the log with ``llama_log.Capture`` and add the
figures up per kind. The values are printed with two decimals in MiB, so each is known to +-0.005 MiB.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MiB = 1 << 20
_BUF_RE = re.compile(r"(\S+)\s+(model|KV|output|compute|RS) buffer size =\s+([\d.]+) MiB")
_KIND = {"model": "weights", "KV": "kv", "output": "output", "compute": "compute", "RS": "recurrent"}


@dataclass
class Measured:
    weights: int = 0
    kv: int = 0
    output: int = 0
    compute: int = 0
    recurrent: int = 0
    buffers: list[tuple[str, str, float]] = field(default_factory=list)  # (buffer type, kind, MiB)
    n_ctx: int = 0

    @property
    def total(self) -> int:
        return self.weights + self.kv + self.output + self.compute + self.recurrent

    def to_dict(self) -> dict:
        return {"weights_bytes": self.weights, "kv_bytes": self.kv, "output_bytes": self.output,
                "compute_bytes": self.compute, "recurrent_bytes": self.recurrent, "total_bytes": self.total,
                "n_ctx": self.n_ctx, "buffers": self.buffers}


def parse_buffer_lines(lines: list[str]) -> Measured:
    m = Measured()
    for line in lines:
        hit = _BUF_RE.search(line)
        if not hit:
            continue
        kind = _KIND[hit.group(2)]
        mib = float(hit.group(3))
        m.buffers.append((hit.group(1), kind, mib))
        setattr(m, kind, getattr(m, kind) + round(mib * MiB))
    return m


def measure_load(path, n_ctx: int, kv_type: str = "f16", flash_attn: bool = False, n_batch: int = 512) -> Measured:
    """Load ``path`` with Hearth's engine and return llama.cpp's own buffer sizes."""
    from app.core.engine import llama_log
    from app.core.engine import Engine, LoadOptions

    engine = Engine()
    with llama_log.Capture() as cap:
        engine.load(path, LoadOptions(n_ctx=n_ctx, kv_type=kv_type, flash_attn=flash_attn, n_batch=n_batch))
    try:
        m = parse_buffer_lines([line for _, line in cap.lines])
        m.n_ctx = engine.n_ctx
    finally:
        engine.unload()
    return m
