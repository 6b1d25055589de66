"""Who may talk to the API server, and from where.

- Loopback only unless the user turns on LAN serving, which needs an API key (made with ``secrets``, kept in
  the OS keyring by the caller, compared in constant time).
- The ``Host`` header must name this machine (a DNS-rebinding page in a browser names its own host: refused).
- No CORS headers unless the request's origin is on the user's allow-list; a browser request from any other
  origin is refused before it reaches the model.
- Bodies are capped; a body without a length is refused.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass, field

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "localhost.localdomain"}
DEFAULT_PORT = 1234  # as LM Studio: clients' examples already point there
MAX_BODY_BYTES = 8 * 1024 * 1024


def new_api_key() -> str:
    return "hearth-" + secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() in LOOPBACK_NAMES


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    api_key: str = ""  # "" = none (loopback only)
    cors_origins: list[str] = field(default_factory=list)  # exact origins, e.g. "http://localhost:3000"
    max_body_bytes: int = MAX_BODY_BYTES
    max_waiting: int = 16  # requests waiting for the engine beyond the one it serves
    queue_timeout_s: float = 300.0

    @property
    def lan(self) -> bool:
        return not is_loopback(self.host)

    def problem(self) -> str:
        """'' when this configuration may run, else why not."""
        if not 0 <= self.port <= 65535:
            return f"the port must be between 1 and 65535 (got {self.port})"
        if self.lan and len(self.api_key) < 16:
            return ("serving beyond this computer needs an API key (at least 16 characters): every device on the "
                    "network could otherwise use the model")
        return ""


def machine_names(bound_host: str) -> set[str]:
    """Names a client may put in ``Host`` for this machine: loopback always; when serving on the LAN also the
    host name and this machine's addresses."""
    names = set(LOOPBACK_NAMES) | {"[::1]"}
    if not is_loopback(bound_host):
        host = socket.gethostname().lower()
        names |= {host, f"{host}.local", bound_host.lower()}
        try:
            names |= {a.lower() for a in socket.gethostbyname_ex(socket.gethostname())[2]}
        except OSError:
            pass
        try:
            import psutil

            for addrs in psutil.net_if_addrs().values():
                for a in addrs:
                    if a.family in (socket.AF_INET, socket.AF_INET6):
                        ip = a.address.split("%")[0].lower()
                        names |= {ip, f"[{ip}]"}
        except Exception:  # psutil missing or refusing: the names above still work
            pass
    return names


def host_allowed(header: str | None, names: set[str]) -> bool:
    if not header:
        return False
    h = header.strip().lower()
    if h.startswith("["):  # [::1]:1234
        name = h.split("]")[0] + "]"
    else:
        name = h.rsplit(":", 1)[0] if h.count(":") == 1 else h
    return name in names or name.strip("[]") in names


def key_ok(header: str | None, key: str) -> bool:
    """``Authorization: Bearer <key>``, compared in constant time."""
    if not key:
        return True
    if not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[7:].strip().encode(), key.encode())


def origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    """No Origin (not a browser): allowed. A browser's origin: only when listed exactly."""
    if origin is None:
        return True
    return origin.rstrip("/") in {o.rstrip("/") for o in allowed}
