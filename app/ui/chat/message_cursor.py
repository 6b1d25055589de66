"""The keyboard's place in the chat transcript: a current message and, inside it, a current action.

The footer's Copy / Edit / Regenerate / Delete / ‹ › are painted links; this makes them reachable without a
mouse. With the transcript focused (Tab reaches it; it starts at the newest message):

- Up / Down move to the previous / next message (Home / End: the first / last), scrolling it into view;
- Left / Right choose among the current message's actions (drawn highlighted), Enter or Space runs the chosen
  one; with none chosen, Enter opens the list of actions (as the Menu key and Shift+F10 always do);
- Ctrl+C copies the current message; Page Up / Page Down scroll; Tab moves on to the next control.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu

from app.ui.chat.chat_accessible import notify
from app.ui.chat.message_painter import message_actions
from app.ui.common.i18n import translate


class MessageCursor:
    def __init__(self, view) -> None:
        self.view = view
        self.row = -1
        self.action = -1  # index into the current message's actions; -1: the message itself
        self._before_reset: tuple[int, int, int] | None = None

    # ---- state ------------------------------------------------------------------------------------------
    def actions(self) -> list[tuple[str, str]]:
        if not 0 <= self.row < self.view.model.rowCount():
            return []
        return message_actions(self.view.model.message(self.row))

    def current_href(self) -> str:
        acts = self.actions()
        return acts[self.action][0] if 0 <= self.action < len(acts) else ""

    def move_to(self, row: int, action: int = -1, scroll: bool = True) -> None:
        n = self.view.model.rowCount()
        if n == 0:
            self.row, self.action = -1, -1
            self._mark()
            return
        row = max(0, min(row, n - 1))
        changed_row = row != self.row
        self.row = row
        self.action = max(-1, min(action, len(self.actions()) - 1))
        self._mark()
        if scroll:
            self.view.ensure_row_visible(row, bottom=self.action >= 0)
        self.view.viewport().update()
        if changed_row and self.view.hasFocus():
            notify(self.view.accessible_item(row), QAccessible.Event.Focus)

    def _mark(self) -> None:
        """Show the chosen action (only while the transcript has the keyboard)."""
        if self.view.hasFocus() and self.row >= 0 and self.action >= 0:
            self.view.painter_.set_focus(self.view.model.message(self.row).id, self.current_href())
        else:
            self.view.painter_.set_focus(-1, "")

    def refresh(self) -> None:
        self._mark()
        self.view.viewport().update()

    # ---- model changes ------------------------------------------------------------------------------------
    def about_to_reset(self) -> None:
        n = self.view.model.rowCount()
        self._before_reset = (self.view.model.message(self.row).id, self.row, self.action) \
            if 0 <= self.row < n else None

    def reset(self) -> None:
        """The messages were replaced: stay on the same message if it is still there, else at the same place
        (a regenerated or edited branch puts its new message where the old one was)."""
        before, self._before_reset = self._before_reset, None
        n = self.view.model.rowCount()
        self.row, self.action = -1, -1
        if before is not None and n:
            mid, row, action = before
            found = self.view.model.row_of(mid)
            self.row = found if found >= 0 else min(row, n - 1)
            self.action = min(action, len(self.actions()) - 1) if found >= 0 else -1
        self._mark()

    def rows_inserted(self, first: int, last: int) -> None:
        if 0 <= first <= self.row:
            self.row += last - first + 1

    def rows_removed(self, first: int, last: int) -> None:
        if self.row > last:
            self.row -= last - first + 1
        elif self.row >= first:
            self.row = min(first, self.view.model.rowCount() - 1)
            self.action = -1
        self._mark()

    def message_changed(self, row: int) -> None:
        if row == self.row and self.action >= len(self.actions()):
            self.action = len(self.actions()) - 1
            self._mark()

    # ---- keys ---------------------------------------------------------------------------------------------
    def focus_in(self) -> None:
        n = self.view.model.rowCount()
        if n and not 0 <= self.row < n:
            self.move_to(n - 1, scroll=False)
        else:
            self.refresh()
        if 0 <= self.row < n:
            notify(self.view.accessible_item(self.row), QAccessible.Event.Focus)

    def key(self, event: QKeyEvent) -> bool:
        """Handle a key press; False: not ours (the view scrolls or passes it on)."""
        n = self.view.model.rowCount()
        key, mods = event.key(), event.modifiers()
        if n == 0:
            return False
        if event.matches(QKeySequence.Copy):
            self.view.activate(self.row if self.row >= 0 else n - 1, "copy-message:")
            return True
        if mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            return False
        if key == Qt.Key_Up:
            self.move_to(self.row - 1 if self.row > 0 else 0)
        elif key == Qt.Key_Down:
            self.move_to(self.row + 1 if self.row >= 0 else n - 1)
        elif key == Qt.Key_Home:
            self.move_to(0)
        elif key == Qt.Key_End:
            self.move_to(n - 1)
            self.view.scroll_to_bottom()
        elif key in (Qt.Key_Left, Qt.Key_Right):
            if self.row < 0:
                self.move_to(n - 1)
            step = -1 if key == Qt.Key_Left else 1
            self.move_to(self.row, max(-1, min(self.action + step, len(self.actions()) - 1)))
        elif key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            href = self.current_href()
            if href:
                self.view.activate(self.row, href)
            elif key != Qt.Key_Space:
                self.open_menu()
        elif key == Qt.Key_Menu or (key == Qt.Key_F10 and mods & Qt.ShiftModifier):
            self.open_menu()
        else:
            return False
        return True

    # ---- the actions menu ---------------------------------------------------------------------------------
    def open_menu(self, row: int | None = None, at: QPoint | None = None) -> QMenu | None:
        """A menu of the message's actions (keyboard and screen-reader friendly, as every Qt menu is)."""
        if row is not None and row != self.row:
            self.move_to(row, scroll=False)
        acts = self.actions()
        if not acts:
            return None
        message_id = self.view.model.message(self.row).id
        menu = QMenu(self.view)
        menu.setAccessibleName(translate("MessageCursor", "Message actions"))
        for href, name in acts:
            menu.addAction(name, lambda h=href: self._run(message_id, h))
        if at is None:
            rect = self.view.row_rect(self.row).toAlignedRect()
            at = self.view.viewport().mapToGlobal(QPoint(rect.left() + 24, min(rect.bottom(), self.view.viewport().height()) - 8))
        self.view.menu = menu  # tests reach the open menu here
        menu.popup(at)
        return menu

    def _run(self, message_id: int, href: str) -> None:
        row = self.view.model.row_of(message_id)
        if row >= 0:
            self.view.activate(row, href)
