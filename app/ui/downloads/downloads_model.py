"""The download queue as a Qt table model."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QColor

from app.core.downloads.queue import ACTIVE, CANCELLED, DONE, FAILED, PAUSED, QUEUED
from app.core.units import format_eta
from app.core.units import human_bytes, percent
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import (DISPLAY, FOREGROUND, TOOLTIP, USER, TableModel)


# ---- downloads ------------------------------------------------------------------------------------------------------
ACTIONS_COLUMN = 6  # the row's buttons (index widgets, see row_actions.py): the model shows nothing there
STATE_LABELS = {QUEUED: QT_TRANSLATE_NOOP("DownloadsModel", "queued"),
                ACTIVE: QT_TRANSLATE_NOOP("DownloadsModel", "downloading"),
                PAUSED: QT_TRANSLATE_NOOP("DownloadsModel", "paused"),
                FAILED: QT_TRANSLATE_NOOP("DownloadsModel", "failed"),
                DONE: QT_TRANSLATE_NOOP("DownloadsModel", "done"),
                CANCELLED: QT_TRANSLATE_NOOP("DownloadsModel", "cancelled")}  # the State column, by state


class DownloadsModel(TableModel):
    headers = (QT_TRANSLATE_NOOP("DownloadsModel", "File"), QT_TRANSLATE_NOOP("DownloadsModel", "Size"),
               QT_TRANSLATE_NOOP("DownloadsModel", "Progress"), QT_TRANSLATE_NOOP("DownloadsModel", "Speed"),
               QT_TRANSLATE_NOOP("DownloadsModel", "ETA"), QT_TRANSLATE_NOOP("DownloadsModel", "State"),
               QT_TRANSLATE_NOOP("DownloadsModel", "Actions"))

    def __init__(self, speed_of: Callable[[int], float], parent=None) -> None:
        super().__init__(parent)
        self.speed_of = speed_of

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        text = super().headerData(section, orientation, role)
        return translate("DownloadsModel", text) if text else text

    def cell(self, it, col: int, role: int):
        if role == DISPLAY:  # only the asked column: views ask often (size hints, repaints)
            if col == 0:
                return it.name
            if col == 1:
                return human_bytes(it.size) if it.size else "—"
            if col == 2:
                return percent(it.fraction)
            if col == 5:
                if it.state == FAILED and it.error:
                    return translate("DownloadsModel", "failed: {error}").format(error=it.error)
                if it.status_text:
                    return it.status_text
                label = STATE_LABELS.get(it.state)
                return translate("DownloadsModel", label) if label else it.state
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
