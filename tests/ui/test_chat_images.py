"""Images in the chat: ``app/imaging.prepare_image`` (files with any name, bytes, QImages; EXIF orientation;
damaged, empty, huge and web images refused in a sentence; a 50-megapixel picture scaled down), and the Chat page
with a stand-in engine: the Attach button, paste and drop add thumbnails, Remove takes one away, Send stores the
images with the message and puts them into the history the engine gets, the transcript shows them, a model
without vision is named at once, an export and import keep them. Real widgets (offscreen), a real SQLite file."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QToolButton

from app.core.engine.generation import ReplyStats
from app.imaging import ImageError, PreparedImage, decode_data_uri, prepare_image
from app.ui.chat.engine_client import EngineSignals

ROOT = Path(__file__).resolve().parents[2]
JPEG_NOISE = "JPEG|jpeg|marker"  # Qt's JPEG reader says what is wrong with a damaged file


def encoded(image: QImage, fmt: str = "PNG", quality: int = -1) -> bytes:
    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    assert image.save(buf, fmt, quality)
    return bytes(buf.data())


def flat(w: int, h: int, colour=(200, 40, 40)) -> QImage:
    img = QImage(w, h, QImage.Format_RGB32)
    img.fill(QColor(*colour))
    return img


def noisy(w: int, h: int) -> QImage:
    """A photograph's worth of detail (PNG compresses it badly)."""
    import random

    rng = random.Random(7)
    img = QImage(w, h, QImage.Format_RGB888)
    bits = img.bits()
    bits[:] = bytes(rng.getrandbits(8) for _ in range(img.sizeInBytes()))
    return img


def decoded(p: PreparedImage) -> QImage:
    return QImage.fromData(decode_data_uri(p.data_uri)[1])


def with_exif_orientation(jpeg: bytes, orientation: int) -> bytes:
    """The JPEG with an EXIF block saying how to turn it (6: 90 degrees clockwise), written by hand."""
    tiff = b"MM\x00*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\0" * 4
    app1 = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


@pytest.fixture(scope="module")
def big_images(tmp_path_factory):
    """A 50-megapixel PNG and JPEG of one colour (small files, 8000 x 6300 pixels)."""
    folder = tmp_path_factory.mktemp("big")
    img = flat(8000, 6300, (30, 120, 200))
    png, jpg = folder / "big.png", folder / "big.jpg"
    assert img.save(str(png)) and img.save(str(jpg), "JPEG", 90)
    return png, jpg


# ---- prepare_image ---------------------------------------------------------------------------------------------

def test_png_and_jpeg_files_with_a_turkish_path(tmp_path):
    folder = tmp_path / "Kullanıcılar" / "Çağrı"
    folder.mkdir(parents=True)
    png = folder / "resim.png"
    png.write_bytes(encoded(flat(300, 200)))
    p = prepare_image(png)
    assert (p.mime, p.width, p.height, p.source_width, p.source_height, p.name) == (
        "image/png", 300, 200, 300, 200, "resim.png")
    assert p.data_uri.startswith("data:image/png;base64,") and p.nbytes == len(decode_data_uri(p.data_uri)[1])
    assert decoded(p).pixelColor(10, 10) == QColor(200, 40, 40)
    jpg = folder / "fotoğraf.jpg"
    jpg.write_bytes(encoded(flat(640, 480), "JPEG", 95))
    q = prepare_image(str(jpg), max_side=320)
    assert (q.mime, q.width, q.height, q.source_width, q.source_height) == ("image/jpeg", 320, 240, 640, 480)
    assert prepare_image(png.read_bytes(), name="clip").name == "clip"


def test_exif_orientation_is_applied_and_dropped(tmp_path):
    plain = encoded(flat(400, 100), "JPEG", 90)
    assert prepare_image(plain).width == 400  # no EXIF: as stored
    turned = tmp_path / "phone.jpg"
    turned.write_bytes(with_exif_orientation(plain, 6))
    p = prepare_image(turned, max_side=200)
    assert (p.width, p.height, p.source_width, p.source_height) == (50, 200, 100, 400)
    data = decode_data_uri(p.data_uri)[1]
    assert b"Exif" not in data  # metadata is not sent on (a phone's GPS position, say)


