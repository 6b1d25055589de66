"""Downloads: the queue as a table (size, progress bar, speed, ETA, state) with Pause, Resume, Cancel, Retry
and the number of downloads that run at once."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSpinBox, QStyle, QStyledItemDelegate, QStyleOptionProgressBar, QTableView,
                               QVBoxLayout, QWidget)

from app.core.downloads.queue import ACTIVE, CANCELLED, DONE, FAILED, PAUSED, QUEUED
from app.ui.downloads.download_controller import DownloadController
from app.ui.common.table_model import DISPLAY, USER, ItemRole
from app.ui.downloads.downloads_model import DownloadsModel


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index) -> None:
        frac = index.data(USER)
        if frac is None:
            return super().paint(painter, option, index)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 4, -2, -4)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(frac * 1000)
        bar.text = index.data(DISPLAY)
        bar.textVisible = True
        # State_Horizontal: without it the style paints the bar as a vertical one (filling from the bottom up)
        bar.state = option.state | QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


def actions_for(item) -> list[tuple[str, str]]:
    """(label, command) pairs that make sense for an item in its state (also used for the context menu)."""
    if item is None:
        return []
    s = item.state
    out = []
    if s in (QUEUED, ACTIVE):
        out.append(("Pause", "pause"))
    if s == PAUSED:
        out.append(("Resume", "resume"))
    if s in (FAILED, CANCELLED):
        out.append(("Retry", "retry"))
    if s not in (DONE, CANCELLED):
        out.append(("Cancel", "cancel"))
    if s == DONE and getattr(item, "path", ""):
        out.append(("Chat", "chat"))
    return out


class DownloadsTab(QWidget):
    parallelism_changed = Signal(int)  # the user chose how many downloads run at once
    chat_requested = Signal(str)  # a finished download's "Chat": its file

    def __init__(self, controller: DownloadController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = DownloadsModel(controller.speed, self)
        self.model.set_rows(controller.items)
        controller.items_reset.connect(lambda: self.model.set_rows(controller.items))
        controller.item_added.connect(lambda row: self.model.append_rows([controller.items[row]]))
        controller.rows_changed.connect(self._rows_changed)
        self.table = QTableView()
        self.table.setAccessibleName("Downloads")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(2, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        h = self.table.horizontalHeader()
        # fixed widths: ResizeToContents would measure every row on every progress update (50-item queues)
        h.setSectionResizeMode(QHeaderView.Interactive)
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        for col, width in ((1, 80), (2, 160), (3, 90), (4, 90), (5, 260)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.run("chat"))  # a finished row: chat with it
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for label, cmd in (("Pause", "pause"), ("Resume", "resume"), ("Retry", "retry"), ("Cancel", "cancel"),
                           ("Chat", "chat")):
            b = QPushButton(label)
            b.setAccessibleName("Chat with this model" if cmd == "chat" else f"{label} download")
            b.clicked.connect(lambda _c=False, cmd=cmd: self.run(cmd))
            self.buttons[cmd] = b
            row.addWidget(b)
        clear = QPushButton("Clear finished")
        clear.setAccessibleName("Clear finished downloads")
        clear.clicked.connect(controller.remove_finished)
        row.addWidget(clear)
        row.addStretch(1)
        row.addWidget(QLabel("At once:"))
        self.parallel = QSpinBox()
        self.parallel.setAccessibleName("Downloads at once")
        self.parallel.setRange(1, 8)
        self.parallel.setValue(controller.parallelism)
        self.parallel.valueChanged.connect(self._parallel_changed)
        row.addWidget(self.parallel)
        self.empty = QLabel("No downloads yet. Pick a model in Discover and press Download.")
        self.empty.setProperty("muted", True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self._update_buttons()

    def _rows_changed(self, rows: list[int]) -> None:
        self.model.refresh_rows(rows)
        self._update_buttons()

    def _parallel_changed(self, n: int) -> None:
        self.controller.set_parallelism(n)
        self.parallelism_changed.emit(n)

    def selected(self):
        idx = self.table.selectionModel().selectedRows()
        return self.model.data(idx[0], ItemRole) if idx else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def run(self, cmd: str) -> None:
        it = self.selected()
        if it is None or cmd not in {c for _l, c in actions_for(it)}:
            return
        if cmd == "chat":
            self.chat_requested.emit(it.path)
            return
        getattr(self.controller, cmd)(it.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        allowed = {cmd for _l, cmd in actions_for(self.selected())}
        for cmd, b in self.buttons.items():
            b.setEnabled(cmd in allowed)
        self.empty.setVisible(not self.model.rows)
