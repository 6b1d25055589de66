"""The engine probe (app/core/engine/probe.py): a throwaway process evaluates a multi-token prompt on a tiny
synthetic model with the real llama.cpp; a crash, an abort, a hang or wrong logits there switch Hearth to the
safe configuration (no extra buffer types: no weight repacking, no AMX).

The faults are simulated with the probe's test hook HEARTH_PROBE_FAULT, which makes the throwaway process die
of a real SIGSEGV/SIGABRT, hang, or corrupt its batched logits, in the configuration named: that is what a
broken kernel does to it (the AMX crash of ggml-org/llama.cpp#20824 is a SIGSEGV in exactly this step).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.core.engine import probe as ep
from app.core.engine import probe_model


@pytest.fixture
def probe_cache(tmp_path, monkeypatch):
    path = tmp_path / "probe.json"
    monkeypatch.setenv(ep.ENV_CACHE, str(path))
    monkeypatch.delenv(ep.ENV_FAULT, raising=False)
    return path


def test_probe_model_is_a_valid_gguf_our_reader_accepts(tmp_path):
    from app.core.gguf.header import read_header_file

    path = probe_model.write(tmp_path / "p.gguf")
    h = read_header_file(path)
    assert h.architecture == "llama"
    types = {t.type_id for t in h.tensors}
    # the quantized types whose fast CPU kernels the probe must exercise (repacking, AMX)
    assert {probe_model.Q4_0, probe_model.Q4_1, probe_model.Q8_0, probe_model.Q4_K, probe_model.Q6_K} <= types
    assert path.stat().st_size < 1_000_000
    assert probe_model.build(seed=1) == probe_model.build(seed=1)  # deterministic


def test_a_good_build_passes_in_the_fast_configuration(probe_cache):
    result = ep.run_probe("k")
    assert result.config == ep.FAST, result.reason
    assert result.use_extra_bufts is True
    assert len(result.attempts) == 1 and result.attempts[0].ok
    assert "24-token prompt evaluated correctly" in result.reason


def test_the_probe_process_reports_the_logit_agreement(tmp_path):
    from app.self_exec import hearth_env

    model = probe_model.write(tmp_path / "p.gguf")
    for config in ep.CONFIGS:
        proc = subprocess.run(ep.probe_argv(config, model), capture_output=True, text=True, env=hearth_env(),
                              timeout=120)
        answer = json.loads(proc.stdout.strip().splitlines()[-1])
        assert proc.returncode == 0 and answer["ok"] is True, proc.stdout + proc.stderr[-2000:]
        # batched (GEMM) and token-by-token (GEMV) evaluation agree closely on this machine
        assert answer["relative_diff"] < ep.TOLERANCE and answer["same_top"] is True
        # the fast configuration really runs llama.cpp's repacked kernels on the probe model; the safe one not
        assert ("CPU_REPACK model buffer" in proc.stderr) is (config == ep.FAST), proc.stderr[-3000:]


@pytest.mark.parametrize("fault, signal_name", [("segv", "SIGSEGV"), ("abort", "SIGABRT")])
def test_a_crash_in_the_fast_configuration_switches_to_safe(probe_cache, monkeypatch, fault, signal_name):
    monkeypatch.setenv(ep.ENV_FAULT, f"fast:{fault}")
    result = ep.run_probe("k")
    assert result.config == ep.SAFE and result.use_extra_bufts is False
    fast, safe = result.attempts
    assert fast.outcome == "crashed" and signal_name in fast.detail
    assert safe.ok
    assert "crashed" in result.reason and signal_name in result.reason and "safe configuration" in result.reason


def test_wrong_results_in_the_fast_configuration_switch_to_safe(probe_cache, monkeypatch):
    monkeypatch.setenv(ep.ENV_FAULT, "fast:wrong")
    result = ep.run_probe("k")
    assert result.config == ep.SAFE
    assert result.attempts[0].outcome == "wrong"
    assert "computed wrong results" in result.reason


def test_a_hang_is_cut_off_and_counts_as_a_failure(probe_cache, monkeypatch):
    monkeypatch.setenv(ep.ENV_FAULT, "fast:hang")
    monkeypatch.setattr(ep, "TIMEOUT_S", 8.0)
    result = ep.run_probe("k")
    assert result.config == ep.SAFE
    assert result.attempts[0].outcome == "timeout" and "hung" in result.reason


def test_when_every_configuration_fails_it_says_so(probe_cache, monkeypatch):
    monkeypatch.setenv(ep.ENV_FAULT, "all:segv")
    result = ep.run_probe("k")
    assert result.config == ep.NONE and result.use_extra_bufts is False
    assert [a.outcome for a in result.attempts] == ["crashed", "crashed"]
    assert "every configuration failed" in result.reason and "Rebuild llama.cpp" in result.reason


def test_the_result_is_cached_and_probed_again_when_build_or_cpu_change(probe_cache, monkeypatch):
    calls = []
    real = ep.run_probe

    def counting(key=""):
        calls.append(key)
        return real(key)

    monkeypatch.setattr(ep, "run_probe", counting)
    first = ep.ensure()
    assert first.config == ep.FAST and len(calls) == 1
    stored = json.loads(probe_cache.read_text())
    assert stored["key"] == ep.probe_key() and stored["config"] == "fast"
    assert ep.ensure().config == ep.FAST and len(calls) == 1  # cached: no second probe
    assert ep.cached() is not None

    monkeypatch.setattr(ep, "build_identity", lambda: "another-build")
    assert ep.cached() is None  # stale for a new build
    ep.ensure()
    assert len(calls) == 2
    monkeypatch.setattr(ep, "cpu_identity", lambda: "another CPU")
    ep.ensure()
    assert len(calls) == 3
    ep.ensure(force=True)
    assert len(calls) == 4


def test_an_unreadable_cache_file_means_probe_again(probe_cache):
    probe_cache.write_text("{not json")
    assert ep.cached() is None
    assert ep.ensure().config == ep.FAST
    assert json.loads(probe_cache.read_text())["config"] == "fast"


def test_engine_loads_in_the_configuration_the_probe_chose(probe_cache, monkeypatch, starter_model):
    from app.core.engine import Engine, LoadOptions

    monkeypatch.setenv(ep.ENV_FAULT, "fast:segv")
    assert ep.ensure().config == ep.SAFE
    engine = Engine()
    engine.load(starter_model, LoadOptions(n_ctx=256))
    try:
        assert engine.llm.model_params.use_extra_bufts is False
    finally:
        engine.unload()
    # the safe choice never leaks into llama-cpp-python's defaults afterwards
    import llama_cpp

    assert llama_cpp.llama_model_default_params().use_extra_bufts is True

    monkeypatch.delenv(ep.ENV_FAULT)
    assert ep.ensure(force=True).config == ep.FAST
    engine.load(starter_model, LoadOptions(n_ctx=256))
    try:
        assert engine.llm.model_params.use_extra_bufts is True
    finally:
        engine.unload()


def test_safe_configuration_means_no_repacked_weights_in_the_fit(probe_cache, monkeypatch):
    from app.core import hardware
    from app.core.fit.here import repack_types

    info = hardware.detect(with_llama=True)
    assert info.llama.config == ep.FAST
    cpu = hardware.CPUInfo(arch="x86_64", flags={"AVX2": True})
    assert repack_types(cpu, info.llama)  # the fast kernels repack Q4_0 & co.
    info.llama.config = ep.SAFE
    assert repack_types(cpu, info.llama) == frozenset()


def test_hearth_hardware_says_what_was_chosen_and_why(probe_cache, monkeypatch, hearth_home):
    from app.self_exec import hearth_env

    env = hearth_env()
    env[ep.ENV_CACHE] = str(probe_cache)
    env[ep.ENV_FAULT] = "fast:abort"
    proc = subprocess.run([sys.executable, "-m", "app", "hardware"], capture_output=True, text=True, env=env,
                          timeout=180)
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("llama.cpp configuration:"))
    assert "safe (no weight repacking or AMX)" in line and "SIGABRT" in line
    proc = subprocess.run([sys.executable, "-m", "app", "hardware", "--json"], capture_output=True, text=True,
                          env=env, timeout=180)
    llama = json.loads(proc.stdout)["llama"]
    assert llama["config"] == "safe" and "SIGABRT" in llama["config_reason"]
