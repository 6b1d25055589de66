"""The window's one owner of the model catalog (:class:`app.core.library.catalog.ModelCatalog`): every page reads
the same list, and ``changed`` tells them all when a download, import, delete or adoption changed it."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.library.catalog import ModelCatalog


class CatalogState(QObject):
    changed = Signal()

    def __init__(self, catalog: ModelCatalog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
