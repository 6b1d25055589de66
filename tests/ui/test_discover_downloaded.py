"""Discover marks the files that are already downloaded and offers Chat for them instead of a second download
(issue 18: Download on a file already on disk added a row that finished at once as "done"). The loopback Hub with
the real huggingface_hub client, the real download controller and the shared catalog, real widgets offscreen."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.downloads.queue import DONE
from tests.hub.fixtures import *  # noqa: F401,F403

REPO = "acme/Tiny-Chat-GGUF"
Q4 = "tiny-chat-Q4_K_M.gguf"


@pytest.fixture
def parts(qtbot, ctx, network_on, hub, memory_keyring):
    """Discover, the download controller and the catalog, joined as the Models page joins them."""
    from app.core.downloads.queue import QueueStore
    from app.ui.application import create_app
    from app.ui.common.tasks import TaskRunner
    from app.ui.common.theme import apply_theme
    from app.ui.discover.discover_tab import DiscoverTab, HubAccess
    from app.ui.downloads.download_controller import DownloadController

    apply_theme(create_app(), "light")
    library = ctx.library
    net_runner, fit_runner = TaskRunner("test-net"), TaskRunner("test-fit")
    controller = DownloadController(ctx.models_dir, QueueStore(ctx.paths.downloads_state), endpoint=hub.url,
                                    token_getter=lambda: None)
    made = []

    def make_tab():
        tab = DiscoverTab(ctx.settings, HubAccess(lambda: hub.url, lambda: None), net_runner, fit_runner,
                          library=library)
        qtbot.addWidget(tab)
        tab.resize(1250, 700)
        tab.show()

        def download(details, entry):  # ModelsPage.download_entry
            for f in entry.files:
                controller.add(details.repo_id, f.path, revision=details.sha or "main", size=f.size,
                               sha256=f.sha256)

        tab.download_requested.connect(download)
        made.append(tab)
        return tab

    # a finished download: the page rescans the library, then the catalog says it changed
    controller.model_ready.connect(lambda _p: library.changed.emit())
    yield make_tab, controller, library
    controller.shutdown()
    stop(qtbot, net_runner, fit_runner)


def stop(qtbot, *runners) -> None:
    """Let the running jobs end first (the starter picks' verdicts load llama.cpp's modules: seconds on a busy
    machine; a thread still running when its runner is collected aborts the process)."""
    qtbot.waitUntil(lambda: not any(r.busy for r in runners), timeout=60000)
    for r in runners:
        r.shutdown(30000)


def open_repo(qtbot, tab, repo_id: str = REPO):
    tab.open_repo(repo_id)
    qtbot.waitUntil(lambda: tab.repo_view.details is not None, timeout=10000)
    return tab.repo_view


def row_of(view, filename: str) -> int:
    return next(i for i, r in enumerate(view.quants.rows) if r.entry.files[0].path == filename)


def test_a_downloaded_file_is_marked_and_offers_chat_not_a_second_download(qtbot, parts, hub):
    make_tab, controller, library = parts
    tab = make_tab()
    view = open_repo(qtbot, tab)
    q4 = row_of(view, Q4)
    view.table.selectRow(q4)
    assert view.download.text() == "Download" and view.download.accessibleName() == "Download"
    assert not any(r.local_path for r in view.quants.rows)
    qtbot.mouseClick(view.download, Qt.LeftButton)
    assert [i.filename for i in controller.items] == [Q4]
    qtbot.waitUntil(lambda: controller.items[0].state == DONE, timeout=20000)
    # marked as soon as the catalog changes: no restart, no reopening the repository
    qtbot.waitUntil(lambda: bool(view.quants.rows[q4].local_path), timeout=5000)
    path = controller.items[0].path
    assert view.quants.rows[q4].local_path == path
    shown = view.quants.index(q4, 0).data()
    assert shown == f"✓ {Q4}"
    assert view.quants.index(q4, 0).data(Qt.ItemDataRole.ToolTipRole) == f"Already downloaded: {path}"
    assert view.quants.index(q4, 0).data(Qt.ItemDataRole.AccessibleDescriptionRole) == "already downloaded"
    others = [view.quants.index(i, 0).data() for i in range(len(view.quants.rows)) if i != q4]
    assert others and not any("✓" in t for t in others)
    assert view.here_note.text() == "✓ Already downloaded"
    # its button is Chat now: it asks for a chat with the file and queues nothing
    assert view.download.text() == "Chat" and view.download.accessibleName() == f"Chat with {Q4}"
    assert view.download.isEnabled()
    asked_download = []
    tab.download_requested.connect(lambda *a: asked_download.append(a))
    with qtbot.waitSignal(tab.chat_requested, timeout=2000) as asked:
        qtbot.mouseClick(view.download, Qt.LeftButton)
    assert asked.args == [path]
    with qtbot.waitSignal(tab.chat_requested, timeout=2000):  # a double-click on the row: the same
        rect = view.table.visualRect(view.quants.index(q4, 1))
        qtbot.mouseClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())  # a press comes first
        qtbot.mouseDClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert asked_download == [] and len(controller.items) == 1
    # another quantization still downloads
    view.table.selectRow(row_of(view, "tiny-chat-Q8_0.gguf"))
    assert view.download.text() == "Download" and view.download.accessibleName() == "Download"
    assert view.here_note.text() == ""


def test_files_on_disk_are_marked_when_the_repository_opens_and_unmarked_when_deleted(qtbot, parts, hub):
    make_tab, controller, library = parts
    models = library.catalog.models_dir
    dest = models / "acme" / "Tiny-Chat-GGUF" / Q4
    dest.parent.mkdir(parents=True)
    dest.write_bytes(hub.repos[REPO].files[Q4].data)  # e.g. downloaded in an earlier session
    partial = models / "acme" / "Tiny-Chat-GGUF" / "tiny-chat-Q8_0.gguf"
    partial.write_bytes(b"x" * 100)  # not the Hub's size: not a downloaded file
    tab = make_tab()
    view = open_repo(qtbot, tab)
    marked = [r.entry.files[0].path for r in view.quants.rows if r.local_path]
    assert marked == [Q4]
    view.table.selectRow(row_of(view, Q4))
    assert view.download.text() == "Chat"
    # the model is deleted (Library): the catalog changes, the mark goes
    dest.unlink()
    library.changed.emit()
    assert not any(r.local_path for r in view.quants.rows)
    assert view.download.text() == "Download" and view.download.isEnabled()


def test_without_the_catalog_nothing_is_marked(qtbot, ctx, network_on, hub, memory_keyring):
    """DiscoverTab built without a catalog (the old way) behaves as before: Download, no marks."""
    from app.ui.common.tasks import TaskRunner
    from app.ui.discover.discover_tab import DiscoverTab, HubAccess

    dest = ctx.models_dir / "acme" / "Tiny-Chat-GGUF" / Q4
    dest.parent.mkdir(parents=True)
    dest.write_bytes(hub.repos[REPO].files[Q4].data)
    net_runner, fit_runner = TaskRunner("test-net"), TaskRunner("test-fit")
    try:
        tab = DiscoverTab(ctx.settings, HubAccess(lambda: hub.url, lambda: None), net_runner, fit_runner)
        qtbot.addWidget(tab)
        tab.show()
        view = open_repo(qtbot, tab)
        assert not any(r.local_path for r in view.quants.rows) and view.download.text() == "Download"
    finally:
        stop(qtbot, net_runner, fit_runner)
