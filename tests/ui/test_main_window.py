from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

KEY_NAMES = ["Message", "Send", "Stop", "New chat", "Model", "Chat", "Models", "Hardware"]


def by_name(root: QWidget, name: str) -> QWidget:
    found = [w for w in root.findChildren(QWidget) if w.accessibleName() == name]
    assert found, f"no widget with accessible name {name!r}"
    return found[0]


def test_window_opens_with_icon_and_title(main_window):
    assert main_window.isVisible()
    assert main_window.windowTitle() == "Hearth"
    assert not main_window.windowIcon().isNull()


def test_key_widgets_have_accessible_names(main_window):
    for name in KEY_NAMES:
        by_name(main_window, name)


def test_navigation_shows_each_page(main_window, qtbot):
    for i, name in enumerate(["Chat", "Models", "Hardware", "Network"]):
        qtbot.mouseClick(by_name(main_window, name), Qt.LeftButton)
        assert main_window.stack.currentIndex() == i
        assert main_window.stack.currentWidget().isVisible()


def test_keyboard_page_switching(main_window, qtbot):
    for i in (3, 2, 1, 0):
        qtbot.keyClick(main_window, Qt.Key_1 + i, Qt.ControlModifier)
        assert main_window.stack.currentIndex() == i


def test_status_bar_shows_model_and_ram(main_window):
    assert main_window.model_status.text() == "No model loaded"
    assert main_window.ram_status.text().startswith("RAM: Hearth")


def test_empty_library_shows_a_way_forward(main_window):
    hint = main_window.chat_page.empty_hint
    assert hint.isVisible()
    assert "Models page" in hint.text()


def test_geometry_is_remembered(qtbot, ctx):
    from app.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.resize(1333, 777)
    w.close()
    w2 = MainWindow(ctx)
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == (1333, 777)
    w2.close()


def test_every_button_and_input_has_an_accessible_name(main_window):
    from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit,
                                   QSlider)

    missing = []
    for cls in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QAbstractSpinBox, QSlider):
        for w in main_window.findChildren(cls):
            inner = isinstance(w.parent(), (QComboBox, QAbstractSpinBox))  # parts of a named composite widget
            if w.isVisibleTo(main_window) and not w.accessibleName() and not inner:
                missing.append(f"{cls.__name__} {w.objectName() or w.text() if hasattr(w, 'text') else ''}")
    assert missing == []


def test_offline_switch_in_status_bar_drives_everything(main_window, ctx):
    from app.core import net

    sw = by_name(main_window, "Offline mode")
    sw.setChecked(True)
    assert net.is_offline() and ctx.settings.offline_mode
    assert main_window.network_page.offline.isChecked()
    main_window.network_page.offline.setChecked(False)  # the page's own switch flips the status bar too
    assert not sw.isChecked() and not net.is_offline() and not ctx.settings.offline_mode


def test_about_dialog_opens_from_navigation(main_window, qtbot, monkeypatch):
    from app.ui.common import about

    shown = []
    monkeypatch.setattr(about.AboutDialog, "exec", lambda self: shown.append(self.plain_text()) or 0)
    monkeypatch.setattr(about.AboutDialog, "show", lambda self: shown.append(self.plain_text()))
    qtbot.mouseClick(by_name(main_window, "About Hearth"), Qt.LeftButton)
    from app import __version__

    assert shown and __version__ in shown[0]


def test_hidden_pages_are_prerendered_once_while_idle_after_start_up(qtbot, ctx, monkeypatch):
    """The first switch to a page used to lay out, polish and paint it in one turn of the event loop (~35 ms for
    the Models page): the window renders the hidden pages off screen, one at a time, shortly after it is shown."""
    from PySide6.QtWidgets import QWidget

    from app.ui.main_window import MainWindow

    grabbed = []
    real_grab = QWidget.grab
    monkeypatch.setattr(QWidget, "grab", lambda self, *a: grabbed.append(self) or real_grab(self, *a))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    hidden = [win.models_page, win.hardware_page, win.network_page, win.docs_page]  # every page but Chat
    assert list(win.pages[1:]) == hidden
    qtbot.waitUntil(lambda: len(grabbed) == len(hidden), timeout=5000)
    assert grabbed == hidden
    win.hide()
    win.show()
    qtbot.wait(800)
    assert len(grabbed) == len(hidden), "only once per window"
    win.close()
