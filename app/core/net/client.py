"""Hearth's HTTP client installed into huggingface_hub, and the check every network operation starts with.

Importing the HTTP stack costs ~0.2 s: it happens here only when the network is first needed, never at start-up
and never in Offline mode.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from app.core.i18n import translate
from app.core.net import h11_buffer
from app.core.net.policy import OfflineError, is_offline

if TYPE_CHECKING:
    import httpx2

log = logging.getLogger("hearth.network")

_installed = False
_install_lock = threading.Lock()


def install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from huggingface_hub import constants
        from huggingface_hub.utils import set_client_factory

        constants.HF_HUB_DISABLE_TELEMETRY = True  # no torch/agent details in the user agent
        _larger_socket_reads()
        h11_buffer.install()
        from app.core.net.transport import make_client

        set_client_factory(make_client)
        _installed = True


def _larger_socket_reads() -> None:
    """httpcore reads a response 64 KB at a time; for multi-GB downloads the Python work per read (and the
    GIL hand-offs with the sha256 thread) then caps throughput at a third of curl's. With 1 MB reads (and
    :mod:`app.core.net.h11_buffer`, which stops h11 copying each block four times) it is close to curl's.
    A class attribute of httpcore's HTTP/1.1 connection: guarded, so a change there only costs speed."""
    try:
        from httpcore2._sync.http11 import HTTP11Connection

        if getattr(HTTP11Connection, "READ_NUM_BYTES", 0) < (1 << 20):
            HTTP11Connection.READ_NUM_BYTES = 1 << 20
    except ImportError:  # pragma: no cover - another httpcore layout
        log.info("httpcore layout changed; using its default read size")


def require_online(what: str) -> None:
    """Call before any network operation: refuses in Offline mode, and makes sure every request from here on
    goes through Hearth's client (offline check, endpoint allow-list, network log)."""
    if is_offline():
        raise OfflineError(translate("NetClient", "{what} needs a network connection, and Offline mode is on. "
                                                  "Turn Offline mode off to use it.").format(what=what))
    install()


def session() -> httpx2.Client:
    """huggingface_hub's shared client (ours once :func:`install` ran)."""
    install()
    from huggingface_hub.utils import get_session

    return get_session()
