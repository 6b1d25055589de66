"""The engine worker (real QThread, real llama.cpp, the starter model) survives every failed load and failed
generation and serves the next request: a file Hearth's check refuses, a file llama.cpp refuses, a generation
with no model, a prompt longer than the context, an unknown policy, a malformed request that raises deep inside
the worker; after each, a good request still works, on the same thread."""
from __future__ import annotations

from dataclasses import replace

import pytest

from app.core.engine import GenerationRequest, LoadOptions, Sampling
from tests.support.synth_gguf import model_spec, write_gguf

OPTS = LoadOptions(n_ctx=256, n_threads=1)
QUICK = Sampling(max_tokens=6, seed=3, temperature=0.0)


@pytest.fixture
def client(qtbot):
    from app.ui.chat.engine_client import EngineClient

    c = EngineClient()
    yield c
    c.shutdown()


def load_fails(qtbot, client, path, options=OPTS) -> str:
    with qtbot.waitSignal(client.load_failed, timeout=60000) as b:
        client.load(str(path), options)
    return b.args[1]


def load_ok(qtbot, client, path):
    with qtbot.waitSignal(client.loaded, timeout=60000) as b:
        client.load(str(path), OPTS)
    return b.args[0]


def generate(qtbot, client, req: GenerationRequest) -> tuple[str, object, str]:
    """('finished' | 'failed', stats, text or error message)"""
    pieces: list[str] = []
    client.delta.connect(lambda g, t: pieces.append(t))
    outcome = {}
    client.finished.connect(lambda g, s: outcome.setdefault("r", ("finished", s, "")))
    client.failed.connect(lambda g, m, s: outcome.setdefault("r", ("failed", s, m)))
    try:
        client.generate(req)
        qtbot.waitUntil(lambda: "r" in outcome and not client.busy, timeout=60000)
    finally:
        client.delta.disconnect()
        client.finished.disconnect()
        client.failed.disconnect()
    kind, stats, msg = outcome["r"]
    return kind, stats, msg or "".join(pieces)


def hello(text="Say hi.") -> GenerationRequest:
    return GenerationRequest([{"role": "user", "content": text}], QUICK)


def test_worker_survives_failed_loads_and_generations(qtbot, client, starter_model, tmp_path):
    worker_thread = client.thread
    # 1. refused by Hearth's header check
    bad = tmp_path / "truncated.gguf"
    bad.write_bytes(starter_model.read_bytes()[:100_000])
    assert "truncated.gguf is not a usable GGUF model" in load_fails(qtbot, client, bad)
    # 2. structurally valid, refused by llama.cpp itself
    weird = tmp_path / "weird.gguf"
    spec = model_spec("llama", n_layer=1, n_embd=64, n_head=4, n_head_kv=4, n_ff=128, n_vocab=1000)
    write_gguf(weird, replace(spec, arch="weirdarch"))
    assert "llama.cpp could not load weird.gguf" in load_fails(qtbot, client, weird)
    # 3. a generation with no model
    kind, stats, msg = generate(qtbot, client, hello())
    assert kind == "failed" and "No model is loaded" in msg
    # 4. now a good model, and it answers
    info = load_ok(qtbot, client, starter_model)
    assert info.n_ctx == 256
    kind, stats, text = generate(qtbot, client, hello())
    assert kind == "finished" and text.strip() and stats.completion_tokens > 0
    # 5. a prompt that cannot fit the context
    kind, stats, msg = generate(qtbot, client, hello("word " * 2000))
    assert kind == "failed" and stats.stop_reason == "context_full" and "context holds only 256" in msg
    kind, _, text = generate(qtbot, client, hello())
    assert kind == "finished" and text.strip()
    # 6. an unknown overflow policy (an EngineError raised before llama.cpp runs)
    kind, stats, msg = generate(qtbot, client, replace(hello(), policy="no-such-policy"))
    assert kind == "failed" and "Unknown context policy" in msg
    # 7. a malformed request: an unexpected exception deep in the worker's slot
    kind, stats, msg = generate(qtbot, client, GenerationRequest([{"content": "no role"}], QUICK))
    assert kind == "failed" and msg.startswith("Generation failed:") and stats.stop_reason == "error"
    kind, _, text = generate(qtbot, client, hello())
    assert kind == "finished" and text.strip()
    # 8. a refused file while a model is loaded keeps that model serving
    assert "not a usable GGUF model" in load_fails(qtbot, client, bad)
    assert client.info is not None and client.info.path == str(starter_model)
    kind, _, text = generate(qtbot, client, hello())
    assert kind == "finished" and text.strip()
    # 9. llama.cpp refusing a file: the old model was released first, and is loaded again (issue 18: a failed
    # load costs the user nothing)
    msg = load_fails(qtbot, client, weird)
    assert "llama.cpp could not load weird.gguf" in msg and f"{starter_model.name} is loaded again" in msg
    assert client.info is not None and client.info.path == str(starter_model)
    # 10. options that cannot work together are refused before anything is unloaded
    pid = client.worker.engine.pid
    msg = load_fails(qtbot, client, starter_model, replace(OPTS, kv_type="q8_0", flash_attn=False))
    assert "needs flash attention" in msg and client.worker.engine.pid == pid and client.info is not None
    load_ok(qtbot, client, starter_model)
    kind, _, text = generate(qtbot, client, hello())
    assert kind == "finished" and text.strip()
    # token counting of a malformed conversation answers -1 instead of dying
    with qtbot.waitSignal(client.tokens_counted, timeout=10000) as b:
        client.count_tokens([{"content": "no role"}])
    assert b.args[1] == -1
    assert client.thread is worker_thread and worker_thread.isRunning()
