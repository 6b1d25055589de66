"""The chats database schema and its migrations.

The schema version lives in ``PRAGMA user_version``. ``STEPS[n]`` turns a version ``n-1`` database into version
``n``; a new database is built by running every step from 0, so the migration path is the path every install
takes. Before migrating an existing database (version >= 1) a copy is written next to it with the sqlite
backup API as ``<name>.bak-v<old>``. All steps run in one transaction: a failure (or a crash) leaves the
database exactly at its old version.

To change the schema: add ``_V4`` below, append it to ``STEPS``, and add a test that migrates a v3 file.
Never edit an existing step. ``executescript`` is not used because it commits the open transaction.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from app.core.chats.errors import StoreError
from app.core.i18n import translate

log = logging.getLogger("hearth.chats")

_V1 = (
    """CREATE TABLE conversations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        current_leaf INTEGER REFERENCES messages(id) ON DELETE SET NULL
    )""",
    # parent_id has no ON DELETE action on purpose: nothing disappears by cascade along the tree
    # (delete_subtree deletes an explicit id list), and a deep cascade would hit SQLite's trigger depth limit.
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id),
        role TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'done',
        stats TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE INDEX messages_by_conversation ON messages(conversation_id, parent_id, id)",
    "CREATE INDEX messages_by_parent ON messages(parent_id, id)",
    "CREATE INDEX messages_streaming ON messages(state) WHERE state = 'streaming'",
    "CREATE INDEX conversations_by_update ON conversations(updated_at DESC, id DESC)",
    """CREATE TABLE presets (
        name TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at REAL NOT NULL
    )""",
)

# v2: full-text search over message text and conversation titles (external-content FTS5 tables kept in step
# by triggers; an UPDATE that does not touch the text, e.g. a state change, does not touch the index).
_V2 = (
    """CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE VIRTUAL TABLE conversations_fts USING fts5(
        title, content='conversations', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    """CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END""",
    """CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    """CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
    END""",
    """CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
        INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
        INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
    END""",
    # index what a v1 database already holds
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
    "INSERT INTO conversations_fts(conversations_fts) VALUES ('rebuild')",
)


# v3: images stored with their message (one row per image, in order; the bytes of a PNG or JPEG). They go when
# their message goes (ON DELETE CASCADE: one level, no deep cascade); secure_delete overwrites them in the file.
_V3 = (
    """CREATE TABLE message_images (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        mime TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL,
        UNIQUE (message_id, position)
    )""",
)


def _run(statements: tuple[str, ...]):
    def step(conn: sqlite3.Connection) -> None:
        for sql in statements:
            conn.execute(sql)

    return step


# STEPS[n] migrates version n-1 -> n (index 0 unused)
STEPS = (None, _run(_V1), _run(_V2), _run(_V3))
LATEST = len(STEPS) - 1


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def backup_path(db_path: Path, old_version: int) -> Path:
    return db_path.with_name(f"{db_path.name}.bak-v{old_version}")


def backup_to(conn: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy of the open database (WAL content included) at ``dest`` via the backup API."""
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(str(tmp))
    try:
        conn.backup(target)
    finally:
        target.close()
    tmp.replace(dest)


def check_version(version: int) -> None:
    if version > LATEST:
        raise StoreError(translate(
            "ChatStore", "The chats database has schema version {version}, newer than this Hearth understands "
            "({latest}); it was written by a newer Hearth. Update Hearth to open it.").format(
                version=version, latest=LATEST), kind="newer_version")


def migrate(conn: sqlite3.Connection, db_path: Path | None, target: int = LATEST) -> int:
    """Bring the database to ``target``; returns the version it had before. Backs up a non-empty database first."""
    old = user_version(conn)
    check_version(old)
    if old >= target:
        return old
    if old >= 1 and db_path is not None:
        dest = backup_path(db_path, old)
        try:
            backup_to(conn, dest)
        except (OSError, sqlite3.Error) as exc:  # no backup, no migration
            kind = "disk_full" if "full" in str(exc).lower() or getattr(exc, "errno", 0) == 28 else "other"
            raise StoreError(translate("ChatStore", "Could not back up the chats database to {dest} before "
                                       "upgrading it ({error}); nothing was changed.").format(dest=dest, error=exc),
                             kind=kind) from exc
        log.info("backed up chats database v%d to %s before migrating", old, dest)
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = user_version(conn)  # another process may have migrated while we waited for the lock
        for version in range(start + 1, target + 1):
            STEPS[version](conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if old < target:
        log.info("chats database migrated from v%d to v%d", old, target)
    return old
