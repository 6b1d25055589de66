"""The engine interface's second implementation: a model served by another machine (or another program on this
one), over an OpenAI-compatible API or Ollama's native one. Same calls as the local engine process
(``load``/``unload``/``count_tokens``/``generate`` with a cancel flag, stats and the context callback), so the
chat window and ``hearth chat`` use it unchanged.

- Loading checks the backend again (is the model still served, with which context) and opens no model.
- The conversation's own sampling settings are sent (the standard fields everywhere; top_k, min_p and the repeat
  penalty where the server takes them: llama.cpp, llama-cpp-python, vLLM, LM Studio, Ollama, Hearth).
- Tokens are counted by the server's tokenizer when it offers one, else estimated (``estimated_counts``); the
  conversation is fitted into the server's context with the conversation's policy, like a local one.
- Stop shuts the connection within a few milliseconds; a stream cut in the middle, or a server that stops
  sending for ``timeout`` seconds, keeps what arrived and marks the reply interrupted.
"""
from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from typing import Callable, Iterator

from app.core.engine.context_budget import fit_messages
from app.core.engine.generation import (Cancel, EngineError, GenerationRequest, LoadOptions, ModelInfo,
                                        PromptTooLong, ReplyStats)
from app.core.i18n import translate
from app.core.remote.backends import Backend, model_key
from app.core.remote.client import STALL_TIMEOUT_S, BackendClient
from app.core.remote.errors import RemoteError, from_exception
from app.core.remote.probe import probe
from app.core.remote.stream import StreamReader, whole_reply

log = logging.getLogger("hearth.remote")

EXTRA_SAMPLING = {"llama.cpp", "llama-cpp-python", "vllm", "lmstudio", "hearth"}  # take top_k, min_p, repeat
OLLAMA_DEFAULT_CTX = 8192  # num_ctx asked of Ollama when the model does not say and the user set nothing larger
CHARS_PER_TOKEN = 3.6  # the estimate when the server has no tokenizer route (English prose with BPE: 3.5-4.5)


def estimate_tokens(messages: list[dict]) -> int:
    return sum(4 + int(len(str(m.get("content") or "")) / CHARS_PER_TOKEN + 0.999) for m in messages) + 2


