"""What went wrong talking to a backend, in words: every failure of the HTTP client or the server becomes a
:class:`RemoteError` whose message a user can act on (never a traceback)."""
from __future__ import annotations

import json
import re

from app.core.engine.generation import EngineError
from app.core.i18n import Text, translate
from app.core.i18n import said as said_by
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

    def told(message: Text) -> Text:  # the server's own words after Hearth's sentence, when it gave any
        if not said:
            return message
        return translate("RemoteErrors", "{message} The server said: {said}").format(message=message, said=said)

    if status in (401, 403):
        if status == 401:
            text = translate("RemoteErrors", "{where} refused the request ({status}: wrong or missing API key). "
                                             "Enter this backend's API key under Models → Backends.")
        else:
            text = translate("RemoteErrors", "{where} refused the request ({status}: not allowed). Enter this "
                                             "backend's API key under Models → Backends.")
        return RemoteError(told(text.format(where=where, status=status)), "auth", status)
    if status == 404:
        if model:
            text = translate("RemoteErrors", "The model {model} is not served by {where} any more (404). Refresh "
                                             "the backend under Models → Backends to see what it serves."
                             ).format(model=model, where=where)
        else:
            text = translate("RemoteErrors", "{where} has no such route (404). Refresh the backend under Models → "
                                             "Backends to see what it serves.").format(where=where)
        return RemoteError(told(text), "not_found", status)
    if status in (429, 503):
        if status == 429:
            text = translate("RemoteErrors", "{where} is busy (too many requests).").format(where=where)
        else:
            text = translate("RemoteErrors", "{where} is not ready (503: loading or overloaded).").format(where=where)
        return RemoteError(told(text), "busy", status, retry_after)
    n_ctx = context_size_in(said)
    if status in (400, 413) and (n_ctx or "context" in said.lower()):
        return RemoteError(told(translate("RemoteErrors", "The conversation is longer than the model's context on "
                                                          "{where}.").format(where=where)), "too_long",
                           status, n_ctx=n_ctx)
    return RemoteError(told(translate("RemoteErrors", "{where} answered HTTP {status}.").format(where=where,
                                                                                               status=status)),
                       "http", status)


def from_exception(exc: BaseException, where: str) -> RemoteError:
    """A client-side failure (httpx2 or the network layer's refusals) in words."""
    if isinstance(exc, RemoteError):
        return exc
    if isinstance(exc, OfflineError):
        return RemoteError(said_by(exc), "offline")
    if isinstance(exc, BlockedHostError):
        return RemoteError(said_by(exc), "blocked")
    import httpx2

    text = str(exc) or type(exc).__name__
    low = text.lower()
    if isinstance(exc, httpx2.ConnectTimeout):
        return RemoteError(translate("RemoteErrors", "{where} did not answer within 10 seconds (is the address "
                                                     "right, and the machine on?).").format(where=where), "timeout")
    if isinstance(exc, httpx2.ReadTimeout):
        return RemoteError(translate("RemoteErrors", "{where} stopped sending (no data for a long time); Hearth gave "
                                                     "up waiting.").format(where=where), "stalled")
    if isinstance(exc, (httpx2.TimeoutException,)):
        return RemoteError(translate("RemoteErrors", "{where} took too long to answer.").format(where=where),
                           "timeout")
    if isinstance(exc, httpx2.ConnectError):
        if "certificate" in low or "ssl" in low or "tls" in low:
            return RemoteError(translate("RemoteErrors", "The secure connection to {where} failed: {error}. Hearth "
                                                         "always checks TLS certificates; use a certificate the "
                                                         "system trusts, or http:// on your own network."
                                         ).format(where=where, error=text), "tls")
        if "refused" in low or "errno 111" in low or "errno 61" in low or "10061" in low:
            return RemoteError(translate("RemoteErrors", "Nothing is listening at {where} (connection refused). Is "
                                                         "the server running, and started to listen on the network "
                                                         "(not only on its own 127.0.0.1)?").format(where=where),
                               "refused")
        if ("name or service" in low or "nodename" in low or "getaddrinfo" in low or "name resolution" in low
                or "no address" in low or "errno -2" in low or "errno -3" in low or "errno -5" in low):
            return RemoteError(translate("RemoteErrors", "Hearth could not find the host of {where} (the name "
                                                         "lookup failed). Check the address.").format(where=where),
                               "dns")
        return RemoteError(translate("RemoteErrors", "Hearth could not connect to {where}: {error}"
                                     ).format(where=where, error=text), "refused")
    if isinstance(exc, (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.WriteError)):
        return RemoteError(translate("RemoteErrors", "The connection to {where} was cut: {error}"
                                     ).format(where=where, error=text), "interrupted")
    if isinstance(exc, httpx2.HTTPError):
        return RemoteError(translate("RemoteErrors", "Talking to {where} failed: {error}"
                                     ).format(where=where, error=text), "http")
    if isinstance(exc, OSError):
        return RemoteError(translate("RemoteErrors", "Talking to {where} failed: {error}"
                                     ).format(where=where, error=exc.strerror or text), "refused")
    return RemoteError(translate("RemoteErrors", "Talking to {where} failed: {kind}: {error}"
                                 ).format(where=where, kind=type(exc).__name__, error=text), "http")
