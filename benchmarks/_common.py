"""Helpers shared by the benchmarks: where the test models are, and saving results."""
from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def models_dir() -> Path:
    return Path(os.environ.get("HEARTH_TEST_MODELS", ROOT / ".cache" / "models"))


def model(name: str) -> Path:
    p = models_dir() / name
    if not p.is_file():
        raise SystemExit(f"{p} is missing: run `make models` first")
    return p


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": platform.machine(),
            "cpus": os.cpu_count(), **data}
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(data, indent=2) + "\n")
    return out
