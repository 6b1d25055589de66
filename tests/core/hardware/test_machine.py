"""Hardware probes: the real ones on this machine, and each with its library missing or its source faked
(NVML with more than 4 GB, AMD sysfs counters, Apple unified memory). Nothing may raise."""
from __future__ import annotations

import sys
import types

import pytest

from app.core.fit.here import repack_types
from app.core.hardware import machine

GiB = 1 << 30


def test_detect_on_this_machine(tmp_path):
    info = machine.detect(tmp_path / "models" / "not-yet")
    assert info.cpu.logical_cores and info.cpu.logical_cores >= 1
    assert info.ram_total and info.ram_available and info.ram_available <= info.ram_total
    assert info.disk_free and info.disk_total >= info.disk_free
    assert info.llama.available and info.llama.gpu_offload is False  # this machine's build is CPU-only
    assert info.gpus == []  # no GPU here: a normal, well-presented case
    text = dict(machine.describe(info))
    assert text["GPU"].startswith("none found")
    devices = machine.fit_devices(info)
    assert [d.kind for d in devices] == ["cpu"] and devices[0].free_bytes == info.ram_available
    if sys.platform.startswith("linux") and info.cpu.arch == "x86_64":
        assert info.cpu.flags["AVX"] is not None and info.cpu.model


@pytest.mark.parametrize("missing", ["psutil", "pynvml", "llama_cpp"])
def test_probes_degrade_when_a_library_is_missing(monkeypatch, missing, tmp_path):
    monkeypatch.setitem(sys.modules, missing, None)  # makes "import missing" raise ImportError
    if missing == "llama_cpp":
        monkeypatch.delitem(sys.modules, "app.core.machine.backend_info", raising=False)
    info = machine.detect(tmp_path)
    if missing == "psutil":
        assert info.ram_total is None and info.ram_available is None
        assert any("psutil" in p for p in info.problems)
        assert dict(machine.describe(info))["Memory"] == "unknown"
    elif missing == "llama_cpp":
        assert not info.llama.available and any("llama" in p for p in info.problems)
    else:
        assert info.gpus == [] and not info.problems
    machine.fit_devices(info)  # still usable by the estimator
    machine.refresh(info)


def test_nvml_reports_64_bit_memory(monkeypatch):
    fake = types.ModuleType("pynvml")
    mem = types.SimpleNamespace(total=48 * GiB, free=40 * GiB, used=8 * GiB)
    fake.nvmlInit = lambda: None
    fake.nvmlShutdown = lambda: None
    fake.nvmlDeviceGetCount = lambda: 1
    fake.nvmlDeviceGetHandleByIndex = lambda i: object()
    fake.nvmlDeviceGetName = lambda h: b"NVIDIA RTX 6000 Ada"
    fake.nvmlDeviceGetMemoryInfo = lambda h: mem
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    gpus = machine.nvidia_gpus([])
    assert gpus[0].name == "NVIDIA RTX 6000 Ada" and gpus[0].total_bytes == 48 * GiB > 4 * GiB
    assert gpus[0].free_bytes == 40 * GiB and gpus[0].backend == "cuda"


def test_nvml_failures_are_unknown_not_errors(monkeypatch):
    fake = types.ModuleType("pynvml")

    def boom():
        raise RuntimeError("NVML Shared Library Not Found")

    fake.nvmlInit = boom
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    assert machine.nvidia_gpus([]) == []


def test_amd_sysfs(tmp_path):
    for card, vendor, total, used in (("card0", "0x1002", 16 * GiB, 3 * GiB), ("card1", "0x8086", 0, 0)):
        dev = tmp_path / card / "device"
        dev.mkdir(parents=True)
        (dev / "vendor").write_text(vendor + "\n")
        if total:
            (dev / "mem_info_vram_total").write_text(f"{total}\n")
            (dev / "mem_info_vram_used").write_text(f"{used}\n")
            (dev / "product_name").write_text("AMD Radeon RX 7800 XT\n")
    (tmp_path / "card0-DP-1").mkdir()  # connectors are not cards
    problems: list[str] = []
    gpus = machine.amd_gpus(problems, root=str(tmp_path))
    assert len(gpus) == 1 and gpus[0].name == "AMD Radeon RX 7800 XT"
    assert gpus[0].total_bytes == 16 * GiB and gpus[0].free_bytes == 13 * GiB and not problems
    (tmp_path / "card0" / "device" / "mem_info_vram_used").write_text("garbage")
    assert machine.amd_gpus(problems, root=str(tmp_path)) == [] and problems


def test_apple_unified_memory_limit(monkeypatch):
    assert machine.apple_working_set(16 * GiB) == int(16 * GiB * 0.67)
    assert machine.apple_working_set(64 * GiB) == int(64 * GiB * 0.75)
    monkeypatch.setattr(machine.platform, "system", lambda: "Darwin")
    cpu = machine.CPUInfo(model="Apple M2", arch="arm64")
    [g] = machine.apple_gpu(cpu, 16 * GiB, 6 * GiB)
    assert g.unified and g.backend == "metal" and g.free_bytes == 6 * GiB
    info = machine.HardwareInfo(cpu=cpu, ram_total=16 * GiB, ram_available=6 * GiB, gpus=[g], disk_path=None,
                                 disk_total=None, disk_free=None, llama=machine.LlamaBuild(available=True,
                                                                                            gpu_offload=True))
    machine._merge_llama_devices(info.gpus, info.llama)
    devs = machine.fit_devices(info)
    assert devs[1].unified and devs[1].usable and devs[1].backend == "metal"


def test_repack_types_follow_the_cpu():
    x86 = machine.CPUInfo(arch="x86_64", flags={"AVX2": True})
    assert 2 in repack_types(x86)  # Q4_0
    assert repack_types(machine.CPUInfo(arch="x86_64", flags={"AVX2": False})) == frozenset()
    arm = machine.CPUInfo(arch="aarch64", extra_flags=["asimddp", "i8mm"])
    assert 12 in repack_types(arm)
