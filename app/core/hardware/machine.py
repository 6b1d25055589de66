"""What this computer has: CPU, RAM, GPUs, free disk at the models folder, and what the installed llama.cpp
build can use. Qt-free; every probe is optional: a missing library or a failing call leaves that part
"unknown" (``None``) and records why in ``HardwareInfo.problems``, never an exception.

GPUs come from NVML (``nvidia-ml-py``; 64-bit memory counters), AMD's sysfs counters on Linux
(``mem_info_vram_total``/``mem_info_vram_used``), Apple Silicon's unified memory (the GPU may use only its
"recommended working set", about two thirds of RAM, three quarters above 36 GB) and llama.cpp's own device list
where the build exposes one. We never read Windows' 32-bit ``AdapterRAM``, which caps at 4 GB.
"""
from __future__ import annotations

import logging
import os
import platform
import re
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.core.units import human_bytes

log = logging.getLogger("hearth.hardware")

GiB = 1 << 30
FLAG_NAMES = ("AVX", "AVX2", "AVX512", "F16C", "FMA", "NEON")
# /proc/cpuinfo flag -> our name
_LINUX_FLAGS = {"avx": "AVX", "avx2": "AVX2", "avx512f": "AVX512", "f16c": "F16C", "fma": "FMA", "asimd": "NEON",
                "neon": "NEON"}


@dataclass
class CPUInfo:
    model: str | None = None
    arch: str = ""
    physical_cores: int | None = None
    logical_cores: int | None = None
    flags: dict[str, bool | None] = field(default_factory=dict)  # FLAG_NAMES -> present (None: unknown)
    extra_flags: list[str] = field(default_factory=list)  # dotprod / i8mm on ARM (they decide CPU repacking)


@dataclass
class GPUInfo:
    name: str
    vendor: str  # nvidia, amd, apple, intel, other
    backend: str  # cuda, rocm, metal, vulkan, ... (what llama.cpp would use)
    total_bytes: int | None
    free_bytes: int | None
    source: str  # nvml, sysfs, apple, llama.cpp
    unified: bool = False
    usable: bool | None = None  # can the installed llama.cpp offload to it (None: unknown)


@dataclass
class LlamaBuild:
    available: bool = False
    version: str | None = None
    gpu_offload: bool | None = None
    backend: str | None = None
    system_info: str = ""
    features: dict[str, bool] = field(default_factory=dict)
    devices: list[dict[str, Any]] = field(default_factory=list)
    # the engine probe's choice on this machine (app/core/engine/probe.py): fast, safe or none, and why
    config: str | None = None
    config_reason: str = ""
    config_text: str = ""  # the choice and its reason in one line for people (ProbeResult.describe)


@dataclass
class HardwareInfo:
    cpu: CPUInfo
    ram_total: int | None
    ram_available: int | None
    gpus: list[GPUInfo]
    disk_path: str | None
    disk_total: int | None
    disk_free: int | None
    llama: LlamaBuild
    os: str = ""
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _probe(problems: list[str], what: str, fn, default=None):
    try:
        return fn()
    except Exception as exc:  # every probe is optional
        msg = f"{what}: {type(exc).__name__}: {exc}"
        log.info("hardware probe failed: %s", msg)
        problems.append(msg)
        return default


# ---- CPU --------------------------------------------------------------------------------------------------------
def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def _sysctl(name: str) -> str:
    out = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=3)
    return out.stdout.strip() if out.returncode == 0 else ""


