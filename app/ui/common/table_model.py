"""The base of Hearth's table models: a plain table over Python objects owned by the GUI thread, with the item
data roles as plain ints."""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

# roles as plain ints: views call data() thousands of times per repaint, and PySide resolves a short enum name
# such as ``Qt.DisplayRole`` through a slow fallback (~8 us each: a 50-row repaint cost 25 ms of GUI time)
R = Qt.ItemDataRole
DISPLAY, TOOLTIP, FONT, BACKGROUND, FOREGROUND, ACCESSIBLE_DESC, USER = (
    int(R.DisplayRole), int(R.ToolTipRole), int(R.FontRole), int(R.BackgroundRole), int(R.ForegroundRole),
    int(R.AccessibleDescriptionRole), int(R.UserRole))
ItemRole = USER + 1
SortRole = USER + 2
HORIZONTAL = Qt.Orientation.Horizontal

Index = QModelIndex | QPersistentModelIndex

_DIGITS = re.compile(r"\d+")


def sort_key(text: str) -> str:
    """``text`` as a ``SortRole`` value that sorts numbers inside names by value ("model 2" before "model 10") under
    the proxy's locale collation (``tables.locale_proxy``): each run of digits is padded with zeros to 20 places.
    ``TableModel`` applies it to its text sort keys; models of Qt items call it themselves."""
    return _DIGITS.sub(lambda m: m.group().rjust(20, "0"), text)


class TableModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        if orientation == HORIZONTAL and role == DISPLAY and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def retranslate(self) -> None:
        """The language changed: the views ask the headers and cells again (their words are translated when
        asked)."""
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Horizontal, 0, self.columnCount() - 1)
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[Any]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def item(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def refresh_rows(self, rows: list[int]) -> None:
        """Repaint these rows: one dataChanged per contiguous run (each signal costs the views a relayout)."""
        last_col = self.columnCount() - 1
        rows = sorted({r for r in rows if 0 <= r < len(self.rows)})
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i] != rows[i - 1] + 1:
                self.dataChanged.emit(self.index(rows[start], 0), self.index(rows[i - 1], last_col))
                start = i

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        obj = self.rows[index.row()]
        if role == ItemRole:
            return obj
        value = self.cell(obj, index.column(), role)
        if role == SortRole and value.__class__ is str:
            return sort_key(value)
        return value

    def cell(self, obj: Any, col: int, role: int):  # pragma: no cover - overridden
        return None


# ---- repositories -----------------------------------------------------------------------------------------------
