"""The chat view on its own: markdown blocks, incremental splitting, lazy layout of long conversations."""
import random

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ui.chat.message_model import MessageListModel, ViewMessage
from app.ui.common.markdown import extend_blocks, split_blocks, split_blocks_at

PIECES = ["a", "b c", "\n", "\n\n", "```", "\n```\n", "~~~", "- x", "| a |", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.data())
def test_incremental_block_split_equals_full_split(pieces, data):
    text = "".join(pieces)
    cut = data.draw(st.integers(0, len(text)))
    assert extend_blocks(text[:cut], split_blocks_at(text[:cut]), text) == split_blocks_at(text)


def test_blocks_keep_fenced_code_together():
    text = "Intro\n\n```py\na = 1\n\nb = 2\n```\n\nOutro"
    assert split_blocks(text) == ["Intro", "```py\na = 1\n\nb = 2\n```", "Outro"]


def test_qt_model_passes_modeltester(qtmodeltester):
    m = MessageListModel()
    for i in range(5):
        m.append(ViewMessage(i, "user" if i % 2 == 0 else "assistant", f"message {i}"))
    qtmodeltester.check(m)


def test_long_conversation_lays_out_lazily_and_stays_consistent(qtbot):
    from app.ui.chat.chat_view import ChatView

    model = MessageListModel()
    view = ChatView(model)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    rng = random.Random(3)
    rows = [ViewMessage(i, "user" if i % 2 == 0 else "assistant",
                        "\n\n".join("word " * rng.randint(5, 80) for _ in range(rng.randint(1, 4))))
            for i in range(400)]
    renders_before = view.painter_.renders
    model.set_messages(rows)
    qtbot.wait(10)
    assert view._at_bottom(), "a conversation opens at its end"
    assert not all(view._exact), "rows far above the viewport are only estimated at first"
    assert view.painter_.renders - renders_before < 400, "opening does not render every message"
    qtbot.waitUntil(lambda: all(view._exact), timeout=20000)  # idle-time refinement finishes
    exact = [view._measure(r) for r in range(len(rows))]
    assert view._heights == exact
    offsets = [6]
    for h in exact[:-1]:
        offsets.append(offsets[-1] + h)
    assert view._offsets == offsets
    assert view._at_bottom(), "refinement above the viewport keeps the view pinned to the bottom"
    view.scroll_to_row(10, highlight=True)
    assert view.row_at(8) == 10 and view.highlight_row == 10


def test_opening_lays_out_the_screen_on_the_next_turn_or_when_asked(qtbot):
    """A reset (a conversation opened) only estimates heights in the same turn of the event loop; the rows on
    screen are measured on the next turn, or at once when something needs the exact layout."""
    from app.ui.chat.chat_view import ChatView

    model = MessageListModel()
    view = ChatView(model)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    rows = [ViewMessage(i, "user" if i % 2 == 0 else "assistant", "some words here\n\n" * (1 + i % 7))
            for i in range(200)]
    renders_before = view.painter_.renders
    model.set_messages(rows)
    view.scroll_to_bottom()  # what the page does right after opening: still nothing rendered
    assert view.painter_.renders == renders_before and not any(view._exact)
    qtbot.waitUntil(lambda: view._exact[-1], timeout=5000)  # the next turn
    assert view._at_bottom() and view.painter_.renders > renders_before
    bottom_rows = [r for r in view.visible_rows()]
    assert bottom_rows and all(view._exact[r] for r in bottom_rows)
    # asked at once: a search hit scrolled to right after the reset
    model.set_messages(rows[:150])
    view.scroll_to_row(20, highlight=True)
    assert view.row_at(8) == 20 and all(view._exact[r] for r in range(18, 24))
    assert view._exact[-1], "the bottom was laid out first, as the reset asked"


def test_streaming_growth_only_rerenders_the_tail(qtbot):
    from app.ui.chat.chat_view import ChatView

    model = MessageListModel()
    view = ChatView(model)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    model.set_messages([ViewMessage(1, "user", "hi"), ViewMessage(2, "assistant", "", state="streaming")])
    for i in range(30):
        model.append_text(1, f"Paragraph {i} with some words in it.\n\n")
    view.viewport().repaint()
    before = view.painter_.renders
    model.append_text(1, "one more token")
    view.viewport().repaint()
    assert view.painter_.renders - before <= 2, "one new token re-renders the last block (and nothing else)"


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the offscreen platform's popup menu
def test_keyboard_reaches_every_action_and_the_menu_lists_them(qtbot):
    """Messages and their painted links without a mouse: Tab lands on the newest message, Up/Down move between
    messages, Left/Right choose an action (drawn highlighted in the footer), Enter runs it; the Menu key opens a
    real menu of the same actions; Ctrl+C copies the current message; Tab leaves the transcript."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from app.ui.chat.chat_view import ChatView

    model = MessageListModel()
    box = QWidget()
    lay = QVBoxLayout(box)
    before, view, after = QLineEdit(), ChatView(model), QLineEdit()
    for w in (before, view, after):
        lay.addWidget(w)
    qtbot.addWidget(box)
    box.resize(700, 500)
    box.show()
    qtbot.waitExposed(box)
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    model.set_messages([ViewMessage(1, "user", "first question"), ViewMessage(2, "assistant", "first answer"),
                        ViewMessage(3, "user", "second question"),
                        ViewMessage(4, "assistant", "second answer", sibling_index=1, sibling_count=2)])
    ran = []
    view.action.connect(lambda mid, name, arg: ran.append((mid, name)))
    before.setFocus()
    QTest.keyClick(before, Qt.Key_Tab)
    assert view.hasFocus() and view.cursor.row == 3
    for _ in range(10):  # Right stops at the last action
        QTest.keyClick(view, Qt.Key_Right)
    assert view.cursor.current_href() == "prev-sibling:"
    assert 'href="prev-sibling:" style="background-color' in view.painter_._footer_html(model.message(3))
    QTest.keyClick(view, Qt.Key_Return)
    assert ran[-1] == (4, "prev-sibling")
    QTest.keyClick(view, Qt.Key_Up)
    assert view.cursor.row == 2 and view.cursor.action == -1
    QTest.keyClick(view, Qt.Key_Right)
    QTest.keyClick(view, Qt.Key_Right)
    assert view.cursor.current_href() == "edit:"
    QTest.keyClick(view, Qt.Key_Space)
    assert ran[-1] == (3, "edit")
    QTest.keyClick(view, Qt.Key_Home)
    assert view.cursor.row == 0
    QTest.keyClick(view, Qt.Key_C, Qt.ControlModifier)
    assert ran[-1] == (1, "copy-message")
    QTest.keyClick(view, Qt.Key_Menu)
    menu = view.menu
    assert menu is not None and menu.isVisible()
    assert [a.text() for a in menu.actions()] == ["Copy", "Edit", "Delete"]
    menu.actions()[2].trigger()
    assert ran[-1] == (1, "delete")
    menu.close()
    QTest.keyClick(view, Qt.Key_End)
    assert view.cursor.row == 3
    QTest.keyClick(view, Qt.Key_Tab)
    assert after.hasFocus()  # no focus trap
    assert 'style="background-color' not in view.painter_._footer_html(model.message(3))  # no mark unfocused
