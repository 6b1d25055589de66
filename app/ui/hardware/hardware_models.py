"""Qt models of the Hardware page: the devices (with used/free memory) and the local models with their verdicts."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

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


class FitTableModel(QAbstractTableModel):
    """The local models and their verdict at the chosen context (rows of ``FitRow``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

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

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        c = index.column()
        res = r.result
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole, SortRole):
            if c == 0:
                return r.model.name
            if res is None:
                if c == 1:
                    return r.error or "Unknown"
                return "" if role != SortRole else -1
            e = res.estimate
            if c == 1:
                return res.label
            if c == 2:
                return f"{res.gpu_layers} / {res.total_layers}" if role != SortRole else res.gpu_layers
            if c == 3:
                return f"{res.max_ctx:,} tokens" if role != SortRole else res.max_ctx
            if c == 4:
                need = sum(res.required.values())
                return human_bytes(need) if role != SortRole else need
            if c == 5:
                return (f"weights {human_bytes(e.weights_bytes)}, KV {human_bytes(e.kv_bytes)}, compute "
                        f"{human_bytes(e.compute_bytes)}") if role != SortRole else e.total_bytes
        if role == VerdictRole:
            return res.verdict if res is not None else "error"
        if role == BreakdownRole and res is not None:
            e = res.estimate
            return (e.weights_bytes, e.kv_bytes + e.recurrent_bytes, e.compute_bytes + e.output_bytes)
        if role == Qt.ToolTipRole:
            if res is None:
                return f"{r.model.path}\n{r.error}"
            return "\n".join([str(r.model.path), res.label] + res.notes)
        return None

    def set_rows(self, rows: list) -> None:
        if [r.model.path for r in rows] == [r.model.path for r in self._rows] and rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def index_of(self, row: int, column: int = 0) -> QModelIndex | QPersistentModelIndex:
        return self.index(row, column)
