"""The sortable, single-selection table the Library and the Documents page show their models in, and the proxy
every table sorts and filters through in the user's language.

Sorting and filtering stay in C++ (no Python ``lessThan``/``filterAcceptsRow``: the Library's model answers
``data()`` in C++ so that sorting never waits for the GIL while a worker runs Python):

- text columns sort with the collation of the current language (``setSortLocaleAware``: Qt's collator of
  ``QLocale()``, which ``install_language`` sets; Turkish: "ağaç, çay, Çorba, ılık, İstanbul, zeytin"), numbers
  inside names in numeric order when the model gives its ``SortRole`` text through ``table_model.sort_key``
  (``TableModel`` does that by itself);
- the filter (:func:`set_filter_text`) matches any column's text, case-insensitively and the Turkish way too:
  İ, I, ı and i match one another ("istanbul" and "ISTANBUL" find "İstanbul"), as the documents index folds them.
"""
from __future__ import annotations

import unicodedata
import weakref

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.ui.common.table_model import SortRole

_proxies: weakref.WeakSet = weakref.WeakSet()
_I_LETTERS = "iIıİ"
_I_CLASS = "[iIıİ]\\x{0307}?"  # and an i with a combining dot above: Python's "İ".lower() is "i̇"


def locale_proxy(parent=None, sort_role: int = SortRole) -> QSortFilterProxyModel:
    """A proxy sorting by ``sort_role`` in the current language's collation and filtering with
    :func:`set_filter_text`; it sorts again when the language changes (:func:`resort_all`)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSortRole(sort_role)
    proxy.setSortLocaleAware(True)
    proxy.setFilterKeyColumn(-1)  # any column
    proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
    _proxies.add(proxy)
    return proxy


def filter_pattern(text: str) -> str:
    """A regular expression finding ``text`` as typed (case-insensitively with ``CaseInsensitiveOption``), each
    of İ, I, ı, i matching any of them."""
    out: list[str] = []
    prev_i = False
    for ch in unicodedata.normalize("NFC", text):
        if ch == "\u0307" and prev_i:  # "i̇" typed or pasted: the dot is part of the letter
            continue
        prev_i = ch in _I_LETTERS
        out.append(_I_CLASS if prev_i else QRegularExpression.escape(ch))
    return "".join(out)


def set_filter_text(proxy: QSortFilterProxyModel, text: str) -> None:
    """Show only the rows with ``text`` in one of their columns (all rows for empty text)."""
    proxy.setFilterRegularExpression(QRegularExpression(filter_pattern(text.strip()),
                                                        QRegularExpression.CaseInsensitiveOption))


def resort_all() -> None:
    """Sort (and filter) every open table again: the language's collation changed."""
    for proxy in list(_proxies):
        try:
            if proxy.sortColumn() >= 0 or proxy.filterRegularExpression().pattern():
                proxy.invalidate()
        except RuntimeError:  # its C++ object is gone
            _proxies.discard(proxy)


def sortable_table(name: str, model, stretch: int | None = 0) -> tuple[QTableView, QSortFilterProxyModel]:
    """A table over ``model`` through a :func:`locale_proxy` sorting by ``SortRole`` (first column, ascending),
    whole rows selected one at a time, no row numbers, columns the user can resize; column ``stretch`` (None: the
    last) takes the room left. No ResizeToContents: callers size columns with ``column_widths.fit_columns``."""
    view = QTableView()
    view.setTabKeyNavigation(False)  # Tab leaves the table (arrow keys move between rows): no keyboard trap
    view.setAccessibleName(name)
    proxy = locale_proxy(view)
    proxy.setSourceModel(model)
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
