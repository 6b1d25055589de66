"""The Hardware page offscreen: devices, verdicts for the local models, the context slider, the breakdown chart,
"what can I run well", and a damaged file shown as a clear error row."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QSlider, QTableView, QListView

from app.core.library.names import display_name
from app.ui.hardware.hardware_models import BreakdownRole, VerdictRole


def _verdicts(page) -> dict[str, tuple[str, str]]:
    m = page.fits
    return {m.index(i, 0).data(): (m.index(i, 1).data(), m.index(i, 0).data(VerdictRole)) for i in range(m.rowCount())}


def test_page_shows_verdicts(qtbot, ctx, installed_starter, qtmodeltester):
    from app.ui.hardware.hardware_page import HardwarePage

    broken = installed_starter.parent / "broken.gguf"
    broken.write_bytes(installed_starter.read_bytes()[:5000])
    page = HardwarePage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    with qtbot.waitSignal(page.verdicts_shown, timeout=60000):
        page.on_shown()
    qtbot.waitUntil(lambda: page.devices.rowCount() >= 2, timeout=30000)
    rows = _verdicts(page)
    assert rows[display_name(installed_starter.name)] == ("CPU only, fits in RAM", "cpu")
    text, level = rows["broken"]
    assert level == "error" and text.startswith("Not a usable GGUF model") and "truncated" in text
    qtmodeltester.check(page.fits)
    qtmodeltester.check(page.devices)
    assert page.devices.index(0).data() == "Memory (RAM)" and "free of" in page.devices.index(0).data(
        Qt.UserRole + 3)
    assert "What can I run well" in page.best_label.text()
    assert "GPU offload not available" in page.cpu_label.text()

    # the breakdown follows the context slider
    row = next(i for i in range(page.fits.rowCount()) if page.fits.index(i, 0).data() == display_name(installed_starter.name))
    kv_4k = page.fits.index(row, 5).data(BreakdownRole)[1]
    with qtbot.waitSignal(page.verdicts_shown, timeout=30000):
        page.ctx_slider.setValue(page.ctx_slider.value() + 1)  # 8192
    kv_8k = page.fits.index(row, 5).data(BreakdownRole)[1]
    assert kv_8k == 2 * kv_4k
    assert page.ctx_value.text() == "8,192 tokens"
    page.table.selectRow(page.proxy.mapFromSource(page.fits.index(row, 0)).row())
    assert page.chart.parts is not None and page.chart.parts[1] == kv_8k
    assert "KV cache" in page.chart.accessibleDescription()

    # a quantized KV cache needs flash attention: the page turns it on
    with qtbot.waitSignal(page.verdicts_shown, timeout=30000):
        page.kv_combo.setCurrentIndex(page.kv_combo.findData("q8_0"))
    assert page.flash.isChecked() and not page.flash.isEnabled()
    assert _verdicts(page)[display_name(installed_starter.name)][1] == "cpu"
    assert page.fits.index(row, 5).data(BreakdownRole)[1] < kv_8k

    widgets = [w for cls in (QAbstractButton, QComboBox, QSlider, QTableView, QListView) for w in page.findChildren(cls)]
    assert len(widgets) >= 6
    for w in widgets:
        if w.parent() is not None and isinstance(w.parent(), QTableView):
            continue  # the table's own corner button
        assert w.accessibleName(), f"{type(w).__name__} without an accessible name"
    page.grab().save(str(ctx.paths.data_dir / "hardware_page.png"))
    page.shutdown()


def test_page_in_main_window(qtbot, main_window, installed_starter):
    main_window.show_page(2)
    page = main_window.hardware_page
    qtbot.waitUntil(lambda: page.fits.rowCount() == 1 and page.fits.index(0, 0).data(VerdictRole) == "cpu",
                    timeout=60000)
    assert page.fits.index(0, 1).data() == "CPU only, fits in RAM"


def test_page_says_which_llama_cpp_configuration_the_probe_chose(qtbot, ctx, installed_starter, tmp_path,
                                                                  monkeypatch):
    """A build whose fast kernels crash in the engine probe (simulated: the probe process dies of SIGSEGV)
    runs in the safe configuration, and the Hardware page says so and why; the fit then assumes no repacking."""
    from app.core.engine import probe as engine_probe
    from app.core.fit.here import repack_types
    from app.ui.hardware.hardware_page import HardwarePage

    monkeypatch.setenv(engine_probe.ENV_CACHE, str(tmp_path / "probe.json"))
    monkeypatch.setenv(engine_probe.ENV_FAULT, "fast:segv")
    page = HardwarePage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    with qtbot.waitSignal(page.verdicts_shown, timeout=60000):
        page.on_shown()
    qtbot.waitUntil(lambda: page.engine_label.isVisible(), timeout=30000)
    text = page.engine_label.text()
    assert text.startswith("llama.cpp configuration: safe (no weight repacking or AMX)")
    assert "SIGSEGV" in text and "safe configuration evaluated it correctly" in text
    assert page.engine_label.accessibleName() == "llama.cpp configuration"
    assert page.info.llama.config == "safe"
    assert repack_types(page.info.cpu, page.info.llama) == frozenset()
    page.shutdown()

    # a good build: the fast configuration
    monkeypatch.delenv(engine_probe.ENV_FAULT)
    engine_probe.ensure(force=True)
    page2 = HardwarePage(ctx)
    qtbot.addWidget(page2)
    page2.show()
    with qtbot.waitSignal(page2.verdicts_shown, timeout=60000):
        page2.on_shown()
    qtbot.waitUntil(lambda: page2.engine_label.isVisible(), timeout=30000)
    assert page2.engine_label.text().startswith("llama.cpp configuration: fast (llama.cpp's optimized CPU kernels)")
    page2.shutdown()
