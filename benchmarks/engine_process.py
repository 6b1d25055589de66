"""The engine process, side by side with llama.cpp's own ``llama-bench`` in one run.

1. Streaming speed through the engine process vs ``llama-bench -p 0 -n 128`` (tg128) built from the same vendored
   llama.cpp with the same flags and threads (benchmarks/llama_bench.py), on SmolLM2-135M and Gemma 3 270M,
   alternating runs: (a) ``EngineProcess.generate`` as the window's engine worker uses it, tokens/s measured
   where the text arrives; (b) ``hearth chat --json`` as a user runs it (the same measurement, made in the
   command's process), with the same sampling as (a) and llama-bench's work: greedy, no repeat penalty (with
   the default 1.1 the reply ends after ~70 of the 128 tokens, so the two would not time the same work). Target: >= 90% of tg128.
2. Crash recovery through the real window: SIGKILL to the engine process mid-reply; how long until the engine is
   loaded again (target <= 3 s with SmolLM2), the longest the window's event loop waited meanwhile (target
   <= 50 ms), and whether the next message gets a reply.
3. The window process's memory with a model loaded, idle, after every page was shown (target <= 150 MB); the
   model's memory is in the engine process.

``python -m benchmarks engine_process`` (``HEARTH_BENCH_ROUNDS`` rounds, 9 unless set).
"""
from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import llama_bench  # noqa: E402
from benchmarks._common import ROOT, model, save  # noqa: E402

PROMPT = "Count from 1 to 300 in words, separated by commas."
N_GEN = 128
MODELS = ("SmolLM2-135M-Instruct.Q4_1.gguf", "gemma-3-270m-q4_k_m.gguf")


def engine_tps(engine, threads: int) -> float:
    from app.core.engine import GenerationRequest, ReplyStats, Sampling
    from app.core.engine.generation import Cancel

    stats = ReplyStats()
    req = GenerationRequest([{"role": "user", "content": PROMPT}],
                            Sampling(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0,
                                     max_tokens=N_GEN))
    for _ in engine.generate(req, Cancel(), stats):  # a Cancel, as the window and `hearth chat` pass
        pass
    return stats.tokens_per_s  # tokens after the first over the time from first to last, as the window counts


def cli_tps(path: Path, threads: int) -> float:
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "chat", str(path), PROMPT, "--json", "--temperature",
                        "0", "--repeat-penalty", "1", "--max-tokens", str(N_GEN), "--threads", str(threads),
                        "--ctx", "1024"],
                       capture_output=True, text=True, timeout=300, check=True)
    return float(json.loads(r.stdout.strip().splitlines()[-1])["stats"]["tokens_per_s"])


def speed(rounds: int) -> dict:
    from app.core.engine import LoadOptions, physical_cores
    from app.core.engine.process import EngineProcess

    threads = physical_cores()
    llama_bench.build()
    out = {}
    for name in MODELS:
        path = model(name)
        engine = EngineProcess()
        engine.load(path, LoadOptions(n_ctx=1024, n_threads=threads))
        engine_tps(engine, threads)  # warm-up: page faults of a fresh process
        bench, proc, cli = [], [], []
        for i in range(rounds):  # alternate and swap the order: machine noise hits all three alike
            order = ("bench", "engine", "cli") if i % 2 == 0 else ("cli", "engine", "bench")
            for who in order:
                if who == "bench":
                    bench.append(llama_bench.tg(path, N_GEN, threads, reps=1, flash_attn=engine.options.flash_attn))
                elif who == "engine":
                    proc.append(engine_tps(engine, threads))
                else:
                    cli.append(cli_tps(path, threads))
        engine.unload()
        out[name] = {
            "threads": threads,
            "llama_bench_tg128": [round(x, 1) for x in bench],
            "engine_process": [round(x, 1) for x in proc],
            "hearth_chat": [round(x, 1) for x in cli],
            "engine_ratio": round(statistics.median(p / b for p, b in zip(proc, bench)), 3),
            "hearth_chat_ratio": round(statistics.median(c / b for c, b in zip(cli, bench)), 3),
        }
        print(f"{name}: llama-bench tg128 {statistics.median(bench):.1f} tok/s; engine process "
              f"{statistics.median(proc):.1f} ({out[name]['engine_ratio']:.1%}); hearth chat "
              f"{statistics.median(cli):.1f} ({out[name]['hearth_chat_ratio']:.1%})")
    return out


