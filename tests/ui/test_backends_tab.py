"""The Models page's Backends tab (issue 15) driven as a user would, against the fault server on 127.0.0.1
(tests/support/fault_backend.py): Add backend… checks a server and adds it (its models reach the Chat picker), a
wrong address is explained before anything is sent, a closed port says "connection refused", a key-protected
server asks for its key and then works (the key stays out of every file), Refresh picks up a changed model list,
Remove removes, and an internet address is asked about first (Cancel: no request, nothing saved).

No test reaches the internet: every server is the fault server or a closed port on 127.0.0.1, and the internet
address is only ever answered with Cancel, or checked with a stand-in for the probe."""
from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app.core import net
from app.core.net import policy
from app.core.remote import Backend, RemoteModel, model_key
from tests.hub.fixtures import memory_keyring  # noqa: F401 (a fixture: no test touches the real keyring)
from tests.support.fault_backend import FaultBackend, Faults

PUBLIC = "http://93.184.216.34:8080"  # example.com's old address: only ever refused, or answered by a stand-in


@pytest.fixture
def network(hearth_home):
    """Hearth's network layer online, with a fresh network log (to see what was sent)."""
    net.configure(offline=False, log_path=hearth_home / "data" / "network_log.jsonl")
    net.network_log().clear()
    yield net
    net.set_offline(False)


@pytest.fixture
def tab(qtbot, ctx, network, memory_keyring):  # noqa: F811
    from app.ui.application import create_app
    from app.ui.backends.backends_tab import BackendsTab
    from app.ui.common.tasks import TaskRunner
    from app.ui.common.theme import apply_theme

    apply_theme(create_app(), "light")
    runner = TaskRunner("test-backends", threads=2)
    t = BackendsTab(ctx.backends, runner)
    qtbot.addWidget(t)
    t.resize(1000, 600)
    t.show()
    yield t
    if t.dialog is not None:
        t.dialog.reject()
    runner.shutdown()


@pytest.fixture
def server():
    with FaultBackend(advertise_ctx=True) as fb:
        yield fb


def check(qtbot, tab, url: str, key: str = ""):
    """Add backend…, type the address (and key), press Check, wait for its answer; the open dialog."""
    d = tab.open_add_dialog()
    qtbot.waitExposed(d)
    d.address.clear()
    qtbot.keyClicks(d.address, url)
    if key:
        d.key.clear()
        qtbot.keyClicks(d.key, key)
    qtbot.mouseClick(d.check_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: d.check_button.isEnabled(), timeout=20000)
    return d


def add(qtbot, tab, url: str, key: str = "") -> None:
    d = check(qtbot, tab, url, key)
    assert d.add_button.isEnabled(), d.result.text()
    qtbot.mouseClick(d.add_button, Qt.LeftButton)
    assert tab.dialog is None or not tab.dialog.isVisible()


