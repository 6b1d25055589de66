"""What an OpenAI-compatible server needs from the engine, through the real engine process (EngineProcess, host.py)
and the real llama.cpp on SmolLM2-135M: presence/frequency penalties, grammars and JSON schemas, raw completions
with stop strings, tool calls (SmolLM2's template knows no tools: the grammar fallback) and embeddings that leave
a conversation's KV state alone."""
from __future__ import annotations

import json

import numpy as np
import pytest

from app.core.engine import EngineError, GenerationRequest, LoadOptions, PromptTooLong, ReplyStats, Sampling
from app.core.engine.process import EngineProcess

OPTS = LoadOptions(n_ctx=1024, n_threads=1)
PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
          "required": ["name", "age"]}
WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
ADD = {"type": "function", "function": {
    "name": "add", "description": "Add two numbers",
    "parameters": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                   "required": ["a", "b"]}}}


@pytest.fixture(scope="module")
def engine(starter_model):
    e = EngineProcess()
    e.load(starter_model, OPTS)
    yield e
    e.unload()


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def greedy(max_tokens: int = 40, **kw) -> Sampling:
    return Sampling(temperature=0.0, seed=1, max_tokens=max_tokens, **kw)


def reply(engine, req: GenerationRequest) -> tuple[str, ReplyStats]:
    stats = ReplyStats()
    text = "".join(engine.generate(req, stats=stats))
    return text, stats


def test_presence_and_frequency_penalties_change_a_greedy_reply(engine):
    ask = user("Write a list of fruits: apple, banana, apple, banana")
    plain, _ = reply(engine, GenerationRequest(ask, greedy()))
    penalised, stats = reply(engine, GenerationRequest(ask, greedy(presence_penalty=1.5, frequency_penalty=1.0)))
    assert penalised.strip() and penalised != plain
    # still greedy (llama.cpp's chain ends with its greedy sampler): the same reply again
    assert reply(engine, GenerationRequest(ask, greedy(presence_penalty=1.5, frequency_penalty=1.0)))[0] == penalised
    assert stats.stop_reason in ("end", "length")


def test_a_json_schema_makes_json_with_those_keys_and_types(engine):
    text, stats = reply(engine, GenerationRequest(user("Give me a person as JSON."),
                                                  greedy(max_tokens=60, json_schema=PERSON)))
    person = json.loads(text)
    assert isinstance(person["name"], str) and type(person["age"]) is int
    assert stats.stop_reason == "end"  # the grammar let the model end once the object was complete


def test_an_empty_schema_means_any_json_object(engine):
    text, stats = reply(engine, GenerationRequest(user("Describe a cat."), greedy(max_tokens=80, json_schema={})))
    assert stats.stop_reason == "end" and isinstance(json.loads(text), dict)


def test_a_grammar_constrains_the_reply_and_an_invalid_one_is_a_clear_error(engine):
    text, _ = reply(engine, GenerationRequest(user("Is the sky blue?"), greedy(grammar='root ::= "yes" | "no"')))
    assert text in ("yes", "no")
    with pytest.raises(EngineError, match="The grammar is invalid: Undefined rule identifier 'foo'"):
        reply(engine, GenerationRequest(user("hi"), greedy(grammar="root ::= foo")))
    with pytest.raises(EngineError, match="The grammar is invalid: .*left recursion"):
        reply(engine, GenerationRequest(user("hi"), greedy(grammar='root ::= root "a" | "b"')))
    with pytest.raises(EngineError, match="The grammar is invalid: .*root"):
        reply(engine, GenerationRequest(user("hi"), greedy(grammar='start ::= "a"')))
    # accepted by llama.cpp but allowing no token (llama.cpp would throw from inside its sampler and end the process)
    with pytest.raises(EngineError, match="The grammar allows nothing"):
        reply(engine, GenerationRequest(user("hi"), greedy(grammar='root ::= "a" "\\x00"')))
    with pytest.raises(EngineError, match="The grammar allows nothing"):
        reply(engine, GenerationRequest(user("hi"), Sampling(temperature=0.8, grammar='root ::= "\\x00"')))
    assert engine.alive  # answers, not crashes: the same process serves on
    assert reply(engine, GenerationRequest(user("Say hello."), greedy(max_tokens=8)))[0].strip()


def test_a_raw_completion_has_no_template_and_stops_at_an_extra_stop_string(engine):
    prompt = "The capital of France is Paris. The capital of Germany is"
    free, _ = reply(engine, GenerationRequest([], greedy(max_tokens=12), prompt=prompt))
    assert "." in free  # without the stop string the model goes on past the sentence's end
    text, stats = reply(engine, GenerationRequest([], greedy(max_tokens=12), prompt=prompt, stop=["."]))
    assert text == free[:free.index(".")] and "Berlin" in text and stats.stop_reason == "end"
    # the text as it is: SmolLM2 adds no BOS, and no chat template wraps it
    assert stats.prompt_tokens == engine.count_text_tokens(prompt)
    with pytest.raises(PromptTooLong):  # not fitted into the context
        reply(engine, GenerationRequest([], greedy(max_tokens=4), prompt="word " * 2000))


