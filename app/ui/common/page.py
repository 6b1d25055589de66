"""What the main window knows of a page: a widget told when it is shown and when the window closes."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """A page of the main window's stack. Subclasses start their background work in :meth:`on_shown` (after
    the first paint) and stop it in :meth:`shutdown`."""

    def on_shown(self) -> None:
        """The window switched to this page."""

    def shutdown(self) -> None:
        """The window is closing: stop background work and save what must be saved."""
