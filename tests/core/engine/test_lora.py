"""LoRA adapters through real llama.cpp: SmolLM2 with adapters written by tests/support/make_lora.py.

The adapters are random, not fine-tunes: what is checked is that llama.cpp accepts them, that applying one changes
greedy output, that scale 0 and "no adapters" give exactly the base model's text, and that refusals are clean.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.engine.generation import EngineError
from app.core.engine.lora import Adapters
from app.core.gguf.adapters import adapter_bytes, adapter_problem, read_adapter
from app.core.gguf.header import read_header_file
from tests.support.make_lora import write_lora

llama_cpp = pytest.importorskip("llama_cpp")

PROMPT = "The capital of France is"


def _llm(path):
    return llama_cpp.Llama(model_path=str(path), n_ctx=512, n_threads=1, n_threads_batch=1, verbose=False)


@pytest.fixture(scope="module")
def llm(starter_model):
    llm = _llm(starter_model)
    yield llm
    llm.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory, starter_model, gemma_model):
    d = tmp_path_factory.mktemp("lora")
    return dict(
        a=write_lora(d / "a.gguf", starter_model, b_scale=0.5, seed=0),
        a_copy=write_lora(d / "a_copy.gguf", starter_model, b_scale=0.5, seed=0),
        b=write_lora(d / "b.gguf", starter_model, b_scale=0.5, seed=1, targets=("attn_v", "ffn_down")),
        gemma=write_lora(d / "gemma.gguf", gemma_model),
        wrong=write_lora(d / "wrong.gguf", starter_model, shape_override={"attn_q": (512, 576)}),
        dir=d,
    )


def gen(llm) -> str:
    return llm.create_completion(PROMPT, max_tokens=8, temperature=0)["choices"][0]["text"]


@pytest.fixture(scope="module")
def base_text(llm):
    return gen(llm)  # before any adapter was ever loaded


@pytest.fixture
def adapters(llm):
    ad = Adapters(llm)
    yield ad
    ad.close()  # frees them while the model lives
    gen(llm)  # and the context no longer points at them


def test_scale_zero_is_the_base_model(llm, adapters, files, base_text):
    adapters.apply(llm, [(files["a"], 0.0)])
    assert adapters.current == ((str(files["a"].resolve()), 0.0),)
    assert gen(llm) == base_text


def test_an_adapter_changes_the_output_and_removing_it_restores_it(llm, adapters, files, base_text):
    adapters.apply(llm, [(files["a"], 1.0)])
    changed = gen(llm)
    assert changed != base_text
    assert gen(llm) == changed  # deterministic, and the reused KV prefix is the adapted one
    adapters.apply(llm, [])
    assert adapters.current == ()
    assert gen(llm) == base_text
    adapters.apply(llm, [(files["a"], 1.0)])
    assert gen(llm) == changed


def test_changing_adapters_forgets_the_kv_cache(llm, adapters, files):
    gen(llm)
    assert llm.n_tokens > 0
    adapters.apply(llm, [(files["a"], 1.0)])
    assert llm.n_tokens == 0
    gen(llm)
    n = llm.n_tokens
    adapters.apply(llm, [(files["a"], 1.0)])  # the same signature: nothing changes, the cache stays
    assert llm.n_tokens == n


def test_two_adapters_at_once(llm, adapters, files, base_text):
    adapters.apply(llm, [(files["a"], 1.0)])
    only_a = gen(llm)
    adapters.apply(llm, [(files["b"], 1.0)])
    only_b = gen(llm)
    adapters.apply(llm, [(files["a"], 1.0), (files["b"], 1.0)])
    both = gen(llm)
    assert len(adapters.current) == 2 and len(adapters.loaded) == 2
    assert both != base_text and (both != only_a or both != only_b)
    # both really apply: two copies of an adapter at scale 1 act as one at scale 2 (the update is linear)
    adapters.apply(llm, [(files["a"], 2.0)])
    double = gen(llm)
    adapters.apply(llm, [(files["a"], 1.0), (files["a_copy"], 1.0)])
    assert gen(llm) == double != only_a
    adapters.apply(llm, [])
    assert gen(llm) == base_text


def test_handles_are_cached_by_resolved_path(adapters, files, monkeypatch):
    h = adapters.load(files["a"])
    monkeypatch.chdir(files["dir"])
    assert adapters.load("a.gguf") is h
    assert adapters.load(f"{files['dir']}/./a.gguf") is h
    assert adapters.loaded == [str(files["a"].resolve())]


def test_gemma_adapter_is_refused_by_hearth_and_by_llama_cpp(llm, adapters, files, starter_model, base_text):
    assert adapter_problem(files["gemma"], read_header_file(starter_model)) == (
        "This adapter was made for gemma3 models; this model is llama.")
    adapters.apply(llm, [(files["a"], 1.0)])
    before = adapters.current
    with pytest.raises(EngineError, match="could not load the adapter gemma.gguf: .*arch mismatch"):
        adapters.apply(llm, [(files["a"], 1.0), (files["gemma"], 1.0)])
    assert adapters.current == before  # nothing changed
    assert str(files["gemma"].resolve()) not in adapters.loaded


def test_wrong_shape_is_refused_by_hearth_and_by_llama_cpp(adapters, files, starter_model):
    assert "blk.0.attn_q.weight" in adapter_problem(files["wrong"], read_header_file(starter_model))
    with pytest.raises(EngineError, match="incorrect shape"):
        adapters.load(files["wrong"])


def test_misuse_is_an_engine_error(llm, adapters, files, tmp_path):
    with pytest.raises(EngineError, match="twice"):
        adapters.apply(llm, [(files["a"], 1.0), (files["a"], 0.5)])
    with pytest.raises(EngineError, match="missing"):
        adapters.load(tmp_path / "nowhere.gguf")
    with pytest.raises(EngineError, match="another loaded model"):
        adapters.apply(object(), [])


def test_memory_estimate_matches_llama_cpp(adapters, files):
    from app.core.engine import llama_log

    with llama_log.Capture() as cap:
        adapters.load(files["b"])
    sizes = [float(m.group(1)) for _, line in cap.lines if (m := re.search(r"LoRA buffer size = +([\d.]+) MiB", line))]
    assert sizes and sum(sizes) == pytest.approx(adapter_bytes(read_adapter(files["b"])) / 2**20, abs=0.01)


def test_closing_the_model_first_is_safe(starter_model, files):
    """llama.cpp frees a model's adapters with it: after llm.close() the handles must be forgotten, not freed."""
    llm = _llm(starter_model)
    ad = Adapters(llm)
    ad.apply(llm, [(files["a"], 1.0), (files["b"], 0.5)])
    gen(llm)
    llm.close()  # runs ad.close() first (hooked into the Llama's own close), then frees the model
    assert ad.loaded == [] and ad.current == ()
    ad.close()  # nothing left to free: no double free
    with pytest.raises(EngineError, match="no longer loaded"):
        ad.load(files["a"])