def test_an_extra_stop_string_ends_a_chat_reply(engine):
    ask = user("Count from 1 to 10, separated by commas.")
    free, _ = reply(engine, GenerationRequest(ask, greedy(max_tokens=30)))
    assert "," in free
    text, stats = reply(engine, GenerationRequest(ask, greedy(max_tokens=30), stop=[","]))
    assert text == free[:free.index(",")] and stats.stop_reason == "end"


def test_a_required_tool_call_and_the_answer_after_its_result(engine):
    ask = user("What is the weather in Paris?")
    pieces, stats = [], ReplyStats()
    for piece in engine.generate(GenerationRequest(ask, greedy(max_tokens=60), tools=[WEATHER, ADD],
                                                   tool_choice="required"), stats=stats):
        pieces.append(piece)
    assert pieces == []  # a call is no text
    [call] = stats.tool_calls
    assert call["name"] == "get_weather" and call["id"].startswith("call_")
    args = json.loads(call["arguments"])  # a JSON text, as OpenAI sends it
    assert isinstance(args, dict) and isinstance(args["city"], str) and "paris" in args["city"].lower()
    # the client runs the tool and sends the conversation back, with the tools, as OpenAI clients do
    follow = ask + [
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": call["id"], "type": "function",
             "function": {"name": call["name"], "arguments": call["arguments"]}}]},
        {"role": "tool", "tool_call_id": call["id"], "content": json.dumps({"temperature": 21, "sky": "sunny"})},
    ]
    text, stats = reply(engine, GenerationRequest(follow, greedy(max_tokens=60), tools=[WEATHER, ADD]))
    assert text.strip() and stats.tool_calls == [] and not text.lstrip().startswith("{")
    # without tools the same conversation renders too (the call and its result as text the model reads)
    text, stats = reply(engine, GenerationRequest(follow, greedy(max_tokens=30)))
    assert text.strip() and stats.tool_calls == []


def test_a_named_tool_choice_forces_that_function(engine):
    text, stats = reply(engine, GenerationRequest(
        user("What is the weather in Paris?"), greedy(max_tokens=60), tools=[WEATHER, ADD],
        tool_choice={"type": "function", "function": {"name": "add"}}))
    assert text == "" and [c["name"] for c in stats.tool_calls] == ["add"]
    args = json.loads(stats.tool_calls[0]["arguments"])
    assert isinstance(args["a"], (int, float)) and isinstance(args["b"], (int, float))
    with pytest.raises(EngineError, match="not one of the tools"):
        reply(engine, GenerationRequest(user("hi"), greedy(), tools=[WEATHER],
                                        tool_choice={"type": "function", "function": {"name": "nope"}}))


def test_tool_choice_none_is_a_plain_reply(engine):
    text, stats = reply(engine, GenerationRequest(user("What is the weather in Paris?"), greedy(max_tokens=20),
                                                  tools=[WEATHER], tool_choice="none"))
    assert text.strip() and stats.tool_calls == []


def cosine(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_embeddings_carry_meaning_and_leave_the_conversation_state_alone(engine):
    ask = user("Tell me about the sea.")
    first, stats1 = reply(engine, GenerationRequest(ask, greedy(max_tokens=16), cache_key="sea"))
    texts = ["The cat sat on the mat.", "A cat was sitting on a rug.", "Quarterly tax filings are due in April."]
    vectors = engine.embed(texts)
    assert len(vectors) == 3 and all(len(v) == engine.info.n_embd == 576 for v in vectors)
    assert all(abs(np.linalg.norm(v) - 1.0) < 1e-5 for v in vectors)  # L2-normalised
    # similar sentences are closer than unrelated ones: the vectors carry the texts' meaning (which is all this
    # shows; SmolLM2 is a chat model, not a good embedder)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.05
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[1], vectors[2]) + 0.05
    assert engine.embed(texts[:1]) == vectors[:1]  # deterministic
    # the conversation goes on from its KV state, parked before the embeddings and restored now
    follow = ask + [{"role": "assistant", "content": first}, {"role": "user", "content": "And the mountains?"}]
    _, stats2 = reply(engine, GenerationRequest(follow, greedy(max_tokens=8), cache_key="sea"))
    assert stats2.cached_tokens >= stats1.prompt_tokens - 1 > 0
    with pytest.raises(PromptTooLong):
        engine.embed(["word " * 2000])
    with pytest.raises(EngineError, match="empty"):
        engine.embed([""])
    assert engine.embed([]) == []
