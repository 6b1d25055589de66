"""The transcript as a screen reader reads it (issue 18): through ``QAccessible`` only, from the window's own
interface down, a streamed reply from the real engine (SmolLM2) is found with its author, text, state and
actions; the actions run through Qt's action interface (Copy, Regenerate, Previous version); the keyboard's
current message is the list's focus child. No widget internals are read to check what a screen reader gets."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtTest import QTest

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def find(iface, pred, depth: int = 0):
    if iface is None or depth > 40:
        return None
    if pred(iface):
        return iface
    for i in range(iface.childCount()):
        hit = find(iface.child(i), pred, depth + 1)
        if hit is not None:
            return hit
    return None


def transcript(win):
    root = QAccessible.queryAccessibleInterface(win)
    return find(root, lambda i: i.role() == QAccessible.Role.List and i.text(NAME) == "Messages")


def test_a_streamed_reply_and_its_actions_read_through_qaccessible(installed_starter, ctx, qtbot, monkeypatch):
    from PySide6.QtGui import QAccessibleAnnouncementEvent

    from app.ui.main_window import MainWindow

    # a screen reader listening: Qt's accessibility on, and every update Qt is given recorded, then passed on
    events = []
    real_update = QAccessible.updateAccessibility

    def record(event):
        events.append((event.type(), event.message() if isinstance(event, QAccessibleAnnouncementEvent) else ""))
        real_update(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    QAccessible.setActive(True)
    monkeypatch.setattr(QAccessible, "isActive", lambda: True)  # the offscreen platform never turns it on

    ctx.settings.n_threads = 1
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    page = win.chat_page
    messages = transcript(win)
    assert messages is not None and messages.childCount() == 0
    assert "Up and Down" in messages.text(DESCRIPTION)  # how to move in it is said, not only shown

    page.panel.max_tokens.setValue(60)
    page.panel.temperature.setValue(0.0)
    seen = []  # what a screen reader finds each time a piece of the reply arrives

    def on_delta(gen, text):
        if messages.childCount() == 2:
            item = messages.child(1)
            seen.append((item.text(NAME), item.text(DESCRIPTION), item.state().busy,
                         item.actionInterface().actionNames()))

    page.engine.delta.connect(on_delta)
    page.input.setFocus()
    QTest.keyClicks(page.input, "Name three rivers.")
    QTest.keyClick(page.input, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.session.generating, timeout=90000)
    qtbot.waitUntil(lambda: not page.session.generating, timeout=90000)
    page.engine.delta.disconnect(on_delta)
    # while it streamed: the reply was there, growing, marked as still writing, busy, with no actions yet
    assert seen and all(d.startswith("reply; still writing") and busy and acts == [] for _, d, busy, acts in seen)
    assert all(n.startswith("Assistant: ") for n, *_ in seen) and len(seen[-1][0]) >= len(seen[0][0])
    reply = messages.child(1)
    user = messages.child(0)
    assert user.role() == QAccessible.Role.ListItem and user.text(NAME) == "You: Name three rivers."
    assert messages.indexOfChild(reply) == 1 and reply.parent().text(NAME) == "Messages"
    name = reply.text(NAME)
    assert name.startswith("Assistant: ") and len(name) > len("Assistant: ") + 3
    assert "still writing" not in reply.text(DESCRIPTION)
    acts = reply.actionInterface()
    assert acts is not None and acts.actionNames() == ["Copy", "Regenerate", "Delete"]
    assert "actions: Copy, Regenerate, Delete" in reply.text(DESCRIPTION)
    assert not reply.rect().isEmpty() and win.frameGeometry().adjusted(-2, -2, 2, 2).contains(reply.rect())

    acts.doAction("Copy")
    assert QGuiApplication.clipboard().text() == name[len("Assistant: "):]

    first = name
    page.panel.temperature.setValue(1.5)  # a different reply, so the two versions can be told apart
    page.panel.seed.setValue(7)
    acts.doAction("Regenerate")
    qtbot.waitUntil(lambda: page.session.generating, timeout=10000)
    qtbot.waitUntil(lambda: not page.session.generating, timeout=90000)
    reply = messages.child(1)
    said = [m for t, m in events if t == QAccessible.Event.Announcement]
    assert len(said) == 2 and said[0] == "Reply: " + first[len("Assistant: "):]
    assert said[-1] == "Reply: " + reply.text(NAME)[len("Assistant: "):]  # each finished reply is read out
    assert "version 2 of 2" in reply.text(DESCRIPTION)
    assert "Previous version" in reply.actionInterface().actionNames()
    reply.actionInterface().doAction("Previous version")
    qtbot.waitUntil(lambda: "version 1 of 2" in messages.child(1).text(DESCRIPTION), timeout=5000)
    assert messages.child(1).text(NAME) == first

    # the keyboard's current message is what a screen reader follows
    page.view.setFocus(Qt.TabFocusReason)
    focus = messages.focusChild()
    assert focus is not None and messages.indexOfChild(focus) == 1 and focus.state().focused
    QTest.keyClick(page.view, Qt.Key_Up)
    focus = messages.focusChild()
    assert messages.indexOfChild(focus) == 0 and focus.text(NAME) == "You: Name three rivers."
    assert not messages.child(1).state().focused
    assert events[-1][0] == QAccessible.Event.Focus  # the move was told to the screen reader
    QAccessible.setActive(False)


def test_message_interfaces_follow_conversations_and_outlive_nothing(installed_starter, ctx, qtbot):
    """Opening another conversation, deleting messages and closing the window release the messages'
    interfaces from Qt's accessibility cache (a freed interface left in it would crash a screen reader)."""
    from app.ui.main_window import MainWindow
    from app.ui.chat.message_model import ViewMessage

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    page = win.chat_page
    messages = transcript(win)
    page.model.set_messages([ViewMessage(i, "user" if i % 2 else "assistant", f"m{i}") for i in range(1, 41)])
    items = [messages.child(i) for i in range(40)]
    ids = [QAccessible.uniqueId(i) for i in items]  # registered, as a screen reader's bridge would
    assert len(set(ids)) == 40 and items[39].text(NAME) == "Assistant: m40"
    page.model.remove_rows(0, 9)
    assert messages.childCount() == 30 and messages.child(0).text(NAME) == "You: m11"
    assert QAccessible.accessibleInterface(ids[0]) is None  # released, not left dangling
    assert QAccessible.accessibleInterface(ids[10]) is not None
    page.model.set_messages([ViewMessage(100, "assistant", "fresh")])
    assert messages.childCount() == 1 and messages.child(0).text(NAME) == "Assistant: fresh"
    assert all(QAccessible.accessibleInterface(i) is None for i in ids)
    win.close()
