"""The Models page: the local library (search, downloads and starter picks build on it)."""
from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)

from app.core.library import human_size, scan_models_dir
from app.ui.application import AppContext


class ModelsPage(QWidget):
    library_changed = Signal()
    chat_requested = Signal(str)  # model path

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel("Your models")
        title.setProperty("heading", True)
        self.where = QLabel(f"Models folder: {ctx.models_dir}")
        self.where.setProperty("muted", True)
        self.list = QListWidget()
        self.list.setAccessibleName("Library")
        self.list.itemDoubleClicked.connect(self._chat)
        self.chat_button = QPushButton("Chat with this model")
        self.chat_button.setAccessibleName("Chat with model")
        self.chat_button.clicked.connect(lambda: self._chat(self.list.currentItem()))
        self.open_folder = QPushButton("Open models folder")
        self.open_folder.setAccessibleName("Open models folder")
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.models_dir))))
        row = QHBoxLayout()
        row.addWidget(self.chat_button)
        row.addWidget(self.open_folder)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addWidget(title)
        lay.addWidget(self.where)
        lay.addWidget(self.list, 1)
        lay.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for m in scan_models_dir(self.ctx.models_dir):
            item = QListWidgetItem(f"{m.display_name}    {human_size(m.size)}")
            item.setData(256, str(m.path))
            self.list.addItem(item)
        self.chat_button.setEnabled(self.list.count() > 0)

    def _chat(self, item) -> None:
        if item is not None:
            self.chat_requested.emit(item.data(256))

    def on_shown(self) -> None:
        self.refresh()
