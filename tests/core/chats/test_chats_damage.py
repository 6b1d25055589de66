"""Damaged files and full disks: clear StoreErrors, a read-only look, and salvaging what can still be read."""
from __future__ import annotations

import json
import random
import shutil
import sqlite3

import pytest

from app.core.chats import ChatStore, StoreError, restore, salvage, set_aside

PAGE = 4096


def fill(path, conversations=40, replies=6):
    """A database of several hundred KB; returns {message content: (conversation title, role)}."""
    originals = {}
    with ChatStore(path) as s:
        s.save_preset("Precise", {"temperature": 0.1})
        for i in range(conversations):
            c = s.create_conversation(f"chat {i}", {"model": f"m{i}.gguf"})
            parent = None
            for j in range(replies):
                role = "user" if j % 2 == 0 else "assistant"
                size = 6000 if (i + j) % 7 == 0 else 300  # some rows spill onto overflow pages
                text = f"conv {i} msg {j} " + "".join(f"w{i}x{j}x{k} " for k in range(size // 10))
                parent = s.add_message(c.id, parent, role, text, stats={"n": j}).id
                originals[text] = (f"chat {i}", role)
    return originals


def garble(path, pages, seed=7):
    rng = random.Random(seed)
    with open(path, "r+b") as f:
        for p in pages:
            f.seek(p * PAGE)
            f.write(bytes(rng.randrange(256) for _ in range(PAGE)))


def page_count(path):
    return path.stat().st_size // PAGE


def call_all(store):
    """Every reading call on a damaged store: each returns or raises StoreError, nothing else."""
    outcomes = []
    for call in (store.list_conversations, lambda: store.search("conv"), store.list_presets,
                 store.integrity_check, lambda: [store.branch(c.id) for c in store.list_conversations()]):
        try:
            outcomes.append(call())
        except StoreError as exc:
            outcomes.append(exc)
    return outcomes


@pytest.fixture
def damaged(tmp_path):
    good = tmp_path / "good.sqlite3"
    originals = fill(good)
    bad = tmp_path / "chats.sqlite3"
    shutil.copyfile(good, bad)
    raw = bad.read_bytes()
    # the pages holding a few messages' rows (and their neighbours), not just search-index pages
    hit = {raw.index(f"conv {i} msg 1 ".encode()) // PAGE for i in (5, 17, 29)}
    garble(bad, sorted(hit | {page_count(bad) // 2}))
    return bad, originals


def test_damaged_file_gives_store_errors_and_opens_read_only(damaged):
    bad, _ = damaged
    with ChatStore(bad, read_only=True) as ro:
        outcomes = call_all(ro)
    assert isinstance(outcomes[3], str) and outcomes[3] != "ok"  # integrity_check reports, not raises
    assert any(isinstance(o, StoreError) and o.damaged for o in outcomes)
    try:
        writable = ChatStore(bad)
    except StoreError as exc:
        assert exc.damaged
    else:
        with writable:
            call_all(writable)


def test_salvage_reads_most_of_a_damaged_file_and_restores_it(damaged, tmp_path):
    bad, originals = damaged
    data = salvage(bad)
    json.dumps(data)  # can be written out as the "export what can be read" file
    recovered = [m for conv in data["conversations"] for m in conv["messages"]]
    exact = [m for m in recovered if m["content"] in originals]
    assert len(exact) >= 0.7 * len(originals), data["counts"]
    assert len(exact) >= 0.95 * len(recovered)
    assert data["problems"] and data["presets"] == {"Precise": {"temperature": 0.1}}
    for conv in data["conversations"]:
        for m in conv["messages"]:
            if m["content"] in originals and conv["conversation"]["title"].startswith("chat "):
                assert originals[m["content"]] == (conv["conversation"]["title"], m["role"])
    aside = set_aside(bad)
    assert aside.is_file() and not bad.exists()
    with ChatStore(bad) as fresh:
        assert restore(data, fresh) == len(data["conversations"])
        assert fresh.integrity_check() == "ok"
        assert len(fresh.search("conv")) > 0
        assert fresh.list_presets() == {"Precise": {"temperature": 0.1}}


def test_not_a_database(tmp_path):
    path = tmp_path / "chats.sqlite3"
    originals = fill(path, conversations=10)
    garble(path, [0])  # the header and the schema page
    for read_only in (False, True):
        with pytest.raises(StoreError) as err:
            ChatStore(path, read_only=read_only)
        assert err.value.damaged and "database" in str(err.value)
    data = salvage(path)  # the raw page scan does not need page 1
    recovered = {m["content"] for conv in data["conversations"] for m in conv["messages"]}
    assert len(recovered & originals.keys()) >= 0.9 * len(originals)
    assert any("header or schema" in p for p in data["problems"])


def test_plain_garbage_file(tmp_path):
    path = tmp_path / "chats.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 1000)
    with pytest.raises(StoreError, match="not a database"):
        ChatStore(path)
    data = salvage(path)
    assert data["conversations"] == [] and data["problems"]


def test_salvage_of_a_healthy_file_is_complete(tmp_path):
    path = tmp_path / "chats.sqlite3"
    with ChatStore(path) as s:
        c = s.create_conversation("branches")
        u = s.add_message(c.id, None, "user", "q")
        s.add_message(c.id, u.id, "assistant", "a1")
        s.add_message(c.id, u.id, "assistant", "a2", state="streaming")
        expected = s.export_json(c.id)
        data = salvage(path)  # while the store is open: the WAL is read too
    assert data["counts"]["rows_from_raw_pages"] == 0 and data["problems"] == []
    (got,) = data["conversations"]
    assert got["conversation"]["title"] == "branches"
    assert [(m["id"], m["parent_id"], m["content"]) for m in got["messages"]] == \
           [(m["id"], m["parent_id"], m["content"]) for m in expected["messages"]]
    assert got["messages"][-1]["state"] == "interrupted"


def test_raw_scan_reads_the_wal(tmp_path):
    path = tmp_path / "chats.sqlite3"
    s = ChatStore(path)
    s.conn.execute("PRAGMA wal_autocheckpoint = 0")
    c = s.create_conversation("only in the wal")
    s.add_message(c.id, None, "user", "wal-only text")
    garble(path, [0])  # the main file is useless now; the rows live only in the -wal
    data = salvage(path)
    s.close()
    assert [m["content"] for conv in data["conversations"] for m in conv["messages"]] == ["wal-only text"]


def test_disk_full_raises_and_keeps_the_database_consistent(store):
    c = store.create_conversation("full")
    u = store.add_message(c.id, None, "user", "small")
    before = store.export_json(c.id)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own "database or disk is full"
    huge = "x" * 200_000
    for call in (lambda: store.add_message(c.id, u.id, "assistant", huge),
                 lambda: store.update_message(u.id, content=huge),
                 lambda: store.import_json({**before, "messages": [dict(m, content=huge) for m in before["messages"]]})):
        with pytest.raises(StoreError, match="disk is full") as err:
            call()
        assert err.value.kind == "disk_full"
    after = store.export_json(c.id)
    assert {**after, "exported_at": 0} == {**before, "exported_at": 0}
    assert len(store.list_conversations()) == 1
    assert store.integrity_check() == "ok"
    store.update_message(u.id, content="still writable for small changes")
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.add_message(c.id, u.id, "assistant", huge)
    assert store.integrity_check() == "ok"


def test_locked_database_is_a_busy_store_error(db_path):
    with ChatStore(db_path) as s:
        c = s.create_conversation()
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        s.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(StoreError) as err:
            s.rename_conversation(c.id, "blocked")
        assert err.value.kind == "busy"
        other.execute("ROLLBACK")
        other.close()
        s.rename_conversation(c.id, "fine now")
