"""How fast a model will generate here, estimated before downloading it.

**The forecast.** Generating one token runs the whole network once for one position: every weight matrix is read
from memory and multiplied by a vector, on ``T`` threads (llama.cpp's default, as the engine's: the physical
cores). Per token::

    seconds = max(B_read / (MEMORY_EFFICIENCY * bandwidth),     # memory: stream every weight byte once
                  W_read / (T * WEIGHTS_PER_S_PER_THREAD))      # compute: dequantize and multiply, per core
              + N_ops * SYNC_S_PER_OP * log2(T)                 # the threads wait for one another after each op
    tokens/s = 1 / seconds

    MEMORY_EFFICIENCY = 1.0, WEIGHTS_PER_S_PER_THREAD = 19e9, SYNC_S_PER_OP = 15 µs

- ``B_read`` / ``W_read``: the bytes / number of weights read per token: every tensor except the input embedding
  table, of which one row is looked up (a model with tied embeddings reads it whole, as its output matrix).
  ``N_ops``: the weight tensors read (each is at least one operation of llama.cpp's graph). All three come from
  the GGUF header (:func:`work_per_token`), or from a starter pick's facts (``OPS_PER_LAYER`` per layer).
- ``bandwidth``: this machine's measured copy bandwidth (bytes read + written per second) on ``T`` threads.
- Why this shape: it is a roofline. A large model is memory bound: it must stream all its bytes, and llama.cpp's
  reads run at about the rate a large copy moves bytes (efficiency ~1). A small one is compute bound: one core
  dequantizes and multiplies ~19 G weights a second whatever their type, so on few cores a Q4 model is not
  twice as fast as a Q8 one. And with more than one thread, every operation ends at a barrier where the threads
  meet: a tiny model's hundreds of small operations gain little or nothing from a second core (SmolLM2 135M
  runs at ~130 tokens/s on one core and ~135 on two here), a 1 GB model gains a lot (25 -> 40).
  A constant per-token cost (sampling, the token's text, the pipe to the app) fitted to zero and is left out.

**Calibration**: the best of three ``hearth chat MODEL "Tell me about the sea." --json --max-tokens 32
--temperature 0 --threads T`` runs each, on this project's 2-core AMD EPYC VM (KVM, 32 MiB L3, measured copy
bandwidth ~34-40 GB/s, taken as 38 for the fit), tokens/s forecast / measured::

    model                        B_read  W_read  N_ops    T = 2            T = 1
    SmolLM2 135M Q4_1             97 MB   135 M    272    131 / 135        141 / 130
    Gemma 3 270M Q4_K_M          247 MB   268 M    236     94 /  83         71 /  74
    synthetic Llama 1 GB Q8_0    922 MB   867 M    155     38 /  40         22 /  25
    synthetic, 2 layers of 2048  203 MB   191 M     20    177 / 163        100 / 117
    synthetic, 60 layers of 576  256 MB   241 M    542     67 /  80         79 /  67
    synthetic, 8 layers of 576    60 MB    57 M     74    371 / 437        336 / 345

The three constants were fitted to those twelve runs (largest error 19%; tests/e2e/test_speed_forecast.py checks
the first three within ±30% with ``hearth fit --json``'s ``expected_tokens_per_s``). They are of this machine's
kind, a current x86 core with AVX2/AVX-512 at ~2.5-3 GHz: on a much slower core the compute term is optimistic,
and the synchronization cost is that of a small VM (likely lower on bare metal). Mixture-of-experts models are
counted as if every expert were read (pessimistic). GPUs are not forecast. With other programs busy on the same
cores llama.cpp's threads wait for each other much longer and real speed drops far below any forecast.

**The bandwidth** (:func:`memory_bandwidth`) is measured once per machine and kept: a forecast that changes from
one start to the next (it did: a 64 MB copy partly fits in the L3 cache of large server CPUs, so "what can I run
well" named a different model each time) is worse than a slightly wrong one. The measurement copies a buffer of at
least 256 MiB and at least 8 times the largest L3 cache (read from /sys, or sysctl on macOS), at most 1 GiB and a
sixteenth of the free memory (two such buffers), split over ``T`` threads (``ctypes.memmove`` releases the GIL)
that start together; each pass is timed from the first thread's start to the last one's end, and the median of
``PASSES`` (7) passes is kept (the best pass swung from 40 to 68 GB/s between two measurements on this VM; the
median moves less). About 0.5 s. The result is stored in
``<data dir>/memory_bandwidth.json`` under a key of the CPU model, the logical CPU count, the RAM size (GiB), ``T``
and the method's version, and every later start, ``hearth fit`` and the window alike, reuses it
(:func:`bandwidth_info` with ``refresh=True`` measures again). It is called off the GUI thread (the Hardware page's
worker, ``app/ui/hardware/hardware_worker.py``), and remembered in the process after the first call.
"""
from __future__ import annotations

import ctypes
import statistics
import functools
import json
import logging
import math
import os
import platform
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger("hearth.fit.speed")

RUN_WELL_TOKENS_PER_S = 8.0

