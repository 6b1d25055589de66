"""The one door to the network: policy (Offline mode, allowed hosts, the network log) and the HTTP client
huggingface_hub uses. See README.md here for the map."""
from app.core.net.policy import (  # noqa: F401
    OfflineError,
    BlockedHostError,
    RequestRecord,
    NetworkLog,
    configure,
    set_offline,
    is_offline,
    network_log,
    endpoint,
    purpose,
    guess_purpose,
    host_allowed,
    DEFAULT_ENDPOINT,
    OFFICIAL_HOST_SUFFIXES,
    TIMEOUTS,
)
from app.core.net.client import install, require_online, session  # noqa: F401

__all__ = ["OfflineError", "BlockedHostError", "RequestRecord", "NetworkLog", "configure", "set_offline", "is_offline", "network_log", "endpoint", "purpose", "guess_purpose", "host_allowed", "DEFAULT_ENDPOINT", "OFFICIAL_HOST_SUFFIXES", "TIMEOUTS", "install", "require_online", "session"]
