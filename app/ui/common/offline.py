"""The one owner of Offline mode in the window: every switch (status bar, Models page, Network page) is bound to
it, every page that cares listens to ``changed``. It keeps the network layer (:mod:`app.core.net`) and the saved
setting in step, so no switch has to know about the others."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractButton

from app.core import net


class OfflineState(QObject):
    changed = Signal(bool)

    def __init__(self, ctx, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        net.set_offline(self.on)

    @property
    def on(self) -> bool:
        return bool(self._ctx.settings.offline_mode)  # the saved setting is the one record of it

    def set(self, on: bool) -> None:
        """Turn Offline mode on or off: the network layer refuses connections at once, the setting is saved."""
        on = bool(on)
        net.set_offline(on)
        if on == self.on:
            return
        self._ctx.settings.offline_mode = on
        self._ctx.save_settings()
        self.changed.emit(on)

    def bind(self, switch: QAbstractButton) -> None:
        """A checkable button that shows and sets Offline mode."""
        switch.setChecked(self.on)
        switch.toggled.connect(self.set)

        def follow(on: bool) -> None:
            if switch.isChecked() != on:
                switch.blockSignals(True)
                switch.setChecked(on)
                switch.blockSignals(False)

        self.changed.connect(follow)
        switch.destroyed.connect(lambda *_: self._disconnect(follow))

    def _disconnect(self, slot) -> None:
        try:
            self.changed.disconnect(slot)
        except (RuntimeError, TypeError):
            pass
