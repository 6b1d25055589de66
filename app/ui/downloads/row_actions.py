"""The buttons on each download's row: only the actions valid for its state (Pause and Cancel while it waits or
runs, Resume or Retry when stopped, Chat when finished), as real QToolButtons named for their file ("Pause
SmolLM2-135M-Instruct.Q4_1.gguf") so a screen reader can tell the rows apart.

One small widget per row (a persistent index widget of the Actions column). Its buttons are made on first need and
shown or hidden when the row's state changes; progress updates do not touch them. Only the current row's buttons
take keyboard focus, so Tab from the table reaches the current download's actions and a queue of 50 rows is not
150 Tab stops."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from app.core.downloads.queue import ACTIVE, CANCELLED, DONE, FAILED, PAUSED, QUEUED
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate

ORDER = ("pause", "resume", "retry", "cancel", "chat")
LABELS = {"pause": QT_TRANSLATE_NOOP("RowActions", "Pause"), "resume": QT_TRANSLATE_NOOP("RowActions", "Resume"),
          "retry": QT_TRANSLATE_NOOP("RowActions", "Retry"), "cancel": QT_TRANSLATE_NOOP("RowActions", "Cancel"),
          "chat": QT_TRANSLATE_NOOP("RowActions", "Chat")}
TIPS = {"pause": QT_TRANSLATE_NOOP("RowActions", "Pause: the bytes downloaded so far are kept"),
        "resume": QT_TRANSLATE_NOOP("RowActions", "Continue where it stopped"),
        "retry": QT_TRANSLATE_NOOP("RowActions", "Try this download again"),
        "cancel": QT_TRANSLATE_NOOP("RowActions", "Stop and delete the partly downloaded file"),
        "chat": QT_TRANSLATE_NOOP("RowActions", "Start a chat with this model")}
NAMES = {"pause": QT_TRANSLATE_NOOP("RowActions", "Pause {file}"),  # the buttons' accessible names
         "resume": QT_TRANSLATE_NOOP("RowActions", "Resume {file}"),
         "retry": QT_TRANSLATE_NOOP("RowActions", "Retry {file}"),
         "cancel": QT_TRANSLATE_NOOP("RowActions", "Cancel {file}"),
         "chat": QT_TRANSLATE_NOOP("RowActions", "Chat with {file}")}


def actions_for(item) -> list[tuple[str, str]]:
    """(label, command) pairs that make sense for an item in its state (the row's buttons and its context menu)."""
    if item is None:
        return []
    s = item.state
    cmds = []
    if s in (QUEUED, ACTIVE):
        cmds.append("pause")
    if s == PAUSED:
        cmds.append("resume")
    if s in (FAILED, CANCELLED):
        cmds.append("retry")
    if s not in (DONE, CANCELLED):
        cmds.append("cancel")
    if s == DONE and getattr(item, "path", ""):
        cmds.append("chat")
    return [(translate("RowActions", LABELS[cmd]), cmd) for cmd in cmds]


def accessible_name(cmd: str, filename: str) -> str:
    return translate("RowActions", NAMES[cmd]).format(file=filename)


class RowActions(QWidget):
    triggered = Signal(int, str)  # item id, command

    def __init__(self, item_id: int, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = item_id
        self.filename = filename
        self.buttons: dict[str, QToolButton] = {}
        self.shown: tuple[str, ...] = ()
        self.focusable = False
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(4, 0, 4, 0)
        self._lay.setSpacing(4)
        self._lay.addStretch(1)

    def set_actions(self, cmds: tuple[str, ...]) -> bool:
        """Show these commands' buttons and hide the others; False when nothing changed. Focus on a button that
        goes away moves to the row's first remaining one (Pause, then Space again on Resume)."""
        if cmds == self.shown:
            return False
        for cmd in cmds:
            self._button(cmd).show()
        had_focus = any(b.hasFocus() for c, b in self.buttons.items() if c not in cmds)
        if had_focus and cmds:
            self.buttons[cmds[0]].setFocus(Qt.FocusReason.TabFocusReason)
        for c, b in self.buttons.items():
            if c not in cmds:
                b.hide()
        self.shown = tuple(cmds)
        return True

    def visible_buttons(self) -> list[QToolButton]:
        return [self.buttons[c] for c in self.shown]

    def set_focusable(self, on: bool) -> None:
        self.focusable = on
        for b in self.buttons.values():
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus if on else Qt.FocusPolicy.NoFocus)

    def _button(self, cmd: str) -> QToolButton:
        b = self.buttons.get(cmd)
        if b is None:
            b = QToolButton(self)
            b.setText(translate("RowActions", LABELS[cmd]))
            b.setAccessibleName(accessible_name(cmd, self.filename))
            b.setToolTip(translate("RowActions", TIPS[cmd]))
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus if self.focusable else Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, cmd=cmd: self.triggered.emit(self.item_id, cmd))
            # in the fixed order, before the stretch, whatever order the buttons were first needed in
            self._lay.insertWidget(sum(1 for c in self.buttons if ORDER.index(c) < ORDER.index(cmd)), b)
            self.buttons[cmd] = b
        return b