def crash_and_memory(repeats: int) -> dict:
    import psutil
    from PySide6.QtCore import QEventLoop, QTimer

    from app.ui.application import create_app, make_context, settle_after_startup
    from app.ui.main_window import MainWindow
    from benchmarks.chat_stream import Probe

    def run_until(cond, timeout=60.0) -> None:
        end = time.perf_counter() + timeout
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(2)
        timer.timeout.connect(lambda: (cond() or time.perf_counter() > end) and loop.quit())
        timer.start()
        loop.exec()
        timer.stop()
        if not cond():
            raise TimeoutError

    path = model(MODELS[0])
    with tempfile.TemporaryDirectory() as home:
        os.environ["HEARTH_HOME"] = home
        dest = Path(home, "data", "models", "HuggingFaceTB", "SmolLM2-135M-Instruct-GGUF")
        dest.mkdir(parents=True)
        os.link(path, dest / path.name)
        _app = create_app()  # kept: the QApplication lives as long as this name
        ctx = make_context()
        win = MainWindow(ctx)
        win.resize(1280, 860)
        win.show()
        settle_after_startup()
        page = win.chat_page
        page.load_selected()
        run_until(lambda: page.engine.info is not None)
        page.panel.max_tokens.setValue(300)
        page.panel.temperature.setValue(0.0)  # the long, deterministic counting reply: it is still streaming
        page.panel.repeat_penalty.setValue(1.0)  # when the engine is killed
        probe = Probe()
        back, late, replies = [], [], []
        for _ in range(repeats):
            page.new_chat()
            got = []
            cb = lambda g, t: got.append(t)  # noqa: E731
            page.engine.delta.connect(cb)
            page.input.setPlainText(PROMPT)
            page.send()
            run_until(lambda: len(got) >= 3 or not page.session.generating)
            page.engine.delta.disconnect(cb)
            if not page.session.generating:
                raise SystemExit("the reply ended before the engine could be killed mid-reply")
            probe.late.clear()
            probe.start()
            t0 = time.perf_counter()
            os.kill(page.engine.worker.engine.pid, signal.SIGKILL)
            run_until(lambda: not page.session.generating and page.engine.info is not None)
            back.append(time.perf_counter() - t0)
            probe.stop()
            late.append(max(probe.late, default=0.0))
            page.panel.max_tokens.setValue(8)
            page.input.setPlainText("Say hello.")
            page.send()
            run_until(lambda: not page.session.generating)
            replies.append(page.model.messages()[-1].state == "done" and bool(page.model.messages()[-1].text))
            page.panel.max_tokens.setValue(300)
        for i in range(4):  # every page shown once, then idle
            win.show_page(i)
            t = time.perf_counter()
            run_until(lambda: time.perf_counter() - t > 3, timeout=10)
        win.show_page(0)
        t = time.perf_counter()
        run_until(lambda: time.perf_counter() - t > 5, timeout=10)
        gui_rss = psutil.Process().memory_info().rss
        engine_rss = psutil.Process(page.engine.worker.engine.pid).memory_info().rss
        llama_in_gui = "llama_cpp" in sys.modules
        win.close()
    res = {"restart_s": [round(x, 2) for x in back], "restart_s_max": round(max(back), 2),
           "gui_max_late_ms_during_recovery": round(max(late) * 1000, 1), "next_reply_ok": all(replies),
           "gui_idle_rss_mb": round(gui_rss / 2**20, 1), "engine_rss_mb": round(engine_rss / 2**20, 1),
           "llama_cpp_loaded_in_gui": llama_in_gui}
    print(f"crash recovery: engine back in {statistics.median(back):.2f} s (max {max(back):.2f} s), window late "
          f"at most {res['gui_max_late_ms_during_recovery']} ms, next reply ok: {all(replies)}; window RSS "
          f"{res['gui_idle_rss_mb']} MB idle with the model loaded (engine process {res['engine_rss_mb']} MB)")
    return res


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else int(os.environ.get("HEARTH_BENCH_ROUNDS", "9"))
    res = {"speed": speed(rounds), "crash_and_memory": crash_and_memory(5)}
    cm = res["crash_and_memory"]
    res["targets"] = {"ratio_vs_llama_bench": 0.9, "restart_s": 3.0, "gui_max_late_ms": 50, "gui_idle_rss_mb": 150}
    res["pass"] = (all(m["engine_ratio"] >= 0.9 and m["hearth_chat_ratio"] >= 0.9 for m in res["speed"].values())
                   and cm["restart_s_max"] <= 3.0 and cm["gui_max_late_ms_during_recovery"] <= 50
                   and cm["next_reply_ok"] and cm["gui_idle_rss_mb"] <= 150)
    save("engine_process", res)
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
