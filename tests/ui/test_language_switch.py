"""The Language choice in the status bar: saved in the settings, and the open window speaks the new language at once
(no restart): texts from ``translate`` are swapped by ``switch_language``, texts made from values (the navigation's
tooltips) by the window's ``changeEvent``. Translations compiled here from a small .ts of the window's own sources."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR">
<context>
    <name>NavBar</name>
    <message><source>Models</source><translation>Modeller</translation></message>
    <message><source>{page} (Ctrl+{number})</source><translation>{page} (Ctrl+{number})</translation></message>
</context>
<context>
    <name>MainWindow</name>
    <message><source>Offline mode</source><translation>Çevrimdışı mod</translation></message>
    <message><source>System default</source><translation>Sistem varsayılanı</translation></message>
    <message><source>No model loaded</source><translation>Yüklü model yok</translation></message>
</context>
</TS>
"""


def lrelease() -> str:
    found = Path(sys.executable).with_name("pyside6-lrelease")
    if found.exists():
        return str(found)
    path = shutil.which("pyside6-lrelease")
    if path is None:
        pytest.skip("pyside6-lrelease is not installed")
    return path


@pytest.fixture
def turkish(tmp_path, monkeypatch):
    """A hearth_tr.qm of a few of the window's sources, where the i18n module looks for it; English again after."""
    from app.ui.common import i18n

    ts = tmp_path / "hearth_tr.ts"
    ts.write_text(TS, encoding="utf-8")
    out = tmp_path / "qm"
    out.mkdir()
    subprocess.run([lrelease(), str(ts), "-qm", str(out / "hearth_tr.qm")], check=True, capture_output=True)
    monkeypatch.setattr(i18n, "qm_dir", lambda: out)
    yield out
    i18n.install_language("en")


def language_combo(win):
    from PySide6.QtWidgets import QComboBox

    found = [w for w in win.findChildren(QComboBox) if w.accessibleName() == "Language"]
    assert len(found) == 1
    return found[0]


def test_the_language_choice_lists_the_system_and_every_language(main_window):
    from app.ui.common.i18n import LANGUAGES

    combo = language_combo(main_window)
    assert [combo.itemText(i) for i in range(combo.count())] == ["System default", *LANGUAGES.values()]
    assert [combo.itemData(i) for i in range(combo.count())] == ["", *LANGUAGES]
    assert combo.currentData() == "" and combo.isVisibleTo(main_window)


def test_switching_to_turkish_and_back_needs_no_restart(main_window, ctx, turkish, qtbot):
    from app.settings import Settings
    from app.ui.common import i18n

    win = main_window
    combo = language_combo(win)
    models = win.nav.buttons[1]
    assert (models.text(), models.toolTip(), win.offline_switch.text()) == ("Models", "Models (Ctrl+2)", "Offline mode")

    combo.setCurrentIndex(combo.findData("tr"))
    assert i18n.current_language() == "tr"
    assert ctx.settings.language == "tr" and Settings.load(ctx.paths.settings_file).language == "tr"
    # texts made from values (the tooltips), and English texts other contexts share, follow in changeEvent
    # (a tooltip made with translate(...).format is made again at once; the button's text, an English word several
    # contexts share, in the NavBar's changeEvent, which Qt posts)
    qtbot.waitUntil(lambda: models.toolTip() == "Modeller (Ctrl+2)" and models.text() == "Modeller", timeout=2000)
    assert models.accessibleName() == "Modeller"
    offline = win.offline_switch
    assert offline.text() == "Çevrimdışı mod" and offline.accessibleName() == "Çevrimdışı mod"
    assert win.model_status.text() == "Yüklü model yok"
    assert combo.itemText(0) == "Sistem varsayılanı" and combo.currentData() == "tr"

    combo.setCurrentIndex(combo.findData("en"))
    assert i18n.current_language() == "en" and ctx.settings.language == "en"
    qtbot.waitUntil(lambda: models.toolTip() == "Models (Ctrl+2)" and models.text() == "Models", timeout=2000)
    assert win.offline_switch.text() == "Offline mode"
    assert win.model_status.text() == "No model loaded" and combo.itemText(0) == "System default"


def test_the_saved_language_is_chosen_when_the_window_opens(qtbot, ctx):
    from app.ui.main_window import MainWindow

    ctx.settings.language = "tr"
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert language_combo(win).currentData() == "tr"
    win.close()


def test_the_language_setting_round_trips(tmp_path):
    from app.settings import Settings

    f = tmp_path / "settings.json"
    assert Settings().language == ""
    s = Settings()
    s.language = "tr"
    s.save(f)
    assert Settings.load(f).language == "tr"


def test_spin_boxes_made_before_a_switch_write_numbers_the_new_way(qtbot):
    from PySide6.QtWidgets import QDoubleSpinBox

    from app.ui.common.i18n import install_language, switch_language

    spin = QDoubleSpinBox()
    qtbot.addWidget(spin)
    spin.setDecimals(2)
    spin.setValue(0.7)
    assert spin.text() == "0.70"
    try:
        assert switch_language("tr") == "tr"  # resources/i18n/hearth_tr.qm: `make test` compiles it
        spin.setValue(0.75)
        assert spin.text() == "0,75"
    finally:
        install_language("en")


def test_the_library_verdicts_are_made_again_in_the_new_language(main_window, qtbot, installed_starter):
    from app.ui.common.i18n import install_language, switch_language

    page = main_window.models_page
    page.refresh_library()
    lib = page.library.model
    qtbot.waitUntil(lambda: bool(lib.rows) and all(r.verdict for r in lib.rows), timeout=30000)
    english = [r.verdict for r in lib.rows]
    try:
        assert switch_language("tr") == "tr"
        qtbot.waitUntil(lambda: [r.verdict for r in lib.rows] != english and all(r.verdict for r in lib.rows),
                        timeout=30000)
        from app.ui.common.i18n import translate

        assert {r.verdict for r in lib.rows} <= {translate("FitVerdict", t) for t in ("Fits (GPU)", "Fits (CPU, in RAM)",
                                                                                      "Partly on GPU", "Too big")}
    finally:
        install_language("en")
