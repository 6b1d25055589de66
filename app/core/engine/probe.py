"""Pre-flight probe: prove that this llama.cpp build computes correctly on this machine before a model uses it.

llama.cpp picks CPU kernels at run time (weight repacking into interleaved layouts, AMX tiles on Intel Xeon
4th gen and later) through its "extra buffer types". Some of those paths crash on some CPUs (the AMX matrix
code on Sapphire Rapids, ggml-org/llama.cpp#20824) or could compute garbage. So the first time a build runs
on a machine (key: the llama.cpp libraries' contents + the CPU's model and flags + the probe version), a
throwaway process loads a tiny synthetic model (app/core/engine/probe_model.py) and evaluates a 24-token prompt in
one batch and then token by token, in the *fast* configuration (llama.cpp's defaults). If that process
crashes, hangs or the two ways disagree, the *safe* configuration (``use_extra_bufts = False``: no repacking,
no AMX) is probed the same way and used instead. The choice and its reason are cached in a small JSON file
and shown by the Hardware page, About and ``hearth hardware``; ``hearth --self-test`` probes again.

Qt-free. ``ensure()`` may take a second or two the first time: call it off the GUI thread.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.core.i18n import QT_TRANSLATE_NOOP, from_wire, to_wire, translate

log = logging.getLogger("hearth.engine")

PROBE_VERSION = 1
FAST, SAFE, NONE = "fast", "safe", "none"
CONFIGS = (FAST, SAFE)
ENV_CACHE = "HEARTH_PROBE_CACHE"  # where the result is kept (tests share one); default: <data>/engine_probe.json
ENV_FAULT = "HEARTH_PROBE_FAULT"  # test hook, e.g. "fast:segv", "fast:wrong", "all:abort" (see _inject_fault)
TIMEOUT_S = 60.0
PROMPT = [(i * 37 + 11) % 256 for i in range(24)]
TOLERANCE = 0.02  # largest allowed logit difference, relative to the logits' spread (measured: ~1e-3)

_lock = threading.Lock()

# what each configuration means, with the probe's reason (ProbeResult.describe); translated where it is used
DESCRIPTIONS = {FAST: QT_TRANSLATE_NOOP("EngineProbe", "fast (llama.cpp's optimized CPU kernels): {reason}"),
                SAFE: QT_TRANSLATE_NOOP("EngineProbe", "safe (no weight repacking or AMX): {reason}"),
                NONE: QT_TRANSLATE_NOOP("EngineProbe", "safe, but llama.cpp failed its check on this machine: "
                                                       "{reason}")}
CONFIG_NAMES = {FAST: QT_TRANSLATE_NOOP("EngineProbe", "fast"), SAFE: QT_TRANSLATE_NOOP("EngineProbe", "safe")}
# an attempt's outcome in words; {details}: what happened (Attempt.detail, and llama.cpp's last error line)
OUTCOME_WORDS = {"crashed": QT_TRANSLATE_NOOP("EngineProbe", "crashed ({details})"),
                 "wrong": QT_TRANSLATE_NOOP("EngineProbe", "computed wrong results ({details})"),
                 "failed": QT_TRANSLATE_NOOP("EngineProbe", "failed ({details})"),
                 "timeout": QT_TRANSLATE_NOOP("EngineProbe", "hung ({details})")}


@dataclass
class Attempt:
    config: str
    outcome: str  # passed, crashed, wrong, failed, timeout
    detail: str = ""
    seconds: float = 0.0
    log_tail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome == "passed"


@dataclass
class ProbeResult:
    config: str  # fast, safe, or none (nothing worked: the safe configuration is still used)
    reason: str
    key: str = ""
    probed_at: float = 0.0
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def use_extra_bufts(self) -> bool:
        return self.config == FAST

    def describe(self) -> str:
        """One line for people."""
        if self.config in DESCRIPTIONS:
            return translate("EngineProbe", DESCRIPTIONS[self.config]).format(reason=self.reason)
        return f"{self.config}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        wire = to_wire(self.reason)  # the reason's source and values: read back in the reader's language
        if wire is not None:
            d["reason_text"] = wire
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ProbeResult":
        attempts = [Attempt(**a) for a in d.get("attempts", [])]
        reason = from_wire(d.get("reason_text")) or str(d["reason"])
        return cls(config=str(d["config"]), reason=reason, key=str(d.get("key", "")),
                   probed_at=float(d.get("probed_at", 0.0)), attempts=attempts)


# ---- what the result depends on ----------------------------------------------------------------------------
def llama_lib_dir() -> Path | None:
    spec = importlib.util.find_spec("llama_cpp")  # finds the package without loading its libraries
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "lib"


@lru_cache(maxsize=1)
def build_identity() -> str:
    """A hash of llama.cpp's shared libraries (names and contents): any rebuild changes it."""
    h = hashlib.sha256()
    lib = llama_lib_dir()
    for p in sorted(lib.iterdir()) if lib and lib.is_dir() else []:
        if p.is_file() and not p.is_symlink():
            h.update(p.name.encode() + b"\0")
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def cpu_identity() -> str:
    """The CPU's model and instruction-set flags (what decides which kernels llama.cpp picks)."""
    parts = [platform.system(), platform.machine()]
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key = line.split(":", 1)[0].strip()
                if key in ("model name", "flags", "Features", "CPU implementer", "CPU part"):
                    parts.append(line.strip())
                if line.strip() == "":
                    break  # the first processor is enough
    except OSError:
        parts.append(platform.processor())
    return "\n".join(parts)


