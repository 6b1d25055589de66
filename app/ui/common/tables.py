"""The sortable, single-selection table the Library and the Documents page show their models in."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.ui.common.table_model import SortRole


def sortable_table(name: str, model, stretch: int | None = 0) -> tuple[QTableView, QSortFilterProxyModel]:
    """A table over ``model`` through a proxy sorting by ``SortRole`` (first column, ascending), whole rows
    selected one at a time, no row numbers, columns the user can resize; column ``stretch`` (None: the last)
    takes the room left. No ResizeToContents: callers size columns with ``column_widths.fit_columns``."""
    view = QTableView()
    view.setAccessibleName(name)
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.Interactive)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.Stretch)
    return view, proxy
