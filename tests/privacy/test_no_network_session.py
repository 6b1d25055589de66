"""Nothing leaves the machine: a Python audit hook (``sys.addaudithook``) watches every socket, name lookup,
HTTP connection, URL request, browser launch and subprocess while a whole session runs with the real main window,
the real llama.cpp and the starter model, hostile Markdown included. With Offline mode on, the Models page, remote
fit and the ``hearth download`` / ``hearth fit hf://`` commands refuse without connecting.

Audit hooks do not see sockets opened from C++ (Qt, llama.cpp, hf_xet): ``test_os_level_strace.py`` runs the same
session under strace for that, and a canary listener on 127.0.0.1 that the hostile Markdown points at would
count any connection whoever made it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.hub.fixtures import *  # noqa: F401,F403
from tests.privacy.session import Canary, NetAudit, network_events, process_events, run_session

ROOT = Path(__file__).resolve().parents[2]


def test_whole_session_makes_no_connection(installed_starter, hearth_home, qtbot, tmp_path):
    from app.ui.application import create_app, make_context
    from app.ui.common.theme import apply_theme
    from app.ui.main_window import MainWindow

    audit = NetAudit.get()
    canary = Canary()
    try:
        with audit.record() as events:
            ctx = make_context()
            app = create_app()
            apply_theme(app, ctx.settings.theme)
            win = MainWindow(ctx)
            qtbot.addWidget(win)
            win.show()
            qtbot.waitExposed(win)
            facts = run_session(win, lambda cond, t: qtbot.waitUntil(cond, timeout=t), tmp_path, canary.port)
        assert not win.isVisible()
    finally:
        canary.close()
    assert network_events(events) == []
    launched = process_events(events)
    # the one process Hearth starts is its own engine (llama.cpp in a child process); the audit hook does not
    # reach into it, so test_os_level_strace.py follows it (strace -f) and finds no connection there either
    engine = [e for e in launched if "'-m', 'app', '--engine-host']" in e[1]]
    assert engine, "the reply came from the engine process"
    # the Hardware page asks which llama.cpp build is installed in a short-lived child of Hearth itself, once per
    # process (earlier tests in the same run may have asked already, so it may or may not be here)
    check = [e for e in launched if "'-m', 'app', '--backend-info']" in e[1]]
    assert len(check) <= 1
    assert [e for e in launched if e not in engine + check] == [], "nothing else is launched (no browser, no tools)"
    assert canary.hits == 0
    # the hostile Markdown really went through the renderer, defused
    assert not facts["html_has_img"] and not facts["html_has_script"] and not facts["html_has_javascript_href"]
    assert facts["asked_before_opening"] and facts["reply"] and facts["about_shown"]
    assert facts["network_rows"] == 0
    assert not (hearth_home / "data" / "network_log.jsonl").exists()


def test_the_audit_hook_sees_a_real_connection(hub):
    """The watcher is not blind: the same hook records a connection to the loopback Hub."""
    import urllib.request

    with NetAudit.get().record() as events:
        urllib.request.urlopen(hub.url + "/api/models?search=acme", timeout=5).read()
    kinds = {e for e, _ in network_events(events)}
    assert {"socket.connect", "urllib.Request", "http.client.connect"} <= kinds


# ---- Offline mode ------------------------------------------------------------------------------------------------
def _search(qtbot, models, text):
    models.discover.query.clear()
    qtbot.keyClicks(models.discover.query, text)
    qtbot.mouseClick(models.discover.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not models.net.busy, timeout=10000)


def test_offline_mode_models_page_and_downloads_make_no_connection(hub, hearth_home, memory_keyring, qtbot,
                                                                   monkeypatch):
    from app.core.library import other_apps as model_stores
    from app.core import net
    from app.settings import Settings
    from app.ui.application import create_app, make_context
    from app.ui.main_window import MainWindow
    from app.ui.library import library_jobs

    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    Settings(offline_mode=True, hub_endpoint=hub.url).save(hearth_home / "config" / "settings.json")
    hub.reset_counters()
    try:
        with NetAudit.get().record() as events:
            create_app()
            win = MainWindow(make_context())
            qtbot.addWidget(win)
            win.show()
            assert win.offline_switch.isChecked() and net.is_offline()
            models = win.models_page
            win.show_page(1)
            _search(qtbot, models, "acme")
            assert "Offline mode is on" in models.discover.banner.text()
            models.discover.open_repo("acme/Tiny-Chat-GGUF")
            assert "Offline mode" in models.discover.repo_view.meta.text()
            item = models.controller.add("acme/Tiny-Chat-GGUF", "tiny-chat-Q2_K.gguf")
            qtbot.waitUntil(lambda: item.state == "failed", timeout=10000)
            assert "Offline mode is on" in item.error
            from app.core.gguf.remote import HubFile, RemoteError, read_remote_model

            with pytest.raises(RemoteError, match="Offline mode is on"):
                read_remote_model(HubFile("acme/Tiny-Chat-GGUF", "tiny-chat-Q2_K.gguf"))
            win.show_page(3)
            assert "Offline mode is on" in win.network_page.explain.text()
            win.close()
    finally:
        net.set_offline(False)
    assert network_events(events) == []
    assert hub.requests == []


AUDITED_CLI = textwrap.dedent("""
    import json, socket, sys
    seen = []
    WATCH = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
             "http.client.connect", "urllib.Request", "socket.sendto", "socket.sendmsg"}
    def hook(event, args):
        if event in WATCH:
            seen.append([event, repr(args)[:200]])
        elif event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6):
            seen.append([event, repr(args[1:])])
    sys.addaudithook(hook)
    sys.path.insert(0, sys.argv[1])
    from app.cli import main
    try:
        code = main(sys.argv[2:])
    finally:
        sys.stdout.flush()
        print("AUDIT " + json.dumps(seen), file=sys.stderr)
    sys.exit(code)
