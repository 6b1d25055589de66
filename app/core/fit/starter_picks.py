"""The starter picks (``resources/starter_picks.json``) and "what can I run well here": the largest pick and
quantization that fits fully on this machine, judged by the estimator from the picks' architecture facts alone
(nothing is downloaded; see the file's ``schema`` for its fields)."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.fit.memory import Device, FitError, FitOptions, FitResult, fit
from app.core.fit.model_profile import ModelProfile, profile_from_facts
from app.core.fit.speed import RUN_WELL_TOKENS_PER_S, default_threads, forecast_tokens_per_s


def picks_path() -> Path:
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", "")) / "resources" / "starter_picks.json"
    return Path(__file__).resolve().parents[3] / "resources" / "starter_picks.json"


def load_picks(path: Path | None = None) -> list[dict[str, Any]]:
    data = json.loads((path or picks_path()).read_text(encoding="utf-8"))
    # chat models only: the embedding models offered for documents ("kind": "embedding") are not run for chat
    return [m for m in data.get("models", []) if isinstance(m, dict) and m.get("arch") and m.get("quants")
            and m.get("kind", "chat") == "chat"]


def pick_profile(pick: dict[str, Any], quant: dict[str, Any]) -> ModelProfile:
    facts = dict(pick["arch"], context_length=pick.get("context_length", 4096), n_params=pick.get("parameters", 0))
    qtype = {"Q4_K_M": "Q4_K", "Q5_K_M": "Q5_K", "Q4_K_S": "Q4_K"}.get(quant["type"], quant["type"])
    return profile_from_facts(facts, int(quant["size"]), name=f"{pick['name']} {quant['type']}", quant_type=qtype)


@dataclass
class BestPick:
    pick: dict[str, Any]
    quant: dict[str, Any]
    result: FitResult
    tokens_per_s: float | None = None  # estimated generation speed on the CPU (None on a GPU)

    @property
    def title(self) -> str:
        return f"{self.pick['name']} {self.quant['type']}"


def best_pick(devices: list[Device], n_ctx: int = 4096, picks: list[dict[str, Any]] | None = None,
              options: FitOptions | None = None, bandwidth: float | None = None,
              min_tokens_per_s: float = RUN_WELL_TOKENS_PER_S, threads: int | None = None) -> BestPick | None:
    """The largest pick (by parameters), at its largest quantization, that fits fully: entirely on the GPU when
    this machine has one llama.cpp can use, else in RAM. On the CPU it must also run "well": at least
    ``min_tokens_per_s`` forecast by :mod:`app.core.fit.speed` from the memory ``bandwidth`` (when known; pass
    :func:`app.core.fit.speed.memory_bandwidth`, measured once per machine, so the answer is the same at every
    start) on ``threads`` threads (default: the engine's). ``None`` when nothing qualifies."""
    picks = picks if picks is not None else load_picks()
    if bandwidth and not threads:
        threads = default_threads()
    gpu = any(d.kind == "gpu" and d.usable for d in devices)
    want = "gpu_full" if gpu else "cpu"
    best: BestPick | None = None
    for pick in picks:
        for quant in pick["quants"]:
            base = options or FitOptions()
            opts = FitOptions(**{**base.__dict__, "n_ctx": min(n_ctx, int(pick.get("context_length", n_ctx))),
                                 "n_gpu_layers": None})
            try:
                profile = pick_profile(pick, quant)
                res = fit(profile, opts, devices)
            except FitError:
                continue
            if res.verdict != want:
                continue
            tps = None if gpu else forecast_tokens_per_s(profile, bandwidth, threads)
            if tps is not None and tps < min_tokens_per_s:
                continue
            key = (int(pick.get("parameters", 0)), int(quant["size"]))
            if best is None or key > (int(best.pick.get("parameters", 0)), int(best.quant["size"])):
                best = BestPick(pick, quant, res, tps)
    return best
