"""A corrupt settings file: the app starts with defaults, keeps the old file as ``settings.json.bad`` and tells the
user so in a banner on the first page; the next save writes a valid file atomically."""
from __future__ import annotations

import json

import pytest

CASES = {
    "half-written JSON": b'{"theme": "dark", "offline_mode": tr',
    "binary garbage": bytes(range(256)) * 4,
    "wrong type": json.dumps({"schema_version": 1, "n_ctx": "lots"}).encode(),
    "not an object": b"[1, 2, 3]",
    "from a newer Hearth": json.dumps({"schema_version": 99}).encode(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corrupt_settings_banner_and_bad_copy(case, hearth_home, qtbot):
    from app.settings import Settings
    from app.ui.application import create_app, make_context
    from app.ui.main_window import MainWindow

    cfg = hearth_home / "config"
    cfg.mkdir(parents=True)
    (cfg / "settings.json").write_bytes(CASES[case])
    ctx = make_context()
    create_app()
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    banner = win.chat_page.banner
    assert banner.isVisible()
    text = banner.text()
    assert "settings file could not be read" in text and "default settings" in text
    assert str(cfg / "settings.json.bad") in text
    assert (cfg / "settings.json.bad").read_bytes() == CASES[case], "the old file is kept as it was"
    assert ctx.settings == Settings()
    win.close()
    # closing saved valid settings, written whole (no temporary file left behind)
    assert Settings.load(cfg / "settings.json").load_warning == ""
    assert sorted(p.name for p in cfg.iterdir() if p.name.startswith("settings")) == ["settings.json",
                                                                                      "settings.json.bad"]
