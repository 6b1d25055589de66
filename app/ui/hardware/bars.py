"""Painting for the Hardware page: used/free bars for devices, stacked weights/KV/compute bars per model, and the
larger breakdown chart of the selected model. Colours come from the theme's palette."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QStyle, QStyledItemDelegate, QWidget

from app.core.units import human_bytes
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.theme import colors
from app.ui.hardware.hardware_models import BreakdownRole, RowRole


_part_colors: dict[tuple[str, str, str], list[QColor]] = {}


def part_colors() -> list[QColor]:
    """The weights / KV / compute colours of the theme in use (made once per theme: delegates paint per row)."""
    c = colors()
    key = (c["highlight"], c["link"], c["muted"])
    made = _part_colors.get(key)
    if made is None:
        base = QColor(c["highlight"])
        made = _part_colors[key] = [base, base.lighter(150) if base.lightness() < 128
                                    else QColor(c["link"]).lighter(135), QColor(c["muted"])]
    return made


PART_NAMES = (QT_TRANSLATE_NOOP("BreakdownChart", "Weights"), QT_TRANSLATE_NOOP("BreakdownChart", "KV cache"),
              QT_TRANSLATE_NOOP("BreakdownChart", "Compute"))
_SELECTED = QStyle.State_Selected


class DeviceDelegate(QStyledItemDelegate):
    """Name on the left, a used/free bar, and the numbers under it. Each row is drawn once into a pixmap and
    repainted from it while its numbers, size and colours stay the same: painting is Python, and every call it
    makes into Qt may wait for the GIL while the page's worker reads headers or estimates fits (a repaint of the
    three rows, some 90 calls, took 30-60 ms then)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._drawn: dict[tuple, QPixmap] = {}

    def sizeHint(self, option, index) -> QSize:
        return QSize(320, 58)

    def paint(self, painter: QPainter, option, index) -> None:
        rect = option.rect
        c = colors()
        selected = bool(option.state & _SELECTED)
        dpr = painter.device().devicePixelRatio()
        row = index.data(RowRole)
        key = (tuple(row) if row else None, rect.width(), rect.height(), selected, dpr, c["text"], c["muted"], c["alt"],
               c["highlight"], option.font.key())
        pm = self._drawn.get(key)
        if pm is None:
            if len(self._drawn) > 32:  # old numbers: the live refresh changes them every 2 s
                self._drawn.clear()
            pm = self._drawn[key] = self._draw(key[0], rect.size(), selected, dpr, option.font, c)
        painter.drawPixmap(rect.topLeft(), pm)

    @staticmethod
    def _draw(row, size: QSize, selected: bool, dpr: float, font, c: dict) -> QPixmap:
        name, used, total, detail = row or ("", None, None, "")
        pm = QPixmap(size * dpr)
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.transparent)
        painter = QPainter(pm)
        if selected:
            painter.fillRect(QRect(0, 0, size.width(), size.height()), QColor(c["alt"]))
        r = QRect(0, 0, size.width(), size.height()).adjusted(10, 6, -10, -6)
        painter.setPen(QColor(c["text"]))
        f = QFont(font)
        f.setBold(True)
        painter.setFont(f)
        painter.drawText(QRect(r.left(), r.top(), r.width(), 18), Qt.AlignLeft | Qt.AlignVCenter, name or "")
        f.setBold(False)
        painter.setFont(f)
        bar = QRectF(r.left(), r.top() + 22, r.width(), 10)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(c["alt"]))
        if total:
            painter.drawRoundedRect(bar, 4, 4)
        if used is not None and total:
            frac = max(0.0, min(1.0, used / total))
            painter.setBrush(QColor(c["highlight"]))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), max(4.0, bar.width() * frac), bar.height()), 4, 4)
        painter.setPen(QColor(c["muted"]))
        painter.drawText(QRect(r.left(), r.top() + 34, r.width(), 16), Qt.AlignLeft | Qt.AlignVCenter, detail or "")
        painter.end()
        return pm


