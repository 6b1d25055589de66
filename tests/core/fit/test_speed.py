"""'What can I run well': fits fully AND generates at a comfortable speed on this machine's CPU; the speed
forecast's formula, and the memory bandwidth it rests on: measured once per machine, then the same every start."""
import json
import statistics
import math

import pytest

from app.core.fit import Device, speed
from app.core.fit.model_profile import profile_from_gguf
from app.core.fit.speed import (RUN_WELL_TOKENS_PER_S, bandwidth_info, buffer_bytes, cpu_tokens_per_s,
                                forecast_tokens_per_s, memory_bandwidth, work_per_token)
from app.core.fit.starter_picks import best_pick, load_picks, pick_profile
from app.core.gguf.header import read_model_file
from tests.support.synth_gguf import model_spec, write_gguf

GiB = 2**30
MiB = 2**20
BIG_RAM = [Device("cpu", "CPU", "cpu", 64 * GiB, 60 * GiB)]


# ---- the bandwidth ----------------------------------------------------------------------------------------------
def test_bandwidth_is_measured(tmp_path):
    bw = memory_bandwidth(cache_path=tmp_path / "bw.json")
    assert bw is not None and 1e8 < bw < 1e13


def test_the_buffer_is_far_larger_than_any_cache_within_the_free_memory():
    assert buffer_bytes(None, None) == 256 * MiB
    assert buffer_bytes(32 * MiB, 64 * GiB) == 256 * MiB  # this machine: 8x its 32 MiB L3
    assert buffer_bytes(96 * MiB, 64 * GiB) == 768 * MiB  # a large server L3: 8x it
    assert buffer_bytes(512 * MiB, 64 * GiB) == 1 * GiB  # at most 1 GiB
    assert buffer_bytes(32 * MiB, 2 * GiB) == 128 * MiB  # two buffers: at most an eighth of the free memory
    l3 = speed.l3_cache_bytes()
    assert l3 is None or 256 * 2**10 <= l3 <= 4 * GiB


