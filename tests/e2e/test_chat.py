"""The chat through real widgets, the engine worker thread, llama.cpp with SmolLM2, and a real SQLite file."""
from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from app.core.chats import ChatStore


def load(qtbot, page, timeout=60000):
    with qtbot.waitSignal(page.engine.loaded, timeout=timeout):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)


def send(qtbot, page, text, timeout=90000):
    page.input.setPlainText(text)
    with qtbot.waitSignal(page.session.generating_changed, timeout=timeout,
                          check_params_cb=lambda busy: busy is False):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)


def quick(page, max_tokens=12):
    """Short deterministic replies keep the suite fast."""
    page.panel.max_tokens.setValue(max_tokens)
    page.panel.seed.setValue(7)


@pytest.fixture
def chat(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    load(qtbot, page)
    quick(page)
    return page


def rows(page):
    return [(m.role, m.text) for m in page.model.messages() if m.role != "notice"]


def test_send_stream_and_persist(chat, qtbot, ctx):
    send(qtbot, chat, "What is the capital of France?")
    msgs = chat.model.messages()
    assert [m.role for m in msgs] == ["user", "assistant"]
    assert msgs[1].text.strip() and msgs[1].state == "done"
    assert msgs[1].stats["stop_reason"] in ("end", "length")
    assert chat.meter.used > 0 and chat.meter.n_ctx == 4096
    # auto-title and the sidebar
    assert chat.sidebar.model.rowCount() == 1
    assert "capital of France" in chat.sidebar.model.index(0).data()
    store = ChatStore(ctx.paths.chats_db)
    try:
        (conv,) = store.list_conversations()
        assert [m.content for m in store.branch(conv.id)] == [m.text for m in msgs]
    finally:
        store.close()


def test_regenerate_keeps_both_replies(chat, qtbot):
    send(qtbot, chat, "Tell me a word.")
    first = chat.model.messages()[1]
    chat.panel.seed.setValue(99)
    chat.panel.temperature.setValue(1.5)
    with qtbot.waitSignal(chat.session.generating_changed, timeout=90000, check_params_cb=lambda b: b is False):
        chat.view.action.emit(first.id, "regenerate", "")
    second = chat.model.messages()[1]
    assert second.id != first.id
    assert (second.sibling_index, second.sibling_count) == (1, 2)
    chat.view.action.emit(second.id, "prev-sibling", "")
    shown = chat.model.messages()[1]
    assert shown.id == first.id and shown.text == first.text and shown.sibling_count == 2
    chat.view.action.emit(first.id, "next-sibling", "")
    assert chat.model.messages()[1].id == second.id


def test_edit_makes_a_branch_and_keeps_the_original(chat, qtbot):
    send(qtbot, chat, "First question")
    send(qtbot, chat, "Second question")
    assert [r for r, _ in rows(chat)] == ["user", "assistant", "user", "assistant"]
    original = chat.model.messages()[2]
    chat.view.action.emit(original.id, "edit", "")
    assert chat.edit_banner.isVisible() and chat.input.toPlainText() == "Second question"
    send(qtbot, chat, "Second question, edited")
    msgs = chat.model.messages()
    assert msgs[2].text == "Second question, edited" and msgs[2].sibling_count == 2
    assert len(msgs) == 4
    chat.view.action.emit(msgs[2].id, "prev-sibling", "")
    back = chat.model.messages()
    assert back[2].text == "Second question" and len(back) == 4, "the original branch and its reply survive"


def test_restart_keeps_everything(installed_starter, ctx, qtbot):
    from app.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    page = w.chat_page
    load(qtbot, page)
    quick(page)
    send(qtbot, page, "Remember the word pineapple.")
    page.panel.system_prompt.setPlainText("Answer in one word.")
    before = rows(page)
    w.close()

    w2 = MainWindow(ctx)
    qtbot.addWidget(w2)
    w2.show()
    p2 = w2.chat_page
    assert p2.sidebar.model.rowCount() == 1
    p2.open_conversation(p2.sidebar.model.index(0).data(Qt.UserRole + 1))
    assert rows(p2) == before
    assert p2.panel.system_prompt.toPlainText() == "Answer in one word."
    assert p2.panel.max_tokens.value() == 12
    w2.close()


def test_tiny_context_applies_the_overflow_policy_with_a_marker(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    page.panel.n_ctx.setValue(256)
    load(qtbot, page)
    quick(page, max_tokens=24)
    for i in range(5):
        send(qtbot, page, f"Message number {i}: " + "tell me about the ocean and its waves. " * 4)
    msgs = page.model.messages()
    notices = [m for m in msgs if m.role == "notice"]
    assert len(notices) == 1 and "left out of the model's view" in notices[0].text
    excluded = [m for m in msgs if m.excluded]
    assert excluded, "the dropped messages are marked"
    assert msgs[0].role == "user" and not msgs[0].excluded, "truncate middle keeps the first exchange"
    last = msgs[-1]
    assert last.role == "assistant" and last.state == "done"
    assert set(last.stats["excluded_ids"]) == {m.id for m in excluded}
    # one more turn adds rows at the end: the view is not rebuilt (a long conversation would be laid out again),
    # and the messages already out of view stay marked while the reply is generated
    resets, marked_at_start = [], []
    page.model.modelReset.connect(lambda: resets.append(1))
    page.session.generating_changed.connect(
        lambda busy: busy and marked_at_start.append({m.id for m in page.model.messages() if m.excluded}))
    before = [(m.id, m.text) for m in page.model.messages() if m.role != "notice"]
    send(qtbot, page, "One more: " + "tell me about the ocean and its waves. " * 4)
    after = [(m.id, m.text) for m in page.model.messages() if m.role != "notice"]
    assert resets == []
    assert after[:len(before)] == before and len(after) == len(before) + 2
    assert marked_at_start and marked_at_start[0] >= {m.id for m in excluded}
    assert {m.id for m in page.model.messages() if m.excluded} == set(page.model.messages()[-1].stats["excluded_ids"])


def test_single_message_longer_than_context_is_a_clear_error(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    page.panel.n_ctx.setValue(256)
    load(qtbot, page)
    send(qtbot, page, "word " * 600)
    assert page.banner.isVisible() and "context" in page.banner.text()
    last = page.model.messages()[-1]
    assert last.state == "error"


def test_stop_and_ask_policy_asks_and_continues(installed_starter, main_window, qtbot, monkeypatch):
    page = main_window.chat_page
    page.panel.n_ctx.setValue(256)
    page.panel.policy.setCurrentIndex(page.panel.policy.findData("stop_and_ask"))
    load(qtbot, page)
    quick(page, max_tokens=24)
    asked = []
    monkeypatch.setattr(page, "_ask_overflow", lambda msg: (asked.append(msg),
                                                           page.session.continue_with_policy("rolling_window")))
    page.session.decision_needed.disconnect()
    page.session.decision_needed.connect(page._ask_overflow)
    for i in range(5):
        send(qtbot, page, f"Question {i}: " + "describe mountains and rivers in detail. " * 4)
        if asked:
            break
    qtbot.waitUntil(lambda: not page.session.generating, timeout=60000)
    assert asked and "Choose how to continue" in asked[0]
    assert page.model.messages()[-1].state == "done"


def test_export_import_round_trip(chat, qtbot, tmp_path):
    send(qtbot, chat, "Export me")
    first = chat.model.messages()[1]
    with qtbot.waitSignal(chat.session.generating_changed, timeout=90000, check_params_cb=lambda b: b is False):
        chat.view.action.emit(first.id, "regenerate", "")
    cid = chat.session.cid
    path = chat.export_conversation(cid, "json", str(tmp_path / "c.json"))
    md = chat.export_conversation(cid, "md", str(tmp_path / "c.md"))
    assert "Export me" in open(md, encoding="utf-8").read()
    original = json.load(open(path, encoding="utf-8"))
    chat.import_conversation(path)
    assert chat.sidebar.model.rowCount() == 2
    assert chat.session.cid != cid
    again = chat.store.export_json(chat.session.cid)
    strip = lambda d: [(m["role"], m["content"], m["state"]) for m in d["messages"]]  # noqa: E731
    assert sorted(strip(again)) == sorted(strip(original))
    assert len(again["messages"]) == 3, "both sibling replies came back"


def test_search_finds_an_old_reply_and_jumps_to_it(chat, qtbot):
    send(qtbot, chat, "zebra giraffe elephant")
    chat.new_chat()
    send(qtbot, chat, "something else entirely")
    chat.sidebar.search.setText("giraffe")
    qtbot.waitUntil(lambda: chat.sidebar.hits.count() > 0, timeout=3000)
    item = chat.sidebar.hits.item(0)
    assert "«giraffe»" in item.text()
    chat.sidebar.hits.itemClicked.emit(item)
    assert "zebra giraffe" in chat.model.messages()[0].text
    assert chat.view.highlight_row == 0


def test_markdown_with_remote_content_renders_without_network(chat, qtbot, monkeypatch):
    import socket

    calls = []
    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: calls.append(addr) or real_connect(self, addr))
    from app.ui.chat.message_model import ViewMessage

    hostile = ("# Title\n\n![tracker](http://127.0.0.1:9/pixel.png)\n\n<img src='http://127.0.0.1:9/x.png'>\n\n"
               "<script>alert(1)</script> [link](http://127.0.0.1:9/page) [bad](javascript:alert(1))\n\n"
               "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```")
    chat.model.append(ViewMessage(10_000, "assistant", hostile))
    chat.view.repaint()
    r = chat.view.painter_.render_for(chat.model.message(chat.model.rowCount() - 1), 600)
    html = "".join(p.doc.toHtml() for p in r.parts)
    assert "[image: tracker — not loaded]" in html
    assert "&lt;script&gt;" in html or "<script>" not in html
    assert "javascript:" not in html
    assert calls == []
    # the code block's copy link copies the code
    chat.view.activate(chat.model.rowCount() - 1, "copy-code:0")
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text().strip() == "print('hi')"


def test_reasoning_is_folded_and_left_out_of_later_prompts(chat, qtbot):
    from app.ui.chat.message_model import ViewMessage

    thought = "<think>secret chain of thought</think>The answer is 4."
    chat.model.append(ViewMessage(20_000, "assistant", thought))
    r = chat.view.painter_.render_for(chat.model.message(0), 600)
    text = "".join(p.doc.toPlainText() for p in r.parts)
    assert "Thoughts" in text and "secret chain" not in text, "folded by default"
    chat.view.activate(0, "toggle-thoughts:")
    r = chat.view.painter_.render_for(chat.model.message(0), 600)
    assert "secret chain" in "".join(p.doc.toPlainText() for p in r.parts)

    class M:  # a stored message
        def __init__(self, role, content):
            self.role, self.content, self.state, self.id = role, content, "done", 1

    hist = chat.session.history([M("user", "2+2?"), M("assistant", thought)])
    assert hist[-1]["content"] == "The answer is 4."


def test_delete_message_removes_its_subtree_after_confirmation(chat, qtbot, no_modal_dialogs):
    send(qtbot, chat, "one")
    send(qtbot, chat, "two")
    second_user = chat.model.messages()[2]
    chat.view.action.emit(second_user.id, "delete", "")
    assert any("Delete this message and the 1 message after it" in t for _, t in no_modal_dialogs)
    assert [r for r, _ in rows(chat)] == ["user", "assistant"]


def test_failed_load_shows_llama_cpp_reason(installed_starter, main_window, qtbot, ctx):
    from dataclasses import replace

    from tests.support.synth_gguf import model_spec, write_gguf

    # structurally valid (Hearth's header check passes) but llama.cpp knows no such architecture
    bad = ctx.models_dir / "test" / "weird" / "weird-arch.gguf"
    bad.parent.mkdir(parents=True)
    spec = model_spec("llama", n_layer=1, n_embd=64, n_head=4, n_head_kv=4, n_ff=128, n_vocab=1000)
    write_gguf(bad, replace(spec, arch="weirdarch"))
    page = main_window.chat_page
    page.refresh_models()
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(bad)))
    with qtbot.waitSignal(page.engine.load_failed, timeout=30000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    assert "unknown model architecture" in page.banner.text()


def test_database_stays_intact(chat, qtbot, ctx):
    send(qtbot, chat, "integrity")
    con = sqlite3.connect(ctx.paths.chats_db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


def test_changing_model_mid_conversation(installed_starter, main_window, qtbot, ctx):
    import os

    other = ctx.models_dir / "someone" / "other-model" / "other.gguf"
    other.parent.mkdir(parents=True)
    os.link(installed_starter, other)
    page = main_window.chat_page
    page.refresh_models()
    load(qtbot, page)
    quick(page)
    send(qtbot, page, "First, with the first model.")
    first_model = page.model.messages()[1].stats["model"]
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(other)))
    load(qtbot, page)
    assert page.engine.info.path == str(other)
    send(qtbot, page, "Second, with the other model.")
    msgs = page.model.messages()
    assert [m.role for m in msgs] == ["user", "assistant", "user", "assistant"]
    assert msgs[3].state == "done" and msgs[3].text
    assert msgs[1].stats["model"] == first_model, "each reply remembers which model wrote it"
    assert page.session.settings.model == str(other)


