"""Fault injection through the real window: the engine process is killed with SIGSEGV, SIGABRT and SIGKILL while
it loads a model, while it reads a long prompt and while it writes a reply, at random moments, five times for each
signal and phase. After every crash: the window kept answering (a 5 ms timer never waited long), every message
the user sent is in the database, the reply keeps every piece of text the window received and is marked
interrupted, the engine comes back on its own (or, after a crash while loading, on the next Load), and the next
message gets a reply. At the end the database passes integrity_check.

A real abort inside llama.cpp: ``HEARTH_ENGINE_FAULT`` makes the engine process call ggml_abort (what every
GGML_ASSERT calls) from llama.cpp's own library: the window shows its message, and after three such crashes in a
row stops restarting the engine and says so. A crash while reading the prompt offers a retry with safe
settings; once a reply works with them, they are used for that model from then on."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import time

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from tests.e2e.test_chat import load, send

ROUNDS = 5
SIGNALS = (signal.SIGSEGV, signal.SIGABRT, signal.SIGKILL)
LONG_PROMPT = "Summarize this text. " + " ".join(f"word{i} is here" for i in range(200))  # ~1,150 tokens


class GapProbe:
    """A 5 ms timer on the GUI thread: the longest time it waited is how long the window was unresponsive."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.worst = 0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last)
        self.last = now


@pytest.fixture
def chat(installed_starter, main_window, qtbot):
    page = main_window.chat_page
    main_window.ctx.settings.n_threads = 1  # a steady prefill on a busy 2-core machine
    main_window.ctx.settings.n_ctx = 2048
    load(qtbot, page)
    page.panel.seed.setValue(7)
    return page


def engine_pid(page, qtbot) -> int:
    qtbot.waitUntil(lambda: page.engine.worker.engine.alive, timeout=30000)
    return page.engine.worker.engine.pid


def last_reply(page):
    return [m for m in page.model.messages() if m.role == "assistant"][-1]


def reply_works(qtbot, page, sent: list[str]) -> None:
    page.panel.max_tokens.setValue(6)
    text = f"Say yes. ({len(sent)})"
    sent.append(text)
    send(qtbot, page, text)
    m = last_reply(page)
    assert m.state == "done" and m.text.strip(), (m.state, m.text, m.stats)


def crash_while_loading(qtbot, page, sig, sent) -> None:
    page.engine.unload()
    qtbot.waitUntil(lambda: page.engine.info is None, timeout=10000)
    page.load_selected()
    pid = engine_pid(page, qtbot)
    qtbot.wait(random.randint(0, 250))  # the event loop runs meanwhile: the window is measured, not the test
    os.kill(pid, sig)
    # either the load was interrupted (load_failed) or it had just finished and the crash is noticed (restart)
    qtbot.waitUntil(lambda: not page.engine.loading_path, timeout=60000)
    if page.engine.info is None:
        assert "The engine stopped" in page.banner.text() or page.engine.loading_path
        state = (f"banner={page.banner.text()!r} loading={page.engine.loading_path!r} "
                 f"load_button={page.load_button.isEnabled()} crashes={page.engine.worker.crashes} "
                 f"alive={page.engine.worker.engine.alive} busy={page.engine.busy}")
        try:
            load(qtbot, page)
        except Exception as exc:
            raise AssertionError(f"the engine did not come back: {state}") from exc
    reply_works(qtbot, page, sent)


def crash_while_streaming(qtbot, page, sig, sent, long_prompt: bool) -> None:
    page.session.new_chat()
    page.panel.max_tokens.setValue(400)
    got: list[str] = []

    def received(_gen: int, text: str) -> None:
        got.append(text)

    page.engine.delta.connect(received)
    text = LONG_PROMPT if long_prompt else f"Tell me a long story about dragons. ({len(sent)})"
    sent.append(text)
    page.input.setPlainText(text)
    try:
        with qtbot.waitSignal(page.engine.loaded, timeout=60000):  # the restarted engine
            with qtbot.waitSignal(page.session.generating_changed, timeout=60000, check_params_cb=lambda b: not b):
                qtbot.mouseClick(page.send_button, Qt.LeftButton)
                pid = engine_pid(page, qtbot)
                if long_prompt:
                    qtbot.wait(random.randint(50, 500))  # reading the ~1,150-token prompt takes a second or more
                else:
                    qtbot.waitUntil(lambda: bool(got), timeout=30000)
                    qtbot.wait(random.randint(0, 400))
                os.kill(pid, sig)
    finally:
        page.engine.delta.disconnect(received)
    m = last_reply(page)
    assert m.state == "interrupted" and m.stats.get("stop_reason") == "interrupted", (m.state, m.stats)
    assert m.text == "".join(got)  # every piece the window received is kept
    if not long_prompt:
        assert m.text.strip()
    assert signal.Signals(sig).name in page.banner.text()
    if long_prompt:
        page.session.new_chat()  # not the long prompt again: the next message is what is tested, quickly
    reply_works(qtbot, page, sent)


