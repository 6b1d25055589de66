"""Opening the chats database: connection settings, read-only URI, and a first read that surfaces damage.

One connection per ``ChatStore``, used from the thread that opened it (sqlite3's ``check_same_thread``
default). ``isolation_level=None``: the store writes ``BEGIN IMMEDIATE`` / ``COMMIT`` itself, so every change
is exactly one transaction and reads never hold a transaction open.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import quote

from app.core.chats.errors import StoreError, to_store_error
from app.core.i18n import translate

log = logging.getLogger("hearth.chats")

BUSY_TIMEOUT_MS = 5000


def read_only_uri(path: Path) -> str:
    """``file:`` URI opening ``path`` read-only; the path is percent-encoded so ``?``, ``#``, ``%`` are safe."""
    return "file:" + quote(str(Path(path).resolve()), safe="/") + "?mode=ro"


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """An open, configured connection; ``StoreError`` if the file cannot be opened or is not a database."""
    path = Path(path)
    if read_only and not path.is_file():
        raise StoreError(translate("ChatStore", "Could not open the chats database {path}: the file does not "
                                   "exist.").format(path=path), kind="cannot_open")
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        target, uri = (read_only_uri(path), True) if read_only else (str(path), False)
        conn = sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except OSError as exc:
        raise StoreError(translate("ChatStore", "Could not open the chats database {path}: {error}.").format(
            path=path, error=exc), kind="cannot_open") from exc
    except sqlite3.Error as exc:
        raise to_store_error(exc, _opening(path)) from exc
    try:
        _configure(conn, read_only)
    except sqlite3.Error as exc:
        conn.close()
        raise to_store_error(exc, _opening(path)) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _opening(path: Path) -> str:
    """The action of ``to_store_error`` ("Could not <action>: ...") for opening ``path``."""
    return translate("ChatStore", "open the chats database {path}").format(path=path)


def _configure(conn: sqlite3.Connection, read_only: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # reading the schema touches page 1: "file is not a database" shows up here, not at the first query
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.execute("PRAGMA foreign_keys = ON")
    if read_only:
        conn.execute("PRAGMA query_only = ON")
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # e.g. some network file systems; still correct, only slower
        log.warning("chats database could not switch to WAL (journal_mode=%s)", mode)
    # NORMAL is durable against process crashes in WAL mode; a power loss may drop the last commits
    conn.execute("PRAGMA synchronous = NORMAL")
    # a deleted chat is overwritten with zeros in the file, not left behind for a disk scan to find
    conn.execute("PRAGMA secure_delete = ON")
