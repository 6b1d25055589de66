"""The chat transcript as a screen reader sees it.

``ChatView`` paints its messages itself, so Qt knows nothing of them: without this module Orca or NVDA read the
view as one empty "Messages" area. Here the view's accessible interface is a list whose children are the
messages: each a list item named "<author>: <text>", described by its state ("still writing", "interrupted",
"version 2 of 3") and carrying its actions (Copy, Edit or Regenerate, Delete, Previous / Next version) through
Qt's action interface, the same actions the footer's links and the keyboard run.

Lifetime: Qt's accessibility cache may hold (register) any interface handed to it. A message's interface is made
once per message id and kept by the view; when its message goes away it is removed from Qt's cache with
``deleteAccessibleInterface`` before Python lets go of it, so the cache never holds a freed object.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget

from app.ui.chat.message_model import ViewMessage, images_words
from app.ui.chat.message_painter import message_actions
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate

# the words are translated where they are read out (context "ChatAccessible")
AUTHORS = {"user": QT_TRANSLATE_NOOP("ChatAccessible", "You"),
           "assistant": QT_TRANSLATE_NOOP("ChatAccessible", "Assistant"),
           "system": QT_TRANSLATE_NOOP("ChatAccessible", "System prompt"),
           "notice": QT_TRANSLATE_NOOP("ChatAccessible", "Notice")}
STATES = {"streaming": QT_TRANSLATE_NOOP("ChatAccessible", "still writing"),
          "stopped": QT_TRANSLATE_NOOP("ChatAccessible", "stopped"),
          "error": QT_TRANSLATE_NOOP("ChatAccessible", "error")}
ROLE_WORDS = {"user": QT_TRANSLATE_NOOP("ChatAccessible", "your message"),
              "assistant": QT_TRANSLATE_NOOP("ChatAccessible", "reply"),
              "system": QT_TRANSLATE_NOOP("ChatAccessible", "system prompt"),
              "notice": QT_TRANSLATE_NOOP("ChatAccessible", "notice")}
KEYS_HINT = QT_TRANSLATE_NOOP("ChatAccessible", "Up and Down move between messages; Left and Right choose an action, "
                                                "Enter runs it; the Menu key lists them")


def keys_hint() -> str:
    """KEYS_HINT in the current language."""
    return translate("ChatAccessible", KEYS_HINT)


def message_name(m: ViewMessage) -> str:
    """What a screen reader reads first: the author and the whole text."""
    author = translate("ChatAccessible", AUTHORS[m.role]) if m.role in AUTHORS else m.role.title()
    text = f"{author}: {m.text}" if m.role != "notice" else m.text
    if m.error:
        text += f" ({m.error})"
    return text


def message_description(m: ViewMessage) -> str:
    """What it reads after: the kind of message, its state, its version, and its actions."""
    bits = [translate("ChatAccessible", ROLE_WORDS[m.role]) if m.role in ROLE_WORDS else m.role]
    if m.images:
        bits.append(images_words(len(m.images)))
    if m.state == "interrupted":
        bits.append(translate("ChatAccessible", "interrupted: the engine crashed during this reply")
                    if (m.stats or {}).get("stop_reason") == "interrupted"
                    else translate("ChatAccessible", "interrupted: the app closed"))
    elif m.state in STATES:
        bits.append(translate("ChatAccessible", STATES[m.state]))
    if m.sibling_count > 1:
        bits.append(translate("ChatAccessible", "version {index} of {count}").format(index=m.sibling_index + 1,
                                                                                     count=m.sibling_count))
    if m.excluded:
        bits.append(translate("ChatAccessible", "left out of what the model sees"))
    names = [name for _, name in message_actions(m)]
    if names:
        bits.append(translate("ChatAccessible", "actions: {names}").format(names=", ".join(names)))
    return "; ".join(bits)


def finished_words(m: ViewMessage) -> str:
    """What a screen reader says when a reply ends: how it ended, then the reply."""
    how = {"stopped": translate("ChatAccessible", "Reply stopped"),
           "interrupted": translate("ChatAccessible", "Reply interrupted"),
           "error": translate("ChatAccessible", "Reply failed")}.get(m.state) or translate("ChatAccessible", "Reply")
    return f"{how}: {m.text}" if m.text else translate("ChatAccessible", "{how}, with no text.").format(how=how)


class _MessageActions(QAccessibleActionInterface):
    """The message's actions (a separate object: Qt casts the interface pointer to exactly this type)."""

    def __init__(self, item: "MessageAccessible") -> None:
        super().__init__()
        self._item = item

    def actionNames(self) -> list[str]:  # noqa: N802 (Qt API)
        return [name for _, name in self._item.actions()]

    def doAction(self, name: str) -> None:  # noqa: N802
        self._item.do(name)

    def keyBindingsForAction(self, name: str) -> list[str]:  # noqa: N802
        return []


