"""The API server's rules, against a stand-in engine (fast; the real engine and the real OpenAI client are in
test_api_openai_client.py): the Host check, CORS, the API key, body limits, OpenAI's error shape for bad
requests, the bounded queue with Retry-After, a disconnect that cancels the generation, a crashed engine giving
500 while the server stays up, and the network log's "in" records. Requests are real HTTP over 127.0.0.1."""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from app.core.engine.process import EngineCrashed
from app.core.net.policy import NetworkLog
from app.core.server import ApiServer, Backend, EngineGate, ServerConfig


class FakeEngine:
    """Yields ``pieces`` one every ``delay`` seconds, honouring the cancel flag like the real engine."""

    def __init__(self, pieces=("Hel", "lo", "!"), delay=0.0):
        self.pieces = list(pieces)
        self.delay = delay
        self.cancelled_at = None
        self.crash_next = False
        self.started = threading.Event()

    def generate(self, req, cancel, stats):
        self.started.set()
        stats.prompt_tokens = 7
        if self.crash_next:
            self.crash_next = False
            raise EngineCrashed("the engine process died (SIGKILL)", "prefill", -9, "SIGKILL", [])
        for p in self.pieces:
            t = time.monotonic()
            while time.monotonic() - t < self.delay:
                if cancel.is_set():
                    self.cancelled_at = time.monotonic()
                    stats.stop_reason = "stopped"
                    return
                time.sleep(0.002)
            if cancel.is_set():
                self.cancelled_at = time.monotonic()
                stats.stop_reason = "stopped"
                return
            stats.completion_tokens += 1
            yield p
        stats.stop_reason = "end"

    def embed(self, texts):
        return [[1.0, 0.0] for _ in texts]

    def count_text_tokens(self, text):
        return len(text.split())


class FakeBackend(Backend):
    def __init__(self, engine, max_waiting=16):
        self.gate = EngineGate(max_waiting)
        self._engine = engine
        self.crashes = 0

    def model_path(self):
        return "/models/acme/Tiny-GGUF/tiny.Q4_0.gguf"

    def engine(self):
        return self._engine

    def crashed(self, exc):
        self.crashes += 1

    def retry_after_s(self):
        return 2


@pytest.fixture
def serve():
    servers = []

    def start(engine=None, **cfg):
        engine = engine or FakeEngine()
        backend = FakeBackend(engine, cfg.pop("max_waiting", 16))
        log = NetworkLog()
        srv = ApiServer(ServerConfig(host="127.0.0.1", port=0, max_waiting=backend.gate.max_waiting, **cfg),
                        backend, log).start()
        servers.append(srv)
        return srv, backend, log

    yield start
    for s in servers:
        s.stop()


def request(srv, method, path, body=None, headers=None, raw=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    payload = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), payload


CHAT = {"model": "tiny.Q4_0", "messages": [{"role": "user", "content": "hi"}]}


def test_a_chat_completion_and_the_models_list(serve):
    srv, _, log = serve()
    status, _, body = request(srv, "GET", "/v1/models")
    assert status == 200 and [m["id"] for m in json.loads(body)["data"]] == ["tiny.Q4_0"]
    status, _, body = request(srv, "POST", "/v1/chat/completions", CHAT)
    out = json.loads(body)
    assert status == 200 and out["choices"][0]["message"]["content"] == "Hello!"
    assert out["choices"][0]["finish_reason"] == "stop" and out["usage"] == {
        "prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    # the server logs a request once its answer is written: the client may read it first, and the models list's
    # line (another connection, another thread) may land after the chat's
    deadline = time.monotonic() + 5
    while not any(e.path == "/v1/chat/completions" for e in log.entries()) and time.monotonic() < deadline:
        time.sleep(0.005)
    rec = next(e for e in log.entries() if e.path == "/v1/chat/completions")
    assert (rec.direction, rec.host, rec.path, rec.status, rec.tokens) == ("in", "127.0.0.1", "/v1/chat/completions",
                                                                          200, 3)
    status, _, body = request(srv, "GET", "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"


@pytest.mark.parametrize("body, param", [
    ({"model": "tiny.Q4_0", "messages": []}, "messages"),
    ({"model": "tiny.Q4_0", "messages": [{"role": "wizard", "content": "x"}]}, "messages[0]"),
    ({**CHAT, "max_tokens": -5}, "max_tokens"),
    ({**CHAT, "temperature": "hot"}, "temperature"),
    ({**CHAT, "n": 3}, "n"),
    ({**CHAT, "stop": [1, 2]}, "stop"),
    ({**CHAT, "response_format": {"type": "yaml"}}, "response_format"),
    ({"messages": CHAT["messages"]}, "model"),
    ({"model": "tiny.Q4_0", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "http://example.com/cat.png"}}]}]}, "messages[0]"),
])
def test_bad_requests_get_400_in_openais_shape(serve, body, param):
    srv, _, _ = serve()
    status, _, payload = request(srv, "POST", "/v1/chat/completions", body)
    err = json.loads(payload)["error"]
    assert status == 400 and err["type"] == "invalid_request_error" and err["param"] == param and err["message"]


