"""Downloads: the queue as a table (size, progress bar, speed, ETA, state) with each row's actions on the row
(Pause, Resume, Retry, Cancel, Chat: only those valid for its state, see :mod:`row_actions`), the same actions in
the row's context menu (right click, or the Menu key on the current row), "Clear finished" and the number of
downloads that run at once."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QLabel, QMenu,
                               QPushButton, QSpinBox, QStyle, QStyledItemDelegate, QStyleOptionProgressBar,
                               QTableView, QVBoxLayout, QWidget)

from app.ui.downloads.download_controller import DownloadController
from app.ui.common.i18n import translate
from app.ui.common.table_model import DISPLAY, USER, ItemRole
from app.ui.downloads.downloads_model import ACTIONS_COLUMN, DownloadsModel
from app.ui.downloads.row_actions import RowActions, actions_for

__all__ = ["DownloadsTab", "ProgressDelegate", "actions_for"]


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


class ActionsDelegate(QStyledItemDelegate):
    """The Actions column: its cells hold the row's buttons. The view places every row's buttons again
    after each inserted row; the default asked the model for a dozen roles per row each time (0.5 s for 200 adds)."""

    def updateEditorGeometry(self, editor, option, index) -> None:  # noqa: N802 (Qt API)
        editor.setGeometry(option.rect)


class DownloadsTab(QWidget):
    parallelism_changed = Signal(int)  # the user chose how many downloads run at once
    chat_requested = Signal(str)  # a finished download's "Chat": its file

    def __init__(self, controller: DownloadController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = DownloadsModel(controller.speed, self)
        self.row_widgets: dict[int, RowActions] = {}  # item id -> the buttons on its row
        self._widgets_made = False  # made when the tab is first shown (a saved queue of 200: 90 ms at start-up)
        self.model.set_rows(controller.items)
        controller.items_reset.connect(self._reset)
        controller.item_added.connect(self._added)
        controller.already_here.connect(self._already_here)
        controller.rows_changed.connect(self._rows_changed)
        self.table = QTableView()
        self.table.setAccessibleName(translate("DownloadsTab", "Downloads"))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(2, ProgressDelegate(self.table))
        self.table.setItemDelegateForColumn(ACTIONS_COLUMN, ActionsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the current row's buttons
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda _pos: self.show_menu())
        h = self.table.horizontalHeader()
        # fixed widths: ResizeToContents would measure every row on every progress update (50-item queues)
        h.setSectionResizeMode(QHeaderView.Interactive)
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        for col, width in ((1, 80), (2, 160), (3, 90), (4, 90), (5, 260), (ACTIONS_COLUMN, self._actions_width())):
            self.table.setColumnWidth(col, width)
        self.model.rowsInserted.connect(lambda _p, first, last: self._add_row_widgets(first, last))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self.run("chat"))  # a finished row: chat with it
        row = QHBoxLayout()
        clear = QPushButton(translate("DownloadsTab", "Clear finished"))
        clear.setAccessibleName(translate("DownloadsTab", "Clear finished downloads"))
        clear.clicked.connect(controller.remove_finished)
        row.addWidget(clear)
        row.addStretch(1)
        row.addWidget(QLabel(translate("DownloadsTab", "At once:")))
        self.parallel = QSpinBox()
        self.parallel.setAccessibleName(translate("DownloadsTab", "Downloads at once"))
        self.parallel.setRange(1, 8)
        self.parallel.setValue(controller.parallelism)
        self.parallel.valueChanged.connect(self._parallel_changed)
        row.addWidget(self.parallel)
        self.empty = QLabel(translate("DownloadsTab", "No downloads yet. Pick a model in Discover and press Download."))
        self.empty.setProperty("muted", True)
        self.note = QLabel("")  # e.g. a file asked for again that is already downloaded (it gets no new row)
        self.note.setAccessibleName(translate("DownloadsTab", "Downloads status"))
        self.note.setProperty("banner", "info")
        self.note.setWordWrap(True)
        self.note.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.note)
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.empty.setVisible(not self.model.rows)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if not self._widgets_made:
            self._widgets_made = True
            self._add_row_widgets(0, len(self.model.rows) - 1)
        super().showEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The language changed (switch_language): the table's headers and cells are asked again."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "empty"):
            self.model.retranslate()

    @staticmethod
    def _actions_width() -> int:
        """Wide enough for the widest pair of buttons a row shows."""
        probe = RowActions(0, "")
        widths = []
        for cmds in (("pause", "cancel"), ("resume", "cancel"), ("retry", "cancel")):
            probe.set_actions(cmds)
            widths.append(probe.sizeHint().width())
        probe.deleteLater()
        return max(widths) + 8

    def _added(self, row: int) -> None:
        self.note.hide()
        self.model.append_rows([self.controller.items[row]])

    def _already_here(self, path: str) -> None:
        self.note.setText(translate("DownloadsTab", "{file} is already downloaded: it is in the Library, ready to chat "
                                         "with.").format(file=Path(path).name))
        self.note.show()

    # ---- the rows' buttons ------------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.model.set_rows(self.controller.items)  # the view deletes the old rows' widgets
        self.row_widgets.clear()
        self._add_row_widgets(0, len(self.model.rows) - 1)

    def _add_row_widgets(self, first: int, last: int) -> None:
        self.empty.setVisible(not self.model.rows)
        if not self._widgets_made:
            return
        current = self.table.currentIndex().row()
        for r in range(first, last + 1):
            it = self.model.item(r)
            w = RowActions(it.id, it.filename)
            w.triggered.connect(self._act)
            w.set_actions(self._cmds(it))
            w.set_focusable(r == current)
            self.row_widgets[it.id] = w
            self.table.setIndexWidget(self.model.index(r, ACTIONS_COLUMN), w)
            if r == current:
                self._chain(w)

    @staticmethod
    def _cmds(it) -> tuple[str, ...]:
        return tuple(cmd for _label, cmd in actions_for(it))

    def _rows_changed(self, rows: list[int]) -> None:
        self.model.refresh_rows(rows)
        current = self.current_item()
        for r in rows:
            it = self.model.item(r)
            w = self.row_widgets.get(it.id) if it is not None else None
            if w is not None and w.set_actions(self._cmds(it)) and it is current:
                self._chain(w)

    def _current_changed(self, cur, prev) -> None:
        for index, on in ((prev, False), (cur, True)):
            it = self.model.item(index.row()) if index.isValid() else None
            w = self.row_widgets.get(it.id) if it is not None else None
            if w is not None:
                w.set_focusable(on)
                if on:
                    self._chain(w)

    def _chain(self, w: RowActions) -> None:
        """Tab goes from the table to the current row's buttons, then on to the rest of the tab."""
        before = self.table
        for b in w.visible_buttons():
            QWidget.setTabOrder(before, b)
            before = b

    def row_buttons(self, row: int) -> dict[str, object]:
        """The buttons shown on a row, by command (what a user sees there)."""
        it = self.model.item(row)
        w = self.row_widgets.get(it.id) if it is not None else None
        return {cmd: w.buttons[cmd] for cmd in w.shown} if w is not None else {}

    # ---- commands -----------------------------------------------------------------------------------------------
    def _act(self, item_id: int, cmd: str) -> None:
        it = self.controller.item(item_id)
        if it is None or cmd not in self._cmds(it):
            return
        if cmd == "chat":
            self.chat_requested.emit(it.path)
            return
        getattr(self.controller, cmd)(it.id)

    def menu_actions(self, item) -> list[tuple[str, object]]:
        """The context menu of a row: (label, callable) pairs, the same actions as its buttons."""
        return [(label, partial(self._act, item.id, cmd)) for label, cmd in actions_for(item)] if item else []

    def show_menu(self) -> None:
        """The current row's actions as a menu (a right click makes the clicked row current first)."""
        it = self.current_item()
        actions = self.menu_actions(it)
        if not actions:
            return
        menu = QMenu(self)
        menu.setAccessibleName(translate("DownloadsTab", "Actions for {file}").format(file=it.filename))
        for label, fn in actions:
            menu.addAction(label, fn)
        rect = self.table.visualRect(self.table.currentIndex())
        menu.exec(self.table.viewport().mapToGlobal(rect.center()))
        menu.deleteLater()

    def current_item(self):
        idx = self.table.currentIndex()
        return self.model.data(idx, ItemRole) if idx.isValid() else None

    def selected(self):
        idx = self.table.selectionModel().selectedRows()
        return self.model.data(idx[0], ItemRole) if idx else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def run(self, cmd: str) -> None:
        """Run a command on the selected row (double-click: Chat)."""
        it = self.selected()
        if it is not None:
            self._act(it.id, cmd)

    def _parallel_changed(self, n: int) -> None:
        self.controller.set_parallelism(n)
        self.parallelism_changed.emit(n)
