"""The window's process never loads llama.cpp: the model lives in the engine process. A real window in a fresh
process loads SmolLM2, streams a reply, shows every page and the About dialog; llama_cpp (and numpy) stay out of
its modules. (Its resident memory, ~140 MB here against a 150 MB target, is measured by
``python -m benchmarks engine_process``, not asserted: it depends on the machine's fonts and Qt plugins.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DRIVER = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import psutil
from PySide6.QtCore import QEventLoop, QTimer
from app.ui.application import create_app, make_context, settle_after_startup
from app.ui.main_window import MainWindow

def spin(seconds, until=lambda: False):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        loop = QEventLoop(); QTimer.singleShot(10, loop.quit); loop.exec()

app = create_app(); ctx = make_context(); ctx.settings.n_threads = 1
win = MainWindow(ctx); win.show(); settle_after_startup()
page = win.chat_page
page.load_selected()
spin(60, lambda: page.engine.info is not None)
page.panel.max_tokens.setValue(8)
page.input.setPlainText("Say hello.")
page.send()
spin(60, lambda: page.model.rowCount() == 2 and not page.session.generating)
for i in range(4):
    win.show_page(i); spin(2)
win.show_about(); spin(3)
win.show_page(0); spin(2)
print(json.dumps({"reply": page.model.messages()[-1].text, "llama_cpp": "llama_cpp" in sys.modules,
                  "numpy": "numpy" in sys.modules, "rss": psutil.Process().memory_info().rss,
                  "engine_pid": page.engine.worker.engine.pid}))
win.close()
"""


def test_the_window_process_never_loads_llama_cpp(installed_starter, hearth_home):
    env = dict(os.environ, HEARTH_HOME=str(hearth_home), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", DRIVER, str(ROOT)], capture_output=True, text=True, env=env,
                       timeout=240, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["reply"].strip() and out["engine_pid"]
    assert not out["llama_cpp"] and not out["numpy"]
