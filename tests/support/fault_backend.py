"""A fault-injecting stand-in for a remote model server on 127.0.0.1, for tests of Hearth's remote backends.

It speaks, with a scripted reply (stdlib only, no model):

- the OpenAI API as llama-server, vLLM, LM Studio and Hearth serve it: ``GET /v1/models``, ``POST
  /v1/chat/completions`` (SSE with ``"stream": true``: a role chunk, one chunk per token, a finish chunk,
  a usage chunk when ``stream_options.include_usage``, ``data: [DONE]``; else one ``chat.completion``),
  ``GET /health``; on demand ``POST /tokenize`` (vLLM's ``{"model","prompt"|"messages"}`` -> ``{"count",
  "max_model_len","tokens"}``, llama-server's ``{"content"}`` -> ``{"tokens"}``), llama-server's ``GET /props``
  and LM Studio's ``GET /api/v0/models``;
- Ollama's native API when :attr:`FaultBackend.ollama`: ``GET /`` ("Ollama is running"), ``GET /api/version``,
  ``GET /api/tags``, ``POST /api/show``, ``POST /api/chat`` (NDJSON; ``stream`` defaults to true as in Ollama).

Tokens are the reply's words with their trailing spaces (``re.findall(r"\\S+\\s*", reply)``); a prompt counts its
messages' words plus 3 per message. ``max_tokens`` / ``max_completion_tokens`` (Ollama: ``options.num_predict``)
shortens the reply and the finish reason becomes ``"length"``. Another model name than :attr:`model_id` gets 404.

Configuration (attributes of :class:`FaultBackend`, also constructor keywords): ``model_id``, ``ctx``, ``reply``,
``advertise_ctx`` (``max_model_len`` in ``/v1/models``), ``owned_by`` (``"fault"``; llama-server says
``"llamacpp"``, Hearth ``"hearth"``), ``model_fields`` (a dict merged into the ``/v1/models`` entry, e.g.
``{"meta": {...}}`` or ``{"context_length": 4096}``), ``offer_tokenize``, ``offer_props``, ``offer_lmstudio``,
``ollama``, ``api_key`` (every route then needs ``Authorization: Bearer <key>``, else 401 in OpenAI's shape).

Faults live in :attr:`FaultBackend.faults` (a :class:`Faults`), settable between requests; assign ``Faults()``
to reset them all:

- ``status``: ``{path_substring: (http_status, times)}``: that many answers with that status (OpenAI's error
  shape; Ollama's ``{"error": "..."}`` on its native routes; ``Retry-After: 1`` for 429 and 503), then normal
  behaviour. ``times=None``: forever.
- ``cut_after``: in every stream, after N content chunks the socket is shut down: no finish chunk, no
  ``[DONE]``, no final zero-length chunk of the chunked encoding, so a client sees an incomplete body.
- ``malformed``: before every good SSE event one of ``: keep-alive``, ``event: ping``, ``data: {not json``,
  ``data:`` (each its own event), and each good event is written in two pieces that split its JSON.
- ``stall_after`` / ``stall_seconds``: after N content chunks, send nothing for ``stall_seconds`` (ends early
  when :meth:`FaultBackend.stop` is called or the client hangs up; after a stop the connection is shut down).
- ``wrong_json``: the discovery routes (``/v1/models``, ``/api/tags``, ``/api/show``, ``/props``,
  ``/api/v0/models``) answer 200 with valid JSON of the wrong shape.
- ``bad_json``: every route answers 200 ``text/html`` ``<html>not an API</html>``.
- ``token_delay``: seconds between content chunks.

N counts content chunks only (the role chunk comes first): ``cut_after=0`` cuts right after it.
Every request is recorded in :attr:`FaultBackend.requests` (under :attr:`FaultBackend.lock`) before it is
answered, as ``{"method", "path", "headers" (lower-case names), "body" (parsed JSON or None)}``.
"""
from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_BAD_SSE = (b": keep-alive\n\n", b"event: ping\n\n", b"data: {not json\n\n", b"data:\n\n")
_DETAILS = {"parent_model": "", "format": "gguf", "family": "llama", "families": ["llama"],
            "parameter_size": "3.2B", "quantization_level": "Q4_K_M"}


@dataclass
class Faults:
    status: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    cut_after: int | None = None
    malformed: bool = False
    stall_after: int | None = None
    stall_seconds: float = 30.0
    wrong_json: bool = False
    bad_json: bool = False
    token_delay: float = 0.0


