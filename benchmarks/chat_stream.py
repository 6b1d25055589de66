"""Streaming through the whole chat stack (window, engine worker, engine process) vs llama.cpp's own llama-bench
tg128 and raw llama-cpp-python, side by side in one run.

- throughput seen by the chat view (tokens arriving in the GUI thread's message model) vs ``llama-bench -n 128``
  built from the same llama.cpp with the same flags and threads (target >= 90%), and vs a plain in-process
  ``create_chat_completion(stream=True)`` loop on the same model, prompt and settings (target >= 97%);
- GUI event-loop health while generating: a 5 ms timer records how late it fires; targets max < 50 ms, p99 < 20 ms;
- time to first token of turn 10 vs turn 1 of a conversation, same new-message length; target <= 1.5x;
- how long Stop takes: to the UI (immediate) and until the engine worker has really stopped; target < 100 ms.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import model, save  # noqa: E402

PROMPT = "Write the numbers from 1 to 400 as words, separated by commas."
MAX_TOKENS = 128  # as llama-bench's tg128, the baseline
N_CTX = 4096


def raw_run(llm) -> tuple[int, float]:
    """Tokens and seconds from first to last token, plain llama-cpp-python streaming."""
    t_first = t_last = None
    n = 0
    for chunk in llm.create_chat_completion([{"role": "user", "content": PROMPT}], stream=True,
                                            max_tokens=MAX_TOKENS, temperature=0.0, top_k=1, top_p=1.0,
                                            min_p=0.0, repeat_penalty=1.0, seed=42):
        if chunk["choices"][0]["delta"].get("content"):
            now = time.perf_counter()
            t_first = t_first or now
            t_last = now
            n += 1
    return n, t_last - t_first


class Probe:
    """A 5 ms precise timer that records how late each tick fires (GUI event-loop latency)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.late: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self._last = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.late.append(max(0.0, now - self._last - 0.005))
        self._last = now

    def start(self) -> None:
        self._last = None
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def hearth_run(app, page, probe: Probe | None) -> tuple[int, float, int]:
    """Tokens seen by the chat view and seconds from first to last arrival, through GUI + worker + engine."""
    arrivals: list[float] = []
    stats_box = {}

    def on_delta(gen, text):
        arrivals.append(time.perf_counter())

    def on_finished(gen, stats):
        stats_box["s"] = stats

    page.engine.delta.connect(on_delta)
    page.engine.finished.connect(on_finished)
    page.new_chat()
    page.input.setPlainText(PROMPT)
    if probe:
        probe.start()
    page.send()
    run_until(page.session.generating_changed)  # the real event loop, as in the app (no busy polling)
    if probe:
        probe.stop()
    page.engine.delta.disconnect(on_delta)
    page.engine.finished.disconnect(on_finished)
    s = stats_box["s"]
    text = page.model.messages()[-1].text
    return s.completion_tokens, arrivals[-1] - arrivals[0], len(text)


def run_until(signal, timeout_ms: int = 300_000) -> None:
    """Run the Qt event loop until ``signal`` fires (what ``app.exec()`` does in the app)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def wait(app, cond, timeout=120.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.001)


def ttft_turns(app, page, run: int, turns: int = 10) -> list[float]:
    """Time from Send to the first token in the view, for each turn of one conversation. Every message has the
    same length and is new (the run number is in it), so no turn is answered from an earlier run's cache."""
    out = []
    page.new_chat()
    for i in range(turns):
        arrived = []
        cb = lambda g, t: arrived.append(time.perf_counter())  # noqa: E731
        page.engine.delta.connect(cb)
        page.input.setPlainText(f"Run {run:02d} turn {i:02d}: name one animal that lives in the sea, please.")
        t0 = time.perf_counter()
        page.send()
        run_until(page.engine.delta)
        out.append(arrived[0] - t0)
        if page.session.generating:
            run_until(page.session.generating_changed)
        page.engine.delta.disconnect(cb)
    return out


def stop_latency(app, page) -> tuple[float, float]:
    page.new_chat()
    page.input.setPlainText(PROMPT)
    got = []
    cb = lambda g, t: got.append(t)  # noqa: E731
    page.engine.delta.connect(cb)
    page.send()
    while len(got) < 3:
        run_until(page.engine.delta)
    t0 = time.perf_counter()
    page.stop()
    ui = time.perf_counter() - t0
    if page.engine.busy:
        run_until(page.engine.busy_changed)
    worker = time.perf_counter() - t0
    page.engine.delta.disconnect(cb)
    return ui, worker


