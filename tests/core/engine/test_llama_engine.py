"""The engine on the real llama.cpp and the real SmolLM2 starter model."""
import threading

import pytest

from app.core.engine import Engine, EngineError, LoadOptions, PromptTooLong, ReplyStats, Sampling


@pytest.fixture(scope="module")
def engine(starter_model):
    e = Engine()
    e.load(starter_model, LoadOptions(n_ctx=1024))
    yield e
    e.unload()


def test_load_reports_model_info(engine, starter_model):
    info = engine.info
    assert info.architecture == "llama"
    assert info.n_ctx == 1024
    assert info.n_ctx_train == 8192
    assert info.size_bytes == starter_model.stat().st_size
    assert info.template_name == "model"  # SmolLM2 carries a Jinja chat template


def test_stream_yields_tokens_and_stats(engine):
    stats = ReplyStats()
    pieces = list(engine.stream([{"role": "user", "content": "Name three colors."}],
                                Sampling(temperature=0, seed=1, max_tokens=24), threading.Event(), stats))
    assert len(pieces) >= 3
    assert "".join(pieces).strip()
    assert stats.completion_tokens >= len(pieces) - 1
    assert stats.stop_reason in ("end", "length")
    assert stats.ttft_s > 0 and stats.tokens_per_s > 0


def test_max_tokens_gives_length_stop(engine):
    stats = ReplyStats()
    list(engine.stream([{"role": "user", "content": "Write a long story about a dragon."}],
                       Sampling(temperature=0, seed=1, max_tokens=5), None, stats))
    assert stats.stop_reason == "length"
    assert stats.completion_tokens == 5


def test_cancel_stops_within_a_token(engine):
    cancel = threading.Event()
    stats = ReplyStats()
    got = []
    for piece in engine.stream([{"role": "user", "content": "Count from 1 to 500, one per line."}],
                               Sampling(temperature=0, seed=1, max_tokens=400), cancel, stats):
        got.append(piece)
        if len(got) == 5:
            cancel.set()
    # (how fast Stop takes effect is measured in benchmarks/chat_stream.py, not asserted in a timed test)
    assert stats.stop_reason == "stopped"
    assert len(got) == 5, "no token may be yielded after cancel"


def test_cancel_interrupts_a_long_prompt_evaluation(engine):
    cancel = threading.Event()
    stats = ReplyStats()
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    out = list(engine.stream([{"role": "user", "content": "The sea is wide and deep. " * 110}],
                             Sampling(temperature=0, max_tokens=8), cancel, stats))
    timer.join()
    assert out == [] and stats.stop_reason == "stopped"
    # the cache holds only fully evaluated batches: the next request works and reuses what is valid
    stats2 = ReplyStats()
    text = "".join(engine.stream([{"role": "user", "content": "Say hi."}], Sampling(temperature=0, max_tokens=4),
                                 None, stats2))
    assert stats2.completion_tokens > 0 and text


def test_follow_up_reuses_kv_prefix(engine):
    msgs = [{"role": "user", "content": "Hello there, how are you today?"}]
    s1 = ReplyStats()
    reply = "".join(engine.stream(msgs, Sampling(temperature=0, seed=1, max_tokens=12), None, s1))
    msgs += [{"role": "assistant", "content": reply}, {"role": "user", "content": "And tomorrow?"}]
    s2 = ReplyStats()
    list(engine.stream(msgs, Sampling(temperature=0, seed=1, max_tokens=4), None, s2))
    assert s2.cached_tokens >= s1.prompt_tokens - 1


def test_prompt_longer_than_context_is_a_clear_error(starter_model):
    e = Engine()
    e.load(starter_model, LoadOptions(n_ctx=128))
    try:
        with pytest.raises(PromptTooLong) as err:
            list(e.stream([{"role": "user", "content": "word " * 400}], Sampling(max_tokens=4)))
        assert "context" in str(err.value) and err.value.n_ctx == e.n_ctx >= 128
    finally:
        e.unload()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(EngineError, match="does not exist"):
        Engine().load(tmp_path / "nope.gguf")


