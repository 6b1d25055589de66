"""The empty Chat page offers the two ways to a first model (issue 18): "Download a starter model" queues
SmolLM2 on the Models page's Downloads tab (Offline mode: says why not), "Import a model file…" imports a GGUF
that then appears in the model picker. No test reaches the internet: the Hub endpoint is a closed local port."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.starter import STARTER


def test_the_empty_state_downloads_the_starter_or_imports_a_file(ctx, qtbot, starter_model, monkeypatch):
    from app.ui.main_window import MainWindow

    ctx.settings.hub_endpoint = "http://127.0.0.1:9"  # refused at once: nothing leaves the machine
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    page = win.chat_page
    assert page.empty_actions.isVisible() and page.empty_hint.isVisible()
    assert page.starter_button.accessibleName() == "Download a starter model"

    ctx.offline.set(True)
    qtbot.mouseClick(page.starter_button, Qt.LeftButton)
    models = win.models_page
    assert win.stack.currentWidget() is models and "Offline mode is on" in models.discover.banner.text()
    assert models.controller.items == []

    ctx.offline.set(False)
    win.show_page(0)
    qtbot.mouseClick(page.starter_button, Qt.LeftButton)
    assert win.stack.currentWidget() is models and models.tabs.currentWidget() is models.downloads
    (item,) = models.controller.items
    assert (item.repo_id, item.filename, item.sha256) == (STARTER.repo_id, STARTER.filename, STARTER.sha256)
    models.controller.cancel(item.id)

    win.show_page(0)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(starter_model)], ""))
    qtbot.mouseClick(page.import_model_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.model_combo.findData(str(Path(starter_model))) >= 0, timeout=20000)
    assert not page.empty_actions.isVisible()
    win.close()
