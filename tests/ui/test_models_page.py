"""The Models page and the network page driven as a user would, against the loopback Hub with the real
huggingface_hub client, real files and real Qt widgets (offscreen)."""
from __future__ import annotations

import socket
import sys

from app.core.fit.here import FitSettings
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from app.core.downloads.queue import ACTIVE, DONE, PAUSED
from tests.hub.fixtures import *  # noqa: F401,F403

TOKEN = "hf_test_token_123"


@pytest.fixture
def page(qtbot, ctx, network_on, hub, memory_keyring, monkeypatch):
    from app.core.library import other_apps as model_stores

    monkeypatch.setattr(model_stores, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    from app.ui.library import library_jobs

    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    ctx.settings.hub_endpoint = hub.url
    from app.ui.application import create_app
    from app.ui.common.theme import apply_theme
    from app.ui.models_page import ModelsPage

    apply_theme(create_app(), "light")
    p = ModelsPage(ctx)
    p.controller.retry_base_delay = 0.05
    qtbot.addWidget(p)
    p.resize(1180, 760)
    p.show()
    yield p
    p.shutdown()


def _search(qtbot, page, text: str) -> None:
    page.discover.query.clear()
    qtbot.keyClicks(page.discover.query, text)
    qtbot.mouseClick(page.discover.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not page.net.busy, timeout=10000)


def test_every_interactive_widget_has_an_accessible_name(page):
    from app.ui.network.network_page import NetworkPage

    net = NetworkPage(page.ctx)
    try:
        for root in (page, net):
            for w in root.findChildren(QWidget):
                if isinstance(w, (QAbstractButton, QLineEdit)) and w.isVisibleTo(root) and not w.parent().inherits(
                        "QAbstractSpinBox") and not w.parent().inherits("QComboBox"):
                    assert w.accessibleName(), f"{type(w).__name__} {w.text() if hasattr(w, 'text') else ''}"
        assert page.discover.query.accessibleName() == "Search models"
        assert page.discover.repo_view.download.accessibleName() == "Download"
    finally:
        net.shutdown()
        net.deleteLater()


def test_search_paging_and_models(qtbot, qtmodeltester, page, hub):
    _search(qtbot, page, "filler")
    d = page.discover
    assert len(d.repos.rows) == 25 and d.banner.isHidden()
    assert d.more.isHidden()
    qtmodeltester.check(d.repos)
    qtmodeltester.check(d.proxy)
    for i in range(12):
        hub.add(Repo(f"more/Extra-{i:02d}-GGUF"))
    page.discover.query.clear()
    d.search()
    qtbot.waitUntil(lambda: not page.net.busy and bool(d.repos.rows), timeout=10000)
    assert len(d.repos.rows) == 30 and d.more.isVisible()
    qtbot.mouseClick(d.more, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(d.repos.rows) == len(hub.repos), timeout=10000)
    assert d.more.isHidden()


def test_server_error_is_shown_as_an_error(qtbot, page, hub):
    hub.faults.status = {"/api/models": 401}
    _search(qtbot, page, "acme")
    d = page.discover
    assert d.banner.property("banner") == "error" and "Search failed" in d.banner.text()
    assert "No GGUF repositories" not in d.banner.text()


def test_repository_view_card_and_remote_fit(qtbot, qtmodeltester, page, hub):
    d = page.discover
    _search(qtbot, page, "Big-7B")
    hub.reset_counters()
    d.results.selectRow(0)
    view = d.repo_view
    qtbot.waitUntil(lambda: len(view.quants.rows) == 3 and all(r.verdict for r in view.quants.rows[:2]),
                    timeout=20000)
    qtmodeltester.check(view.quants)
    names = [r.entry.name for r in view.quants.rows]
    assert names == ["big-7b-Q4_K_M.gguf", "big-7b-Q8_0.gguf (3 parts)", "mmproj-big-7b-f16.gguf"]
    q4 = view.quants.rows[0]
    assert q4.verdict in ("Fits (CPU, in RAM)", "Fits (GPU)", "Too big", "Partly on GPU")
    assert q4.bpw and 4.0 < q4.bpw < 5.5
    # the verdict of a 4 GB model came from its header: a few hundred KB, not the file
    header_bytes = sum(1 for m, p, s in hub.requests if "big-7b-Q4_K_M" in p and s == 206)
    assert header_bytes >= 1 and hub.bytes_sent < 16 * 1024 * 1024
    # the split Q8_0 model: every shard's header was read, and its verdict is a real one
    split = view.quants.rows[1]
    assert split.verdict in ("Fits (CPU, in RAM)", "Fits (GPU)", "Too big", "Partly on GPU"), split.verdict_detail
    assert split.bpw and 8.0 < split.bpw < 9.0 and "tokens" in split.verdict_detail
    assert {p.rsplit("/", 1)[-1] for m, p, s in hub.requests if "Q8_0-0000" in p and s == 206} == {
        f.path for f in split.entry.files}
    if q4.level == 0:
        assert q4.best and "best quantization" in view.fit_note.text()
    # the card is rendered markdown without images or script
    _search(qtbot, page, "SmolLM2")
    d.results.selectRow(0)
    qtbot.waitUntil(lambda: "SmolLM2" in view.card.toPlainText(), timeout=10000)
    html = view.card.toHtml()
    assert "<img" not in html and "<script" not in html.lower()
    assert "[image: logo" in view.card.toPlainText() and "<script>" in view.card.toPlainText()  # shown as text


def test_model_card_links_open_in_the_browser_only_after_a_question(qtbot, page, hub, no_modal_dialogs,
                                                                    monkeypatch):
    from PySide6.QtCore import QObject, QPoint, Slot
    from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor

    class Browser(QObject):  # stands in for the system browser: Qt hands it the URLs openUrl receives
        def __init__(self):
            super().__init__()
            self.opened = []

        @Slot("QUrl")
        def open(self, url):
            self.opened.append(url.toString())

    browser = Browser()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, browser, "open")
    try:
        hub.repos["acme/Tiny-Chat-GGUF"].files["README.md"] = source_from_bytes(
            b"# Tiny\n\nSee [the paper](https://example.invalid/paper) and [a file](file:///etc/passwd).\n\n"
            b"```\npip install tiny\n```\n")
        page.discover.open_repo("acme/Tiny-Chat-GGUF")
        card = page.discover.repo_view.card
        qtbot.waitUntil(lambda: "the paper" in card.toPlainText(), timeout=10000)

        def click(anchor_text: str) -> None:  # click the middle of a link, as a user would
            doc = card.document()
            pos = doc.toPlainText().index(anchor_text) + len(anchor_text) // 2
            cur = QTextCursor(doc)
            cur.setPosition(pos)
            rect = card.cursorRect(cur)
            qtbot.mouseClick(card.viewport(), Qt.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))

        click("the paper")
        assert [t for k, t in no_modal_dialogs if k == "question"][-1].startswith(
            "Open this link from the model card in your web browser?\n\nhttps://example.invalid/paper")
        assert browser.opened == ["https://example.invalid/paper"]  # the fixture answered Yes
        from PySide6.QtWidgets import QMessageBox

        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
        click("the paper")
        assert browser.opened == ["https://example.invalid/paper"]  # No: nothing opened
        asked = len(no_modal_dialogs)
        click("a file")  # not a web link: neither asked nor opened
        assert len(no_modal_dialogs) == asked and browser.opened == ["https://example.invalid/paper"]
        click("Copy")
        assert QGuiApplication.clipboard().text() == "pip install tiny\n"  # the block as written
    finally:
        for scheme in ("http", "https"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_large_download_is_confirmed_first(qtbot, page, hub, no_modal_dialogs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    page.discover.open_repo("acme/Big-7B-GGUF")
    view = page.discover.repo_view
    qtbot.waitUntil(lambda: view.details is not None, timeout=10000)
    view.table.selectRow(0)
    entry = view.selected_entry()
    assert entry.total_size > 4_000_000_000
    view.projector_offer.setChecked(False)  # the model alone (the pair: tests/ui/test_discover_projector.py)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        no_modal_dialogs.append(("question", a[2])) or QMessageBox.StandardButton.No))
    qtbot.mouseClick(view.download, Qt.LeftButton)
    assert no_modal_dialogs[-1] == ("question", f"{entry.name}: This is a 3.8 GiB download. Continue?")
    assert page.controller.items == [] and page.tabs.currentWidget() is page.discover  # No: nothing queued
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.download, Qt.LeftButton)  # Yes: queued
    assert [i.filename for i in page.controller.items] == ["big-7b-Q4_K_M.gguf"]
    page.controller.cancel(page.controller.items[0].id)  # before its worker starts: nothing big is transferred
    qtbot.waitUntil(lambda: not page.fit_runner.busy, timeout=10000)


def test_download_through_the_ui_lands_in_the_library(qtbot, qtmodeltester, page, hub):
    changed = []
    page.ctx.library.changed.connect(lambda: changed.append(1))
    _search(qtbot, page, "Tiny-Chat")
    page.discover.results.selectRow(0)
    view = page.discover.repo_view
    qtbot.waitUntil(lambda: view.details is not None, timeout=10000)
    view.table.selectRow(1)
    assert view.selected_entry().quant == "Q4_K_M"
    qtbot.mouseClick(view.download, Qt.LeftButton)
    assert page.tabs.currentWidget() is page.downloads
    c = page.controller
    qtbot.waitUntil(lambda: bool(c.items) and c.items[0].state == DONE, timeout=20000)
    qtmodeltester.check(page.downloads.model)
    qtbot.waitUntil(lambda: any(r.model.filename == "tiny-chat-Q4_K_M.gguf" for r in page.library.model.rows),
                    timeout=10000)
    assert changed
    lib = page.library.model
    qtmodeltester.check(lib)
    row = next(r for r in lib.rows if r.model.filename == "tiny-chat-Q4_K_M.gguf")
    assert row.facts.architecture == "llama" and row.facts.chat_template
    # the finished row offers "Chat" on the row, and nothing else (issue 18): it asks for a chat with the file
    buttons = page.downloads.row_buttons(0)
    assert list(buttons) == ["chat"]
    chat = buttons["chat"]
    assert chat.isVisible() and chat.accessibleName() == "Chat with tiny-chat-Q4_K_M.gguf"
    with qtbot.waitSignal(page.chat_requested, timeout=2000) as asked:
        qtbot.mouseClick(chat, Qt.LeftButton)
    assert asked.args[0] == c.items[0].path and asked.args[0].endswith("tiny-chat-Q4_K_M.gguf")
    # asked for again (issue 18): no second row that finishes at once as "done"; the tab says it is here
    page.download_entry(view.details, view.selected_entry())
    assert [(i.filename, i.state) for i in c.items] == [("tiny-chat-Q4_K_M.gguf", DONE)]
    assert page.downloads.note.isVisible() and "already downloaded" in page.downloads.note.text()


def test_pause_resume_and_late_signals_dropped(qtbot, page, hub):
    c = page.controller
    hub.faults.throttle_bps = 15e6
    it = c.add(STARTER_REPO, STARTER_FILE)
    qtbot.waitUntil(lambda: it.state == ACTIVE and it.done > 5_000_000, timeout=20000)
    page.tabs.setCurrentWidget(page.downloads)
    row = c.row_of(it.id)  # the row's own buttons: no need to select it first (issue 18)
    qtbot.mouseClick(page.downloads.row_buttons(row)["pause"], Qt.LeftButton)
    assert it.state == PAUSED
    frozen = it.done
    qtbot.wait(600)  # the worker's last chunks arrive after the click: they must not move the bar
    assert it.done == frozen and it.state == PAUSED
    assert list(page.downloads.row_buttons(row)) == ["resume", "cancel"]
    hub.faults.throttle_bps = None
    qtbot.mouseClick(page.downloads.row_buttons(row)["resume"], Qt.LeftButton)
    qtbot.waitUntil(lambda: it.state == DONE, timeout=30000)


def test_download_whose_commit_disappeared_restarts_from_the_current_version(qtbot, page, hub, no_modal_dialogs):
    from pathlib import Path

    c = page.controller
    repo = hub.repos["acme/Tiny-Chat-GGUF"]
    name = "tiny-chat-Q8_0.gguf"
    old = repo.files[name]
    hub.faults.throttle_bps = 200_000
    it = c.add(repo.repo_id, name, revision=repo.sha, size=old.size, sha256=old.sha256)  # as Download does
    qtbot.waitUntil(lambda: it.state == ACTIVE and it.done > 40_000, timeout=20000)
    c.pause(it.id)
    repo.sha = "e" * 40  # upstream force-push: the pinned commit is gone, the file has new bytes
    new_bytes = small_model_bytes(11, name="Tiny Q8_0 v2")
    repo.files[name] = source_from_bytes(new_bytes)
    hub.faults.throttle_bps = None
    c.resume(it.id)
    qtbot.waitUntil(lambda: it.state == DONE, timeout=20000)
    asked = [text for kind, text in no_modal_dialogs if kind == "question" and "no longer on the Hub" in text]
    assert asked and "current version" in asked[0] and "discarded" in asked[0]
    assert it.revision == "main" and Path(it.path).read_bytes() == new_bytes


def test_unfinished_download_resumes_after_restart(qtbot, page, hub, ctx):
    c = page.controller
    hub.faults.throttle_bps = 20e6
    it = c.add(STARTER_REPO, STARTER_FILE)
    qtbot.waitUntil(lambda: it.done > 10_000_000, timeout=20000)
    c.pause(it.id)
    page.shutdown()
    from app.ui.models_page import ModelsPage

    hub.faults.throttle_bps = None
    p2 = ModelsPage(ctx)
    qtbot.addWidget(p2)
    try:
        items = p2.controller.items
        assert [(i.filename, i.state) for i in items] == [(STARTER_FILE, PAUSED)]
        assert items[0].done > 10_000_000  # read from the partial file on disk
        hub.reset_counters()
        p2.controller.resume(items[0].id)
        qtbot.waitUntil(lambda: items[0].state == DONE, timeout=30000)
        assert hub.bytes_sent < 98_362_432 - 10_000_000 + 100_000
    finally:
        p2.shutdown()


def test_gated_repo_asks_for_a_token_and_it_never_lands_in_files(qtbot, page, hub, hearth_home, monkeypatch,
                                                                 memory_keyring):
    from PySide6.QtWidgets import QInputDialog

    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (asked.append(a[2]) or TOKEN, True))
    it = page.controller.add("secret/Gated-GGUF", "gated-Q4_0.gguf")
    qtbot.waitUntil(lambda: it.state == DONE, timeout=20000)
    assert asked and "401" in asked[0]
    assert memory_keyring.store[("Hearth", "huggingface-token")] == TOKEN
    page.shutdown()
    page.ctx.save_settings()
    leaks = [p for p in hearth_home.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]
    assert leaks == []
    assert (hearth_home / "data" / "network_log.jsonl").exists()


