"""One name per model everywhere (issue 18), through the real window with SmolLM2 loaded by the engine process:
the Chat page's picker, the status bar, the chat status line, the Hardware page's table and the Library show
the same "SmolLM2-135M-Instruct · Q4_1" (quantization visible), read from what each widget displays."""
from __future__ import annotations

from PySide6.QtCore import Qt

NAME = "SmolLM2-135M-Instruct · Q4_1"


def test_the_same_name_in_picker_status_bar_hardware_and_library(installed_starter, ctx, qtbot):
    from app.ui.main_window import MainWindow

    ctx.settings.n_threads = 1
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    page = win.chat_page
    assert page.model_combo.currentText().startswith(NAME + "  (")
    assert page.model_combo.itemData(page.model_combo.currentIndex(), Qt.ToolTipRole) == str(installed_starter)
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):
        page.load_selected()
    assert win.model_status.text().startswith(f"Model: {NAME} · context ")
    assert page.status.text().startswith(f"Loaded {NAME} in ")

    win.show_page(2)  # Hardware
    hw = win.hardware_page.table.model()
    qtbot.waitUntil(lambda: hw.rowCount() == 1 and "estimating" not in str(hw.index(0, 1).data()), timeout=30000)
    assert hw.index(0, 0).data() == NAME

    win.show_page(1)  # Models › Library
    lib = win.models_page.library.table.model()
    qtbot.waitUntil(lambda: lib.rowCount() == 1, timeout=10000)
    assert lib.index(0, 0).data() == NAME
    win.close()
