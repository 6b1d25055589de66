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

from app.core.i18n import QT_TRANSLATE_NOOP, translate

F = TypeVar("F", bound=Callable)

# (substring of the sqlite3 message, kind, what we tell the user: shown as translate("ChatStore", text))
_KNOWN = (
    ("disk is full", "disk_full", QT_TRANSLATE_NOOP("ChatStore", "the disk is full; free some space and try again")),
    ("malformed", "damaged", QT_TRANSLATE_NOOP("ChatStore", "the chats database is damaged")),
    ("not a database", "damaged", QT_TRANSLATE_NOOP("ChatStore", "the file is not a chats database or it is damaged")),
    ("disk i/o error", "damaged", QT_TRANSLATE_NOOP("ChatStore", "a disk read or write failed")),
    ("locked", "busy", QT_TRANSLATE_NOOP("ChatStore", "the chats database is busy (is another Hearth window open?)")),
    ("busy", "busy", QT_TRANSLATE_NOOP("ChatStore", "the chats database is busy (is another Hearth window open?)")),
    ("readonly", "read_only", QT_TRANSLATE_NOOP("ChatStore", "the chats database is read-only")),
    ("read-only", "read_only", QT_TRANSLATE_NOOP("ChatStore", "the chats database is read-only")),
    ("closed database", "closed", QT_TRANSLATE_NOOP("ChatStore", "the chat store is closed")),
    ("thread", "thread",
     QT_TRANSLATE_NOOP("ChatStore", "the chat store was used from a thread other than the one that opened it")),
    ("unable to open", "cannot_open", QT_TRANSLATE_NOOP("ChatStore", "the chats database file cannot be opened")),
)
_OTHER = QT_TRANSLATE_NOOP("ChatStore", "a database error occurred")


class StoreError(Exception):
    """A database problem. ``str(err)`` is a sentence for the user; ``kind`` is for code."""

    def __init__(self, message: str, *, kind: str = "other"):
        super().__init__(message)
        self.kind = kind

    @property
    def damaged(self) -> bool:
        return self.kind == "damaged"


def classify(exc: BaseException) -> tuple[str, str]:
    """(kind, plain description in the current language) for a sqlite3 error."""
    text = str(exc).lower()
    for needle, kind, said in _KNOWN:
        if needle in text:
            return kind, translate("ChatStore", said)
    return "other", translate("ChatStore", _OTHER)


def to_store_error(exc: sqlite3.Error, action: str) -> StoreError:
    """``action``: what could not be done, already in the current language (an action such as "create a
    conversation" translated in the ChatStore context; its translation is the whole "could not" clause)."""
    kind, said = classify(exc)
    return StoreError(translate("ChatStore", "Could not {action}: {problem} ({error}).").format(
        action=action, problem=said, error=exc), kind=kind)


def guarded(action: str) -> Callable[[F], F]:
    """Decorator: sqlite3 errors raised by the method become ``StoreError("Could not <action>: ...")``.
    ``action`` is marked for the translators where it is written (QT_TRANSLATE_NOOP in the ChatStore context)."""

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
                raise to_store_error(exc, translate("ChatStore", action)) from exc

        return inner  # type: ignore[return-value]

    return wrap
