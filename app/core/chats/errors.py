"""The one exception type of the chat store, and the translation of sqlite3 errors into it.

Every public ``ChatStore`` method raises ``KeyError`` for an unknown id, ``ValueError`` for bad arguments and
``StoreError`` for anything that went wrong in the database itself. ``StoreError.kind`` lets the UI choose what
to offer: ``"damaged"`` -> offer "export what can be read" (see ``salvage.py``), ``"disk_full"`` -> ask the
user to free space, ``"busy"`` -> another Hearth process holds the database, ``"read_only"``, ``"closed"``,
``"newer_version"``, ``"other"``.
"""
from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

# (substring of the sqlite3 message, kind, what we tell the user)
_KNOWN = (
    ("disk is full", "disk_full", "the disk is full; free some space and try again"),
    ("malformed", "damaged", "the chats database is damaged"),
    ("not a database", "damaged", "the file is not a chats database or it is damaged"),
    ("disk i/o error", "damaged", "a disk read or write failed"),
    ("locked", "busy", "the chats database is busy (is another Hearth window open?)"),
    ("busy", "busy", "the chats database is busy (is another Hearth window open?)"),
    ("readonly", "read_only", "the chats database is read-only"),
    ("read-only", "read_only", "the chats database is read-only"),
    ("closed database", "closed", "the chat store is closed"),
    ("thread", "thread", "the chat store was used from a thread other than the one that opened it"),
    ("unable to open", "cannot_open", "the chats database file cannot be opened"),
)


class StoreError(Exception):
    """A database problem. ``str(err)`` is a sentence for the user; ``kind`` is for code."""

    def __init__(self, message: str, *, kind: str = "other"):
        super().__init__(message)
        self.kind = kind

    @property
    def damaged(self) -> bool:
        return self.kind == "damaged"


def classify(exc: BaseException) -> tuple[str, str]:
    """(kind, plain description) for a sqlite3 error."""
    text = str(exc).lower()
    for needle, kind, said in _KNOWN:
        if needle in text:
            return kind, said
    return "other", "a database error occurred"


def to_store_error(exc: sqlite3.Error, action: str) -> StoreError:
    kind, said = classify(exc)
    return StoreError(f"Could not {action}: {said} ({exc}).", kind=kind)


def guarded(action: str) -> Callable[[F], F]:
    """Decorator: sqlite3 errors raised by the method become ``StoreError("Could not <action>: ...")``."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except OverflowError:  # an id beyond SQLite's 64-bit range cannot exist
                raise KeyError("no record with an id that large") from None
            except sqlite3.Error as exc:
                if "binding parameter" in str(exc):  # e.g. a list passed as an id: a caller bug
                    raise TypeError(f"Could not {action}: {exc}") from exc
                raise to_store_error(exc, action) from exc

        return inner  # type: ignore[return-value]

    return wrap
