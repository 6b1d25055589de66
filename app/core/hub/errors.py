"""Turn what can go wrong when talking to the Hub into one exception with a kind and a sentence for people."""
from __future__ import annotations

import errno

from app.core import i18n
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
    """``what``: the operation, as a sentence's subject ("Downloading x.gguf"), usually a translated Text."""
    if status in (401, 403):
        return HubError("auth", i18n.translate(
            "HubErrors", "{what}: the Hub refused access (HTTP {status}). This repository is gated or private: "
                         "accept its terms on the Hub and add your Hugging Face token.").format(
            what=what, status=status), status)
    if status == 404:
        return HubError("not_found", i18n.translate(
            "HubErrors", "{what}: not found on the Hub (HTTP 404). Check the repository and file names; the file "
                         "may have been removed.").format(what=what), status)
    if status == 416:
        return HubError("http", i18n.translate(
            "HubErrors", "{what}: the server refused the byte range (HTTP 416).").format(what=what), status)
    if status == 429:
        return HubError("server", i18n.translate(
            "HubErrors", "{what}: the Hub is rate-limiting requests (HTTP 429). Try again in a minute.").format(
            what=what), status)
    if status >= 500:
        return HubError("server", i18n.translate(
            "HubErrors", "{what}: the Hub had a server error (HTTP {status}). Try again later.").format(
            what=what, status=status), status)
    return HubError("http", i18n.translate("HubErrors", "{what}: the Hub answered HTTP {status}.").format(
        what=what, status=status), status)


def _what_error(what: str, exc: BaseException) -> str:
    return i18n.translate("HubErrors", "{what}: {error}").format(what=what, error=exc)


def translate(exc: BaseException, what: str) -> HubError:
    """Map any exception from huggingface_hub / httpx2 / the file system to a :class:`HubError`."""
    if isinstance(exc, HubError):
        return exc
    if isinstance(exc, OfflineError):
        return HubError("offline", i18n.said(exc))
    if isinstance(exc, BlockedHostError):
        return HubError("blocked", _what_error(what, exc))
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
        return HubError("network", i18n.translate(
            "HubErrors", "{what}: the connection timed out. Check your connection and try again.").format(what=what))
    if isinstance(exc, (httpx2.NetworkError, httpx2.RemoteProtocolError, httpx2.ProxyError)):
        return HubError("network", i18n.translate(
            "HubErrors", "{what}: the connection failed ({type}: {error}). Check your connection and try "
                         "again.").format(what=what, type=type(exc).__name__, error=exc))
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return HubError("disk_full", i18n.translate(
                "HubErrors", "{what}: the disk is full. The partial download was kept; free some space and "
                             "resume.").format(what=what))
        return HubError("disk", _what_error(what, exc))
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return HubError("other", i18n.translate(
            "HubErrors", "{what}: the Hub sent an answer Hearth could not understand ({error}).").format(
            what=what, error=exc))
    return HubError("other", i18n.translate("HubErrors", "{what}: {type}: {error}").format(
        what=what, type=type(exc).__name__, error=exc))
