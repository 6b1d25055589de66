"""The fault-injecting test server (tests/support/fault_backend.py) says what its docstring promises."""
from __future__ import annotations

import json
import threading
import time

import httpx2
import pytest

from tests.support.fault_backend import FaultBackend, Faults, pieces

REPLY = "Hello from the fault server, one token at a time."
CHAT = {"model": "fault-model", "messages": [{"role": "system", "content": "Be brief."},
                                             {"role": "user", "content": "Say hello to me"}]}
PROMPT_TOKENS = 2 + 3 + 4 + 3


@pytest.fixture
def backend():
    with FaultBackend() as b:
        yield b


@pytest.fixture
def client():
    with httpx2.Client(trust_env=False, timeout=5) as c:
        yield c


def sse_events(resp) -> list[str]:
    """The data fields of a text/event-stream, in order (comments, other fields and empty data left out)."""
    out = []
    for line in resp.iter_lines():
        if line.startswith("data:") and line[5:].strip():
            out.append(line[5:].strip())
    return out


def stream_chat(client, url: str, **extra) -> tuple[int, list[str]]:
    with client.stream("POST", url + "/v1/chat/completions", json={**CHAT, "stream": True, **extra}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["transfer-encoding"] == "chunked"
        return r.status_code, sse_events(r)


def test_models_list_and_request_log(backend, client):
    r = client.get(backend.url + "/v1/models", headers={"X-Probe": "1"})
    assert r.status_code == 200
    assert r.json() == {"object": "list", "data": [{"id": "fault-model", "object": "model", "created": 0,
                                                    "owned_by": "fault"}]}
    backend.advertise_ctx, backend.ctx = True, 4096
    assert client.get(backend.url + "/v1/models").json()["data"][0]["max_model_len"] == 4096
    backend.owned_by, backend.model_fields = "llamacpp", {"meta": {"n_ctx_train": 2048}}
    entry = client.get(backend.url + "/v1/models").json()["data"][0]
    assert entry["owned_by"] == "llamacpp" and entry["meta"] == {"n_ctx_train": 2048}
    first = backend.requests[0]
    assert first["method"] == "GET" and first["path"] == "/v1/models" and first["body"] is None
    assert first["headers"]["x-probe"] == "1"
    assert client.get(backend.url + "/").status_code == 404
    assert client.get(backend.url + "/api/version").status_code == 404  # not Ollama


def test_streamed_chat_is_sse_with_usage_and_done(backend, client):
    status, events = stream_chat(client, backend.url, stream_options={"include_usage": True})
    assert status == 200 and events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    content = [c["choices"][0]["delta"]["content"] for c in chunks[1:-2]]
    assert content == pieces(REPLY) and "".join(content) == REPLY
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": PROMPT_TOKENS, "completion_tokens": len(content),
                                   "total_tokens": PROMPT_TOKENS + len(content)}
    assert backend.requests[-1]["body"]["stream_options"] == {"include_usage": True}


def test_stream_without_usage_and_max_tokens(backend, client):
    _, events = stream_chat(client, backend.url, max_tokens=3)
    chunks = [json.loads(e) for e in events[:-1]]
    assert len(chunks) == 1 + 3 + 1 and "usage" not in chunks[-1]
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"


