"""The Hugging Face token: kept in the OS keyring (the ``keyring`` package).

When no usable keyring exists (a headless Linux box without a Secret Service), the token goes to a file
readable only by the user, and :func:`location` says so plainly. The token is never written to the
settings file, the logs or the network log.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from app.core.i18n import translate

log = logging.getLogger("hearth.token")

SERVICE = "Hearth"
ACCOUNT = "huggingface-token"


def keyring_usable():
    """The keyring module when a real keyring backend works here (not the fail or a null backend), else None.
    The API server's key (app/core/server/keys.py) uses it too."""
    try:
        import keyring
        from keyring.backends import fail

        kr = keyring.get_keyring()
        if isinstance(kr, fail.Keyring) or getattr(kr, "priority", 1) <= 0:
            return None
        return keyring
    except Exception as exc:  # keyring import or backend discovery can fail on odd systems
        log.warning("no usable keyring: %s", exc)
        return None


def _fallback_file(config_dir: Path) -> Path:
    return config_dir / "hub-token"


def read_secret(config_dir: Path, account: str, file_name: str) -> str:
    """A secret kept by :func:`write_secret` ('' when there is none): the keyring first, then the private file.
    The API server's key (app/core/server/keys.py) is kept the same way."""
    kr = keyring_usable()
    if kr is not None:
        try:
            value = kr.get_password(SERVICE, account)
            if value:
                return value
        except Exception as exc:
            log.warning("could not read %s from the keyring: %s", account, exc)
    try:
        return (Path(config_dir) / file_name).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def write_secret(config_dir: Path, account: str, file_name: str, value: str) -> Path | None:
    """Keep ``value`` in the keyring (None) or, where none works, in a file only the user can read (its path)."""
    kr = keyring_usable()
    if kr is not None:
        try:
            kr.set_password(SERVICE, account, value)
            (Path(config_dir) / file_name).unlink(missing_ok=True)
            return None
        except Exception as exc:
            log.warning("could not store %s in the keyring, using a private file: %s", account, exc)
    f = Path(config_dir) / file_name
    f.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value)
    os.chmod(f, 0o600)
    return f


def get_token(config_dir: Path) -> str | None:
    return read_secret(config_dir, ACCOUNT, _fallback_file(config_dir).name) or None


def set_token(config_dir: Path, token: str) -> str:
    """Store the token; returns a sentence saying where it went."""
    token = token.strip()
    if not token:
        raise ValueError(translate("HubToken", "The token is empty."))
    if any(c.isspace() for c in token) or len(token) > 1000:
        raise ValueError(translate("HubToken", "That does not look like a Hugging Face token (it has spaces or is "
                                               "far too long)."))
    write_secret(config_dir, ACCOUNT, _fallback_file(config_dir).name, token)
    return location(config_dir)


def delete_token(config_dir: Path) -> None:
    kr = keyring_usable()
    if kr is not None:
        try:
            kr.delete_password(SERVICE, ACCOUNT)
        except Exception:
            pass
    _fallback_file(config_dir).unlink(missing_ok=True)


def location(config_dir: Path) -> str:
    kr = keyring_usable()
    if kr is not None and not _fallback_file(config_dir).exists():
        name = type(kr.get_keyring()).__name__
        return translate("HubToken", "Your Hugging Face token is stored in the system keyring ({name}).").format(
            name=name)
    return translate("HubToken", "No system keyring is available, so your Hugging Face token is stored in {path} "
                                 "(readable only by your user account).").format(path=_fallback_file(config_dir))
