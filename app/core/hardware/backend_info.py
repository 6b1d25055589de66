"""Which llama.cpp build Hearth runs on: CPU only, or with a CUDA, Metal, Vulkan ... backend.

``backend_summary()`` answers for the About dialog and ``hearth --self-test``. It asks ggml's backend
registry (the same list llama.cpp offloads to) through ctypes, and falls back to parsing
``llama_print_system_info()`` (one ``NAME : FEATURE = 1 | ...`` group per backend) when the registry
functions cannot be reached. Importing llama_cpp loads the shared libraries, so this is imported lazily and
should not run on the GUI thread at start-up. No Qt here.
"""
from __future__ import annotations

import ctypes
import re
import threading
from typing import Any

from app.core.i18n import translate

# ggml-backend.h: enum ggml_backend_dev_type
_DEVICE_TYPES = {0: "CPU", 1: "GPU", 2: "iGPU", 3: "accelerator"}

# registry names as ggml reports them -> the name we show; anything else is shown as reported
_GPU_BACKENDS = {
    "CUDA": "CUDA", "METAL": "Metal", "MTL": "Metal", "VULKAN": "Vulkan", "HIP": "ROCm/HIP", "ROCM": "ROCm/HIP",
    "SYCL": "SYCL", "MUSA": "MUSA", "CANN": "CANN", "OPENCL": "OpenCL", "KOMPUTE": "Kompute", "WEBGPU": "WebGPU",
}

_GROUP_RE = re.compile(r"(?:^|\|\s*)([A-Za-z][A-Za-z0-9_-]*)\s+:\s")


def backends_from_system_info(info: str) -> list[str]:
    """The backend names in a ``llama_print_system_info()`` string, in order (e.g. ``["CUDA", "CPU"]``)."""
    seen: list[str] = []
    for name in _GROUP_RE.findall(info):
        if name not in seen:
            seen.append(name)
    return seen


def backend_label(registries: list[str]) -> str:
    """One word for people: the first GPU backend found, else ``CPU``."""
    for name in registries:
        label = _GPU_BACKENDS.get(name.upper())
        if label:
            return label
    for name in registries:
        if name.upper() not in ("CPU", "BLAS", "RPC"):
            return name  # an unknown accelerator backend: show ggml's own name
    return "CPU"


def _registry(lib) -> tuple[list[str], list[dict[str, Any]]]:
    """Backend registries and devices from ggml (raises AttributeError/OSError when not available)."""
    vp, sz = ctypes.c_void_p, ctypes.c_size_t
    lib.ggml_backend_reg_count.restype = sz
    lib.ggml_backend_reg_count.argtypes = []
    lib.ggml_backend_reg_get.restype = vp
    lib.ggml_backend_reg_get.argtypes = [sz]
    lib.ggml_backend_reg_name.restype = ctypes.c_char_p
    lib.ggml_backend_reg_name.argtypes = [vp]
    lib.ggml_backend_dev_count.restype = sz
    lib.ggml_backend_dev_count.argtypes = []
    lib.ggml_backend_dev_get.restype = vp
    lib.ggml_backend_dev_get.argtypes = [sz]
    for fn in (lib.ggml_backend_dev_name, lib.ggml_backend_dev_description):
        fn.restype = ctypes.c_char_p
        fn.argtypes = [vp]
    lib.ggml_backend_dev_type.restype = ctypes.c_int
    lib.ggml_backend_dev_type.argtypes = [vp]
    lib.ggml_backend_dev_memory.restype = None
    lib.ggml_backend_dev_memory.argtypes = [vp, ctypes.POINTER(sz), ctypes.POINTER(sz)]

    def text(b: bytes | None) -> str:
        return (b or b"").decode("utf-8", "replace")

    regs = [text(lib.ggml_backend_reg_name(lib.ggml_backend_reg_get(i))) for i in range(lib.ggml_backend_reg_count())]
    devices = []
    for i in range(lib.ggml_backend_dev_count()):
        dev = lib.ggml_backend_dev_get(i)
        free, total = sz(0), sz(0)
        lib.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        devices.append({
            "name": text(lib.ggml_backend_dev_name(dev)),
            "description": text(lib.ggml_backend_dev_description(dev)),
            "type": _DEVICE_TYPES.get(lib.ggml_backend_dev_type(dev), "unknown"),
            "memory_total": int(total.value),
            "memory_free": int(free.value),
        })
    return regs, devices


