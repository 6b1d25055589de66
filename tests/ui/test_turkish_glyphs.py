"""The dot of a capital İ survives in an unselected tab: Fusion draws unselected tab labels 2 px lower inside the same
clip, which cut the dot off ("İndirmeler" read "Indirmeler" on the Models page in Turkish). Checked on the pixels of
the real tab bar with Hearth's style: the ink of "İ" starts above the ink of "I"."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.common.theme import apply_theme


def ink_top(img, rect) -> int:
    for y in range(rect.top(), rect.bottom()):
        for x in range(rect.left() + 4, rect.right() - 4):
            if img.pixelColor(x, y).lightness() < 110:
                return y
    return rect.bottom()


def test_a_capital_dotted_i_keeps_its_dot_in_an_unselected_tab(qapp, qtbot):
    apply_theme(qapp, "light")
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    for text in ("Keşfet", "İ", "I"):
        tabs.addTab(QWidget(), text)
    tabs.setCurrentIndex(0)
    tabs.resize(400, 120)
    tabs.show()
    qtbot.waitExposed(tabs)
    bar = tabs.tabBar()
    img = bar.grab().toImage()
    dotted, plain = ink_top(img, bar.tabRect(1)), ink_top(img, bar.tabRect(2))
    assert dotted < plain - 1, (dotted, plain)
