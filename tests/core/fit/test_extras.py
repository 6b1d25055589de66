"""The fit estimate with a model's companions: LoRA adapters (their tensors, placed like the layers) and a vision
projector (its file plus libmtmd's compute buffer for one image), and the verdict text that names them."""
from __future__ import annotations

import re

import pytest

from app.core.fit import Device, FitOptions, estimate, fit
from app.core.fit.extras import (PROJECTOR_MIN_COMPUTE, PROJECTOR_UNKNOWN_COMPUTE, adapter_part, describe,
                                 projector_compute_bytes, projector_part)
from app.core.fit.here import FitSettings, fit_here
from app.core.fit.model_profile import profile_from_gguf
from app.core.gguf.adapters import adapter_bytes, read_adapter
from app.core.gguf.header import read_header_file, read_model_file
from tests.support.make_lora import write_lora, write_stub
from tests.support.make_mmproj import U32, write_tiny_projector

MiB = 1 << 20
GiB = 1 << 30


@pytest.fixture(scope="module")
def smol(starter_model):
    return profile_from_gguf(read_model_file(starter_model))


@pytest.fixture(scope="module")
def parts(tmp_path_factory, starter_model):
    d = tmp_path_factory.mktemp("extras")
    lora = read_adapter(write_lora(d / "pirate.gguf", starter_model, name="pirate", rank=8))
    return adapter_part(lora), projector_part(write_tiny_projector(d / "mmproj.gguf")), lora


def _cpu(gib: float) -> Device:
    return Device("cpu", "CPU", "cpu", int(gib * GiB), int(gib * GiB))


def _gpu(gib: float) -> Device:
    return Device("gpu0", "GPU", "gpu", int(gib * GiB), int(gib * GiB), backend="cuda")


def test_parts_hold_the_adapters_tensors_and_the_projectors_file_and_compute(parts, tmp_path):
    adapter, projector, lora = parts
    assert adapter.kind == "adapter" and adapter.name == "pirate" and adapter.weights == adapter_bytes(lora) > 0
    assert adapter.compute == 0
    assert projector.kind == "projector" and projector.name == "mmproj.gguf"
    assert 50_000 < projector.weights < 200_000  # the file (about 90 KB)
    assert projector.compute == PROJECTOR_MIN_COMPUTE  # the tiny one: the floor
    assert describe([]) == ""
    assert describe([adapter]) == f"with {adapter.describe()}" and adapter.describe().startswith("adapter pirate (")
    text = describe([adapter, projector])
    assert re.fullmatch(r"with adapter pirate \(\d+(\.\d)? [KM]iB\) and vision projector \(16\.\d MiB\)", text), text


def test_projector_compute_grows_with_image_and_width(tmp_path):
    def header(**sizes):
        kv = {f"clip.vision.{k}": U32(v) for k, v in sizes.items()}
        return read_header_file(write_tiny_projector(tmp_path / "p.gguf", overrides=kv))

    # Gemma 3's projector sizes (896 px, patch 14, 1152 wide, FFN 4304): llama.cpp reserves 121.3 MiB (measured)
    gemma = projector_compute_bytes(header(image_size=896, patch_size=14, embedding_length=1152,
                                           feed_forward_length=4304))
    assert 121.3 * MiB <= gemma <= 121.3 * MiB * 1.15
    smolvlm = projector_compute_bytes(header(image_size=512, patch_size=16, embedding_length=768,
                                             feed_forward_length=3072))
    assert 21.0 * MiB <= smolvlm <= 21.0 * MiB * 1.2
    assert projector_compute_bytes(read_header_file(write_stub(tmp_path / "s.gguf", "clip"))) \
        == PROJECTOR_UNKNOWN_COMPUTE


def test_estimate_adds_the_parts_on_the_cpu(smol, parts):
    adapter, projector, _ = parts
    base = estimate(smol, FitOptions(n_ctx=2048))
    more = estimate(smol, FitOptions(n_ctx=2048, extras=(adapter, projector)))
    assert more.extra_bytes == adapter.total + projector.total == more.cpu.extra
    assert more.total_bytes == base.total_bytes + adapter.total + projector.total
    assert more.resident_bytes == base.resident_bytes + adapter.total + projector.total