def test_the_cached_bandwidth_is_reused(tmp_path, monkeypatch):
    cache = tmp_path / "memory_bandwidth.json"
    first = bandwidth_info(2, cache)
    assert first is not None and not first.cached and first.threads == 2 and first.passes == speed.PASSES
    assert first.buffer_bytes >= 256 * MiB and len(first.samples) == speed.PASSES
    assert first.bytes_per_s == pytest.approx(statistics.median(first.samples), rel=1e-6)  # the median pass
    stored = json.loads(cache.read_text())
    assert list(stored) == [speed.machine_key(2)]

    # the next start (another process: the file, not the process's memo) gets the same figure without measuring
    calls = []
    real = speed.measure_bandwidth
    monkeypatch.setattr(speed, "measure_bandwidth", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = bandwidth_info(2, cache)
    assert again.cached and again.bytes_per_s == first.bytes_per_s and calls == []

    # another thread count is another figure; refresh=True measures again and replaces the entry
    other = bandwidth_info(1, cache)
    assert not other.cached and len(calls) == 1
    renewed = bandwidth_info(2, cache, refresh=True)
    assert not renewed.cached and len(calls) == 2
    assert set(json.loads(cache.read_text())) == {speed.machine_key(1), speed.machine_key(2)}
    assert bandwidth_info(2, cache).bytes_per_s == renewed.bytes_per_s


def test_a_damaged_cache_is_measured_again(tmp_path):
    cache = tmp_path / "bw.json"
    cache.write_text("{not json")
    rec = bandwidth_info(1, cache)
    assert rec is not None and not rec.cached and bandwidth_info(1, cache).cached


def test_memory_bandwidth_is_remembered_in_the_process(tmp_path, monkeypatch):
    cache = tmp_path / "bw.json"
    bw = memory_bandwidth(1, cache)
    monkeypatch.setattr(speed, "bandwidth_info", lambda *a, **k: pytest.fail("measured twice"))
    assert memory_bandwidth(1, cache) == bw


# ---- the formula ------------------------------------------------------------------------------------------------
def test_a_large_model_is_memory_bound():
    # 4 GB of weights: streaming them takes 4e9 / (MEMORY_EFFICIENCY * 40e9) s, far more than the compute
    tps = cpu_tokens_per_s(4_000_000_000, 40e9, threads=8, n_weights=7_000_000_000)
    assert tps == pytest.approx(speed.MEMORY_EFFICIENCY * 40e9 / 4e9, rel=1e-9)
    assert cpu_tokens_per_s(4_000_000_000, 80e9, threads=8, n_weights=7e9) == pytest.approx(2 * tps)


def test_a_small_model_on_one_core_is_compute_bound_and_threads_help_less_than_they_cost():
    w = 135_000_000
    one = cpu_tokens_per_s(97_000_000, 38e9, threads=1, n_weights=w, n_ops=272)
    assert one == pytest.approx(speed.WEIGHTS_PER_S_PER_THREAD / w, rel=1e-9)  # no synchronization on one thread
    two = cpu_tokens_per_s(97_000_000, 38e9, threads=2, n_weights=w, n_ops=272)
    assert 0.8 * one < two < 1.2 * one  # SmolLM2: hundreds of small operations, each ending at a barrier
    big_one = cpu_tokens_per_s(922_000_000, 38e9, threads=1, n_weights=867_000_000, n_ops=155)
    big_two = cpu_tokens_per_s(922_000_000, 38e9, threads=2, n_weights=867_000_000, n_ops=155)
    assert big_two > 1.4 * big_one  # a 1 GB model: the second core pays


def test_the_speed_estimate_falls_with_size_and_needs_a_bandwidth():
    assert cpu_tokens_per_s(1_000_000_000, 20e9) == pytest.approx(2 * cpu_tokens_per_s(2_000_000_000, 20e9))
    assert cpu_tokens_per_s(0, 20e9) is None and cpu_tokens_per_s(10, None) is None
    assert cpu_tokens_per_s(10, 0.0) is None


def test_work_per_token_counts_what_a_token_reads(tmp_path, starter_model):
    # SmolLM2: tied embeddings, so the embedding table is read whole as the output matrix: every tensor counts
    smol = profile_from_gguf(read_model_file(starter_model))
    work = work_per_token(smol)
    assert smol.output_tied and work.bytes == smol.weights_bytes and work.ops == len(smol.tensors)
    assert work.weights == smol.n_params
    # an untied Llama: its input embedding table is only looked up, one row a token
    path = write_gguf(tmp_path / "llama.gguf", model_spec("llama", n_layer=2))[0]
    llama = profile_from_gguf(read_model_file(path))
    embd = next(t for t in llama.tensors if t.name == "token_embd.weight")
    work = work_per_token(llama)
    assert not llama.output_tied and work.bytes == llama.weights_bytes - embd.nbytes
    assert work.ops == len(llama.tensors) - 1 and work.weights == llama.n_params - math.prod(embd.shape)


def test_a_pick_from_facts_is_forecast_like_the_real_file(starter_model):
    """SmolLM2 135M as a starter pick (facts only, its Q8_0 size) and as the real Q4_1 file: the same order."""
    pick = next(p for p in load_picks() if p["id"] == "smollm2-135m")
    facts = pick_profile(pick, pick["quants"][0])
    real = profile_from_gguf(read_model_file(starter_model))
    a, b = work_per_token(facts), work_per_token(real)
    assert 0.8 < a.weights / b.weights < 1.25 and 0.8 < a.ops / b.ops < 1.25
    fa, fb = forecast_tokens_per_s(facts, 38e9, 2), forecast_tokens_per_s(real, 38e9, 2)
    assert 0.7 < fa / fb < 1.3


# ---- what can I run well ----------------------------------------------------------------------------------------
def test_without_bandwidth_the_largest_fitting_pick_wins():
    best = best_pick(BIG_RAM, 4096)
    biggest = max(int(p["parameters"]) for p in load_picks())
    assert int(best.pick["parameters"]) == biggest
    assert best.tokens_per_s is None


def test_a_slow_machine_gets_a_smaller_pick_that_runs_well():
    fast = best_pick(BIG_RAM, 4096, bandwidth=400e9, threads=16)
    slow = best_pick(BIG_RAM, 4096, bandwidth=12e9, threads=2)
    assert int(slow.pick["parameters"]) < int(fast.pick["parameters"])
    assert slow.tokens_per_s >= RUN_WELL_TOKENS_PER_S
    # and it is the largest such pick: every larger quantization of any pick would be too slow or not fit
    for pick in load_picks():
        for q in pick["quants"]:
            if (int(pick["parameters"]), int(q["size"])) > (int(slow.pick["parameters"]), int(slow.quant["size"])):
                assert forecast_tokens_per_s(pick_profile(pick, q), 12e9, 2) < RUN_WELL_TOKENS_PER_S


def test_the_pick_is_the_same_at_every_start(tmp_path):
    """The issue: the answer changed between starts because the bandwidth did. Now it is read back."""
    cache = tmp_path / "bw.json"
    answers = set()
    for _ in range(3):
        rec = bandwidth_info(2, cache)
        best = best_pick(BIG_RAM, 4096, bandwidth=rec.bytes_per_s, threads=2)
        answers.add(best.title if best else None)
    assert len(answers) == 1


def test_nothing_runs_well_on_a_tiny_slow_machine():
    tiny = [Device("cpu", "CPU", "cpu", 1 * GiB, 200 * 2**20)]
    assert best_pick(tiny, 4096, bandwidth=1e9) is None
