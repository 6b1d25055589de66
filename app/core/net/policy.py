"""The network policy: Offline mode, the Hub endpoint and its allowed hosts, request purposes and the network log.

Every HTTP request Hearth makes goes through the ``httpx2`` client of :mod:`app.core.net.transport`, which
huggingface_hub uses for all its calls once :func:`app.core.net.client.install` has run. The client's transport

- refuses to open any connection while Offline mode is on (:class:`OfflineError`, raised before a socket
  exists),
- only talks to the configured Hub endpoint (and, for the official Hub, its own download hosts),
- records every request (time, method, host, path, status, bytes, purpose) in :class:`NetworkLog`,
- keeps TLS verification on (it is never turned off anywhere in Hearth) and honours the system proxy
  (``HTTP(S)_PROXY``/``NO_PROXY``, and the OS proxy settings on Windows and macOS through ``urllib``),
- gives every request a time limit, so nothing waits forever on a dead connection.

Headers (and so the Hub token) are never logged.
"""
from __future__ import annotations

import collections
import contextlib
import contextvars
import ipaddress
import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

import urllib.parse

from app.core.i18n import translate

log = logging.getLogger("hearth.network")

DEFAULT_ENDPOINT = "https://huggingface.co"
OFFICIAL_HOST_SUFFIXES = (".huggingface.co", ".hf.co")
TIMEOUTS = {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 10.0}


class OfflineError(RuntimeError):
    """Raised instead of opening a connection while Offline mode is on."""


class BlockedHostError(RuntimeError):
    """Raised for a request to a host other than the configured Hub endpoint (or a backend the user added)."""


@dataclass
class RequestRecord:
    time: float
    method: str
    host: str
    path: str
    status: int
    bytes_in: int
    bytes_out: int
    purpose: str
    error: str = ""
    direction: str = "out"  # out: Hearth asked a server; in: a client asked Hearth's API server
    tokens: int = 0  # in: tokens generated for the request