""")


def audited_cli(hearth_home: Path, *args: str, env_extra: dict | None = None) -> tuple[int, str, list]:
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               **(env_extra or {}))
    env.pop("HF_ENDPOINT", None)
    r = subprocess.run([sys.executable, "-c", AUDITED_CLI, str(ROOT), *args], capture_output=True, text=True,
                       env=env, timeout=120, cwd=ROOT)
    lines = r.stderr.splitlines()
    audit = json.loads(next(l for l in lines if l.startswith("AUDIT "))[6:])
    return r.returncode, "\n".join(l for l in lines if not l.startswith("AUDIT ")), audit


def test_cli_offline_mode_refuses_without_connecting(hub, hearth_home):
    from app.settings import Settings

    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    Settings(offline_mode=True, hub_endpoint=hub.url).save(hearth_home / "config" / "settings.json")
    hub.reset_counters()
    code, err, audit = audited_cli(hearth_home, "download", "acme/Tiny-Chat-GGUF", "tiny-chat-Q2_K.gguf")
    assert code == 1 and "Offline mode is on" in err and "Traceback" not in err
    assert audit == []
    code, err, audit = audited_cli(hearth_home, "fit", "hf://acme/Tiny-Chat-GGUF/tiny-chat-Q2_K.gguf")
    assert code == 1 and "Offline mode is on" in err and err.count("\n") == 0 and "Traceback" not in err
    assert audit == []
    assert hub.requests == []


def test_cli_remote_fit_goes_through_the_network_log(hub, hearth_home):
    """``hearth fit hf://`` uses the app's network rules when online: the configured endpoint, the request log."""
    from app.settings import Settings

    (hearth_home / "config").mkdir(parents=True, exist_ok=True)
    Settings(hub_endpoint=hub.url).save(hearth_home / "config" / "settings.json")
    code, err, audit = audited_cli(hearth_home, "fit", "hf://acme/Tiny-Chat-GGUF/tiny-chat-Q2_K.gguf", "--json")
    assert code == 0, err
    assert audit, "online, the hook sees the connection to the loopback Hub"
    records = [json.loads(l) for l in (hearth_home / "data" / "network_log.jsonl").read_text().splitlines()]
    assert records and {r["host"] for r in records} == {"127.0.0.1"}
    assert {r["purpose"] for r in records} == {"header read"}
