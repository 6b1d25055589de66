"""The images waiting to go with the next message: a row of thumbnails above the composer, each with its
remove button. The Chat page prepares the images off the GUI thread (``app/imaging.py`` on its task runner) and
adds them here ready; Send takes ``data_uris()`` and clears the row."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.core.units import human_bytes, number
from app.imaging import PreparedImage
from app.ui.common.i18n import translate

MAX_IMAGES = 8  # per message
THUMB_H = 56


@dataclass
class Pending:
    image: PreparedImage
    frame: QFrame


class AttachmentStrip(QWidget):
    changed = Signal()  # an image was added or removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(translate("AttachmentStrip", "Attached images"))
        self.items: list[Pending] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 2, 0, 2)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self.hide()

    def __len__(self) -> int:
        return len(self.items)

    def data_uris(self) -> list[str]:
        return [p.image.data_uri for p in self.items]

    def add(self, image: PreparedImage, thumb: QImage | None = None) -> None:
        frame = QFrame()
        frame.setFrameShape(QFrame.StyledPanel)
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        picture = QLabel()
        if thumb is not None and not thumb.isNull():
            picture.setPixmap(QPixmap.fromImage(thumb))
        else:
            picture.setText(image.name)
        picture.setFixedHeight(THUMB_H)
        sizes = dict(name=image.name, width=number(image.source_width), height=number(image.source_height),
                     sent_width=number(image.width), sent_height=number(image.height), size=human_bytes(image.nbytes))
        if (image.width, image.height) != (image.source_width, image.source_height):
            info = translate("AttachmentStrip", "{name}: {width} × {height} pixels, sent as {sent_width} × "
                             "{sent_height} ({size})").format(**sizes)
        else:
            info = translate("AttachmentStrip", "{name}: {width} × {height} pixels ({size})").format(**sizes)
        picture.setToolTip(info)
        picture.setAccessibleName(translate("AttachmentStrip", "Image {name}").format(name=image.name))
        remove = QToolButton()
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setAccessibleName(translate("AttachmentStrip", "Remove image {name}").format(name=image.name))
        remove.setToolTip(translate("AttachmentStrip", "Remove {name} from this message").format(name=image.name))
        remove.setFocusPolicy(Qt.StrongFocus)
        lay.addWidget(picture)
        lay.addWidget(remove, 0, Qt.AlignTop)
        item = Pending(image, frame)
        remove.clicked.connect(lambda: self.remove(item))
        self.items.append(item)
        self._row.insertWidget(self._row.count() - 1, frame)
        self.show()
        self.changed.emit()

    def remove(self, item: Pending) -> None:
        if item not in self.items:
            return
        self.items.remove(item)
        self._row.removeWidget(item.frame)
        item.frame.hide()
        item.frame.deleteLater()
        self.setVisible(bool(self.items))
        self.changed.emit()

    def clear(self) -> None:
        for item in list(self.items):
            self.remove(item)