def test_random_crashes_in_every_phase_lose_nothing_sent(chat, qtbot, ctx):
    random.seed(20261201)
    probe = GapProbe()
    sent: list[str] = []
    t0 = time.monotonic()
    crashes = 0
    for _ in range(ROUNDS):
        for sig in SIGNALS:
            crash_while_streaming(qtbot, chat, sig, sent, long_prompt=False)
            crash_while_streaming(qtbot, chat, sig, sent, long_prompt=True)
            crash_while_loading(qtbot, chat, sig, sent)
            crashes += 3
    probe.timer.stop()
    assert crashes == 45 and time.monotonic() - t0 < 600
    assert probe.worst < 300, f"the window did not answer for {probe.worst} ms"
    db = sqlite3.connect(ctx.paths.chats_db)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in db.execute("SELECT content FROM messages WHERE role = 'user'")}
        interrupted = db.execute("SELECT COUNT(*) FROM messages WHERE state = 'interrupted'").fetchone()[0]
    finally:
        db.close()
    assert set(sent) <= stored  # nothing the user sent is lost
    assert interrupted >= 2 * ROUNDS * len(SIGNALS)


def test_a_real_llama_cpp_abort_three_times_stops_the_restarts(installed_starter, main_window, qtbot,
                                                               monkeypatch):
    page = main_window.chat_page
    load(qtbot, page)
    monkeypatch.setenv("HEARTH_ENGINE_FAULT", "stream:ggml_abort")
    page.engine.unload()
    load(qtbot, page)
    page.panel.max_tokens.setValue(40)
    for n in range(1, 4):
        with qtbot.waitSignal(page.engine.crashed, timeout=60000) as crashed:
            page.input.setPlainText(f"Hello {n}")
            qtbot.mouseClick(page.send_button, Qt.LeftButton)
        assert "GGML_ASSERT(hearth test hook) failed" in crashed.args[0] and "SIGABRT" in crashed.args[0]
        qtbot.waitUntil(lambda: not page.session.generating, timeout=30000)
        m = last_reply(page)
        assert m.state == "interrupted" and m.text.strip()
        assert "GGML_ASSERT" in page.banner.text()
        if n < 3:
            qtbot.waitUntil(lambda: page.engine.info is not None, timeout=30000)  # restarted on its own
    qtbot.waitUntil(lambda: "stopped restarting" in page.banner.text(), timeout=30000)
    qtbot.wait(300)
    assert page.engine.info is None and not page.engine.worker.engine.alive  # no fourth restart
    monkeypatch.delenv("HEARTH_ENGINE_FAULT")
    page.panel.max_tokens.setValue(4)
    send(qtbot, page, "Hi")  # the user sends again: Send loads the model, and the engine is back
    assert last_reply(page).state == "done" and page.engine.info is not None


def test_a_crash_while_reading_the_prompt_offers_safe_settings_and_remembers_them(installed_starter, main_window,
                                                                                  qtbot, monkeypatch, ctx):
    page = main_window.chat_page
    monkeypatch.setenv("HEARTH_ENGINE_FAULT", "prefill:ggml_abort:unless-safe")
    load(qtbot, page)
    page.panel.max_tokens.setValue(6)
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):  # crashed, then restarted as it was
        page.input.setPlainText("Hello")
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    assert page.retry_safe_button.isVisible() and "CPU only" in page.retry_safe_button.toolTip()
    with qtbot.waitSignal(page.engine.loaded, timeout=60000) as loaded:
        qtbot.mouseClick(page.retry_safe_button, Qt.LeftButton)
    assert loaded.args[0].n_ctx == 2048 and page.engine.worker.engine.options.safe_cpu
    send(qtbot, page, "Hello again")
    assert last_reply(page).state == "done"
    saved = json.loads((ctx.paths.data_dir / "engine_safe_settings.json").read_text())
    assert [v["safe_cpu"] for v in saved.values()] == [True]
    # the next load of that model uses them at once, and says so
    page.engine.unload()
    with qtbot.waitSignal(page.engine.notice, timeout=60000) as notice:
        load(qtbot, page)
    assert "safe settings" in notice.args[0] and page.engine.worker.engine.options.safe_cpu
    send(qtbot, page, "And again")
    assert last_reply(page).state == "done"


def test_a_crash_while_idle_is_noticed_and_the_engine_restarts(chat, qtbot):
    """The OOM killer may pick the engine while the user reads: the window notices at once, not at the next Send."""
    pid = engine_pid(chat, qtbot)
    with qtbot.waitSignal(chat.engine.loaded, timeout=60000):
        with qtbot.waitSignal(chat.engine.crashed, timeout=30000) as crashed:
            os.kill(pid, signal.SIGKILL)
    assert "while waiting for a message" in crashed.args[0] and "SIGKILL" in crashed.args[0]
    assert engine_pid(chat, qtbot) != pid
    assert "restarted" in chat.banner.text()
    reply_works(qtbot, chat, [])
