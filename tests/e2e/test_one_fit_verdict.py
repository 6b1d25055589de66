"""One file, one set of options, one verdict: the Library, Discover (the header read from the Hub over HTTP
Range), the Hardware page and `hearth fit` all go through app/core/fit/here.py.

The bug it fixes: Library, Discover and the repository view always assumed KV cache f16, no flash attention and
the x86 repacking rule, while the Hardware page and `hearth fit` used the user's options and this CPU's rule, so
the same file could get two different memory figures. Here with KV q8_0 and flash attention on (and f16 once
more), on the real SmolLM2 file, served by the test Hub for Discover.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.hub.fixtures import *  # noqa: F401,F403 (the hub and network_on fixtures)
from tests.hub.server import Repo
from tests.hub.sources import source_from_file


@pytest.mark.parametrize("kv_type, flash_attn", [("q8_0", True), ("f16", False)])
def test_library_discover_hardware_and_cli_agree(qtbot, ctx, installed_starter, hub, network_on, kv_type,
                                                 flash_attn):
    from app.core.fit import verdicts as fit_verdicts
    from app.core.fit.here import FitSettings
    from app.core.hub import repo_details
    from app.self_exec import hearth_env
    from app.ui.hardware.hardware_page import HardwarePage
    from app.ui.discover.discover_tab import entry_verdict
    from app.ui.library import library_jobs

    n_ctx = 8192
    ctx.settings.n_ctx, ctx.settings.kv_type, ctx.settings.flash_attn = n_ctx, kv_type, flash_attn
    ctx.save_settings()
    settings = FitSettings.from_settings(ctx.settings)
    assert (settings.kv_type, settings.flash_attn, settings.n_ctx) == (kv_type, flash_attn, n_ctx)

    # Library (what the Models page's Library runs for its Fit column)
    library = fit_verdicts.local_verdict(installed_starter, settings)
    assert library_jobs.verdicts([installed_starter], settings) == {installed_starter: library.label}

    # Discover: the same bytes on the Hub, the header read over HTTP Range
    hub.add(Repo("same/SmolLM2-GGUF")).files[installed_starter.name] = source_from_file(installed_starter)
    d = repo_details("same/SmolLM2-GGUF", endpoint=hub.url)
    [entry] = [e for e in d.entries if e.kind == "model"]
    discover = entry_verdict(d.repo_id, d.sha, entry, settings, endpoint=hub.url, token=None)
    assert 0 < discover.bytes_read < installed_starter.stat().st_size / 10

    # the Hardware page, with its controls set to the same options
    page = HardwarePage(ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.verdicts_shown, timeout=60000):
        page.on_shown()
    from app.ui.hardware.hardware_page import CONTEXT_STEPS

    with qtbot.waitSignal(page.verdicts_shown, timeout=60000):  # the page's own controls, as a user sets them
        page.ctx_slider.setValue(CONTEXT_STEPS.index(n_ctx))
        page.kv_combo.setCurrentIndex(page.kv_combo.findData(kv_type))
        page.flash.setChecked(flash_attn)
    assert (page.n_ctx, page.kv_type, page.flash.isChecked()) == (n_ctx, kv_type, flash_attn)
    [row] = [page.fits.row(i) for i in range(page.fits.rowCount()) if page.fits.row(i).model.path == installed_starter]
    hardware = row.result
    page.shutdown()

    # hearth fit
    cmd = [sys.executable, "-m", "app", "fit", str(installed_starter), "--ctx", str(n_ctx), "--kv-type", kv_type,
           "--json"] + (["--flash-attn"] if flash_attn else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=hearth_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    cli = json.loads(proc.stdout)

    memory = {"library": library.result.required, "discover": discover.result.required,
              "hardware": hardware.required, "hearth fit": {k: int(v) for k, v in cli["required"].items()}}
    assert len({json.dumps(m, sort_keys=True) for m in memory.values()}) == 1, memory
    verdicts = {"library": library.result.verdict, "discover": discover.result.verdict,
                "hardware": hardware.verdict, "hearth fit": cli["verdict"]}
    assert set(verdicts.values()) == {"cpu"}, verdicts
    assert library.label == discover.label
    kv = {"library": library.result.estimate.kv_bytes, "discover": discover.result.estimate.kv_bytes,
          "hardware": hardware.estimate.kv_bytes, "hearth fit": cli["kv_bytes"]}
    assert len(set(kv.values())) == 1, kv
    assert cli["kv_type"] == kv_type and cli["flash_attn"] is flash_attn and cli["ctx"] == n_ctx