class RemoteEngine:
    def __init__(self, on_wait: Callable[[str], None] | None = None, timeout: float = STALL_TIMEOUT_S) -> None:
        self.on_wait = on_wait or (lambda _t: None)
        self.timeout = timeout
        self.backend: Backend | None = None
        self.model_id = ""
        self.info: ModelInfo | None = None
        self.path = ""
        self.options: LoadOptions | None = None
        self.proc = None  # the local engine's process handle; a remote engine has none
        self.estimated_counts = True
        self.ctx_source = ""  # where the context size came from, in words
        self._client: BackendClient | None = None

    # ---- the engine interface ---------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.info is not None

    @property
    def alive(self) -> bool:
        return self.info is not None

    @property
    def n_ctx(self) -> int:
        return self.info.n_ctx if self.info is not None else 0

    def load(self, backend: Backend, model_id: str, key: str = "", options: LoadOptions | None = None
             ) -> ModelInfo:
        """Check the backend serves ``model_id`` (the list and its context are read again) and use it."""
        t0 = time.perf_counter()
        self.unload()
        fresh = probe(backend.url, key, timeout=min(self.timeout, 30.0))
        model = fresh.model(model_id)
        if model is None:
            served = ", ".join(m.id for m in fresh.models[:8]) or translate("RemoteEngine", "nothing")
            raise RemoteError(translate("RemoteEngine", "{where} does not serve {model} (it serves: {served}). Pick "
                                                        "another model, or refresh the backend under Models → "
                                                        "Backends.").format(where=fresh.label, model=model_id,
                                                                            served=served), "not_found")
        options = options or LoadOptions()
        n_ctx, source = model.n_ctx, model.n_ctx_source
        if fresh.kind == "ollama":  # Hearth asks Ollama for this context (num_ctx) instead of its default
            n_ctx = min(n_ctx or OLLAMA_DEFAULT_CTX, max(options.n_ctx, 2048))
            source = f"num_ctx sent to Ollama (the model's own: {model.n_ctx:,})" if model.n_ctx else "num_ctx sent"
        fresh.public, fresh.has_key = backend.public, bool(key)
        self.backend, self.model_id, self.options = fresh, model_id, options
        self._client = BackendClient(fresh.url, key, timeout=self.timeout, on_wait=self.on_wait)
        self.estimated_counts = not fresh.tokenize
        estimated = ("context and token counts" if not n_ctx else "token counts") if self.estimated_counts else \
            ("context" if not n_ctx else "")
        if not n_ctx:  # the server does not say: the user's context setting stands in for it, said as estimated
            n_ctx, source = options.n_ctx, "not said by the server: Hearth's context setting"
        self.path = model_key(fresh.url, model_id)
        self.info = ModelInfo(path=self.path, name=f"{model_id} · {fresh.label}", architecture=fresh.kind,
                              n_ctx=n_ctx, n_ctx_train=model.n_ctx, n_params=0, size_bytes=0,
                              template_name="server",
                              template_source=translate("RemoteEngine", "the server's own ({kind} at {where})"
                                                        ).format(kind=fresh.kind_name, where=fresh.label),
                              load_seconds=time.perf_counter() - t0, remote=fresh.label, estimated=estimated)
        self.ctx_source = source
        return self.info

    def unload(self, timeout: float = 0.0) -> None:
        client, self._client = self._client, None
        self.info = None
        if client is not None:
            client.close()

    close = unload

    def check_idle(self, proc: object) -> None:
        return None

    def set_chat_format(self, name: str) -> ModelInfo:
        """The server formats the conversation with its own template: nothing to change here."""
        if self.info is None:
            raise EngineError(translate("RemoteEngine", "No model is loaded."))
        return self.info

    def count_tokens(self, messages: list[dict]) -> int:
        """The prompt's length in the server's tokens (its tokenizer), else :func:`estimate_tokens`."""
        b, client = self._need()
        plain = [{"role": m["role"], "content": m["content"]} for m in messages]
        try:
            if b.tokenize == "/tokenize" and b.kind in ("vllm", "hearth"):
                return int(client.post_json("/tokenize", {"model": self.model_id, "messages": plain},
                                            what="token count")["count"])
            if b.tokenize == "/tokenize":  # llama-server: its template, then its tokenizer
                prompt = ""
                with contextlib.suppress(RemoteError, KeyError, TypeError):
                    prompt = client.post_json("/apply-template", {"messages": plain}, what="token count")["prompt"]
                if not prompt:
                    return len(client.post_json("/tokenize", {"content": _joined(plain)},
                                                what="token count")["tokens"]) + 4 * len(plain)
                return len(client.post_json("/tokenize", {"content": prompt}, what="token count")["tokens"])
            if b.tokenize == "/extras/tokenize/count":
                return int(client.post_json("/extras/tokenize/count", {"model": self.model_id,
                                                                       "input": _joined(plain)},
                                            what="token count")["count"]) + 4 * len(plain)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("the server's token count was not usable (%s): estimating", exc)
        return estimate_tokens(plain)

    def count_text_tokens(self, text: str) -> int:
        return self.count_tokens([{"role": "user", "content": text}]) - 4

    def embed(self, texts: list[str]) -> list[list[float]]:
        raise EngineError(translate("RemoteEngine", "Embeddings are computed by the local engine; a remote backend "
                                                    "is used for chat only."))

    def _need(self) -> tuple[Backend, BackendClient]:
        if self.backend is None or self._client is None or self.info is None:
            raise EngineError(translate("RemoteEngine", "No remote model is loaded."))
        return self.backend, self._client

    # ---- a reply ------------------------------------------------------------------------------------------------
    def generate(self, req: GenerationRequest, cancel: threading.Event | None = None,
                 stats: ReplyStats | None = None,
                 on_context: Callable[[int, int, list], None] | None = None, _again: bool = False
                 ) -> Iterator[str]:
        b, client = self._need()
        if req.adapters:
            raise EngineError(translate("RemoteEngine", "LoRA adapters are applied to local models only; turn them "
                                                        "off in this conversation's settings to use a model on a "
                                                        "backend."))
        if any(isinstance(m, dict) and m.get("images") for m in req.messages):
            raise EngineError(translate("RemoteEngine", "Images are sent to local models with a vision projector "
                                                        "only, not to a backend; remove the image or pick a local "
                                                        "vision model."))
        cancel = cancel or threading.Event()
        stats = stats if stats is not None else ReplyStats()
        t0 = time.perf_counter()
        messages, prompt_tokens = self._fit(req, on_context)
        try:
            resp = client.send("POST", *self._body(b, req, messages), what="remote chat", stream=True,
                               cancel=cancel, model=self.model_id)
        except RemoteError as exc:
            if exc.kind != "too_long":
                raise
            if not exc.n_ctx or exc.n_ctx >= self.n_ctx:
                raise PromptTooLong(prompt_tokens, exc.n_ctx or self.n_ctx) from exc
            # the server said its real context (llama-cpp-python says it only this way): use it from now on, and
            # fit the conversation again with the conversation's policy
            self._learn_context(exc.n_ctx)
            messages, prompt_tokens = self._fit(req, on_context)
            resp = client.send("POST", *self._body(b, req, messages), what="remote chat", stream=True,
                               cancel=cancel, model=self.model_id)
        stats.prompt_tokens = prompt_tokens  # the server's usage, when it sends it, replaces this
        stop_watch = _close_on_cancel(resp, cancel)
        reader = StreamReader(client.where)
        t_first = 0.0
        chunks = 0
        finished = False
        ended_empty = False
        try:
            ctype = resp.headers.get("content-type", "")
            if "json" in ctype and "ndjson" not in ctype and b.kind != "ollama":
                import json

                pieces = iter([whole_reply(json.loads(resp.read()))])
            else:
                lines = resp.iter_lines()
                pieces = reader.ndjson(lines) if b.kind == "ollama" else reader.sse(lines)
            for p in pieces:
                if p.usage:
                    _usage(stats, p.usage)
                if p.text:
                    if not t_first:
                        t_first = time.perf_counter()
                    chunks += 1
                    stats.completion_tokens = max(stats.completion_tokens, chunks)
                    yield p.text
                if p.finish_reason:
                    stats.stop_reason = "length" if p.finish_reason == "length" else "end"
                if p.done:
                    finished = True
                    break
            if cancel.is_set():
                stats.stop_reason = "stopped"
            elif not finished and not stats.stop_reason:
                if reader.malformed and not chunks:
                    raise RemoteError(translate("RemoteEngine", "{where} sent a stream Hearth could not read "
                                                                "({lines} lines were not the chunks it expected)."
                                                ).format(where=client.where, lines=reader.malformed), "bad_answer")
                if not chunks:  # the server failed before the first token (llama-cpp-python ends such a stream
                    ended_empty = True  # empty, with 200): asked again below, without streaming, it says why
                    return
                stats.stop_reason = "interrupted"
                raise RemoteError(translate("RemoteEngine", "The connection to {where} ended in the middle of the "
                                                            "reply; what arrived is kept and marked interrupted."
                                            ).format(where=client.where), "interrupted")
            if stats.stop_reason == "" and finished:
                stats.stop_reason = "end"
            if reader.malformed:
                log.warning("%s: skipped %d malformed stream lines", client.where, reader.malformed)
        except RemoteError:
            if cancel.is_set():
                stats.stop_reason = "stopped"
                return
            stats.stop_reason = stats.stop_reason or "interrupted"
            raise
        except GeneratorExit:
            cancel.set()
            raise
        except Exception as exc:
            if cancel.is_set():  # Stop shut the connection under the reader
                stats.stop_reason = "stopped"
                return
            err = from_exception(exc, client.where)
            if err.kind == "interrupted":
                stats.stop_reason = "interrupted"
                err = RemoteError(translate("RemoteEngine", "The connection to {where} ended in the middle of the "
                                                            "reply (the server closed it); what arrived is kept and "
                                                            "marked interrupted.").format(where=client.where),
                                  "interrupted")
            elif err.kind == "stalled":
                stats.stop_reason = "interrupted"
                err = RemoteError(translate("RemoteEngine", "{where} stopped sending in the middle of the reply "
                                                            "(nothing for {seconds:.0f} s); what arrived is kept and "
                                                            "marked interrupted.").format(where=client.where,
                                                                                          seconds=self.timeout),
                                  "stalled")
            raise err from exc
        finally:
            stop_watch()
            resp.close()
            if t_first:
                stats.ttft_s = t_first - t0
                stats.gen_seconds = max(time.perf_counter() - t_first, 1e-9)
            if ended_empty:
                err = self._why_empty(client, b, req, messages)
                if err.kind == "too_long" and err.n_ctx and err.n_ctx < self.n_ctx and not _again:
                    self._learn_context(err.n_ctx)  # the server said its real context: fit to it and ask again
                    yield from self.generate(req, cancel, stats, on_context, _again=True)
                    return
                stats.stop_reason = "error"
                raise err

    def _why_empty(self, client: BackendClient, b: Backend, req: GenerationRequest, messages: list[dict]
                   ) -> RemoteError:
        """A stream that ended before its first token: the same request without streaming (one token) gets the
        server's reason, such as its real context size."""
        path, body = self._body(b, req, messages)
        body = {**body, "stream": False}
        body.pop("stream_options", None)
        if b.kind == "ollama":
            body["options"] = {**body["options"], "num_predict": 1}
        else:
            body["max_tokens"] = 1
        try:
            client.post_json(path, body, what="remote chat", model=self.model_id, retry=False)
        except RemoteError as exc:
            return exc
        return RemoteError(translate("RemoteEngine", "{where} ended the reply before sending any of it; its own log "
                                                     "may say why.").format(where=client.where), "interrupted")

    def _learn_context(self, n_ctx: int) -> None:
        if self.info is None:
            return
        self.info.n_ctx = n_ctx
        self.ctx_source = "the server's answer to a longer conversation"
        self.info.estimated = "token counts" if self.estimated_counts else ""

    def _fit(self, req: GenerationRequest, on_context) -> tuple[list[dict], int]:
        """The messages to send (fitted into the context with the conversation's policy) and their tokens."""
        n_ctx = self.n_ctx
        try:
            fitted = fit_messages(req.messages, self.count_tokens, n_ctx, req.reserve(n_ctx), req.policy)
        except RemoteError as exc:
            if exc.kind in ("auth", "refused", "dns", "tls", "offline", "blocked"):
                raise
            log.warning("counting tokens on the server failed (%s): sending the whole conversation", exc)
            plain = [{"role": m["role"], "content": m["content"]} for m in req.messages]
            if on_context is not None:
                on_context(estimate_tokens(plain), n_ctx, [])
            return plain, estimate_tokens(plain)
        if on_context is not None:
            on_context(fitted.prompt_tokens, n_ctx, fitted.excluded_ids)
        return fitted.messages, fitted.prompt_tokens

    def _body(self, b: Backend, req: GenerationRequest, messages: list[dict]) -> tuple[str, dict]:
        s = req.sampling
        plain = [{"role": m["role"], "content": m["content"]} for m in messages]
        if b.kind == "ollama":
            options = {"num_ctx": self.n_ctx, "temperature": s.temperature, "top_p": s.top_p, "top_k": s.top_k,
                       "min_p": s.min_p, "repeat_penalty": s.repeat_penalty, "num_predict": s.max_tokens,
                       "presence_penalty": s.presence_penalty, "frequency_penalty": s.frequency_penalty}
            if s.seed >= 0:
                options["seed"] = s.seed
            if req.stop:
                options["stop"] = list(req.stop)
            return "/api/chat", {"model": self.model_id, "messages": plain, "stream": True, "options": options}
        body = {"model": self.model_id, "messages": plain, "stream": True,
                "stream_options": {"include_usage": True}, "temperature": s.temperature, "top_p": s.top_p,
                "max_tokens": s.max_tokens}
        if s.seed >= 0:
            body["seed"] = s.seed
        if s.presence_penalty:
            body["presence_penalty"] = s.presence_penalty
        if s.frequency_penalty:
            body["frequency_penalty"] = s.frequency_penalty
        if req.stop:
            body["stop"] = list(req.stop)[:4]
        if b.kind in EXTRA_SAMPLING:
            body["top_k"], body["min_p"] = s.top_k, s.min_p
            body["repetition_penalty" if b.kind == "vllm" else "repeat_penalty"] = s.repeat_penalty
        return "/v1/chat/completions", body


