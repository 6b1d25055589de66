"""RemoteEngine, the engine interface's remote implementation, against the fault server on 127.0.0.1
(tests/support/fault_backend.py): every kind of server it recognises, the sampling it sends, and every failure
the issue names: 401 (the key), 429 then OK (retried, said), a cut stream (partial reply kept, interrupted),
malformed SSE lines (skipped), a 30 s stall (timeout; Stop closes the request at once), wrong JSON, refused,
DNS and TLS errors, Offline mode. Each failure is one sentence a user can act on."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from app.core.engine import GenerationRequest, LoadOptions, ReplyStats, Sampling
from app.core.engine.generation import Cancel
from app.core.net import policy
from app.core.remote import Backend, RemoteError
from app.core.remote.engine import RemoteEngine
from app.core.remote.probe import probe
from tests.support.fault_backend import FaultBackend, Faults

REPLY = "Hello from the fault server, one token at a time."


@pytest.fixture
def fault():
    with FaultBackend() as fb:
        host, port = fb.url.rsplit("//", 1)[1].split(":")
        policy.allow_backend_host(host, int(port))
        yield fb
    policy.set_backend_hosts([])
    policy.set_offline(False)


def load(fb, key="", timeout=60.0, waits=None, model="fault-model"):
    e = RemoteEngine(on_wait=(waits.append if waits is not None else None), timeout=timeout)
    e.load(Backend(fb.url), model, key, LoadOptions(n_ctx=2048))
    return e


def ask(e, text="Hi there", cancel=None, **sampling):
    stats = ReplyStats()
    ctx = []
    parts = []
    try:
        for p in e.generate(GenerationRequest([{"role": "user", "content": text, "id": 1}],
                                              Sampling(**sampling)), cancel, stats,
                            on_context=lambda *a: ctx.append(a)):
            parts.append(p)
    except RemoteError as exc:
        return "".join(parts), stats, ctx, exc
    return "".join(parts), stats, ctx, None


def test_probe_tells_the_kinds_apart_and_reads_their_context(fault):
    b = probe(fault.url + "/v1")  # the /v1 a user may paste is dropped
    assert b.url == fault.url and b.kind == "openai" and [m.id for m in b.models] == ["fault-model"]
    assert b.models[0].n_ctx == 0 and b.tokenize == ""  # an unknown server: it says nothing more
    fault.advertise_ctx = fault.offer_tokenize = True
    b = probe(fault.url)
    assert (b.kind, b.models[0].n_ctx, b.models[0].n_ctx_source, b.tokenize) == ("vllm", 8192, "max_model_len",
                                                                                 "/tokenize")
    fault.advertise_ctx = fault.offer_tokenize = False
    fault.owned_by, fault.offer_props = "llamacpp", True
    b = probe(fault.url)
    assert (b.kind, b.models[0].n_ctx, b.models[0].n_ctx_source) == ("llama.cpp", 8192, "/props")
    fault.owned_by, fault.offer_props, fault.offer_lmstudio = "fault", False, True
    b = probe(fault.url)
    assert (b.kind, b.models[0].n_ctx, b.models[0].n_ctx_source) == ("lmstudio", 8192, "/api/v0/models")
    fault.offer_lmstudio, fault.ollama = False, True
    b = probe(fault.url)
    assert (b.kind, b.models[0].n_ctx, b.models[0].n_ctx_source) == ("ollama", 8192, "/api/show")
    assert b.name.startswith("Ollama") and "Q4_K_M" in b.models[0].details


def test_a_streamed_reply_with_stats_and_the_conversations_sampling(fault):
    fault.offer_props, fault.owned_by = True, "llamacpp"  # a llama.cpp server: takes top_k, min_p, repeat_penalty
    e = load(fault)
    text, stats, ctx, err = ask(e, temperature=0.3, top_p=0.8, top_k=17, min_p=0.07, repeat_penalty=1.2, seed=5,
                                max_tokens=100)
    assert err is None and text == REPLY
    assert stats.stop_reason == "end" and stats.completion_tokens == 10 and stats.prompt_tokens > 0
    assert stats.ttft_s > 0 and stats.gen_seconds > 0
    assert ctx and ctx[0][1] == 8192  # the context meter gets the server's context
    body = [r for r in fault.requests if r["path"] == "/v1/chat/completions"][-1]["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert (body["temperature"], body["top_p"], body["top_k"], body["min_p"], body["repeat_penalty"],
            body["seed"], body["max_tokens"]) == (0.3, 0.8, 17, 0.07, 1.2, 5, 100)
    assert body["messages"] == [{"role": "user", "content": "Hi there"}]  # no store ids leak to the server
    text, stats, _, _ = ask(e, max_tokens=3)
    assert text == "Hello from the " and stats.stop_reason == "length"


def test_an_unknown_server_gets_only_the_standard_fields_and_estimated_counts(fault):
    e = load(fault)
    assert e.info.estimated == "context and token counts" and e.info.n_ctx == 2048  # the user's setting stands in
    ask(e, top_k=17)
    body = [r for r in fault.requests if r["path"] == "/v1/chat/completions"][-1]["body"]
    assert "top_k" not in body and "min_p" not in body and "repeat_penalty" not in body
    fault.advertise_ctx = fault.offer_tokenize = True  # vLLM: its tokenizer counts
    e = load(fault)
    assert e.info.estimated == "" and e.count_tokens([{"role": "user", "content": "one two three"}]) == 6
    ask(e, repeat_penalty=1.3)
    body = [r for r in fault.requests if r["path"] == "/v1/chat/completions"][-1]["body"]
    assert body["repetition_penalty"] == 1.3 and body["top_k"] == 40  # vLLM's names for the same settings


def test_ollama_native_chat_sends_num_ctx(fault):
    fault.ollama = True
    e = load(fault)
    text, stats, ctx, err = ask(e, temperature=0.5, max_tokens=50)
    assert err is None and text == REPLY and stats.stop_reason == "end"
    req = [r for r in fault.requests if r["path"] == "/api/chat"][-1]["body"]
    # Ollama's /v1 would cut the conversation to its default context: Hearth asks for the context it counts with
    assert req["options"]["num_ctx"] == e.n_ctx == 2048 and req["options"]["temperature"] == 0.5
    assert req["options"]["num_predict"] == 50 and not any(r["path"].startswith("/v1/chat") for r in fault.requests)


def test_a_key_protected_server_asks_for_the_key(fault):
    fault.api_key = "sesame"
    with pytest.raises(RemoteError, match="API key") as info:
        probe(fault.url)
    assert info.value.kind == "auth"
    e = load(fault, key="sesame")
    assert ask(e)[0] == REPLY
    assert all(r["headers"].get("authorization") == "Bearer sesame" for r in fault.requests[-3:])
    # the key never reaches the network log
    assert not any("sesame" in repr(r) for r in policy.network_log().entries())


def test_busy_then_ok_is_retried_and_said(fault):
    e = load(fault, waits=(waits := []))
    fault.faults = Faults(status={"/v1/chat/completions": (429, 1)})
    text, stats, _, err = ask(e)
    assert err is None and text == REPLY
    assert any("busy" in w and "Trying again in 1 s" in w for w in waits) and waits[-1] == ""
    fault.faults = Faults(status={"/v1/chat/completions": (503, None)})
    text, stats, _, err = ask(e)
    assert err is not None and err.kind == "busy" and "tried 4 times" in str(err) and text == ""


def test_a_cut_stream_keeps_the_partial_reply_marked_interrupted(fault):
    e = load(fault)
    fault.faults = Faults(cut_after=3)
    text, stats, _, err = ask(e)
    assert text == "Hello from the " and stats.stop_reason == "interrupted"
    assert err is not None and err.kind == "interrupted" and "kept" in str(err)


def test_malformed_sse_lines_are_skipped(fault):
    e = load(fault)
    fault.faults = Faults(malformed=True)
    text, stats, _, err = ask(e)
    assert err is None and text == REPLY and stats.stop_reason == "end"


def test_a_stall_times_out_and_stop_closes_the_request_at_once(fault):
    e = load(fault, timeout=1.0)
    fault.faults = Faults(stall_after=2, stall_seconds=30)
    t0 = time.monotonic()
    text, stats, _, err = ask(e)
    assert time.monotonic() - t0 < 10 and text == "Hello from "
    assert err is not None and err.kind == "stalled" and stats.stop_reason == "interrupted"
    e = load(fault, timeout=60.0)  # the default: Stop must not wait for the timeout
    cancel = Cancel()
    got = []
    done = threading.Event()

    def run():
        got.append(ask(e, cancel=cancel))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    deadline = time.monotonic() + 10
    while not fault._conns and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # the server is stalling now
    t0 = time.monotonic()
    cancel.set()
    assert done.wait(5)
    took = time.monotonic() - t0
    assert took < 0.1, f"Stop took {took * 1000:.0f} ms"
    text, stats, _, err = got[0]
    assert err is None and stats.stop_reason == "stopped" and text == "Hello from "


def test_wrong_answers_are_said_not_crashed(fault):
    fault.faults = Faults(wrong_json=True)
    with pytest.raises(RemoteError, match="did not answer with a model list") as info:
        probe(fault.url)
    assert info.value.kind == "bad_answer"
    fault.faults = Faults(bad_json=True)
    with pytest.raises(RemoteError, match="did not answer with JSON \\(text/html\\)"):
        probe(fault.url)
    fault.faults = Faults()
    e = load(fault)
    fault.model_id = "another-model"  # the model went away
    text, stats, _, err = ask(e)
    assert err is not None and err.kind == "not_found" and "fault-model" in str(err)
    with pytest.raises(RemoteError, match="does not serve fault-model"):
        load(fault)


def test_refused_dns_tls_offline_and_unknown_hosts_in_words(fault, monkeypatch):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there
    policy.allow_backend_host("127.0.0.1", port)
    with pytest.raises(RemoteError, match="connection refused") as info:
        probe(f"http://127.0.0.1:{port}")
    assert info.value.kind == "refused"
    # TLS: an https:// address to a plain-HTTP server fails the handshake; certificates are always checked
    with pytest.raises(RemoteError, match="secure connection") as info:
        probe(fault.url.replace("http://", "https://"))
    assert info.value.kind == "tls"
    # DNS: the lookup fails (no real name server is asked)
    import socket as socket_mod

    def no_such_host(*_a, **_k):
        raise socket_mod.gaierror(-2, "Name or service not known")

    policy.allow_backend_host("gpu-box.local", 8080)
    monkeypatch.setattr(socket_mod, "getaddrinfo", no_such_host)
    with pytest.raises(RemoteError, match="could not find the host") as info:
        probe("http://gpu-box.local:8080")
    assert info.value.kind == "dns"
    monkeypatch.undo()
    # a host nobody added is refused before any connection
    n = len(fault.requests)
    with pytest.raises(RemoteError, match="only connects to backends you added"):
        probe("http://127.0.0.2:9")
    # Offline mode: an internet host is refused, a backend on this machine stays usable
    policy.set_offline(True)
    policy.allow_backend_host("93.184.216.34", 80)
    with pytest.raises(RemoteError, match="Offline mode is on") as info:
        probe("http://93.184.216.34")
    assert info.value.kind == "offline"
    assert probe(fault.url).models and len(fault.requests) > n


def test_local_network_hosts():
    yes = ["127.0.0.1", "::1", "localhost", "10.1.2.3", "172.16.0.9", "172.31.255.1", "192.168.1.20", "fd00::1",
           "169.254.10.10", "fe80::1", "gpu-box.local", "[::1]", "::ffff:192.168.1.2"]
    no = ["8.8.8.8", "172.32.0.1", "93.184.216.34", "example.com", "2001:4860::8888", "localhost.example.com",
          "100.64.0.1"]
    assert all(policy.is_local_network_host(h) for h in yes)
    assert not any(policy.is_local_network_host(h) for h in no)