def cpu_info(problems: list[str]) -> CPUInfo:
    info = CPUInfo(arch=platform.machine(), logical_cores=os.cpu_count())
    info.flags = {k: None for k in FLAG_NAMES}
    system = platform.system()
    if system == "Linux" and os.path.exists("/proc/cpuinfo"):
        text = _probe(problems, "reading /proc/cpuinfo", lambda: _read("/proc/cpuinfo"), "")
        for key in ("model name", "Model", "Hardware", "cpu model"):
            m = re.search(rf"^{key}\s*:\s*(.+)$", text, re.MULTILINE)
            if m:
                info.model = m.group(1).strip()
                break
        m = re.search(r"^(?:flags|Features)\s*:\s*(.+)$", text, re.MULTILINE)
        if m:
            present = set(m.group(1).split())
            info.flags = {k: False for k in FLAG_NAMES}
            for flag, name in _LINUX_FLAGS.items():
                if flag in present:
                    info.flags[name] = True
            if info.arch.lower() in ("aarch64", "arm64"):
                info.flags.update({"AVX": False, "AVX2": False, "AVX512": False, "F16C": False, "FMA": True})
                info.extra_flags = [f for f in ("asimddp", "i8mm", "sve") if f in present]
    elif system == "Darwin":
        info.model = _probe(problems, "sysctl machdep.cpu.brand_string",
                            lambda: _sysctl("machdep.cpu.brand_string"), None) or None
        if info.arch == "arm64":
            info.flags = {"AVX": False, "AVX2": False, "AVX512": False, "F16C": False, "FMA": True, "NEON": True}
            info.extra_flags = ["asimddp"] + (["i8mm"] if _probe(problems, "sysctl i8mm", lambda: _sysctl(
                "hw.optional.arm.FEAT_I8MM"), "") == "1" else [])
        else:
            feats = (_probe(problems, "sysctl cpu features", lambda: _sysctl("machdep.cpu.features") + " "
                            + _sysctl("machdep.cpu.leaf7_features"), "") or "").upper().split()
            if feats:
                info.flags = {"AVX": "AVX1.0" in feats, "AVX2": "AVX2" in feats, "AVX512": "AVX512F" in feats,
                              "F16C": "F16C" in feats, "FMA": "FMA" in feats, "NEON": False}
    if not info.model:
        info.model = platform.processor() or None
    try:
        import psutil

        info.physical_cores = psutil.cpu_count(logical=False)
        info.logical_cores = psutil.cpu_count(logical=True) or info.logical_cores
    except Exception as exc:
        problems.append(f"core count (psutil): {type(exc).__name__}: {exc}")
    return info


# ---- RAM and disk -----------------------------------------------------------------------------------------------
def ram(problems: list[str]) -> tuple[int | None, int | None]:
    def get():
        import psutil

        vm = psutil.virtual_memory()
        return int(vm.total), int(vm.available)

    return _probe(problems, "memory (psutil)", get, (None, None))


def disk(path: str | os.PathLike | None, problems: list[str]) -> tuple[str | None, int | None, int | None]:
    if path is None:
        return None, None, None
    p = Path(path)
    while not p.exists() and p != p.parent:  # the models folder may not exist yet: ask its nearest parent
        p = p.parent

    def get():
        du = shutil.disk_usage(p)
        return str(path), int(du.total), int(du.free)

    return _probe(problems, f"free space at {path}", get, (str(path), None, None))


# ---- GPUs -------------------------------------------------------------------------------------------------------
def nvidia_gpus(problems: list[str]) -> list[GPUInfo]:
    try:
        import pynvml
    except ImportError:
        return []  # no NVIDIA library: nothing to report, not a problem
    out: list[GPUInfo] = []
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # no driver / no NVIDIA GPU: the normal case on most machines
        log.debug("NVML not available: %s", exc)
        return []
    try:
        for i in range(pynvml.nvmlDeviceGetCount()):
            try:
                h = pynvml.nvmlDeviceGetHandleByIndex(i)
                name = pynvml.nvmlDeviceGetName(h)
                name = name.decode() if isinstance(name, bytes) else str(name)
                mem = pynvml.nvmlDeviceGetMemoryInfo(h)  # 64-bit counters
                out.append(GPUInfo(name=name, vendor="nvidia", backend="cuda", total_bytes=int(mem.total),
                                   free_bytes=int(mem.free), source="nvml"))
            except Exception as exc:
                problems.append(f"NVIDIA GPU {i}: {type(exc).__name__}: {exc}")
    except Exception as exc:
        problems.append(f"NVIDIA GPUs (NVML): {type(exc).__name__}: {exc}")
    finally:
        try:
            pynvml.nvmlShutdown()
        except Exception:
            pass
    return out


