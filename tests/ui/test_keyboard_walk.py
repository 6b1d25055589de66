"""A keyboard walk through every page in Turkish, as a keyboard or screen-reader user moves: Tab from the page's
first control. Every press moves the focus on (no control keeps it: a table's Tab goes to the next control, arrow
keys move inside it; a multi-line box passes Tab on), the walk comes back round within the page's controls, and
every stop has an accessible name a screen reader can say, in Turkish."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

ENGLISH = {"Chat", "Models", "Hardware", "Network", "Documents", "Language", "Offline mode", "Messages", "Message"}


def walk(win, presses: int = 70) -> list:
    stops = []
    for _ in range(presses):
        current = QApplication.focusWidget() or win
        QTest.keyClick(current, Qt.Key_Tab)
        w = QApplication.focusWidget()
        assert w is not None and w is not current, f"Tab left the focus on {type(current).__name__} " \
                                                   f"{current.accessibleName()!r}"
        if w in stops:
            return stops
        stops.append(w)
    raise AssertionError(f"Tab never came back round: {[s.accessibleName() for s in stops]}")


def test_tab_walks_every_page_and_each_stop_is_named_in_turkish(main_window, qtbot):
    from app.ui.common.i18n import install_language, switch_language

    win = main_window
    win.resize(1366, 768)
    try:
        assert switch_language("tr") == "tr"
        for page in range(5):
            win.nav.page_requested.emit(page)
            qtbot.wait(300)
            win.activateWindow()
            stops = walk(win)
            assert len(stops) >= 5, page
            unnamed = [type(w).__name__ for w in stops if not w.accessibleName().strip()]
            assert not unnamed, f"page {page}: focus stops without a name: {unnamed}"
            english = [w.accessibleName() for w in stops if w.accessibleName() in ENGLISH]
            assert not english, f"page {page}: names left in English: {english}"
    finally:
        install_language("en")