def test_offline_mode_page_makes_no_connection(qtbot, page, hub):
    connects = []

    def audit(event, args):
        if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
            connects.append(args[1])

    sys.addaudithook(audit)
    qtbot.mouseClick(page.offline, Qt.LeftButton)
    assert page.ctx.settings.offline_mode
    hub.reset_counters()
    _search(qtbot, page, "acme")
    assert "Offline mode is on" in page.discover.banner.text()
    page.discover.open_repo("acme/Tiny-Chat-GGUF")
    assert "Offline mode" in page.discover.repo_view.meta.text()
    it = page.controller.add("acme/Tiny-Chat-GGUF", "tiny-chat-Q2_K.gguf")
    qtbot.waitUntil(lambda: it.state == "failed", timeout=10000)
    assert "Offline mode is on" in it.error
    page.discover.show_picks()  # the shipped starter picks work offline, with a fit verdict for this computer
    picks = page.discover.repos.rows
    assert len(picks) >= 15 and all(r.pick and r.repo_id.count("/") == 1 for r in picks)
    assert any("SmolLM2" in r.title for r in picks)
    qtbot.waitUntil(lambda: all(r.fit for r in picks), timeout=10000)
    from app.core.fit import verdicts as fit_verdicts

    expected = fit_verdicts.starter_pick_verdicts(FitSettings.from_settings(page.ctx.settings, n_ctx=page.discover.repo_view.n_ctx))
    view = page.discover.results
    for i, r in enumerate(picks):
        if r.pick.get("kind") == "embedding":  # offered for documents, not judged as a chat model
            assert r.fit == "for documents" and "embedding model" in r.detail
            continue
        pf = expected[r.pick["id"]]
        assert r.fit == pf.summary and r.fit_level == pf.verdict.level
        shown = page.discover.proxy.index(i, 5).data()  # what the table shows in "Fit here"
        assert shown == pf.summary and (pf.best_quant is None or shown.startswith(pf.best_quant))
        assert "nothing downloaded" in page.discover.proxy.index(i, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert view.model().headerData(5, Qt.Orientation.Horizontal) == "Fit here"
    page.refresh_library()
    qtbot.waitUntil(lambda: not page.disk.busy, timeout=10000)
    assert connects == [] and hub.requests == []
    page.set_offline(False)
    assert not page.ctx.settings.offline_mode


def test_library_import_delete_and_found_in_other_apps(qtbot, page, tmp_path, monkeypatch):
    from app.core.library import other_apps as model_stores
    from app.ui.library import library_jobs

    outside = tmp_path / "elsewhere" / "mine.gguf"
    outside.parent.mkdir()
    outside.write_bytes(small_model_bytes(3))
    ol = tmp_path / "ollama"
    (ol / "blobs").mkdir(parents=True)
    (ol / "blobs" / ("sha256-" + "c" * 64)).write_bytes(small_model_bytes(4))
    man = ol / "manifests" / "registry.ollama.ai" / "library" / "tiny" / "latest"
    man.parent.mkdir(parents=True)
    man.write_text('{"layers": [{"mediaType": "application/vnd.ollama.image.model", "digest": "sha256:'
                   + "c" * 64 + '"}]}')
    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], ol))
    page.tabs.setCurrentWidget(page.library)
    page.library.import_requested.emit([outside])
    qtbot.waitUntil(lambda: any(r.model.filename == "mine.gguf" for r in page.library.model.rows), timeout=10000)
    assert [r.model.display_name for r in page.library.found.rows] == ["tiny:latest (Ollama)"]
    page.library.found_table.selectRow(0)
    qtbot.mouseClick(page.library.adopt, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(r.model.source == "ollama" for r in page.library.model.rows), timeout=10000)
    lib = page.library
    row = next(i for i in range(lib.proxy.rowCount()) if lib.proxy.index(i, 0).data() == "mine")
    lib.table.selectRow(row)
    qtbot.mouseClick(lib.buttons["details"], Qt.LeftButton)
    assert "general.architecture: llama" in lib.details.toPlainText()
    qtbot.mouseClick(lib.buttons["delete"], Qt.LeftButton)  # confirmation answered Yes by the fixture
    qtbot.waitUntil(lambda: not any(r.model.filename == "mine.gguf" for r in lib.model.rows), timeout=10000)
    assert outside.exists()  # imported files are only forgotten


