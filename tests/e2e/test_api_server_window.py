"""The API server inside the window (issue 14), with the real engine process and SmolLM2 and the real ``openai``
client: turned on from the Network page (off by default), it serves the model the chat loaded; chat turns and
API requests take turns at the one engine and the chat's next turn still reuses its KV prefix; the window says
when an API request holds the engine; Offline mode does not block serving on loopback; a crash during an API
request is a 500, the window restarts the engine, and the next request works."""
from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest

openai = pytest.importorskip("openai")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_thread(fn):
    box = {}

    def run():
        try:
            box["value"] = fn()
        except Exception as exc:  # handed to the test's own thread
            box["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    return t, box


def test_the_window_serves_its_model_and_shares_the_engine(installed_starter, ctx, qtbot):
    from app.ui.main_window import MainWindow

    port = free_port()
    ctx.settings.n_threads = 1
    ctx.settings.extra["api_server"] = {"port": port}
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    section = win.network_page.server_section
    assert not section.enabled.isChecked() and not win.server.running  # off by default
    page = win.chat_page
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):
        page.load_selected()
    section.enabled.setChecked(True)
    assert win.server.running and section.address.text() == f"http://127.0.0.1:{port}/v1"
    win.ctx.offline.set(True)  # Offline mode blocks Hearth's own connections, not apps on this computer
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0, timeout=120)
    model = client.models.list().data[0].id
    assert model == installed_starter.name[:-5]

    # a chat turn, then an API request, then the chat's next turn: its prefix is still cached
    page.panel.max_tokens.setValue(8)
    page.input.setPlainText("Name a river.")
    with qtbot.waitSignal(page.session.generating_changed, timeout=60000, check_params_cb=lambda b: not b):
        page.send()
    holders = []
    win.server.engine_holder.connect(holders.append)
    t, box = in_thread(lambda: client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Count to twenty."}], max_tokens=48, temperature=0))
    qtbot.waitUntil(lambda: "answering 127.0.0.1" in win.api_status.text(), timeout=20000)
    t.join(60)
    assert box["value"].choices[0].message.content and any(h.startswith("api 127.0.0.1") for h in holders)
    qtbot.waitUntil(lambda: "answering" not in win.api_status.text(), timeout=5000)
    page.input.setPlainText("And a lake?")
    with qtbot.waitSignal(page.session.generating_changed, timeout=60000, check_params_cb=lambda b: not b):
        page.send()
    stats = page.model.messages()[-1].stats
    assert page.model.messages()[-1].state == "done" and stats["cached_tokens"] > 10, stats

    # the engine killed during an API request: a 500 for that client, the window brings the engine back
    pid = page.engine.worker.engine.pid

    def kill_when_busy():
        deadline = time.monotonic() + 20
        while not page.engine.gate.state().holder.startswith("api") and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    t, box = in_thread(lambda: client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Tell a long story. " * 80}], max_tokens=400))
    qtbot.waitUntil(lambda: not t.is_alive(), timeout=60000)
    killer.join()
    assert isinstance(box.get("error"), openai.InternalServerError)
    # back: a new engine process with the model loaded (not merely the old one gone: its pid is None meanwhile)
    qtbot.waitUntil(lambda: page.engine.worker.engine.loaded and page.engine.worker.engine.pid not in (None, pid),
                    timeout=30000)
    t, box = in_thread(lambda: client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Say hi."}], max_tokens=6))
    qtbot.waitUntil(lambda: not t.is_alive(), timeout=60000)
    assert "value" in box, box.get("error")
    assert box["value"].choices[0].message.content
    rows = [r for r in win.network_page.model.rows if r.direction == "in"]
    assert {r.status for r in rows} >= {200, 500} and all(r.host == "127.0.0.1" for r in rows)
    section.enabled.setChecked(False)
    assert not win.server.running
    win.close()
