"""Every control a user can reach has a name a screen reader can say (issue 18), read through QAccessible as a
screen reader reads it: on every page and every tab of the Models page, at the window's default size."""
from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox,
                               QLineEdit, QPlainTextEdit, QScrollBar, QTabBar, QTextEdit, QWidget)

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractSlider, QAbstractItemView,
            QPlainTextEdit, QTextEdit, QTabBar)


def unnamed(win: QWidget) -> list[str]:
    out = []
    for w in win.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or isinstance(w, QScrollBar) or not w.isVisibleTo(win):
            continue
        parent = w.parentWidget()
        if parent is not None and isinstance(parent.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the line edit inside a spin box or an editable combo: its owner carries the name
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            continue  # ... and a table's header, which the table's own interface presents
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            out.append(f"{type(w).__name__} objectName={w.objectName()!r} tooltip={w.toolTip()[:40]!r} "
                       f"in {type(parent).__name__ if parent else None}")
    return out


def test_every_control_on_every_page_has_an_accessible_name(main_window, qtbot):
    from tests.ui.test_layout_sizes import views

    problems = []
    for name, show in views(main_window):
        show()
        qtbot.wait(30)
        problems += [f"{name}: {p}" for p in unnamed(main_window)]
    assert not problems, "\n".join(sorted(set(problems)))
