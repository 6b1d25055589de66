"""End to end through the real widgets, the engine worker thread and llama.cpp with the starter model."""
from PySide6.QtCore import Qt


def load_model(qtbot, page, timeout=60000):
    with qtbot.waitSignal(page.engine.loaded, timeout=timeout):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)


def test_load_send_and_stream(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    assert page.model_combo.count() == 1
    load_model(qtbot, page)
    assert "SmolLM2" in main_window.model_status.text() or "Model:" in main_window.model_status.text()
    deltas = []
    page.engine.delta.connect(lambda g, t: deltas.append(t))
    qtbot.keyClicks(page.input, "Say hello.")
    with qtbot.waitSignal(page.engine.finished, timeout=60000):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    assert len(deltas) >= 2, "the reply must arrive as a stream of deltas"
    msgs = page.model.messages()
    assert [m.role for m in msgs] == ["user", "assistant"]
    assert msgs[0].text == "Say hello."
    assert msgs[1].text == "".join(deltas) and msgs[1].text.strip()
    assert msgs[1].state == "done"
    assert msgs[1].stats["completion_tokens"] > 0
    assert page.send_button.isEnabled() and not page.stop_button.isEnabled()


def test_stop_keeps_partial_reply_and_drops_late_tokens(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    load_model(qtbot, page)
    # greedy, and a prompt SmolLM2 answers at length (600+ tokens): with a random seed a reply could end after two
    # deltas on a busy machine, before the test pressed Stop
    page.panel.temperature.setValue(0)
    page.panel.max_tokens.setValue(600)
    page.input.setPlainText("Write a long story about a dragon who loves books.")
    got = []
    page.engine.delta.connect(lambda g, t: got.append(t))
    qtbot.mouseClick(page.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(got) >= 2, timeout=30000)
    assert page.stop_button.isEnabled()
    qtbot.keyClick(page.input, Qt.Key_Escape)
    text_at_stop = page.model.messages()[-1].text
    with qtbot.waitSignal(page.engine.busy_changed, timeout=10000):
        pass
    qtbot.wait(200)
    last = page.model.messages()[-1]
    assert last.state == "stopped"
    assert last.text == text_at_stop and last.text, "partial reply kept, no late tokens"
    assert page.send_button.isEnabled()


def test_corrupt_model_shows_error_and_app_stays_usable(installed_starter, main_window, qtbot, ctx):
    bad = ctx.models_dir / "broken" / "model" / "broken.gguf"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 64)
    page = main_window.chat_page
    page.refresh_models()
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(bad)))
    with qtbot.waitSignal(page.engine.load_failed, timeout=30000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    assert page.banner.isVisible() and "broken.gguf" in page.banner.text()
    # still usable: the good model loads and chats
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(installed_starter)))
    load_model(qtbot, page)
    page.input.setPlainText("Hi")
    with qtbot.waitSignal(page.engine.finished, timeout=60000):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    assert page.model.messages()[-1].text


def test_missing_model_file_shows_error(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    installed_starter.unlink()
    with qtbot.waitSignal(page.engine.load_failed, timeout=30000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    assert "does not exist" in page.banner.text()
