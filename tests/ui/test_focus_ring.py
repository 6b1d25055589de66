"""The keyboard's focus is visible on every stop (issue 18): after Tab, the focused button, check box, text field,
combo box and spin box carry a 2 px ring in the theme's highlight colour (Fusion's own hint was invisible in the
dark theme); a control focused by a mouse click shows none."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from app.ui.common.theme import apply_theme, colors


def near(a: QColor, b: QColor, tol: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tol


def ring_at_left_edge(win: QWidget, w: QWidget) -> bool:
    img = win.grab().toImage()
    origin = w.mapTo(win, QPoint(0, 0))
    want = QColor(colors()["highlight"])
    y = origin.y() + w.height() // 2
    return any(near(img.pixelColor(origin.x() + dx, y), want) for dx in (1, 2))


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_tab_draws_a_ring_on_each_kind_of_control(qapp, qtbot, mode):
    apply_theme(qapp, mode)
    win = QWidget()
    lay = QHBoxLayout(win)
    start = QLineEdit("start")
    combo = QComboBox()
    combo.addItems(["one", "two"])
    controls = [QPushButton("Button"), QCheckBox("Check"), QLineEdit("text"), combo, QSpinBox()]
    for w in [start, *controls]:
        lay.addWidget(w)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    start.setFocus()
    for w in controls:
        QTest.keyClick(QWidget.focusWidget(win) or win, Qt.Key_Tab)
        qtbot.waitUntil(w.hasFocus, timeout=2000)
        assert ring_at_left_edge(win, w), f"{type(w).__name__} has no visible focus ring ({mode})"
        others = [o for o in controls if o is not w and not isinstance(o, QCheckBox)]
        assert not any(ring_at_left_edge(win, o) for o in others)
    apply_theme(qapp, "light")


def test_a_mouse_click_draws_no_ring(qapp, qtbot):
    apply_theme(qapp, "light")
    win = QWidget()
    lay = QHBoxLayout(win)
    button = QPushButton("Button")
    lay.addWidget(button)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    QTest.mouseClick(button, Qt.LeftButton)
    assert button.hasFocus() and not ring_at_left_edge(win, button)