def _joined(messages: list[dict]) -> str:
    return "\n".join(f"{m['role']}: {m['content']}" for m in messages)


def _usage(stats: ReplyStats, usage: dict) -> None:
    prompt = usage.get("prompt_tokens", usage.get("prompt_eval_count"))
    done = usage.get("completion_tokens", usage.get("eval_count"))
    if isinstance(prompt, int):
        stats.prompt_tokens = prompt
    if isinstance(done, int):
        stats.completion_tokens = done
    details = usage.get("prompt_tokens_details")
    if isinstance(details, dict) and isinstance(details.get("cached_tokens"), int):
        stats.cached_tokens = details["cached_tokens"]


def _close_on_cancel(resp, cancel: threading.Event) -> Callable[[], None]:
    """Shut the response's socket the moment ``cancel`` is set (a blocked read then returns at once), so Stop
    closes the request within milliseconds even while the server sends nothing. Returns the function that ends
    the watch."""
    stream = resp.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    done = threading.Event()

    def shut() -> None:
        if done.is_set() or sock is None:
            return
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    if isinstance(cancel, Cancel):
        cancel.listen(shut)
    else:
        def watch() -> None:
            while not done.is_set():
                if cancel.wait(0.02):
                    shut()
                    return

        threading.Thread(target=watch, name="remote-stop", daemon=True).start()

    def end() -> None:
        done.set()

    return end