def row_text(tab, row: int = 0) -> list[str]:
    return [tab.model.index(row, c).data() for c in range(tab.model.columnCount())]


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_add_an_ollama_backend_and_its_model_reaches_the_chat_picker(qtbot, ctx, main_window, network,
                                                                     memory_keyring):  # noqa: F811
    """Proves the whole path in the real window: the tab is on the Models page, Check names the kind (Ollama)
    and lists the model with its context, Add puts a row in the table and the model in the Chat page's picker,
    and backends.json keeps it."""
    win = main_window
    page = win.models_page
    win.show_page(win.pages.index(page))
    page.tabs.setCurrentWidget(page.backends)
    tab = page.backends
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "Backends"
    assert tab.empty.isVisible() and "llama-server" in tab.empty.text() and "docs/remote.md" in tab.empty.text()
    with FaultBackend(ollama=True, model_id="llama3.2:3b", ctx=8192) as fb:
        d = check(qtbot, tab, fb.url)
        assert "Ollama" in d.result.text() and "llama3.2:3b" in d.result.text()
        assert "context 8,192 tokens" in d.result.text() and d.add_button.isEnabled()
        qtbot.mouseClick(d.add_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
        address, what, models, context, key, checked = row_text(tab)
        assert address == fb.url and what == "Ollama 0.9.0" and models == "1: llama3.2:3b"
        assert context == "8,192 tokens" and key == "none" and checked == "just now"
        assert not tab.empty.isVisible() and tab.table.isVisible() and "Added Ollama" in tab.status.text()
        combo = win.chat_page.model_combo
        assert combo.findData(model_key(fb.url, "llama3.2:3b")) >= 0
        assert [b.url for b in ctx.backends.all()] == [fb.url]
        assert "llama3.2:3b" in (ctx.paths.data_dir / "backends.json").read_text()


def test_a_wrong_address_is_explained_under_the_field_and_nothing_is_sent(qtbot, tab):
    """Proves normalize_url's reasons appear inline, before any request: no job starts, no host is allowed."""
    d = tab.open_add_dialog()
    for text, words in (("", "Enter the server's address"), ("ftp://192.168.1.20", "http:// or https://"),
                        ("http://me:pw@192.168.1.20:8080", "key field"), ("http://192.168.1.20:99999", "not a valid")):
        d.address.setText(text)
        qtbot.mouseClick(d.check_button, Qt.LeftButton)
        assert d.address_error.isVisible() and words in d.address_error.text(), (text, d.address_error.text())
        assert not tab.runner.busy and not d.add_button.isEnabled() and d.focusWidget() is d.address
    assert net.network_log().entries() == []
    qtbot.keyClicks(d.address, "x")  # typing again clears the reason
    assert not d.address_error.isVisible()


def test_a_closed_port_says_connection_refused_and_is_not_allowed_afterwards(qtbot, tab, ctx):
    """Proves a refused connection is said in words (no traceback), Add stays off, and a host that was only
    checked is not left on the network layer's allow-list once the dialog is closed."""
    port = closed_port()
    d = check(qtbot, tab, f"127.0.0.1:{port}")  # a bare host:port gets http://
    assert "connection refused" in d.result.text() and "Traceback" not in d.result.text()
    assert d.result.property("banner") == "error" and not d.add_button.isEnabled()
    assert policy.backend_host_allowed("127.0.0.1", port)  # allowed for the Check...
    d.reject()
    assert not policy.backend_host_allowed("127.0.0.1", port)  # ...and no longer
    assert ctx.backends.all() == [] and tab.model.rowCount() == 0


def test_a_key_protected_server_asks_for_the_key_then_works_and_the_key_stays_out_of_files(
        qtbot, tab, ctx, hearth_home, memory_keyring, monkeypatch):  # noqa: F811
    """Proves the 401 path: Check says the server asks for a key and puts the cursor in the key field; with the
    key it is found and added (the key column says so, the key is in the keyring and in no file under
    HEARTH_HOME); Set key… with an empty key removes it, and the Refresh that follows says the key is missing
    and offers Set key…; setting it again makes Refresh work."""
    key = "sk-test-key-4711"
    with FaultBackend(api_key=key) as fb:
        d = check(qtbot, tab, fb.url)
        assert "asks for an API key" in d.result.text() and "401" in d.result.text()
        assert d.focusWidget() is d.key and not d.add_button.isEnabled()
        qtbot.keyClicks(d.key, key)
        assert not d.result.isVisible()  # the old answer no longer holds
        qtbot.mouseClick(d.check_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: d.add_button.isEnabled(), timeout=20000)
        assert "fault-model" in d.result.text()
        assert fb.requests[-1]["headers"]["authorization"] == f"Bearer {key}"
        qtbot.mouseClick(d.add_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
        assert row_text(tab)[4] == "kept in the keyring" and ctx.backends.store.key(fb.url) == key
        assert ctx.backends.all()[0].has_key
        ctx.save_settings()
        for f in hearth_home.rglob("*"):
            if f.is_file():
                assert key.encode() not in f.read_bytes(), f
        assert any(key == v for v in memory_keyring.store.values())

        tab.select(fb.url)
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
        qtbot.mouseClick(tab.buttons["key"], Qt.LeftButton)  # Set key…, empty: removed, then checked again
        assert ctx.backends.store.key(fb.url) == "" and row_text(tab)[4] == "none"
        qtbot.waitUntil(lambda: tab.status.property("banner") == "error", timeout=20000)
        assert "asks for an API key" in tab.status.text() and "Set key" in tab.status.text()
        assert tab.focusWidget() is tab.buttons["key"]

        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (key, True)))
        qtbot.mouseClick(tab.buttons["key"], Qt.LeftButton)
        qtbot.waitUntil(lambda: not tab.runner.busy and "fault-model" in tab.status.text(), timeout=20000)
        assert tab.status.property("banner") == "info" and row_text(tab)[4] == "kept in the keyring"
        assert ctx.backends.store.key(fb.url) == key


