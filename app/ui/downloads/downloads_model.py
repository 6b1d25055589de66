"""The download queue as a Qt table model."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QColor

from app.core.downloads.queue import ACTIVE, FAILED
from app.core.units import format_eta
from app.core.units import human_bytes
from app.ui.common.table_model import (DISPLAY, FOREGROUND, TOOLTIP, USER, TableModel)


# ---- downloads ------------------------------------------------------------------------------------------------------
ACTIONS_COLUMN = 6  # the row's buttons (index widgets, see row_actions.py): the model shows nothing there


class DownloadsModel(TableModel):
    headers = ("File", "Size", "Progress", "Speed", "ETA", "State", "Actions")

    def __init__(self, speed_of: Callable[[int], float], parent=None) -> None:
        super().__init__(parent)
        self.speed_of = speed_of

    def cell(self, it, col: int, role: int):
        if role == DISPLAY:  # only the asked column: views ask often (size hints, repaints)
            if col == 0:
                return it.name
            if col == 1:
                return human_bytes(it.size) if it.size else "—"
            if col == 2:
                return f"{it.fraction:.0%}"
            if col == 5:
                if it.state == FAILED and it.error:
                    return f"failed: {it.error}"
                return it.status_text or it.state
            if col == ACTIONS_COLUMN:
                return None
            speed = self.speed_of(it.id) if it.state == ACTIVE else 0.0
            if col == 3:
                return f"{human_bytes(speed)}/s" if speed > 0 else "—"
            return format_eta((it.size - it.done) / speed) if speed > 0 else "—"
        if role == USER and col == 2:
            return it.fraction
        if role == TOOLTIP and col == 5 and it.error:
            return it.error
        if role == FOREGROUND and col == 5 and it.state == FAILED:
            return QColor("#b3261e")
        return None