# the forecast's constants (see the module docstring)
MEMORY_EFFICIENCY = 1.0
WEIGHTS_PER_S_PER_THREAD = 19e9
SYNC_S_PER_OP = 15e-6
OPS_PER_LAYER = 10  # weight tensors per layer when only a pick's facts are known (llama: 9, qwen2: 12, gemma3: 13)

# the bandwidth measurement
METHOD_VERSION = 3  # part of the cache key: a new method measures again (3: the median pass, not the best)
MIN_BUFFER = 256 * 2**20
MAX_BUFFER = 1 * 2**30
L3_MULTIPLE = 8
PASSES = 7
CACHE_NAME = "memory_bandwidth.json"


# ---- the bandwidth ----------------------------------------------------------------------------------------------
@dataclass
class Bandwidth:
    bytes_per_s: float  # bytes read + written per second by a large copy on ``threads`` threads
    threads: int
    buffer_bytes: int
    passes: int
    samples: list[float] = field(default_factory=list)  # every pass, bytes/s
    measured_at: float = 0.0
    key: str = ""
    cached: bool = False  # read from the cache file rather than measured now

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("cached")
        return d


def default_threads() -> int:
    """The threads llama.cpp gets when the user sets none: the engine's own default (the physical cores)."""
    from app.core.engine.generation import physical_cores

    return physical_cores()


def l3_cache_bytes() -> int | None:
    """The largest L3 (or last-level) cache, in bytes; None when unknown."""
    sizes: list[int] = []
    root = Path("/sys/devices/system/cpu")
    try:
        for index in root.glob("cpu*/cache/index*"):
            try:
                if (index / "level").read_text().strip() != "3":
                    continue
                text = (index / "size").read_text().strip().upper()
            except OSError:
                continue
            mult = {"K": 2**10, "M": 2**20, "G": 2**30}.get(text[-1:], 1)
            digits = text.rstrip("KMG")
            if digits.isdigit():
                sizes.append(int(digits) * mult)
            if len(sizes) >= 64:
                break
    except OSError:
        pass
    if not sizes and platform.system() == "Darwin":
        import subprocess

        for name in ("hw.l3cachesize", "hw.perflevel0.l2cachesize"):
            try:
                out = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=3).stdout
                if out.strip().isdigit() and int(out) > 0:
                    sizes.append(int(out))
                    break
            except (OSError, subprocess.SubprocessError):
                pass
    return max(sizes) if sizes else None


def _ram() -> tuple[int | None, int | None]:
    try:
        import psutil

        vm = psutil.virtual_memory()
        return int(vm.total), int(vm.available)
    except Exception:
        return None, None


