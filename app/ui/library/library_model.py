"""The library as a Qt item model: one row of prepared items per local model, sorted by prepared keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.core.library import LocalModel, ModelFacts
from app.core.units import human_bytes, human_params, number
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import (TOOLTIP, ItemRole,
                                       SortRole)


# ---- library ----------------------------------------------------------------------------------------------------------
SOURCE_LABELS = {"hearth": "Hearth", "imported": QT_TRANSLATE_NOOP("LibraryRow", "Imported"),
                 "hf-cache": QT_TRANSLATE_NOOP("LibraryRow", "Hugging Face cache"),
                 "lm-studio": "LM Studio", "ollama": "Ollama"}  # the Source column (app names stay as they are)
FIT_COLUMN = 7
EXTRAS_COLUMN = 9  # the LoRA adapters that fit the model, and "vision" when a projector is paired with it
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
    adapters: list = field(default_factory=list)  # AdapterInfo of the library's adapters that fit this model
    projector: Path | None = None  # the vision projector paired with it (app/core/library/companions.py)
    cells: tuple[str, ...] = field(init=False, repr=False, compare=False)
    keys: tuple = field(init=False, repr=False, compare=False)
    tooltip: str = field(init=False, repr=False, compare=False)
    items: list[QStandardItem] | None = field(init=False, repr=False, compare=False)  # until a model takes them

    def __post_init__(self) -> None:
        m, f = self.model, self.facts
        source = translate("LibraryRow", SOURCE_LABELS[m.source]) if m.source in SOURCE_LABELS else m.source
        if f is None:
            cells = (m.display_name, "…", "…", "…", human_bytes(m.size), "…", "…", "…", source)
        elif f.error:
            cells = (m.display_name, translate("LibraryRow", "unreadable"), "—", "—", human_bytes(m.size), "—", "—",
                     "—", source)
        else:
            cells = (m.display_name, f.architecture or "—", human_params(f.parameters), f.quantization or "—",
                     human_bytes(m.size), number(f.context_length) if f.context_length else "—",
                     translate("LibraryRow", "yes") if f.chat_template else translate("LibraryRow", "no"),
                     self.verdict or "—", source)
        self.cells = (*cells, self.extras_text())
        # counts as floats: PySide hands a Python int above 2**31 to Qt as an opaque object, which the proxy
        # cannot compare (sizes and parameter counts sorted in no order); a double is exact up to 2**53
        self.keys = (m.display_name.lower(), f.architecture if f else "", float(f.parameters if f else 0),
                     f.quantization if f else "", float(m.size), f.context_length if f else 0,
                     bool(f and f.chat_template), self.verdict, m.source,
                     float(len(self.adapters) + (self.projector is not None)))
        self.tooltip = f"{m.path}" + (f"\n{f.error}" if f and f.error else "")
        if self.adapters or self.projector is not None:
            self.tooltip += "\n" + self.companions_text()
        self.items = self.make_items()

    def extras_text(self) -> str:
        """The Adapters cell: "pirate · vision", "3 adapters", "—"."""
        parts = []
        if len(self.adapters) == 1:
            parts.append(self.adapters[0].name)
        elif self.adapters:
            n = len(self.adapters)
            parts.append(translate("LibraryRow", "%n adapter(s)", None, n))
        if self.projector is not None:
            parts.append(translate("LibraryRow", "vision"))
        return " · ".join(parts) or "—"

    def companions_text(self) -> str:
        """Each adapter with its alpha, rank and size, and the paired projector (the line under the table)."""
        lines = [translate("LibraryRow", "• Adapter {name}: alpha {alpha}, rank {rank}, {size}").format(
            name=a.name, alpha=f"{a.alpha:g}", rank=a.rank, size=human_bytes(a.size_bytes)) for a in self.adapters]
        if self.projector is not None:
            lines.append(translate("LibraryRow", "• Vision: {file}").format(file=self.projector.name))
        return "\n".join(lines)

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
    headers = (QT_TRANSLATE_NOOP("LibraryModel", "Model"), QT_TRANSLATE_NOOP("LibraryModel", "Architecture"),
               QT_TRANSLATE_NOOP("LibraryModel", "Parameters"), QT_TRANSLATE_NOOP("LibraryModel", "Quantization"),
               QT_TRANSLATE_NOOP("LibraryModel", "Size"), QT_TRANSLATE_NOOP("LibraryModel", "Context"),
               QT_TRANSLATE_NOOP("LibraryModel", "Chat template"), QT_TRANSLATE_NOOP("LibraryModel", "Fit"),
               QT_TRANSLATE_NOOP("LibraryModel", "Source"), QT_TRANSLATE_NOOP("LibraryModel", "Adapters"))

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(self.headers), parent)
        self.setHorizontalHeaderLabels([translate("LibraryModel", h) for h in self.headers])
        self.rows: list[LibraryRow] = []

    def retranslate(self) -> None:
        """The language changed: the headers in the new language (the cells are the models' facts)."""
        self.setHorizontalHeaderLabels([translate("LibraryModel", h) for h in self.headers])

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