class NetworkLog:
    """Recent requests, in memory and in a JSONL file that is trimmed to about ``max_entries`` lines."""

    def __init__(self, path: Path | None = None, max_entries: int = 2000) -> None:
        self.path = path
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: collections.deque[RequestRecord] = collections.deque(maxlen=max_entries)
        self._lines_in_file = 0
        self._listeners: list[Callable[[RequestRecord], None]] = []
        if path is not None and path.exists():
            self._load()

    def _load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            log.warning("could not read the network log %s: %s", self.path, exc)
            return
        self._lines_in_file = len(lines)
        for line in lines[-self.max_entries:]:
            try:
                self._entries.append(RequestRecord(**json.loads(line)))
            except (ValueError, TypeError):
                continue  # a damaged line (e.g. a crash while writing) is skipped, the rest is kept

    def add(self, rec: RequestRecord) -> None:
        with self._lock:
            self._entries.append(rec)
            if self.path is not None:
                try:
                    self._append_line(json.dumps(asdict(rec), ensure_ascii=False))
                except OSError as exc:
                    log.warning("could not write the network log: %s", exc)
            listeners = list(self._listeners)
        for cb in listeners:
            try:
                cb(rec)
            except Exception:  # a listener must never break a download
                log.exception("network log listener failed")

    def _append_line(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._lines_in_file >= 2 * self.max_entries:
            keep = [json.dumps(asdict(r), ensure_ascii=False) for r in self._entries]
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("\n".join(keep) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
            self._lines_in_file = len(keep)
            return
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
        self._lines_in_file += 1

    def entries(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._lines_in_file = 0
            if self.path is not None:
                with contextlib.suppress(OSError):
                    self.path.unlink()

    def subscribe(self, cb: Callable[[RequestRecord], None]) -> None:
        with self._lock:
            self._listeners.append(cb)

    def unsubscribe(self, cb: Callable[[RequestRecord], None]) -> None:
        with self._lock:
            if cb in self._listeners:
                self._listeners.remove(cb)


# ---- global state -------------------------------------------------------------------------------------------
_offline = threading.Event()
_endpoint_setting = ""
_log = NetworkLog()
_purpose: contextvars.ContextVar[str] = contextvars.ContextVar("hearth_network_purpose", default="")


def configure(*, offline: bool, endpoint: str = "", log_path: Path | None = None) -> None:
    """Apply the user's settings. Hearth's client is installed into huggingface_hub by ``require_online`` (every
    network operation calls it first) or ``session``, not here: importing the HTTP stack costs ~0.2 s, which
    the app should not pay at start-up, nor at all in Offline mode."""
    global _endpoint_setting, _log
    set_offline(offline)
    _endpoint_setting = endpoint.strip()
    if log_path is not None and _log.path != log_path:
        listeners = _log._listeners
        _log = NetworkLog(log_path)
        _log._listeners = listeners


def set_offline(on: bool) -> None:
    if on:
        _offline.set()
    else:
        _offline.clear()


def is_offline() -> bool:
    return _offline.is_set()


def network_log() -> NetworkLog:
    return _log


def endpoint(setting: str | None = None) -> str:
    """The Hub endpoint in force: ``HF_ENDPOINT`` when set (as in huggingface_hub), else the setting, else
    the official Hub."""
    env = os.environ.get("HF_ENDPOINT", "").strip()
    chosen = env or (setting if setting is not None else _endpoint_setting).strip() or DEFAULT_ENDPOINT
    return chosen.rstrip("/")


@contextlib.contextmanager
def purpose(name: str) -> Iterator[None]:
    """Label the requests made inside the block (shown in the network log)."""
    token = _purpose.set(name)
    try:
        yield
    finally:
        _purpose.reset(token)


def guess_purpose(method: str, path: str, has_range: bool) -> str:
    if path.startswith("/api/models") and "/tree/" not in path and path.count("/") <= 2:
        return "search"
    if path.startswith("/api/"):
        return "repository"
    if "/resolve/" in path:
        if method == "HEAD":
            return "file metadata"
        return "header read" if has_range else "download"
    return "other"


def host_allowed(host: str, ep: str | None = None) -> bool:
    ep_host = (urllib.parse.urlsplit(ep or endpoint()).hostname or "").lower()
    host = host.lower()
    if host == ep_host:
        return True
    try:
        ipaddress.ip_address(ep_host)
        return False  # an IP endpoint has no subdomains
    except ValueError:
        pass
    labels = ep_host.split(".")
    base = ".".join(labels[-2:]) if len(labels) >= 2 else ep_host
    if host == base or host.endswith("." + base):
        return True
    official = any(ep_host == s[1:] or ep_host.endswith(s) for s in OFFICIAL_HOST_SUFFIXES)
    return official and any(host == s[1:] or host.endswith(s) for s in OFFICIAL_HOST_SUFFIXES)


# ---- remote backends (app/core/remote) -----------------------------------------------------------------------
# The hosts of the backends the user added, as (host, port): the only other places Hearth's backend client may
# connect to. Offline mode still means no internet: a public backend is refused then, a backend on this machine
# or the local network (loopback, private, link-local, .local) stays usable because the user added it.
_backend_hosts: set[tuple[str, int]] = set()
_backend_lock = threading.Lock()


def set_backend_hosts(hosts) -> None:
    """Replace the allowed backend hosts: an iterable of (host, port)."""
    with _backend_lock:
        _backend_hosts.clear()
        _backend_hosts.update((h.lower().strip("[]"), int(p)) for h, p in hosts)


def allow_backend_host(host: str, port: int) -> None:
    with _backend_lock:
        _backend_hosts.add((host.lower().strip("[]"), int(port)))


def backend_host_allowed(host: str, port: int) -> bool:
    with _backend_lock:
        return (host.lower().strip("[]"), int(port)) in _backend_hosts


def is_local_network_host(host: str) -> bool:
    """This machine or the local network: loopback, private (RFC 1918, fc00::/7), link-local, ``.local``
    (mDNS) and ``localhost``. Everything else is the internet."""
    host = host.lower().strip("[]").rstrip(".")
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".local"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_link_local:
        return True
    if isinstance(ip, ipaddress.IPv4Address):
        return any(ip in net for net in _PRIVATE_V4)
    return ip in _PRIVATE_V6


_PRIVATE_V4 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
_PRIVATE_V6 = ipaddress.ip_network("fc00::/7")


def check_backend_request(host: str, port: int) -> None:
    """Raise unless Hearth may connect to this backend now (see ``set_backend_hosts``)."""
    if not backend_host_allowed(host, port):
        raise BlockedHostError(translate("NetPolicy", "Hearth only connects to backends you added; {host}:{port} is "
                                                      "not one of them.").format(host=host, port=port))
    if _offline.is_set() and not is_local_network_host(host):
        raise OfflineError(translate("NetPolicy", "Offline mode is on: Hearth did not connect to {host} (a backend on "
                                                  "the internet). Turn Offline mode off to use it.").format(host=host))
