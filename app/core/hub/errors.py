"""Turn what can go wrong when talking to the Hub into one exception with a kind and a sentence for people."""
from __future__ import annotations

import errno

from app.core.net import BlockedHostError, OfflineError

KINDS = ("offline", "blocked", "network", "auth", "not_found", "server", "disk_full", "disk", "verify",
         "unsafe", "http", "other")


class HubError(RuntimeError):
    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.kind in ("network", "server")


def _status_of(exc: BaseException) -> int | None:
    resp = getattr(exc, "response", None)
    return getattr(resp, "status_code", None)


def from_status(status: int, what: str) -> HubError:
    if status in (401, 403):
        return HubError("auth", f"{what}: the Hub refused access (HTTP {status}). This repository is gated or "
                                "private: accept its terms on the Hub and add your Hugging Face token.", status)
    if status == 404:
        return HubError("not_found", f"{what}: not found on the Hub (HTTP 404). Check the repository and file "
                                     "names; the file may have been removed.", status)
    if status == 416:
        return HubError("http", f"{what}: the server refused the byte range (HTTP 416).", status)
    if status == 429:
        return HubError("server", f"{what}: the Hub is rate-limiting requests (HTTP 429). Try again in a minute.",
                        status)
    if status >= 500:
        return HubError("server", f"{what}: the Hub had a server error (HTTP {status}). Try again later.", status)
    return HubError("http", f"{what}: the Hub answered HTTP {status}.", status)


def translate(exc: BaseException, what: str) -> HubError:
    """Map any exception from huggingface_hub / httpx2 / the file system to a :class:`HubError`."""
    if isinstance(exc, HubError):
        return exc
    if isinstance(exc, OfflineError):
        return HubError("offline", str(exc))
    if isinstance(exc, BlockedHostError):
        return HubError("blocked", f"{what}: {exc}")
    import httpx2
    from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, RepositoryNotFoundError

    status = _status_of(exc)
    if isinstance(exc, GatedRepoError):
        return from_status(status or 401, what)
    if isinstance(exc, RepositoryNotFoundError) and status in (None, 404):
        return from_status(404, what)
    if isinstance(exc, HfHubHTTPError) and status is not None:
        return from_status(status, what)
    if isinstance(exc, httpx2.HTTPStatusError):
        return from_status(exc.response.status_code, what)
    if isinstance(exc, httpx2.TimeoutException):
        return HubError("network", f"{what}: the connection timed out. Check your connection and try again.")
    if isinstance(exc, (httpx2.NetworkError, httpx2.RemoteProtocolError, httpx2.ProxyError)):
        return HubError("network", f"{what}: the connection failed ({type(exc).__name__}: {exc}). "
                                   "Check your connection and try again.")
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return HubError("disk_full", f"{what}: the disk is full. The partial download was kept; free some "
                                         "space and resume.")
        return HubError("disk", f"{what}: {exc}")
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return HubError("other", f"{what}: the Hub sent an answer Hearth could not understand ({exc}).")
    return HubError("other", f"{what}: {type(exc).__name__}: {exc}")
