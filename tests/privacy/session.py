"""A whole Hearth session driven as a user would, shared by the audit-hook test (in-process, pytest-qt) and the
strace driver (a separate process): start the real main window, load the starter model, chat, render hostile
Markdown, visit every page and tab, open About, close.

Also the audit hook that watches the Python side of the network: every socket creation, connect, bind, send,
name lookup, ``http.client`` connection, ``urllib`` request, browser launch and subprocess.
"""
from __future__ import annotations

import json
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

# ---- the audit hook -----------------------------------------------------------------------------------------------
NET_EVENTS = {
    "socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.getnameinfo",
    "http.client.connect", "http.client.send", "urllib.Request", "webbrowser.open", "ftplib.connect",
    "smtplib.connect", "telnetlib.Telnet.open", "socket.sethostname",
}
PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"}
INET = (socket.AF_INET, socket.AF_INET6)


def _family(args) -> int | None:
    for a in args:
        if isinstance(a, socket.socket):
            try:
                return a.family
            except OSError:
                return None
    return None


class NetAudit:
    """One process-wide audit hook (hooks cannot be removed), recording only inside ``record()``."""

    _installed: "NetAudit | None" = None

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] | None = None
        self._lock = threading.Lock()

    @classmethod
    def get(cls) -> "NetAudit":
        if cls._installed is None:
            cls._installed = cls()
            sys.addaudithook(cls._installed._hook)
        return cls._installed

    def _hook(self, event: str, args) -> None:
        events = self.events
        if events is None or (event not in NET_EVENTS and event not in PROCESS_EVENTS):
            return
        if event == "socket.__new__":
            family = args[1] if len(args) > 1 else None
            if family not in INET:
                return  # AF_UNIX (local IPC), AF_NETLINK (interface lists): not the network
        elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            fam = _family(args)
            if fam is not None and fam not in INET:
                return
        try:
            detail = repr(args[1:] if event.startswith("socket.") and args and isinstance(args[0], socket.socket)
                          else args)[:300]
        except Exception:
            detail = "?"
        with self._lock:
            events.append((event, detail))

    @contextmanager
    def record(self):
        """Collect (event, detail) pairs seen inside the block; yields the list."""
        got: list[tuple[str, str]] = []
        self.events = got
        try:
            yield got
        finally:
            self.events = None


def network_events(events) -> list[tuple[str, str]]:
    return [e for e in events if e[0] in NET_EVENTS]


def process_events(events) -> list[tuple[str, str]]:
    return [e for e in events if e[0] in PROCESS_EVENTS]


