"""The passages from the user's documents that a reply was given: a list ([n] file, page) and the chosen passage's
text with where it comes from; cited passages are marked. Opened from a reply's "Sources" links."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from app.ui.common.i18n import translate


class PassageDialog(QDialog):
    def __init__(self, passages: list[dict], show: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("PassageDialog", "Passages from your documents"))
        self.resize(760, 460)
        self.passages = [p for p in passages if isinstance(p, dict)]
        self.list = QListWidget()
        self.list.setAccessibleName(translate("PassageDialog", "Passages"))
        for p in self.passages:
            name = os.path.basename(str(p.get("file", "")))
            if p.get("page"):
                label = translate("PassageDialog", "[{n}] {name}, page {page}").format(n=p.get("n"), name=name,
                                                                                     page=p["page"])
            else:
                label = f"[{p.get('n')}] {name}"
            if p.get("cited"):
                label = translate("PassageDialog", "{passage} (cited)").format(passage=label)
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, p)
            self.list.addItem(item)
        self.where = QLabel("")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(translate("PassageDialog", "Passage text"))
        self.open_file = QPushButton(translate("PassageDialog", "Open the file"))
        self.open_file.setAccessibleName(translate("PassageDialog", "Open the file"))
        self.open_file.setToolTip(translate(
            "PassageDialog", "Opens the document in the app your system uses for it (on this computer)."))
        right = QVBoxLayout()
        right.addWidget(self.where)
        right.addWidget(self.text, 1)
        right.addWidget(self.open_file, 0, Qt.AlignLeft)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.open_file.clicked.connect(self._open)
        row = next((i for i, p in enumerate(self.passages) if p.get("n") == show), 0)
        if self.passages:
            self.list.setCurrentRow(row)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.passages):
            return
        p = self.passages[row]
        bits = [str(p.get("file", ""))]
        if p.get("page"):
            bits.append(translate("PassageDialog", "page {page}").format(page=p["page"]))
        if p.get("heading"):
            bits.append(str(p["heading"]))
        self.where.setText(" · ".join(bits))
        self.text.setPlainText(str(p.get("text", "")))
        self.open_file.setEnabled(os.path.isfile(str(p.get("file", ""))))

    def current(self) -> dict | None:
        row = self.list.currentRow()
        return self.passages[row] if 0 <= row < len(self.passages) else None

    def _open(self) -> None:
        p = self.current()
        if p is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(p.get("file", ""))))
