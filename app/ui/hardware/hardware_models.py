"""Qt models of the Hardware page: the devices (with used/free memory) and the local models with their verdicts."""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.core.units import human_bytes, number
from app.ui.common.fit_texts import notes, result_label
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate

UsedRole = Qt.UserRole + 1
TotalRole = Qt.UserRole + 2
DetailRole = Qt.UserRole + 3
BreakdownRole = Qt.UserRole + 4
VerdictRole = Qt.UserRole + 5
SortRole = Qt.UserRole + 6
RowRole = Qt.UserRole + 7  # a device row at once: (name, used, total, detail)


def free_of(free, total) -> str:
    return translate("DeviceListModel", "{free} free of {total}").format(free=human_bytes(free),
                                                                         total=human_bytes(total))


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
        if role == RowRole:
            return (r["name"], r["used"], r["total"], r["detail"])
        if role == Qt.AccessibleTextRole:
            return f"{r['name']}: {r['detail']}"
        return None

    def set_info(self, info) -> None:
        rows = []
        ram = translate("DeviceListModel", "Memory (RAM)")
        if info.ram_total:
            used = info.ram_total - (info.ram_available or 0)
            rows.append({"name": ram, "used": used, "total": info.ram_total,
                         "detail": free_of(info.ram_available, info.ram_total)})
        else:
            rows.append({"name": ram, "used": None, "total": None,
                         "detail": translate("DeviceListModel", "unknown")})
        for g in info.gpus:
            total, free = g.total_bytes, g.free_bytes
            notes = [free_of(free, total)]
            if g.unified:
                notes.append(translate("DeviceListModel", "shared with the CPU"))
            if g.usable is False:
                notes.append(translate("DeviceListModel", "this llama.cpp build cannot use it"))
            rows.append({"name": g.name, "used": (total - free) if total and free is not None else None,
                         "total": total, "detail": " · ".join(notes)})
        if not info.gpus:
            rows.append({"name": translate("DeviceListModel", "GPU"), "used": None, "total": None,
                         "detail": translate("DeviceListModel", "No GPU found: models run on the CPU, which works "
                                                                "well for small models")})
        if info.disk_total:
            rows.append({"name": translate("DeviceListModel", "Disk (models folder)"),
                         "used": info.disk_total - (info.disk_free or 0), "total": info.disk_total,
                         "detail": free_of(info.disk_free, info.disk_total)})
        if len(rows) == len(self._rows):
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()


COLUMNS = (QT_TRANSLATE_NOOP("FitTableModel", "Model"), QT_TRANSLATE_NOOP("FitTableModel", "Verdict"),
           QT_TRANSLATE_NOOP("FitTableModel", "GPU layers"), QT_TRANSLATE_NOOP("FitTableModel", "Largest context"),
           QT_TRANSLATE_NOOP("FitTableModel", "Memory needed"), QT_TRANSLATE_NOOP("FitTableModel", "Breakdown"))
LEVEL = {"gpu_full": 0, "cpu": 0, "partial": 1, "no_fit": 2}
_ACCESSIBLE, _TOOLTIP = int(Qt.AccessibleTextRole), int(Qt.ToolTipRole)
_SORT, _VERDICT, _BREAKDOWN = int(SortRole), int(VerdictRole), int(BreakdownRole)
# cells are clones of this item: made by Qt, plain C++ (an item constructed in Python is PySide's wrapper class,
# whose data() takes the GIL on its first call; see app.ui.library.library_model.new_item)
_PROTOTYPE = QStandardItem()
_PROTOTYPE.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren)


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
        error = r.error or translate("FitTableModel", "Unknown")
        return FitCells((r.model.name, error, "", "", "", ""),
                        (r.model.name, error, -1, -1, -1.0, -1.0), "error", None,
                        f"{r.model.path}\n{r.error}")
    e = res.estimate
    need = sum(res.required.values())
    # a context longer than the model was trained for fits in memory but not in the model: say so in the cell
    label = translate("FitTableModel", "{verdict} · past its trained {tokens}").format(
        verdict=result_label(res), tokens=number(res.beyond_trained)) if res.beyond_trained else result_label(res)
    cells = (r.model.name, label, f"{res.gpu_layers} / {res.total_layers}",
             translate("FitTableModel", "{tokens} tokens").format(tokens=number(res.max_ctx)), human_bytes(need),
             translate("FitTableModel", "weights {weights}, KV {kv}, compute {compute}").format(
                 weights=human_bytes(e.weights_bytes), kv=human_bytes(e.kv_bytes),
                 compute=human_bytes(e.compute_bytes)))
    # byte counts as floats: PySide hands a Python int above 2**31 to Qt as an opaque object, which the proxy
    # cannot compare; a double is exact up to 2**53
    keys = (r.model.name, result_label(res), res.gpu_layers, res.max_ctx, float(need), float(e.total_bytes))
    return FitCells(cells, keys, res.verdict,
                    (e.weights_bytes, e.kv_bytes + e.recurrent_bytes, e.compute_bytes + e.output_bytes),
                    "\n".join([str(r.model.path), result_label(res)] + notes(res)))


def make_items(shown: FitCells) -> list[QStandardItem]:
    """One row of ``QStandardItem``s (made on the worker thread with the row: the GUI thread only inserts them)."""
    items = []
    for text, key in zip(shown.cells, shown.keys):
        it = _PROTOTYPE.clone()
        it.setText(text)
        it.setData(text, _ACCESSIBLE)
        it.setData(key, _SORT)
        it.setData(shown.verdict, _VERDICT)
        it.setData(shown.tooltip, _TOOLTIP)
        if shown.breakdown is not None:
            it.setData(shown.breakdown, _BREAKDOWN)
        items.append(it)
    return items


class FitTableModel(QStandardItemModel):
    """The local models and their verdict at the chosen context (rows of ``FitRow``, in the order of the model's
    rows; the view sorts through a ``QSortFilterProxyModel`` on ``SortRole``).

    A ``QStandardItemModel`` rather than a Python ``QAbstractTableModel``: its ``data()`` is C++, so repainting,
    scrolling and sorting 500 rows call no Python, and need not wait for the GIL while the page's worker reads
    headers or estimates fits (with a Python model each ``data()`` call could wait up to 5 ms for it)."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.retranslate_headers()
        self._rows: list = []

    def retranslate_headers(self) -> None:
        self.setHorizontalHeaderLabels([translate("FitTableModel", c) for c in COLUMNS])

    def row(self, i: int):
        return self._rows[i]

    def rows_shown(self) -> list[FitCells]:
        return [r.shown for r in self._rows]

    def set_rows(self, rows: list) -> None:
        """Replace the rows with ``FitRow``s whose items the worker made (the page re-selects the selected model)."""
        self.setRowCount(0)
        self._rows = list(rows)
        for r in self._rows:
            items, r.items = r.items or make_items(r.shown), None  # the model owns them now
            self.appendRow(items)

    def index_of(self, row: int, column: int = 0) -> QModelIndex | QPersistentModelIndex:
        return self.index(row, column)
