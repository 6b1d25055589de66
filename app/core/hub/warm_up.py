"""Warm the network stack up before the Models page needs it."""
from __future__ import annotations


def warm_up() -> None:
    """Import the parts of huggingface_hub the Models page uses and build the shared client (its TLS context
    loads the CA bundle). Takes a few hundred ms, holding the GIL most of that time: the GUI runs it on a
    worker thread right after the page is built, so no search or download pays for it later. Opens no
    connection (safe in Offline mode)."""
    from app.core.net.client import install, session

    install()
    from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_url  # noqa: F401
    from huggingface_hub.utils import build_hf_headers, hf_raise_for_status  # noqa: F401

    from app.core.downloads import downloader  # noqa: F401
    from app.core.hub import errors  # noqa: F401

    session()
