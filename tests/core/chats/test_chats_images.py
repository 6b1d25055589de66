"""Images stored with their message (schema v3): the migration from v2, add/read/delete in one transaction each,
export and import keeping them, and imports that refuse anything but embedded PNG/JPEG (nothing is fetched).
Real SQLite files; no Qt (the images are built by hand)."""
from __future__ import annotations

import base64
import json
import sqlite3
import struct
import zlib

import pytest

from app.core.chats import SCHEMA_VERSION, ChatStore, schema
from app.core.chats.images import MAX_IMAGE_BYTES, ImageError, decode_data_uri, image_size

# a 3x2 red JPEG (made once with Qt)
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAZABkAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeF"
    "xlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAMDASIA"
    "AhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0"
    "KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWm"
    "p6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8"
    "QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElK"
    "U1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6O"
    "nq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDHooorhPqD/9k=")


def png(width: int, height: int, rgb=(0, 128, 255)) -> bytes:
    """A real PNG of one colour."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


PNG_URI, JPEG_URI = uri(png(4, 3)), uri(JPEG, "image/jpeg")


def image_rows(store) -> int:
    return store.conn.execute("SELECT count(*) FROM message_images").fetchone()[0]


def counts(store):
    return tuple(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("conversations", "messages", "message_images"))


def test_data_uris_are_checked_without_qt():
    assert decode_data_uri(PNG_URI) == ("image/png", png(4, 3))
    assert decode_data_uri(JPEG_URI)[0] == "image/jpeg"
    assert image_size(png(4, 3), "image/png") == (4, 3) and image_size(JPEG, "image/jpeg") == (3, 2)
    for bad, words in [("http://example.org/cat.png", "never fetches"), ("file:///home/me/cat.png", "never fetches"),
                       ("data:image/svg+xml;base64,PHN2Zy8+", "PNG or JPEG"), ("data:image/png,raw", "PNG or JPEG"),
                       ("data:image/png;base64,@@@@", "damaged base64"), (uri(JPEG), "marked PNG"),
                       (uri(b"GIF89a....", "image/jpeg"), "marked JPEG"), (42, "data: URI")]:
        with pytest.raises(ImageError, match=words):
            decode_data_uri(bad)


def make_v2(path):
    """A version-2 database (before images) with one conversation, as Hearth v2 wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.migrate(conn, None, target=2)
    conn.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('Before images', 1.0, 2.0)")
    conn.execute("INSERT INTO messages (conversation_id, parent_id, role, content, state, stats, created_at, "
                 "updated_at) VALUES (1, NULL, 'user', 'describe a heron', 'done', '{}', 1.0, 1.0)")
    conn.execute("INSERT INTO messages (conversation_id, parent_id, role, content, state, stats, created_at, "
                 "updated_at) VALUES (1, 1, 'assistant', 'a tall grey bird', 'done', '{}', 2.0, 2.0)")
    conn.close()


def test_v2_file_is_backed_up_and_migrated_to_v3(db_path):
    make_v2(db_path)
    with ChatStore(db_path, read_only=True) as s:  # looking into the old file: no images table, no trouble
        assert s.schema_version == 2
        assert [(m.content, m.images) for m in s.branch(1)] == [("describe a heron", []), ("a tall grey bird", [])]
        assert s.export_json(1)["version"] == 1
    with ChatStore(db_path) as s:
        assert s.schema_version == SCHEMA_VERSION == 3
        assert [m.images for m in s.branch(1)] == [[], []]
        m = s.add_message(1, 2, "user", "and this one?", images=[PNG_URI])
        assert s.get_message(m.id).images == [PNG_URI]
        assert s.search("heron")[0].message_id == 1  # the search index came through
        assert s.integrity_check() == "ok"
    backup = sqlite3.connect(db_path.with_name("chats.sqlite3.bak-v2"))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 2
    assert backup.execute("SELECT count(*) FROM messages").fetchone()[0] == 2
    assert backup.execute("SELECT name FROM sqlite_master WHERE name = 'message_images'").fetchone() is None
    backup.close()