def test_network_page_lists_requests_newest_first(qtbot, qtmodeltester, page, hub):
    from app.ui.network.network_page import NetworkPage

    net = NetworkPage(page.ctx)
    qtbot.addWidget(net)
    net.resize(900, 500)
    net.show()
    try:
        _search(qtbot, page, "acme")
        page.discover.open_repo("acme/Tiny-Chat-GGUF")
        qtbot.waitUntil(lambda: any(r.purpose == "repository" for r in net.model.rows), timeout=10000)
        qtmodeltester.check(net.model)
        times = [r.time for r in net.model.rows]
        assert times == sorted(times, reverse=True)
        assert {r.host for r in net.model.rows} == {"127.0.0.1"}
        assert "search" in {r.purpose for r in net.model.rows}
        seen = []
        page.ctx.offline.changed.connect(seen.append)
        net.offline.click()
        assert seen == [True] and page.ctx.settings.offline_mode and "Offline mode is on" in net.explain.text()
        net.set_offline(False)
        qtbot.mouseClick(net.clear, Qt.LeftButton)
        assert net.model.rows == []
    finally:
        net.shutdown()


def test_network_log_stays_newest_first_when_requests_finish_out_of_order(qtmodeltester):
    from app.core.net import RequestRecord
    from app.ui.network.network_page import NetworkLogModel

    def rec(t):
        return RequestRecord(time=t, method="GET", host="127.0.0.1", path=f"/{t}", status=200, bytes_in=1,
                             bytes_out=0, purpose="search")

    m = NetworkLogModel()
    m.set_records([rec(3.0), rec(1.0), rec(2.0)])
    for t in (5.0, 4.0, 6.0, 0.5):  # the request started at 4.0 finished after the one started at 5.0
        m.prepend(rec(t))
    assert [r.time for r in m.rows] == [6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.5]
    qtmodeltester.check(m)


