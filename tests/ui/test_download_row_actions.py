"""Downloads: each row carries its own actions (issue 18: Pause/Resume/Cancel used to act only on the selected row).
The real controller, queue and table with real buttons; nothing downloads (the controller is held, so queued items
wait), so no network is needed."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from app.core.downloads.queue import CANCELLED, DONE, FAILED, PAUSED, QUEUED, QueueStore

FILES = ["SmolLM2-135M-Instruct.Q4_1.gguf", "tiny-chat-Q4_K_M.gguf", "tiny-chat-Q8_0.gguf", "gated-Q4_0.gguf"]


@pytest.fixture
def tab(qtbot, tmp_path):
    from app.ui.application import create_app
    from app.ui.common.theme import apply_theme
    from app.ui.downloads.download_controller import DownloadController
    from app.ui.downloads.downloads_tab import DownloadsTab

    apply_theme(create_app(), "light")
    models = tmp_path / "models"
    models.mkdir()
    c = DownloadController(models, QueueStore(tmp_path / "downloads.json"), endpoint="http://127.0.0.1:9",
                           token_getter=lambda: None)
    c.held = True  # queued items wait: nothing is downloaded
    t = DownloadsTab(c)
    qtbot.addWidget(t)
    t.resize(1250, 600)
    t.show()
    qtbot.waitExposed(t)
    for i, name in enumerate(FILES):
        c.add(f"acme/Repo-{i}-GGUF", name, size=1000)
    yield t
    c.shutdown()


def shown(t, row: int) -> dict[str, QToolButton]:
    """The buttons a user sees on a row, by command."""
    return {cmd: b for cmd, b in t.row_buttons(row).items() if b.isVisible()}


def test_each_row_has_its_own_buttons_that_work_without_selecting_it(qtbot, qtmodeltester, tab):
    c = tab.controller
    qtmodeltester.check(tab.model)
    assert tab.table.selectionModel().selectedRows() == []
    for row, name in enumerate(FILES):
        buttons = shown(tab, row)
        assert list(buttons) == ["pause", "cancel"]
        assert [b.accessibleName() for b in buttons.values()] == [f"Pause {name}", f"Cancel {name}"]
        assert all(b.text() in ("Pause", "Cancel") for b in buttons.values())
    # a click on the third row's Pause pauses that download (no row was selected)
    qtbot.mouseClick(shown(tab, 2)["pause"], Qt.LeftButton)
    assert [i.state for i in c.items] == [QUEUED, QUEUED, PAUSED, QUEUED]
    assert list(shown(tab, 2)) == ["resume", "cancel"]  # only what is valid now
    assert shown(tab, 2)["resume"].accessibleName() == f"Resume {FILES[2]}"
    qtbot.mouseClick(shown(tab, 2)["resume"], Qt.LeftButton)
    assert c.items[2].state == QUEUED
    qtbot.mouseClick(shown(tab, 0)["cancel"], Qt.LeftButton)
    assert c.items[0].state == CANCELLED and list(shown(tab, 0)) == ["retry"]
    # a failed row offers Retry and Cancel, a finished one Chat
    c.items[1].state, c.items[1].error = FAILED, "The Hub answered 503"
    c.items[3].state, c.items[3].path = DONE, "/models/acme/Repo-3-GGUF/" + FILES[3]
    c.rows_changed.emit([1, 3])
    assert list(shown(tab, 1)) == ["retry", "cancel"] and list(shown(tab, 3)) == ["chat"]
    assert shown(tab, 3)["chat"].accessibleName() == f"Chat with {FILES[3]}"
    with qtbot.waitSignal(tab.chat_requested, timeout=2000) as asked:
        qtbot.mouseClick(shown(tab, 3)["chat"], Qt.LeftButton)
    assert asked.args == [c.items[3].path]
    # the buttons stay inside their cell, readable (not clipped)
    qtbot.wait(20)  # the rows whose buttons changed are laid out again
    for row in range(len(FILES)):
        cell = tab.table.visualRect(tab.model.index(row, 6))
        for b in shown(tab, row).values():
            r = b.geometry().translated(b.parentWidget().pos())
            assert cell.contains(r), (row, b.text(), r, cell)
            assert r.width() >= b.sizeHint().width() and r.height() >= b.sizeHint().height()
    # "Clear finished" rebuilds the rows: the remaining rows keep working buttons
    c.remove_finished()
    assert [i.filename for i in c.items] == FILES[1:3]
    assert list(shown(tab, 0)) == ["retry", "cancel"] and list(shown(tab, 1)) == ["pause", "cancel"]
    qtbot.mouseClick(shown(tab, 1)["pause"], Qt.LeftButton)
    assert c.items[1].state == PAUSED


def test_keyboard_reaches_the_current_rows_buttons(qtbot, tab):
    c = tab.controller
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key_Home)  # the first row becomes current
    qtbot.keyClick(tab.table, Qt.Key_Down)  # then the second
    assert tab.table.currentIndex().row() == 1
    qtbot.keyClick(tab.table, Qt.Key_Tab)
    focused = QApplication.focusWidget()
    assert isinstance(focused, QToolButton) and focused.accessibleName() == f"Pause {FILES[1]}"
    qtbot.keyClick(focused, Qt.Key_Space)
    assert c.items[1].state == PAUSED and [i.state for i in c.items if i is not c.items[1]] == [QUEUED] * 3
    # focus stays on the row: now on Resume, so Space again resumes
    focused = QApplication.focusWidget()
    assert focused.accessibleName() == f"Resume {FILES[1]}"
    qtbot.keyClick(focused, Qt.Key_Space)
    assert c.items[1].state == QUEUED
    assert QApplication.focusWidget().accessibleName() == f"Pause {FILES[1]}"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused.accessibleName() == f"Cancel {FILES[1]}"
    qtbot.keyClick(focused, Qt.Key_Space)
    assert c.items[1].state == CANCELLED
    # other rows' buttons are not Tab stops: Tab goes on past the table's rows
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key_Down)
    assert tab.table.currentIndex().row() == 2
    qtbot.keyClick(tab.table, Qt.Key_Tab)
    assert QApplication.focusWidget().accessibleName() == f"Pause {FILES[2]}"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    after = QApplication.focusWidget()
    assert not (isinstance(after, QToolButton) and after.parentWidget() in tab.row_widgets.values())


@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
def test_the_context_menu_offers_the_current_rows_actions(qtbot, tab):
    c = tab.controller
    assert [label for label, _fn in tab.menu_actions(c.items[0])] == ["Pause", "Cancel"]
    dict(tab.menu_actions(c.items[0]))["Pause"]()
    assert c.items[0].state == PAUSED
    assert [label for label, _fn in tab.menu_actions(c.items[0])] == ["Resume", "Cancel"]
    # the Menu key on the current row opens the menu there; choosing Resume resumes that row
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    seen = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        seen.append([a.text() for a in menu.actions()] if isinstance(menu, QMenu) else None)
        if isinstance(menu, QMenu):
            next(a for a in menu.actions() if a.text() == "Resume").trigger()
            menu.close()

    QTimer.singleShot(100, choose)
    rect = tab.table.visualRect(tab.table.currentIndex())
    QApplication.sendEvent(tab.table, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, rect.center(),
                                                        tab.table.mapToGlobal(rect.center())))
    assert seen == [["Resume", "Cancel"]]
    assert c.items[0].state == QUEUED


def test_a_finished_file_asked_for_again_gets_no_second_row(qtbot, tab):
    c = tab.controller
    dest = c.models_dir / "acme" / "Done-GGUF" / "done.gguf"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"x" * 1000)
    with qtbot.waitSignal(c.already_here, timeout=1000) as here:
        assert c.add("acme/Done-GGUF", "done.gguf", size=1000) is None
    assert here.args == [str(dest)] and len(c.items) == len(FILES)
    assert tab.note.isVisible() and "done.gguf is already downloaded" in tab.note.text()
    # a different size is another version of the file: that one is queued
    assert c.add("acme/Done-GGUF", "done.gguf", size=2000) is not None and len(c.items) == len(FILES) + 1
    assert tab.note.isHidden()


def test_fifty_rows_stay_quick(qtbot, tab):
    import time

    c = tab.controller
    t0 = time.perf_counter()
    for i in range(60):
        c.add(f"acme/Many-{i}-GGUF", f"many-{i}.gguf", size=1000)
    qtbot.wait(1)
    added = time.perf_counter() - t0
    assert len(tab.row_widgets) == 64
    t0 = time.perf_counter()
    for _ in range(10):
        c.rows_changed.emit(list(range(64)))  # progress of every row: the buttons are left alone
        QApplication.processEvents()
    refresh = (time.perf_counter() - t0) / 10
    assert added < 1.5 and refresh < 0.1, (added, refresh)  # generous: shared, slow test machines
