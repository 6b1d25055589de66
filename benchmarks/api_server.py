"""The local API server (issue 14), side by side in one run.

1. Streaming speed: tokens/s a client sees through ``POST /v1/chat/completions`` (SSE, timed where the chunks
   arrive) vs ``hearth chat --json`` on the same model, prompt and settings, alternating (target >= 95%).
2. Load against the window: the real main window serving SmolLM2 (Network page's server on), 16 concurrent
   clients x 100 requests from another process (a mix: chat, streamed chat, streamed chat dropped after its first
   event, malformed bodies, completions). Reported: every status, requests without an answer (hung), whether the
   server and the window survived, the GUI thread's longest block (a probe outside it, 5 ms ticks; target
   <= 50 ms), the window process's RSS growth over the run (target < 20 MB), time to first byte of requests that
   waited in the queue, and the longest queue seen.

``python -m benchmarks api_server``; ``--load URL MODEL CLIENTS REQUESTS OUT`` is the load generator's own process.
"""
from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import ROOT, model, save  # noqa: E402

PROMPT = "Count from 1 to 300 in words, separated by commas."
N_GEN = 128


# ---- 1. streaming speed ---------------------------------------------------------------------------------------
def speed(rounds: int) -> dict:
    from app.core.engine import LoadOptions, physical_cores
    from app.core.engine.process import EngineProcess
    from app.core.server import ApiServer, ProcessBackend, ServerConfig, model_ids
    from benchmarks.engine_process import cli_tps

    path = model("SmolLM2-135M-Instruct.Q4_1.gguf")
    threads = physical_cores()
    backend = ProcessBackend(EngineProcess(), path, LoadOptions(n_ctx=1024, n_threads=threads))
    backend.start()
    server = ApiServer(ServerConfig(port=0), backend).start()
    mid = model_ids(path)[0]
    api, cli = [], []
    try:
        stream_once(server.url, mid)  # warm-up
        for i in range(rounds):
            for who in (("api", "cli") if i % 2 == 0 else ("cli", "api")):
                if who == "api":
                    api.append(stream_once(server.url, mid))
                else:
                    cli.append(cli_tps(path, threads))
    finally:
        server.stop()
        backend.close()
    ratio = statistics.median(a / c for a, c in zip(api, cli))
    print(f"streaming: API {statistics.median(api):.1f} tok/s vs hearth chat {statistics.median(cli):.1f} tok/s "
          f"= {ratio:.1%} (target >= 95%)")
    return {"api_tokens_per_s": [round(x, 1) for x in api], "hearth_chat_tokens_per_s": [round(x, 1) for x in cli],
            "ratio": round(ratio, 3)}


def stream_once(url: str, model_id: str) -> float:
    """Tokens/s of one streamed reply as the client sees it: tokens after the first over the time from the first
    content event to the last (the same count ``hearth chat`` reports), tokens from the usage event."""
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    body = json.dumps({"model": model_id, "stream": True, "max_tokens": N_GEN, "temperature": 0,
                       "stream_options": {"include_usage": True},
                       "messages": [{"role": "user", "content": PROMPT}]})
    conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    r = conn.getresponse()
    first = last = None
    n = 0
    for raw in r:
        line = raw.decode().strip()
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        ch = json.loads(line[6:])
        if ch.get("usage"):
            n = ch["usage"]["completion_tokens"]
        if ch["choices"] and ch["choices"][0]["delta"].get("content"):
            now = time.perf_counter()
            first = first or now
            last = now
    conn.close()
    return (n - 1) / (last - first)


# ---- 2. load ---------------------------------------------------------------------------------------------------
def one_request(url: str, model_id: str, kind: int) -> dict:
    u = urlparse(url)
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=180)
    msgs = [{"role": "user", "content": "Say something short."}]
    bodies = {0: {"model": model_id, "messages": msgs, "max_tokens": 6},
              1: {"model": model_id, "messages": msgs, "max_tokens": 6, "stream": True},
              2: {"model": model_id, "messages": msgs, "max_tokens": 64, "stream": True},
              3: None,
              4: {"model": model_id, "prompt": "Once upon a time", "max_tokens": 6}}
    path = "/v1/completions" if kind == 4 else "/v1/chat/completions"
    raw = b"{not json" if kind == 3 else json.dumps(bodies[kind]).encode()
    out = {"kind": kind}
    try:
        conn.request("POST", path, raw, {"Content-Type": "application/json"})
        r = conn.getresponse()
        out["status"] = r.status
        out["ttfb_s"] = time.perf_counter() - t0
        if kind == 2 and r.status == 200:
            r.readline()  # the first event, then the client goes away
            conn.sock.close()
        else:
            r.read()
    except (TimeoutError, OSError) as exc:
        out["status"] = 0
        out["error"] = type(exc).__name__
    finally:
        conn.close()
    out["s"] = time.perf_counter() - t0
    return out