def test_adapters_follow_the_layers_to_the_gpu_and_the_projector_stays_unless_asked(smol, parts):
    adapter, projector, _ = parts
    opts = FitOptions(n_ctx=2048, n_gpu_layers=smol.n_layer + 1, extras=(adapter, projector))
    res = fit(smol, opts, [_cpu(8), _gpu(8)])
    e = res.estimate
    assert res.verdict == "gpu_full"
    assert e.gpu[0].extra == adapter.weights and e.cpu.extra == projector.total
    half = estimate(smol, FitOptions(n_ctx=2048, extras=(adapter,)), gpu_layers=smol.n_layer // 2, n_gpus=1)
    assert half.gpu[0].extra + half.cpu.extra == adapter.weights
    assert abs(half.gpu[0].extra - adapter.weights // 2) <= adapter.weights // smol.n_layer
    on_gpu = type(projector)(**{**projector.__dict__, "on_gpu": True})
    e = estimate(smol, FitOptions(n_ctx=2048, extras=(on_gpu,)), gpu_layers=0, n_gpus=1)
    assert e.gpu[0].extra == on_gpu.total and e.cpu.extra == 0


def test_verdict_names_the_parts_and_they_can_tip_it(smol, parts):
    adapter, projector, _ = parts
    res = fit(smol, FitOptions(n_ctx=2048, extras=(adapter, projector)), [_cpu(8)])
    assert res.label.startswith("CPU only, fits in RAM with adapter pirate (")
    assert res.label.endswith(" and vision projector (16.1 MiB)")
    d = res.to_dict()
    assert d["extra_bytes"] == adapter.total + projector.total
    assert [x["kind"] for x in d["extras"]] == ["adapter", "projector"]
    assert fit(smol, FitOptions(n_ctx=2048), [_cpu(8)]).label == "CPU only, fits in RAM"
    # a budget the model alone fits in but not with a big projector
    need = fit(smol, FitOptions(n_ctx=2048), [_cpu(8)]).required["cpu"]
    budget = (need + 64 * MiB) / GiB
    big = type(projector)("projector", "big.gguf", 200 * MiB, 100 * MiB)
    assert fit(smol, FitOptions(n_ctx=2048), [_cpu(budget)]).fits
    assert not fit(smol, FitOptions(n_ctx=2048, extras=(big,)), [_cpu(budget)]).fits


def test_fit_here_takes_the_parts(smol, parts):
    adapter, projector, _ = parts
    res = fit_here(smol, FitSettings(n_ctx=2048), extras=[adapter, projector])
    assert res.extras == (adapter, projector) and "with adapter pirate" in res.label
    assert fit_here(smol, FitSettings(n_ctx=2048)).extras == ()


def test_projector_compute_estimate_covers_what_llama_cpp_reserves(tmp_path, starter_model):
    """The tiny projector with SmolVLM's vision sizes, opened by the bundled llama.cpp: the estimate is not under
    the compute buffer libmtmd reports, and not far over."""
    llama_cpp = pytest.importorskip("llama_cpp")
    from app.core.engine import llama_log
    from app.core.engine.mtmd import Projector

    path = write_tiny_projector(tmp_path / "vlm.gguf", image_size=512, patch_size=16, hidden=768, ffn=3072,
                                heads=12, layers=1, scale_factor=4)
    llm = llama_cpp.Llama(model_path=str(starter_model), n_ctx=256, n_threads=1, verbose=False)
    try:
        with llama_log.Capture() as cap:
            Projector(llm, path, n_threads=1).close()
    finally:
        llm.close()
    sizes = [float(m.group(1)) for _, line in cap.lines
             if (m := re.search(r"compute buffer size =\s*([\d.]+) MiB", line))]
    assert sizes, "llama.cpp did not report its compute buffer"
    reported = max(sizes) * MiB
    est = projector_part(path).compute
    assert reported <= est <= 1.3 * reported, (est / MiB, reported / MiB)