def test_non_streamed_chat_and_unknown_model(backend, client):
    r = client.post(backend.url + "/v1/chat/completions", json=CHAT)
    body = r.json()
    assert body["object"] == "chat.completion" and body["choices"][0]["message"]["content"] == REPLY
    assert body["usage"]["prompt_tokens"] == PROMPT_TOKENS
    r = client.post(backend.url + "/v1/chat/completions", json={**CHAT, "model": "gone"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "model_not_found"


def test_api_key(backend, client):
    backend.api_key = "sekrit"
    r = client.get(backend.url + "/v1/models")
    assert r.status_code == 401
    assert r.json() == {"error": {"message": "Invalid API key", "type": "invalid_request_error",
                                  "code": "invalid_api_key"}}
    assert client.get(backend.url + "/v1/models", headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = client.get(backend.url + "/v1/models", headers={"Authorization": "Bearer sekrit"})
    assert r.status_code == 200
    assert backend.requests[-1]["headers"]["authorization"] == "Bearer sekrit"


def test_429_then_ok(backend, client):
    backend.faults.status = {"/chat/completions": (429, 2)}
    for _ in range(2):
        r = client.post(backend.url + "/v1/chat/completions", json=CHAT)
        assert r.status_code == 429 and r.headers["retry-after"] == "1"
        assert r.json()["error"]["message"] == "forced 429"
    assert client.get(backend.url + "/v1/models").status_code == 200  # another path is not affected
    assert client.post(backend.url + "/v1/chat/completions", json=CHAT).status_code == 200


def test_cut_stream_ends_without_done(backend, client):
    backend.faults.cut_after = 3
    got: list[str] = []
    with pytest.raises(httpx2.RemoteProtocolError):
        with client.stream("POST", backend.url + "/v1/chat/completions", json={**CHAT, "stream": True}) as r:
            for line in r.iter_lines():
                got.append(line)
    data = [json.loads(x[6:]) for x in got if x.startswith("data: ")]
    assert [c["choices"][0]["delta"].get("content") for c in data[1:]] == pieces(REPLY)[:3]
    assert "data: [DONE]" not in got
    backend.faults = Faults()
    assert stream_chat(client, backend.url)[1][-1] == "[DONE]"  # the server is fine afterwards


def test_malformed_lines_between_good_chunks(backend, client):
    backend.faults.malformed = True
    with client.stream("POST", backend.url + "/v1/chat/completions", json={**CHAT, "stream": True}) as r:
        lines = list(r.iter_lines())
    assert ": keep-alive" in lines and "event: ping" in lines and "data: {not json" in lines and "data:" in lines
    good = []
    for line in lines:
        if line.startswith("data: {") and line != "data: {not json":
            good.append(json.loads(line[6:]))
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in good) == REPLY
    assert lines[-2:] == ["data: [DONE]", ""]


def test_stall_ends_soon_after_stop(client):
    backend = FaultBackend().start()
    backend.faults.stall_after, backend.faults.stall_seconds = 2, 30
    got: list[str] = []
    ended = threading.Event()
    outcome: list[object] = []

    def read():
        try:
            with client.stream("POST", backend.url + "/v1/chat/completions", json={**CHAT, "stream": True}) as r:
                for line in r.iter_lines():
                    got.append(line)
            outcome.append("ended")
        except httpx2.HTTPError as exc:
            outcome.append(exc)
        ended.set()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    deadline = time.monotonic() + 5
    while sum(x.startswith("data: ") for x in got) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert not ended.is_set() and sum(x.startswith("data: ") for x in got) == 3  # role + 2 pieces, stalled
    t0 = time.monotonic()
    backend.stop()
    assert time.monotonic() - t0 < 1.0
    assert ended.wait(1.0), "the stalled stream did not end after stop()"
    assert "data: [DONE]" not in got and outcome


def test_stall_ends_when_the_client_hangs_up(backend, client):
    backend.faults.stall_after, backend.faults.stall_seconds = 1, 30
    with client.stream("POST", backend.url + "/v1/chat/completions", json={**CHAT, "stream": True}) as r:
        next(r.iter_lines())
    deadline = time.monotonic() + 2
    while backend._conns and time.monotonic() < deadline:  # the handler notices and lets go of its socket
        time.sleep(0.02)
    assert not backend._conns


def test_token_delay(backend, client):
    backend.faults.token_delay = 0.05
    t0 = time.monotonic()
    stream_chat(client, backend.url)
    assert time.monotonic() - t0 >= 0.05 * len(pieces(REPLY))


def test_ollama_native_api(client):
    with FaultBackend(ollama=True, model_id="llama3.2", ctx=131072) as b:
        r = client.get(b.url + "/")
        assert r.text == "Ollama is running"
        assert client.get(b.url + "/api/version").json() == {"version": "0.9.0"}
        assert client.get(b.url + "/api/tags").json()["models"][0]["name"] == "llama3.2"
        show = client.post(b.url + "/api/show", json={"model": "llama3.2"}).json()
        assert show["model_info"]["llama.context_length"] == 131072
        r = client.post(b.url + "/api/show", json={"model": "nope"})
        assert r.status_code == 404 and "error" in r.json()
        body = {"model": "llama3.2", "messages": CHAT["messages"], "stream": True, "options": {"num_ctx": 131072}}
        with client.stream("POST", b.url + "/api/chat", json=body) as r:
            assert r.headers["content-type"] == "application/x-ndjson"
            lines = [json.loads(x) for x in r.iter_lines() if x]
        assert [x["message"]["content"] for x in lines[:-1]] == pieces(REPLY)
        assert all(not x["done"] for x in lines[:-1])
        last = lines[-1]
        assert last["done"] and last["done_reason"] == "stop"
        assert last["prompt_eval_count"] == PROMPT_TOKENS and last["eval_count"] == len(pieces(REPLY))
        assert last["eval_duration"] > 0
        assert b.requests[-1]["body"]["options"] == {"num_ctx": 131072}
        one = client.post(b.url + "/api/chat", json={**body, "stream": False}).json()
        assert one["done"] and one["message"]["content"] == REPLY
        assert client.get(b.url + "/v1/models").json()["data"][0]["id"] == "llama3.2"  # /v1 works too


def test_tokenize_props_and_lmstudio(backend, client):
    assert client.post(backend.url + "/tokenize", json={"model": "fault-model", "prompt": "a b"}).status_code == 404
    assert client.get(backend.url + "/props").status_code == 404
    backend.offer_tokenize = backend.offer_props = backend.offer_lmstudio = True
    r = client.post(backend.url + "/tokenize", json={"model": "fault-model", "prompt": "one two three"}).json()
    assert r == {"count": 3, "max_model_len": 8192, "tokens": [1, 2, 3]}
    r = client.post(backend.url + "/tokenize", json={"model": "fault-model", "messages": CHAT["messages"]}).json()
    assert r["count"] == PROMPT_TOKENS
    assert client.post(backend.url + "/tokenize", json={"content": "x y"}).json() == {"tokens": [1, 2]}
    assert client.get(backend.url + "/props").json()["default_generation_settings"]["n_ctx"] == 8192
    assert client.get(backend.url + "/api/v0/models").json()["data"][0]["max_context_length"] == 8192


def test_wrong_and_bad_json(client):
    with FaultBackend(ollama=True) as b:
        b.faults.wrong_json = True
        r = client.get(b.url + "/v1/models")
        assert r.status_code == 200 and r.json() == ["nope"]
        assert client.get(b.url + "/api/tags").json() == {"models": "nope"}
        b.faults = Faults(bad_json=True)
        r = client.get(b.url + "/v1/models")
        assert r.status_code == 200 and r.headers["content-type"] == "text/html"
        assert r.text == "<html>not an API</html>"
        with pytest.raises(ValueError):
            r.json()


def test_stop_without_start_and_twice():
    b = FaultBackend()
    b.stop()
    b.stop()
