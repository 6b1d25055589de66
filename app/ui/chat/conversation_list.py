"""The conversations sidebar: new chat, search across all messages, the list (newest first), context menu."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListView, QListWidget, QListWidgetItem, QMenu,
                               QPushButton, QVBoxLayout, QWidget)

from app.core.chats import DEFAULT_TITLE, split_snippet
from app.core.units import time_ago
from app.ui.common.i18n import translate

ROLE_ID = Qt.UserRole + 1


def when(ts: float) -> str:
    return time_ago(ts)


def shown_title(title: str) -> str:
    """A conversation's title as shown: the stored default ("New chat", kept in English in the database so that
    the first message can replace it) in the window's language."""
    return translate("ConversationSidebar", "New chat") if title == DEFAULT_TITLE else title


class ConversationListModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        c = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return shown_title(c.title)
        if role == Qt.ToolTipRole:
            return translate("ConversationListModel", "{title}\nupdated {when}").format(
                title=shown_title(c.title), when=when(c.updated_at))
        if role == Qt.AccessibleTextRole:
            return shown_title(c.title)
        if role == ROLE_ID:
            return c.id
        return None

    def set_conversations(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, cid: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == cid), -1)


def conversation_actions(sidebar: "ConversationSidebar", cid: int) -> list[tuple[str, Callable[[], None]]]:
    """The context menu of a conversation as (label, callable) pairs (testable without clicking)."""
    return [
        (translate("ConversationSidebar", "Rename…"), lambda: sidebar.rename_requested.emit(cid)),
        (translate("ConversationSidebar", "Export as Markdown…"), lambda: sidebar.export_requested.emit(cid, "md")),
        (translate("ConversationSidebar", "Export as JSON…"), lambda: sidebar.export_requested.emit(cid, "json")),
        (translate("ConversationSidebar", "Delete…"), lambda: sidebar.delete_requested.emit(cid)),
    ]


class ConversationSidebar(QWidget):
    open_requested = Signal(int)
    new_requested = Signal()
    rename_requested = Signal(int)
    delete_requested = Signal(int)
    export_requested = Signal(int, str)
    import_requested = Signal()
    search_hit_chosen = Signal(int, int)  # conversation id, message id

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setMinimumWidth(200)
        self.setMaximumWidth(320)
        self.new_button = QPushButton(translate("ConversationSidebar", "New chat"))
        self.new_button.setAccessibleName(translate("ConversationSidebar", "New chat"))
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(translate("ConversationSidebar", "Start a new conversation (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_requested)
        self.import_button = QPushButton(translate("ConversationSidebar", "Import chat…"))
        self.import_button.setAccessibleName(translate("ConversationSidebar", "Import chat"))
        self.import_button.setToolTip(translate("ConversationSidebar", "Import a conversation exported as JSON"))
        self.import_button.clicked.connect(self.import_requested)
        self.search = QLineEdit()
        self.search.setAccessibleName(translate("ConversationSidebar", "Search chats"))
        self.search.setPlaceholderText(translate("ConversationSidebar", "Search all messages…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.hits = QListWidget()
        self.hits.setAccessibleName(translate("ConversationSidebar", "Search results"))
        self.hits.setWordWrap(True)
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.hits.itemActivated.connect(self._hit_chosen)
        self.hits.itemClicked.connect(self._hit_chosen)
        self.hits.hide()
        self.no_hits = QLabel(translate("ConversationSidebar", "No messages match."))
        self.no_hits.setProperty("muted", True)
        self.no_hits.hide()

        self.model = ConversationListModel(self)
        self.view = QListView()
        self.view.setAccessibleName(translate("ConversationSidebar", "Conversations"))
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.ElideRight)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.clicked.connect(lambda idx: self.open_requested.emit(idx.data(ROLE_ID)))
        self.view.activated.connect(lambda idx: self.open_requested.emit(idx.data(ROLE_ID)))

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button, 1)
        buttons.addWidget(self.import_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(self.search)
        lay.addWidget(self.no_hits)
        lay.addWidget(self.hits, 1)
        lay.addWidget(self.view, 3)
        self.refresh()

    def refresh(self, current: int | None = None) -> None:
        self.model.set_conversations(self.store.list_conversations())
        if current is not None:
            self.select(current)

    def select(self, cid: int | None) -> None:
        row = self.model.row_of(cid) if cid is not None else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        else:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())

    def _menu(self, pos: QPoint) -> None:
        idx = self.view.indexAt(pos)
        if not idx.isValid():
            return
        menu = QMenu(self)
        for label, fn in conversation_actions(self, idx.data(ROLE_ID)):
            menu.addAction(label, fn)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _run_search(self) -> None:
        q = self.search.text().strip()
        self.hits.clear()
        if not q:
            self.hits.hide()
            self.no_hits.hide()
            return
        hits = self.store.search(q, limit=50)
        for h in hits:
            snippet = "".join(f"«{t}»" if match else t for t, match in split_snippet(h.snippet)).replace("\n", " ")
            item = QListWidgetItem(f"{h.conversation_title}\n{snippet}")
            item.setToolTip(snippet)
            item.setData(ROLE_ID, (h.conversation_id, h.message_id))
            self.hits.addItem(item)
        self.hits.setVisible(bool(hits))
        self.no_hits.setVisible(not hits)

    def _hit_chosen(self, item: QListWidgetItem) -> None:
        cid, mid = item.data(ROLE_ID)
        self.search_hit_chosen.emit(cid, mid)
