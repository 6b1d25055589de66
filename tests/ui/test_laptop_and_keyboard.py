"""Issue 18's laptop-screen and keyboard fixes, each on the real widgets: the first window fits a 1366x768 screen,
Tab leaves the message box, Ctrl+L / Ctrl+F / Ctrl+N / Ctrl+Q reach the composer, the search, a new chat and quit,
the Chat page's import button says it imports chats, and the download progress bar fills from left to right."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from app.ui.main_window import first_window_size


def test_the_first_window_fits_the_screen():
    assert first_window_size(QSize(1366, 728)) == QSize(1180, 688)
    assert first_window_size(QSize(1024, 600)) == QSize(1024, 560)
    assert first_window_size(QSize(2560, 1400)) == QSize(1180, 780)
    assert first_window_size(None) == QSize(1180, 780)


def test_tab_moves_focus_and_the_shortcuts(main_window, qtbot):
    page = main_window.chat_page
    main_window.activateWindow()
    QTest.keyClick(main_window, Qt.Key_L, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.input.hasFocus(), timeout=2000)
    QTest.keyClicks(page.input, "hi")
    QTest.keyClick(page.input, Qt.Key_Tab)
    assert page.input.toPlainText() == "hi" and not page.input.hasFocus()  # no tab character, focus moved on
    QTest.keyClick(main_window, Qt.Key_F, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.sidebar.search.hasFocus(), timeout=2000)
    assert page.sidebar.import_button.text() == "Import chat…"
    with qtbot.waitSignal(page.session.current_changed, timeout=2000):
        QTest.keyClick(main_window, Qt.Key_N, Qt.ControlModifier)
    QTest.keyClick(main_window, Qt.Key_Q, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=5000)


def test_the_download_progress_bar_fills_from_the_left(qtbot):
    from app.ui.common.table_model import DISPLAY, USER
    from app.ui.downloads.downloads_tab import ProgressDelegate

    class Half(QModelIndex):
        def data(self, role=DISPLAY):
            return 0.5 if role == USER else "50%"

    img = QImage(400, 40, QImage.Format_ARGB32)
    img.fill(QColor("white"))
    opt = QStyleOptionViewItem()
    opt.rect = img.rect()
    opt.state = QApplication.style().StateFlag.State_Enabled
    p = QPainter(img)
    ProgressDelegate().paint(p, opt, Half())
    p.end()
    for y in (9, 20, 31):  # at every height the left half is filled and the right half is not (a vertical bar
        assert img.pixelColor(60, y) != img.pixelColor(340, y), y  # filled from the bottom leaves the top empty)


def test_settings_and_geometry_are_saved_when_they_change_not_only_on_close(main_window, qtbot, ctx):
    import json

    from PySide6.QtCore import QSettings

    page = main_window.chat_page
    page.panel.n_ctx.setValue(2048)

    def saved_ctx():
        f = ctx.paths.settings_file
        return json.loads(f.read_text())["n_ctx"] if f.exists() else None

    qtbot.waitUntil(lambda: saved_ctx() == 2048, timeout=3000)
    main_window.resize(1000, 650)
    ini = QSettings(str(ctx.paths.config_dir / "window.ini"), QSettings.IniFormat)
    qtbot.waitUntil(lambda: (ini.sync(), ini.value("geometry"))[1] is not None, timeout=3000)
