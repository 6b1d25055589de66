"""Hearth's HTTP client for huggingface_hub (see :mod:`app.core.net`): a transport that enforces Offline mode
and the endpoint allow-list, sets time limits and records every request in the network log.

Kept apart from ``network.py`` so that importing the HTTP stack (~0.2 s) happens only when the network is first
needed, never at start-up and never in Offline mode."""
from __future__ import annotations

import time
from typing import Callable, Iterator

import httpx2

from app.core.net.policy import (TIMEOUTS, BlockedHostError, OfflineError, RequestRecord, _offline, _purpose, endpoint,
                              guess_purpose, host_allowed, network_log)


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


class HearthTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        url = request.url
        path = url.raw_path.decode("ascii", "replace")
        what = _purpose.get() or guess_purpose(request.method, path, "range" in request.headers)
        if _offline.is_set():
            raise OfflineError(f"Offline mode is on: Hearth did not connect to {url.host}.")
        if not host_allowed(url.host or ""):
            raise BlockedHostError(f"Hearth only connects to the configured Hub endpoint ({endpoint()}); "
                                   f"it refused a request to {url.host}.")
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