def pieces(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def prompt_tokens(messages: Any) -> int:
    if not isinstance(messages, list):
        return 0
    n = 0
    for m in messages:
        content = m.get("content") if isinstance(m, dict) else None
        if isinstance(content, list):  # OpenAI content parts
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        n += len(str(content or "").split()) + 3
    return n


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client that hung up is not news
        import sys
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class FaultBackend:
    def __init__(self, *, model_id: str = "fault-model", ctx: int = 8192,
                 reply: str = "Hello from the fault server, one token at a time.", advertise_ctx: bool = False,
                 owned_by: str = "fault", model_fields: dict | None = None,
                 offer_tokenize: bool = False, offer_props: bool = False, offer_lmstudio: bool = False,
                 ollama: bool = False, api_key: str | None = None) -> None:
        self.model_id, self.ctx, self.reply = model_id, ctx, reply
        self.advertise_ctx, self.offer_tokenize = advertise_ctx, offer_tokenize
        self.owned_by, self.model_fields = owned_by, dict(model_fields or {})
        self.offer_props, self.offer_lmstudio, self.ollama = offer_props, offer_lmstudio, ollama
        self.api_key = api_key
        self.faults = Faults()
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fault-backend", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FaultBackend":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Returns promptly: stalls and delays end, open connections (kept-alive ones too) are shut down."""
        self.stopping.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
        with self.lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()

    def __enter__(self) -> "FaultBackend":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def paths(self) -> list[str]:
        with self.lock:
            return [r["path"] for r in self.requests]

    def _take_status(self, path: str) -> int | None:
        with self.lock:
            for sub, (status, times) in list(self.faults.status.items()):
                if sub in path and (times is None or times > 0):
                    if times is not None:
                        self.faults.status[sub] = (status, times - 1)
                    return status
        return None


class _Cut(Exception):
    """The stream ends here, abruptly."""


def _make_handler(server: FaultBackend):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # every small chunk goes out at once

        def log_message(self, fmt, *args) -> None:  # quiet
            pass

        def setup(self) -> None:
            super().setup()
            with server.lock:
                server._conns.add(self.connection)

        def finish(self) -> None:
            with server.lock:
                server._conns.discard(self.connection)
            try:
                super().finish()
            except OSError:
                pass

        # ---- answers ---------------------------------------------------------------------------------
        def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, obj: Any, status: int = 200, headers: dict | None = None) -> None:
            self._send(status, json.dumps(obj).encode(), "application/json", headers)

        def _error(self, status: int, message: str, code: str | None = None) -> None:
            headers = {"Retry-After": "1"} if status in (429, 503) else None
            if self.path.startswith("/api/") and not self.path.startswith("/api/v0/") and server.ollama \
                    and status != 401:
                return self._json({"error": message}, status, headers)
            kind = {401: "invalid_request_error", 404: "invalid_request_error", 429: "rate_limit_error"}.get(
                status, "server_error" if status >= 500 else "invalid_request_error")
            self._json({"error": {"message": message, "type": kind, "code": code}}, status, headers)

        # ---- streaming -------------------------------------------------------------------------------
        def _start_stream(self, ctype: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def _end_stream(self) -> None:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _client_gone(self) -> bool:
            try:
                readable, _, _ = select.select([self.connection], [], [], 0)
                return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                return True

        def _wait(self, seconds: float) -> None:
            """Sleep in 0.05 s steps; a stop or a client that hung up ends the stream."""
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                if server.stopping.is_set() or self._client_gone():
                    raise _Cut
                time.sleep(min(0.05, max(0.0, end - time.monotonic())))

        def _before_piece(self, sent: int) -> None:
            f = server.faults
            if f.cut_after is not None and sent >= f.cut_after:
                raise _Cut
            if f.stall_after is not None and sent == f.stall_after:
                self._wait(f.stall_seconds)
            if f.token_delay and sent:
                self._wait(f.token_delay)

        def _stream(self, events) -> None:
            """Write each event as a chunk; on a cut, shut the socket without the chunked terminator."""
            try:
                for data in events:
                    self._chunk(data)
                self._end_stream()
            except _Cut:
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        def _sse(self, body: dict, out: list[str], finish: str, n_prompt: int):
            cid, created = f"chatcmpl-fault-{time.monotonic_ns()}", int(time.time())
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            extra = {"usage": None} if usage else {}

            def chunk(delta: dict, reason: str | None) -> dict:
                return {"id": cid, "object": "chat.completion.chunk", "created": created, "model": server.model_id,
                        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": reason}], **extra}

            def event(obj: dict, i: int) -> list[bytes]:
                line = b"data: " + json.dumps(obj).encode() + b"\n\n"
                if not server.faults.malformed:
                    return [line]
                half = len(line) // 2
                return [_BAD_SSE[i % len(_BAD_SSE)], line[:half], line[half:]]

            yield from event(chunk({"role": "assistant", "content": ""}, None), 0)
            for i, piece in enumerate(out):
                self._before_piece(i)
                yield from event(chunk({"content": piece}, None), i + 1)
            self._before_piece(len(out))
            yield from event(chunk({}, finish), len(out) + 1)
            if usage:
                yield from event({"id": cid, "object": "chat.completion.chunk", "created": created,
                                  "model": server.model_id, "choices": [],
                                  "usage": {"prompt_tokens": n_prompt, "completion_tokens": len(out),
                                            "total_tokens": n_prompt + len(out)}}, len(out) + 2)
            yield b"data: [DONE]\n\n"

        def _ndjson(self, out: list[str], finish: str, n_prompt: int):
            def line(obj: dict) -> bytes:
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
                return json.dumps({"model": server.model_id, "created_at": stamp, **obj}).encode() + b"\n"

            for i, piece in enumerate(out):
                self._before_piece(i)
                yield line({"message": {"role": "assistant", "content": piece}, "done": False})
            self._before_piece(len(out))
            yield line(self._ollama_done("", out, finish, n_prompt))

        @staticmethod
        def _ollama_done(content: str, out: list[str], finish: str, n_prompt: int) -> dict:
            return {"message": {"role": "assistant", "content": content}, "done": True, "done_reason": finish,
                    "total_duration": 1_000_000 * (len(out) + 1), "load_duration": 1_000_000,
                    "prompt_eval_count": n_prompt, "prompt_eval_duration": 100_000 * n_prompt,
                    "eval_count": len(out), "eval_duration": 10_000_000 * len(out)}

        # ---- routes ----------------------------------------------------------------------------------
        def do_GET(self) -> None:
            self._handle(None)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            self._handle(body, bad_body=bool(raw) and body is None)

        def _handle(self, body: Any, bad_body: bool = False) -> None:
            path = self.path.split("?", 1)[0]
            with server.lock:
                server.requests.append({"method": self.command, "path": self.path, "body": body,
                                        "headers": {k.lower(): v for k, v in self.headers.items()}})
            if server.api_key is not None and self.headers.get("Authorization") != f"Bearer {server.api_key}":
                return self._json({"error": {"message": "Invalid API key", "type": "invalid_request_error",
                                             "code": "invalid_api_key"}}, 401)
            forced = server._take_status(self.path)
            if forced is not None:
                return self._error(forced, f"forced {forced}", "fault")
            if server.faults.bad_json:
                return self._send(200, b"<html>not an API</html>", "text/html")
            if bad_body or (self.command == "POST" and not isinstance(body, dict)):
                return self._error(400, "the body must be a JSON object")
            route = getattr(self, "_" + self.command.lower() + path.replace("/", "_").replace(".", "_"), None)
            if route is None:
                return self._error(404, f"no route {self.command} {path}")
            try:
                route() if body is None else route(body)
            except _Cut:
                pass

        def _wrong(self, obj: Any) -> bool:
            # read once: a test that sets new faults as soon as this answer arrives must not make the route
            # answer a second time on the same connection (the next request would read that stale answer)
            wrong = server.faults.wrong_json
            if wrong:
                self._json(obj)
            return wrong

        def _model_ok(self, body: dict) -> bool:
            if body.get("model") in (server.model_id, None):
                return True
            self._error(404, f"The model `{body.get('model')}` does not exist.", "model_not_found")
            return False

        def _get_(self) -> None:
            if not server.ollama:
                return self._error(404, "no route GET /")
            self._send(200, b"Ollama is running", "text/plain; charset=utf-8")

        def _get_health(self) -> None:
            self._json({"status": "ok"})

        def _get_v1_models(self) -> None:
            if self._wrong(["nope"]):
                return
            entry = {"id": server.model_id, "object": "model", "created": 0, "owned_by": server.owned_by}
            if server.advertise_ctx:
                entry["max_model_len"] = server.ctx
            entry.update(server.model_fields)
            self._json({"object": "list", "data": [entry]})

        def _post_v1_chat_completions(self, body: dict) -> None:
            if not self._model_ok(body):
                return
            if not isinstance(body.get("messages"), list) or not body["messages"]:
                return self._error(400, "'messages' must be a non-empty list")
            out, finish = self._reply(body.get("max_completion_tokens", body.get("max_tokens")))
            n_prompt = prompt_tokens(body["messages"])
            if body.get("stream"):
                self._start_stream("text/event-stream")
                return self._stream(self._sse(body, out, finish, n_prompt))
            self._json({"id": f"chatcmpl-fault-{time.monotonic_ns()}", "object": "chat.completion",
                        "created": int(time.time()), "model": server.model_id,
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(out)},
                                     "logprobs": None, "finish_reason": finish}],
                        "usage": {"prompt_tokens": n_prompt, "completion_tokens": len(out),
                                  "total_tokens": n_prompt + len(out)}})

        def _reply(self, limit: Any) -> tuple[list[str], str]:
            out = pieces(server.reply)
            if isinstance(limit, int) and 0 <= limit < len(out):
                return out[:limit], "length"
            return out, "stop"

        def _post_tokenize(self, body: dict) -> None:
            if not server.offer_tokenize:
                return self._error(404, "no route POST /tokenize")
            if "content" in body:  # llama-server
                return self._json({"tokens": list(range(1, len(str(body["content"]).split()) + 1))})
            if not self._model_ok(body):
                return
            n = prompt_tokens(body["messages"]) if "messages" in body else len(str(body.get("prompt", "")).split())
            self._json({"count": n, "max_model_len": server.ctx, "tokens": list(range(1, n + 1))})

        def _get_props(self) -> None:
            if not server.offer_props:
                return self._error(404, "no route GET /props")
            if not self._wrong({"default_generation_settings": "nope"}):
                self._json({"default_generation_settings": {"n_ctx": server.ctx}, "total_slots": 1,
                            "model_path": f"/models/{server.model_id}.gguf", "build_info": "fault"})

        def _get_api_v0_models(self) -> None:
            if not server.offer_lmstudio:
                return self._error(404, "no route GET /api/v0/models")
            if not self._wrong({"data": "nope"}):
                self._json({"object": "list", "data": [
                    {"id": server.model_id, "object": "model", "type": "llm", "publisher": "fault", "arch": "llama",
                     "compatibility_type": "gguf", "quantization": "Q4_K_M", "state": "loaded",
                     "max_context_length": server.ctx}]})

        # ---- Ollama ----------------------------------------------------------------------------------
        def _ollama(self) -> bool:
            if not server.ollama:
                self._error(404, f"no route {self.command} {self.path}")
            return server.ollama

        def _get_api_version(self) -> None:
            if self._ollama():
                self._json({"version": "0.9.0"})

        def _get_api_tags(self) -> None:
            if self._ollama() and not self._wrong({"models": "nope"}):
                self._json({"models": [{"name": server.model_id, "model": server.model_id, "size": 123,
                                        "modified_at": "2025-01-01T00:00:00Z", "digest": "0" * 64,
                                        "details": _DETAILS}]})

        def _ollama_model_ok(self, body: dict) -> bool:
            if body.get("model") == server.model_id:
                return True
            self._error(404, f"model '{body.get('model')}' not found")
            return False

        def _post_api_show(self, body: dict) -> None:
            if not (self._ollama() and self._ollama_model_ok(body)) or self._wrong({"model_info": "nope"}):
                return
            self._json({"model_info": {"llama.context_length": server.ctx, "general.architecture": "llama"},
                        "details": _DETAILS, "capabilities": ["completion"]})

        def _post_api_chat(self, body: dict) -> None:
            if not (self._ollama() and self._ollama_model_ok(body)):
                return
            options = body.get("options") if isinstance(body.get("options"), dict) else {}
            out, finish = self._reply(options.get("num_predict"))
            n_prompt = prompt_tokens(body.get("messages"))
            if body.get("stream", True):
                self._start_stream("application/x-ndjson")
                return self._stream(self._ndjson(out, finish, n_prompt))
            self._json({"model": server.model_id, "created_at": "2025-01-01T00:00:00.000000Z",
                        **self._ollama_done("".join(out), out, finish, n_prompt)})

    return Handler
