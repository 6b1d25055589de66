"""The engine process (app/core/engine/process.py + host.py) with the real llama.cpp and SmolLM2: it streams, stops
within 100 ms, keeps per-conversation KV state, ends its process on unload, and turns every way of dying into an
EngineCrashed that says what happened (a real ggml_abort inside llama.cpp's library, SIGSEGV, SIGKILL from
outside) while keeping the text already streamed."""
from __future__ import annotations

import os
import signal
import threading
import time

import psutil
import pytest

from app.core.engine import EngineError, GenerationRequest, LoadOptions, ReplyStats, Sampling
from app.core.engine.process import EngineCrashed, EngineProcess, notable_lines
from app.core.engine.protocol import VERSION, decode, encode

OPTS = LoadOptions(n_ctx=1024, n_threads=1)


def ask(text="Tell me a long story about a dragon.", max_tokens=48, key=None) -> GenerationRequest:
    return GenerationRequest([{"role": "user", "content": text}], Sampling(max_tokens=max_tokens, seed=7,
                                                                            temperature=0.0), cache_key=key)


@pytest.fixture
def engine():
    e = EngineProcess()
    yield e
    e.unload()


def test_streams_counts_keeps_kv_state_and_unload_ends_the_process(engine, starter_model):
    info = engine.load(starter_model, OPTS)
    assert info.n_ctx == 1024 and info.architecture == "llama" and engine.alive
    pid = engine.pid
    contexts, stats = [], ReplyStats()
    text = "".join(engine.generate(ask(key=1), stats=stats, on_context=lambda *a: contexts.append(a)))
    assert text.strip() and stats.completion_tokens == 48 and stats.stop_reason == "length"
    assert contexts == [(stats.prompt_tokens, 1024, [])]
    # the same conversation again: its prefix is reused from the KV cache in the engine process
    again = ReplyStats()
    assert "".join(engine.generate(ask(key=1), stats=again)) == text  # greedy: the same reply
    assert again.cached_tokens == again.prompt_tokens - 1
    assert engine.count_tokens([{"role": "user", "content": "hi"}]) > 1
    engine.unload()
    assert not engine.alive and not psutil.pid_exists(pid)  # ended and reaped: its memory is the system's again
    with pytest.raises(EngineError, match="No model is loaded"):
        list(engine.generate(ask()))


def test_stop_reaches_the_engine_process_within_100_ms(engine, starter_model):
    engine.load(starter_model, OPTS)
    cancel, stats = threading.Event(), ReplyStats()
    gen = engine.generate(ask(max_tokens=400), cancel, stats)
    next(gen)
    t0 = time.perf_counter()
    cancel.set()
    rest = list(gen)
    waited = time.perf_counter() - t0
    assert stats.stop_reason == "stopped" and waited < 0.1, (waited, len(rest))
    # the engine serves the next request at once
    assert "".join(engine.generate(ask(max_tokens=4))).strip()


def test_a_refused_file_leaves_the_loaded_model_serving(engine, starter_model, tmp_path):
    engine.load(starter_model, OPTS)
    pid = engine.pid
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(200))
    with pytest.raises(EngineError, match="not a usable GGUF model"):
        engine.load(bad, OPTS)
    assert engine.pid == pid and "".join(engine.generate(ask(max_tokens=4))).strip()


@pytest.mark.parametrize("when,how,sig", [("load", "ggml_abort", "SIGABRT"), ("prefill", "segv", "SIGSEGV"),
                                          ("stream", "ggml_abort", "SIGABRT")])
def test_a_crash_in_each_phase_is_reported_in_words(starter_model, when, how, sig):
    """``ggml_abort`` is llama.cpp's own abort (what a GGML_ASSERT calls) run inside its library: the message on
    stderr and the SIGABRT are the real ones."""
    engine = EngineProcess(env={"HEARTH_ENGINE_FAULT": f"{when}:{how}"})
    try:
        if when == "load":
            with pytest.raises(EngineCrashed) as caught:
                engine.load(starter_model, OPTS)
        else:
            engine.load(starter_model, OPTS)
            stats, got = ReplyStats(), []
            with pytest.raises(EngineCrashed) as caught:
                for piece in engine.generate(ask(), stats=stats):
                    got.append(piece)
            assert stats.stop_reason == "interrupted"
            assert bool(got) == (when == "stream")  # the text streamed before the crash reached the caller
        exc = caught.value
        assert exc.phase == when and exc.signal_name == sig
        assert sig in str(exc) and "The engine stopped" in str(exc)
        if how == "ggml_abort":
            assert "GGML_ASSERT(hearth test hook) failed" in str(exc)
        assert not engine.alive and engine.info is None
    finally:
        engine.unload()


def test_sigkill_from_outside_mid_reply(engine, starter_model):
    engine.load(starter_model, OPTS)
    got = []
    with pytest.raises(EngineCrashed) as caught:
        for piece in engine.generate(ask(max_tokens=400)):
            got.append(piece)
            if len(got) == 3:
                os.kill(engine.pid, signal.SIGKILL)
    assert got and caught.value.signal_name == "SIGKILL" and "ran out of memory" in str(caught.value)
    engine.load(starter_model, OPTS)  # a new engine process serves again
    assert "".join(engine.generate(ask(max_tokens=4))).strip()


def test_protocol_lines_and_crash_lines():
    msg = {"op": "delta", "id": 3, "text": "line one\nline two ünïcödé"}
    line = encode(msg)
    assert line.count(b"\n") == 1 and decode(line) == msg
    assert VERSION == 3  # 2: raw prompts, stop strings, tools, grammars, penalties, embed; 3: adapters, images
    log = ["hearth.engine: loaded x", "ggml.c:12: GGML_ASSERT(a == b) failed", "[engine] noise"]
    assert notable_lines(log) == ["ggml.c:12: GGML_ASSERT(a == b) failed"]
    assert notable_lines(["llama: error loading model: bad", "ok"]) == ["llama: error loading model: bad"]
    assert notable_lines(["just chatter"]) == []