def test_refresh_picks_up_a_changed_model_list_and_says_when_it_fails(qtbot, tab, ctx, server, qtmodeltester):
    """Proves Refresh asks the server again in the background and replaces the row (new model, new context),
    keeps the public flag, reports a failing server in words while keeping the last known row, and that the
    row's context menu offers the same actions as the buttons."""
    add(qtbot, tab, server.url)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert row_text(tab)[1:4] == ["vLLM", "1: fault-model", "8,192 tokens"]
    qtmodeltester.check(tab.model)
    before = ctx.backends.all()[0].checked_at

    server.model_id, server.ctx = "bigger-model", 32768
    tab.select(server.url)
    assert [label for label, _fn in tab.menu_actions(tab.selected())] == ["Refresh", "Set key…", "Remove…"]
    qtbot.mouseClick(tab.buttons["refresh"], Qt.LeftButton)
    assert tab.buttons["refresh"].isEnabled() == (not tab._refreshing)  # one check of a backend at a time
    qtbot.waitUntil(lambda: "bigger-model" in row_text(tab)[2], timeout=20000)
    assert row_text(tab)[3] == "32,768 tokens" and ctx.backends.all()[0].checked_at >= before
    assert "bigger-model" in tab.status.text() and tab.buttons["refresh"].isEnabled()
    assert tab.selected().url == server.url  # the selection survives the reload

    server.faults = Faults(status={"/v1/models": (500, None)})
    refresh = dict(tab.menu_actions(tab.selected()))["Refresh"]
    refresh()  # the context menu's Refresh
    qtbot.waitUntil(lambda: tab.status.property("banner") == "error", timeout=20000)
    assert "Could not refresh" in tab.status.text() and "500" in tab.status.text()
    assert "bigger-model" in row_text(tab)[2]  # the last known list stays


def test_remove_asks_and_removes_the_backend_and_its_host(qtbot, tab, ctx, server, monkeypatch):
    """Proves Remove asks first (No keeps it), then removes the row, the stored entry and the network layer's
    permission for its host, and the empty state comes back."""
    add(qtbot, tab, server.url)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    host, port = Backend(server.url).host, Backend(server.url).port
    assert policy.backend_host_allowed(host, port)
    tab.select(server.url)
    answers, asked = [QMessageBox.No, QMessageBox.Yes], []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda parent, title, text, *a: asked.append(text) or answers.pop(0)))
    qtbot.mouseClick(tab.buttons["remove"], Qt.LeftButton)
    assert tab.model.rowCount() == 1
    qtbot.mouseClick(tab.buttons["remove"], Qt.LeftButton)
    assert len(asked) == 2 and server.url in asked[0] and "not changed" in asked[0]
    assert tab.model.rowCount() == 0 and ctx.backends.all() == [] and tab.empty.isVisible()
    assert not policy.backend_host_allowed(host, port)
    assert server.url not in (ctx.paths.data_dir / "backends.json").read_text()
    assert not tab.buttons["remove"].isEnabled() and not tab.buttons["refresh"].isEnabled()


