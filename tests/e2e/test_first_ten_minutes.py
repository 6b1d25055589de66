"""The first ten minutes of a new user, through the real window, the engine process and SmolLM2 (issue 18): a fresh
HEARTH_HOME with the starter model present; the model is picked and Send pressed without Load (Send loads it);
the reply streams and is stopped with Esc; Regenerate and Edit are run from the keyboard only and the chat is
exported; a failed load (options that cannot work together) keeps the model;
after a restart the last conversation and the last model come back without a click."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.support.gui_probe import GuiProbe


def keys(qtbot, widget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def test_send_without_load_stop_and_come_back_after_a_restart(installed_starter, ctx, qtbot, tmp_path):
    from app.ui.main_window import MainWindow

    ctx.settings.n_threads = 1
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    probe = GuiProbe().start()  # from outside the GUI thread, until the first reply has ended
    qtbot.waitExposed(win)
    page = win.chat_page
    assert page.engine.info is None and page.model_combo.currentData() == str(installed_starter)
    # Send with the model picked but not loaded: it loads, then sends; the message is not lost meanwhile
    page.panel.max_tokens.setValue(10)
    keys(qtbot, page.input, "What is a river?")
    assert page.send_button.isEnabled()
    with qtbot.waitSignal(page.session.generating_changed, timeout=90000, check_params_cb=lambda b: not b):
        with qtbot.waitSignal(page.engine.loaded, timeout=60000):
            QTest.keyClick(page.input, Qt.Key_Return, Qt.ControlModifier)
        assert page.input.toPlainText() == "What is a river?"  # kept in the box while the model loads
    probe.stop()
    # never frozen (the 50 ms target itself is measured, in fresh processes, by benchmarks/first_reply.py)
    assert len(probe.ticks) > 50 and probe.worst() < 0.25, probe.blocks(0.05)
    msgs = page.model.messages()
    assert [m.role for m in msgs] == ["user", "assistant"] and msgs[0].text == "What is a river?"
    assert msgs[1].state == "done" and msgs[1].text.strip()
    assert not page.banner.isVisible()
    # a long reply stopped with Esc keeps its text, and Send is usable again at once
    page.panel.max_tokens.setValue(400)
    keys(qtbot, page.input, "Tell me a long story about a river.")
    QTest.keyClick(page.input, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: bool(page.model.messages()[-1].text), timeout=60000)
    QTest.keyClick(page.input, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not page.session.generating, timeout=5000)
    assert page.model.messages()[-1].state == "stopped" and page.send_button.isEnabled()
    # Regenerate and Edit with the keyboard only: Shift+Tab from the message box reaches the transcript, which
    # starts at the newest message; Right chooses an action, Enter runs it
    page.panel.max_tokens.setValue(12)
    for _ in range(12):
        if QApplication.focusWidget() is page.view:
            break
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Backtab, Qt.ShiftModifier)
    assert QApplication.focusWidget() is page.view and page.view.cursor.row == 3
    QTest.keyClick(page.view, Qt.Key_Right)
    QTest.keyClick(page.view, Qt.Key_Right)
    assert page.view.cursor.current_href() == "regenerate:"
    with qtbot.waitSignal(page.session.generating_changed, timeout=90000, check_params_cb=lambda b: not b):
        QTest.keyClick(page.view, Qt.Key_Return)
    assert page.model.messages()[-1].sibling_count == 2 and page.model.messages()[-1].state == "done"
    QTest.keyClick(page.view, Qt.Key_Up)
    QTest.keyClick(page.view, Qt.Key_Right)
    QTest.keyClick(page.view, Qt.Key_Right)
    assert page.view.cursor.current_href() == "edit:"
    QTest.keyClick(page.view, Qt.Key_Return)
    assert QApplication.focusWidget() is page.input
    assert page.input.toPlainText() == "Tell me a long story about a river."
    QTest.keyClick(page.input, Qt.Key_A, Qt.ControlModifier)
    QTest.keyClicks(page.input, "Tell me a short story about a lake.")
    with qtbot.waitSignal(page.session.generating_changed, timeout=90000, check_params_cb=lambda b: not b):
        QTest.keyClick(page.input, Qt.Key_Return, Qt.ControlModifier)
    edited = page.model.messages()[2]
    assert edited.text == "Tell me a short story about a lake." and edited.sibling_count == 2
    assert page.model.messages()[3].state == "done"
    exported = page.export_conversation(page.session.cid, "md", str(tmp_path / "chat.md"))
    text = (tmp_path / "chat.md").read_text(encoding="utf-8")
    assert exported and "What is a river?" in text and "Tell me a short story about a lake." in text
    assert str(installed_starter) not in text  # the model is named, not its path
    # options that cannot work together are refused before anything is unloaded: the model keeps serving
    with qtbot.waitSignal(page.engine.load_failed, timeout=30000) as failed:
        page.engine.load(str(installed_starter), replace(page.load_options(), kv_type="q4_0", flash_attn=False))
    assert "needs flash attention" in failed.args[1] and page.engine.info is not None
    cid = page.session.cid
    win.close()

    # the next start: the same conversation on screen, the same model loaded without a click
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    page2 = again.chat_page
    assert page2.session.cid == cid
    assert [m.text for m in page2.model.messages()][:2] == ["What is a river?", msgs[1].text]
    qtbot.waitUntil(lambda: page2.engine.info is not None, timeout=60000)
    assert page2.engine.info.path == str(installed_starter)
    again.close()
