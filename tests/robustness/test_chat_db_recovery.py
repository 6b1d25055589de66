"""A damaged chats database at start-up: the real main window comes up, says so plainly, opens the file read-only,
exports what can be read and starts a fresh database (the damaged file kept aside); then chatting works again."""
from __future__ import annotations

import json
import random
import sqlite3

import pytest
from PySide6.QtCore import Qt

from app.core.chats import ChatStore

PAGE = 4096


def fill(path, conversations=30, replies=6) -> None:
    with ChatStore(path) as s:
        s.save_preset("Precise", {"temperature": 0.1})
        for i in range(conversations):
            c = s.create_conversation(f"chat {i}", {"model": f"m{i}.gguf"})
            parent = None
            for j in range(replies):
                text = f"conv {i} msg {j} " + " ".join(f"w{i}x{j}x{k}" for k in range(60 if j % 3 else 700))
                parent = s.add_message(c.id, parent, "user" if j % 2 == 0 else "assistant", text).id


def garble_pages_holding(path, needles: list[bytes], seed: int = 11) -> None:
    raw = path.read_bytes()
    pages = {raw.index(n) // PAGE for n in needles}
    rng = random.Random(seed)
    with open(path, "r+b") as f:
        for p in sorted(pages):
            f.seek(p * PAGE)
            f.write(bytes(rng.randrange(256) for _ in range(PAGE)))


@pytest.fixture
def damaged_db(hearth_home):
    db = hearth_home / "data" / "chats.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    fill(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    garble_pages_holding(db, [b"conv 7 msg 1 ", b"conv 19 msg 4 "])
    return db


@pytest.fixture
def garbage_db(hearth_home):
    db = hearth_home / "data" / "chats.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database at all\n" * 500)
    return db


def _bar(qtbot, page):
    qtbot.waitUntil(lambda: getattr(page, "recovery_bar", None) is not None and page.recovery_bar.isVisible(),
                    timeout=5000)
    return page.recovery_bar


def test_damaged_database_read_only_export_and_fresh_start(damaged_db, installed_starter, main_window, qtbot,
                                                           tmp_path, monkeypatch):
    page = main_window.chat_page
    bar = _bar(qtbot, page)
    assert "could not be opened normally" in bar.text.text() and "read-only" in bar.text.text()
    assert str(damaged_db) in bar.text.text()
    assert not page.input.isEnabled(), "no message may be typed into a database that cannot save it"
    # read-only: the conversations that can be read are listed
    assert page.sidebar.model.rowCount() > 0
    with pytest.raises(Exception) as info:
        page.store.create_conversation("x")
    assert "read-only" in str(info.value)

    # export what can be read (through the button; the file dialog answers with a path)
    from PySide6.QtWidgets import QFileDialog

    dest = tmp_path / "exported" / "recovered.json"
    dest.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), "JSON (*.json)"))
    with qtbot.waitSignal(bar.exported, timeout=30000):
        qtbot.mouseClick(bar.export_button, Qt.LeftButton)
    data = json.loads(dest.read_text(encoding="utf-8"))
    assert data["format"] == "hearth.salvage" and data["problems"]
    assert 20 <= data["counts"]["conversations"] <= 30 and "Exported" in bar.status.text()
    assert data["presets"] == {"Precise": {"temperature": 0.1}}
    # every exported conversation imports into a healthy store (the export is useful, not just a dump)
    with ChatStore(tmp_path / "check.sqlite3") as check:
        for conv in data["conversations"]:
            check.import_json(conv)

    # start a fresh database: the damaged file is kept aside, the readable chats are copied in
    with qtbot.waitSignal(bar.replaced, timeout=30000) as blocker:
        qtbot.mouseClick(bar.fresh_button, Qt.LeftButton)
    aside = blocker.args[0]
    assert (damaged_db.parent / aside.rsplit("/", 1)[-1]).exists() and ".damaged-" in aside
    assert "fresh chats database" in bar.text.text() and not bar.fresh_button.isVisible()
    assert page.input.isEnabled()
    assert page.sidebar.model.rowCount() == data["counts"]["conversations"]
    with ChatStore(damaged_db) as fresh:
        assert fresh.integrity_check() == "ok"

    # and the app is fully usable: load the model, chat, and the reply is saved in the new database
    page.ctx.settings.n_threads = 1  # one llama.cpp thread: steady on a busy 2-core machine
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    page.panel.max_tokens.setValue(8)
    page.input.setPlainText("Hello after recovery")
    with qtbot.waitSignal(page.session.generating_changed, timeout=60000, check_params_cb=lambda b: b is False):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    with ChatStore(damaged_db, read_only=True) as fresh:
        titles = [c.title for c in fresh.list_conversations()]
        assert "Hello after recovery" in titles[0]
        assert len(titles) == data["counts"]["conversations"] + 1


def test_file_that_is_not_a_database(garbage_db, main_window, qtbot, tmp_path, monkeypatch):
    page = main_window.chat_page
    bar = _bar(qtbot, page)
    assert "could not read any conversations" in bar.text.text()
    assert page.sidebar.model.rowCount() == 0
    # the other pages still work
    for i in range(len(main_window.pages)):
        main_window.show_page(i)
    main_window.show_page(0)
    bar.export(str(tmp_path / "nothing.json"))
    qtbot.waitUntil(lambda: not bar.busy, timeout=30000)
    data = json.loads((tmp_path / "nothing.json").read_text(encoding="utf-8"))
    assert data["counts"]["conversations"] == 0 and data["problems"]
    with qtbot.waitSignal(bar.replaced, timeout=30000):
        bar.start_fresh()
    kept = list(garbage_db.parent.glob("chats.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    conv = page.store.create_conversation("works again")
    assert page.store.get_conversation(conv.id).title == "works again"


def test_declining_a_fresh_start_changes_nothing(damaged_db, main_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    page = main_window.chat_page
    bar = _bar(qtbot, page)
    before = damaged_db.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.No)
    bar.start_fresh()
    assert not bar.busy and damaged_db.read_bytes() == before
    assert not list(damaged_db.parent.glob("*.damaged-*"))


def test_healthy_database_gets_no_banner(main_window, qtbot):
    page = main_window.chat_page
    qtbot.wait(50)
    assert isinstance(page.store, ChatStore) and getattr(page, "recovery_bar", None) is None
    assert page.input.isEnabled()


def test_read_only_database_refuses_changes_with_a_message_not_a_crash(damaged_db, main_window, qtbot,
                                                                       no_modal_dialogs, monkeypatch):
    page = main_window.chat_page
    _bar(qtbot, page)
    cid = page.sidebar.model.index(0).data(Qt.UserRole + 1)
    errors = []
    page.session.error.connect(errors.append)
    page.session.rename(cid, "a new title")
    page.session.delete_conversation(cid)
    assert len(errors) == 2 and all(e for e in errors)
    assert page.banner.isVisible() and page.banner.text() == errors[-1]
    assert not any(kind == "exec" and "unexpected" in text.lower() for kind, text in no_modal_dialogs)
    assert page.sidebar.model.rowCount() > 0, "nothing was deleted"
