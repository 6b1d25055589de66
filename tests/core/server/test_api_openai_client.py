"""The API server with the real parts: the engine process running llama.cpp on SmolLM2, the server on
127.0.0.1, and the official ``openai`` client (what scripts, LangChain and LlamaIndex use underneath), plus
``hearth serve`` as a user starts it. Covers chat (streaming and not, usage), stop strings, JSON-schema output,
a tool-call round trip, embeddings, completions, an engine killed mid-request (500, then the next request works)
and the rule that the server never opens an outbound connection."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

openai = pytest.importorskip("openai")  # a dev dependency (pyproject.toml): installed by `make test`

from app.core.engine import LoadOptions  # noqa: E402
from app.core.engine.process import EngineProcess  # noqa: E402
from app.core.server import ApiServer, ProcessBackend, ServerConfig  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
MODEL = "SmolLM2-135M-Instruct.Q4_1"


@pytest.fixture(scope="module")
def served(starter_model):
    backend = ProcessBackend(EngineProcess(), starter_model, LoadOptions(n_ctx=2048, n_threads=1))
    backend.start()
    server = ApiServer(ServerConfig(host="127.0.0.1", port=0), backend).start()
    client = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0, timeout=120)
    yield server, backend, client
    server.stop()
    backend.close()


def test_chat_non_streaming_and_streaming_with_usage(served):
    _, _, client = served
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Name a colour."}],
                                       max_tokens=12, temperature=0)
    text = r.choices[0].message.content
    assert text and r.choices[0].finish_reason in ("stop", "length")
    assert r.usage.completion_tokens >= 1 and r.usage.prompt_tokens > 5
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens
    stream = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Name a colour."}],
                                            max_tokens=12, temperature=0, stream=True,
                                            stream_options={"include_usage": True})
    parts, usage, finish = [], None, None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for c in chunk.choices:
            parts.append(c.delta.content or "")
            finish = c.finish_reason or finish
    assert "".join(parts) == text  # greedy: the same reply both ways
    assert usage is not None and usage.completion_tokens == r.usage.completion_tokens and finish == r.choices[0].finish_reason


def test_stop_strings_and_a_raw_completion(served):
    _, _, client = served
    r = client.completions.create(model=MODEL, prompt="1, 2, 3, 4,", max_tokens=30, temperature=0, stop=[" 7"])
    text = r.choices[0].text
    assert "5" in text and "7" not in text and r.choices[0].finish_reason == "stop"


def test_json_schema_output_parses(served):
    _, _, client = served
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "population": {"type": "integer"}},
              "required": ["city", "population"]}
    r = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Give a city and its population as JSON."}],
        max_tokens=60, temperature=0,
        response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": schema}})
    data = json.loads(r.choices[0].message.content)
    assert isinstance(data["city"], str) and isinstance(data["population"], int)


def test_a_tool_call_round_trip(served):
    _, _, client = served
    tools = [{"type": "function", "function": {
        "name": "get_weather", "description": "The current weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
    messages = [{"role": "user", "content": "What is the weather in Paris?"}]
    r = client.chat.completions.create(model=MODEL, messages=messages, tools=tools, tool_choice="required",
                                       max_tokens=60, temperature=0)
    call = r.choices[0].message.tool_calls[0]
    assert r.choices[0].finish_reason == "tool_calls" and call.function.name == "get_weather"
    assert isinstance(json.loads(call.function.arguments)["city"], str)
    messages += [r.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": "18 degrees and sunny"}]
    final = client.chat.completions.create(model=MODEL, messages=messages, tools=tools, max_tokens=40,
                                           temperature=0)
    assert final.choices[0].message.content and not final.choices[0].message.tool_calls
    # streaming a call: the client library assembles it from the stream
    stream = client.chat.completions.create(model=MODEL, messages=messages[:1], tools=tools, tool_choice="required",
                                            max_tokens=60, temperature=0, stream=True)
    names = [tc.function.name for ch in stream for c in ch.choices for tc in (c.delta.tool_calls or [])]
    assert names == ["get_weather"]


def test_embeddings_shape(served):
    _, _, client = served
    r = client.embeddings.create(model=MODEL, input=["a cat sat on the mat", "quantum field theory"])
    assert [d.index for d in r.data] == [0, 1] and len(r.data[0].embedding) == 576
    assert abs(sum(x * x for x in r.data[0].embedding) - 1.0) < 1e-3  # normalised


def test_bad_requests_through_the_client_raise_its_errors(served):
    _, _, client = served
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=-1)


def test_the_engine_killed_mid_request_is_a_500_and_then_it_works_again(served):
    server, backend, client = served
    pid = backend.engine().pid

    def kill_when_busy():  # once the request holds the engine (reading its long prompt or writing the reply)
        deadline = time.monotonic() + 20
        while not backend.gate.state().holder.startswith("api") and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    long_text = "The river runs past the old mill and under the stone bridge. " * 120
    with pytest.raises(openai.InternalServerError) as err:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": long_text}],
                                       max_tokens=600, temperature=0)
    killer.join()
    assert "crashed" in str(err.value)
    deadline = time.monotonic() + 30
    while backend.model_path() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Say hi."}],
                                       max_tokens=8, temperature=0)
    assert r.choices[0].message.content and backend.engine().pid != pid


def test_the_server_opens_no_outbound_connection(served):
    """An audit hook sees every socket.connect in this process: the server's threads make none (the client's
    own connections to 127.0.0.1 are the only ones)."""
    server, _, client = served
    seen = []

    def hook(event, args):
        if event == "socket.connect":
            seen.append((threading.current_thread().name, args[1]))

    sys.addaudithook(hook)  # hooks cannot be removed: it only records
    client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    client.embeddings.create(model=MODEL, input="hi")
    outbound = [(t, a) for t, a in seen if not (isinstance(a, tuple) and a[0] in ("127.0.0.1", "::1"))]
    assert not outbound and all(t == "MainThread" for t, _ in seen)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_hearth_serve_headless(starter_model, tmp_path):
    port = free_port()
    env = dict(os.environ, HEARTH_HOME=str(tmp_path))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--model", str(starter_model), "--port",
                             str(port), "--ctx", "1024", "--threads", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"Hearth API on http://127.0.0.1:{port}/v1 serving {MODEL}"), line
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0)
        assert [m.id for m in client.models.list().data] == [MODEL]
        r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=4)
        assert r.choices[0].message.content
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert '"POST /v1/chat/completions" 200' in err and '"GET /v1/models" 200' in err  # one line per request


def test_hearth_serve_refuses_the_lan_without_a_key_file_it_can_read(starter_model, tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "serve", "--model", str(starter_model), "--host",
                        "0.0.0.0", "--api-key-file", str(tmp_path / "missing")], capture_output=True, text=True,
                       env=dict(os.environ, HEARTH_HOME=str(tmp_path)), cwd=ROOT, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith("hearth serve: cannot read the API key file")


def test_a_client_gone_mid_stream_frees_the_real_engine(served):
    server, backend, client = served
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    body = json.dumps({"model": MODEL, "stream": True, "max_tokens": 1500, "temperature": 0,
                       "messages": [{"role": "user", "content": "Count from 1 to 1000."}]}).encode()
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    got = b""
    while b"data: " not in got:
        got += sock.recv(4096)
    t0 = time.monotonic()
    sock.close()
    while backend.gate.state().holder and time.monotonic() - t0 < 5:
        time.sleep(0.005)
    freed = time.monotonic() - t0
    assert backend.gate.state().holder == "" and freed < 0.5, freed  # the engine stopped, not 1,500 tokens later
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], max_tokens=4)
    assert r.choices[0].message.content
