"""The memory estimator against what llama.cpp really allocates (its own buffer-size log lines, captured while
Hearth's engine loads the model), and the verdict logic on described devices.

A representative part of the matrix runs here; ``python -m benchmarks fit_accuracy`` runs all of it."""
from __future__ import annotations

import pytest

from app.core.fit import Device, FitError, FitOptions, estimate, fit
from app.core.fit.truth import measure_load
from app.core.gguf.header import read_model_file
from app.core.fit.model_profile import profile_from_facts, profile_from_gguf
from tests.support.synth_gguf import model_spec, write_gguf

MiB = 1 << 20
GiB = 1 << 30


def assert_close(est, real, label: str) -> None:
    """The accuracy promise: weights and KV within 0.5 % (or the log's 0.005 MiB rounding), the total within 5 %
    (64 MiB for models under 1 GB) and never more than 3 % under."""
    for what in ("weights", "kv"):
        e, r = getattr(est, f"{what}_bytes"), getattr(real, what)
        assert abs(e - r) <= max(0.005 * r, 0.006 * MiB), f"{label}: {what} {e / MiB:.2f} vs {r / MiB:.2f} MiB"
    e, r = est.total_bytes, real.total
    small = real.weights < GiB
    assert abs(e - r) <= (max(0.05 * r, 64 * MiB) if small else 0.05 * r), \
        f"{label}: total {e / MiB:.1f} vs {r / MiB:.1f} MiB"
    assert e >= 0.97 * r, f"{label}: total {e / MiB:.1f} is more than 3 % under {r / MiB:.1f} MiB"


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("synth")


def _synthetic(synth_dir, arch: str):
    path = synth_dir / f"{arch}.gguf"
    if not path.exists():
        write_gguf(path, model_spec(arch, n_layer=4))
    return path


CASES = [  # (model, ctx, kv type, flash attention)
    ("starter", 4096, "f16", False),
    ("gemma3-270m", 4096, "f16", False),  # sliding-window layers, full-size SWA cache
    ("gemma3-270m", 32768, "q8_0", True),
    ("llama", 32768, "f16", False),  # the attention score matrix dominates
    ("qwen2", 4096, "q8_0", True),
    ("phi3", 512, "f16", False),
    ("gemma2", 32768, "f16", True),
]


@pytest.mark.parametrize("name,ctx,kv,fa", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}-{'fa' if c[3] else 'nofa'}"
                                                     for c in CASES])
def test_estimate_matches_llama_cpp(name, ctx, kv, fa, starter_model, gemma_model, synth_dir):
    path = {"starter": starter_model, "gemma3-270m": gemma_model}.get(name) or _synthetic(synth_dir, name)
    profile = profile_from_gguf(read_model_file(path))
    est = estimate(profile, FitOptions(n_ctx=ctx, kv_type=kv, flash_attn=fa))
    real = measure_load(path, ctx, kv, fa)
    assert real.weights and real.kv and real.compute  # the log lines were really captured
    assert est.n_ctx == real.n_ctx
    assert_close(est, real, f"{name} ctx={ctx} kv={kv} fa={fa}")


def test_kv_cache_details(starter_model, gemma_model):
    smol = profile_from_gguf(read_model_file(starter_model))
    # SmolLM2-135M: 30 layers, 3 KV heads of 64: 2 * 30 * 192 values * 2 bytes per cell
    assert estimate(smol, FitOptions(n_ctx=4096)).kv_bytes == 4096 * 30 * 192 * 2 * 2
    assert estimate(smol, FitOptions(n_ctx=1000)).n_ctx == 1024  # llama.cpp pads the cache to 256 cells
    gemma = profile_from_gguf(read_model_file(gemma_model))
    assert gemma.swa_layers.count(True) == 15 and gemma.n_swa == 512  # every 6th layer is global
    full = estimate(gemma, FitOptions(n_ctx=32768)).kv_bytes
    windowed = estimate(gemma, FitOptions(n_ctx=32768, swa_full=False)).kv_bytes
    assert windowed < full / 4  # without swa_full the 15 SWA layers keep only window + batch cells


def test_quantized_kv_needs_flash_attention(starter_model):
    profile = profile_from_gguf(read_model_file(starter_model))
    with pytest.raises(FitError, match="needs flash attention"):
        estimate(profile, FitOptions(kv_type="q8_0"))
    with pytest.raises(FitError, match="unknown KV cache type"):
        estimate(profile, FitOptions(kv_type="q3_x", flash_attn=True))


