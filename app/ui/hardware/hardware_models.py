"""Qt models of the Hardware page: the devices (with used/free memory) and the local models with their verdicts."""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import (QAbstractItemModel, QAbstractListModel, QAbstractTableModel, QModelIndex,
                            QPersistentModelIndex, QSortFilterProxyModel, Qt)

from app.core.hardware import human_bytes

UsedRole = Qt.UserRole + 1
TotalRole = Qt.UserRole + 2
DetailRole = Qt.UserRole + 3
BreakdownRole = Qt.UserRole + 4
VerdictRole = Qt.UserRole + 5
SortRole = Qt.UserRole + 6


class DeviceListModel(QAbstractListModel):
    """One row per memory pool: RAM, each GPU, the disk holding the models."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict] = []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return r["name"]
        if role == UsedRole:
            return r["used"]
        if role == TotalRole:
            return r["total"]
        if role == DetailRole:
            return r["detail"]
        if role == Qt.AccessibleTextRole:
            return f"{r['name']}: {r['detail']}"
        return None

    def set_info(self, info) -> None:
        rows = []
        if info.ram_total:
            used = info.ram_total - (info.ram_available or 0)
            rows.append({"name": "Memory (RAM)", "used": used, "total": info.ram_total,
                         "detail": f"{human_bytes(info.ram_available)} free of {human_bytes(info.ram_total)}"})
        else:
            rows.append({"name": "Memory (RAM)", "used": None, "total": None, "detail": "unknown"})
        for g in info.gpus:
            total, free = g.total_bytes, g.free_bytes
            note = " · shared with the CPU" if g.unified else ""
            if g.usable is False:
                note += " · this llama.cpp build cannot use it"
            rows.append({"name": g.name, "used": (total - free) if total and free is not None else None,
                         "total": total, "detail": f"{human_bytes(free)} free of {human_bytes(total)}{note}"})
        if not info.gpus:
            rows.append({"name": "GPU", "used": None, "total": None,
                         "detail": "No GPU found: models run on the CPU, which works well for small models"})
        if info.disk_total:
            rows.append({"name": "Disk (models folder)", "used": info.disk_total - (info.disk_free or 0),
                         "total": info.disk_total,
                         "detail": f"{human_bytes(info.disk_free)} free of {human_bytes(info.disk_total)}"})
        if len(rows) == len(self._rows):
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()


COLUMNS = ("Model", "Verdict", "GPU layers", "Largest context", "Memory needed", "Breakdown")
LEVEL = {"gpu_full": 0, "cpu": 0, "partial": 1, "no_fit": 2}
# roles as plain ints: the view asks data() for every visible cell on each repaint, and comparing against enum
# members is slower
_DISPLAY, _ACCESSIBLE, _TOOLTIP = int(Qt.DisplayRole), int(Qt.AccessibleTextRole), int(Qt.ToolTipRole)
_SORT, _VERDICT, _BREAKDOWN = int(SortRole), int(VerdictRole), int(BreakdownRole)


class FitCells(NamedTuple):
    """What the table shows for one ``FitRow`` (its ``shown``), made once, on the worker thread that makes the row."""
    cells: tuple[str, ...]  # display text per column
    keys: tuple  # sort key per column
    verdict: str  # VerdictRole: the estimator's verdict, "error" when there is none
    breakdown: tuple[int, int, int] | None  # weights, KV (+ recurrent state), compute (+ output)
    tooltip: str


def describe(r) -> FitCells:
    """The cells of a ``FitRow`` (model, result, error)."""
    res = r.result
    if res is None:
        return FitCells((r.model.name, r.error or "Unknown", "", "", "", ""),
                        (r.model.name, r.error or "Unknown", -1, -1, -1, -1), "error", None,
                        f"{r.model.path}\n{r.error}")
    e = res.estimate
    need = sum(res.required.values())
    cells = (r.model.name, res.label, f"{res.gpu_layers} / {res.total_layers}", f"{res.max_ctx:,} tokens",
             human_bytes(need), f"weights {human_bytes(e.weights_bytes)}, KV {human_bytes(e.kv_bytes)}, compute "
                                f"{human_bytes(e.compute_bytes)}")
    keys = (r.model.name, res.label, res.gpu_layers, res.max_ctx, need, e.total_bytes)
    return FitCells(cells, keys, res.verdict,
                    (e.weights_bytes, e.kv_bytes + e.recurrent_bytes, e.compute_bytes + e.output_bytes),
                    "\n".join([str(r.model.path), res.label] + res.notes))


class FitTableModel(QAbstractTableModel):
    """The local models and their verdict at the chosen context (rows of ``FitRow``, whose ``shown`` holds the
    prepared texts). It sorts itself with the prepared keys (see ``FitSortProxy``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def row(self, i: int):
        return self._rows[i]

    def rows_shown(self) -> list[FitCells]:
        return [r.shown for r in self._rows]

    def data(self, index, role=Qt.DisplayRole):
        i = index.row()  # -1 for an invalid index
        if not 0 <= i < len(self._rows):
            return None
        v = self._rows[i].shown
        if role == _DISPLAY or role == _ACCESSIBLE:
            return v.cells[index.column()]
        if role == _SORT:
            return v.keys[index.column()]
        if role == _BREAKDOWN:
            return v.breakdown
        if role == _VERDICT:
            return v.verdict
        if role == _TOOLTIP:
            return v.tooltip
        return None

    def set_rows(self, rows: list) -> None:
        where = {r.model.path: i for i, r in enumerate(self._rows)}
        if rows and len(rows) == len(where) and all(r.model.path in where for r in rows):
            # the same models (a new context or setting): the rows stay where they are, then are re-sorted
            self._rows = sorted(rows, key=lambda r: where[r.model.path])
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            self._resort()
            return
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    def index_of(self, row: int, column: int = 0) -> QModelIndex | QPersistentModelIndex:
        return self.index(row, column)

    # ---- sorting (as app.ui.models.qt_models.LibraryModel: a Python sort over prepared keys, well under a ms
    # for 500 rows, where a QSortFilterProxyModel calls data() twice per comparison) ---------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._resort()

    def _sorted(self, rows: list) -> list:
        col = self.sort_column
        if not 0 <= col < len(COLUMNS):
            return rows
        return sorted(rows, key=lambda r: r.shown.keys[col], reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def _resort(self) -> None:
        new = self._sorted(self._rows)
        if all(a is b for a, b in zip(new, self._rows)):
            return
        self.layoutAboutToBeChanged.emit()
        where = {id(r): i for i, r in enumerate(new)}
        old = self.persistentIndexList()
        moved = [self.index(where[id(self._rows[i.row()])], i.column()) for i in old]
        self._rows = new
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()


class FitSortProxy(QSortFilterProxyModel):
    """Sorts by asking ``FitTableModel`` to reorder itself (prepared keys) instead of comparing data() values."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)