class MessageAccessible(QAccessibleInterface):
    """One message of the transcript, found by its id (rows move as messages come and go)."""

    def __init__(self, view, message_id: int) -> None:
        super().__init__()
        self._view = view
        self.message_id = message_id
        self._actions = _MessageActions(self)

    # ---- lookups ------------------------------------------------------------------------------------------
    def row(self) -> int:
        try:
            return self._view.model.row_of(self.message_id)
        except RuntimeError:  # the view is gone
            return -1

    def message(self) -> ViewMessage | None:
        r = self.row()
        return self._view.model.message(r) if r >= 0 else None

    def actions(self) -> list[tuple[str, str]]:
        m = self.message()
        return message_actions(m) if m is not None else []

    def do(self, name: str) -> None:
        r = self.row()
        for href, label in self.actions():
            if label == name and r >= 0:
                self._view.activate(r, href)
                return

    # ---- QAccessibleInterface -----------------------------------------------------------------------------
    def isValid(self) -> bool:  # noqa: N802
        return self.row() >= 0

    def object(self):
        return None

    def window(self):
        try:
            return self._view.window().windowHandle()
        except RuntimeError:
            return None

    def relations(self, match=None) -> list:
        return []

    def focusChild(self):  # noqa: N802
        return None

    def childAt(self, x: int, y: int):  # noqa: N802
        return None

    def parent(self):
        try:
            return QAccessible.queryAccessibleInterface(self._view)
        except RuntimeError:
            return None

    def child(self, index: int):
        return None

    def childCount(self) -> int:  # noqa: N802
        return 0

    def indexOfChild(self, child) -> int:  # noqa: N802
        return -1

    def text(self, t: QAccessible.Text) -> str:
        m = self.message()
        if m is None:
            return ""
        if t == QAccessible.Text.Name:
            return message_name(m)
        if t == QAccessible.Text.Description:
            return message_description(m)
        if t == QAccessible.Text.Help:
            return keys_hint()
        return ""

    def setText(self, t, text: str) -> None:  # noqa: N802 - read-only
        pass

    def rect(self) -> QRect:
        r = self.row()
        if r < 0:
            return QRect()
        box = self._view.row_rect(r).toAlignedRect().intersected(self._view.viewport().rect())
        if box.isEmpty():
            return QRect()
        return QRect(self._view.viewport().mapToGlobal(box.topLeft()), box.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        s = QAccessible.State()
        r = self.row()
        s.focusable = True
        s.selectable = True
        s.readOnly = True
        s.multiLine = True
        if r < 0:
            s.invalid = True
            return s
        current = r == self._view.cursor.row
        s.focused = current and self._view.hasFocus()
        s.selected = current
        m = self._view.model.message(r)
        s.busy = m.state == "streaming"
        if r not in self._view.visible_rows():
            s.offscreen = True
        return s

    def interface_cast(self, t):
        return self._actions if t == QAccessible.InterfaceType.ActionInterface else None


class ChatViewAccessible(QAccessibleWidget):
    """The transcript: a list of messages (its scroll bar stays reachable with the keyboard's Page keys)."""

    def __init__(self, view) -> None:
        super().__init__(view, QAccessible.Role.List, "")
        self._view = view

    def childCount(self) -> int:  # noqa: N802
        return self._view.model.rowCount()

    def child(self, index: int):
        if 0 <= index < self._view.model.rowCount():
            return self._view.accessible_item(index)
        return None

    def indexOfChild(self, child) -> int:  # noqa: N802
        return child.row() if isinstance(child, MessageAccessible) else -1

    def focusChild(self):  # noqa: N802
        r = self._view.cursor.row
        if self._view.hasFocus() and 0 <= r < self._view.model.rowCount():
            return self._view.accessible_item(r)
        return None

    def childAt(self, x: int, y: int):  # noqa: N802
        pos = self._view.viewport().mapFromGlobal(QPoint(x, y))
        r = self._view.row_at(pos.y()) if self._view.viewport().rect().contains(pos) else -1
        return self._view.accessible_item(r) if r >= 0 else None

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Help:
            return keys_hint()
        return super().text(t)


class AccessibleItems:
    """The view's message interfaces, one per message id, released from Qt's cache when their message goes."""

    def __init__(self, view) -> None:
        self._view = view
        self._items: dict[int, MessageAccessible] = {}

    def get(self, row: int) -> MessageAccessible:
        mid = self._view.model.message(row).id
        item = self._items.get(mid)
        if item is None:
            item = self._items[mid] = MessageAccessible(self._view, mid)
        return item

    def prune(self) -> None:
        """Release the interfaces of messages no longer shown."""
        alive = {m.id for m in self._view.model.messages()}
        for mid in [mid for mid in self._items if mid not in alive]:
            release(self._items.pop(mid))

    def release_all(self) -> None:
        for item in self._items.values():
            release(item)
        self._items.clear()


def release(item: QAccessibleInterface) -> None:
    QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(item))


def notify(item: QAccessibleInterface, event: QAccessible.Event) -> None:
    """Tell an active screen reader that ``item`` changed (a no-op, and no work, when none is listening)."""
    if QAccessible.isActive():
        from PySide6.QtGui import QAccessibleEvent

        QAccessible.updateAccessibility(QAccessibleEvent(item, event))


def announce(widget, message: str) -> None:
    """Have an active screen reader say ``message`` (a finished reply, for one)."""
    if QAccessible.isActive() and message:
        from PySide6.QtGui import QAccessibleAnnouncementEvent

        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, message))


def _factory(key: str, obj):
    if key == "ChatView" and hasattr(obj, "accessible_item"):  # the class name Qt's meta-object reports
        return ChatViewAccessible(obj)
    return None


_installed = False


def install() -> None:
    """Make Qt ask this module for the chat view's interface (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
