"""From a fresh start to the end of the first reply, the GUI thread never blocked more than 50 ms (issue 18).

Each run is a fresh process with a fresh ``HEARTH_HOME`` holding only the starter model (SmolLM2 135M), started as
the app starts (``open_main_window``); from the moment the window is shown a probe outside the GUI thread
(``tests/support/gui_probe.py``: a thread of its own hands the GUI thread a tick every 5 ms and records how late
each ran) watches while the user does what a first-time user does: the model is already picked, they type a
question and press Send without pressing Load (Send loads the model, then sends), the reply streams to its end.
Reported: the longest block and the 99th percentile over all runs, each block over 50 ms with what the GUI
thread was doing (its Python stack, sampled by the probe), and when Send, the load, the first token and the end
came. Building the window before it is shown is start-up time (``benchmarks/startup.py``), not a block: nothing
is on screen yet.

``python -m benchmarks first_reply`` (``HEARTH_BENCH_RUNS`` runs, 3 unless set); ``--one`` runs one in this
process and prints its JSON.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import ROOT, model, save  # noqa: E402

QUESTION = "What is a river? Answer in two sentences."
TARGET_MS = 50


def one() -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    from app.starter import STARTER, models_dir_path
    from app.ui.application import make_context, open_main_window
    from tests.support.gui_probe import GuiProbe

    home = Path(os.environ["HEARTH_HOME"])
    dest = models_dir_path(home / "data" / "models", STARTER)
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.link(model("SmolLM2-135M-Instruct.Q4_1.gguf"), dest)

    def run_for(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    ctx = make_context()
    _app, win = open_main_window(ctx)
    t_shown = time.perf_counter()
    probe = GuiProbe(sample_after_s=0.040).start()
    run_for(1.5)  # the user looks at the window
    page = win.chat_page
    page.panel.max_tokens.setValue(64)
    marks = {}
    page.engine.loaded.connect(lambda *a: marks.setdefault("loaded", time.perf_counter()))
    page.engine.delta.connect(lambda *a: marks.setdefault("first_token", time.perf_counter()))
    page.input.setPlainText(QUESTION)
    marks["send"] = time.perf_counter()
    done = QEventLoop()
    page.session.generating_changed.connect(lambda on: (not on and "first_token" in marks) and done.quit())
    QTimer.singleShot(120_000, done.quit)
    page.send()
    done.exec()
    marks["reply_done"] = time.perf_counter()
    run_for(0.5)
    probe.stop()
    reply = page.model.messages()[-1]
    win.close()
    late = sorted(late for _, late in probe.ticks)
    return {
        "ticks": len(late),
        "max_ms": round(late[-1] * 1000, 1),
        "p99_ms": round(late[int(len(late) * 0.99) - 1] * 1000, 1),
        "blocks_over_target": [{"at_ms": round((due - t_shown) * 1000), "ms": round(ms * 1000, 1)}
                               for due, ms in probe.blocks(TARGET_MS / 1000)],
        "samples": [{"at_ms": round((t - t_shown) * 1000), "stack": stack} for t, stack in probe.samples],
        "marks_ms": {k: round((v - t_shown) * 1000) for k, v in marks.items()},
        "reply_state": reply.state, "reply_chars": len(reply.text),
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(one()))
        return 0
    runs = int(os.environ.get("HEARTH_BENCH_RUNS", "3"))
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, HEARTH_HOME=home, QT_QPA_PLATFORM="offscreen")
            r = subprocess.run([sys.executable, "-m", "benchmarks.first_reply", "--one"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=300)
            if r.returncode != 0:
                print(r.stderr[-3000:], file=sys.stderr)
                return 1
            results.append(json.loads(r.stdout.strip().splitlines()[-1]))
    worst = max(r["max_ms"] for r in results)
    res = {
        "runs": results,
        "max_ms": worst,
        "p99_ms_median": statistics.median(r["p99_ms"] for r in results),
        "replies_ok": all(r["reply_state"] == "done" and r["reply_chars"] > 0 for r in results),
        "target_ms": TARGET_MS,
    }
    res["pass"] = worst <= TARGET_MS and res["replies_ok"]
    for i, r in enumerate(results, 1):
        m = r["marks_ms"]
        print(f"run {i}: longest block {r['max_ms']} ms, p99 {r['p99_ms']} ms ({r['ticks']} ticks); Send at "
              f"{m['send']} ms, loaded {m.get('loaded')} ms, first token {m.get('first_token')} ms, reply done "
              f"{m['reply_done']} ms after the window showed")
        for b in r["blocks_over_target"]:
            print(f"   block {b['ms']} ms at {b['at_ms']} ms")
    print(f"first reply: the GUI thread blocked at most {worst} ms over {runs} fresh starts (target {TARGET_MS} ms)")
    save("first_reply", res)
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