_isolated = False
_helper_summary: dict[str, Any] | None = None
_helper_lock = threading.Lock()


def isolate(on: bool = True) -> None:
    """Answer :func:`backend_summary` from a helper process instead of loading llama.cpp into this one: the
    window's process never loads it (llama.cpp lives in the engine process), so its memory stays small."""
    global _isolated
    _isolated = on


def backend_summary() -> dict[str, Any]:
    """What llama.cpp build is installed: ``backend`` (CPU/CUDA/Metal/Vulkan...), ``gpu_offload``,
    ``llama_cpp_python`` version, ggml ``registries`` and ``devices``, and the raw ``system_info``."""
    return _summary_from_helper() if _isolated else summary_here()


def _summary_from_helper() -> dict[str, Any]:
    """``hearth --backend-info`` in a child process, once per process (the libraries do not change)."""
    global _helper_summary
    with _helper_lock:
        if _helper_summary is None:
            import json
            import subprocess

            from app.self_exec import hearth_argv, hearth_env

            r = subprocess.run(hearth_argv() + ["--backend-info"], capture_output=True, text=True, timeout=120,
                               env=hearth_env())
            lines = r.stdout.strip().splitlines()
            if r.returncode != 0 or not lines:
                said = r.stderr.strip().splitlines()
                raise RuntimeError(translate("HardwareBackend", "the llama.cpp check exited with {code}: {message}")
                                   .format(code=r.returncode, message=said[-1] if said else
                                           translate("HardwareBackend", "no message")))
            summary = json.loads(lines[-1])
            if "error" in summary:
                raise ImportError(summary["error"])
            _helper_summary = summary
        return dict(_helper_summary)


def summary_here() -> dict[str, Any]:
    """:func:`backend_summary` computed in this process (loads llama.cpp's libraries)."""
    import llama_cpp

    raw = llama_cpp.llama_print_system_info()
    info = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    out: dict[str, Any] = {
        "llama_cpp_python": getattr(llama_cpp, "__version__", "unknown"),
        "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
        "system_info": info.strip(),
        "registries": [],
        "devices": [],
    }
    try:
        from llama_cpp._ggml import libggml  # an internal module: guarded, the fallback below covers it

        out["registries"], out["devices"] = _registry(libggml)
    except Exception as exc:  # older/newer llama-cpp-python without these symbols: parse the text instead
        out["registries"] = backends_from_system_info(info)
        out["registry_error"] = f"{type(exc).__name__}: {exc}"
    out["backend"] = backend_label(out["registries"] or backends_from_system_info(info))
    return out


def describe(summary: dict[str, Any]) -> str:
    """One line for people: ``Vulkan (GPU offload) on AMD Radeon ...`` or ``CPU only``."""
    gpus = [d["description"] or d["name"] for d in summary.get("devices", []) if d.get("type") != "CPU"]
    if summary.get("backend") == "CPU" or not summary.get("gpu_offload"):
        if summary.get("backend") == "CPU":
            return translate("HardwareBackend", "CPU only")
        return translate("HardwareBackend", "{backend} (no GPU offload)").format(backend=summary.get("backend"))
    if gpus:
        return translate("HardwareBackend", "{backend} (GPU offload) on {devices}").format(
            backend=summary["backend"], devices=", ".join(gpus))
    return translate("HardwareBackend", "{backend} (GPU offload)").format(backend=summary["backend"])