def buffer_bytes(l3: int | None = None, available: int | None = None) -> int:
    """How much to copy: much more than any cache, within what the machine can spare (two buffers this size)."""
    size = max(MIN_BUFFER, L3_MULTIPLE * (l3 or 0))
    size = min(size, MAX_BUFFER)
    if available:
        size = min(size, max(32 * 2**20, available // 16))  # two buffers: at most an eighth of the free memory
    return size // 4096 * 4096


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware", "cpu model"):
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_key(threads: int) -> str:
    """What the bandwidth belongs to: the CPU, its logical count, the RAM size and the threads."""
    total, _ = _ram()
    ram_gib = round(total / 2**30) if total else 0
    return f"v{METHOD_VERSION}|{platform.system()}|{_cpu_model()}|cpus={os.cpu_count()}|ram={ram_gib}GiB|t={threads}"


def measure_bandwidth(threads: int = 1, size_bytes: int | None = None, passes: int = PASSES) -> Bandwidth | None:
    """Measure now (no cache): the median of ``passes`` copies of ``size_bytes`` split over ``threads`` threads."""
    threads = max(1, int(threads))
    if size_bytes is None:
        size_bytes = buffer_bytes(l3_cache_bytes(), _ram()[1])
    chunk = max(4096, size_bytes // threads // 64 * 64)
    size_bytes = chunk * threads
    try:
        # two C buffers and memmove (memcpy): no numpy, whose import alone costs the window ~15 MB;
        # create_string_buffer zero-fills both, so their pages are really there before the first pass
        src = ctypes.create_string_buffer(size_bytes)
        dst = ctypes.create_string_buffer(size_bytes)
        ctypes.memset(src, 1, size_bytes)
        base_src, base_dst = ctypes.addressof(src), ctypes.addressof(dst)
        samples: list[float] = []
        for _ in range(passes):
            if threads == 1:
                t0 = time.perf_counter()
                ctypes.memmove(base_dst, base_src, size_bytes)
                elapsed = time.perf_counter() - t0
            else:
                elapsed = _parallel_copy(base_dst, base_src, chunk, threads)
            if elapsed > 0:
                samples.append(2 * size_bytes / elapsed)
        del src, dst
    except (MemoryError, OSError, ValueError) as exc:
        log.warning("memory bandwidth not measured: %s", exc)
        return None
    if not samples:
        return None
    return Bandwidth(statistics.median(samples), threads, size_bytes, passes, [round(s) for s in samples], time.time(),
                     machine_key(threads))


def _parallel_copy(dst: int, src: int, chunk: int, threads: int) -> float:
    """One pass: each thread copies its own slice; from the first start to the last end (each thread times
    itself, so a late start of the timing thread cannot shorten the pass)."""
    barrier = threading.Barrier(threads)
    starts = [0.0] * threads
    ends = [0.0] * threads

    def work(i: int) -> None:
        barrier.wait()
        starts[i] = time.perf_counter()
        ctypes.memmove(dst + i * chunk, src + i * chunk, chunk)  # ctypes releases the GIL during the call
        ends[i] = time.perf_counter()

    workers = [threading.Thread(target=work, args=(i,), name=f"hearth-bandwidth-{i}", daemon=True)
               for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return max(ends) - min(starts)


def cache_file() -> Path:
    from app.paths import resolve_paths

    return resolve_paths().data_dir / CACHE_NAME


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _store(path: Path, key: str, record: Bandwidth) -> None:
    try:
        data = _load(path)
        data[key] = record.to_dict()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.info("memory bandwidth not cached in %s: %s", path, exc)


_lock = threading.Lock()


def bandwidth_info(threads: int | None = None, cache_path: str | os.PathLike | None = None,
                   refresh: bool = False) -> Bandwidth | None:
    """This machine's copy bandwidth on ``threads`` threads (default: :func:`default_threads`): from the cache
    file when it holds this machine's figure, else measured now and stored. Slow the first time (~0.5 s): call
    it off the GUI thread."""
    threads = threads or default_threads()
    path = Path(cache_path) if cache_path is not None else cache_file()
    key = machine_key(threads)
    with _lock:  # two callers at once measure once (and do not disturb each other's measurement)
        if not refresh:
            rec = _load(path).get(key)
            try:
                if rec and float(rec["bytes_per_s"]) > 0:
                    return Bandwidth(**{k: rec[k] for k in ("bytes_per_s", "threads", "buffer_bytes", "passes",
                                                            "samples", "measured_at", "key")}, cached=True)
            except (KeyError, TypeError, ValueError):
                pass
        measured = measure_bandwidth(threads)
        if measured is not None:
            _store(path, key, measured)
        return measured


@functools.lru_cache(maxsize=8)
def _memo(threads: int, cache_path: str | None) -> float | None:
    rec = bandwidth_info(threads, cache_path)
    return rec.bytes_per_s if rec else None


def memory_bandwidth(threads: int | None = None, cache_path: str | os.PathLike | None = None) -> float | None:
    """Bytes per second a large copy moves (read + written) on ``threads`` threads; None if unmeasurable.
    Measured once per machine (see the module docstring), then read from the cache."""
    return _memo(threads or default_threads(), str(cache_path) if cache_path is not None else None)


# ---- the forecast -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TokenWork:
    """What generating one token reads: bytes and weights of the tensors used, and how many there are."""
    bytes: int
    weights: int
    ops: int


def work_per_token(profile) -> TokenWork:
    """From a :class:`ModelProfile`: every tensor but the input embedding table (one row of it is read), which
    is read whole when the output reuses it (tied embeddings). For a profile made from a starter pick's facts,
    the weights follow from the file's bytes per parameter and the operations from the layer count."""
    nbytes = weights = ops = 0
    for t in profile.tensors:
        if t.layer == -1 and not (profile.output_tied and t.name == "token_embd.weight"):
            continue
        nbytes += t.nbytes
        weights += math.prod(t.shape) if t.shape else 0
        ops += 1
    if not profile.exact:
        per_weight = profile.file_size / profile.n_params if profile.n_params and profile.file_size else 0.6
        weights = int(nbytes / per_weight) if per_weight else nbytes
        ops = OPS_PER_LAYER * profile.n_layer + 2
    return TokenWork(nbytes, weights, ops)


def seconds_per_token(work: TokenWork, bandwidth: float, threads: int) -> float:
    threads = max(1, int(threads))
    memory = work.bytes / (MEMORY_EFFICIENCY * bandwidth)
    compute = work.weights / (threads * WEIGHTS_PER_S_PER_THREAD)
    sync = work.ops * SYNC_S_PER_OP * math.log2(threads)
    return max(memory, compute) + sync


def cpu_tokens_per_s(weights_bytes: int, bandwidth: float | None, threads: int = 1, n_weights: int | None = None,
                     n_ops: int = 0) -> float | None:
    """Tokens per second on the CPU for a model reading ``weights_bytes`` (and ``n_weights`` weights in
    ``n_ops`` tensors; by default one weight a byte, no operations counted) per token. None without a
    bandwidth or weights."""
    if not bandwidth or bandwidth <= 0 or weights_bytes <= 0:
        return None
    work = TokenWork(int(weights_bytes), int(n_weights if n_weights is not None else weights_bytes), int(n_ops))
    return 1.0 / seconds_per_token(work, bandwidth, threads)


def forecast_tokens_per_s(profile, bandwidth: float | None, threads: int | None = None) -> float | None:
    """The expected generation speed of ``profile`` on this machine's CPU (None without a bandwidth)."""
    work = work_per_token(profile)
    return cpu_tokens_per_s(work.bytes, bandwidth, threads or default_threads(), work.weights, work.ops)
