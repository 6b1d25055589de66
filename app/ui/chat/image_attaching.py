"""Images for the next message on the Chat page: chosen with Attach…, pasted or dropped, prepared off the GUI thread
(oriented, scaled, re-encoded) and shown as thumbnails above the input (a mixin of
:class:`app.ui.chat.chat_page.ChatPage`)."""
from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.imaging import IMAGE_SUFFIXES, ImageError, prepare_image, thumbnail
from app.ui.chat.attachments import MAX_IMAGES, THUMB_H
from app.ui.chat.chat_widgets import has_images, images_in
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.tasks import TaskRunner

log = logging.getLogger("hearth.chat")


NO_VISION = QT_TRANSLATE_NOOP("ChatPage", "This model cannot see images; load a model with a vision projector.")


def prepare_attachment(source, name: str):
    """On the page's image runner: the image ready to send, and its thumbnail for the row above the input."""
    image = prepare_image(source, name=name)
    return image, thumbnail(image, 4 * THUMB_H, THUMB_H)


class ImageAttaching:
    """Attach…, drag and drop, and the preparation of each image on the page's image runner."""

    # ---- images -----------------------------------------------------------------------------------------------
    def choose_images(self) -> None:
        exts = " ".join(f"*{e}" for e in IMAGE_SUFFIXES)
        files, _ = QFileDialog.getOpenFileNames(self, translate("ChatPage", "Attach images"), str(Path.home()),
                                                translate("ChatPage", "Images") + f" ({exts});;"
                                                + translate("ChatPage", "All files") + " (*)")
        if files:
            self.attach_images(files)

    def attach_images(self, sources: list) -> None:
        """Prepare images (file paths, QImages, bytes) on the image runner; each joins the row above the input
        when ready. A 50-megapixel photo takes a moment there, never on the GUI thread."""
        if self._image_runner is None:
            self._image_runner = TaskRunner("chat-images", self)
            self._image_runner.done.connect(self._on_image_ready)
            self._image_runner.failed.connect(self._on_image_failed)
        self._say_if_blind()
        for source in sources:
            if len(self.attachments) + len(self._image_jobs) >= MAX_IMAGES:
                self.show_notice(translate("ChatPage", "A message takes up to {count} images; the others were not "
                                                       "attached.").format(count=MAX_IMAGES))
                break
            name = Path(source).name if isinstance(source, (str, Path)) and "://" not in str(source) else ""
            name = name or (translate("ChatPage", "Pasted image") if not isinstance(source, str) else str(source))
            token = self._image_runner.submit(partial(prepare_attachment, source, name))
            self._image_jobs[token] = name
        if self._image_jobs:
            if not self._preparing_shown():
                self._status_before_images = self.status.text()
            count = len(self._image_jobs)  # a plain name: pyside6-lupdate skips an expression there
            self._preparing_status = translate("ChatPage", "Preparing %n image(s)…", None, count)
            self.status.setText(self._preparing_status)

    def _preparing_shown(self) -> bool:
        """The status line says an image is being prepared."""
        return bool(self._preparing_status) and self.status.text() == self._preparing_status

    def _say_if_blind(self) -> None:
        info = self.engine.info
        if info is not None and not getattr(info, "vision", False):
            self.show_notice(translate("ChatPage", NO_VISION))  # the images stay: another model may see them

    def _on_image_ready(self, token: int, result) -> None:
        if self._image_jobs.pop(token, None) is None:
            return
        image, thumb = result
        self.attachments.add(image, thumb)
        self._images_settled()

    def _on_image_failed(self, token: int, exc) -> None:
        name = self._image_jobs.pop(token, None)
        if name is None:
            return
        self.show_error(str(exc) if isinstance(exc, ImageError)
                        else translate("ChatPage", "Could not attach {name}: {error}").format(name=name, error=exc))
        self._send_after_images = False  # the message waits in the box; Send again sends what is attached
        self._images_settled()

    def _images_settled(self) -> None:
        if self._image_jobs:
            return
        if self._preparing_shown():
            self.status.setText(self._status_before_images)
        if self._send_after_images:
            self._send_after_images = False
            self.send()

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if has_images(event.mimeData(), web=True):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if has_images(event.mimeData(), web=True):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        found = images_in(event.mimeData(), web=True)  # a web image is refused with a sentence, never fetched
        if found:
            event.acceptProposedAction()
            self.attach_images(found)