def test_images_are_stored_read_and_deleted_with_their_message(store):
    c = store.create_conversation()
    u = store.add_message(c.id, None, "user", "", images=[PNG_URI, JPEG_URI])  # images only, no text
    assert u.images == [PNG_URI, JPEG_URI]
    a = store.add_message(c.id, u.id, "assistant", "two pictures")
    u2 = store.add_message(c.id, a.id, "user", "a third", images=[JPEG_URI])
    rows = store.conn.execute("SELECT message_id, position, mime, width, height FROM message_images "
                              "ORDER BY message_id, position").fetchall()
    assert rows == [(u.id, 0, "image/png", 4, 3), (u.id, 1, "image/jpeg", 3, 2), (u2.id, 0, "image/jpeg", 3, 2)]
    assert [m.images for m in store.branch(c.id)] == [[PNG_URI, JPEG_URI], [], [JPEG_URI]]
    assert [m.images for m in store.path_to(u2.id)] == [[PNG_URI, JPEG_URI], [], [JPEG_URI]]
    assert store.children(c.id, None)[0].images == [PNG_URI, JPEG_URI]
    assert store.siblings(u2.id)[0].images == [JPEG_URI]
    # a bad image: nothing of the message is written
    before = counts(store)
    for bad in (["http://example.org/a.png"], [PNG_URI, "file:///etc/passwd"], "not a list"):
        with pytest.raises(ValueError):
            store.add_message(c.id, u2.id, "user", "x", images=bad)
    assert counts(store) == before
    assert store.delete_subtree(a.id) == 2
    assert image_rows(store) == 2  # the first message's two stay
    store.delete_conversation(c.id)
    assert image_rows(store) == 0
    assert store.integrity_check() == "ok"


def test_export_and_import_keep_images(store):
    c = store.create_conversation()
    u = store.add_message(c.id, None, "user", "what is this?", images=[PNG_URI, JPEG_URI])
    store.add_message(c.id, u.id, "assistant", "a blue square and a red one")
    data = json.loads(json.dumps(store.export_json(c.id)))  # through real JSON text
    assert data["version"] == 2
    assert data["messages"][0]["images"] == [PNG_URI, JPEG_URI] and "images" not in data["messages"][1]
    copy = store.import_json(data)
    assert [m.images for m in store.branch(copy.id)] == [[PNG_URI, JPEG_URI], []]
    again = store.export_json(copy.id)
    assert [m.get("images") for m in again["messages"]] == [[PNG_URI, JPEG_URI], None]
    md = store.export_markdown(c.id)
    assert f"![image 1]({PNG_URI}) ![image 2]({JPEG_URI})" in md
    plain = store.create_conversation()
    store.add_message(plain.id, None, "user", "no pictures here")
    assert store.export_json(plain.id)["version"] == 1  # older Hearths still read text-only exports


@pytest.mark.parametrize("image, words", [
    ("http://example.org/cat.png", "messages\\[0\\].images\\[0\\].*http://example.org/cat.png.*never fetches"),
    ("file:///home/me/cat.png", "messages\\[0\\].images\\[0\\].*file:///home/me/cat.png"),
    ("data:image/gif;base64,R0lGODlh", "PNG or JPEG"),
    (uri(b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_IMAGE_BYTES + 1)), "larger than 20 MiB"),
])
def test_import_refuses_images_that_are_not_embedded_png_or_jpeg(store, image, words):
    data = {"format": "hearth.chat", "version": 2, "conversation": {"title": "t", "created_at": 1.0},
            "messages": [{"id": 1, "parent_id": None, "role": "user", "content": "look", "created_at": 1.0,
                          "images": [image]}]}
    before = counts(store)
    with pytest.raises(ValueError, match=words):
        store.import_json(data)
    assert counts(store) == before