# ---- a canary: anything that connects to 127.0.0.1:<port> is counted -------------------------------------------------
class Canary:
    """A TCP listener on 127.0.0.1 whose address the hostile Markdown points at: a connection is proof of a leak
    even from C++ code that audit hooks do not see."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = False
        self._t = threading.Thread(target=self._loop, name="canary", daemon=True)
        self._t.start()

    def _loop(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._t.join(2)
        self.sock.close()


def hostile_markdown(port: int) -> str:
    u = f"http://127.0.0.1:{port}"
    return (
        "# Hostile content\n\n"
        f"![pixel]({u}/pixel.png) ![dns](https://tracker.example.com/p.gif) ![data](data:image/png;base64,iVBORw0KGgo=)\n\n"
        f"<img src=\"{u}/img.png\"> <img src=x onerror=\"fetch('{u}/onerror')\">\n\n"
        f"<script src=\"{u}/x.js\"></script><script>fetch('{u}/inline')</script>\n\n"
        f"<link rel=\"stylesheet\" href=\"{u}/s.css\"><link rel=\"prefetch\" href=\"https://tracker.example.com/\">\n\n"
        f"<iframe src=\"{u}/frame\"></iframe> <video src=\"{u}/v.mp4\" autoplay></video> "
        f"<audio src=\"{u}/a.mp3\" autoplay></audio> <object data=\"{u}/o\"></object>\n\n"
        f"<div style=\"background:url({u}/bg.png)\">styled</div>\n\n"
        f"<style>@import url({u}/i.css); @font-face {{ font-family: x; src: url({u}/f.woff) }}</style>\n\n"
        f"<meta http-equiv=\"refresh\" content=\"0;url={u}/refresh\">\n\n"
        "[js](javascript:alert(1)) [file](file:///etc/passwd) [data](data:text/html,<script>alert(1)</script>) "
        f"[plain link]({u}/page) <{u}/autolink>\n\n"
        f"![reference image][r]\n\n[r]: {u}/ref.png\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```html\n<img src=\"" + u + "/in-code.png\">\n```\n"
    )


def hostile_export(port: int) -> dict:
    """A conversation file (the JSON "Export" format) whose messages carry the hostile Markdown."""
    from app.core.chats import EXPORT_FORMAT, EXPORT_VERSION

    now = time.time()
    text = hostile_markdown(port)
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": now,
            "conversation": {"title": "Hostile markdown", "created_at": now, "updated_at": now, "settings": {},
                             "current_leaf": 2},
            "messages": [
                {"id": 1, "parent_id": None, "role": "user", "content": text, "state": "done", "stats": {},
                 "created_at": now, "updated_at": now},
                {"id": 2, "parent_id": 1, "role": "assistant", "content": text + "\n<think>" + text + "</think>",
                 "state": "done", "stats": {}, "created_at": now, "updated_at": now}]}


# ---- the session -------------------------------------------------------------------------------------------------
Wait = Callable[[Callable[[], bool], int], None]


def processing_wait(app) -> Wait:
    """``wait_until`` for a plain process (no pytest-qt): spin the event loop until ``cond`` or fail."""

    def wait_until(cond: Callable[[], bool], timeout_ms: int) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            app.processEvents()
            time.sleep(0.005)

    return wait_until


def run_session(win, wait_until: Wait, work_dir: Path, port: int, log: Callable[[str], None] = lambda s: None) -> dict:
    """Drive ``win`` (a shown MainWindow with the starter model installed) through a whole session. Returns facts
    for the caller's assertions; raises on anything unexpected."""
    from PySide6.QtWidgets import QMessageBox

    page = win.chat_page
    facts: dict = {}
    win.ctx.settings.n_threads = 1  # one llama.cpp thread: steady on a busy 2-core machine
    # 1. load the model and chat
    assert page.model_combo.count() >= 1, "the starter model must be installed"
    page.load_selected()
    wait_until(lambda: page.engine.info is not None or page.banner.isVisible() and not page.engine.loading_path,
               90000)
    assert page.engine.info is not None, page.banner.text()
    log("model loaded")
    page.panel.max_tokens.setValue(12)
    page.panel.seed.setValue(7)
    page.input.setPlainText("Write a markdown image of a cat with a URL, and a link.")
    page.send()
    wait_until(lambda: not page.session.generating, 90000)
    facts["reply"] = page.model.messages()[-1].text
    log("chatted")
    # 2. hostile Markdown: imported as a conversation, opened, painted, searched, exported
    src = work_dir / "hostile.json"
    src.write_text(json.dumps(hostile_export(port)), encoding="utf-8")
    page.import_conversation(str(src))
    assert page.session.cid is not None and "Imported" in page.status.text(), page.banner.text()
    win.resize(1180, 780)
    page.view.grab()  # paints every visible message through the real delegate
    r = page.view.painter_.render_for(page.model.message(page.model.rowCount() - 1), 700)
    html = "".join(p.doc.toHtml() for p in r.parts)
    facts["html_has_img"] = "<img" in html.lower()
    facts["html_has_script"] = "<script" in html.lower()
    facts["html_has_javascript_href"] = "href=\"javascript" in html.lower()
    page.view.activate(page.model.rowCount() - 1, "toggle-thoughts:")
    page.view.grab()
    page.sidebar.search.setText("Hostile")
    wait_until(lambda: page.sidebar.hits.count() > 0, 10000)
    page.sidebar.search.clear()
    cid = page.session.cid
    page.export_conversation(cid, "md", str(work_dir / "hostile.md"))
    page.export_conversation(cid, "json", str(work_dir / "hostile-export.json"))
    # a link click asks first; answering No opens nothing
    asked: list[str] = []
    real_question = QMessageBox.question
    QMessageBox.question = staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    try:
        page._on_action(page.model.message(page.model.rowCount() - 1).id, "open-link",
                        f"http://127.0.0.1:{port}/page")
    finally:
        QMessageBox.question = real_question
    facts["asked_before_opening"] = bool(asked)
    log("hostile markdown rendered")
    # 3. every page and tab
    for i in range(len(win.pages)):
        win.show_page(i)
        win.stack.currentWidget().grab()
    models = win.models_page
    for t in range(models.tabs.count()):
        models.tabs.setCurrentIndex(t)
        models.tabs.currentWidget().grab()
    wait_until(lambda: not models.disk.busy, 30000)
    hw = win.hardware_page
    wait_until(lambda: hw.fits.rowCount() >= 1, 60000)
    win.show_page(3)
    facts["network_rows"] = win.network_page.model.rowCount()
    from app.ui.common import about

    shown: list[str] = []
    real_exec, real_show = about.AboutDialog.exec, about.AboutDialog.show
    about.AboutDialog.exec = lambda self: shown.append(self.plain_text()) or 0
    about.AboutDialog.show = lambda self: shown.append(self.plain_text())
    try:
        win.show_about()
    finally:
        about.AboutDialog.exec, about.AboutDialog.show = real_exec, real_show
    facts["about_shown"] = bool(shown)
    win.show_page(0)
    log("pages visited")
    # 4. unload and close
    page.engine.unload()
    wait_until(lambda: page.engine.info is None, 30000)
    win.close()
    log("closed")
    return facts
