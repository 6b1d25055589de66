"""Sentences made in app/core reach the window in its language, with the real hearth_tr.qm (`make i18n`): an error
about a damaged GGUF file, an error sent by the real engine process (llama.cpp, SmolLM2) across its pipe, a label made
from such a sentence switching language live both ways, the stored default title of a conversation and the network
log's purposes (English keys in the log file, Turkish on screen)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from app.core.gguf.header import GGUFError, read_header_file
from app.core.i18n import message
from app.ui.common.i18n import install_language, qm_dir, switch_language

PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElF"
         "TkSuQmCC")


@pytest.fixture
def turkish(qapp):
    if not (qm_dir() / "hearth_tr.qm").is_file():
        pytest.fail("resources/i18n/hearth_tr.qm is missing: `make test` compiles it (make i18n)", pytrace=False)
    assert install_language("tr") == "tr"
    yield
    install_language("en")


def truncated(tmp_path):
    p = tmp_path / "broken.gguf"
    p.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x01" * 5)
    return p


def test_a_damaged_file_is_explained_in_turkish_and_again_in_english(turkish, tmp_path):
    with pytest.raises(GGUFError) as exc:
        read_header_file(truncated(tmp_path))
    shown = str(exc.value)
    assert "8" in shown and "13" in shown and "truncated" not in shown and "dosya" in shown.lower()
    install_language("en")
    assert message(exc.value) == ("the file ends in the middle of the tensor count (at byte 8 of 13); it is "
                                  "truncated or damaged")


def test_an_engine_processes_error_arrives_in_turkish(turkish, starter_model):
    from app.core.engine.generation import EngineError, GenerationRequest, LoadOptions, Sampling
    from app.core.engine.process import EngineProcess
    from app.core.engine.vision import NO_VISION

    e = EngineProcess()
    try:
        info = e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1))
        assert info.template_source == QCoreApplication.translate("EngineChatTemplate",
                                                                  "embedded in the model (Jinja, sandboxed)")
        with pytest.raises(EngineError) as exc:
            list(e.generate(GenerationRequest([{"role": "user", "content": "Look", "images": [PIXEL]}],
                                              Sampling(temperature=0, max_tokens=4))))
        turkish_text = QCoreApplication.translate("EngineVision", NO_VISION)
        assert turkish_text != NO_VISION and str(exc.value) == turkish_text
    finally:
        e.unload()


def test_a_label_made_from_a_core_sentence_switches_language_live(turkish, qtbot, tmp_path):
    with pytest.raises(GGUFError) as exc:
        read_header_file(truncated(tmp_path))
    label = QLabel(str(exc.value))
    qtbot.addWidget(label)
    turkish_text = label.text()
    switch_language("en")
    assert label.text() == message(exc.value) and label.text().startswith("the file ends")
    switch_language("tr")
    assert label.text() == turkish_text


def test_default_title_and_network_purposes_in_turkish(turkish):
    from app.core.chats import DEFAULT_TITLE, Conversation
    from app.core.net import RequestRecord
    from app.ui.chat.conversation_list import ConversationListModel
    from app.ui.network.network_page import NetworkLogModel

    model = ConversationListModel()
    conv = Conversation(id=1, title=DEFAULT_TITLE, created_at=0.0, updated_at=0.0)
    model.set_conversations([conv, Conversation(id=2, title="New chat about Paris", created_at=0.0, updated_at=0.0)])
    assert model.data(model.index(0, 0)) == "Yeni sohbet"
    assert model.data(model.index(1, 0)) == "New chat about Paris"  # a user's own title is never translated

    log = NetworkLogModel()
    log.set_records([RequestRecord(time=0.0, method="GET", host="h", path="/p", status=200, bytes_in=1, bytes_out=1,
                                   purpose="download")])
    assert log.data(log.index(0, 8)) == "indirme"
