"""Adapters and images through the real window: the library pairs a projector and lists an adapter beside the
installed SmolLM2, the chat loads the model with its projector, an attached image goes to llama.cpp's encoder in
the engine process and a reply streams; ticking the adapter in the conversation's settings changes the greedy
reply, unticking it gives the base reply again; the conversation keeps the image through export and import.

The projector and the adapter are made here with the ``gguf`` package (random weights: they prove the paths, not
sight or a fine-tune; the replies' text is meaningless by design)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCheckBox

from tests.e2e.test_chat import load, send
from tests.support.make_lora import write_lora
from tests.support.make_mmproj import write_tiny_projector


@pytest.fixture
def vision_chat(installed_starter, main_window, qtbot, tmp_path):
    folder = installed_starter.parent
    write_tiny_projector(folder / "mmproj-SmolLM2-tiny.gguf")
    write_lora(folder.parent / "smol-style.gguf", installed_starter, b_scale=0.5, seed=1, name="smol-style")
    main_window.ctx.library.changed.emit()  # as after a download: the pages look again
    page = main_window.chat_page
    page.refresh_models()
    page.panel.max_tokens.setValue(10)
    page.panel.seed.setValue(7)
    page.panel.temperature.setValue(0.0)
    load(qtbot, page)
    return page


def test_an_image_reaches_the_model_and_survives_export_and_import(vision_chat, qtbot, tmp_path):
    page = vision_chat
    assert page.engine.info.vision and page.engine.info.projector.endswith("mmproj-SmolLM2-tiny.gguf")
    img = QImage(64, 48, QImage.Format_RGB888)
    img.fill(QColor("purple"))
    picture = tmp_path / "Resimlerim" / "mor.png"  # Turkish folder name
    picture.parent.mkdir()
    assert img.save(str(picture))
    page.attach_images([str(picture)])
    qtbot.waitUntil(lambda: len(page.attachments) == 1, timeout=10000)
    send(qtbot, page, "What is in this picture?")
    messages = [m for m in page.model.messages() if m.role != "notice"]
    assert messages[-1].role == "assistant" and messages[-1].state == "done" and messages[-1].text
    assert messages[-2].images and messages[-2].images[0].startswith("data:image/")
    stats = messages[-1].stats or {}
    assert stats.get("prompt_tokens", 0) > 20  # the image's tokens are in the prompt
    cid = page.session.cid
    out = page.export_conversation(cid, "json", str(tmp_path / "c.json"))
    data = json.load(open(out, encoding="utf-8"))
    assert any(m.get("images") for m in data["messages"])
    page.import_conversation(out)
    again = page.store.export_json(page.session.cid)
    assert [m.get("images") for m in again["messages"] if m.get("images")] == \
        [m.get("images") for m in data["messages"] if m.get("images")]


def test_ticking_an_adapter_changes_the_reply_and_unticking_restores_it(vision_chat, qtbot):
    page = vision_chat
    qtbot.waitUntil(lambda: any(w.accessibleName() == "Adapter smol-style"
                                for w in page.panel.findChildren(QCheckBox)), timeout=10000)
    box = next(w for w in page.panel.findChildren(QCheckBox) if w.accessibleName() == "Adapter smol-style")

    def ask() -> str:
        page.new_chat()
        page.panel.temperature.setValue(0.0)
        page.panel.max_tokens.setValue(10)
        send(qtbot, page, "Tell me about Paris.")
        return [m for m in page.model.messages() if m.role == "assistant"][-1].text

    base = ask()
    box.setChecked(True)
    assert page.panel.adapters.active_adapters()
    styled = ask()
    box.setChecked(False)
    again = ask()
    assert styled != base and again == base
    box.setChecked(True)
    page.panel.adapters.rows[next(iter(page.panel.adapters.rows))][1].setValue(0.0)
    assert ask() == base  # scale 0: the base model's reply
    qtbot.mouseClick(box, Qt.LeftButton)
