"""Small widgets of the Chat page: the message composer and the context meter."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QWidget


class Composer(QPlainTextEdit):
    """The message input: Enter or Ctrl+Enter sends, Shift+Enter makes a new line, Tab moves the focus on (a
    message box that swallows Tab is a keyboard trap)."""

    send_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not (event.modifiers() & Qt.ShiftModifier):
            self.send_requested.emit()
            return
        super().keyPressEvent(event)


class ContextMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Context used")
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.label = QLabel("")
        self.label.setProperty("muted", True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("Context:"))
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.label)
        self.used = 0
        self.n_ctx = 0
        self.estimated = ""  # what is estimated (a remote server that does not say): shown with the numbers
        self.set_usage(0, 0)

    def set_estimated(self, what: str) -> None:
        self.estimated = what
        self.set_usage(self.used, self.n_ctx)

    def set_usage(self, used: int, n_ctx: int) -> None:
        self.used, self.n_ctx = used, n_ctx
        self.bar.setRange(0, max(1, n_ctx))
        self.bar.setValue(min(used, n_ctx))
        text = f"{used:,} / {n_ctx:,} tokens" if n_ctx else "no model loaded"
        if n_ctx and self.estimated:
            text = f"~{text} (estimated)"
        self.label.setText(text)
        tip = "Tokens of this conversation that the model sees, out of its context window."
        if self.estimated:
            tip += (f" The server does not give its {self.estimated}, so Hearth estimates "
                    f"{'them' if self.estimated.endswith('s') else 'it'}.")
        self.setToolTip(tip)
        self.label.setAccessibleName(f"Context used: {text}")