def test_an_internet_address_is_asked_about_first_and_cancel_sends_nothing(qtbot, tab, ctx, monkeypatch):
    """Proves the second confirmation: it names the host and says the conversation leaves this machine over
    the internet, Cancel is its default; answered with Cancel, no probe runs, the host is not allowed, the
    network log is empty and nothing is saved."""
    from app.ui.backends import add_backend_dialog

    probed = []
    monkeypatch.setattr(add_backend_dialog, "probe", lambda *a, **k: probed.append(a) or pytest.fail("probed"))
    boxes = []

    def exec_(box):  # the user presses Cancel (the default button)
        boxes.append((box.text(), [b.text() for b in box.buttons()], box.defaultButton().text()))
        box.defaultButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    d = tab.open_add_dialog()
    qtbot.keyClicks(d.address, PUBLIC)
    qtbot.mouseClick(d.check_button, Qt.LeftButton)
    ((text, buttons, default),) = boxes
    assert "93.184.216.34" in text and "leave this machine" in text and "internet" in text
    assert sorted(buttons) == ["Cancel", "Use this server"] and default == "Cancel"
    assert "Not checked" in d.result.text() and not d.add_button.isEnabled()
    assert probed == [] and not tab.runner.busy
    assert not policy.backend_host_allowed("93.184.216.34", 8080)
    assert net.network_log().entries() == [] and ctx.backends.all() == []


def test_a_confirmed_internet_address_is_saved_as_public(qtbot, tab, ctx, monkeypatch):
    """Proves that after "Use this server" the host is allowed before the check runs and the saved backend is
    marked public (and says so in the table). The probe is a stand-in: nothing connects to the internet."""
    from app.ui.backends import add_backend_dialog

    allowed_when_probed = []

    def fake_probe(url, key=""):
        allowed_when_probed.append(policy.backend_host_allowed("93.184.216.34", 8080))
        return Backend(url, "openai", models=[RemoteModel("big-model")], checked_at=1.0)

    monkeypatch.setattr(add_backend_dialog, "confirm_public", lambda parent, url: True)
    monkeypatch.setattr(add_backend_dialog, "probe", fake_probe)
    add(qtbot, tab, PUBLIC)
    assert allowed_when_probed == [True]
    (b,) = ctx.backends.all()
    assert b.url == PUBLIC and b.public and "on the internet" in row_text(tab)[1]
    assert row_text(tab)[3] == "not said (estimated)"


def test_with_rows_and_the_dialog_open_nothing_is_clipped_or_unnamed(qtbot, ctx, main_window):
    """Proves the filled tab (not only its empty state, which test_layout_sizes sees) fits from 1366x768 down to
    900x600 without clipped or overlapping controls, and that every control of the tab and of the Add backend
    dialog has an accessible name. Backends are saved directly: no request is made."""
    from tests.ui.test_accessible_names import unnamed
    from tests.ui.test_layout_sizes import SIZES, clipped, interactive_widgets, overlaps, settle

    win = main_window
    page = win.models_page
    for i in range(3):
        models = [RemoteModel(f"model-{i}-{j}", n_ctx=4096 * (j + 1)) for j in range(8)] + [RemoteModel("no-ctx")]
        ctx.backends.save(Backend(f"http://192.168.1.{20 + i}:8080", "llama.cpp", name="b4567 (abcdef)",
                                  models=models, has_key=bool(i), checked_at=1.0))
    win.show_page(win.pages.index(page))
    page.tabs.setCurrentWidget(page.backends)
    page.backends.select("http://192.168.1.21:8080")
    page.backends.say("Checking 192.168.1.21:8080 again…")
    problems = []
    for size in SIZES:
        win.resize(*size)
        settle(qtbot)
        widgets = interactive_widgets(win)
        problems += [f"{size}: {w!r} {clipped(w, win)}" for w in widgets if clipped(w, win)]
        problems += [f"{size}: {a!r} overlaps {b!r}" for a, b in overlaps(widgets, win)]
    assert page.backends.model.rowCount() == 3 and page.backends.table.isVisible()
    assert "4,096–32,768 tokens (some not said)" in row_text(page.backends)[3]
    problems += unnamed(win)
    d = page.backends.open_add_dialog()
    qtbot.waitExposed(d)
    problems += [f"dialog: {p}" for p in unnamed(d)]
    assert not problems, "\n".join(problems)
