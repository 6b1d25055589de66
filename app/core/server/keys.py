"""The API server's key: made with ``secrets``, kept in the OS keyring (the ``keyring`` package), or, where no
keyring works (a headless Linux box without a Secret Service), in a file only the user can read. Never in the
settings file, the logs or the network log."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from app.core.hub.token import keyring_usable
from app.core.server.security import new_api_key

log = logging.getLogger("hearth.server")

SERVICE = "Hearth"
ACCOUNT = "api-server-key"
FILE_NAME = "api-server-key"


def get_key(config_dir: Path) -> str:
    """The stored key, '' when there is none."""
    kr = keyring_usable()
    if kr is not None:
        try:
            value = kr.get_password(SERVICE, ACCOUNT)
            if value:
                return value
        except Exception as exc:
            log.warning("could not read the API key from the keyring: %s", exc)
    try:
        return (Path(config_dir) / FILE_NAME).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def store_key(config_dir: Path, key: str) -> str:
    """Keep ``key``; returns where, in words."""
    kr = keyring_usable()
    if kr is not None:
        try:
            kr.set_password(SERVICE, ACCOUNT, key)
            (Path(config_dir) / FILE_NAME).unlink(missing_ok=True)
            return "the system keyring"
        except Exception as exc:
            log.warning("could not store the API key in the keyring, using a private file: %s", exc)
    f = Path(config_dir) / FILE_NAME
    f.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key)
    os.chmod(f, 0o600)
    return f"a private file ({f})"


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
