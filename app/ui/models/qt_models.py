"""Qt item models of the Models page: repositories (starter picks and search results), the quantization
picker, the download queue and the library. Each is a plain table over Python objects owned by the GUI thread."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import (QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel, Qt)
from PySide6.QtGui import QColor, QFont

from app.core.download_queue import ACTIVE, FAILED, format_eta
from app.core.library import LocalModel, ModelFacts, human_params, human_size
from app.ui.common.theme import colors

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


class _Table(QAbstractTableModel):
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
        return self.cell(obj, index.column(), role)

    def cell(self, obj: Any, col: int, role: int):  # pragma: no cover - overridden
        return None


# ---- repositories -----------------------------------------------------------------------------------------------
@dataclass
class RepoRow:
    repo_id: str
    title: str  # e.g. "SmolLM2 360M Instruct" for a starter pick, else the repo id
    detail: str  # "good for", or owner · downloads · likes · updated
    downloads: int = 0
    likes: int = 0
    updated: str = ""
    gated: bool = False
    pick: dict | None = None  # the starter-pick record, when it is one
    fit: str = ""  # starter picks: best quantization and verdict on this computer (estimated offline)
    fit_detail: str = ""
    fit_level: int = -1  # 0 fits fully, 1 partly, 2 does not fit, -1 not known


class RepoModel(_Table):
    headers = ("Model", "Downloads", "Likes", "Updated", "Access", "Fit here")

    def cell(self, r: RepoRow, col: int, role: int):
        if role == DISPLAY:
            if col == 0 and r.pick is not None:
                return f"{r.title} — {r.detail}"  # a starter pick shows what it is good for
            if col == 5:
                return r.fit or ("estimating…" if r.pick is not None else "open to check")
            return (r.title, f"{r.downloads:,}" if r.downloads else "—", f"{r.likes:,}" if r.likes else "—",
                    r.updated or "—", "gated" if r.gated else "open")[col]
        if role == TOOLTIP and col == 0:
            return f"{r.repo_id}\n{r.detail}"
        if role == TOOLTIP and col == 5:
            return r.fit_detail or "Open the repository: each file's verdict is read from its header."
        if role == SortRole:
            return (r.title.lower(), r.downloads, r.likes, r.updated, r.gated, r.fit_level)[col]
        if role == ACCESSIBLE_DESC and col == 0:
            return r.detail
        if role == FOREGROUND and col == 5 and r.fit_level == 2:
            return QColor("#b3261e")
        return None


# ---- quantization picker ------------------------------------------------------------------------------------------
@dataclass
class QuantRow:
    entry: Any  # app.core.hub.QuantEntry
    bpw: float | None = None  # measured (size / parameters) when the header was read, else nominal
    verdict: str = ""  # "Fits", "Tight", "Too big" ... from the fit estimator
    verdict_detail: str = ""
    level: int = -1  # 0 fits fully, 1 partly/tight, 2 does not fit, -1 unknown
    best: bool = False


class QuantModel(_Table):
    headers = ("File", "Quantization", "Size", "Bits/weight", "Fit on this computer")

    def cell(self, r: QuantRow, col: int, role: int):
        e = r.entry
        if role == DISPLAY:
            bpw = r.bpw or e.nominal_bpw
            kind = " (vision projector)" if e.kind == "mmproj" else ""
            verdict = r.verdict or ("—" if e.kind == "mmproj" else "checking…")
            return (e.name + kind, e.quant, human_size(e.total_size), f"{bpw:.2f}" if bpw else "—",
                    ("★ best fit · " if r.best else "") + verdict)[col]
        if role == TOOLTIP:
            return r.verdict_detail or None
        if role == FONT and r.best:
            f = QFont()
            f.setBold(True)
            return f
        if role == BACKGROUND and r.best:
            c = QColor(colors()["highlight"])
            c.setAlpha(40)
            return c
        if role == FOREGROUND and col == 4 and r.level == 2:
            return QColor("#b3261e")
        return None


# ---- downloads ------------------------------------------------------------------------------------------------------
class DownloadsModel(_Table):
    headers = ("File", "Size", "Progress", "Speed", "ETA", "State")

    def __init__(self, speed_of: Callable[[int], float], parent=None) -> None:
        super().__init__(parent)
        self.speed_of = speed_of

    def cell(self, it, col: int, role: int):
        if role == DISPLAY:  # only the asked column: views ask often (size hints, repaints)
            if col == 0:
                return it.name
            if col == 1:
                return human_size(it.size) if it.size else "—"
            if col == 2:
                return f"{it.fraction:.0%}"
            if col == 5:
                if it.state == FAILED and it.error:
                    return f"failed: {it.error}"
                return it.status_text or it.state
            speed = self.speed_of(it.id) if it.state == ACTIVE else 0.0
            if col == 3:
                return f"{human_size(speed)}/s" if speed > 0 else "—"
            return format_eta((it.size - it.done) / speed) if speed > 0 else "—"
        if role == USER and col == 2:
            return it.fraction
        if role == TOOLTIP and col == 5 and it.error:
            return it.error
        if role == FOREGROUND and col == 5 and it.state == FAILED:
            return QColor("#b3261e")
        return None


# ---- library ----------------------------------------------------------------------------------------------------------
SOURCE_LABELS = {"hearth": "Hearth", "imported": "Imported", "hf-cache": "Hugging Face cache",
                 "lm-studio": "LM Studio", "ollama": "Ollama"}
FIT_COLUMN = 7


@dataclass
class LibraryRow:
    """A model of the library and what its table row shows. The texts and sort keys are made once, when the row
    is made (by the scan, on the disk worker thread): the GUI thread only hands out prepared values, and sorting
    500 rows compares ready keys instead of rebuilding them per comparison."""
    model: LocalModel
    facts: ModelFacts | None = None
    verdict: str = ""
    cells: tuple[str, ...] = field(init=False, repr=False, compare=False)
    keys: tuple = field(init=False, repr=False, compare=False)
    tooltip: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        m, f = self.model, self.facts
        source = SOURCE_LABELS.get(m.source, m.source)
        if f is None:
            cells = (m.display_name, "…", "…", "…", human_size(m.size), "…", "…", "…", source)
        elif f.error:
            cells = (m.display_name, "unreadable", "—", "—", human_size(m.size), "—", "—", "—", source)
        else:
            cells = (m.display_name, f.architecture or "—", human_params(f.parameters), f.quantization or "—",
                     human_size(m.size), f"{f.context_length:,}" if f.context_length else "—",
                     "yes" if f.chat_template else "no", self.verdict or "—", source)
        self.cells = cells
        self.keys = (m.display_name.lower(), f.architecture if f else "", f.parameters if f else 0,
                     f.quantization if f else "", m.size, f.context_length if f else 0, bool(f and f.chat_template),
                     self.verdict, m.source)
        self.tooltip = f"{m.path}" + (f"\n{f.error}" if f and f.error else "")

    def set_verdict(self, verdict: str) -> None:
        self.verdict = verdict
        f = self.facts
        shown = "…" if f is None else "—" if f.error else verdict or "—"
        c, k = FIT_COLUMN, FIT_COLUMN
        self.cells = (*self.cells[:c], shown, *self.cells[c + 1:])
        self.keys = (*self.keys[:k], verdict, *self.keys[k + 1:])


class LibraryModel(_Table):
    """The library's rows. It sorts itself (:meth:`sort`, asked by :class:`SourceSortProxy`): a Python sort over
    the rows' prepared keys takes well under a millisecond for 500 rows, where a QSortFilterProxyModel asks
    ``data()`` twice per comparison (some 9,000 calls into Python per sort)."""
    headers = ("Model", "Architecture", "Parameters", "Quantization", "Size", "Context", "Chat template", "Fit",
               "Source")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    def data(self, index: Index, role: int = DISPLAY):
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self.rows):
            return None
        r = self.rows[row]
        if role == DISPLAY:
            return r.cells[index.column()]
        if role == TOOLTIP:
            return r.tooltip
        if role == SortRole:
            return r.keys[index.column()]
        if role == ItemRole:
            return r
        return None

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(list(rows))
        self.endResetModel()

    def append_rows(self, rows: list[Any]) -> None:
        super().append_rows(rows)
        self._resort()

    def set_verdicts(self, verdicts: dict) -> None:
        """Fit verdicts by model path, from one batch of the worker: one dataChanged for the Fit column."""
        if not self.rows:
            return
        for r in self.rows:
            v = verdicts.get(r.model.path)
            if v is not None and v != r.verdict:
                r.set_verdict(v)
        self.dataChanged.emit(self.index(0, FIT_COLUMN), self.index(len(self.rows) - 1, FIT_COLUMN), [DISPLAY])
        if self.sort_column == FIT_COLUMN:
            self._resort()

    # ---- sorting ---------------------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._resort()

    def _sorted(self, rows: list[Any]) -> list[Any]:
        col = self.sort_column
        if not 0 <= col < len(self.headers):
            return rows
        # stable, as QSortFilterProxyModel's: equal keys keep their order
        return sorted(rows, key=lambda r: r.keys[col], reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def _resort(self) -> None:
        new = self._sorted(self.rows)
        if all(a is b for a, b in zip(new, self.rows)):
            return
        self.layoutAboutToBeChanged.emit()
        where = {id(r): i for i, r in enumerate(new)}
        old = self.persistentIndexList()
        moved = [self.index(where[id(self.rows[i.row()])], i.column()) for i in old]
        self.rows = new
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()


class SourceSortProxy(QSortFilterProxyModel):
    """A proxy (for selection mapping and any future filter) that sorts by asking its source model to reorder
    itself, with prepared keys, instead of comparing ``data()`` values row against row."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)
