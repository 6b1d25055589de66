"""Qt item models of the Models page: repositories (starter picks and search results), the quantization
picker, the download queue and the library. Each is a plain table over Python objects owned by the GUI thread."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

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
# every cell is a clone of this one. An item constructed in Python is an instance of PySide's wrapper class, whose
# virtual data() takes the GIL on its first call to look for a Python override; with a worker thread busy in
# Python, the first paint and sort of 4,500 such items waited 0.75 s for it. A clone is made by Qt: plain C++.
_PROTOTYPE = QStandardItem()
_PROTOTYPE.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren)


def new_item(text: str) -> QStandardItem:
    """A non-editable table cell, made by Qt (see ``_PROTOTYPE``)."""
    it = _PROTOTYPE.clone()
    it.setText(text)
    return it


@dataclass
class LibraryRow:
    """A model of the library and its table row: the texts, sort keys and the row's ``QStandardItem``s are made
    when the row is made (by the scan, on the disk worker thread), so the GUI thread only inserts ready items."""
    model: LocalModel
    facts: ModelFacts | None = None
    verdict: str = ""
    cells: tuple[str, ...] = field(init=False, repr=False, compare=False)
    keys: tuple = field(init=False, repr=False, compare=False)
    tooltip: str = field(init=False, repr=False, compare=False)
    items: list[QStandardItem] | None = field(init=False, repr=False, compare=False)  # until a model takes them

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
        # counts as floats: PySide hands a Python int above 2**31 to Qt as an opaque object, which the proxy
        # cannot compare (sizes and parameter counts sorted in no order); a double is exact up to 2**53
        self.keys = (m.display_name.lower(), f.architecture if f else "", float(f.parameters if f else 0),
                     f.quantization if f else "", float(m.size), f.context_length if f else 0,
                     bool(f and f.chat_template), self.verdict, m.source)
        self.tooltip = f"{m.path}" + (f"\n{f.error}" if f and f.error else "")
        self.items = self.make_items()

    def make_items(self) -> list[QStandardItem]:
        items = []
        for text, key in zip(self.cells, self.keys):
            it = new_item(text)
            it.setData(key, SortRole)
            it.setData(self.tooltip, TOOLTIP)
            items.append(it)
        return items

    def set_verdict(self, verdict: str) -> None:
        self.verdict = verdict
        f = self.facts
        shown = "…" if f is None else "—" if f.error else verdict or "—"
        c = FIT_COLUMN
        self.cells = (*self.cells[:c], shown, *self.cells[c + 1:])
        self.keys = (*self.keys[:c], verdict, *self.keys[c + 1:])


class LibraryModel(QStandardItemModel):
    """The library's rows (``rows``, in the order of the model's rows; views sort through a proxy).

    Not a Python ``QAbstractTableModel`` as our other tables: with one, every repaint, sort and size hint calls
    ``data()`` in Python (over 300 calls to paint one screen of rows), and while a worker thread runs Python
    (reading 500 headers, estimating 500 fits) each call waits for the GIL, up to the 5 ms switch interval: a
    repaint of the Library took 1.6 s. A ``QStandardItemModel`` answers ``data()`` in C++, so painting,
    scrolling and sorting (``QSortFilterProxyModel`` on ``SortRole``) never need the GIL; the items are made on
    the worker thread with the rows."""
    headers = ("Model", "Architecture", "Parameters", "Quantization", "Size", "Context", "Chat template", "Fit",
               "Source")

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(self.headers), parent)
        self.setHorizontalHeaderLabels(list(self.headers))
        self.rows: list[LibraryRow] = []

    def set_rows(self, rows: list[LibraryRow]) -> None:
        self.setRowCount(0)
        self.rows = list(rows)
        for r in self.rows:
            items, r.items = r.items or r.make_items(), None  # the model owns them now
            # the row itself only now: items of a scan that is never shown must not hold their row (row -> items
            # -> QVariant -> row is a cycle through C++ that the garbage collector cannot see)
            items[0].setData(r, ItemRole)
            self.appendRow(items)

    def set_verdicts(self, verdicts: dict) -> None:
        """Fit verdicts by model path, from one batch of the worker: one dataChanged for the Fit column (a
        dataChanged per item would make the proxy re-sort and the view relayout 500 times)."""
        if not self.rows:
            return
        self.blockSignals(True)
        try:
            for i, r in enumerate(self.rows):
                v = verdicts.get(r.model.path)
                if v is None or v == r.verdict:
                    continue
                r.set_verdict(v)
                it = self.item(i, FIT_COLUMN)
                it.setText(r.cells[FIT_COLUMN])
                it.setData(v, SortRole)
        finally:
            self.blockSignals(False)
        self.dataChanged.emit(self.index(0, FIT_COLUMN), self.index(len(self.rows) - 1, FIT_COLUMN))