def test_transparency_is_flattened_on_white_and_photos_become_jpeg():
    img = QImage(600, 400, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    painter = QPainter(img)
    painter.fillRect(0, 0, 100, 100, QColor(0, 0, 255))
    painter.end()
    p = prepare_image(img)
    out = decoded(p)
    assert p.mime == "image/png" and not out.hasAlphaChannel()  # a flat drawing stays PNG
    assert out.pixelColor(300, 300) == QColor(255, 255, 255) and out.pixelColor(50, 50) == QColor(0, 0, 255)
    assert prepare_image(noisy(700, 500)).mime == "image/jpeg"  # photographic: JPEG, much smaller
    assert prepare_image(noisy(300, 200)).mime == "image/png"  # small: kept exact


@pytest.mark.qt_log_ignore(JPEG_NOISE)
def test_bad_sources_are_refused_in_one_sentence(tmp_path):
    broken = tmp_path / "photo.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"this is not really a jpeg" * 20)
    text = tmp_path / "notes.png"
    text.write_text("just words")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    truncated = tmp_path / "half.png"
    truncated.write_bytes(encoded(flat(500, 500))[:60])
    cases = [
        (broken, "photo.jpg is not an image Hearth can read (damaged or an unsupported format)."),
        (text, "notes.png is not an image Hearth can read (damaged or an unsupported format)."),
        (truncated, "half.png is not an image Hearth can read (damaged or an unsupported format)."),
        (empty, "empty.png is empty (0 bytes)."),
        (tmp_path / "gone.png", f"gone.png was not found ({tmp_path / 'gone.png'})."),
        ("https://example.org/cat.png", "Images are attached from files; a web address is not fetched."),
        (b"", "Pasted image is empty (0 bytes)."),
        (QImage(), "Pasted image is empty."),
    ]
    for source, message in cases:
        with pytest.raises(ImageError) as err:
            prepare_image(source)
        assert str(err.value) == message


def test_a_header_too_large_is_refused_before_decoding(tmp_path):
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    huge = tmp_path / "huge.png"  # a header that claims 60,000 x 40,000 pixels (decoding it would take 9.6 GB)
    huge.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 40000, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))
    t0 = time.perf_counter()
    with pytest.raises(ImageError) as err:
        prepare_image(huge)
    assert str(err.value) == "huge.png is 60,000 × 40,000 pixels; Hearth takes images up to 100 megapixels."
    assert time.perf_counter() - t0 < 1
    with pytest.raises(ImageError, match="30,000 pixels a side"):
        prepare_image(QImage(31000, 2, QImage.Format_Grayscale8))


def test_a_50_megapixel_png_comes_back_scaled(big_images):
    png, _ = big_images
    p = prepare_image(png, max_side=1536)
    assert (p.width, p.height, p.source_width, p.source_height) == (1536, 1210, 8000, 6300)
    assert decoded(p).pixelColor(700, 600) == QColor(30, 120, 200)


