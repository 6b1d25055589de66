"""Start-up time to the first shown window, and idle memory with no model loaded.

Launches ``python main.py`` N times with ``HEARTH_STARTUP_PROBE=1`` (the app prints a marker once the main
window is shown, with its resident memory, and quits) and, side by side in the same run, a baseline: a bare
PySide6 script that shows an empty QMainWindow. Targets: shown within 1.5 s, idle RSS under 200 MB.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks._common import ROOT, save

BASELINE = r"""
import os, psutil
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.resize(1180, 780); w.show()
def done():
    print("HEARTH_SHOWN rss=%d" % psutil.Process().memory_info().rss, flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def launch(cmd: list[str], env: dict) -> tuple[float, int]:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    shown_at = None
    rss = -1
    for line in p.stdout:
        if line.startswith("HEARTH_SHOWN"):
            shown_at = time.perf_counter() - t0
            rss = int(line.split("rss=")[1])
    p.wait(timeout=60)
    if shown_at is None:
        raise RuntimeError(f"no window shown: {p.stderr.read()[-2000:]}")
    return shown_at, rss


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 7
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), HEARTH_STARTUP_PROBE="1")
    app_t, app_rss, base_t = [], [], []
    with tempfile.TemporaryDirectory() as home:
        env["HEARTH_HOME"] = home
        launch([sys.executable, "main.py"], env)  # warm the OS file cache once
        for _ in range(runs):  # interleave app and baseline so machine noise hits both
            t, rss = launch([sys.executable, "main.py"], env)
            app_t.append(t)
            app_rss.append(rss)
            base_t.append(launch([sys.executable, "-c", BASELINE], env)[0])
    idle_env = dict(env, HEARTH_STARTUP_PROBE="6")
    with tempfile.TemporaryDirectory() as home:
        idle_env["HEARTH_HOME"] = home
        idle_rss = max(launch([sys.executable, "main.py"], idle_env)[1] for _ in range(2))
    res = {
        "runs": runs,
        "platform": env["QT_QPA_PLATFORM"],
        "app_shown_median_s": round(statistics.median(app_t), 3),
        "app_shown_max_s": round(max(app_t), 3),
        "baseline_shown_median_s": round(statistics.median(base_t), 3),
        "ratio_vs_bare_qt": round(statistics.median(app_t) / statistics.median(base_t), 2),
        "rss_when_shown_mb": round(max(app_rss) / 2**20, 1),
        "idle_rss_mb": round(idle_rss / 2**20, 1),  # 6 s after start, background warm-ups done
        "targets": {"shown_s": 1.5, "idle_rss_mb": 200},
    }
    res["pass"] = res["app_shown_max_s"] <= 1.5 and res["idle_rss_mb"] < 200
    print(f"window shown: median {res['app_shown_median_s']} s (max {res['app_shown_max_s']} s); bare Qt "
          f"{res['baseline_shown_median_s']} s; ratio {res['ratio_vs_bare_qt']}x; RSS when shown "
          f"{res['rss_when_shown_mb']} MB, idle after 6 s {res['idle_rss_mb']} MB")
    save("startup", res)
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
