"""Starter-pick verdicts from the shipped architecture facts: offline, the best quantization that fits, per device."""
from __future__ import annotations

import socket
import sys

from app.core.fit.here import FitSettings
from app.core.fit import verdicts as fit_verdicts
from app.core import net
from app.core.fit import Device, FitOptions, fit
from app.core.fit.starter_picks import load_picks, pick_profile

GiB = 1 << 30


def _cpu(gib: float) -> list[Device]:
    return [Device(id="cpu", name="CPU", kind="cpu", total_bytes=int(gib * GiB), free_bytes=int(gib * GiB))]


def test_every_pick_gets_the_largest_quantization_that_fits_without_any_connection():
    picks = load_picks()
    connects: list = []

    def audit(event, args):
        if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
            connects.append(args[1])
        elif event == "socket.getaddrinfo":
            connects.append(args[0])

    sys.addaudithook(audit)
    net.set_offline(True)
    try:
        small = fit_verdicts.starter_pick_verdicts(FitSettings(4096), devs=_cpu(3))
        roomy = fit_verdicts.starter_pick_verdicts(FitSettings(4096), devs=_cpu(64))
        mine = fit_verdicts.starter_pick_verdicts(FitSettings(4096))  # this computer's devices
    finally:
        net.set_offline(False)
    assert connects == []
    assert set(small) == set(roomy) == set(mine) == {p["id"] for p in picks}
    for p in picks:
        by_size = sorted(p["quants"], key=lambda q: q["size"])
        assert roomy[p["id"]].best_quant == by_size[-1]["type"]  # 64 GB: the best quality always fits
        s = small[p["id"]]
        fits = [q["type"] for q in by_size
                if fit(pick_profile(p, q), FitOptions(n_ctx=min(4096, p["context_length"])), _cpu(3)).verdict == "cpu"]
        if fits:
            assert s.best_quant == fits[-1] and s.verdict.level == 0 and s.summary.startswith(fits[-1])
        else:  # nothing fits in 3 GB: the verdict is the smallest file's, and says so
            assert s.best_quant is None and s.quant == by_size[0]["type"] and s.verdict.level == 2
            assert s.summary == f"Too big (even {by_size[0]['type']})"
        assert "nothing downloaded" in s.verdict.detail and s.verdict.bpw
    # 3 GB splits the shipped picks: the small ones fit, the 7-9B ones do not
    assert small["smollm2-135m"].best_quant == "Q8_0"
    assert any(v.best_quant is None for v in small.values())
    assert all(v.best_quant for v in roomy.values())


def test_context_is_capped_at_the_trained_length_and_changes_the_verdict():
    pick = next(p for p in load_picks() if p["id"] == "smollm2-135m")
    short = fit_verdicts.starter_pick_verdicts(FitSettings(2048), [pick], _cpu(64))["smollm2-135m"]
    huge = fit_verdicts.starter_pick_verdicts(FitSettings(131072), [pick], _cpu(64))["smollm2-135m"]
    assert f"{pick['context_length']:,} tokens" in huge.verdict.detail  # capped at 8,192
    assert "2,048 tokens" in short.verdict.detail