def amd_gpus(problems: list[str], root: str = "/sys/class/drm") -> list[GPUInfo]:
    base = Path(root)
    if not base.is_dir():
        return []
    out: list[GPUInfo] = []
    for card in sorted(base.iterdir()):
        if not re.fullmatch(r"card\d+", card.name):
            continue
        dev = card / "device"
        try:
            if _read(str(dev / "vendor")).strip().lower() != "0x1002":
                continue
            total = int(_read(str(dev / "mem_info_vram_total")).strip())
            used = int(_read(str(dev / "mem_info_vram_used")).strip())
        except FileNotFoundError:
            continue
        except Exception as exc:
            problems.append(f"AMD GPU {card.name}: {type(exc).__name__}: {exc}")
            continue
        name = ""
        for f in ("product_name", "model"):
            try:
                name = _read(str(dev / f)).strip()
            except OSError:
                pass
            if name:
                break
        if not name:
            try:
                did = _read(str(dev / "device")).strip()
            except OSError:
                did = "?"
            name = f"AMD Radeon GPU ({did})"
        out.append(GPUInfo(name=name, vendor="amd", backend="rocm", total_bytes=total,
                           free_bytes=max(0, total - used), source="sysfs"))
    return out


def apple_working_set(ram_total: int) -> int:
    """How much of the unified memory Metal lets one process use (macOS' recommendedMaxWorkingSetSize)."""
    return int(ram_total * (0.75 if ram_total > 36 * GiB else 0.67))


def apple_gpu(cpu: CPUInfo, ram_total: int | None, ram_available: int | None) -> list[GPUInfo]:
    if platform.system() != "Darwin" or cpu.arch != "arm64" or not ram_total:
        return []
    limit = apple_working_set(ram_total)
    free = min(limit, ram_available) if ram_available is not None else None
    return [GPUInfo(name=f"{cpu.model or 'Apple Silicon'} GPU", vendor="apple", backend="metal",
                    total_bytes=limit, free_bytes=free, source="apple", unified=True)]


# ---- llama.cpp -------------------------------------------------------------------------------------------------
_FEATURE_RE = re.compile(r"([A-Z][A-Z0-9_]*)\s*=\s*1")


def llama_build(problems: list[str]) -> LlamaBuild:
    b = LlamaBuild()
    try:
        from app.core.hardware import backend_info

        s = backend_info.backend_summary()
    except ImportError as exc:
        problems.append(f"llama.cpp (llama-cpp-python) is not installed: {exc}")
        return b
    except Exception as exc:
        problems.append(f"llama.cpp build: {type(exc).__name__}: {exc}")
        return b
    b.available = True
    b.version = s.get("llama_cpp_python")
    b.gpu_offload = s.get("gpu_offload")
    b.backend = s.get("backend")
    b.system_info = s.get("system_info", "")
    b.features = {m: True for m in _FEATURE_RE.findall(b.system_info)}
    b.devices = list(s.get("devices", []))
    try:
        from app.core.engine import probe as engine_probe

        probe = engine_probe.ensure()
        b.config, b.config_reason, b.config_text = probe.config, probe.reason, probe.describe()
    except Exception as exc:  # the probe itself failing is reported, not raised
        problems.append(f"llama.cpp engine probe: {type(exc).__name__}: {exc}")
    return b


def _merge_llama_devices(gpus: list[GPUInfo], b: LlamaBuild) -> None:
    if not b.available:
        return
    llama_gpus = [d for d in b.devices if d.get("type") in ("GPU", "iGPU")]
    for g in gpus:
        g.usable = bool(b.gpu_offload) and (bool(llama_gpus) or g.vendor == "apple")
    if not gpus and b.gpu_offload:  # e.g. Vulkan on an Intel iGPU: only llama.cpp knows it
        for d in llama_gpus:
            gpus.append(GPUInfo(name=d.get("description") or d.get("name") or "GPU", vendor="other",
                                backend=(b.backend or "gpu").lower(), total_bytes=d.get("memory_total") or None,
                                free_bytes=d.get("memory_free") or None, source="llama.cpp",
                                unified=d.get("type") == "iGPU", usable=True))


# ---- all together -----------------------------------------------------------------------------------------------
def detect(models_dir: str | os.PathLike | None = None, with_llama: bool = True) -> HardwareInfo:
    problems: list[str] = []
    cpu = _probe(problems, "CPU", lambda: cpu_info(problems), CPUInfo(arch=platform.machine()))
    total, avail = ram(problems)
    gpus = _probe(problems, "NVIDIA GPUs", lambda: nvidia_gpus(problems), [])
    gpus += _probe(problems, "AMD GPUs", lambda: amd_gpus(problems), [])
    gpus += _probe(problems, "Apple GPU", lambda: apple_gpu(cpu, total, avail), [])
    b = llama_build(problems) if with_llama else LlamaBuild()
    _merge_llama_devices(gpus, b)
    d_path, d_total, d_free = disk(models_dir, problems)
    return HardwareInfo(cpu=cpu, ram_total=total, ram_available=avail, gpus=gpus, disk_path=d_path,
                        disk_total=d_total, disk_free=d_free, llama=b,
                        os=f"{platform.system()} {platform.release()}".strip(), problems=problems)


