"""Pictures a user attaches to a chat message, made into small clean PNG or JPEG data URIs for the engine.

Qt's GUI classes only (QImage, QImageReader, QBuffer, QPainter on a QImage): no QGuiApplication is needed, so the
command line (``hearth chat --image FILE``) uses this as the window does; everything here is reentrant and runs
on a worker thread (the Chat page prepares images on its task runner).

``prepare_image(source, max_side=1536, name="")``, ``source`` a file path (str or Path, any characters), raw bytes,
a ``data:image/png|jpeg;base64`` URI or a QImage:

1. The size is read from the header first (``QImageReader.size()``): more than 100 megapixels or a side over
   30,000 px is refused before a pixel is decoded. The format is told from the content, not the file name.
2. It is decoded with EXIF orientation applied (``setAutoTransform``), and images larger than ``max_side`` on
   their longest side are scaled down (``setScaledSize``). JPEG, the format of large photos, scales *while*
   decoding (libjpeg's DCT scaling), so a 50-megapixel photo never exists at full size. Qt's PNG, BMP, WebP and
   TIFF readers cannot scale while decoding: such an image is decoded at full size on the worker thread (at most
   100 megapixels, ~400 MB for a moment) and then scaled; Qt's 256 MB allocation limit is raised to 512 MB for
   that (our header check is the bound that matters).
3. It becomes RGB (transparency flattened on white) and is encoded again, which also drops its metadata (EXIF:
   camera, GPS position). A JPEG stays JPEG (quality 90). Anything else is PNG, unless it is *photographic*:
   longer than 512 px and its PNG more than twice the size of a quality-90 JPEG (photos compress badly as PNG,
   screenshots and diagrams well), then JPEG.

Errors are ``ImageError`` (a ValueError) with one sentence for the user. ``decode_data_uri`` (Qt-free) lives in
``app/core/chats/images.py``, where the chat store uses it, and is re-exported here.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPainter

from app.core.chats.images import ImageError, decode_data_uri, encode_data_uri

__all__ = ["PreparedImage", "ImageError", "prepare_image", "decode_data_uri", "thumbnail", "MAX_MEGAPIXELS",
           "MAX_SIDE_PX", "DEFAULT_MAX_SIDE", "IMAGE_SUFFIXES"]

log = logging.getLogger("hearth.chat")

DEFAULT_MAX_SIDE = 1536
MAX_MEGAPIXELS = 100
MAX_SIDE_PX = 30_000
PHOTO_MIN_SIDE = 512  # below this a PNG is kept whatever it costs (small, and exact)
JPEG_QUALITY = 90
FORMATS = ("png", "jpeg", "gif", "bmp", "webp", "tiff")  # what Qt may decode for us (told from the content)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".jfif", ".gif", ".bmp", ".webp", ".tif", ".tiff")
ALLOCATION_LIMIT_MB = 512
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class PreparedImage:
    data_uri: str  # data:image/png;base64,... or data:image/jpeg;base64,...
    mime: str  # image/png or image/jpeg
    width: int  # of the prepared image
    height: int
    source_width: int  # of the original, as shown (after its EXIF orientation)
    source_height: int
    name: str  # the file's name, or what the caller called it ("Pasted image")
    nbytes: int  # size of the encoded image (not of its base64 text)


def _sentence(name: str, rest: str) -> str:
    return f"{name} {rest}"  # a file's name keeps its case ("photo.jpg is ..."); generic names are capitalized


def _too_large(name: str, w: int, h: int) -> str | None:
    if w * h > MAX_MEGAPIXELS * 1_000_000 or w > MAX_SIDE_PX or h > MAX_SIDE_PX:
        extra = "" if w * h > MAX_MEGAPIXELS * 1_000_000 else f" and {MAX_SIDE_PX:,} pixels a side"
        return _sentence(name, f"is {w:,} × {h:,} pixels; Hearth takes images up to {MAX_MEGAPIXELS} "
                               f"megapixels{extra}.")
    return None


def _fit(size: QSize, max_side: int) -> QSize:
    w, h = size.width(), size.height()
    longest = max(w, h)
    if longest <= max_side:
        return QSize(w, h)
    k = max_side / longest
    return QSize(max(1, round(w * k)), max(1, round(h * k)))


def prepare_image(source, max_side: int = DEFAULT_MAX_SIDE, name: str = "") -> PreparedImage:
    """A file, bytes, data URI or QImage as a ``PreparedImage`` (see the module's notes); ``ImageError`` else."""
    if max_side < 16:
        raise ValueError("max_side must be at least 16 pixels")
    if isinstance(source, QImage):
        return _from_qimage(source, max_side, name or "Pasted image")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "Pasted image"
        if not data:
            raise ImageError(_sentence(name, "is empty (0 bytes)."))
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.ReadOnly)
        return _from_reader(QImageReader(buffer), max_side, name)  # `buffer` lives until this returns
    if isinstance(source, str) and source[:5].lower() == "data:":
        _mime, data = decode_data_uri(source)
        return prepare_image(data, max_side, name or "Pasted image")
    if isinstance(source, str) and _URL.match(source):
        url = QUrl(source)
        if not url.isLocalFile():
            raise ImageError("Images are attached from files; a web address is not fetched.")
        source = url.toLocalFile()
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"an image source is a path, bytes or a QImage, not {type(source).__name__}")
    path = Path(source)
    name = name or path.name or str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ImageError(_sentence(name, f"was not found ({path}).")) from None
    except OSError as exc:
        raise ImageError(f"Could not read {name}: {exc.strerror or exc}.") from None
    if path.is_dir():
        raise ImageError(_sentence(name, "is a folder, not an image file."))
    if st.st_size == 0:
        raise ImageError(_sentence(name, "is empty (0 bytes)."))
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise ImageError(f"Could not read {name}: {exc.strerror or exc}.") from None
    return _from_reader(QImageReader(str(path)), max_side, name)