def main(argv: list[str]) -> int:
    import llama_cpp

    from app.ui.application import create_app, make_context, settle_after_startup
    from app.ui.common.theme import apply_theme
    from app.ui.main_window import MainWindow

    path = model("SmolLM2-135M-Instruct.Q4_1.gguf")
    rounds = int(argv[0]) if argv else 6
    with tempfile.TemporaryDirectory() as home:
        os.environ["HEARTH_HOME"] = home
        dest = os.path.join(home, "data", "models", "HuggingFaceTB", "SmolLM2-135M-Instruct-GGUF")
        os.makedirs(dest)
        os.link(path, os.path.join(dest, path.name))
        app = create_app()
        apply_theme(app, "light")
        ctx = make_context()
        ctx.settings.n_ctx = N_CTX
        win = MainWindow(ctx)
        win.resize(1280, 860)
        win.show()
        settle_after_startup()  # as the app does at start-up
        page = win.chat_page
        page.load_selected()
        wait(app, lambda: page.engine.info is not None)
        p = page.panel
        p.temperature.setValue(0.0)
        p.top_k.setValue(1)
        p.top_p.setValue(1.0)
        p.min_p.setValue(0.0)
        p.repeat_penalty.setValue(1.0)
        p.seed.setValue(42)
        p.max_tokens.setValue(MAX_TOKENS)
        from app.core.engine import physical_cores
        from benchmarks import llama_bench

        threads = page.engine.worker.engine.options.n_threads or physical_cores()
        raw = llama_cpp.Llama(str(path), n_ctx=N_CTX, n_batch=512, n_threads=threads, n_threads_batch=threads,
                              verbose=False)
        probe = Probe()
        raw_tps, hearth_tps, bench_tps = [], [], []
        raw_run(raw)  # one warm-up run each: the first generation of a fresh model pays for page faults
        hearth_run(app, page, None)
        for i in range(rounds):  # alternate, and swap who goes first: machine noise and drift hit both alike
            for who in (("raw", "bench", "hearth") if i % 2 == 0 else ("hearth", "bench", "raw")):  # no probe
                if who == "bench":
                    bench_tps.append(llama_bench.tg(path, 128, threads, reps=1,
                                                    flash_attn=page.engine.worker.engine.options.flash_attn))
                elif who == "raw":
                    n, secs = raw_run(raw)
                    raw_tps.append((n - 1) / secs)
                else:
                    n, secs, _chars = hearth_run(app, page, None)
                    hearth_tps.append((n - 1) / secs)
        raw.close()
        for _ in range(2):  # the event-loop probe, in runs of their own
            hearth_run(app, page, probe)
        late = sorted(probe.late)
        ttft = [ttft_turns(app, page, run) for run in range(3)]
        stops = [stop_latency(app, page) for _ in range(3)]
        win.close()
    ratio = statistics.median(h / r for h, r in zip(hearth_tps, raw_tps))
    bench_ratio = statistics.median(h / b for h, b in zip(hearth_tps, bench_tps))
    t1 = statistics.median(t[0] for t in ttft)
    t10 = statistics.median(t[-1] for t in ttft)
    res = {
        "model": path.name,
        "max_tokens": MAX_TOKENS,
        "raw_tokens_per_s": [round(x, 1) for x in raw_tps],
        "hearth_tokens_per_s": [round(x, 1) for x in hearth_tps],
        "throughput_ratio": round(ratio, 3),
        "llama_bench_tg128_tokens_per_s": [round(x, 1) for x in bench_tps],
        "ratio_vs_llama_bench": round(bench_ratio, 3),
        "gui_timer_ticks": len(late),
        "gui_max_late_ms": round(late[-1] * 1000, 1),
        "gui_p99_late_ms": round(late[int(len(late) * 0.99) - 1] * 1000, 1),
        "ttft_turn1_s": round(t1, 3),
        "ttft_turn10_s": round(t10, 3),
        "ttft_ratio_turn10_turn1": round(t10 / t1, 2),
        "ttft_all_turns_s": [[round(x, 3) for x in t] for t in ttft],
        "stop_ui_ms": round(max(s[0] for s in stops) * 1000, 2),
        "stop_worker_ms_max": round(max(s[1] for s in stops) * 1000, 1),
        "targets": {"throughput_ratio": 0.97, "ratio_vs_llama_bench": 0.9, "gui_max_late_ms": 50, "gui_p99_late_ms": 20,
                    "ttft_ratio_turn10_turn1": 1.5, "stop_worker_ms_max": 100},
    }
    res["pass"] = (ratio >= 0.97 and bench_ratio >= 0.9 and res["gui_max_late_ms"] < 50 and res["gui_p99_late_ms"] < 20
                   and res["ttft_ratio_turn10_turn1"] <= 1.5 and res["stop_worker_ms_max"] < 100)
    print(f"throughput: Hearth {statistics.median(hearth_tps):.1f} tok/s vs llama-bench tg128 "
          f"{statistics.median(bench_tps):.1f} tok/s = {bench_ratio:.1%}, vs raw llama-cpp-python "
          f"{statistics.median(raw_tps):.1f} tok/s = {ratio:.1%}; GUI timer late max {res['gui_max_late_ms']} ms, p99 {res['gui_p99_late_ms']} ms; "
          f"TTFT turn 1 {t1 * 1000:.0f} ms, turn 10 {t10 * 1000:.0f} ms ({res['ttft_ratio_turn10_turn1']}x); "
          f"Stop: UI {res['stop_ui_ms']} ms, worker stopped within {res['stop_worker_ms_max']} ms")
    save("chat_stream", res)
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
