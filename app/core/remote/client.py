"""HTTP to one backend over Hearth's network layer (``net.transport.make_backend_client``: the allow-list of
added backends, Offline mode, time limits, TLS verification, the network log): JSON requests, streams, the API
key, and patient retries when the server says it is busy (429/503)."""
from __future__ import annotations

import json
import threading
from typing import Any, Callable

from app.core.i18n import said, translate
from app.core.net.policy import purpose
from app.core.remote.errors import RemoteError, from_exception, from_status

RETRIES = 4  # attempts for a 429/503 answer
BACKOFF_S = (1.0, 2.0, 4.0)
MAX_RETRY_AFTER_S = 15.0
STALL_TIMEOUT_S = 60.0  # no byte for this long: the server is given up on


class BackendClient:
    def __init__(self, url: str, key: str = "", timeout: float = STALL_TIMEOUT_S,
                 on_wait: Callable[[str], None] | None = None) -> None:
        from app.core.net.client import install
        from app.core.net.transport import make_backend_client

        install()  # the HTTP stack's read-size tuning, as for the Hub
        self.url = url.rstrip("/")
        self.key = key
        self.where = url.split("://", 1)[-1]
        self.on_wait = on_wait or (lambda _text: None)
        self._http = make_backend_client(timeout)

    def close(self) -> None:
        self._http.close()

    def headers(self) -> dict[str, str]:
        h = {"Accept": "application/json, text/event-stream"}
        if self.key:
            h["Authorization"] = f"Bearer {self.key}"
        return h

    def send(self, method: str, path: str, body: Any = None, *, what: str, stream: bool = False,
             cancel: threading.Event | None = None, model: str = "", retry: bool = True):
        """The response (status 2xx; stream=True: unread, the caller closes it). Busy answers are retried with
        backoff (said through ``on_wait``); every other failure raises :class:`RemoteError`."""
        cancel = cancel or threading.Event()
        content = None if body is None else json.dumps(body).encode()
        headers = self.headers()
        if content is not None:
            headers["Content-Type"] = "application/json"
        attempt = 0
        stale_retry = True
        while True:
            attempt += 1
            try:
                with purpose(what):
                    req = self._http.build_request(method, self.url + path, content=content, headers=headers)
                    resp = self._http.send(req, stream=True)
            except Exception as exc:
                err = from_exception(exc, self.where)
                if err.kind == "interrupted" and stale_retry:
                    # a kept-alive connection the server had closed meanwhile (after a reply it ended early):
                    # no answer came, so the server did not take the request; ask once more on a new connection
                    stale_retry = False
                    attempt -= 1
                    continue
                raise err from exc
            if resp.status_code < 300:
                if not stream:
                    try:
                        resp.read()
                    except Exception as exc:
                        raise from_exception(exc, self.where) from exc
                    finally:
                        resp.close()
                return resp
            try:
                data = resp.read()
            except Exception:
                data = b""
            finally:
                resp.close()
            err = from_status(resp.status_code, data, self.where, model, _retry_after(resp.headers))
            if err.kind != "busy" or not retry or attempt >= RETRIES or cancel.is_set():
                if err.kind == "busy" and attempt > 1:
                    err.args = (translate("RemoteClient", "{error} Hearth tried {attempt} times; try again later."
                                          ).format(error=said(err), attempt=attempt),)
                raise err
            delay = min(MAX_RETRY_AFTER_S, err.retry_after if err.retry_after is not None
                        else BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)])
            self.on_wait(translate("RemoteClient", "{error} Trying again in {delay:.0f} s (attempt {attempt} of "
                                                   "{attempts})…").format(error=said(err), delay=delay,
                                                                          attempt=attempt + 1, attempts=RETRIES))
            if cancel.wait(delay):
                raise RemoteError(translate("RemoteClient", "Stopped while waiting for the busy server."), "busy",
                                  resp.status_code)
            self.on_wait("")

    def get_json(self, path: str, *, what: str, model: str = "", retry: bool = True) -> Any:
        return _json(self.send("GET", path, what=what, model=model, retry=retry), self.where, path)

    def post_json(self, path: str, body: Any, *, what: str, model: str = "", retry: bool = True) -> Any:
        return _json(self.send("POST", path, body, what=what, model=model, retry=retry), self.where, path)


def _json(resp, where: str, path: str) -> Any:
    try:
        return json.loads(resp.content)
    except ValueError:
        kind = resp.headers.get("content-type", "").split(";")[0] or translate("RemoteClient", "no content type")
        raise RemoteError(translate("RemoteClient", "{address} did not answer with JSON ({kind}): it does not look "
                                                    "like a model server's API.").format(address=where + path,
                                                                                         kind=kind),
                          "bad_answer", resp.status_code) from None


def _retry_after(headers) -> float | None:
    try:
        value = float(headers.get("retry-after", ""))
    except ValueError:
        return None
    return max(0.0, value)