def test_unload_and_auto_unload_after_idle(chat, qtbot, ctx):
    qtbot.mouseClick(chat.unload_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: chat.engine.info is None, timeout=10000)
    # Send stays available: with a model picked it loads it first (issue 18; tests/e2e/test_first_ten_minutes.py)
    assert chat.send_button.isEnabled() and "unloaded" in chat.status.text()
    chat.panel.auto_unload.setValue(3)
    load(qtbot, chat)
    assert chat._idle.isActive() and chat._idle.interval() == 3 * 60_000
    with qtbot.waitSignal(chat.engine.unloaded, timeout=10000):
        chat._idle.timeout.emit()  # the three idle minutes are up
    assert "idle" in chat.status.text()


def test_reply_cut_by_a_crash_comes_back_marked_interrupted(ctx, qtbot):
    """What a SIGKILL mid-reply leaves (a 'streaming' reply with the text of the last flush) is shown on the
    next start as an interrupted reply, text kept (the kill itself: tests/core/chats/test_chats_crash.py and
    tests/robustness/test_kill_loop.py)."""
    from app.ui.main_window import MainWindow

    store = ChatStore(ctx.paths.chats_db)
    c = store.create_conversation("cut short")
    u = store.add_message(c.id, None, "user", "Tell me about rivers.")
    store.add_message(c.id, u.id, "assistant", "Rivers carry water from", state="streaming")
    store.close()
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    page = w.chat_page
    page.open_conversation(c.id)
    last = page.model.messages()[-1]
    assert last.state == "interrupted" and last.text == "Rivers carry water from"
    r = page.view.painter_.render_for(last, 600)
    assert "interrupted" in r.parts[0].doc.toPlainText()
    w.close()
