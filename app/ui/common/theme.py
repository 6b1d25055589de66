"""Light and dark palettes that follow the operating system's colour scheme."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

LIGHT = {
    "window": "#f6f5f3", "base": "#ffffff", "alt": "#f0eeeb", "text": "#1f1d1a", "muted": "#6b665f",
    "button": "#ebe8e4", "highlight": "#c2562b", "highlight_text": "#ffffff", "link": "#a8461f",
    "border": "#d8d3cc", "user_bubble": "#f3e3d8", "assistant_bubble": "#ffffff", "code_bg": "#f2f0ed",
}
DARK = {
    "window": "#1d1c1a", "base": "#262523", "alt": "#2d2b29", "text": "#ecebe8", "muted": "#a29d95",
    "button": "#34322f", "highlight": "#e0703f", "highlight_text": "#ffffff", "link": "#f09a6c",
    "border": "#3d3a36", "user_bubble": "#3a2e27", "assistant_bubble": "#262523", "code_bg": "#191817",
}

_current = dict(LIGHT)


def colors() -> dict[str, str]:
    """The colours of the theme in use (for delegates and rich text)."""
    return _current


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        return scheme() == Qt.ColorScheme.Dark
    return QGuiApplication.palette().color(QPalette.Window).lightness() < 128


class FocusRingStyle(QProxyStyle):
    """Fusion, plus a clear 2 px ring in the highlight colour around the control that has the keyboard's focus
    (Fusion's own hint is faint, and invisible in the dark theme). Only after focus moved by keyboard, as every
    platform does: a mouse click draws no ring."""

    CONTROLS = {QStyle.CE_PushButton, QStyle.CE_CheckBox, QStyle.CE_RadioButton}
    COMPLEX = {QStyle.CC_ComboBox, QStyle.CC_SpinBox, QStyle.CC_Slider, QStyle.CC_ToolButton}
    PRIMITIVES = {QStyle.PE_FrameLineEdit}

    def _ring(self, option, painter, widget) -> None:
        if not option.state & QStyle.State_HasFocus or widget is None or not widget.hasFocus():
            return
        if not widget.window().testAttribute(Qt.WA_KeyboardFocusChange):
            return
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setPen(QPen(option.palette.color(QPalette.Highlight), 2))
        painter.setBrush(Qt.NoBrush)
        painter.drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 4, 4)
        painter.restore()

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt API)
        # Fusion draws an unselected tab's label 2 px lower inside the same clip, which cuts the dot off a capital İ
        # ("İndirmeler" read "Indirmeler" in Turkish): labels stay where the selected tab's is
        if metric == QStyle.PM_TabBarTabShiftVertical:
            return 0
        return super().pixelMetric(metric, option, widget)

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt API)
        super().drawControl(element, option, painter, widget)
        if element in self.CONTROLS:
            self._ring(option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802
        super().drawComplexControl(control, option, painter, widget)
        if control in self.COMPLEX:
            self._ring(option, painter, widget)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        super().drawPrimitive(element, option, painter, widget)
        if element in self.PRIMITIVES:
            self._ring(option, painter, widget)


def apply_theme(app: QApplication, mode: str = "system") -> str:
    dark = system_is_dark() if mode == "system" else mode == "dark"
    c = DARK if dark else LIGHT
    _current.clear()
    _current.update(c)
    app.setStyle(FocusRingStyle("Fusion"))
    p = QPalette()
    roles = {
        QPalette.Window: c["window"], QPalette.WindowText: c["text"], QPalette.Base: c["base"],
        QPalette.AlternateBase: c["alt"], QPalette.Text: c["text"], QPalette.Button: c["button"],
        QPalette.ButtonText: c["text"], QPalette.Highlight: c["highlight"],
        QPalette.HighlightedText: c["highlight_text"], QPalette.Link: c["link"], QPalette.ToolTipBase: c["base"],
        QPalette.ToolTipText: c["text"], QPalette.PlaceholderText: c["muted"], QPalette.Mid: c["border"],
    }
    for role, value in roles.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.Text, QPalette.ButtonText, QPalette.WindowText):
        p.setColor(QPalette.Disabled, role, QColor(c["muted"]))
    app.setPalette(p)
    app.setStyleSheet(stylesheet(c))
    return "dark" if dark else "light"


def stylesheet(c: dict[str, str]) -> str:
    return f"""
    QWidget#NavBar {{ background: {c['alt']}; border-right: 1px solid {c['border']}; }}
    QToolButton[nav="true"] {{ border: none; border-radius: 8px; padding: 8px 6px; color: {c['text']};
        font-size: 12px; }}
    QToolButton[nav="true"]:hover {{ background: {c['button']}; }}
    QToolButton[nav="true"]:checked {{ background: {c['highlight']}; color: {c['highlight_text']}; }}
    QPushButton[primary="true"] {{ background: {c['highlight']}; color: {c['highlight_text']};
        border: none; border-radius: 6px; padding: 6px 14px; font-weight: 600; }}
    QPushButton[primary="true"]:disabled {{ background: {c['border']}; color: {c['muted']}; }}
    QLabel[muted="true"] {{ color: {c['muted']}; }}
    QLabel[heading="true"] {{ font-size: 18px; font-weight: 600; }}
    QFrame[card="true"] {{ background: {c['base']}; border: 1px solid {c['border']}; border-radius: 8px; }}
    QLabel[banner="error"] {{ background: #f8d7d0; color: #6b1d0c; border: 1px solid #e3a99b;
        border-radius: 6px; padding: 6px 10px; }}
    QLabel[banner="info"] {{ background: {c['alt']}; color: {c['text']}; border: 1px solid {c['border']};
        border-radius: 6px; padding: 6px 10px; }}
    """