# ---- verdicts on described devices -----------------------------------------------------------------------------
def cpu(free_gib: float) -> Device:
    return Device(id="cpu", name="CPU", kind="cpu", total_bytes=int(64 * GiB), free_bytes=int(free_gib * GiB))


def gpu(free_gib: float, **kw) -> Device:
    return Device(id="gpu0", name="GPU", kind="gpu", total_bytes=int(free_gib * GiB), free_bytes=int(free_gib * GiB),
                  backend=kw.pop("backend", "cuda"), **kw)


@pytest.fixture(scope="module")
def llama8b(synth_dir):
    """A Llama-3.1-8B-shaped profile: the 4-layer synthetic file's tensors, repeated to 32 layers."""
    path = synth_dir / "llama32.gguf"
    write_gguf(path, model_spec("llama", n_layer=32))
    return profile_from_gguf(read_model_file(path))


def test_verdict_full_gpu(llama8b):
    res = fit(llama8b, FitOptions(n_ctx=8192), [cpu(16), gpu(24)])
    assert res.verdict == "gpu_full" and res.gpu_layers == 33 and res.total_layers == 33
    assert res.estimate.cpu.weights_resident == res.estimate.input_weights  # only the embeddings stay behind
    assert res.max_ctx_gpu >= 8192 and res.max_ctx >= res.max_ctx_gpu


def test_verdict_partial_offload_and_recommended_layers(llama8b):
    res = fit(llama8b, FitOptions(n_ctx=8192), [cpu(16), gpu(4)])
    assert res.verdict == "partial" and 0 < res.gpu_layers < 33
    assert "Partial offload" in res.label and f"{res.gpu_layers} of 33" in res.label
    assert res.required["gpu0"] <= 4 * GiB
    worse = fit(llama8b, FitOptions(n_ctx=8192, n_gpu_layers=res.gpu_layers + 1), [cpu(16), gpu(4)])
    assert worse.verdict == "no_fit"  # one more layer would overflow the GPU: the recommendation is the largest


def test_verdict_cpu_and_no_fit(llama8b):
    assert fit(llama8b, FitOptions(n_ctx=4096), [cpu(16)]).verdict == "cpu"
    res = fit(llama8b, FitOptions(n_ctx=4096), [cpu(2)])
    assert res.verdict == "no_fit" and not res.fits and res.max_ctx == 0


def test_max_ctx_is_the_largest_that_fits(llama8b):
    devices = [cpu(7)]
    res = fit(llama8b, FitOptions(n_ctx=4096), devices)
    assert 0 < res.max_ctx < 131072 and res.max_ctx % 256 == 0
    assert fit(llama8b, FitOptions(n_ctx=res.max_ctx), devices).verdict == "cpu"
    assert fit(llama8b, FitOptions(n_ctx=res.max_ctx + 256), devices).verdict == "no_fit"


def test_unusable_gpu_and_unified_memory(llama8b):
    res = fit(llama8b, FitOptions(), [cpu(16), gpu(24, usable=False)])
    assert res.verdict == "cpu" and any("cannot offload" in n for n in res.notes)
    # Apple Silicon: the GPU shares RAM; offloaded layers count against both budgets
    mac = [cpu(10), gpu(10, backend="metal", unified=True)]
    res = fit(llama8b, FitOptions(n_ctx=8192), mac)
    assert res.fits and sum(res.required.values()) <= 10 * GiB


def test_estimate_for_pick_facts_is_close_to_the_header(starter_model):
    exact = profile_from_gguf(read_model_file(starter_model))
    facts = {"architecture": "llama", "n_layers": 30, "n_embd": 576, "n_head": 9, "n_head_kv": 3, "head_dim": 64,
             "vocab_size": 49152, "context_length": 8192, "n_params": 134515008, "n_ff": 1536,
             "tied_embeddings": True}
    approx = profile_from_facts(facts, starter_model.stat().st_size, quant_type="Q4_1")
    a = estimate(approx, FitOptions(n_ctx=4096))
    e = estimate(exact, FitOptions(n_ctx=4096))
    assert a.kv_bytes == e.kv_bytes
    assert abs(a.resident_bytes - e.resident_bytes) < 0.05 * e.resident_bytes
