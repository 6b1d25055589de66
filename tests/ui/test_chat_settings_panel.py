"""The Chat settings panel prevents load options that cannot work together, where they are chosen (issue 18)."""
from __future__ import annotations

from app.core.chats import ChatStore
from app.settings import Settings
from app.ui.chat.settings_panel import SettingsPanel


def test_quantized_kv_ticks_and_locks_flash_attention_and_f32_is_not_offered(qtbot, tmp_path):
    settings = Settings()
    settings.flash_attn = False
    store = ChatStore(tmp_path / "c.sqlite3")
    panel = SettingsPanel(settings, store)
    qtbot.addWidget(panel)
    kinds = [panel.kv_type.itemData(i) for i in range(panel.kv_type.count())]
    assert kinds == ["f16", "q8_0", "q4_0"]
    assert panel.flash_attn.isEnabled() and not panel.flash_attn.isChecked()
    panel.kv_type.setCurrentIndex(kinds.index("q8_0"))
    assert panel.flash_attn.isChecked() and not panel.flash_attn.isEnabled()
    assert settings.kv_type == "q8_0" and settings.flash_attn  # what the next Load uses
    panel.kv_type.setCurrentIndex(kinds.index("f16"))
    assert panel.flash_attn.isEnabled() and panel.flash_attn.isChecked()
    # settings saved by an older Hearth with q4_0 and flash attention off come up consistent
    old = Settings()
    old.kv_type, old.flash_attn = "q4_0", False
    panel.set_load_options(old)
    assert panel.flash_attn.isChecked() and not panel.flash_attn.isEnabled() and old.flash_attn
    store.close()
