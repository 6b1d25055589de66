"""A virtualized view of the chat messages.

Why not QListView: when the streaming reply grows, QListView can only re-measure by laying out every row
again (a Python ``sizeHint`` call per row, per token batch). Here the view keeps the rows' heights and their
running offsets itself: a change to the last row costs O(1), a change to row r costs O(n - r), and painting
touches only the visible rows.
"""
from __future__ import annotations

import bisect
import time
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (QContextMenuEvent, QFocusEvent, QGuiApplication, QKeyEvent, QMouseEvent, QPainter,
                           QPaintEvent, QResizeEvent)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from app.ui.chat import chat_accessible
from app.ui.chat.message_cursor import MessageCursor
from app.ui.chat.message_model import ROLE_EXCLUDED, MessageListModel
from app.ui.chat.message_painter import THUMB_MAX_H, MessagePainter
from app.ui.common.i18n import translate

MARGIN = 6
REFINE_AFTER_RESET_MS = 100  # idle-time measuring of the rows out of view starts this long after a reset


class ChatView(QAbstractScrollArea):
    action = Signal(int, str, str)  # message id, action name, argument

    def __init__(self, model: MessageListModel, parent: QWidget | None = None) -> None:
        chat_accessible.install()  # before Qt first asks for this view's accessible interface
        super().__init__(parent)
        self.model = model
        self.painter_ = MessagePainter(self)
        self.cursor = MessageCursor(self)  # the keyboard's current message and action (message_cursor.py)
        self.menu = None  # the last actions menu opened
        self._streaming: set[int] = set()  # ids of replies seen streaming (their end is announced)
        self._accessible = chat_accessible.AccessibleItems(self)
        self.destroyed.connect(partial(chat_accessible.AccessibleItems.release_all, self._accessible))
        self.setAccessibleName(translate("ChatView", "Messages"))
        self.setAccessibleDescription(chat_accessible.keys_hint())
        self.setFocusPolicy(Qt.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # always shown: a scroll bar that appears and disappears would change the width and re-lay out everything
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
        self.verticalScrollBar().setSingleStep(24)
        self._heights: list[int] = []
        self._exact: list[bool] = []  # False: the height is an estimate
        self._offsets: list[int] = []  # y of each row's top
        self._refine_timer = QTimer(self, singleShot=True, interval=0)
        self._refine_timer.timeout.connect(self._refine)
        # after a model reset (a conversation opened) the exact layout of the rows on screen waits for the next
        # turn of the event loop: loading 2,000 messages and laying them out in one turn blocked it too long
        self._settle_pending = False
        self._settle_timer = QTimer(self, singleShot=True, interval=0)
        self._settle_timer.timeout.connect(self._ensure_settled)
        self._width = 0
        self.follow_tail = True
        self.last_paint_s = 0.0  # how long the last paint took (the chat adapts its update rate to it)
        self.highlight_row = -1
        self._highlight_timer = QTimer(self, singleShot=True, interval=1500)
        self._highlight_timer.timeout.connect(self._clear_highlight)
        model.modelAboutToBeReset.connect(self.cursor.about_to_reset)
        model.modelReset.connect(self._on_reset)
        model.rowsInserted.connect(self._on_inserted)
        model.rowsRemoved.connect(self._on_removed)
        model.dataChanged.connect(self._on_changed)

    # ---- geometry ---------------------------------------------------------------------------------------------
    # Rows far from the viewport get an estimated height (from their text length) and are measured exactly
    # when they come into view or, a few at a time, when the event loop is idle. Opening a long conversation
    # therefore lays out only what is on screen; corrections above the viewport keep the visible rows still.
    def _row_width(self) -> int:
        return max(200, self.viewport().width() - 2 * MARGIN)

    def _measure(self, row: int) -> int:
        return self.painter_.height(self.model.message(row), self._row_width())

    def _estimates(self) -> list[int]:
        """Cheap height guesses for every row from its text length (exact heights replace them when rows come
        into view)."""
        per_line = max(20, int((self._row_width() - 60) / 7.5))
        return [24 + 19 * (m.text.count("\n") + 1 + len(m.text) // per_line) + (0 if m.role == "notice" else 56)
                + (THUMB_MAX_H + 8 if m.images else 0) for m in self.model.messages()]

    def _rebuild_offsets(self, start: int = 0) -> None:
        y = self._offsets[start - 1] + self._heights[start - 1] if start > 0 else MARGIN
        del self._offsets[start:]
        for h in self._heights[start:]:
            self._offsets.append(y)
            y += h

    def total_height(self) -> int:
        return (self._offsets[-1] + self._heights[-1] + MARGIN) if self._heights else 0

    def _at_bottom(self) -> bool:
        sb = self.verticalScrollBar()
        return sb.value() >= sb.maximum() - 4

    def _update_scrollbar(self, stick: bool = False) -> None:
        """Set the scroll range; keep the view pinned to the bottom if it was there (and following)."""
        sb = self.verticalScrollBar()
        stick = stick or self._at_bottom()
        sb.setPageStep(self.viewport().height())
        sb.setRange(0, max(0, self.total_height() - self.viewport().height()))
        if self.follow_tail and stick:
            sb.setValue(sb.maximum())

    def _set_heights(self, changes: dict[int, int], stick: bool) -> None:
        """Apply new row heights, keeping the first visible row where it is on screen (or the bottom pinned)."""
        changes = {r: h for r, h in changes.items() if self._heights[r] != h}
        if not changes:
            return
        sb = self.verticalScrollBar()
        anchor = self.row_at(0)
        shift = sb.value() - self._offsets[anchor] if anchor >= 0 else 0
        for r, h in changes.items():
            self._heights[r] = h
        self._rebuild_offsets(min(changes))
        self._update_scrollbar(stick=stick)
        if not (self.follow_tail and stick) and anchor >= 0:
            sb.setValue(self._offsets[anchor] + shift)
        self.viewport().update()

    def _make_exact(self, rows, stick: bool | None = None) -> None:
        changes = {}
        for r in rows:
            if 0 <= r < len(self._exact) and not self._exact[r]:
                changes[r] = self._measure(r)
                self._exact[r] = True
        if changes:
            self._set_heights(changes, self._at_bottom() if stick is None else stick)

    def _on_reset(self) -> None:
        """Estimated heights now; the rows on screen are measured and painted on the next turn of the event loop
        (or sooner, by anything that needs the exact layout: see ``_ensure_settled``)."""
        self._settle_pending = True
        self._layout_estimates()
        self._settle_timer.start()
        self.cursor.reset()
        self._accessible.prune()

    def _layout_estimates(self) -> None:
        self._width = self.viewport().width()
        self._heights = self._estimates()
        self._exact = [False] * len(self._heights)
        self._rebuild_offsets()
        self._update_scrollbar(stick=True)

    def _ensure_settled(self) -> None:
        if self._settle_pending:
            self._settle_pending = False
            self._settle()

    def _relayout_all(self) -> None:
        self._settle_pending = False
        self._layout_estimates()
        self._settle()

    def _settle(self) -> None:
        n = len(self._heights)
        # measure exactly what the bottom of the view shows
        filled, r = 0, n - 1
        while r >= 0 and filled < self.viewport().height() * 1.5:
            self._heights[r] = self._measure(r)
            self._exact[r] = True
            filled += self._heights[r]
            r -= 1
        self._rebuild_offsets()
        self._update_scrollbar(stick=True)
        self.viewport().update()
        self._refine_timer.start(REFINE_AFTER_RESET_MS)  # not in the same breath as the (re)load that got here

    def _refine(self) -> None:
        """Idle-time work: measure a few estimated rows, nearest to the viewport first."""
        deadline = time.perf_counter() + 0.008
        visible = self.visible_rows()
        first = visible.start if len(visible) else len(self._exact)
        todo = [r for r in range(min(first, len(self._exact)) - 1, -1, -1) if not self._exact[r]]
        todo += [r for r in range(first, len(self._exact)) if not self._exact[r]]
        changes = {}
        for r in todo:
            changes[r] = self._measure(r)
            self._exact[r] = True
            if time.perf_counter() > deadline:
                break
        if changes:
            self._set_heights(changes, self._at_bottom())
        if any(not e for e in self._exact):
            self._refine_timer.start(0)

    def _on_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self.cursor.rows_inserted(first, last)
        if self._settle_pending:  # a reset not laid out yet: estimate again from the model as it is now
            self._layout_estimates()
            return
        was_bottom = self._at_bottom()
        self._heights[first:first] = [self._measure(r) for r in range(first, last + 1)]
        self._exact[first:first] = [True] * (last + 1 - first)
        self._rebuild_offsets(first)
        self._update_scrollbar(stick=was_bottom)
        self.viewport().update()

    def _on_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        self.cursor.rows_removed(first, last)
        self._accessible.prune()
        if self._settle_pending:  # a reset not laid out yet (its heights would name rows that are gone)
            self._layout_estimates()
            return
        del self._heights[first:last + 1]
        del self._exact[first:last + 1]
        if self._heights:
            self._rebuild_offsets(min(first, len(self._heights) - 1))
        else:
            self._offsets.clear()
        self._update_scrollbar()
        self.viewport().update()

    def _on_changed(self, top: QModelIndex, bottom: QModelIndex, roles=()) -> None:
        self._ensure_settled()
        if roles and all(r == ROLE_EXCLUDED for r in roles):  # a mark drawn beside the text: no re-layout
            self.viewport().update()
            return
        rows = [r for r in range(top.row(), bottom.row() + 1) if r < len(self._heights)]
        if not rows:
            return
        if self.cursor.row in rows:
            self.cursor.message_changed(self.cursor.row)
        self._speak_ends(rows)
        changes = {r: self._measure(r) for r in rows}
        for r in rows:
            self._exact[r] = True
        if len(rows) == 1 and rows[0] == len(self._heights) - 1 and (self._at_bottom() or not self.follow_tail):
            # the streaming reply at the end: repaint from its first changed block down, nothing above it
            # (a taller row scrolls the view, and scrollContentsBy moves the pixels already drawn)
            row = rows[0]
            old_height = self._heights[row]
            if old_height != changes[row]:
                self._heights[row] = changes[row]
                self._update_scrollbar()
            rect = self._row_rect(row)
            y = int(rect.top() + self.painter_.dirty_from(self.model.message(row).id))
            if old_height != changes[row]:  # the bubble's old bottom edge (and its rounded corners) moved too
                y = min(y, int(rect.top() + old_height) - 24)
            self.viewport().update(0, max(0, y), self.viewport().width(), self.viewport().height() - max(0, y))
        elif any(self._heights[r] != h for r, h in changes.items()):
            self._set_heights(changes, self._at_bottom())
        else:
            self.viewport().update(self._row_rect(rows[0]).toAlignedRect())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._ensure_settled()
        if self.viewport().width() != self._width:
            if self._at_bottom() or not self._heights:
                self._relayout_all()
            else:
                self._relayout_keep_anchor()
        else:
            self._update_scrollbar()

    def _relayout_keep_anchor(self) -> None:
        row = self.row_at(0)
        self._relayout_all()
        if row >= 0:
            self._make_exact(range(row, row + 3), stick=False)
            self.verticalScrollBar().setValue(self._offsets[row])
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        # move the pixels already drawn; only the strip that scrolls into view is painted again (while a reset
        # waits to settle nothing new is drawn: the settle repaints the whole view)
        if not self._settle_pending:
            self.viewport().scroll(dx, dy)

    def refresh(self) -> None:
        """Theme or font changed: rebuild every document."""
        self.painter_.clear_cache()
        self._relayout_all()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange:  # the messages' labels and footers in the new language
            self.refresh()

    # ---- lookup -----------------------------------------------------------------------------------------------
    def _row_rect(self, row: int) -> QRectF:
        self._ensure_settled()
        y = self._offsets[row] - self.verticalScrollBar().value()
        return QRectF(MARGIN, y, self._row_width(), self._heights[row])

    def row_at(self, y: float) -> int:
        """The row under viewport coordinate y, or -1."""
        self._ensure_settled()
        if not self._offsets:
            return -1
        abs_y = y + self.verticalScrollBar().value()
        i = bisect.bisect_right(self._offsets, abs_y) - 1
        if 0 <= i < len(self._heights) and abs_y < self._offsets[i] + self._heights[i]:
            return i
        return -1

    def visible_rows(self) -> range:
        self._ensure_settled()
        if not self._offsets:
            return range(0)
        top = self.verticalScrollBar().value()
        first = max(0, bisect.bisect_right(self._offsets, top) - 1)
        last = bisect.bisect_right(self._offsets, top + self.viewport().height())
        return range(first, min(last, len(self._heights)))

    def scroll_to_row(self, row: int, highlight: bool = False) -> None:
        self._ensure_settled()
        if 0 <= row < len(self._offsets):
            self.follow_tail = False
            self._make_exact(range(max(0, row - 2), row + 4), stick=False)
            self.verticalScrollBar().setValue(max(0, self._offsets[row] - MARGIN))
            if highlight:
                self.highlight_row = row
                self._highlight_timer.start()
                self.viewport().update()

    def scroll_to_bottom(self) -> None:
        self.follow_tail = True
        if self._settle_pending:  # the settle lays out the bottom and stays there
            return
        sb = self.verticalScrollBar()
        sb.setValue(sb.maximum())

    def _clear_highlight(self) -> None:
        self.highlight_row = -1
        self.viewport().update()

    # ---- painting ---------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        t0 = time.perf_counter()
        self._ensure_settled()
        self._make_exact(self.visible_rows())
        p = QPainter(self.viewport())
        clip = QRectF(event.rect())
        for row in self.visible_rows():
            rect = self._row_rect(row)
            if rect.bottom() < clip.top() or rect.top() > clip.bottom():
                continue
            focused = row == self.highlight_row or (row == self.cursor.row and self.hasFocus())
            self.painter_.paint(p, rect, self.model.message(row), clip, focused=focused)
        p.end()
        self.last_paint_s = time.perf_counter() - t0

    # ---- input ------------------------------------------------------------------------------------------------
    def _anchor(self, pos: QPointF) -> tuple[int, str]:
        row = self.row_at(pos.y())
        if row < 0:
            return -1, ""
        return row, self.painter_.anchor_at(self._row_rect(row), self.model.message(row), pos)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        _, href = self._anchor(event.position())
        self.viewport().setCursor(Qt.PointingHandCursor if href else Qt.ArrowCursor)
        self.viewport().setToolTip(href if href.startswith(("http://", "https://", "mailto:")) else "")
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.LeftButton:
            row, href = self._anchor(event.position())
            if href:
                self.activate(row, href)
                return
        super().mouseReleaseEvent(event)

    def activate(self, row: int, href: str) -> None:
        m = self.model.message(row)
        name, _, arg = href.partition(":")
        if name in ("http", "https", "mailto"):
            self.action.emit(m.id, "open-link", href)
        elif name == "toggle-thoughts":
            self.painter_.toggle_thoughts(m.id)
            self._on_changed(self.model.index(row), self.model.index(row))
        elif name == "copy-code":
            try:
                code = self.painter_.code_text(m.id, int(arg))
            except ValueError:
                code = ""
            QGuiApplication.clipboard().setText(code)
            self.action.emit(m.id, "copied-code", arg)
        else:
            self.action.emit(m.id, name, arg)

    def wheelEvent(self, event) -> None:  # noqa: N802
        super().wheelEvent(event)
        self.follow_tail = self._at_bottom()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.cursor.key(event):  # messages and their actions (message_cursor.py)
            self.follow_tail = self._at_bottom()
            return
        sb = self.verticalScrollBar()
        key = event.key()
        if key == Qt.Key_PageUp:
            sb.setValue(sb.value() - sb.pageStep())
        elif key == Qt.Key_PageDown:
            sb.setValue(sb.value() + sb.pageStep())
        elif key in (Qt.Key_Up, Qt.Key_Down, Qt.Key_Home, Qt.Key_End):  # an empty transcript: scroll
            sb.setValue({Qt.Key_Up: sb.value() - sb.singleStep(), Qt.Key_Down: sb.value() + sb.singleStep(),
                         Qt.Key_Home: 0, Qt.Key_End: sb.maximum()}[key])
        else:
            super().keyPressEvent(event)
            return
        self.follow_tail = self._at_bottom()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if event.reason() != Qt.MouseFocusReason:  # a click picks its own message (mousePressEvent)
            self.cursor.focus_in()
        else:
            self.cursor.refresh()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.cursor.refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        row = self.row_at(event.position().y())
        if row >= 0:
            self.cursor.move_to(row, scroll=False)
        super().mousePressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if event.reason() == QContextMenuEvent.Mouse:
            row = self.row_at(self.viewport().mapFrom(self, event.pos()).y())
            if row >= 0:
                self.cursor.open_menu(row, event.globalPos())
        else:  # the Menu key: the current message's actions
            self.cursor.open_menu()

    # ---- for the keyboard cursor and screen readers -------------------------------------------------------
    def _speak_ends(self, rows: list[int]) -> None:
        """A reply that stops streaming is read out by an active screen reader (and its item's text and state
        reported as changed); nothing is done while none listens."""
        for r in rows:
            m = self.model.message(r)
            if m.state == "streaming":
                self._streaming.add(m.id)
            elif m.id in self._streaming:
                self._streaming.discard(m.id)
                item = self.accessible_item(r)
                chat_accessible.notify(item, chat_accessible.QAccessible.Event.NameChanged)
                chat_accessible.notify(item, chat_accessible.QAccessible.Event.DescriptionChanged)
                chat_accessible.announce(self, chat_accessible.finished_words(m))

    def accessible_item(self, row: int):
        return self._accessible.get(row)

    def row_rect(self, row: int) -> QRectF:
        self._ensure_settled()
        return self._row_rect(row)

    def ensure_row_visible(self, row: int, bottom: bool = False) -> None:
        """Scroll so that the row's top shows (``bottom``: its footer of actions); the whole row if it fits."""
        self._ensure_settled()
        if not 0 <= row < len(self._offsets):
            return
        self._make_exact(range(max(0, row - 1), row + 2), stick=False)
        sb = self.verticalScrollBar()
        top, h, vh = self._offsets[row], self._heights[row], self.viewport().height()
        show_top, show_bottom = top - MARGIN, top + h + MARGIN - vh
        v = sb.value()
        if bottom:
            if top + h + MARGIN > v + vh or top + h < v:
                v = show_bottom
            if top < v and h + 2 * MARGIN <= vh:
                v = show_top
        elif top < v:
            v = show_top
        elif top + min(h, vh) > v + vh:
            v = show_bottom if h + 2 * MARGIN <= vh else show_top
        sb.setValue(max(0, v))
        self.follow_tail = self._at_bottom()