def test_invalid_json_unknown_model_unknown_path_and_a_huge_body(serve):
    srv, _, _ = serve()
    status, _, payload = request(srv, "POST", "/v1/chat/completions", raw=b"{not json")
    assert status == 400 and json.loads(payload)["error"]["code"] == "invalid_json"
    status, _, payload = request(srv, "POST", "/v1/chat/completions", {**CHAT, "model": "gpt-4"})
    assert status == 404 and json.loads(payload)["error"]["code"] == "model_not_found"
    status, _, _ = request(srv, "GET", "/v1/nothing")
    assert status == 404
    # a 10 MB body is refused from its Content-Length, before it is read
    conn = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    conn.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 10485760\r\n\r\n" + b"{" * 65536)
    reply = b""
    while b"body_too_large" not in reply:
        part = conn.recv(65536)
        if not part:
            break
        reply += part
    reply = reply.decode("latin-1")
    conn.close()
    assert reply.startswith("HTTP/1.1 413") and "body_too_large" in reply


def test_host_header_cors_and_api_key(serve):
    srv, _, _ = serve(api_key="k" * 24, cors_origins=["http://localhost:3000"])
    auth = {"Authorization": "Bearer " + "k" * 24}
    status, _, payload = request(srv, "POST", "/v1/chat/completions", CHAT)
    assert status == 401 and json.loads(payload)["error"]["type"] == "authentication_error"
    status, _, _ = request(srv, "POST", "/v1/chat/completions", CHAT, {"Authorization": "Bearer wrong"})
    assert status == 401
    status, _, _ = request(srv, "POST", "/v1/chat/completions", CHAT, auth)
    assert status == 200
    # DNS rebinding: a page at evil.example resolving to 127.0.0.1 sends its own name as Host
    status, _, payload = request(srv, "POST", "/v1/chat/completions", CHAT, {**auth, "Host": "evil.example:1234"})
    assert status == 403 and json.loads(payload)["error"]["code"] == "host_not_allowed"
    # CORS: a listed origin gets its allow header; an unlisted one gets none, and its requests are refused
    status, headers, _ = request(srv, "OPTIONS", "/v1/chat/completions", None,
                                 {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = request(srv, "OPTIONS", "/v1/chat/completions", None,
                                 {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    status, headers, _ = request(srv, "POST", "/v1/chat/completions", CHAT, {**auth, "Origin": "http://evil.example"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = request(srv, "POST", "/v1/chat/completions", CHAT, {**auth, "Origin": "http://localhost:3000"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "http://localhost:3000"


def test_serving_beyond_loopback_needs_a_key():
    with pytest.raises(ValueError, match="API key"):
        ApiServer(ServerConfig(host="0.0.0.0", port=0), FakeBackend(FakeEngine()))


def test_streaming_events_and_usage(serve):
    srv, _, _ = serve()
    status, headers, body = request(srv, "POST", "/v1/chat/completions",
                                    {**CHAT, "stream": True, "stream_options": {"include_usage": True}})
    assert status == 200 and headers["Content-Type"] == "text/event-stream"
    events = [line[6:] for line in body.decode().split("\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"]) == "Hello!"
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 3


def test_a_client_that_disconnects_cancels_its_generation_quickly(serve):
    engine = FakeEngine(pieces=["x"] * 400, delay=0.02)
    srv, backend, _ = serve(engine)
    for stream in (True, False):
        engine.cancelled_at = None
        engine.started.clear()
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        body = json.dumps({**CHAT, "stream": stream}).encode()
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        assert engine.started.wait(5)
        time.sleep(0.2)
        t0 = time.monotonic()
        sock.close()
        deadline = time.monotonic() + 3
        while engine.cancelled_at is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert engine.cancelled_at is not None and engine.cancelled_at - t0 < 0.1, stream
        deadline = time.monotonic() + 3
        while backend.gate.state().holder and time.monotonic() < deadline:
            time.sleep(0.005)
        assert backend.gate.state().holder == ""  # the engine is free for the next client


def test_a_full_queue_answers_429_with_retry_after(serve):
    engine = FakeEngine(pieces=["x"] * 50, delay=0.02)
    srv, backend, _ = serve(engine, max_waiting=1)
    results = []

    def call():
        results.append(request(srv, "POST", "/v1/chat/completions", CHAT))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join(20)
    statuses = sorted(r[0] for r in results)
    assert statuses.count(200) == 2 and statuses.count(429) == 2
    refused = next(r for r in results if r[0] == 429)
    assert refused[1]["Retry-After"] == "2" and json.loads(refused[2])["error"]["type"] == "rate_limit_error"


def test_an_engine_crash_is_a_500_and_the_server_stays_up(serve):
    engine = FakeEngine()
    srv, backend, _ = serve(engine)
    engine.crash_next = True
    status, headers, payload = request(srv, "POST", "/v1/chat/completions", CHAT)
    err = json.loads(payload)["error"]
    assert status == 500 and err["code"] == "engine_crashed" and "SIGKILL" in err["message"]
    assert backend.crashes == 1 and "Retry-After" in headers
    status, _, payload = request(srv, "POST", "/v1/chat/completions", CHAT)
    assert status == 200 and json.loads(payload)["choices"][0]["message"]["content"] == "Hello!"


def test_embeddings_and_completions_shapes(serve):
    srv, _, _ = serve()
    status, _, payload = request(srv, "POST", "/v1/embeddings", {"model": "tiny.Q4_0", "input": ["a b", "c"]})
    out = json.loads(payload)
    assert status == 200 and [d["index"] for d in out["data"]] == [0, 1] and out["usage"]["prompt_tokens"] == 3
    status, _, payload = request(srv, "POST", "/v1/completions", {"model": "tiny.Q4_0", "prompt": "Once"})
    out = json.loads(payload)
    assert status == 200 and out["object"] == "text_completion" and out["choices"][0]["text"] == "Hello!"


@pytest.mark.parametrize("name, body", [
    ("LangChain ChatOpenAI", {"model": "tiny.Q4_0", "messages": [{"role": "user", "content": "hi"}], "n": 1,
                              "stream": False, "temperature": 0.7}),
    ("LangChain streaming", {"model": "tiny.Q4_0", "messages": [{"role": "user", "content": "hi"}], "n": 1,
                             "stream": True, "stream_options": {"include_usage": True}, "temperature": 0.7}),
    ("LlamaIndex OpenAILike", {"model": "tiny.Q4_0", "messages": [{"role": "system", "content": "Be brief."},
                                                                  {"role": "user", "content": "hi"}],
                               "max_tokens": None, "temperature": 0.1, "stream": False, "tool_choice": None,
                               "user": "someone"}),
    ("Continue", {"model": "tiny.Q4_0", "stream": True, "max_tokens": 4096, "temperature": 0.5,
                  "frequency_penalty": 0, "presence_penalty": 0, "stop": ["<|endoftext|>", "```"],
                  "messages": [{"role": "system", "content": "You are a coding assistant."},
                               {"role": "user", "content": [{"type": "text", "text": "hi"}]}]}),
    ("OpenAI developer role", {"model": "tiny.Q4_0", "messages": [{"role": "developer", "content": "Be brief."},
                                                                  {"role": "user", "content": "hi"}],
                               "max_completion_tokens": 20, "parallel_tool_calls": False, "logprobs": False}),
])
def test_request_shapes_that_common_clients_send(serve, name, body):
    srv, _, _ = serve()
    status, headers, payload = request(srv, "POST", "/v1/chat/completions", body)
    assert status == 200, (name, payload)
    text = payload.decode()
    assert "Hello!" in text or "Hel" in text