def test_a_50_megapixel_jpeg_is_never_decoded_at_full_size(big_images):
    """JPEG scales while it decodes: the process never holds the 200 MB a full 8000 x 6300 decode needs. (Qt's
    PNG reader cannot scale while decoding: a PNG is decoded whole on the worker thread, then scaled.)"""
    _, jpg = big_images
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        from app.imaging import prepare_image
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        p = prepare_image({str(jpg)!r})
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(p.width, p.height, (after - before) // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    w, h, grown_mb = map(int, out.stdout.split())
    assert (w, h) == (1536, 1210)
    assert grown_mb < 80, f"reading the JPEG grew the process by {grown_mb} MB"


# ---- the Chat page ----------------------------------------------------------------------------------------------

class FakeEngine(EngineSignals):
    """The engine client's signals (the real class's) and calls, without a model: records each GenerationRequest."""

    def __init__(self) -> None:
        super().__init__()
        self.info = None
        self.loading_path = ""
        self.requests = []
        self.counted = []

    def use(self, vision: bool) -> None:
        self.info = SimpleNamespace(path="/models/eyes.gguf", name="eyes", n_ctx=4096, remote="", estimated="",
                                    load_seconds=0.1, template_source="the model's own template", vision=vision)
        self.loaded.emit(self.info)

    def generate(self, req, collection: str = "") -> int:
        self.requests.append(req)
        return len(self.requests)

    def count_tokens(self, messages) -> int:
        self.counted.append(messages)
        return len(self.counted)

    def load(self, path, options) -> None:
        pass

    def unload(self) -> None:
        pass

    def stop(self) -> int:
        return 0

    def set_chat_format(self, name: str) -> None:
        pass


@pytest.fixture
def page(ctx, qtbot):
    from PySide6.QtWidgets import QApplication

    from app.ui.chat.chat_page import ChatPage
    from app.ui.common.theme import apply_theme

    apply_theme(QApplication.instance(), "light")
    engine = FakeEngine()
    p = ChatPage(ctx, engine)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.shutdown()


@pytest.fixture
def pictures(tmp_path):
    red, green = tmp_path / "red.png", tmp_path / "grün.jpg"
    red.write_bytes(encoded(flat(640, 480)))
    green.write_bytes(encoded(flat(300, 900, (40, 160, 60)), "JPEG", 90))
    return red, green


def remove_buttons(page) -> dict[str, QToolButton]:
    return {b.accessibleName(): b for b in page.attachments.findChildren(QToolButton) if b.isVisible()}


def test_attach_button_paste_and_drop_add_thumbnails_and_remove_works(page, pictures, qtbot, monkeypatch):
    red, green = pictures
    button = page.attach_button
    assert button.accessibleName() == "Attach image" and button.toolTip() and button.focusPolicy() & Qt.TabFocus
    assert not page.attachments.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(red)], "Images"))
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=10000)
    assert page.attachments.isVisible() and list(remove_buttons(page)) == ["Remove image red.png"]

    # paste: the clipboard's picture becomes an attachment, not text
    QGuiApplication.clipboard().setImage(flat(120, 80, (250, 200, 0)))
    page.input.setFocus()
    page.input.paste()
    qtbot.waitUntil(lambda: len(page.attachments) == 2, timeout=10000)
    assert page.input.toPlainText() == ""
    mime = QMimeData()
    mime.setText("plain words")
    page.input.insertFromMimeData(mime)  # text is still pasted as text
    assert page.input.toPlainText() == "plain words"
    office = QMimeData()  # an office program puts words and a picture of them: the words are pasted
    office.setText(" and a table")
    office.setImageData(flat(50, 20))
    assert page.input.canInsertFromMimeData(office)
    page.input.insertFromMimeData(office)
    assert page.input.toPlainText() == "plain words and a table" and not page._image_jobs

    # drop an image file on the page (the transcript, say): accepted and attached
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(green))])
    enter = QDragEnterEvent(QPoint(400, 300), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dragEnterEvent(enter)
    assert enter.isAccepted()
    page.dropEvent(QDropEvent(QPointF(400, 300), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    qtbot.waitUntil(lambda: len(page.attachments) == 3, timeout=10000)
    assert set(remove_buttons(page)) == {"Remove image red.png", "Remove image Pasted image",
                                         "Remove image grün.jpg"}
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(red.with_suffix(".txt")))])
    not_image = QDragEnterEvent(QPoint(1, 1), Qt.CopyAction, other, Qt.LeftButton, Qt.NoModifier)
    not_image.ignore()
    page.dragEnterEvent(not_image)
    assert not not_image.isAccepted()

    web = QMimeData()  # an image dragged out of a web page as its address: refused, never fetched
    web.setUrls([QUrl("https://example.org/cat.jpg")])
    page.dropEvent(QDropEvent(QPointF(400, 300), Qt.CopyAction, web, Qt.LeftButton, Qt.NoModifier))
    qtbot.waitUntil(lambda: page.banner.isVisible(), timeout=10000)
    assert page.banner.text() == "Images are attached from files; a web address is not fetched."
    assert len(page.attachments) == 3

    qtbot.mouseClick(remove_buttons(page)["Remove image red.png"], Qt.LeftButton)
    assert len(page.attachments) == 2 and "Remove image red.png" not in remove_buttons(page)
    page.attachments.clear()
    assert not page.attachments.isVisible()


@pytest.mark.qt_log_ignore(JPEG_NOISE)
def test_errors_and_limits_show_in_the_banner(page, pictures, tmp_path, qtbot):
    broken = tmp_path / "photo.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"garbage" * 50)
    page.attach_images([str(broken)])
    qtbot.waitUntil(lambda: page.banner.isVisible(), timeout=10000)
    assert page.banner.text() == "photo.jpg is not an image Hearth can read (damaged or an unsupported format)."
    page.attach_images(["https://example.org/cat.png"])
    qtbot.waitUntil(lambda: "web address" in page.banner.text(), timeout=10000)
    page.attach_images([str(pictures[0])] * 10)
    assert "up to 8 images" in page.banner.text()
    qtbot.waitUntil(lambda: len(page.attachments) == 8 and not page._image_jobs, timeout=20000)


def test_a_50_megapixel_image_is_prepared_off_the_gui_thread(page, big_images, qtbot):
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer(page, interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    t0 = time.perf_counter()
    page.attach_images([str(big_images[0])])
    assert time.perf_counter() - t0 < 0.2
    assert page.status.text() == "Preparing 1 image…"
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=60000)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) >= 3 and max(gaps) < 0.5, "the GUI thread kept running while the image was prepared"
    assert page.attachments.items[0].image.width == 1536


