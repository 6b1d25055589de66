"""The Qt list model of the messages shown in the chat view (the current branch of a conversation)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.ui.common.i18n import translate

ROLE_MESSAGE = Qt.UserRole + 1
ROLE_VERSION = Qt.UserRole + 2
ROLE_EXCLUDED = Qt.UserRole + 3  # only the "left out of the model's view" mark changed: repaint, no re-layout


@dataclass
class ViewMessage:
    id: int
    role: str  # user | assistant | system | notice
    text: str
    state: str = "done"  # done | streaming | interrupted | stopped | error
    stats: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    sibling_index: int = 0  # 0-based position among siblings
    sibling_count: int = 1
    excluded: bool = False  # left out of the model's view by the overflow policy
    version: int = 0  # bumped on every change, so delegates can cache by (id, version)
    images: list[str] = field(default_factory=list)  # data:image/... URIs attached to a user's message


def images_words(n: int) -> str:
    """What a screen reader hears of a message's images: "1 image attached"."""
    return translate("MessageListModel", "%n image(s) attached", None, n) if n else ""


class MessageListModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ViewMessage] = []

    # ---- Qt API -----------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        m = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return m.text
        if role == Qt.AccessibleTextRole:
            who = {"user": translate("MessageListModel", "You"),
                   "assistant": translate("MessageListModel", "Assistant")}.get(m.role, m.role.title())
            return f"{who}: {m.text}" + (f" ({images_words(len(m.images))})" if m.images else "")
        if role == ROLE_MESSAGE:
            return m
        if role == ROLE_VERSION:
            return m.version
        if role == ROLE_EXCLUDED:
            return m.excluded
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable

    # ---- editing (GUI thread only) ---------------------------------------------------------------------------
    def set_messages(self, rows: list[ViewMessage]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def messages(self) -> list[ViewMessage]:
        return list(self._rows)

    def append(self, m: ViewMessage) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(m)
        self.endInsertRows()
        return row

    def set_excluded(self, ids: set[int]) -> None:
        """Mark exactly the messages in ``ids`` as left out of the model's view (one change signal)."""
        changed = [i for i, m in enumerate(self._rows) if m.excluded != (m.id in ids)]
        for i in changed:
            self._rows[i].excluded = self._rows[i].id in ids
        if changed:
            self.dataChanged.emit(self.index(changed[0]), self.index(changed[-1]), [ROLE_EXCLUDED])

    def insert(self, row: int, m: ViewMessage) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, m)
        self.endInsertRows()

    def remove_rows(self, first: int, last: int) -> None:
        self.beginRemoveRows(QModelIndex(), first, last)
        del self._rows[first:last + 1]
        self.endRemoveRows()

    def row_of(self, message_id: int) -> int:
        for i in range(len(self._rows) - 1, -1, -1):
            if self._rows[i].id == message_id:
                return i
        return -1

    def message(self, row: int) -> ViewMessage:
        return self._rows[row]

    def update(self, row: int, **changes: Any) -> None:
        m = self._rows[row]
        for k, v in changes.items():
            setattr(m, k, v)
        m.version += 1
        idx = self.index(row)
        self.dataChanged.emit(idx, idx, [Qt.DisplayRole, ROLE_VERSION])

    def append_text(self, row: int, text: str) -> None:
        m = self._rows[row]
        m.text += text
        m.version += 1
        idx = self.index(row)
        self.dataChanged.emit(idx, idx, [Qt.DisplayRole, ROLE_VERSION])

