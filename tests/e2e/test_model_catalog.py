"""One model catalog (app/core/library/catalog.py) read by the Chat, Models and Hardware pages.

The bug it fixes: a model imported from elsewhere (used in place, not copied) was in the Models page's
Library but not in the Chat page's model picker nor the Hardware page's table, and "Chat with this model" on
it did nothing. Here, through the real window: import the real SmolLM2 file from a folder outside Hearth's
models folder, then find it in all three places and chat with it from the Library.
"""
from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from app.core.library.names import display_name


def test_an_imported_model_is_in_chat_hardware_and_chat_from_library_loads_it(qtbot, main_window, starter_model,
                                                                               tmp_path, monkeypatch):
    from app.core.library import other_apps
    from app.ui.library import library_jobs

    monkeypatch.setattr(library_jobs, "default_roots", lambda: other_apps.StoreRoots(None, [], None))
    outside = tmp_path / "elsewhere" / "my-smollm2.gguf"
    outside.parent.mkdir()
    shutil.copyfile(starter_model, outside)
    win = main_window
    models = win.models_page
    win.show_page(1)
    models.library.import_requested.emit([outside])
    qtbot.waitUntil(lambda: any(r.model.path == outside for r in models.library.model.rows), timeout=20000)
    assert not str(outside).startswith(str(win.ctx.models_dir))

    # the Chat page's model picker lists it
    combo = win.chat_page.model_combo
    qtbot.waitUntil(lambda: combo.findData(str(outside)) >= 0, timeout=10000)

    # the Hardware page's table has a verdict for it
    win.show_page(2)
    hw = win.hardware_page
    qtbot.waitUntil(lambda: any(hw.fits.index(i, 0).data() == display_name(outside.name) for i in range(hw.fits.rowCount())),
                    timeout=60000)

    # "Chat with this model" in the Library loads it
    win.show_page(1)
    lib = models.library
    row = next(i for i in range(lib.proxy.rowCount()) if display_name(outside.name) == lib.proxy.index(i, 0).data())
    lib.table.selectRow(row)
    with qtbot.waitSignal(win.engine.loaded, timeout=60000) as loaded:
        qtbot.mouseClick(lib.buttons["chat"], Qt.LeftButton)
    assert loaded.args[0].path == str(outside)
    assert win.stack.currentWidget() is win.chat_page
    assert combo.currentData() == str(outside)
