"""Column widths for tables that can hold hundreds of rows, without ``QHeaderView.ResizeToContents``: that mode
asks the model for every cell of every row (size hints, through ``data()`` in Python) on each change of the
model. Here a column gets the width of its widest text, at least its header's, measured once per change over the
distinct texts (a few dozen per column)."""
from __future__ import annotations

import math
from typing import Iterable

from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QStyle, QTableView


def fit_columns(view: QTableView, texts: dict[int, Iterable[str]]) -> None:
    """Size each column in ``texts`` (column -> its cells' texts) as ResizeToContents would."""
    fm = QFontMetricsF(view.font())  # fractional advances rounded up, as the item delegate lays text out: the
    # integer metrics round to the nearest pixel and left the widest text elided by one
    # QStyledItemDelegate's text margins on both sides, and the grid line
    pad = 2 * (view.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 1) + (1 if view.showGrid() else 0)
    header = view.horizontalHeader()
    for column, values in texts.items():
        widest = math.ceil(max((fm.size(0, t).width() for t in set(values)), default=0.0))
        header.resizeSection(column, max(header.sectionSizeHint(column), widest + pad))