def probe_key() -> str:
    from app.core.engine import probe_model

    raw = f"{PROBE_VERSION}/{probe_model.MODEL_VERSION}\n{build_identity()}\n{cpu_identity()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def cache_file() -> Path:
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    from app.paths import resolve_paths

    return resolve_paths().data_dir / "engine_probe.json"


# ---- the cached answer -------------------------------------------------------------------------------------
def cached(key: str | None = None) -> ProbeResult | None:
    """The stored result when it belongs to this build and CPU; None when missing, unreadable or stale."""
    key = key or probe_key()
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
        result = ProbeResult.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return result if result.key == key and result.config in (FAST, SAFE, NONE) else None


def _store(result: ProbeResult) -> None:
    path = cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(result.to_dict(), indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # a read-only data folder: probe again next time rather than fail
        log.warning("could not store the engine probe result in %s: %s", path, exc)


def ensure(force: bool = False) -> ProbeResult:
    """The configuration to load models with on this machine: the cached one, or probe now (seconds)."""
    with _lock:
        key = probe_key()
        if not force:
            hit = cached(key)
            if hit is not None:
                return hit
        result = run_probe(key)
        _store(result)
        log.info("engine probe: %s", result.describe())
        return result


# ---- probing (parent side) ---------------------------------------------------------------------------------
def probe_argv(config: str, model: Path) -> list[str]:
    from app.self_exec import hearth_argv

    return hearth_argv() + ["--engine-probe", config, "--model", str(model)]


def _signal_name(rc: int) -> str:
    try:
        return signal.Signals(-rc).name
    except ValueError:
        return f"signal {-rc}"


def attempt(config: str, model: Path, timeout: float | None = None) -> Attempt:
    """Run the probe for one configuration in a throwaway process."""
    timeout = TIMEOUT_S if timeout is None else timeout
    from app.self_exec import hearth_env

    env = hearth_env(dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(probe_argv(config, model), capture_output=True, text=True, errors="replace",
                              timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stderr or "") if isinstance(exc.stderr, str) else ""
        return Attempt(config, "timeout", translate("EngineProbe", "no answer within {seconds:.0f} s").format(
            seconds=timeout), time.perf_counter() - t0, _tail(tail))
    except OSError as exc:
        return Attempt(config, "failed", translate("EngineProbe", "could not start the probe: {error}").format(
            error=exc), time.perf_counter() - t0)
    seconds = time.perf_counter() - t0
    tail = _tail(proc.stderr)
    if proc.returncode < 0:
        return Attempt(config, "crashed", translate("EngineProbe", "the process died with {signal}").format(
            signal=_signal_name(proc.returncode)), seconds, tail)
    answer: dict[str, Any] = {}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            try:
                answer = json.loads(line)
            except ValueError:
                pass
            break
    if not answer:
        return Attempt(config, "crashed" if proc.returncode else "failed",
                       translate("EngineProbe", "the process exited with code {code} and no answer").format(
                           code=proc.returncode), seconds, tail)
    outcome = "passed" if answer.get("ok") else ("wrong" if answer.get("wrong") else "failed")
    detail = from_wire(answer.get("text")) or str(answer.get("detail", ""))  # made again in this language
    return Attempt(config, outcome, detail, seconds, tail)


def _tail(text: str, n: int = 8) -> list[str]:
    lines = [ln.rstrip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[-n:]


def _both(first: str, second: str) -> str:
    """``first; second``, keeping translated texts re-makeable in another language."""
    return translate("EngineProbe", "{first}; {second}").format(first=first, second=second)


def _summary(a: Attempt) -> str:
    last = next((ln for ln in reversed(a.log_tail) if "error" in ln.lower() or "assert" in ln.lower()), "")
    details = _both(a.detail, last) if last else a.detail
    if a.outcome in OUTCOME_WORDS:
        return translate("EngineProbe", OUTCOME_WORDS[a.outcome]).format(details=details)
    return f"{a.outcome} ({details})"


def _config_summary(a: Attempt) -> str:
    """``fast crashed (...)``: an attempt's configuration and outcome."""
    config = translate("EngineProbe", CONFIG_NAMES[a.config]) if a.config in CONFIG_NAMES else a.config
    return translate("EngineProbe", "{config} {summary}").format(config=config, summary=_summary(a))


def run_probe(key: str = "") -> ProbeResult:
    from app.core.engine import probe_model

    attempts: list[Attempt] = []
    with tempfile.TemporaryDirectory(prefix="hearth-probe-") as tmp:
        model = probe_model.write(Path(tmp) / "probe.gguf")
        for config in CONFIGS:
            a = attempt(config, model)
            attempts.append(a)
            if a.ok:
                break
    fast = attempts[0]
    if fast.ok:
        reason = translate("EngineProbe", "a {n}-token prompt evaluated correctly in {seconds:.1f} s").format(
            n=len(PROMPT), seconds=fast.seconds)
        config = FAST
    elif len(attempts) > 1 and attempts[1].ok:
        config = SAFE
        reason = translate("EngineProbe", "llama.cpp's optimized kernels {summary} on a {n}-token prompt; the safe "
                           "configuration evaluated it correctly").format(summary=_summary(fast), n=len(PROMPT))
    else:
        config = NONE
        failures = _config_summary(attempts[0])
        for a in attempts[1:]:
            failures = _both(failures, _config_summary(a))
        reason = translate("EngineProbe", "every configuration failed: {failures}. Rebuild llama.cpp for this "
                           "computer (README: Building)").format(failures=failures)
    return ProbeResult(config=config, reason=reason, key=key, probed_at=time.time(), attempts=attempts)


# ---- probing (the throwaway process) -----------------------------------------------------------------------
def _inject_fault(config: str, stage: str) -> str | None:
    """Test hook: ``HEARTH_PROBE_FAULT=<config|all>:<segv|abort|wrong|hang>`` makes this probe fail like a
    broken kernel would (a real signal, a real abort). Returns "wrong" when the logits should be corrupted."""
    spec = os.environ.get(ENV_FAULT, "")
    if ":" not in spec:
        return None
    which, kind = spec.split(":", 1)
    if which not in (config, "all") or stage != "batch":
        return None
    if kind == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "abort":
        os.abort()
    elif kind == "hang":
        time.sleep(3600)
    return kind


def child_main(config: str, model: str) -> int:
    """Inside the throwaway process: load, evaluate, compare, print one JSON line."""
    import ctypes

    import llama_cpp as L

    def say(**kw) -> int:
        wire = to_wire(kw.get("detail"))  # the detail's source and values: the window shows it in its language
        if wire is not None:
            kw["text"] = wire
        print(json.dumps(kw), flush=True)
        return 0 if kw.get("ok") else 1

    L.llama_backend_init()
    mp = L.llama_model_default_params()
    mp.n_gpu_layers = 0
    mp.use_extra_bufts = config == FAST
    m = L.llama_model_load_from_file(model.encode(), mp)
    if not m:
        return say(ok=False, detail=translate("EngineProbe", "llama.cpp could not load the probe model"))
    cp = L.llama_context_default_params()
    cp.n_ctx, cp.n_batch, cp.n_ubatch = 128, 64, 64
    cp.n_threads = cp.n_threads_batch = max(1, min(4, os.cpu_count() or 1))
    ctx = L.llama_init_from_model(m, cp)
    if not ctx:
        return say(ok=False, detail=translate("EngineProbe", "llama.cpp could not create a context"))
    n_vocab = L.llama_vocab_n_tokens(L.llama_model_get_vocab(m))

    def decode(tokens: list[int]) -> list[float]:
        arr = (L.llama_token * len(tokens))(*tokens)
        rc = L.llama_decode(ctx, L.llama_batch_get_one(arr, len(tokens)))
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        ptr = L.llama_get_logits_ith(ctx, -1)
        return list(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float))[:n_vocab])

    fault = _inject_fault(config, "batch")
    batched = decode(PROMPT)
    if fault == "wrong":
        batched = [x * -3.0 + 1.0 for x in batched]
    L.llama_memory_clear(L.llama_get_memory(ctx), True)
    single: list[float] = []
    for t in PROMPT:
        single = decode([t])
    L.llama_free(ctx)
    L.llama_model_free(m)
    if not all(math.isfinite(x) for x in batched + single):
        return say(ok=False, wrong=True, detail=translate("EngineProbe", "non-finite logits"))
    spread = (max(single) - min(single)) or 1.0
    diff = max(abs(a - b) for a, b in zip(batched, single)) / spread
    same_top = max(range(n_vocab), key=batched.__getitem__) == max(range(n_vocab), key=single.__getitem__)
    ok = diff <= TOLERANCE and same_top
    if same_top:
        detail = translate("EngineProbe", "batched vs token-by-token logits differ by {diff:.2%} of their range")
    else:
        detail = translate("EngineProbe", "batched vs token-by-token logits differ by {diff:.2%} of their range, "
                           "different top token")
    return say(ok=ok, wrong=not ok, relative_diff=round(diff, 6), same_top=same_top, detail=detail.format(diff=diff))


def main(argv: list[str]) -> int:
    """``hearth --engine-probe CONFIG --model FILE`` (what attempt() runs)."""
    config, model = argv[0], argv[1]
    try:
        return child_main(config, model)
    except Exception as exc:  # a Python-level failure is an answer too
        print(json.dumps({"ok": False, "detail": f"{type(exc).__name__}: {exc}"}), flush=True)
        return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
