"""How fast a model will generate here, estimated before downloading it.

Generating a token reads every weight once, so on a CPU the speed is bounded by memory bandwidth: tokens/s is
about ``efficiency * bandwidth / weight bytes``. We measure the bandwidth once (a large array copy, ~50 ms) and
use an efficiency of 0.5, calibrated on this project's benchmark machine (SmolLM2 135M Q4_1: 14 GB/s copy
bandwidth, ~90 tokens/s when idle, i.e. ~0.6). "Runs well" means at least ``RUN_WELL_TOKENS_PER_S``,
about reading speed.
"""
from __future__ import annotations

import ctypes
import functools
import time

RUN_WELL_TOKENS_PER_S = 8.0
CPU_EFFICIENCY = 0.5


@functools.lru_cache(maxsize=1)
def memory_bandwidth(size_bytes: int = 64 * 2**20, repeats: int = 5) -> float | None:
    """Bytes per second for a large in-memory copy (read + write), best of a few runs; None if unmeasurable."""
    try:
        # two C buffers and memmove (memcpy): no numpy, whose import alone costs the window ~15 MB for good
        src = ctypes.create_string_buffer(b"\x01" * 64, size_bytes)
        dst = ctypes.create_string_buffer(size_bytes)  # zero-filled, so its pages are really there
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            ctypes.memmove(dst, src, size_bytes)
            best = min(best, time.perf_counter() - t0)
        del src, dst
        return 2 * size_bytes / best if best > 0 else None
    except Exception:
        return None


def cpu_tokens_per_s(weights_bytes: int, bandwidth: float | None) -> float | None:
    if not bandwidth or weights_bytes <= 0:
        return None
    return CPU_EFFICIENCY * bandwidth / weights_bytes
