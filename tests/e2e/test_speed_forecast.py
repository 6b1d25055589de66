"""The speed forecast as a user meets it: ``hearth fit MODEL --json`` reports ``expected_tokens_per_s`` for
SmolLM2 135M, Gemma 3 270M and a synthetic 1 GB Llama (tests/support/synthetic_gguf.py, built once into the models
cache), and ``hearth chat`` runs each of them (real processes, the engine process, llama.cpp). The forecast's
accuracy (within ±30% of ``hearth chat`` here) is measured by ``benchmarks/speed_forecast.py``, side by side, on an
idle machine: a timed assertion in the test suite would measure whatever else the machine runs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.synthetic_gguf import synthetic_llama_1gb

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "Tell me about the sea."


def models_cache_dir() -> Path:  # as tests/conftest.py: where the test models are kept (ignored by git)
    return Path(os.environ.get("HEARTH_TEST_MODELS", ROOT / ".cache" / "models"))


@pytest.fixture(scope="module")
def synthetic_model(starter_model) -> Path:
    return synthetic_llama_1gb(models_cache_dir(), tokenizer_from=starter_model)


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory) -> Path:
    """One HEARTH_HOME for the module: the memory bandwidth is measured by the first ``hearth fit`` only."""
    return tmp_path_factory.mktemp("speed_home")


def hearth(args: list[str], home: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, HEARTH_HOME=str(home))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


def chat_tokens_per_s(model: Path, home: Path) -> float:
    r = hearth(["chat", str(model), PROMPT, "--json", "--max-tokens", "32", "--temperature", "0"], home)
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout.strip().splitlines()[-1])["stats"]
    assert stats["completion_tokens"] >= 16, stats  # enough tokens for a rate (the synthetic model never stops)
    return float(stats["tokens_per_s"])


@pytest.mark.parametrize("which", ["starter_model", "gemma_model", "synthetic_model"])
def test_hearth_fit_forecasts_a_speed_and_hearth_chat_runs_the_model(which, request, shared_home):
    """The forecast is there, in the JSON a script reads, for each model; the model really runs (the synthetic
    1 GB Llama too: it is a real model llama.cpp loads). How close the forecast comes to ``hearth chat`` is a
    speed figure, measured side by side in ``benchmarks/speed_forecast.py`` (README table), not here."""
    model = request.getfixturevalue(which)
    r = hearth(["fit", str(model), "--json"], shared_home)
    assert r.returncode == 0, r.stderr
    fit = json.loads(r.stdout)
    assert fit["verdict"] == "cpu" and fit["threads"] >= 1 and fit["memory_bandwidth"] > 1e8
    assert fit["expected_tokens_per_s"] > 0
    assert chat_tokens_per_s(model, shared_home) > 0


def test_bigger_models_are_forecast_slower(starter_model, gemma_model, synthetic_model, shared_home):
    speeds = []
    for model in (starter_model, gemma_model, synthetic_model):
        r = hearth(["fit", str(model), "--json"], shared_home)
        speeds.append(json.loads(r.stdout)["expected_tokens_per_s"])
    assert speeds[0] > speeds[1] > speeds[2], speeds


def test_the_synthetic_model_is_about_1_gb_and_built_once(synthetic_model):
    from tests.support import synthetic_gguf

    size = synthetic_model.stat().st_size
    assert 0.9e9 < size < 1.2e9
    mtime = synthetic_model.stat().st_mtime_ns
    assert synthetic_gguf.synthetic_llama_1gb(synthetic_model.parent, tokenizer_from="/nonexistent") == synthetic_model
    assert synthetic_model.stat().st_mtime_ns == mtime  # reused, not rewritten (no tokenizer was even needed)
