"""Every page from a 1366x768 laptop down to 900x600 (issue 18): the window takes the size it is given, no
interactive widget is partly clipped outside a scroll area, no two overlap. Screenshots of each page at each
size are written to docs/screenshots/ (Turkish: docs/screenshots/tr/) when HEARTH_SCREENSHOTS is set
(``make screenshots``); each size is checked in English and in Turkish, switched while the window is open."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSlider,
                               QAbstractSpinBox, QComboBox, QLineEdit, QScrollArea, QScrollBar, QTabBar, QWidget)

SIZES = [(1366, 768), (1100, 700), (900, 600)]
INTERACTIVE = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractScrollArea, QAbstractSlider,
               QTabBar)
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def interactive_widgets(win: QWidget) -> list[QWidget]:
    out = []
    for w in win.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or isinstance(w, QScrollBar) or not w.isVisibleTo(win):
            continue
        if w.width() <= 0 or w.height() <= 0:
            out.append(w)  # squeezed to nothing: reported as clipped
            continue
        if any(isinstance(a, (QAbstractItemView, QComboBox, QAbstractSpinBox)) for a in ancestors(w, win)):
            continue  # parts of a composite widget (editors, index widgets) scroll or move with it
        out.append(w)
    return out


def ancestors(w: QWidget, top: QWidget):
    p = w.parentWidget()
    while p is not None and p is not top:
        yield p
        p = p.parentWidget()


def clipped(w: QWidget, win: QWidget) -> str:
    """Why ``w`` is not wholly visible (empty: it is), unless a scroll area can bring it into view."""
    if w.width() <= 0 or w.height() <= 0:
        return "squeezed to nothing"
    rect = QRect(w.mapTo(win, w.rect().topLeft()), w.size())
    for a in ancestors(w, win):
        if isinstance(a.parentWidget(), QScrollArea) or isinstance(a, QScrollArea):
            return ""  # inside a scroll area: the user scrolls to it
        box = QRect(a.mapTo(win, a.rect().topLeft()), a.size())
        if not box.contains(rect):
            return f"cut by {type(a).__name__} {a.accessibleName() or a.objectName()!r}"
    if not win.rect().contains(rect):
        return "outside the window"
    return ""


def shown_rect(w: QWidget, win: QWidget) -> QRect:
    """The part of ``w`` on screen: inside a scroll area, only what its viewport shows."""
    rect = QRect(w.mapTo(win, w.rect().topLeft()), w.size())
    for a in ancestors(w, win):
        if isinstance(a.parentWidget(), QScrollArea):  # a is the viewport
            rect = rect.intersected(QRect(a.mapTo(win, a.rect().topLeft()), a.size()))
    return rect


def overlaps(widgets: list[QWidget], win: QWidget) -> list[tuple[QWidget, QWidget]]:
    rects = [(w, shown_rect(w, win)) for w in widgets]
    rects = [(w, r) for w, r in rects if not r.isEmpty()]
    out = []
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if ra.intersected(rb).width() > 1 and ra.intersected(rb).height() > 1:
                out.append((a, b))
    return out


def label(w: QWidget) -> str:
    return f"{type(w).__name__}({w.accessibleName() or w.objectName() or getattr(w, 'text', lambda: '')()!r})"


def views(win):
    """(name, how to show it) for every page and every tab of the Models page."""
    out = []
    for i, page in enumerate(win.pages):
        tabs = getattr(page, "tabs", None)
        if tabs is not None and hasattr(tabs, "count"):
            for t in range(tabs.count()):
                tab = tabs.widget(t)  # named by the tab's class: the same file names in every language
                kind = type(tab).__name__.lower().removesuffix("tab").removesuffix("page") or str(t)
                out.append((f"{type(page).__name__}-{kind}",
                            lambda i=i, t=t, tabs=tabs: (win.show_page(i), tabs.setCurrentIndex(t))))
        else:
            out.append((type(page).__name__, lambda i=i: win.show_page(i)))
    return out


def settle(qtbot) -> None:
    """Let pending work land, then lay out what it changed (a label that appeared a moment ago has moved its
    neighbours, but its parent's layout request is still queued: no paint ever shows that in-between state)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    qtbot.wait(30)
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        QCoreApplication.processEvents()


@pytest.fixture(params=["en", "tr"])
def language(request):
    """The window in English, and switched to Turkish while open (its strings are ~30% longer)."""
    from app.ui.common.i18n import install_language, qm_dir

    if request.param == "tr" and not (qm_dir() / "hearth_tr.qm").is_file():
        pytest.fail("resources/i18n/hearth_tr.qm is missing: `make test` compiles it (make i18n)", pytrace=False)
    yield request.param
    install_language("en")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_fits_without_clipping_or_overlap(main_window, qtbot, size, language):
    from app.ui.common.i18n import switch_language

    win = main_window
    if language != "en":
        assert switch_language(language) == language
        settle(qtbot)
    win.resize(*size)
    qtbot.wait(50)
    assert (win.width(), win.height()) == size, f"the window refused {size}: it stays {win.width()}x{win.height()}"
    problems = []
    for name, show in views(win):
        show()
        settle(qtbot)
        assert (win.width(), win.height()) == size, f"{name} made the window {win.width()}x{win.height()}"
        widgets = interactive_widgets(win)
        for w in widgets:
            why = clipped(w, win)
            if why:
                problems.append(f"{name}: {label(w)} {why}")
        for a, b in overlaps(widgets, win):
            problems.append(f"{name}: {label(a)} overlaps {label(b)}")
        if os.environ.get("HEARTH_SCREENSHOTS"):
            folder = SHOTS if language == "en" else SHOTS / language
            folder.mkdir(parents=True, exist_ok=True)
            win.grab().save(str(folder / f"{name.lower()}-{size[0]}x{size[1]}.png"))
    assert not problems, "\n".join(problems)


def test_narrow_chat_page_shows_one_side_panel_at_a_time(main_window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    win, page = main_window, main_window.chat_page
    win.resize(1366, 768)
    qtbot.wait(20)
    assert page.sidebar.isVisible() and page.panel.isVisible()  # wide: both beside the messages
    win.resize(900, 600)
    qtbot.wait(20)
    assert page.panel.isVisible() and not page.sidebar.isVisible()
    page.settings_button.click()  # closing the settings brings the conversations back
    assert page.sidebar.isVisible() and not page.panel.isVisible()
    page.settings_button.click()
    assert page.panel.isVisible() and not page.sidebar.isVisible()
    win.activateWindow()
    QTest.keyClick(win, Qt.Key_F, Qt.ControlModifier)  # searching needs the list: it comes back
    qtbot.waitUntil(lambda: page.sidebar.search.hasFocus(), timeout=2000)
    assert page.sidebar.isVisible() and not page.settings_button.isChecked()
    win.resize(1366, 768)
    page.settings_button.click()
    qtbot.wait(20)
    assert page.sidebar.isVisible() and page.panel.isVisible()