def test_closing_the_adapters_first_is_safe(starter_model, files):
    llm = _llm(starter_model)
    ad = Adapters(llm)
    ad.apply(llm, [(files["a"], 1.0)])
    ad.close()
    ad.close()
    assert ad.loaded == []
    gen(llm)
    llm.close()


FREED_WITH_THE_MODEL = """
import contextlib, sys
import llama_cpp
from app.core.engine.lora import Adapters
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=256, n_threads=1, verbose=False)
real, llm._stack = llm._stack, contextlib.ExitStack()  # an Adapters the Llama's close does not know about
ad = Adapters(llm)
llm._stack = real
ad.apply(llm, [(sys.argv[2], 1.0)])
llm.create_completion("Hi", max_tokens=2, temperature=0)
llm.close()  # llama_model_free deletes the adapter
assert len(ad.loaded) == 1
ad.close()  # must only forget it: llama_adapter_lora_free now would be a use after free (a crash)
ad.close()
print("ok")
"""


def test_adapters_freed_with_the_model_are_not_freed_again(starter_model, files):
    """In a child process: if close() freed a handle the model already deleted, this would crash, not fail."""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root)}
    r = subprocess.run([sys.executable, "-c", FREED_WITH_THE_MODEL, str(starter_model), str(files["a"])],
                       cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), (r.returncode, r.stderr[-2000:])