class BreakdownDelegate(QStyledItemDelegate):
    """A stacked weights / KV / compute bar in a table cell, scaled to the largest total in the table."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.scale = 1

    def paint(self, painter: QPainter, option, index) -> None:
        parts = index.data(BreakdownRole)
        if not parts:
            super().paint(painter, option, index)
            return
        if option.state & _SELECTED:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect
        left, top = rect.left() + 6, rect.top() + 8
        width, height = rect.width() - 12, rect.height() - 16
        x = float(left)
        scale = max(1, self.scale)
        for value, color in zip(parts, part_colors()):  # fillRect changes no painter state: no save/restore
            w = width * value / scale
            painter.fillRect(QRectF(x, top, w, height), color)
            x += w


class BreakdownChart(QWidget):
    """The selected model: a stacked bar of weights / KV cache / compute against the memory available, with a
    legend that gives the numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(translate("BreakdownChart", "Memory breakdown chart"))
        self.setMinimumHeight(92)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.title = ""
        self.parts: tuple[int, int, int] | None = None
        self.need = 0
        self.available = 0

    def set_breakdown(self, title: str, parts: tuple[int, int, int] | None, need: int, available: int) -> None:
        self.title, self.parts, self.need, self.available = title, parts, need, available
        if parts:
            self.setAccessibleDescription(translate(
                "BreakdownChart", "{model}: {parts}; needs {need} of {available} available").format(
                model=title, parts=", ".join(translate("BreakdownChart", n) + " " + human_bytes(v)
                                             for n, v in zip(PART_NAMES, parts)),
                need=human_bytes(need), available=human_bytes(available)))
        self.update()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange:
            self.set_breakdown(self.title, self.parts, self.need, self.available)

    def sizeHint(self) -> QSize:
        return QSize(480, 92)

    def paintEvent(self, event) -> None:
        c = colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        r = self.rect().adjusted(2, 2, -2, -2)
        p.setPen(QColor(c["text"]))
        if not self.parts:
            p.setPen(QColor(c["muted"]))
            p.drawText(r, Qt.AlignCenter,
                       self.title or translate("BreakdownChart", "Select a model to see its memory breakdown"))
            return
        p.drawText(QRect(r.left(), r.top(), r.width(), 18), Qt.AlignLeft | Qt.AlignVCenter,
                   translate("BreakdownChart", "{model}: needs {need} with overhead, {available} available").format(
                       model=self.title, need=human_bytes(self.need), available=human_bytes(self.available)))
        scale = max(self.need, self.available, sum(self.parts), 1)
        bar = QRectF(r.left(), r.top() + 24, r.width(), 22)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(c["alt"]))
        p.drawRoundedRect(bar, 4, 4)
        x = bar.left()
        for value, color in zip(self.parts, part_colors()):
            w = bar.width() * value / scale
            p.fillRect(QRectF(x, bar.top(), w, bar.height()), color)
            x += w
        if self.available:
            ax = bar.left() + bar.width() * min(1.0, self.available / scale)
            p.setPen(QPen(QColor(c["text"]), 2, Qt.DashLine))
            p.drawLine(int(ax) - 1, int(bar.top()) - 3, int(ax) - 1, int(bar.bottom()) + 3)
        lx = r.left()
        y = int(bar.bottom()) + 10
        for name, value, color in zip(PART_NAMES, self.parts, part_colors()):
            p.fillRect(QRect(lx, y + 3, 10, 10), color)
            p.setPen(QColor(c["text"]))
            text = translate("BreakdownChart", name) + " " + human_bytes(value)
            p.drawText(QRect(lx + 14, y, 200, 16), Qt.AlignLeft | Qt.AlignVCenter, text)
            lx += 14 + p.fontMetrics().horizontalAdvance(text) + 18
        p.setPen(QColor(c["muted"]))
        p.drawText(QRect(lx, y, max(0, r.right() - lx), 16), Qt.AlignLeft | Qt.AlignVCenter,
                   translate("BreakdownChart", "┆ available"))
