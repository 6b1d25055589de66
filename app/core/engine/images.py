"""Images as the engine takes them: ``data:`` URIs only (PNG or JPEG, base64), checked before llama.cpp decodes them.

The window and ``hearth chat`` decode and resize images with Qt (``app/imaging.py``) and send PNG or JPEG data URIs;
the engine never fetches anything (llama-cpp-python's chat handlers would open ``http://`` and ``file://`` URLs).
llama.cpp decodes the bytes itself (stb_image inside libmtmd), so the size is read from the PNG or JPEG header
first: a small file that would decode into gigabytes of pixels is refused before it is decoded.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from app.core.engine.generation import EngineError
from app.core.i18n import translate

MAX_BYTES = 20 * 2**20  # an encoded image
MAX_PIXELS = 40_000_000
MAX_SIDE = 16384
_DATA_URI = re.compile(r"data:(image/(?:png|jpeg|jpg));base64,", re.IGNORECASE)


@dataclass(frozen=True)
class EncodedImage:
    data: bytes  # PNG or JPEG
    mime: str
    width: int
    height: int
    id: str  # sha256 of the bytes: the same picture is the same image for the KV cache


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG or JPEG header, or None when the bytes are neither (or are damaged)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            if i + 9 > len(data):
                return None
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        if length < 2:
            return None
        i += 2 + length
    return None


def decode(uri: object) -> EncodedImage:
    """The image a ``data:`` URI holds; ``EngineError`` with a sentence for anything else."""
    if not isinstance(uri, str):
        raise EngineError(translate("EngineImages", "An image must be given as a data: URI (text), not as "
                                    "{type}.").format(type=type(uri).__name__))
    m = _DATA_URI.match(uri)
    if not m:
        shown = uri[:60] + ("…" if len(uri) > 60 else "")
        if re.match(r"[a-z][a-z0-9+.-]*://", uri, re.IGNORECASE):
            raise EngineError(translate("EngineImages", "Images are passed as data: URIs only; {address} is a web or "
                                        "file address and is not fetched.").format(address=shown))
        raise EngineError(translate("EngineImages", "Images are passed as PNG or JPEG data: URIs only (got "
                                    "{shown!r}).").format(shown=shown))
    payload = uri[m.end():]
    if len(payload) > MAX_BYTES * 4 // 3 + 8:
        raise EngineError(translate("EngineImages", "The image is larger than {mib} MiB.").format(
            mib=MAX_BYTES // 2**20))
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise EngineError(translate("EngineImages", "The image's data: URI is not valid base64.")) from None
    size = image_size(data)
    if size is None:
        raise EngineError(translate("EngineImages", "The image is damaged or not a PNG or JPEG."))
    w, h = size
    if not (0 < w <= MAX_SIDE and 0 < h <= MAX_SIDE) or w * h > MAX_PIXELS:
        raise EngineError(translate("EngineImages", "The image is {width:,} × {height:,} pixels; the engine takes up "
                                    "to {megapixels} megapixels and {side:,} pixels a side (the window scales "
                                    "images down first).").format(width=w, height=h,
                                                                  megapixels=MAX_PIXELS // 10**6, side=MAX_SIDE))
    mime = m.group(1).lower().replace("jpg", "jpeg")
    return EncodedImage(data, mime, w, h, hashlib.sha256(data).hexdigest())


def images_of(messages: list[dict]) -> list[list[EncodedImage]]:
    """Each message's images, decoded and checked (an empty list for a message without any)."""
    out = []
    for m in messages:
        raw = m.get("images") if isinstance(m, dict) else None
        if raw and not isinstance(raw, list):
            raise EngineError(translate("EngineImages", "A message's images must be a list of data: URIs."))
        out.append([decode(u) for u in raw or []])
    return out
