"""Conversations, presets, argument checking and the store's lifecycle."""
from __future__ import annotations

import threading
import time

import pytest

from app.core.chats import DEFAULT_TITLE, ChatStore, StoreError, derive_title


def test_create_get_list_newest_first(store):
    a = store.create_conversation("alpha")
    b = store.create_conversation()
    assert b.title == DEFAULT_TITLE and b.settings == {} and b.current_leaf is None
    assert store.get_conversation(a.id) == a
    assert [c.id for c in store.list_conversations()] == [b.id, a.id]
    time.sleep(0.002)
    store.add_message(a.id, None, "user", "hi")  # activity moves a conversation to the top
    assert [c.id for c in store.list_conversations()] == [a.id, b.id]


def test_rename_settings_delete(store):
    c = store.create_conversation("x", {"model": "m.gguf"})
    store.rename_conversation(c.id, "renamed")
    store.update_conversation_settings(c.id, {"model": "n.gguf", "sampling": {"temperature": 0.2}, "ctx": 4096})
    got = store.get_conversation(c.id)
    assert got.title == "renamed"
    assert got.settings == {"model": "n.gguf", "sampling": {"temperature": 0.2}, "ctx": 4096}
    u = store.add_message(c.id, None, "user", "hello")
    store.add_message(c.id, u.id, "assistant", "hi")
    store.delete_conversation(c.id)
    with pytest.raises(KeyError):
        store.get_conversation(c.id)
    with pytest.raises(KeyError):
        store.get_message(u.id)
    assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert store.search("hello") == []


@pytest.mark.parametrize("call", [
    lambda s: s.get_conversation(999), lambda s: s.rename_conversation(999, "t"),
    lambda s: s.delete_conversation(999), lambda s: s.update_conversation_settings(999, {}),
    lambda s: s.set_current_leaf(999, None), lambda s: s.auto_title(999, "x"),
    lambda s: s.add_message(999, None, "user", "x"), lambda s: s.update_message(999, content="x"),
    lambda s: s.get_message(999), lambda s: s.children(999, None), lambda s: s.siblings(999),
    lambda s: s.path_to(999), lambda s: s.leaf_of(999), lambda s: s.branch(999),
    lambda s: s.delete_subtree(999), lambda s: s.export_json(999), lambda s: s.export_markdown(999),
    lambda s: s.delete_preset("nope"),
])
def test_unknown_ids_raise_key_error(store, call):
    with pytest.raises(KeyError):
        call(store)


def test_bad_arguments_raise_value_error(store):
    c = store.create_conversation()
    other = store.create_conversation()
    m = store.add_message(c.id, None, "user", "x")
    bad = [
        lambda: store.add_message(c.id, None, "robot", "x"),
        lambda: store.add_message(c.id, None, "user", "x", state="thinking"),
        lambda: store.add_message(c.id, None, "user", 42),
        lambda: store.add_message(c.id, None, "user", "\ud800"),
        lambda: store.add_message(other.id, m.id, "user", "x"),  # parent in another conversation
        lambda: store.update_message(m.id, state="bogus"),
        lambda: store.update_message(m.id, stats={"x": float("nan")}),
        lambda: store.update_conversation_settings(c.id, {"x": object()}),
        lambda: store.update_conversation_settings(c.id, ["not", "a", "dict"]),
        lambda: store.set_current_leaf(other.id, m.id),
        lambda: store.branch(other.id, m.id),
        lambda: store.save_preset("  ", {}),
    ]
    for call in bad:
        with pytest.raises(ValueError):
            call()
    assert [x.id for x in store.branch(c.id)] == [m.id]


def test_auto_title_only_replaces_the_default(store):
    c = store.create_conversation()
    long = "How do I   make a sourdough starter from scratch without any commercial yeast at all?\nmore"
    title = store.auto_title(c.id, long)
    assert title == store.get_conversation(c.id).title
    assert len(title) <= 49 and title.endswith("…") and title.startswith("How do I make a sourdough")
    assert " " not in title[-2:]
    assert store.auto_title(c.id, "something else") == title  # not the default any more
    d = store.create_conversation("My chat")
    assert store.auto_title(d.id, "whatever") == "My chat"
    e = store.create_conversation()
    assert store.auto_title(e.id, "  \n\n  ") == DEFAULT_TITLE


def test_derive_title():
    assert derive_title("\n\n# Short question?\nsecond") == "Short question?"
    assert derive_title("x" * 100) == "x" * 48 + "…"
    assert derive_title("") == ""


def test_presets(store):
    assert store.list_presets() == {}
    store.save_preset("Precise", {"temperature": 0.1, "top_p": 0.9})
    store.save_preset("Creative", {"temperature": 1.1})
    store.save_preset("Precise", {"temperature": 0.2})
    assert store.list_presets() == {"Creative": {"temperature": 1.1}, "Precise": {"temperature": 0.2}}
    store.delete_preset("Creative")
    assert list(store.list_presets()) == ["Precise"]


def test_pragmas(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert store.integrity_check() == "ok"


def test_reopen_keeps_everything(db_path):
    with ChatStore(db_path) as s:
        c = s.create_conversation("kept", {"a": 1})
        m = s.add_message(c.id, None, "user", "still here")
    with ChatStore(db_path) as s:
        assert s.get_conversation(c.id).settings == {"a": 1}
        assert s.get_message(m.id).content == "still here"


def test_read_only_store_refuses_changes(db_path):
    with ChatStore(db_path) as s:
        c = s.create_conversation("ro")
    with ChatStore(db_path, read_only=True) as ro:
        assert ro.get_conversation(c.id).title == "ro"
        with pytest.raises(StoreError) as err:
            ro.rename_conversation(c.id, "no")
        assert err.value.kind == "read_only"


def test_read_only_missing_file(tmp_path):
    with pytest.raises(StoreError) as err:
        ChatStore(tmp_path / "missing.sqlite3", read_only=True)
    assert err.value.kind == "cannot_open"
    assert not (tmp_path / "missing.sqlite3").exists()


def test_closed_store_and_other_thread(store):
    c = store.create_conversation()
    errors = []

    def use():
        try:
            store.get_conversation(c.id)
        except StoreError as exc:
            errors.append(exc)

    t = threading.Thread(target=use)
    t.start()
    t.join()
    assert errors and errors[0].kind == "thread"
    store.close()
    with pytest.raises(StoreError) as err:
        store.list_conversations()
    assert err.value.kind == "closed"


def test_second_store_on_same_file_sees_changes(db_path):
    with ChatStore(db_path) as a, ChatStore(db_path) as b:
        c = a.create_conversation("shared")
        m = a.add_message(c.id, None, "user", "one")
        assert b.get_message(m.id).content == "one"
        b.update_message(m.id, content="two")
        assert a.get_message(m.id).content == "two"


def test_odd_ids(store):
    for bad in (2**70, -1, 0, None, "abc", 3.5):
        with pytest.raises(KeyError):
            store.get_message(bad)
    with pytest.raises(TypeError):
        store.get_message([1])


def test_migration_refused_when_backup_fails(db_path, monkeypatch):
    import sqlite3

    from app.core.chats import schema

    conn = sqlite3.connect(db_path)
    schema.migrate(conn, None, target=1)
    conn.close()

    def no_space(conn, dest):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(schema, "backup_to", no_space)
    with pytest.raises(StoreError, match="nothing was changed") as err:
        ChatStore(db_path)
    assert err.value.kind == "disk_full"
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
