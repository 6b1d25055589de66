"""What went wrong talking to a backend, in words: every failure of the HTTP client or the server becomes a
:class:`RemoteError` whose message a user can act on (never a traceback)."""
from __future__ import annotations

import json
import re

from app.core.engine.generation import EngineError
from app.core.net.policy import BlockedHostError, OfflineError

CONTEXT_PATTERNS = (  # how servers say the prompt is longer than the context (llama-cpp-python, vLLM, llama-server)
    re.compile(r"maximum context length is (\d[\d,]*) tokens"),
    re.compile(r"context window of (\d[\d,]*)"),
    re.compile(r"\"n_ctx\"\s*:\s*(\d+)"),
    re.compile(r"context (?:size|length) (?:is|of) (\d[\d,]*)"),
)


class RemoteError(EngineError):
    """``kind``: refused, dns, tls, timeout, stalled, auth, not_found, busy, too_long, bad_answer, interrupted,
    offline, blocked, http. ``n_ctx``: the server's context size when its message said it."""

    def __init__(self, message: str, kind: str = "http", status: int = 0, retry_after: float | None = None,
                 n_ctx: int = 0) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        self.n_ctx = n_ctx


def server_message(body: bytes | str) -> str:
    """The error text a server put in its answer (OpenAI's ``{"error": {"message"}}``, Ollama's
    ``{"error": "..."}``, llama-server's, FastAPI's ``detail``), trimmed; '' when none."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    msg = ""
    if isinstance(data, dict):
        err = data.get("error", data.get("detail"))
        if isinstance(err, dict):
            msg = str(err.get("message") or err.get("msg") or "")
        elif isinstance(err, list) and err and isinstance(err[0], dict):
            msg = str(err[0].get("msg", ""))
        elif err:
            msg = str(err)
        elif isinstance(data.get("message"), str):
            msg = data["message"]
    elif "<html" not in text.lower():
        msg = text
    msg = " ".join(msg.split())
    return msg[:300] + ("…" if len(msg) > 300 else "")


def context_size_in(message: str) -> int:
    for pattern in CONTEXT_PATTERNS:
        m = pattern.search(message)
        if m:
            return int(m.group(1).replace(",", ""))
    return 0


def from_status(status: int, body: bytes, where: str, model: str = "", retry_after: float | None = None
                ) -> RemoteError:
    said = server_message(body)
    tail = f" The server said: {said}" if said else ""
    if status in (401, 403):
        return RemoteError(f"{where} refused the request ({status}: {'wrong or missing API key' if status == 401 else 'not allowed'})."
                           " Enter this backend's API key under Models → Backends.{}".format(tail), "auth", status)
    if status == 404:
        what = f"The model {model} is not served by {where} any more" if model else f"{where} has no such route"
        return RemoteError(f"{what} (404). Refresh the backend under Models → Backends to see what it serves."
                           + tail, "not_found", status)
    if status in (429, 503):
        why = "is busy (too many requests)" if status == 429 else "is not ready (503: loading or overloaded)"
        return RemoteError(f"{where} {why}.{tail}", "busy", status, retry_after)
    n_ctx = context_size_in(said)
    if status in (400, 413) and (n_ctx or "context" in said.lower()):
        return RemoteError(f"The conversation is longer than the model's context on {where}.{tail}", "too_long",
                           status, n_ctx=n_ctx)
    return RemoteError(f"{where} answered HTTP {status}.{tail}", "http", status)


def from_exception(exc: BaseException, where: str) -> RemoteError:
    """A client-side failure (httpx2 or the network layer's refusals) in words."""
    if isinstance(exc, RemoteError):
        return exc
    if isinstance(exc, OfflineError):
        return RemoteError(str(exc), "offline")
    if isinstance(exc, BlockedHostError):
        return RemoteError(str(exc), "blocked")
    import httpx2

    text = str(exc) or type(exc).__name__
    low = text.lower()
    if isinstance(exc, httpx2.ConnectTimeout):
        return RemoteError(f"{where} did not answer within 10 seconds (is the address right, and the machine on?).",
                           "timeout")
    if isinstance(exc, httpx2.ReadTimeout):
        return RemoteError(f"{where} stopped sending (no data for a long time); Hearth gave up waiting.", "stalled")
    if isinstance(exc, (httpx2.TimeoutException,)):
        return RemoteError(f"{where} took too long to answer.", "timeout")
    if isinstance(exc, httpx2.ConnectError):
        if "certificate" in low or "ssl" in low or "tls" in low:
            return RemoteError(f"The secure connection to {where} failed: {text}. Hearth always checks TLS "
                               "certificates; use a certificate the system trusts, or http:// on your own network.",
                               "tls")
        if "refused" in low or "errno 111" in low or "errno 61" in low or "10061" in low:
            return RemoteError(f"Nothing is listening at {where} (connection refused). Is the server running, and "
                               "started to listen on the network (not only on its own 127.0.0.1)?", "refused")
        if ("name or service" in low or "nodename" in low or "getaddrinfo" in low or "name resolution" in low
                or "no address" in low or "errno -2" in low or "errno -3" in low or "errno -5" in low):
            return RemoteError(f"Hearth could not find the host of {where} (the name lookup failed). Check the "
                               "address.", "dns")
        return RemoteError(f"Hearth could not connect to {where}: {text}", "refused")
    if isinstance(exc, (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.WriteError)):
        return RemoteError(f"The connection to {where} was cut: {text}", "interrupted")
    if isinstance(exc, httpx2.HTTPError):
        return RemoteError(f"Talking to {where} failed: {text}", "http")
    if isinstance(exc, OSError):
        return RemoteError(f"Talking to {where} failed: {exc.strerror or text}", "refused")
    return RemoteError(f"Talking to {where} failed: {type(exc).__name__}: {text}", "http")
