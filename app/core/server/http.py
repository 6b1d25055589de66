"""The OpenAI-compatible HTTP server: ``GET /health``, ``GET /v1/models``, ``POST /v1/chat/completions``,
``POST /v1/completions``, ``POST /v1/embeddings``.

Standard library only (``http.server``, a thread per connection, HTTP/1.1 keep-alive, streamed answers as
server-sent events in chunked encoding). Each request is checked (``security.py``) before its body is read; a
generation waits its turn at the engine gate; a client that goes away (watched on its socket while the engine
works, and noticed on the next write) cancels its generation at once. Every request is logged in one line and in
the network log (direction "in").
"""
from __future__ import annotations

import json
import logging
import select
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from app.core.i18n import english
from app.core.server import openai_api as oa
from app.core.server.backend import Backend, model_ids
from app.core.server.gate import Busy, GaveUp
from app.core.server.security import ServerConfig, host_allowed, key_ok, machine_names, origin_allowed

log = logging.getLogger("hearth.server")

MAX_CONNECTIONS = 64
READ_TIMEOUT_S = 30.0


class ClientGone(Exception):
    """The client closed its connection."""


class _Watch:
    """Sets ``cancel`` as soon as the client's socket closes (checked every 50 ms while the engine works)."""

    def __init__(self, sock: socket.socket, cancel: threading.Event) -> None:
        self.sock = sock
        self.cancel = cancel
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="api-watch", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set() and not self.cancel.is_set():
            try:
                readable, _, _ = select.select([self.sock], [], [], 0.05)
                if readable:
                    if self.sock.recv(1, socket.MSG_PEEK) == b"":
                        self.cancel.set()  # closed
                    return  # data from the client (its next request): not a disconnect, stop looking
            except (OSError, ValueError):
                self.cancel.set()
                return

    def stop(self) -> None:
        self.done.set()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Hearth"
    sys_version = ""
    timeout = READ_TIMEOUT_S
    server: "ApiServer"

    # ---- plumbing -----------------------------------------------------------------------------------------
    def log_message(self, fmt: str, *args) -> None:  # the per-request line is ours (see _finish)
        pass

    def handle_one_request(self) -> None:
        self._t0 = time.monotonic()
        self._status, self._bytes_in, self._bytes_out, self._tokens = 0, 0, 0, 0
        self._extra_headers = {}
        super().handle_one_request()

    def _cors(self) -> None:
        origin = self.headers.get("Origin")
        if origin and origin_allowed(origin, self.server.config.cors_origins):
            self._extra_headers["Access-Control-Allow-Origin"] = origin.rstrip("/")
            self._extra_headers["Vary"] = "Origin"

    def _send_json(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in {**self._extra_headers, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self._status = status
        self._bytes_out += len(data)

    def _error(self, err: oa.ApiError) -> None:
        headers = dict(err.headers)
        if err.status in (413, 400) and self.headers.get("Content-Length") and self._bytes_in == 0:
            headers["Connection"] = "close"  # its body was not read: the connection cannot carry another request
            self.close_connection = True
        self._send_json(err.status, err.body(), headers)

    def _finish(self, method: str) -> None:
        ms = (time.monotonic() - self._t0) * 1000
        client = self.client_address[0] if self.client_address else "?"
        path = self.path.split("?")[0]
        log.info('%s "%s %s" %s %d B out %d tok %.0f ms', client, method, path, self._status or "-",
                 self._bytes_out, self._tokens, ms)
        self.server.record(method, client, path, self._status, self._bytes_in, self._bytes_out, self._tokens)

    # ---- checks before the body is read ------------------------------------------------------------------
    def _admit(self) -> None:
        cfg = self.server.config
        if not host_allowed(self.headers.get("Host"), self.server.names):
            raise oa.ApiError(403, "the Host header does not name this computer (a DNS rebinding guard)",
                              "permission_error", code="host_not_allowed")
        if not origin_allowed(self.headers.get("Origin"), cfg.cors_origins):
            raise oa.ApiError(403, "requests from this web page's origin are not allowed; add it to the server's "
                              "allowed origins", "permission_error", code="origin_not_allowed")
        if not key_ok(self.headers.get("Authorization"), cfg.api_key):
            raise oa.ApiError(401, "a valid API key is needed: 'Authorization: Bearer <key>'",
                              "authentication_error", code="invalid_api_key")

    def _body(self) -> dict:
        if self.headers.get("Transfer-Encoding"):
            raise oa.ApiError(411, "send the body with a Content-Length", code="length_required")
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise oa.bad("Content-Length is not a number")
        if n > self.server.config.max_body_bytes:
            raise oa.ApiError(413, f"the request body is {n:,} bytes; the limit is "
                              f"{self.server.config.max_body_bytes:,}", code="body_too_large")
        if n <= 0:
            raise oa.bad("the request has no body (a JSON object is expected)")
        data = self.rfile.read(n)
        self._bytes_in = len(data)
        if len(data) < n:
            self.close_connection = True
            raise ClientGone()
        try:
            body = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise oa.bad(f"the body is not valid JSON: {exc}", code="invalid_json")
        if not isinstance(body, dict):
            raise oa.bad("the body must be a JSON object", code="invalid_json")
        return body

    # ---- verbs --------------------------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight
        try:
            origin = self.headers.get("Origin")
            if not host_allowed(self.headers.get("Host"), self.server.names) or not origin or \
                    not origin_allowed(origin, self.server.config.cors_origins):
                self._send_json(403, oa.ApiError(403, "origin not allowed", "permission_error").body())
                return
            self._cors()
            self.send_response(204)
            for k, v in self._extra_headers.items():
                self.send_header(k, v)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()
            self._status = 204
        finally:
            self._finish("OPTIONS")

    def do_GET(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def _route(self, method: str) -> None:
        path = self.path.split("?")[0].rstrip("/") or "/"
        try:
            self._admit()
            self._cors()
            routes = {("GET", "/health"): self._health, ("GET", "/v1/models"): self._models,
                      ("POST", "/v1/chat/completions"): self._chat, ("POST", "/v1/completions"): self._completion,
                      ("POST", "/v1/embeddings"): self._embeddings, ("POST", "/tokenize"): self._tokenize}
            fn = routes.get((method, path))
            if fn is None:
                known = {p for _, p in routes}
                raise oa.ApiError(405 if path in known else 404,
                                  f"{method} {path} is not here" + ("" if path in known else
                                                                    "; see GET /v1/models"), code="not_found")
            fn()
        except oa.ApiError as err:
            self._safe(self._error, err)
        except ClientGone:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        except Exception as exc:  # never a traceback to the client, never a dead server
            log.exception("request %s %s failed", method, path)
            self._safe(self._error, oa.ApiError(500, f"internal error: {type(exc).__name__}", "server_error"))
        finally:
            self._finish(method)

    def _safe(self, fn, *args) -> None:
        try:
            fn(*args)
        except (OSError, ValueError):
            self.close_connection = True

    # ---- endpoints ----------------------------------------------------------------------------------------
    def _health(self) -> None:
        b = self.server.backend
        state = b.gate.state()
        path = b.model_path()
        self._send_json(200, {"status": "ok" if path else "no_model", "model": model_ids(path)[0] if path else None,
                              "busy": bool(state.holder), "waiting": state.waiting})

    def _models(self) -> None:
        path = self.server.backend.model_path()
        engine = self.server.backend.engine() if path else None
        self._send_json(200, oa.models_body(model_ids(path)[:1] if path else [], getattr(engine, "n_ctx", 0) or 0))

    def _tokenize(self) -> None:
        """vLLM's shape: ``{"model", "messages"}`` (the chat template applied) or ``{"model", "prompt"}`` →
        ``{"count", "max_model_len"}``: another Hearth fits its conversations with this model's tokenizer."""
        model, messages, prompt = oa.parse_tokenize(self._body())
        self._check_model(model)
        with self._turn() as (engine, _cancel, _waited):
            try:
                n = engine.count_tokens(messages) if messages is not None else engine.count_text_tokens(prompt)
                n_ctx = engine.n_ctx
            except Exception as exc:
                self._engine_failed(exc)
        self._send_json(200, {"count": n, "max_model_len": n_ctx})

    def _check_model(self, name: str) -> None:
        b = self.server.backend
        if b.model_path() is None:
            raise oa.ApiError(503, "no model is loaded (or the engine is starting again); try again shortly",
                              "server_error", code="model_not_ready", headers={"Retry-After": str(b.retry_after_s())})
        if not b.resolve(name):
            raise oa.ApiError(404, f"the model {name!r} is not loaded here; GET /v1/models lists what is",
                              param="model", code="model_not_found")

    def _chat(self) -> None:
        call = oa.parse_chat(self._body())
        self._generate(call)

    def _completion(self) -> None:
        call = oa.parse_completion(self._body())
        self._generate(call)

    def _embeddings(self) -> None:
        model, texts, fmt = oa.parse_embeddings(self._body())
        self._check_model(model)
        with self._turn() as (engine, _cancel, _waited):
            try:
                vectors = engine.embed(texts)
                n_tokens = sum(max(0, engine.count_text_tokens(t)) for t in texts)
            except Exception as exc:
                self._engine_failed(exc)
        self._tokens = n_tokens
        self._send_json(200, oa.embeddings_body(model, vectors, fmt, n_tokens))

    # ---- generation ---------------------------------------------------------------------------------------
    @contextmanager
    def _turn(self):
        """Wait for the engine (the client's disconnect ends the wait); yields (engine, cancel, waited_s)."""
        from app.core.engine.generation import Cancel

        b = self.server.backend
        cancel = Cancel()
        watch = _Watch(self.connection, cancel)
        try:
            try:
                with b.gate.turn(f"api {self.client_address[0]}", cancel, self.server.config.queue_timeout_s,
                                 b.retry_after_s()) as waited:
                    engine = b.engine()
                    if engine is None:
                        raise oa.ApiError(503, "the engine is starting again; try again shortly", "server_error",
                                          code="model_not_ready", headers={"Retry-After": str(b.retry_after_s())})
                    yield engine, cancel, waited
            except Busy as exc:
                raise oa.ApiError(429, english(exc), "rate_limit_error", code="queue_full",
                                  headers={"Retry-After": str(exc.retry_after_s)})
            except GaveUp:
                if cancel.is_set():
                    raise ClientGone()
                raise oa.ApiError(503, "waited too long for the model", "server_error", code="timeout",
                                  headers={"Retry-After": str(b.retry_after_s())})
        finally:
            watch.stop()

    def _engine_failed(self, exc: Exception):
        from app.core.engine import EngineError, PromptTooLong
        from app.core.engine.process import EngineCrashed

        if isinstance(exc, EngineCrashed):
            self.server.backend.crashed(exc)
            raise oa.ApiError(500, f"the engine crashed ({english(exc)}); it is starting again, retry shortly",
                              "server_error", code="engine_crashed",
                              headers={"Retry-After": str(self.server.backend.retry_after_s())})
        if isinstance(exc, PromptTooLong):
            raise oa.ApiError(400, english(exc), code="context_length_exceeded", param="messages")
        if isinstance(exc, EngineError):
            raise oa.ApiError(400, english(exc), code="engine_refused")
        raise exc

    def _request(self, call: oa.Call):
        from app.core.engine.generation import GenerationRequest, Sampling

        sampling = Sampling(**call.sampling)
        kwargs = {"stop": call.stop}
        if call.prompt is not None:
            kwargs["prompt"] = call.prompt
        if call.tools:
            kwargs.update(tools=call.tools, tool_choice=call.tool_choice, parallel_tool_calls=call.parallel_tool_calls)
        return GenerationRequest(call.messages, sampling, "truncate_middle", cache_key="api", **kwargs)

    def _generate(self, call: oa.Call) -> None:
        from app.core.engine.generation import ReplyStats

        self._check_model(call.model)
        req = self._request(call)
        stats = ReplyStats()
        rid, created = oa.new_id(call.kind), int(time.time())
        with self._turn() as (engine, cancel, _waited):
            pieces = engine.generate(req, cancel, stats)
            if call.stream:
                self._stream(call, rid, created, pieces, stats, cancel)
                return
            try:
                text = "".join(pieces)
            except Exception as exc:
                if cancel.is_set():
                    raise ClientGone()
                self._engine_failed(exc)
            if cancel.is_set():
                raise ClientGone()
        self._tokens = stats.completion_tokens
        self._send_json(200, oa.completion_body(call, rid, created, text, stats))

    def _stream(self, call: oa.Call, rid: str, created: int, pieces: Iterator[str], stats, cancel) -> None:
        try:
            first = next(pieces, None)  # errors before the first token still get a status and a JSON error
        except Exception as exc:
            if cancel.is_set():
                raise ClientGone()
            self._engine_failed(exc)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in self._extra_headers.items():
            self.send_header(k, v)
        self.end_headers()
        self._status = 200

        def event(body: dict | str) -> None:
            data = f"data: {body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)}\n\n".encode()
            try:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
            except OSError:
                cancel.set()  # the client went away: the engine stops within a token
                raise ClientGone()
            self._bytes_out += len(data)

        if call.kind == "chat":
            event(oa.chunk(call, rid, created, delta={"role": "assistant", "content": ""}))
        failed = None
        try:
            piece = first
            while piece is not None:
                if piece:
                    event(oa.chunk(call, rid, created, delta={"content": piece}) if call.kind == "chat"
                          else oa.chunk(call, rid, created, text=piece))
                piece = next(pieces, None)
        except ClientGone:
            raise
        except Exception as exc:  # mid-stream: the status is sent; say it in the stream, OpenAI-style
            if cancel.is_set():
                raise ClientGone()
            failed = exc
        if failed is not None:
            try:
                self._engine_failed(failed)
            except oa.ApiError as err:
                event(err.body())
        else:
            calls = oa.tool_calls_out(stats, with_index=True)
            if calls and call.kind == "chat":
                event(oa.chunk(call, rid, created, delta={"tool_calls": calls}))
            event(oa.chunk(call, rid, created, delta={}, finish=oa.finish_reason(stats)) if call.kind == "chat"
                  else oa.chunk(call, rid, created, text="", finish=oa.finish_reason(stats)))
            if call.include_usage:
                event(oa.chunk(call, rid, created, usage_of=stats))
        event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self._tokens = stats.completion_tokens


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, config: ServerConfig, backend: Backend, network_log=None) -> None:
        problem = config.problem()
        if problem:
            raise ValueError(problem)
        self.config = config
        self.backend = backend
        self.network_log = network_log
        self.names = machine_names(config.host)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.address_family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
        super().__init__((config.host, config.port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        host = self.config.host if ":" not in self.config.host else f"[{self.config.host}]"
        return f"http://{host}:{self.port}/v1"

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):  # too many connections: answered and closed at once
            try:
                body = json.dumps(oa.ApiError(503, "too many connections", "server_error").body()).encode()
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nConnection: close\r\n"
                                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def record(self, method: str, client: str, path: str, status: int, bytes_in: int, bytes_out: int,
               tokens: int) -> None:
        if self.network_log is None:
            return
        from app.core.net.policy import RequestRecord

        self.network_log.add(RequestRecord(time=time.time(), method=method, host=client, path=path, status=status,
                                           bytes_in=bytes_in, bytes_out=bytes_out, purpose="api", direction="in",
                                           tokens=tokens))

    def start(self) -> "ApiServer":
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="api-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def stop_soon(self) -> None:
        """Stop without waiting here (the serving loop notices within its poll interval): for the GUI thread."""
        threading.Thread(target=self.stop, name="api-server-stop", daemon=True).start()
