"""The window's one owner of the remote backends list (:class:`app.core.remote.BackendStore`): the Backends tab
changes it, the Chat picker lists its models, and ``changed`` tells them both."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.remote import Backend, BackendStore


class BackendsState(QObject):
    changed = Signal()

    def __init__(self, store: BackendStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def all(self) -> list[Backend]:
        return self.store.all()

    def save(self, backend: Backend, key: str | None = None) -> None:
        self.store.save(backend, key)
        self.changed.emit()

    def remove(self, url: str) -> None:
        self.store.remove(url)
        self.changed.emit()
