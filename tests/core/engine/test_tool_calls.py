"""Tool calling's pieces (app/core/engine/tool_calls.py): requests read and checked, earlier calls and results as
text, the reply grammar built by llama-cpp-python's converter and accepted by llama.cpp, replies read while they
stream, calls in models' own formats, and a template that renders tools used as it is (in the engine, on the real
SmolLM2 with a Hermes-style template put in place of its own)."""
from __future__ import annotations

import json

import pytest

from app.core.engine import Engine, EngineError, GenerationRequest, LoadOptions, ReplyStats, Sampling
from app.core.engine import tool_calls as tc

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
HERMES = """{%- if tools %}<|im_start|>system
You may call functions:
<tools>
{%- for tool in tools %}
{{ tool | tojson }}
{%- endfor %}
</tools>
Return each call as <tool_call>{"name": ..., "arguments": {...}}</tool_call><|im_end|>
{% endif %}
{%- for message in messages %}
{%- if message.role == "tool" %}<|im_start|>user
<tool_response>
{{ message.content }}
</tool_response><|im_end|>
{% elif message.tool_calls %}<|im_start|>assistant
{%- for call in message.tool_calls %}
<tool_call>
{"name": "{{ call.function.name }}", "arguments": {{ call.function.arguments | tojson }}}
</tool_call>
{%- endfor %}<|im_end|>
{% else %}<|im_start|>{{ message.role }}
{{ message.content }}<|im_end|>
{% endif %}
{%- endfor %}
{%- if add_generation_prompt %}<|im_start|>assistant
{% endif %}"""


def test_requests_are_checked():
    assert tc.read_tools([WEATHER])[0].name == "get_weather"
    assert tc.read_choice({"type": "function", "function": {"name": "get_weather"}}, ["get_weather"]) == \
        ("required", "get_weather")
    for bad in ([{"type": "function", "function": {}}], [{"type": "retrieval"}], [WEATHER, WEATHER]):
        with pytest.raises(EngineError):
            tc.read_tools(bad)
    with pytest.raises(EngineError, match="tool_choice"):
        tc.read_choice("sometimes", ["get_weather"])


def test_calls_and_results_become_text_the_model_reads():
    msgs = [{"role": "user", "content": "Weather in Paris and Rome?", "id": 1},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}},
                {"id": "c2", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Rome"}}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
            {"role": "tool", "tool_call_id": "c2", "content": [{"type": "text", "text": "rain"}]}]
    out = tc.text_messages(msgs)
    assert out == [
        {"role": "user", "content": "Weather in Paris and Rome?", "id": 1},
        {"role": "assistant", "content": 'Called get_weather({"city":"Paris"})\nCalled get_weather({"city": "Rome"})'},
        {"role": "user", "content": "Result of get_weather: sunny\n\nResult of get_weather: rain"}]
    assert tc.answered_calls(msgs) == {("get_weather", '{"city": "Paris"}'), ("get_weather", '{"city": "Rome"}')}
    plan = tc.plan(msgs, [WEATHER], "auto", template_knows_tools=False)
    assert plan.mode == tc.GRAMMAR and plan.messages[0]["role"] == "system"
    assert "get_weather" in plan.messages[0]["content"]
    assert plan.repeats([{"name": "get_weather", "arguments": '{ "city": "Paris" }'}])
    assert not plan.repeats([{"name": "get_weather", "arguments": '{"city": "Oslo"}'}])
    assert tc.plan(msgs, [WEATHER], "none", template_knows_tools=False).mode == tc.OFF


def test_the_reply_grammar_is_valid_for_llama_cpp(starter_model):
    """Each shape of the reply schema converts, and llama.cpp accepts the grammar (references of a tool's own
    ``$defs`` included, which move to the top of the combined schema)."""
    import llama_cpp

    from app.core.engine.grammar import grammar_sampler

    nested = {"type": "function", "function": {"name": "book", "parameters": {
        "type": "object", "properties": {"guest": {"$ref": "#/$defs/guest"}}, "required": ["guest"],
        "$defs": {"guest": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}
    bare = {"type": "function", "function": {"name": "now"}}
    llm = llama_cpp.Llama(str(starter_model), vocab_only=True, verbose=False)
    try:
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        tools = tc.read_tools([WEATHER, nested, bare])
        for required in (False, True):
            for parallel in (False, True):
                llama_cpp.llama_sampler_free(grammar_sampler(vocab, tc.tools_grammar(tools, required, parallel)))
        llama_cpp.llama_sampler_free(grammar_sampler(vocab, tc.answer_grammar()))
    finally:
        llm.close()


def test_replies_are_read_while_they_stream():
    reply = tc.GrammarReply()
    shown = [reply.feed(p) for p in ['{ "con', 'tent": "Hel', 'lo \\"wor', 'ld\\"\\n\\u00e9', '\\ud83d', '\\ude00"}']]
    assert shown == ["", "Hel", 'lo "wor', 'ld"\né', "", "😀"]
    assert reply.finish() == ("", [])
    call = tc.GrammarReply()
    assert call.feed('{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}') == ""
    _, calls = call.finish()
    assert [(c["name"], json.loads(c["arguments"])) for c in calls] == [("get_weather", {"city": "Paris"})]
    cut = tc.GrammarReply()  # cut short by max_tokens: the complete calls are kept
    cut.feed('{"tool_calls": [{"name": "a", "arguments": {}}, {"name": "b", "argu')
    assert [c["name"] for c in cut.finish()[1]] == ["a"]
    broken = tc.GrammarReply()
    broken.feed('{"tool_ca')
    assert broken.finish() == ('{"tool_ca', [])


@pytest.mark.parametrize("text,names", [
    ('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>', ["get_weather"]),
    ('[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris"}}]', ["get_weather"]),
    ('<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris"}}', ["get_weather"]),
    ('{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}', ["get_weather"]),
    ('{"name": "other", "arguments": {}}', []),  # not one of the request's tools: text
    ("The weather in Paris is sunny.", []),
    ("<tool_call>\nnot json\n</tool_call>", []),
])
def test_calls_in_models_own_formats(text, names):
    calls = tc.parse_template_reply(text, ["get_weather"])
    assert [c["name"] for c in calls] == names
    assert all(json.loads(c["arguments"]) == {"city": "Paris"} for c in calls)


def test_a_template_that_renders_tools_gets_them(starter_model):
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    engine = Engine()
    engine.load(starter_model, LoadOptions(n_ctx=1024, n_threads=1))
    try:
        assert not engine._template_knows_tools()  # SmolLM2's own template ignores tools
        engine._formatter = Jinja2ChatFormatter(template=HERMES, eos_token="<|im_end|>", bos_token="",
                                                stop_token_ids=[engine.llm.token_eos()])
        engine._template_tools = None
        assert engine._template_knows_tools()
        msgs = [{"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": None, "tool_calls": [
                    {"id": "c1", "type": "function",
                     "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "sunny"}]
        plan = tc.plan(msgs, [WEATHER], "auto", template_knows_tools=True)
        prompt = engine._formatter(messages=plan.messages, tools=plan.template_tools).prompt
        assert '"name": "get_weather"' in prompt and '{"city": "Paris"}' in prompt
        assert "<tool_response>\nsunny" in prompt
        stats = ReplyStats()
        text = "".join(engine.generate(GenerationRequest(msgs, Sampling(temperature=0, max_tokens=24), tools=[WEATHER]),
                                       stats=stats))
        assert (text.strip() != "") != bool(stats.tool_calls)  # a call or text, never both
    finally:
        engine.close()
