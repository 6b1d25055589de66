"""GGUF files are untrusted input: every file of the malformed corpus (truncated, huge counts, bad strings,
overlapping or out-of-range tensors, wrong alignment ...) gives a clear message wherever the user meets it -- the
Chat page's Load (error banner, the app stays usable and then chats with a good model), the Library import (refused
with the reason), the Library list and the Hardware page (the row says what is wrong) -- and nothing crashes.
``hearth fit`` on the same corpus (one line on stderr, exit 2) is covered in ``tests/test_fit_cli.py``."""
from __future__ import annotations

import re
import threading

import pytest
from PySide6.QtCore import Qt

from app.core.library.names import display_name
from tests.core.gguf.test_header import CORPUS


def file_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".gguf"


@pytest.fixture
def corpus_in_models(hearth_home):
    folder = hearth_home / "data" / "models" / "bad" / "corpus"
    folder.mkdir(parents=True)
    out = {}
    for name, (data, message) in CORPUS.items():
        p = folder / file_name(name)
        p.write_bytes(data)
        out[p] = message
    return out


def test_chat_page_refuses_each_file_clearly_and_stays_usable(corpus_in_models, installed_starter, main_window,
                                                              qtbot):
    page = main_window.chat_page
    assert page.model_combo.count() == len(corpus_in_models) + 1
    for path, message in sorted(corpus_in_models.items()):
        page.model_combo.setCurrentIndex(page.model_combo.findData(str(path)))
        with qtbot.waitSignal(page.engine.load_failed, timeout=30000):
            qtbot.mouseClick(page.load_button, Qt.LeftButton)
        text = page.banner.text()
        assert page.banner.isVisible() and f"{path.name} is not a usable GGUF model" in text and message in text, \
            (path.name, text)
        assert page.engine.info is None and main_window.model_status.text() == "No model loaded"
        assert page.load_button.isEnabled()
    # still fully usable: the good model loads and answers
    main_window.ctx.settings.n_threads = 1
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(installed_starter)))
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    assert not page.banner.isVisible()
    page.panel.max_tokens.setValue(6)
    page.input.setPlainText("Hi")
    with qtbot.waitSignal(page.session.generating_changed, timeout=60000, check_params_cb=lambda b: b is False):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    assert page.model.messages()[-1].text and page.model.messages()[-1].state == "done"
    # a malformed file after a good one leaves the good model loaded
    bad = next(iter(sorted(corpus_in_models)))
    page.model_combo.setCurrentIndex(page.model_combo.findData(str(bad)))
    with qtbot.waitSignal(page.engine.load_failed, timeout=30000):
        qtbot.mouseClick(page.load_button, Qt.LeftButton)
    assert page.engine.info is not None and "SmolLM2" in page.engine.info.path


def test_library_refuses_imports_and_lists_damaged_files_with_the_reason(corpus_in_models, main_window, qtbot,
                                                                         tmp_path, no_modal_dialogs, monkeypatch):
    from app.core.library import other_apps as model_stores
    from app.ui.library import library_jobs

    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    models = main_window.models_page
    main_window.show_page(1)
    models.tabs.setCurrentWidget(models.library)
    qtbot.waitUntil(lambda: not models.disk.busy and len(models.library.model.rows) == len(corpus_in_models),
                    timeout=20000)
    # files already in the models folder: listed as unreadable, the reason in the tooltip and the details
    lib = models.library.model
    for i, r in enumerate(lib.rows):
        message = corpus_in_models[r.model.path]
        assert lib.index(i, 1).data() == "unreadable"
        assert message in lib.index(i, 0).data(Qt.ToolTipRole), r.model.path.name
    models.library.table.selectRow(0)
    qtbot.mouseClick(models.library.buttons["details"], Qt.LeftButton)
    assert "The header could not be read:" in models.library.details.toPlainText()
    # imports from elsewhere: refused, each with its reason, nothing added
    outside = tmp_path / "downloads"
    outside.mkdir()
    files = []
    for path, message in corpus_in_models.items():
        dest = outside / path.name
        dest.write_bytes(path.read_bytes())
        files.append((dest, message))
    no_modal_dialogs.clear()
    models.import_paths([p for p, _ in files])
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _ in no_modal_dialogs), timeout=20000)
    text = next(t for kind, t in no_modal_dialogs if kind == "information")
    assert text.startswith("Not imported:") and "Imported" not in text
    for dest, message in files:
        line = next(l for l in text.splitlines() if l.startswith(dest.name))
        assert message in line or "not a GGUF model file" in line or "unsupported GGUF version" in line, line
    assert len(models.library.model.rows) == len(corpus_in_models)
    assert models.registry.models() == []


def test_hardware_page_says_what_is_wrong_with_each_file(corpus_in_models, main_window, qtbot):
    hw = main_window.hardware_page
    with qtbot.waitSignal(hw.verdicts_shown, timeout=60000):
        main_window.show_page(2)
    rows = {hw.fits.index(i, 0).data(): hw.fits.index(i, 1).data() for i in range(hw.fits.rowCount())}
    assert len(rows) == len(corpus_in_models)
    for path, message in corpus_in_models.items():
        shown = rows[display_name(path.name)]  # the one display name (app/core/library/names.py)
        assert shown.startswith("Not a usable GGUF model:") and message in shown, path.name


def test_a_rescan_asked_during_an_import_does_not_swallow_its_message(corpus_in_models, main_window, qtbot,
                                                                      tmp_path, no_modal_dialogs, monkeypatch):
    """The Hub client's warm-up (or a finished download) asks for a rescan while an import runs: the import's
    "Not imported: ..." must still be shown, and the rescan still happens after it."""
    from app.core.library import other_apps as model_stores
    from app.ui.library import library_jobs

    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    models = main_window.models_page
    qtbot.waitUntil(lambda: not models.disk.busy, timeout=20000)
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 20)
    release = threading.Event()
    real = library_jobs.import_and_scan

    def slow_import(*args):
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(library_jobs, "import_and_scan", slow_import)
    scans = []
    real_scan = library_jobs.scan
    monkeypatch.setattr(library_jobs, "scan", lambda *a: scans.append(1) or real_scan(*a))
    no_modal_dialogs.clear()
    models.import_paths([bad])
    models.refresh_library()  # e.g. the warm-up finishing now
    release.set()
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _ in no_modal_dialogs), timeout=20000)
    assert next(t for k, t in no_modal_dialogs if k == "information").startswith("Not imported:")
    qtbot.waitUntil(lambda: scans and not models.disk.busy, timeout=20000)
