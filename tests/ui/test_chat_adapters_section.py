"""The chat settings' "Adapters and vision" section, driven as a user would: the adapters that fit the
conversation's model (a checkbox and a scale each), saved with the conversation's settings and read back; the
vision projector from the library's pairing, a chosen file, a wrong-width file refused, and Clear."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QFileDialog

from app.core.chats import ChatStore
from app.core.chats.settings import ChatSettings
from app.settings import Settings
from tests.support import make_lora, make_mmproj


def _file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def library(qtbot, tmp_path, starter_model, gemma_model):
    from app.core.library.catalog import ModelCatalog
    from app.ui.common.catalog_state import CatalogState

    md = tmp_path / "models"
    repo = md / "HuggingFaceTB" / "SmolLM2-135M-Instruct-GGUF"
    os.symlink(starter_model, _file(repo / starter_model.name))
    os.symlink(gemma_model, _file(md / "google" / "gemma" / gemma_model.name))
    make_lora.write_lora(_file(md / "me" / "loras" / "smol-pirate.gguf"), starter_model, name="smol-pirate")
    make_lora.write_lora(_file(md / "me" / "loras" / "gemma-poet.gguf"), gemma_model, name="gemma-poet")
    make_mmproj.write_tiny_projector(repo / "mmproj-SmolLM2-f16.gguf")
    state = CatalogState(ModelCatalog(md, tmp_path / "library.json"))
    return state, repo / starter_model.name, md / "google" / "gemma" / gemma_model.name


@pytest.fixture
def store(tmp_path):
    s = ChatStore(tmp_path / "chats.sqlite3")
    yield s
    s.close()


def _panel(qtbot, store, library, settings: ChatSettings):
    from app.ui.chat.settings_panel import SettingsPanel

    panel = SettingsPanel(Settings(), store, library=library)
    qtbot.addWidget(panel)
    panel.resize(340, 900)
    panel.set_settings(settings)
    qtbot.waitUntil(lambda: not panel.adapters.busy, timeout=10000)
    return panel


def _named(panel, cls, name: str):
    found = [w for w in panel.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, [w.accessibleName() for w in panel.findChildren(cls)]
    return found[0]


def test_toggle_and_scale_are_saved_with_the_conversation_and_read_back(qtbot, store, library):
    state, smol, _gemma = library
    conv = store.create_conversation("Pirates", ChatSettings(model=str(smol)).to_dict())
    settings = ChatSettings.from_dict(store.get_conversation(conv.id).settings)
    panel = _panel(qtbot, store, state, settings)
    panel.settings_changed.connect(lambda s: store.update_conversation_settings(conv.id, s.to_dict()))
    panel.show()
    box = _named(panel, QCheckBox, "Adapter smol-pirate")
    spin = _named(panel, QDoubleSpinBox, "Scale of smol-pirate")
    assert not any(w.accessibleName() == "Adapter gemma-poet" for w in panel.findChildren(QCheckBox))
    assert not panel.adapters.none_label.isVisible()
    assert (spin.minimum(), spin.maximum(), spin.singleStep(), spin.value()) == (0.0, 2.0, 0.05, 1.0)
    assert not box.isChecked() and not spin.isEnabled()
    with qtbot.waitSignal(panel.settings_changed, timeout=2000):
        qtbot.mouseClick(box, Qt.LeftButton)
    assert box.isChecked() and spin.isEnabled()
    spin.setValue(0.55)
    qtbot.keyClick(spin, Qt.Key_Up)  # one step: 0.60
    path = str(state.catalog.models_dir / "me" / "loras" / "smol-pirate.gguf")
    assert settings.adapters == [{"path": path, "scale": 0.6, "on": True}]
    assert panel.adapters.active_adapters() == [(path, 0.6)]
    # read back from the store, as when the conversation is opened again
    again = ChatSettings.from_dict(store.get_conversation(conv.id).settings)
    assert again.adapters == [{"path": path, "scale": 0.6, "on": True}]
    other = _panel(qtbot, store, state, again)
    assert _named(other, QCheckBox, "Adapter smol-pirate").isChecked()
    assert _named(other, QDoubleSpinBox, "Scale of smol-pirate").value() == 0.6
    # switched off: kept with its scale, no longer applied
    with qtbot.waitSignal(panel.settings_changed, timeout=2000):
        qtbot.mouseClick(box, Qt.LeftButton)
    assert ChatSettings.from_dict(store.get_conversation(conv.id).settings).adapters[0] == {
        "path": path, "scale": 0.6, "on": False}
    assert panel.adapters.active_adapters() == []


def test_a_model_without_adapters_says_so_and_the_loaded_model_counts(qtbot, store, library):
    state, smol, gemma = library
    panel = _panel(qtbot, store, state, ChatSettings(model=str(smol)))
    panel.show()
    panel.set_model(str(gemma))  # the chat page loaded another model
    qtbot.waitUntil(lambda: not panel.adapters.busy, timeout=10000)
    assert _named(panel, QCheckBox, "Adapter gemma-poet")
    assert panel.adapters.projector_label.text() == "none (text only)"
    (state.catalog.models_dir / "me" / "loras" / "gemma-poet.gguf").unlink()
    state.changed.emit()  # a delete on the Models page
    qtbot.waitUntil(lambda: panel.adapters.none_label.isVisible(), timeout=10000)
    assert panel.adapters.none_label.text() == "No adapters for this model"
    assert panel.adapters.rows == {} and panel.adapters.active_adapters() == []
    empty = _panel(qtbot, store, None, ChatSettings())  # no library, no model: nothing offered
    assert empty.adapters.none_label.isVisibleTo(empty) and not empty.adapters.choose.isEnabled()


def test_projector_paired_chosen_refused_and_cleared(qtbot, store, library, tmp_path, monkeypatch,
                                                     no_modal_dialogs):
    state, smol, _gemma = library
    settings = ChatSettings(model=str(smol))
    panel = _panel(qtbot, store, state, settings)
    sec = panel.adapters
    paired = smol.parent / "mmproj-SmolLM2-f16.gguf"
    assert sec.projector_label.text() == "mmproj-SmolLM2-f16.gguf (from the library)"
    assert sec.projector_path() == str(paired) and not sec.clear.isEnabled()
    wide = make_mmproj.write_tiny_projector(tmp_path / "mmproj-wide.gguf", n_embd_text=960)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(wide), ""))
    saved = []
    panel.settings_changed.connect(lambda s: saved.append(s.projector))
    qtbot.mouseClick(sec.choose, Qt.LeftButton)
    assert no_modal_dialogs and no_modal_dialogs[-1][0] == "warning"
    assert "does not fit this model" in no_modal_dialogs[-1][1] and "960" in no_modal_dialogs[-1][1]
    assert settings.projector == "" and saved == [] and sec.projector_path() == str(paired)
    other = make_mmproj.write_tiny_projector(tmp_path / "mine.gguf")  # fits (576 wide)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    qtbot.mouseClick(sec.choose, Qt.LeftButton)
    assert settings.projector == str(other) and saved == [str(other)]
    assert sec.projector_label.text() == "mine.gguf (chosen)" and sec.projector_path() == str(other)
    assert sec.clear.isEnabled()
    qtbot.mouseClick(sec.clear, Qt.LeftButton)
    assert settings.projector == "" and saved[-1] == "" and sec.projector_path() == str(paired)
    # a non-GGUF file is refused with the reason too
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"nope")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    qtbot.mouseClick(sec.choose, Qt.LeftButton)
    assert "cannot be used as a vision projector" in no_modal_dialogs[-1][1] and settings.projector == ""


def test_settings_validate_adapters_and_projector():
    raw = {"adapters": [{"path": "/a.gguf", "scale": 9, "on": True}, {"path": "/b.gguf", "scale": -7.5},
                        {"path": "/a.gguf", "scale": 1.0, "on": False}, {"path": "", "scale": 1.0},
                        {"path": "/c.gguf", "scale": "big"}, {"path": "/d.gguf", "scale": float("nan")},
                        {"path": "/e.gguf", "on": "yes"}, {"path": 3}, "junk", None,
                        {"path": "/f.gguf", "scale": True}, {"path": "/g.gguf"}],
           "projector": "/p.gguf"}
    s = ChatSettings.from_dict(raw)
    assert s.adapters == [{"path": "/a.gguf", "scale": 4.0, "on": True}, {"path": "/b.gguf", "scale": -4.0, "on": True},
                          {"path": "/g.gguf", "scale": 1.0, "on": True}]
    assert s.projector == "/p.gguf"
    assert s.active_adapters() == [("/a.gguf", 4.0), ("/b.gguf", -4.0), ("/g.gguf", 1.0)]
    assert ChatSettings.from_dict({"adapters": "x", "projector": 5}).adapters == []
    assert ChatSettings.from_dict({"projector": 5}).projector == ""
    assert ChatSettings().adapters == [] and ChatSettings().adapters is not ChatSettings().adapters
    assert ChatSettings.from_dict(s.to_dict()) == s