def _from_reader(reader: QImageReader, max_side: int, name: str) -> PreparedImage:
    unreadable = _sentence(name, "is not an image Hearth can read (damaged or an unsupported format).")
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    fmt = bytes(reader.format()).decode("ascii", "replace").lower()
    if fmt == "jpg":
        fmt = "jpeg"
    stored = reader.size()
    if fmt not in FORMATS or not stored.isValid() or stored.isEmpty():
        raise ImageError(unreadable)
    w, h = stored.width(), stored.height()
    message = _too_large(name, w, h)
    if message:
        raise ImageError(message)
    rotated = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    shown = QSize(h, w) if rotated else QSize(w, h)
    target = _fit(shown, max_side)
    if target != shown:
        reader.setScaledSize(target.transposed() if rotated else target)
        reader.setQuality(100)  # smooth scaling after libjpeg's DCT scaling
    if fmt != "jpeg":  # decoded at full size first (see the module's notes)
        need_mb = w * h * 4 // 2**20 + 1
        if need_mb > QImageReader.allocationLimit():
            QImageReader.setAllocationLimit(max(QImageReader.allocationLimit(), ALLOCATION_LIMIT_MB))
    image = reader.read()
    if image.isNull():
        log.info("could not decode %s: %s", name, reader.errorString())
        if w * h > 16_000_000:
            raise ImageError(_sentence(name, f"is {w:,} × {h:,} pixels and could not be decoded (damaged, or "
                                             "too large to decode in this much memory)."))
        raise ImageError(unreadable)
    return _finish(image, max_side, name, shown.width(), shown.height(), fmt == "jpeg")


def _from_qimage(image: QImage, max_side: int, name: str) -> PreparedImage:
    if image.isNull() or image.width() <= 0 or image.height() <= 0:
        raise ImageError(_sentence(name, "is empty."))
    message = _too_large(name, image.width(), image.height())
    if message:
        raise ImageError(message)
    return _finish(image, max_side, name, image.width(), image.height(), False)


def _finish(image: QImage, max_side: int, name: str, source_w: int, source_h: int,
            photographic: bool) -> PreparedImage:
    target = _fit(image.size(), max_side)
    if target != image.size():  # a reader that ignored the scaled size, or a QImage
        image = image.scaled(target, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    rgb = _rgb(image)
    if photographic:
        mime, data = "image/jpeg", _encode(rgb, "JPEG", JPEG_QUALITY)
    else:
        mime, data = "image/png", _encode(rgb, "PNG", -1)
        if max(rgb.width(), rgb.height()) > PHOTO_MIN_SIDE:
            jpeg = _encode(rgb, "JPEG", JPEG_QUALITY)
            if 2 * len(jpeg) < len(data):
                mime, data = "image/jpeg", jpeg
    return PreparedImage(encode_data_uri(mime, data), mime, rgb.width(), rgb.height(), source_w, source_h, name,
                         len(data))


def _rgb(image: QImage) -> QImage:
    """8-bit RGB, transparency laid over white."""
    if not image.hasAlphaChannel():
        return image.convertToFormat(QImage.Format_RGB888)
    out = QImage(image.size(), QImage.Format_RGB888)
    out.fill(Qt.white)
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def _encode(image: QImage, fmt: str, quality: int) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, fmt, quality):
        raise ImageError(f"Could not encode the image as {fmt}.")
    return bytes(buffer.data())


def thumbnail(image, max_width: int, max_height: int) -> QImage:
    """A small copy of a prepared image (a ``PreparedImage``, a data URI or encoded bytes) that fits in
    ``max_width`` x ``max_height``, decoded at that size where the format allows; a null QImage if it cannot be
    read (a damaged stored image must not break a transcript)."""
    try:
        if isinstance(image, PreparedImage):
            image = image.data_uri
        data = decode_data_uri(image)[1] if isinstance(image, str) else bytes(image)
    except ImageError:
        return QImage()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.ReadOnly)
    reader = QImageReader(buffer)  # a prepared image has no EXIF orientation left
    size = reader.size()
    if size.isValid() and not size.isEmpty():
        reader.setScaledSize(size.scaled(QSize(max_width, max_height), Qt.KeepAspectRatio).expandedTo(QSize(1, 1))
                             if size.width() > max_width or size.height() > max_height else size)
    out = reader.read()
    return out
