"""The images waiting to go with the next message: a row of thumbnails above the composer, each with its
remove button. The Chat page prepares the images off the GUI thread (``app/imaging.py`` on its task runner) and
adds them here ready; Send takes ``data_uris()`` and clears the row."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.core.units import human_bytes
from app.imaging import PreparedImage

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
        self.setAccessibleName("Attached images")
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
        info = f"{image.name}: {image.source_width:,} × {image.source_height:,} pixels"
        if (image.width, image.height) != (image.source_width, image.source_height):
            info += f", sent as {image.width:,} × {image.height:,}"
        picture.setToolTip(f"{info} ({human_bytes(image.nbytes)})")
        picture.setAccessibleName(f"Image {image.name}")
        remove = QToolButton()
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setAccessibleName(f"Remove image {image.name}")
        remove.setToolTip(f"Remove {image.name} from this message")
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
