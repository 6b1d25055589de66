"""Small widgets of the Chat page: the message composer and the context meter."""
from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QWidget

from app.core.units import number
from app.imaging import IMAGE_SUFFIXES
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate

# what a remote server leaves Hearth to estimate (ModelInfo.estimated, from app/core/remote), in the user's language
ESTIMATED_WHAT = (QT_TRANSLATE_NOOP("ContextMeter", "context and token counts"),
                  QT_TRANSLATE_NOOP("ContextMeter", "token counts"), QT_TRANSLATE_NOOP("ContextMeter", "context"))


def estimated_words(what: str) -> str:
    """``what`` (one of ESTIMATED_WHAT) in the current language."""
    return translate("ContextMeter", what) if what in ESTIMATED_WHAT else what


def _image_kind(mime: QMimeData | None, web: bool) -> str:
    """"files" (local image files only), "image" (a picture with no words of its own: words win, so text copied
    from an office program, which also puts a picture of it on the clipboard, is pasted as text), "web" (with
    ``web``: web addresses of images, which the page refuses in a sentence; the message box pastes an address as
    text), or "" (not an image: pasted as usual). Decodes nothing."""
    if mime is None:
        return ""
    urls = mime.urls() if mime.hasUrls() else []
    if urls and all(u.isLocalFile() and u.toLocalFile().lower().endswith(IMAGE_SUFFIXES) for u in urls):
        return "files"
    if mime.hasImage():
        words = mime.text().strip() if mime.hasText() else ""
        if not words or _ADDRESS.match(words):
            return "image"
    if web and urls and all(not u.isLocalFile() and u.path().lower().endswith(IMAGE_SUFFIXES) for u in urls):
        return "web"
    return ""


_ADDRESS = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$")


def has_images(mime: QMimeData | None, web: bool = False) -> bool:
    return bool(_image_kind(mime, web))


def images_in(mime: QMimeData | None, web: bool = False) -> list:
    """The images of a paste or a drop, to attach: local file paths, a QImage, or (``web``) web addresses, which
    the page refuses in a sentence; [] when it is something else (see ``_image_kind``)."""
    kind = _image_kind(mime, web)
    if kind == "files":
        return [u.toLocalFile() for u in mime.urls()]
    if kind == "web":
        return [u.toString() for u in mime.urls()]
    if kind == "image":
        image = mime.imageData()
        if isinstance(image, QPixmap):
            image = image.toImage()
        if isinstance(image, QImage) and not image.isNull():
            return [image]
    return []


class Composer(QPlainTextEdit):
    """The message input: Enter or Ctrl+Enter sends, Shift+Enter makes a new line, Tab moves the focus on (a
    message box that swallows Tab is a keyboard trap). An image pasted or dropped here is not inserted as text:
    it is reported through ``images_given`` (file paths or a QImage, see ``images_in``)."""

    send_requested = Signal()
    images_given = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not (event.modifiers() & Qt.ShiftModifier):
            self.send_requested.emit()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802
        return has_images(source) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        found = images_in(source)
        if found:
            self.images_given.emit(found)
            return
        super().insertFromMimeData(source)


class ContextMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(translate("ContextMeter", "Context used"))
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.label = QLabel("")
        self.label.setProperty("muted", True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(translate("ContextMeter", "Context:")))
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.label)
        self.used = 0
        self.n_ctx = 0
        self.estimated = ""  # what is estimated (a remote server that does not say): shown with the numbers
        self.set_usage(0, 0)

    def set_estimated(self, what: str) -> None:
        self.estimated = what
        self.set_usage(self.used, self.n_ctx)

    def set_usage(self, used: int, n_ctx: int) -> None:
        self.used, self.n_ctx = used, n_ctx
        self.bar.setRange(0, max(1, n_ctx))
        self.bar.setValue(min(used, n_ctx))
        if not n_ctx:
            text = translate("ContextMeter", "no model loaded")
        elif self.estimated:
            text = translate("ContextMeter", "~{used} / {n_ctx} tokens (estimated)")
        else:
            text = translate("ContextMeter", "{used} / {n_ctx} tokens")
        text = text.format(used=number(used), n_ctx=number(n_ctx))
        self.label.setText(text)
        tip = translate("ContextMeter", "Tokens of this conversation that the model sees, out of its context window.")
        if self.estimated:
            more = (translate("ContextMeter", "The server does not give its {what}, so Hearth estimates them.")
                    if self.estimated.endswith("s") else
                    translate("ContextMeter", "The server does not give its {what}, so Hearth estimates it."))
            tip += " " + more.format(what=estimated_words(self.estimated))
        self.setToolTip(tip)
        self.label.setAccessibleName(translate("ContextMeter", "Context used: {text}").format(text=text))

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange:  # the numbers' sentences in the new language
            self.set_usage(self.used, self.n_ctx)
