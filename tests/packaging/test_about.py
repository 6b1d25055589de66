"""The About dialog shows what the running program really is: version, llama.cpp backend, Qt, folders."""
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication

from app import __version__


def _wait_for_backend(qtbot, dlg):
    qtbot.waitUntil(lambda: dlg.backend is not None, timeout=20_000)
    return dlg.details.toPlainText()


def test_about_shows_version_backend_qt_folders_and_licences(qtbot, hearth_home):
    from app.core.hardware.backend_info import backend_summary, describe
    from app.ui.application import create_app
    from app.ui.common.about import AboutDialog

    create_app()
    dlg = AboutDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert f"Hearth {__version__}" in dlg.title.text()
    text = _wait_for_backend(qtbot, dlg)
    expected = backend_summary()
    assert "error" not in dlg.backend
    assert describe(expected) in text
    assert f"llama-cpp-python {expected['llama_cpp_python']}" in text
    assert f"Qt {qVersion()}" in text
    # what the engine probe chose on this machine, and why
    from app.core.engine import probe as engine_probe

    assert f"Configuration: {engine_probe.ensure().describe()}" in text
    assert "Configuration: fast (llama.cpp's optimized CPU kernels): a 24-token prompt evaluated correctly" in text
    # folders come from HEARTH_HOME (set by the fixture), never from the real home
    assert str(hearth_home / "config" / "settings.json") in text
    assert str(hearth_home / "data" / "models") in text
    for name in ("llama.cpp / ggml", "LGPL-3.0", "Apache-2.0"):
        assert name in text
    from app.ui.common.about import licenses_dir

    assert str(licenses_dir()) in text
    assert {"LGPL-3.0.txt", "GPL-3.0.txt", "Apache-2.0.txt", "llama.cpp-MIT.txt", "THIRD-PARTY.txt"} <= {
        p.name for p in licenses_dir().iterdir()}


def test_show_about_is_modeless_and_copies_details(qtbot, hearth_home):
    from app.ui.application import create_app
    from app.ui.common.about import show_about

    create_app()
    dlg = show_about(None)
    qtbot.addWidget(dlg)
    qtbot.waitExposed(dlg)
    assert dlg.isVisible() and not dlg.isModal()
    _wait_for_backend(qtbot, dlg)
    dlg.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"Hearth {__version__}")
    assert "llama.cpp" in copied and str(hearth_home) in copied