def refresh(info: HardwareInfo) -> HardwareInfo:
    """Update the live numbers (RAM, GPU memory, free disk) in place; cheap enough for a timer."""
    problems: list[str] = []
    info.ram_total, info.ram_available = ram(problems)
    fresh = {g.name: g for g in nvidia_gpus(problems) + amd_gpus(problems)}
    for g in info.gpus:
        if g.name in fresh:
            g.free_bytes, g.total_bytes = fresh[g.name].free_bytes, fresh[g.name].total_bytes
        elif g.vendor == "apple" and info.ram_available is not None and g.total_bytes:
            g.free_bytes = min(g.total_bytes, info.ram_available)
    if info.disk_path:
        _, info.disk_total, info.disk_free = disk(info.disk_path, problems)
    return info


_cached: tuple[float, HardwareInfo] | None = None
_cache_lock = threading.Lock()


def cached_info(max_age: float = 30.0) -> HardwareInfo:
    """``detect()`` at most every ``max_age`` seconds (the live numbers are refreshed on every call)."""
    global _cached
    with _cache_lock:
        now = time.monotonic()
        if _cached is None or now - _cached[0] > max_age:
            _cached = (now, detect(with_llama=True))
            return _cached[1]
        return refresh(_cached[1])


def fit_devices(info: HardwareInfo | None = None) -> list:
    """This computer as the estimator's device list: the CPU with the RAM available now, and each GPU with its
    free memory (marked unusable when the installed llama.cpp cannot offload to it)."""
    from app.core.fit import Device

    info = info or cached_info()
    ram_free = info.ram_available if info.ram_available is not None else (info.ram_total or 0)
    devs = [Device(id="cpu", name=info.cpu.model or "CPU", kind="cpu", total_bytes=info.ram_total or 0,
                   free_bytes=ram_free)]
    for i, g in enumerate(info.gpus):
        if not g.total_bytes:
            continue
        devs.append(Device(id=f"gpu{i}", name=g.name, kind="gpu", total_bytes=g.total_bytes,
                           free_bytes=g.free_bytes if g.free_bytes is not None else g.total_bytes,
                           backend=g.backend, unified=g.unified, usable=bool(g.usable)))
    return devs


def describe(info: HardwareInfo) -> list[tuple[str, str]]:
    """(label, text) lines for people: the command line and the Hardware page both show these."""
    c = info.cpu
    flags = " ".join(k for k in FLAG_NAMES if c.flags.get(k)) or "unknown"
    cores = (f"{c.physical_cores} cores / {c.logical_cores} threads" if c.physical_cores
             else f"{c.logical_cores or '?'} threads")
    lines = [("Processor", f"{c.model or 'unknown CPU'} ({c.arch}) · {cores}"), ("Instruction sets", flags)]
    ram_text = "unknown" if info.ram_total is None else (
        f"{human_bytes(info.ram_total)} total · {human_bytes(info.ram_available)} available")
    lines.append(("Memory", ram_text))
    if info.gpus:
        for g in info.gpus:
            use = {True: "llama.cpp can offload to it", False: "this llama.cpp build cannot use it",
                   None: "offload unknown"}[g.usable]
            mem = (f"{human_bytes(g.free_bytes)} free of {human_bytes(g.total_bytes)}"
                   + (" (shared with the CPU)" if g.unified else ""))
            lines.append(("GPU", f"{g.name} · {mem} · {use}"))
    else:
        lines.append(("GPU", "none found: models run on the CPU"))
    b = info.llama
    if b.available:
        lines.append(("llama.cpp", f"llama-cpp-python {b.version} · {b.backend or '?'} backend · GPU offload "
                                   f"{'yes' if b.gpu_offload else 'no'}"))
        if b.config_text:
            lines.append(("llama.cpp configuration", b.config_text))
    else:
        lines.append(("llama.cpp", "not available"))
    if info.disk_path:
        lines.append(("Disk (models folder)", "unknown" if info.disk_free is None else
                      f"{human_bytes(info.disk_free)} free of {human_bytes(info.disk_total)}"))
    return lines