def load_generator(url: str, model_id: str, clients: int, per_client: int) -> list[dict]:
    results: list[dict] = []
    lock = threading.Lock()

    def client(c: int) -> None:
        for j in range(per_client):
            res = one_request(url, model_id, (c + j) % 5)
            with lock:
                results.append(res)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def load(clients: int, per_client: int) -> dict:
    import psutil
    from PySide6.QtCore import QEventLoop, QTimer

    from app.ui.application import make_context, open_main_window
    from app.starter import STARTER, models_dir_path
    from tests.support.gui_probe import GuiProbe

    def run_until(cond, timeout=600.0) -> None:
        end = time.perf_counter() + timeout
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: (cond() or time.perf_counter() > end) and loop.quit())
        timer.start()
        loop.exec()
        timer.stop()

    with tempfile.TemporaryDirectory() as home:
        os.environ["HEARTH_HOME"] = home
        dest = models_dir_path(Path(home) / "data" / "models", STARTER)
        dest.parent.mkdir(parents=True)
        os.link(model("SmolLM2-135M-Instruct.Q4_1.gguf"), dest)
        ctx = make_context()
        ctx.settings.extra["api_server"] = {"enabled": True, "port": 0}
        _app, win = open_main_window(ctx)
        page = win.chat_page
        page.load_selected()
        run_until(lambda: page.engine.info is not None and win.server.running, 120)
        url, mid = win.server.url(), dest.name[:-5]
        gate = page.engine.gate
        longest_queue = [0]
        gate.subscribe(lambda st: longest_queue.__setitem__(0, max(longest_queue[0], st.waiting)))
        run_until(lambda: False, 2)  # settle
        rss0 = psutil.Process().memory_info().rss
        probe = GuiProbe().start()
        out_file = Path(home) / "load.json"  # a file, not a pipe: 1,600 results would fill a pipe's buffer
        gen = subprocess.Popen([sys.executable, "-m", "benchmarks.api_server", "--load", url, mid, str(clients),
                                str(per_client), str(out_file)], cwd=ROOT)
        run_until(lambda: gen.poll() is not None, 1800)
        probe.stop()
        results = json.loads(out_file.read_text())
        run_until(lambda: False, 2)
        rss1 = psutil.Process().memory_info().rss
        alive = win.server.running and win.server.server._thread.is_alive()
        health = one_request(url, mid, 0)["status"]
        win.close()
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    queued = sorted(r["ttfb_s"] for r in results if r.get("status") == 200 and r["kind"] in (0, 4))
    res = {"clients": clients, "requests": len(results), "statuses": statuses,
           "hung_or_unanswered": statuses.get("0", 0), "server_alive": alive, "next_request_status": health,
           "gui_max_block_ms": round(probe.worst() * 1000, 1),
           "gui_p99_ms": round(sorted(late for _, late in probe.ticks)[int(len(probe.ticks) * 0.99) - 1] * 1000, 1),
           "window_rss_growth_mb": round((rss1 - rss0) / 2**20, 1),
           "ttfb_s_median": round(statistics.median(queued), 2) if queued else None,
           "ttfb_s_p95": round(queued[int(len(queued) * 0.95) - 1], 2) if queued else None,
           "longest_queue": longest_queue[0]}
    print(f"load: {len(results)} requests from {clients} clients: {statuses}; unanswered {res['hung_or_unanswered']}; "
          f"server alive {alive}; GUI block max {res['gui_max_block_ms']} ms (p99 {res['gui_p99_ms']}); window RSS "
          f"{res['window_rss_growth_mb']:+} MB; time to first byte median {res['ttfb_s_median']} s, p95 "
          f"{res['ttfb_s_p95']} s; longest queue {res['longest_queue']}")
    return res


def main(argv: list[str]) -> int:
    if argv[:1] == ["--load"]:
        url, mid, clients, per, out = argv[1], argv[2], int(argv[3]), int(argv[4]), argv[5]
        Path(out).write_text(json.dumps(load_generator(url, mid, clients, per)))
        return 0
    rounds = int(os.environ.get("HEARTH_BENCH_ROUNDS", "7"))
    clients = int(os.environ.get("HEARTH_BENCH_CLIENTS", "16"))
    per = int(os.environ.get("HEARTH_BENCH_REQUESTS", "100"))
    res = {"speed": speed(rounds), "load": load(clients, per)}
    ld = res["load"]
    res["targets"] = {"ratio": 0.95, "gui_max_block_ms": 50, "window_rss_growth_mb": 20, "hung_or_unanswered": 0}
    res["pass"] = (res["speed"]["ratio"] >= 0.95 and ld["hung_or_unanswered"] == 0 and ld["server_alive"]
                   and ld["next_request_status"] == 200 and ld["gui_max_block_ms"] <= 50
                   and ld["window_rss_growth_mb"] < 20)
    save("api_server", res)
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