def test_send_stores_images_and_the_history_carries_them(page, pictures, qtbot):
    red, green = pictures
    page.engine.use(vision=True)
    page.attach_images([str(red), str(green)])
    assert not page.banner.isVisible()  # a model that sees: nothing to say
    qtbot.waitUntil(lambda: len(page.attachments) == 2, timeout=10000)
    uris = page.attachments.data_uris()
    page.send()  # no text: images alone are a message
    assert len(page.engine.requests) == 1 and len(page.attachments) == 0
    first = page.engine.requests[0].messages
    assert first[-1]["role"] == "user" and first[-1]["content"] == "" and first[-1]["images"] == uris
    user = page.store.branch(page.session.cid)[0]
    assert user.images == uris and page.store.get_conversation(page.session.cid).title == "Image"
    page.engine.finished.emit(1, ReplyStats(completion_tokens=3, stop_reason="end"))
    qtbot.waitUntil(lambda: not page.session.generating)
    page.input.setPlainText("and what colour is the second?")
    page.send()
    second = page.engine.requests[1].messages
    users = [m for m in second if m["role"] == "user"]
    assert users[0]["images"] == uris and "images" not in users[1]  # an earlier turn's images stay in it
    # the transcript shows them: the row is taller than the same message without images, and says so
    from app.ui.chat.chat_accessible import message_description
    from app.ui.chat.message_model import ViewMessage

    row = page.model.message(0)
    assert row.images == uris
    painter = page.view.painter_
    width = page.view.viewport().width()
    assert painter.height(row, width) >= painter.height(ViewMessage(-5, "user", ""), width) + 100
    assert "2 images attached" in message_description(row)
    assert "(2 images attached)" in page.model.data(page.model.index(0), Qt.AccessibleTextRole)
    page.view.viewport().repaint()
    assert len(painter.thumbnails(row)) == 2 and not painter.thumbnails(row)[0].isNull()


def test_a_model_without_vision_is_named_at_once_and_the_engine_refusal_shown(page, pictures, qtbot):
    page.engine.use(vision=False)
    page.attach_images([str(pictures[0])])
    assert page.banner.isVisible()
    assert page.banner.text() == "This model cannot see images; load a model with a vision projector."
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=10000)  # the image stays for another model
    page.engine.use(vision=True)
    assert not page.banner.isVisible()
    page.engine.use(vision=False)
    assert "cannot see images" in page.banner.text()
    page.input.setPlainText("what is this?")
    page.send()
    page.engine.failed.emit(1, "This model cannot see images: it was loaded without a vision projector.",
                            ReplyStats(stop_reason="error"))
    qtbot.waitUntil(lambda: not page.session.generating)
    assert page.banner.text().startswith("This model cannot see images: it was loaded")
    assert page.banner.property("banner") == "error"


def test_export_and_import_keep_the_images(page, pictures, qtbot, tmp_path):
    page.engine.use(vision=True)
    page.attach_images([str(pictures[0])])
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=10000)
    page.input.setPlainText("describe it")
    page.send()
    page.engine.finished.emit(1, ReplyStats(stop_reason="end"))
    cid = page.session.cid
    sent = page.store.branch(cid)[0].images
    path = tmp_path / "export.json"
    assert page.export_conversation(cid, "json", str(path)) == str(path)
    assert json.loads(path.read_text(encoding="utf-8"))["messages"][0]["images"] == sent
    page.import_conversation(str(path))
    assert page.session.cid != cid and page.model.message(0).images == sent
    data = json.loads(path.read_text(encoding="utf-8"))
    data["messages"][0]["images"] = ["http://example.org/tracker.png"]
    path.write_text(json.dumps(data), encoding="utf-8")
    page.import_conversation(str(path))
    assert page.banner.text().startswith("Could not import export.json: messages[0].images[0]")
    assert "http://example.org/tracker.png" in page.banner.text() and "never fetches" in page.banner.text()


def test_screenshot_with_a_pending_and_a_sent_image(page, pictures, qtbot):
    page.engine.use(vision=True)
    photo = noisy(64, 48).scaled(640, 480)
    painter = QPainter(photo)
    painter.fillRect(200, 150, 240, 180, QColor(250, 180, 30))
    painter.end()
    page.attach_images([photo])
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=10000)
    page.input.setPlainText("What is in this picture?")
    page.send()
    page.engine.delta.emit(1, "An orange square on a field of coloured noise.")
    page.engine.finished.emit(1, ReplyStats(completion_tokens=11, stop_reason="end"))
    qtbot.waitUntil(lambda: not page.session.generating)
    page.attach_images([str(pictures[1])])
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=10000)
    page.input.setPlainText("And this one?")
    qtbot.wait(50)
    shot = page.grab()
    assert shot.width() == 1366 and shot.height() == 768
    shot.save("/tmp/chat_images.png")
