"""Remote backends against real servers on 127.0.0.1, with the real SmolLM2 model:

- ``llama_cpp.server`` (llama-cpp-python's ``[server]`` extra, a dev dependency): a server this project did not
  write. Probe, list, a streamed reply equal to what the official ``openai`` client gets from the same server,
  stats, Stop (the request is closed and the server answers the next one), and the context size, which this
  server says only when a conversation is too long for it: Hearth learns it and fits the conversation again.
- Hearth's own API server (``app/core/server``): kind, context and exact token counts through its tokenizer.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from app.core.engine import GenerationRequest, LoadOptions, ReplyStats, Sampling
from app.core.engine.generation import Cancel
from app.core.net import policy
from app.core.remote import Backend
from app.core.remote.engine import RemoteEngine
from app.core.remote.probe import probe

pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python[server] is a dev dependency (make test)")
openai = pytest.importorskip("openai")

CTX = 512


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="module")
def llama_server(starter_model, tmp_path_factory):
    port = _free_port()
    log = open(tmp_path_factory.mktemp("llama-server") / "server.log", "w+b")  # a file: a full pipe would block it
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(starter_model),
                             "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port),
                             "--n_ctx", str(CTX), "--n_threads", "1"],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"llama_cpp.server did not start: {log.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture
def llama_server_allowed(llama_server):
    """The server, as a backend the user added (the allow-list is reset after every test)."""
    policy.allow_backend_host("127.0.0.1", int(llama_server.rsplit(":", 1)[1]))
    return llama_server


def reply(e, messages, cancel=None, on_piece=None, **sampling):
    stats, ctx, parts = ReplyStats(), [], []
    for p in e.generate(GenerationRequest(messages, Sampling(**sampling)), cancel, stats,
                        on_context=lambda *a: ctx.append(a)):
        parts.append(p)
        if on_piece:
            on_piece(p)
    return "".join(parts), stats, ctx


def test_probe_stream_and_stats_match_the_official_client(llama_server_allowed):
    llama_server = llama_server_allowed
    b = probe(llama_server)
    assert b.kind == "llama-cpp-python" and [m.id for m in b.models] == ["smollm2"]
    assert b.tokenize == "/extras/tokenize/count"
    e = RemoteEngine()
    info = e.load(b, "smollm2", options=LoadOptions(n_ctx=2048))
    assert info.remote == b.label and info.estimated == "context"  # this server does not say its context
    msgs = [{"role": "user", "content": "Name three colours.", "id": 1}]
    client = openai.OpenAI(base_url=llama_server + "/v1", api_key="x", max_retries=0)

    def official():
        return client.chat.completions.create(
            model="smollm2", messages=[{"role": "user", "content": "Name three colours."}], temperature=0,
            max_tokens=24, top_p=0.95, extra_body={"repeat_penalty": 1.0, "top_k": 40, "min_p": 0.05}
        ).choices[0].message.content

    # the server reuses the KV cache of the previous request's prompt, and greedy decoding after a cold prompt
    # can differ from one after a cached one: warm the cache first, then compare like with like
    official()
    text, stats, ctx = reply(e, msgs, temperature=0, max_tokens=24, repeat_penalty=1.0)
    assert text == official() and text.strip()  # the conversation's sampling settings reached the server
    # (without them this server uses its default repeat penalty, 1.1, and greedy decoding then differs)
    assert stats.completion_tokens >= 10 and stats.stop_reason in ("end", "length") and stats.tokens_per_s > 0
    assert ctx and ctx[0][0] > 5  # the server's tokenizer counted the prompt


def test_stop_closes_the_request_and_the_server_goes_on(llama_server_allowed):
    llama_server = llama_server_allowed
    e = RemoteEngine()
    e.load(Backend(llama_server), "smollm2")
    cancel = Cancel()
    seen = []
    stopped_at = []

    def on_piece(_p):
        seen.append(time.monotonic())
        if len(seen) == 3:
            stopped_at.append(time.monotonic())
            threading.Thread(target=cancel.set).start()

    t_end = []
    text, stats, _ = reply(e, [{"role": "user", "content": "Count from 1 to 200.", "id": 1}], cancel, on_piece,
                           max_tokens=400)
    t_end.append(time.monotonic())
    assert stats.stop_reason == "stopped" and 3 <= stats.completion_tokens < 100
    assert t_end[0] - stopped_at[0] < 0.1, "Stop ends the reply within 100 ms"
    log = [r for r in policy.network_log().entries() if r.purpose == "remote chat"]
    assert log[-1].status == 200  # the stopped request is in the network log
    # the server noticed the closed connection and serves the next request
    text, stats, _ = reply(e, [{"role": "user", "content": "Say yes.", "id": 1}], max_tokens=4, temperature=0)
    assert text and stats.stop_reason in ("end", "length")


def test_the_servers_real_context_is_learned_and_the_conversation_fitted(llama_server_allowed):
    llama_server = llama_server_allowed
    e = RemoteEngine()
    e.load(Backend(llama_server), "smollm2", options=LoadOptions(n_ctx=4096))
    assert e.n_ctx == 4096  # not said by the server: Hearth's setting stands in, marked estimated
    long = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"Message {i}: " + "lorem ipsum " * 40,
             "id": i + 1} for i in range(8)] + [{"role": "user", "content": "Say OK.", "id": 99}]
    text, stats, ctx = reply(e, long, max_tokens=8, temperature=0)
    assert e.n_ctx == CTX and e.info.estimated == ""  # the server's own words gave its context
    assert text and stats.stop_reason in ("end", "length")
    used, n_ctx, excluded = ctx[-1]
    assert n_ctx == CTX and used <= CTX and excluded  # older turns left out, said, not silently cut


def test_hearths_own_api_server_as_a_backend(starter_model):
    from app.core.engine.process import EngineProcess
    from app.core.server import ApiServer, ProcessBackend, ServerConfig

    local = ProcessBackend(EngineProcess(), starter_model, LoadOptions(n_ctx=1024, n_threads=1))
    local.start()
    server = ApiServer(ServerConfig(host="127.0.0.1", port=0), local).start()
    try:
        url = server.url.rsplit("/v1", 1)[0]
        host, port = url.split("//")[1].split(":")
        policy.allow_backend_host(host, int(port))
        b = probe(url)
        assert b.kind == "hearth" and b.models[0].n_ctx == 1024 and b.tokenize == "/tokenize"
        e = RemoteEngine()
        info = e.load(b, b.models[0].id)
        assert info.n_ctx == 1024 and info.estimated == ""
        msgs = [{"role": "user", "content": "Hello, who are you?"}]
        with local.gate.turn("test"):
            direct = local.engine().count_tokens(msgs)
        assert e.count_tokens(msgs) == direct  # the same tokenizer and template, through the API
        text, stats, ctx = reply(e, [{**msgs[0], "id": 1}], max_tokens=12, temperature=0)
        assert text and stats.completion_tokens >= 1 and ctx[0][:2] == (direct, 1024)
    finally:
        server.stop()
        local.close()
        policy.set_backend_hosts([])
