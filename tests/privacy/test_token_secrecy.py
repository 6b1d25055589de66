"""The Hugging Face token lives in the OS keyring and nowhere else: after a session that really uses it (entered
in the app, a gated search/repository/remote-fit/download, the network log page, a chat export, a crash dialog, the
command line with ``--token-stdin``) no file Hearth wrote -- settings, logs at DEBUG, network log, queue, library,
chats database and its WAL, window geometry, exports -- nor the crash dialog text, the in-memory log tail or the
command's output holds it."""
from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from tests.hub.fixtures import *  # noqa: F401,F403

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "hf_test_token_123"  # the gated test repository's token (tests/hub/fixtures.py)
NEEDLES = (TOKEN.encode(), base64.b64encode(TOKEN.encode()), TOKEN.encode("utf-16-le"))


def leaks_in(paths) -> list[str]:
    out = []
    for p in paths:
        if p.is_file():
            data = p.read_bytes()
            out += [f"{p} ({n[:6]!r}...)" for n in NEEDLES if n in data]
    return out


def files_under(*roots: Path) -> list[Path]:
    return [p for r in roots for p in r.rglob("*") if p.is_file()]


def test_token_used_everywhere_is_written_nowhere(hub, hearth_home, memory_keyring, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from app import logs
    from app.core.library import other_apps as model_stores
    from app.core import net
    from app.settings import Settings
    from app.ui import application
    from app.ui.main_window import MainWindow
    from app.ui.library import library_jobs

    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    Settings(hub_endpoint=hub.url).save(hearth_home / "config" / "settings.json")
    ctx = application.make_context()
    logs.setup_logging(ctx.paths.log_file, level=logging.DEBUG)
    try:
        application.create_app()
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        models = win.models_page
        models.controller.retry_base_delay = 0.05
        # the user pastes the token into the app
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (TOKEN, True))
        assert models.ask_token("test")
        assert memory_keyring.store[("Hearth", "huggingface-token")] == TOKEN
        assert "keyring" in models.discover.banner.text()
        # a gated repository: search, details, remote fit (Range reads), download -- each request carries it
        win.show_page(1)
        models.discover.query.setText("Gated")
        qtbot.mouseClick(models.discover.search_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: not models.net.busy and bool(models.discover.repos.rows), timeout=10000)
        models.discover.open_repo("secret/Gated-GGUF")
        view = models.discover.repo_view
        qtbot.waitUntil(lambda: view.details is not None and bool(view.quants.rows)
                        and bool(view.quants.rows[0].verdict), timeout=20000)
        item = models.controller.add("secret/Gated-GGUF", "gated-Q4_0.gguf")
        qtbot.waitUntil(lambda: item.state == "done", timeout=20000)
        gated = [(m, p, s) for m, p, s in hub.requests if "Gated" in p]
        assert {(m, s) for m, p, s in gated if p.endswith("gated-Q4_0.gguf")} == {("GET", 206), ("HEAD", 200),
                                                                               ("GET", 200)}
        assert not any(s in (401, 403) for m, p, s in gated), "every gated request carried the token"
        win.show_page(3)
        assert win.network_page.model.rowCount() >= 4
        # a chat export
        page = win.chat_page
        conv = page.store.create_conversation("about my token")
        page.store.add_message(conv.id, None, "user", "hello")
        exports = tmp_path / "exports"
        exports.mkdir()
        page.export_conversation(conv.id, "json", str(exports / "c.json"))
        page.export_conversation(conv.id, "md", str(exports / "c.md"))
        # a crash: the dialog's text (traceback + recent log lines) is what a user would paste into a report
        crash_texts: list[str] = []

        def capture(self):
            crash_texts.append("\n".join((self.text(), self.informativeText(), self.detailedText())))
            return QMessageBox.Ok

        monkeypatch.setattr(QMessageBox, "exec", capture)
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
        application.install_excepthook()
        try:
            raise RuntimeError("something broke after a gated download")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        assert crash_texts and "something broke" in crash_texts[0] and "recent log" in crash_texts[0]
        win.close()
        tail = logs.tail.text()
    finally:
        logs.setup_logging(None)
        net.set_offline(False)
    assert "gated-Q4_0.gguf" in tail  # the tail really covers the session
    log_text = ctx.paths.log_file.read_text(encoding="utf-8")
    assert "DEBUG" in log_text or "INFO" in log_text
    written = files_under(hearth_home, exports)
    names = {p.name for p in written}
    assert {"settings.json", "hearth.log", "network_log.jsonl", "chats.sqlite3", "window.ini", "c.json",
            "c.md"} <= names, names
    assert not (hearth_home / "config" / "hub-token").exists(), "a usable keyring means no fallback file"
    assert leaks_in(written) == []
    for text in [*crash_texts, tail]:
        assert TOKEN not in text


def test_command_line_token_goes_to_the_keyring_only(hub, hearth_home, tmp_path):
    """``hearth download --token-stdin`` stores the token in the keyring (here a test backend living in that
    process) and uses it; nothing it writes or prints holds the token."""
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), HF_ENDPOINT=hub.url,
               PYTHON_KEYRING_BACKEND="tests.hub.fixtures.MemoryKeyring", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "download", "--token-stdin", "--quiet",
                        "secret/Gated-GGUF", "gated-Q4_0.gguf"], input=TOKEN + "\n", capture_output=True,
                       text=True, env=env, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "system keyring (MemoryKeyring)" in r.stderr
    assert Path(r.stdout.strip()).is_file()
    assert TOKEN not in r.stdout + r.stderr
    assert not (hearth_home / "config" / "hub-token").exists()
    assert (hearth_home / "data" / "network_log.jsonl").exists()
    assert leaks_in(files_under(hearth_home)) == []


def test_without_a_keyring_the_fallback_file_is_private_and_the_only_copy(hub, hearth_home):
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), HF_ENDPOINT=hub.url,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "download", "--token-stdin", "--quiet",
                        "secret/Gated-GGUF", "gated-Q4_0.gguf"], input=TOKEN + "\n", capture_output=True,
                       text=True, env=env, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    fallback = hearth_home / "config" / "hub-token"
    assert str(fallback) in r.stderr and "readable only by your user" in r.stderr
    assert fallback.stat().st_mode & 0o777 == 0o600
    assert leaks_in(files_under(hearth_home)) == [f"{fallback} ({TOKEN.encode()[:6]!r}...)"]