def test_not_a_gguf_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"this is not a model" * 100)
    with pytest.raises(EngineError) as err:
        Engine().load(bad)
    assert "bad.gguf" in str(err.value)


def test_truncated_model_is_rejected_before_llama_cpp(starter_model, tmp_path):
    bad = tmp_path / "truncated.gguf"
    with open(starter_model, "rb") as src:
        bad.write_bytes(src.read(2_000_000))
    e = Engine()
    with pytest.raises(EngineError):
        e.load(bad)
    assert not e.loaded


def test_chat_format_override(engine):
    info = engine.set_chat_format("chatml")
    assert info.template_name == "chatml"
    stats = ReplyStats()
    list(engine.stream([{"role": "user", "content": "Hi"}], Sampling(temperature=0, max_tokens=3), None, stats))
    assert stats.completion_tokens > 0
    engine.set_chat_format("model")


def test_switching_conversations_keeps_each_ones_kv_cache(engine):
    a = [{"role": "system", "content": "You answer about the sea. " * 20},
         {"role": "user", "content": "What is a wave?"}]
    b = [{"role": "system", "content": "You answer about mountains. " * 20},
         {"role": "user", "content": "What is a peak?"}]
    sa, sb = ReplyStats(), ReplyStats()
    ra = "".join(engine.stream(a, Sampling(temperature=0, max_tokens=6), None, sa, cache_key="A"))
    rb = "".join(engine.stream(b, Sampling(temperature=0, max_tokens=6), None, sb, cache_key="B"))
    a += [{"role": "assistant", "content": ra}, {"role": "user", "content": "And a tide?"}]
    b += [{"role": "assistant", "content": rb}, {"role": "user", "content": "And a valley?"}]
    sa2, sb2 = ReplyStats(), ReplyStats()
    list(engine.stream(a, Sampling(temperature=0, max_tokens=4), None, sa2, cache_key="A"))
    list(engine.stream(b, Sampling(temperature=0, max_tokens=4), None, sb2, cache_key="B"))
    # back in each conversation, its long system prompt is not evaluated again
    assert sa2.cached_tokens >= sa.prompt_tokens - 1
    assert sb2.cached_tokens >= sb.prompt_tokens - 1


def test_broken_model_template_falls_back_to_a_known_format(engine, monkeypatch):
    md = dict(engine.llm.metadata)
    md["tokenizer.chat_template"] = "{% for m in messages %}{{ m.content | nosuchfilter }}{% endfor %}"
    monkeypatch.setattr(engine.llm, "metadata", md)
    info = engine.set_chat_format("model")
    assert info.template_name == "chatml" and "failed" in info.template_source
    stats = ReplyStats()
    list(engine.stream([{"role": "user", "content": "Hi"}], Sampling(temperature=0, max_tokens=3), None, stats))
    assert stats.completion_tokens > 0
    monkeypatch.undo()
    assert engine.set_chat_format("model").template_name == "model"


def test_template_that_renders_nothing_is_a_clear_error(engine, monkeypatch):
    md = dict(engine.llm.metadata)
    md["tokenizer.chat_template"] = "{% if false %}x{% endif %}"
    monkeypatch.setattr(engine.llm, "metadata", md)
    engine.set_chat_format("model")
    with pytest.raises(EngineError, match="empty prompt"):
        list(engine.stream([{"role": "user", "content": "Hi"}], Sampling(max_tokens=3)))
    monkeypatch.undo()
    engine.set_chat_format("model")


def test_template_hazards_are_refused_before_compiling():
    from app.core.engine.chat_templates import TemplateHazard, check_template

    for bad in ("{{ 'a' * 10**9 }}", "{{ ('a' * 100000) * 100000 }}", "{{ [0] * 99999999 }}",
                "{% for i in range(10**9) %}x{% endfor %}", "x" * 300_000):
        with pytest.raises(TemplateHazard):
            check_template(bad)
    for fine in ("{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}", "{{ '-' * 40 }}",
                 "{{ bos_token }}{% if add_generation_prompt %}assistant:{% endif %}"):
        check_template(fine)