def test_discover_marks_a_downloaded_file_and_offers_chat(qtbot, page, hub):
    """Issue 18: once downloaded, Discover's file list marks the file and its button is Chat (no second row)."""
    d = page.discover
    view = d.repo_view
    d.open_repo("acme/Tiny-Chat-GGUF")
    qtbot.waitUntil(lambda: view.details is not None, timeout=10000)
    q4 = next(i for i, r in enumerate(view.quants.rows) if r.entry.name == "tiny-chat-Q4_K_M.gguf")
    view.table.selectRow(q4)
    assert view.download.text() == "Download"
    qtbot.mouseClick(view.download, Qt.LeftButton)
    c = page.controller
    qtbot.waitUntil(lambda: bool(c.items) and c.items[0].state == DONE, timeout=20000)
    page.tabs.setCurrentWidget(d)
    qtbot.waitUntil(lambda: bool(view.quants.rows[q4].local_path), timeout=10000)  # after the library rescan
    assert view.quants.index(q4, 0).data() == "✓ tiny-chat-Q4_K_M.gguf"
    assert view.download.text() == "Chat" and view.download.accessibleName() == "Chat with tiny-chat-Q4_K_M.gguf"
    with qtbot.waitSignal(page.chat_requested, timeout=2000) as asked:
        qtbot.mouseClick(view.download, Qt.LeftButton)
    assert asked.args == [c.items[0].path] and len(c.items) == 1
