"""'What can I run well': fits fully AND generates at a comfortable speed on this machine's CPU."""
from app.core.fit import Device
from app.core.fit.speed import RUN_WELL_TOKENS_PER_S, cpu_tokens_per_s, memory_bandwidth
from app.core.fit.starter_picks import best_pick, load_picks

GiB = 2**30
BIG_RAM = [Device("cpu", "CPU", "cpu", 64 * GiB, 60 * GiB)]


def test_bandwidth_is_measured():
    bw = memory_bandwidth()
    assert bw is not None and 1e8 < bw < 1e13


def test_speed_estimate_scales_with_size():
    assert cpu_tokens_per_s(1_000_000_000, 20e9) == 2 * cpu_tokens_per_s(2_000_000_000, 20e9)
    assert cpu_tokens_per_s(0, 20e9) is None and cpu_tokens_per_s(10, None) is None


def test_without_bandwidth_the_largest_fitting_pick_wins():
    best = best_pick(BIG_RAM, 4096)
    biggest = max(int(p["parameters"]) for p in load_picks())
    assert int(best.pick["parameters"]) == biggest
    assert best.tokens_per_s is None


def test_a_slow_machine_gets_a_smaller_pick_that_runs_well():
    fast = best_pick(BIG_RAM, 4096, bandwidth=400e9)
    slow = best_pick(BIG_RAM, 4096, bandwidth=12e9)
    assert int(slow.pick["parameters"]) < int(fast.pick["parameters"])
    assert slow.tokens_per_s >= RUN_WELL_TOKENS_PER_S
    # and it is the largest such pick: every larger quantization of any pick would be too slow or not fit
    for pick in load_picks():
        for q in pick["quants"]:
            if (int(pick["parameters"]), int(q["size"])) > (int(slow.pick["parameters"]), int(slow.quant["size"])):
                assert cpu_tokens_per_s(int(q["size"]), 12e9) < RUN_WELL_TOKENS_PER_S


def test_nothing_runs_well_on_a_tiny_slow_machine():
    tiny = [Device("cpu", "CPU", "cpu", 1 * GiB, 200 * 2**20)]
    assert best_pick(tiny, 4096, bandwidth=1e9) is None
