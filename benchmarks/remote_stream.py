"""A model on a remote llama.cpp server, read by the chat window vs a bare streaming HTTP loop (issue 15).

llama.cpp's own ``llama-server`` (built from the same source as llama-bench, ``llama_bench.server_binary()``;
``--python`` uses llama-cpp-python's ``llama_cpp.server`` instead) serves SmolLM2 on 127.0.0.1 in its own process.
In one run, alternating rounds:

1. **bare loop**: ``http.client`` posts the chat request (streamed, greedy, 128 tokens) and reads the SSE lines;
   tokens/s = (tokens - 1) / (last content event - first content event), tokens from the usage event;
2. **chat view**: the real main window (offscreen) with the server added as a backend and its model picked;
   Send, and the reply streams into the chat view. Reported: the tokens/s the chat shows under the reply (its
   stats: measured where the text arrives), and the same figure timed at the view (first delta shown to the
   reply's end). Target: >= 97% of the bare loop.

During the window's rounds a probe outside the GUI thread (tests/support/gui_probe.py) records the GUI thread's
longest block (target <= 50 ms); the bare loop runs on the same thread, so it is not watched. Then Stop, 5 times, in the middle of a reply: the time from Stop to the reply's end in the
window (the request's socket shut; target <= 100 ms) and until the server says its slot is idle (``/slots``).

``python -m benchmarks remote_stream [--python]`` (``HEARTH_BENCH_ROUNDS`` rounds, 5 unless set).
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import model, save  # noqa: E402

PROMPT = "Count from 1 to 300 in words, separated by commas."
N_GEN = 128
STALL_TARGET_MS = 50
STOP_TARGET_MS = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, threads: int, python: bool, log) -> tuple[subprocess.Popen, str, str]:
    port = free_port()
    if python:
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", "smollm2",
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", str(threads)]
        name = "llama_cpp.server (llama-cpp-python)"
    else:
        from benchmarks.llama_bench import server_binary

        cmd = [str(server_binary()), "-m", str(path), "--alias", "smollm2", "--host", "127.0.0.1", "--port",
               str(port), "-c", "2048", "-t", str(threads), "-fa", "off", "-np", "1"]
        name = "llama-server (llama.cpp)"
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/v1/models")
            if c.getresponse().status == 200:
                c.close()
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{name} did not start (see {log.name})")
        time.sleep(0.3)
    return proc, f"http://127.0.0.1:{port}", name


def body(stream: bool = True) -> dict:
    return {"model": "smollm2", "stream": stream, "max_tokens": N_GEN, "temperature": 0, "top_p": 0.95,
            "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.0, "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": PROMPT}]}


def bare(url: str) -> float:
    host, port = url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=300)
    conn.request("POST", "/v1/chat/completions", json.dumps(body()), {"Content-Type": "application/json"})
    r = conn.getresponse()
    first = last = None
    n = chunks = 0
    for raw in r:
        line = raw.decode().strip()
        if not line.startswith("data:") or line.endswith("[DONE]"):
            continue
        ch = json.loads(line[5:])
        if ch.get("usage"):
            n = ch["usage"]["completion_tokens"]
        if ch.get("choices") and ch["choices"][0].get("delta", {}).get("content"):
            now = time.perf_counter()
            first = first or now
            last = now
            chunks += 1
    conn.close()
    return ((n or chunks) - 1) / (last - first)


def run(rounds: int, python: bool) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    from app.core.engine import physical_cores
    from app.core.remote import model_key
    from app.core.remote.probe import probe
    from app.ui.application import make_context, open_main_window
    from tests.support.gui_probe import GuiProbe

    # the server gets its own core(s) and the window the rest, as with a server on another machine; on this 2-core
    # machine: one each (with both cores the server's threads and the window take turns, which measures the
    # machine, not the client)
    threads = max(1, physical_cores() - 1)
    path = model("SmolLM2-135M-Instruct.Q4_1.gguf")
    log = tempfile.NamedTemporaryFile("w+b", suffix=".log", delete=False)
    proc, url, server_name = start_server(path, threads, python, log)
    home = tempfile.mkdtemp(prefix="hearth-remote-bench-")
    os.environ["HEARTH_HOME"] = home
    try:
        ctx = make_context()
        from app.core.net import policy

        backends = ctx.backends  # the store publishes its (empty) list of allowed hosts when it opens
        policy.allow_backend_host("127.0.0.1", int(url.rsplit(":", 1)[1]))
        backends.save(probe(url))
        _app, win = open_main_window(ctx)
        page = win.chat_page

        def wait(cond, timeout_s: float) -> None:
            loop = QEventLoop()
            end = time.monotonic() + timeout_s
            while not cond():
                if time.monotonic() > end:
                    raise SystemExit("timed out waiting in the window")
                QTimer.singleShot(5, loop.quit)
                loop.exec()

        key = model_key(url, "smollm2")
        page.refresh_models()
        page.model_combo.setCurrentIndex(page.model_combo.findData(key))
        page.load_selected()
        wait(lambda: page.engine.info is not None, 30)
        page.panel.temperature.setValue(0)
        page.panel.repeat_penalty.setValue(1.0)
        page.panel.max_tokens.setValue(N_GEN)

        view_times: dict = {}
        page.engine.delta.connect(lambda *_a: view_times.setdefault("first", time.perf_counter()))

        def window_round() -> tuple[float, float]:
            page.new_chat()
            view_times.clear()
            page.input.setPlainText(PROMPT)
            page.send()
            wait(lambda: not page.session.generating, 300)
            end = time.perf_counter()
            last = page.model.messages()[-1]
            stats = last.stats
            n = stats["completion_tokens"]
            return stats["tokens_per_s"], (n - 1) / (end - view_times["first"])

        bare(url)
        window_round()  # warm-up: both paths once
        b, shown, at_view, worst, samples = [], [], [], [], []
        for i in range(rounds):
            for who in (("bare", "view") if i % 2 == 0 else ("view", "bare")):
                if who == "bare":  # runs on this (the GUI) thread: the probe watches the window rounds only
                    b.append(bare(url))
                else:
                    probe_ = GuiProbe(sample_after_s=0.040).start()
                    s, v = window_round()
                    probe_.stop()
                    worst.append(probe_.worst() * 1000)
                    samples.extend(stack for _t, stack in probe_.samples)
                    shown.append(s)
                    at_view.append(v)
        worst_ms = max(worst)
        samples = samples[:3]

        stops, idle = [], []
        for _ in range(5):
            page.new_chat()
            page.input.setPlainText(PROMPT)
            page.send()
            wait(lambda: len(page.model.messages()[-1].text) > 40, 60)
            t0 = time.perf_counter()
            page.stop()
            wait(lambda: not page.engine.busy, 10)
            stops.append((time.perf_counter() - t0) * 1000)
            if not python:
                wait(lambda: _slot_idle(url), 10)
                idle.append((time.perf_counter() - t0) * 1000)
        win.close()
    finally:
        proc.terminate()
        proc.wait(10)
    ratio_shown = statistics.median(s / x for s, x in zip(shown, b))
    ratio_view = statistics.median(v / x for v, x in zip(at_view, b))
    print(f"server: {server_name}, {threads} thread(s), SmolLM2 135M Q4_1, {N_GEN} tokens greedy, {rounds} rounds")
    print(f"bare streaming loop: {statistics.median(b):.1f} tok/s; chat view (shown): {statistics.median(shown):.1f} "
          f"tok/s = {ratio_shown:.1%}; timed at the view: {statistics.median(at_view):.1f} tok/s = {ratio_view:.1%} "
          "(target >= 97%)")
    print(f"GUI thread's longest block while streaming: {worst_ms:.1f} ms (target <= {STALL_TARGET_MS} ms)")
    print(f"Stop to the reply's end: max {max(stops):.1f} ms, median {statistics.median(stops):.1f} ms "
          f"(target <= {STOP_TARGET_MS} ms)" + (f"; until the server's slot is idle: max {max(idle):.0f} ms"
                                                 if idle else ""))
    return {"server": server_name, "threads": threads, "bare_tokens_per_s": [round(x, 1) for x in b],
            "view_shown_tokens_per_s": [round(x, 1) for x in shown],
            "view_timed_tokens_per_s": [round(x, 1) for x in at_view], "ratio_shown": round(ratio_shown, 3),
            "ratio_view": round(ratio_view, 3), "gui_worst_block_ms": round(worst_ms, 1),
            "gui_worst_block_ms_per_round": [round(x, 1) for x in worst], "gui_block_stacks": samples,
            "stop_ms": [round(x, 1) for x in stops], "server_idle_after_stop_ms": [round(x) for x in idle]}


def _slot_idle(url: str) -> bool:
    host, port = url.split("//")[1].split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=2)
    try:
        c.request("GET", "/slots")
        r = c.getresponse()
        data = json.loads(r.read() or b"[]")
        return r.status != 200 or not any(s.get("is_processing") for s in data)
    finally:
        c.close()


def main(argv: list[str]) -> int:
    python = "--python" in argv
    rounds = int(os.environ.get("HEARTH_BENCH_ROUNDS", "5"))
    result = run(rounds, python)
    out = save("remote_stream" + ("_python" if python else ""), result)
    print(f"saved {out}")
    ok = (min(result["ratio_shown"], result["ratio_view"]) >= 0.97 and result["gui_worst_block_ms"] <= STALL_TARGET_MS
          and max(result["stop_ms"]) <= STOP_TARGET_MS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
