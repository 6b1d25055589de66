"""A remote model through the real window (issue 15), end to end: the backend added on the Models page's
Backends tab (the fault server on 127.0.0.1 speaking the OpenAI API), its model in the Chat picker marked with
its host, a streamed reply with the conversation's sampling sent, Stop (the request is closed), Regenerate (a
second branch), export, a stream cut in the middle (the partial reply kept, marked interrupted), a refused key
(said in words), and the network log listing every request the server saw."""
from __future__ import annotations

import json
import time

from PySide6.QtCore import Qt

from app.core.net import policy
from tests.support.fault_backend import FaultBackend, Faults

REPLY = " ".join(f"word{i}" for i in range(60)) + "."


def send(qtbot, page, text, timeout=30000):
    page.input.setPlainText(text)
    with qtbot.waitSignal(page.session.generating_changed, timeout=timeout, check_params_cb=lambda b: b is False):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)


def test_a_remote_model_in_the_window(ctx, qtbot, tmp_path):
    from app.ui.main_window import MainWindow

    with FaultBackend(reply=REPLY, owned_by="llamacpp", offer_props=True, offer_tokenize=True) as fault:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        policy.network_log().clear()

        # add the backend as a user does: Models → Backends → Add backend…, Check, Add
        tab = win.models_page.backends
        dialog = tab.open_add_dialog()
        dialog.address.setText(fault.url)
        qtbot.mouseClick(dialog.check_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=10000)
        assert "llama.cpp" in dialog.result.text() and "fault-model" in dialog.result.text()
        qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
        host = fault.url.split("//")[1]

        # the model is in the Chat picker, marked with its host
        page = win.chat_page
        i = next(i for i in range(page.model_combo.count()) if page.model_combo.itemText(i).endswith(f"@ {host}"))
        assert page.model_combo.itemText(i).startswith("fault-model")
        page.model_combo.setCurrentIndex(i)
        with qtbot.waitSignal(page.engine.loaded, timeout=10000):
            page.model_combo.activated.emit(i)
        assert page.status.text().startswith(f"Using fault-model @ {host}") and "8,192" in page.status.text()
        assert "estimated" not in page.meter.label.text()  # llama.cpp's /props and /tokenize: the real numbers

        # a streamed reply, with the conversation's own sampling settings sent
        page.panel.temperature.setValue(0.4)
        page.panel.max_tokens.setValue(200)
        send(qtbot, page, "Tell me sixty words.")
        msgs = page.model.messages()
        assert msgs[-1].text == REPLY and msgs[-1].state == "done"
        body = [r for r in fault.requests if r["path"] == "/v1/chat/completions"][-1]["body"]
        assert body["temperature"] == 0.4 and body["max_tokens"] == 200 and "top_k" in body
        assert page.meter.n_ctx == 8192 and page.meter.used > 0

        # Stop in the middle: the request is closed, the partial reply kept as stopped
        fault.faults = Faults(token_delay=0.05)
        page.input.setPlainText("Again, slowly.")
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: len(page.model.messages()[-1].text) > 20, timeout=10000)
        open_before = len(fault._conns)
        with qtbot.waitSignal(page.session.generating_changed, timeout=5000, check_params_cb=lambda b: b is False):
            page.stop()
        stopped = page.model.messages()[-1]
        assert stopped.state == "stopped" and REPLY.startswith(stopped.text) and stopped.text != REPLY
        qtbot.waitUntil(lambda: len(fault._conns) < open_before, timeout=2000)  # the server saw the close
        fault.faults = Faults()

        # Regenerate: a second branch from the same server
        with qtbot.waitSignal(page.session.generating_changed, timeout=10000, check_params_cb=lambda b: b is False):
            page.view.action.emit(stopped.id, "regenerate", "")
        again = page.model.messages()[-1]
        assert again.text == REPLY and (again.sibling_index, again.sibling_count) == (1, 2)
        assert again.stats.get("model", "").startswith("fault-model")

        # export
        md = page.export_conversation(page.session.cid, "md", str(tmp_path / "remote.md"))
        assert REPLY in open(md, encoding="utf-8").read()
        data = json.load(open(page.export_conversation(page.session.cid, "json", str(tmp_path / "r.json")),
                              encoding="utf-8"))
        assert sum(1 for m in data["messages"] if m["content"] == REPLY) >= 2

        # a stream cut in the middle: what arrived is kept, marked interrupted, and said
        fault.faults = Faults(cut_after=5)
        send(qtbot, page, "Once more.")
        cut = page.model.messages()[-1]
        assert cut.state == "interrupted" and cut.text == "word0 word1 word2 word3 word4 "
        assert page.banner.isVisible() and "kept" in page.banner.text()
        fault.faults = Faults()

        # a server that now wants a key: said in words, nothing lost
        fault.api_key = "sesame"
        send(qtbot, page, "Are you there?")
        assert page.model.messages()[-1].state == "error" and "API key" in page.banner.text()
        assert page.model.messages()[-2].text == "Are you there?"

        # every request the server saw is in the network log (same method and path, nothing else)
        time.sleep(0.2)
        seen = sorted((r["method"], r["path"]) for r in fault.requests)
        logged = sorted((r.method, r.path) for r in policy.network_log().entries()
                        if r.direction == "out" and r.host == "127.0.0.1")
        assert logged == seen and len(seen) > 10
        win.close()
