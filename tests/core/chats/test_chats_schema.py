"""Schema versions and migrations: a v1 file (no search) is backed up and upgraded to v2 in one transaction."""
from __future__ import annotations

import sqlite3

import pytest

from app.core.chats import SCHEMA_VERSION, ChatStore, StoreError, schema


def make_v1(path):
    """A version-1 database with one conversation, written the way Hearth v1 wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.migrate(conn, None, target=1)
    conn.execute("INSERT INTO conversations (title, created_at, updated_at, settings) "
                 "VALUES ('Old chat', 1.0, 2.0, '{\"model\": \"old.gguf\"}')")
    conn.execute("INSERT INTO messages (conversation_id, parent_id, role, content, state, stats, created_at, "
                 "updated_at) VALUES (1, NULL, 'user', 'ancient pelican question', 'done', '{}', 1.0, 1.0)")
    conn.execute("INSERT INTO messages (conversation_id, parent_id, role, content, state, stats, created_at, "
                 "updated_at) VALUES (1, 1, 'assistant', 'pelican answer', 'streaming', '{}', 2.0, 2.0)")
    conn.execute("UPDATE conversations SET current_leaf = 2")
    conn.close()


def tables(conn):
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}


def test_new_database_is_latest_without_backup(db_path):
    with ChatStore(db_path) as s:
        assert s.schema_version == SCHEMA_VERSION == 3
        assert {"messages_fts", "conversations_fts", "messages_fts_update"} <= tables(s.conn)
    assert list(db_path.parent.glob("*.bak-*")) == []


def test_v1_is_backed_up_and_migrated(db_path):
    make_v1(db_path)
    with ChatStore(db_path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.get_conversation(1).settings == {"model": "old.gguf"}
        assert [m.content for m in s.branch(1)] == ["ancient pelican question", "pelican answer"]
        assert sorted(h.message_id for h in s.search("pelican")) == [1, 2]  # old rows were indexed
        assert s.mark_interrupted() == 1
        m = s.add_message(1, 2, "user", "new pelican follow-up")
        assert m.id in [h.message_id for h in s.search("follow")]
        assert s.integrity_check() == "ok"
    backup = db_path.with_name("chats.sqlite3.bak-v1")
    assert backup.is_file()
    b = sqlite3.connect(backup)
    assert b.execute("PRAGMA user_version").fetchone()[0] == 1
    assert b.execute("SELECT count(*) FROM messages").fetchone()[0] == 2  # WAL content included
    assert "messages_fts" not in tables(b)
    b.close()
    with ChatStore(db_path) as s:  # a second open does not migrate or back up again
        assert s.schema_version == SCHEMA_VERSION


def test_failed_migration_leaves_v1_untouched(db_path, monkeypatch):
    make_v1(db_path)

    real_v2 = schema.STEPS[2]

    def broken_v2(conn):
        real_v2(conn)  # does all the real work, then fails
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(schema, "STEPS", (None, schema.STEPS[1], broken_v2))
    with pytest.raises(StoreError, match="prepare the chats database"):
        ChatStore(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "messages_fts" not in tables(conn)
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 2
    conn.close()
    assert db_path.with_name("chats.sqlite3.bak-v1").is_file()
    monkeypatch.undo()
    with ChatStore(db_path) as s:  # the next start migrates normally
        assert s.schema_version == SCHEMA_VERSION


def test_newer_database_is_refused_untouched(db_path):
    with ChatStore(db_path) as s:
        s.create_conversation("from the future")
        s.conn.execute("PRAGMA user_version = 7")
    before = db_path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            ChatStore(db_path, read_only=read_only)
        assert err.value.kind == "newer_version" and "newer" in str(err.value)
    assert db_path.read_bytes() == before


def test_read_only_open_does_not_migrate(db_path):
    make_v1(db_path)
    with ChatStore(db_path, read_only=True) as s:
        assert s.schema_version == 1
        assert [m.content for m in s.branch(1)][0] == "ancient pelican question"
        with pytest.raises(StoreError):
            s.search("pelican")  # no index in v1
    assert not db_path.with_name("chats.sqlite3.bak-v1").exists()


def test_foreign_sqlite_file_is_not_adopted(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE conversations (something)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="already exists"):
        ChatStore(db_path)
