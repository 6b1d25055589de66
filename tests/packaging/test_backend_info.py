"""How Hearth reports which llama.cpp backend it runs on (About dialog, `hearth --self-test`)."""
from __future__ import annotations

import pytest

from app.core.hardware import backend_info as bi

CUDA = ("CUDA : ARCHS = 750,860,890 | USE_GRAPHS = 1 | PEER_MAX_BATCH_SIZE = 128 | "
        "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | OPENMP = 1 | REPACK = 1 | ")
METAL = "Metal : EMBED_LIBRARY = 1 | BLAS : ACCELERATE = 1 | CPU : NEON = 1 | ARM_FMA = 1 | DOTPROD = 1 | "
VULKAN = "Vulkan : | CPU : SSE3 = 1 | AVX2 = 1 | "
CPU = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | LLAMAFILE = 1 | OPENMP = 1 | "


@pytest.mark.parametrize("info, regs, label", [
    (CUDA, ["CUDA", "CPU"], "CUDA"),
    (METAL, ["Metal", "BLAS", "CPU"], "Metal"),
    (VULKAN, ["Vulkan", "CPU"], "Vulkan"),
    (CPU, ["CPU"], "CPU"),
    ("", [], "CPU"),
])
def test_backends_from_system_info(info, regs, label):
    assert bi.backends_from_system_info(info) == regs
    assert bi.backend_label(regs) == label


def test_unknown_accelerators_are_shown_by_ggml_name_and_blas_is_not_a_gpu():
    assert bi.backend_label(["BLAS", "CPU"]) == "CPU"
    assert bi.backend_label(["RPC", "CPU"]) == "CPU"
    assert bi.backend_label(["ZDNN", "CPU"]) == "ZDNN"
    assert bi.backend_label(["HIP", "CPU"]) == "ROCm/HIP"


def test_summary_of_the_installed_build_is_consistent():
    import llama_cpp

    s = bi.backend_summary()
    assert s["llama_cpp_python"] == llama_cpp.__version__
    assert s["gpu_offload"] is bool(llama_cpp.llama_supports_gpu_offload())
    assert "registry_error" not in s, s.get("registry_error")
    assert "CPU" in s["registries"] and s["backend"] == bi.backend_label(s["registries"])
    assert bi.backends_from_system_info(s["system_info"]) == [r for r in s["registries"]
                                                             if r in s["system_info"]]
    cpus = [d for d in s["devices"] if d["type"] == "CPU"]
    assert cpus and cpus[0]["memory_total"] > 0
    # a CPU-only build offloads nothing; a GPU build lists its GPU
    if s["backend"] == "CPU":
        assert bi.describe(s) == "CPU only"
    else:
        assert any(d["type"] in ("GPU", "iGPU") for d in s["devices"])
        assert bi.describe(s).startswith(s["backend"])


def test_falls_back_to_the_system_info_text(monkeypatch):
    def broken(lib):
        raise AttributeError("undefined symbol: ggml_backend_reg_count")

    monkeypatch.setattr(bi, "_registry", broken)
    s = bi.summary_here()  # computed in this process (the window asks a helper process the same question)
    assert s["registries"] == bi.backends_from_system_info(s["system_info"]) and "CPU" in s["registries"]
    assert "undefined symbol" in s["registry_error"]
    assert s["devices"] == []


def test_describe_gpu_summary():
    s = {"backend": "CUDA", "gpu_offload": True, "devices": [
        {"name": "CUDA0", "description": "NVIDIA GeForce RTX 4090", "type": "GPU"},
        {"name": "CPU", "description": "AMD EPYC", "type": "CPU"}]}
    assert bi.describe(s) == "CUDA (GPU offload) on NVIDIA GeForce RTX 4090"
    assert bi.describe({"backend": "Vulkan", "gpu_offload": False, "devices": []}) == "Vulkan (no GPU offload)"


def test_the_window_asks_a_helper_process_and_gets_the_same_answer(monkeypatch):
    monkeypatch.setattr(bi, "_isolated", True)
    monkeypatch.setattr(bi, "_helper_summary", None)
    here, there = bi.summary_here(), bi.backend_summary()
    for key in ("backend", "gpu_offload", "llama_cpp_python", "system_info", "registries"):
        assert there[key] == here[key], key
    assert [d["name"] for d in there["devices"]] == [d["name"] for d in here["devices"]]  # free memory moves
    assert there["backend"] == "CPU"
