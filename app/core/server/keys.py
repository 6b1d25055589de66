"""The API server's key: made with ``secrets``, kept in the OS keyring (the ``keyring`` package), or, where no
keyring works (a headless Linux box without a Secret Service), in a file only the user can read. Never in the
settings file, the logs or the network log."""
from __future__ import annotations

from pathlib import Path

from app.core.hub.token import read_secret, write_secret
from app.core.server.security import new_api_key

ACCOUNT = "api-server-key"
FILE_NAME = "api-server-key"


def get_key(config_dir: Path) -> str:
    """The stored key, '' when there is none."""
    return read_secret(config_dir, ACCOUNT, FILE_NAME)


def store_key(config_dir: Path, key: str) -> str:
    """Keep ``key``; returns where, in words."""
    f = write_secret(config_dir, ACCOUNT, FILE_NAME, key)
    return "the system keyring" if f is None else f"a private file ({f})"


def get_or_create_key(config_dir: Path) -> tuple[str, bool]:
    """(the key, whether it was just made)."""
    key = get_key(config_dir)
    if key:
        return key, False
    key = new_api_key()
    store_key(config_dir, key)
    return key, True


def renew_key(config_dir: Path) -> str:
    key = new_api_key()
    store_key(config_dir, key)
    return key
