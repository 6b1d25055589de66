"""Names that come from the Hub (repository ids, file names) checked before they become paths on disk: a hostile
name must never escape the models folder."""
from __future__ import annotations

import re

from app.core.i18n import translate

REPO_PART_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


class UnsafeNameError(ValueError):
    """A name from the Hub that would escape the models folder."""


def safe_repo_id(repo_id: str) -> str:
    parts = repo_id.split("/")
    if len(parts) != 2 or not all(REPO_PART_RE.match(p) and ".." not in p for p in parts):
        raise UnsafeNameError(translate("HubNames", "{repo!r} is not a valid repository name (expected "
                                                    "owner/name).").format(repo=repo_id))
    return repo_id


def safe_relpath(name: str) -> str:
    """A file name from the Hub as a safe relative POSIX path, or :class:`UnsafeNameError`."""
    if not name or len(name) > 1000:
        raise UnsafeNameError(translate("HubNames", "empty or overlong file name"))
    if "\x00" in name or any(ord(c) < 32 for c in name):
        raise UnsafeNameError(translate("HubNames", "file name {name!r} contains control characters").format(name=name))
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or name.startswith("~"):
        raise UnsafeNameError(translate("HubNames", "file name {name!r} is an absolute path").format(name=name))
    parts = re.split(r"[\\/]", name)
    if any(p in ("", ".", "..") or p.endswith((" ", ".")) or ":" in p for p in parts):
        raise UnsafeNameError(translate("HubNames", "file name {name!r} is not a plain relative path").format(
            name=name))
    return "/".join(parts)
