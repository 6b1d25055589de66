"""Hearth's HTTP client for huggingface_hub (see :mod:`app.core.net`): a transport that enforces Offline mode
and the endpoint allow-list, sets time limits and records every request in the network log.

Kept apart from ``network.py`` so that importing the HTTP stack (~0.2 s) happens only when the network is first
needed, never at start-up and never in Offline mode."""
from __future__ import annotations

import time
from typing import Callable, Iterator

import httpx2

from app.core.i18n import translate
from app.core.net.policy import (TIMEOUTS, BlockedHostError, OfflineError, RequestRecord, _offline, _purpose,
                                 check_backend_request, endpoint, guess_purpose, host_allowed, network_log)


class _CountingStream(httpx2.SyncByteStream):
    def __init__(self, inner, on_close: Callable[[int, str], None]) -> None:
        self._inner = inner
        self._on_close = on_close
        self._n = 0
        self._error = ""
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._inner:
                self._n += len(chunk)
                yield chunk
        except Exception as exc:
            self._error = f"{type(exc).__name__}: {exc}"
            raise

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._inner.close()
        finally:
            self._on_close(self._n, self._error)


def _hub_check(url: httpx2.URL) -> None:
    if _offline.is_set():
        raise OfflineError(translate("NetTransport", "Offline mode is on: Hearth did not connect to {host}.").format(
            host=url.host))
    if not host_allowed(url.host or ""):
        raise BlockedHostError(translate("NetTransport", "Hearth only connects to the configured Hub endpoint "
                                                         "({endpoint}); it refused a request to {host}.").format(
            endpoint=endpoint(), host=url.host))


def _backend_check(url: httpx2.URL) -> None:
    check_backend_request(url.host or "", url.port or (443 if url.scheme == "https" else 80))


class HearthTransport(httpx2.BaseTransport):
    """``check(url)`` raises before any connection when the request is not allowed (the Hub's rules by default;
    :func:`make_backend_client` passes the remote backends' rules)."""

    def __init__(self, inner: httpx2.BaseTransport, check: Callable[[httpx2.URL], None] = _hub_check) -> None:
        self._inner = inner
        self._check = check

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        url = request.url
        path = url.raw_path.decode("ascii", "replace")
        what = _purpose.get() or guess_purpose(request.method, path, "range" in request.headers)
        self._check(url)
        timeout = dict(request.extensions.get("timeout") or {})
        for key, default in TIMEOUTS.items():
            if timeout.get(key) is None:
                timeout[key] = default
        request.extensions["timeout"] = timeout
        sent = int(request.headers.get("content-length") or 0)
        started = time.time()

        def record(status: int, received: int, error: str) -> None:
            network_log().add(RequestRecord(time=started, method=request.method, host=url.host or "", path=path,
                                            status=status, bytes_in=received, bytes_out=sent, purpose=what,
                                            error=error))

        try:
            resp = self._inner.handle_request(request)
        except Exception as exc:
            record(0, 0, f"{type(exc).__name__}: {exc}")
            raise
        return httpx2.Response(status_code=resp.status_code, headers=resp.headers,
                               stream=_CountingStream(resp.stream, lambda n, e: record(resp.status_code, n, e)),
                               extensions=resp.extensions)

    def close(self) -> None:
        self._inner.close()


def make_client() -> httpx2.Client:
    """The client huggingface_hub uses for every call (see module docstring)."""
    from huggingface_hub.utils._http import hf_request_event_hook
    from httpx2._utils import get_environment_proxies

    mounts: dict[str, httpx2.BaseTransport | None] = {}
    for pattern, proxy in get_environment_proxies().items():
        mounts[pattern] = None if proxy is None else HearthTransport(httpx2.HTTPTransport(proxy=proxy, verify=True))
    return httpx2.Client(
        transport=HearthTransport(httpx2.HTTPTransport(verify=True, trust_env=True)),
        mounts=mounts,
        event_hooks={"request": [hf_request_event_hook]},
        follow_redirects=True,
        verify=True,
        timeout=httpx2.Timeout(30.0, connect=10.0),
    )


def make_backend_client(timeout: float = 60.0) -> httpx2.Client:
    """The client for remote backends (app/core/remote): the same transport (refusals, time limits, the network
    log, TLS verification on, the system proxy) with the backends' rules instead of the Hub's. ``timeout``: the
    longest wait for any byte (a server that stalls longer is given up on). No redirects: a backend that
    redirects elsewhere is not followed to a host the user did not add."""
    from httpx2._utils import get_environment_proxies

    mounts: dict[str, httpx2.BaseTransport | None] = {}
    for pattern, proxy in get_environment_proxies().items():
        mounts[pattern] = None if proxy is None else HearthTransport(httpx2.HTTPTransport(proxy=proxy, verify=True),
                                                                    _backend_check)
    return httpx2.Client(
        transport=HearthTransport(httpx2.HTTPTransport(verify=True, trust_env=True), _backend_check),
        mounts=mounts,
        follow_redirects=False,
        verify=True,
        timeout=httpx2.Timeout(timeout, connect=10.0),
    )
