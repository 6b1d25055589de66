"""Images stored with their message: data URIs in, rows of ``message_images`` out, and back (Qt-free).

A message's images travel as ``data:image/png;base64,...`` or ``data:image/jpeg;base64,...`` URIs (what the
engine takes and what an export holds); in the database each is one row of ``message_images`` (schema v3) with
its bytes as a BLOB. Nothing here ever fetches an address: an ``http://`` or ``file://`` image is refused with a
sentence saying so. Decoding pixels is the window's business (``app/imaging.py``, Qt); this module only reads
the size from the PNG or JPEG header, which also tells a real image from bytes that merely claim to be one.
"""
from __future__ import annotations

import base64
import binascii
import re
import sqlite3
import struct
from collections.abc import Iterable

from app.core.i18n import translate

MIMES = ("image/png", "image/jpeg")
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # one stored or imported image (Hearth's own are well under 2 MiB)
MAX_IMAGES_PER_MESSAGE = 32  # what the store takes; the window attaches at most 8
_PREFIX = re.compile(r"data:(image/(?:png|jpeg));base64,", re.IGNORECASE)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class ImageError(ValueError):
    """An image that cannot be used; ``str(err)`` is one sentence for the user."""


def short(uri: object, limit: int = 48) -> str:
    """The start of a (possibly huge) URI, for an error message."""
    text = str(uri)
    return text if len(text) <= limit else text[:limit] + "…"


def decode_data_uri(uri) -> tuple[str, bytes]:
    """``(mime, bytes)`` of a ``data:image/png|jpeg;base64,`` URI; ``ImageError`` for anything else (another
    scheme, another type, bad base64, bytes that are not that image type, more than ``MAX_IMAGE_BYTES``)."""
    if not isinstance(uri, str):
        raise ImageError(translate("ChatImages", "An image must be a data: URI text, not {type}.").format(
            type=type(uri).__name__))
    m = _PREFIX.match(uri)
    if m is None:
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", uri) and not uri.lower().startswith("data:"):
            raise ImageError(translate(
                "ChatImages", "The image {uri} is an address, not an embedded image; Hearth never fetches an image "
                "from the web or a file address (only data:image/png or data:image/jpeg).").format(uri=short(uri)))
        raise ImageError(translate("ChatImages", "The image {uri} is not an embedded PNG or JPEG "
                                   "(data:image/png;base64 or data:image/jpeg;base64).").format(uri=short(uri)))
    mime = m.group(1).lower()
    payload = uri[m.end():]
    if len(payload) > (MAX_IMAGE_BYTES // 3 + 1) * 4 + 4:
        raise _too_large()
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ImageError(translate("ChatImages", "The image {uri} has damaged base64 data.").format(
            uri=short(uri))) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise _too_large()
    image_size(data, mime)  # a header that parses, of the type it claims
    return mime, data


def _too_large() -> ImageError:
    return ImageError(translate("ChatImages", "An image is larger than {mib} MiB; Hearth takes smaller ones.").format(
        mib=MAX_IMAGE_BYTES // 2**20))


def encode_data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def image_size(data: bytes, mime: str) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR or a JPEG's frame header; ``ImageError`` when it does not parse."""
    if mime == "image/png":
        if len(data) >= 24 and data.startswith(PNG_MAGIC) and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            if w > 0 and h > 0:
                return w, h
        raise ImageError(translate("ChatImages", "An image marked PNG does not hold a PNG image (damaged, or "
                                   "another format)."))
    if mime == "image/jpeg":
        size = _jpeg_size(data)
        if size is not None:
            return size
        raise ImageError(translate("ChatImages", "An image marked JPEG does not hold a JPEG image (damaged, or "
                                   "another format)."))
    raise ImageError(translate("ChatImages", "Images must be PNG or JPEG, not {mime}.").format(mime=mime))


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if not data.startswith(b"\xff\xd8"):
        return None
    pos, n = 2, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if length < 2:
            return None
        if marker in _SOF:
            if pos + 9 > n:
                return None
            h, w = struct.unpack(">HH", data[pos + 5:pos + 9])
            return (w, h) if w > 0 and h > 0 else None
        if marker == 0xDA:  # image data before any frame header
            return None
        pos += 2 + length
    return None


# ---- the table --------------------------------------------------------------------------------------------

def parse_all(uris, where: str = "images") -> list[tuple[str, bytes, int, int]]:
    """``[(mime, bytes, width, height)]`` for a list of data URIs; ``ImageError`` naming the bad one."""
    if uris is None:
        return []
    if not isinstance(uris, (list, tuple)):
        raise ImageError(translate("ChatImages", "{where} must be a list of data: URIs, not {type}.").format(
            where=where, type=type(uris).__name__))
    if len(uris) > MAX_IMAGES_PER_MESSAGE:
        raise ImageError(translate("ChatImages", "{where} holds {count} images; a message takes at most {most}.")
                         .format(where=where, count=len(uris), most=MAX_IMAGES_PER_MESSAGE))
    out = []
    for i, uri in enumerate(uris):
        try:
            mime, data = decode_data_uri(uri)
        except ImageError as exc:
            raise ImageError(translate("ChatImages", "{where}[{index}]: {error}").format(
                where=where, index=i, error=exc)) from None
        out.append((mime, data, *image_size(data, mime)))
    return out


def insert(conn: sqlite3.Connection, message_id: int, images: list[tuple[str, bytes, int, int]]) -> None:
    """Store parsed images for a message, inside the caller's transaction."""
    conn.executemany(
        "INSERT INTO message_images (message_id, position, mime, width, height, data) VALUES (?,?,?,?,?,?)",
        [(message_id, i, mime, w, h, data) for i, (mime, data, w, h) in enumerate(images)])


def uris_for(conn: sqlite3.Connection, message_ids: Iterable[int]) -> dict[int, list[str]]:
    """``{message id: [data URI, ...]}`` for the messages among ``message_ids`` that have images (one query)."""
    ids = [int(i) for i in message_ids]
    if not ids:
        return {}
    sql = ("SELECT message_id, mime, data FROM message_images WHERE message_id IN (SELECT value FROM json_each(?)) "
           "ORDER BY message_id, position")
    out: dict[int, list[str]] = {}
    for mid, mime, data in conn.execute(sql, ("[" + ",".join(map(str, ids)) + "]",)):
        out.setdefault(mid, []).append(encode_data_uri(mime, bytes(data)))
    return out


def attach(conn: sqlite3.Connection, messages: list) -> list:
    """Set ``images`` on each message record that has some (the others keep ``[]``); returns ``messages``."""
    found = uris_for(conn, (m.id for m in messages))
    if found:
        for m in messages:
            if m.id in found:
                m.images = found[m.id]
    return messages


def has_table(conn: sqlite3.Connection) -> bool:
    """Whether the database has ``message_images`` (a read-only store may look into an older file)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'message_images'"
                        ).fetchone() is not None
