"""Downloads, side by side in one run:

1. throughput of Hearth's downloader (real huggingface_hub client, sha256 verified) vs ``curl`` fetching the same
   file from the same loopback Hub server (a separate process, serving with sendfile); median of interleaved runs;
2. resume after SIGKILL at ~50%: bytes the server sends again beyond what was missing (target: <= 1%);
3. remote fit verdicts for a 4 GB model and a 3 GB split model: bytes the server sends (target: < 16 MB).

Run: ``python -m benchmarks download_throughput``."""
from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import ROOT, model, save

sys.path.insert(0, str(ROOT))


def throughput(runs: int = 9) -> dict:
    """curl and Hearth fetch the same file from the same server process, one after the other, the order swapped
    every round (so neither always gets the warmer page cache), after one untimed warm-up of each (curl's start
    and Hearth's first imports are not what is measured). Hearth's time includes its metadata requests (model
    info, HEAD), writing the ``.incomplete`` file, the sha256 check and moving the file into place; curl only
    writes the file. CPU seconds are the client's (curl's rusage; Hearth's process time, all threads)."""
    import resource

    from app.core import net
    from app.core.downloads import Downloader, FileTarget

    f = model("gemma-3-270m-q4_k_m.gguf")
    size = f.stat().st_size
    srv = subprocess.Popen([sys.executable, "-m", "tests.hub.server", str(f)], cwd=ROOT, stdout=subprocess.PIPE,
                           text=True)
    url = srv.stdout.readline().strip()
    net.configure(offline=False, endpoint=url)
    work = Path(tempfile.mkdtemp(prefix="hearth-bench-"))
    curl, hearth, curl_cpu, hearth_cpu, curl_sha = [], [], [], [], []

    def run_curl(record: bool) -> None:
        out = work / "curl.bin"
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(["curl", "-sS", "-o", str(out), f"{url}/local/files/resolve/main/{f.name}"], check=True)
        secs = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.unlink()
        if record:
            curl.append(size / secs)
            curl_cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)

    def run_curl_sha(record: bool) -> None:  # context: curl, then the check Hearth always does
        out = work / "curl-sha.bin"
        t = time.perf_counter()
        subprocess.run(["sh", "-c", f'curl -sS -o "{out}" "{url}/local/files/resolve/main/{f.name}" && '
                                    f'sha256sum "{out}" > /dev/null'], check=True)
        secs = time.perf_counter() - t
        out.unlink()
        if record:
            curl_sha.append(size / secs)

    def run_hearth(record: bool) -> None:
        c = time.process_time()
        t = time.perf_counter()
        p = Downloader(work / "models", endpoint=url).run(FileTarget("local/files", f.name))
        secs = time.perf_counter() - t
        cpu = time.process_time() - c
        p.unlink()
        if record:
            hearth.append(size / secs)
            hearth_cpu.append(cpu)

    load = os.getloadavg()[0]
    try:
        run_curl(False)
        run_hearth(False)
        for i in range(runs):
            for fn in ((run_curl, run_hearth) if i % 2 == 0 else (run_hearth, run_curl)):
                fn(True)
            run_curl_sha(True)
    finally:
        srv.terminate()
        srv.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    c, h = statistics.median(curl), statistics.median(hearth)
    return {"file_bytes": size, "runs": runs, "curl_MBps": round(c / 1e6, 1), "hearth_MBps": round(h / 1e6, 1),
            "ratio": round(h / c, 3), "curl_all_MBps": [round(x / 1e6) for x in curl],
            "hearth_all_MBps": [round(x / 1e6) for x in hearth],
            "curl_then_sha256sum_MBps": round(statistics.median(curl_sha) / 1e6, 1),
            "hearth_vs_curl_then_sha256sum": round(h / statistics.median(curl_sha), 3),
            "curl_cpu_s_median": round(statistics.median(curl_cpu), 3),
            "hearth_cpu_s_median": round(statistics.median(hearth_cpu), 3),
            "load_average_before": round(load, 2), "load_average_after": round(os.getloadavg()[0], 2),
            "note": "same file, same server process (sendfile), alternating order, one warm-up each; Hearth's "
                    "time includes the metadata requests (model info, HEAD), the sha256 check and the move "
                    "into place"}


def resume_after_kill() -> dict:
    from tests.hub.server import HubServer, Repo, source_from_file

    f = model("SmolLM2-135M-Instruct.Q4_1.gguf")
    size = f.stat().st_size
    srv = HubServer().start()
    srv.add(Repo("bench/Resume-GGUF")).files[f.name] = source_from_file(f)
    home = Path(tempfile.mkdtemp(prefix="hearth-bench-home-"))
    env = dict(os.environ, HEARTH_HOME=str(home), HF_ENDPOINT=srv.url,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    cmd = [sys.executable, str(ROOT / "main.py"), "download", "bench/Resume-GGUF", f.name, "--quiet"]
    part = home / "data" / "models" / "bench" / "Resume-GGUF" / ".partial" / (f.name + ".incomplete")
    try:
        srv.faults.throttle_bps = 30e6
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (part.exists() and part.stat().st_size >= size // 2):
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        have = part.stat().st_size
        srv.faults.throttle_bps = None
        srv.reset_counters()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        sent = srv.bytes_sent
    finally:
        srv.stop()
        shutil.rmtree(home, ignore_errors=True)
    again = sent - (size - have)
    return {"file_bytes": size, "killed_at_bytes": have, "killed_at_fraction": round(have / size, 3),
            "server_bytes_after_restart": sent, "retransferred_bytes": again,
            "retransferred_fraction": round(again / size, 5)}


def remote_fit() -> dict:
    """Fit verdicts for a 4 GB model and a 3 GB model split in 3 shards, through the shared header reader
    (app.core.gguf.remote) and Hearth's client: bytes the server sends (target: < 16 MB each)."""
    from app.core.fit import verdicts as fit_verdicts
    from app.core.fit.here import FitSettings
    from app.core import net
    from tests.hub.gguf_files import model_header, split_shards
    from tests.hub.server import HubServer, Repo, synthetic_source

    header, data = model_header()  # a 7B-class llama, Q4_K: about 4 GB
    srv = HubServer().start()
    size = len(header) + data
    repo = srv.add(Repo("bench/Big-GGUF"))
    repo.files["big-Q4_K_M.gguf"] = synthetic_source(header, size)
    shards = []
    for n, (head, shard_size) in enumerate(split_shards(), start=1):  # Llama-3.1-8B widths, 8 blocks, Q8_0
        name = f"split-Q8_0-{n:05d}-of-00003.gguf"
        repo.files[name] = synthetic_source(head, shard_size)
        shards.append((name, shard_size))
    net.configure(offline=False, endpoint=srv.url)
    out = {}
    try:
        for key, files in (("single", [("big-Q4_K_M.gguf", size)]), ("split", shards)):
            srv.reset_counters()
            t = time.perf_counter()
            v = fit_verdicts.remote_verdict("bench/Big-GGUF", "main", files, FitSettings(4096), endpoint=srv.url)
            secs = time.perf_counter() - t
            out[key] = {"remote_file_bytes": sum(s for _n, s in files), "files": len(files),
                        "server_bytes_sent": srv.bytes_sent, "client_bytes_read": v.bytes_read,
                        "requests": len(srv.requests), "verdict": v.label, "bits_per_weight": round(v.bpw, 2),
                        "seconds": round(secs, 3)}
    finally:
        srv.stop()
    return out


def main(argv: list[str]) -> int:
    if shutil.which("curl") is None:
        print("curl is missing: apt-get install -y curl", file=sys.stderr)
        return 1
    # the machine is shared: the throughput comparison is repeated (each repeat: 9 alternating rounds) and the
    # repeat with the median ratio is reported, with every repeat's ratio and load next to it
    repeats = [throughput() for _ in range(int(os.environ.get("HEARTH_BENCH_REPEATS", "3")))]
    repeats.sort(key=lambda x: x["ratio"])
    tp = dict(repeats[len(repeats) // 2])
    tp["ratio_every_repeat"] = [x["ratio"] for x in repeats]
    tp["load_average_every_repeat"] = [x["load_average_before"] for x in repeats]
    res = {"throughput": tp, "resume_after_sigkill": resume_after_kill(), "remote_fit": remote_fit()}
    out = save("download_throughput", res)
    t, r, f = res["throughput"], res["resume_after_sigkill"], res["remote_fit"]
    print(f"throughput: curl {t['curl_MBps']} MB/s, Hearth {t['hearth_MBps']} MB/s ({t['ratio']:.0%} of curl); "
          f"curl then sha256sum {t['curl_then_sha256sum_MBps']} MB/s; CPU s per file: curl "
          f"{t['curl_cpu_s_median']}, Hearth {t['hearth_cpu_s_median']}; ratio of every repeat "
          f"{t['ratio_every_repeat']} at load {t['load_average_every_repeat']}")
    print(f"resume after SIGKILL at {r['killed_at_fraction']:.0%}: re-transferred {r['retransferred_bytes']} bytes "
          f"({r['retransferred_fraction']:.3%} of the file)")
    for key, x in f.items():
        print(f"remote fit of a {x['remote_file_bytes'] / 1e9:.1f} GB model in {x['files']} file(s): "
              f"{x['server_bytes_sent'] / 1e6:.2f} MB sent by the server in {x['requests']} requests ({x['verdict']})")
    print(f"saved {out}")
    ok = (t["ratio"] >= 0.9 and r["retransferred_fraction"] <= 0.01
          and all(x["server_bytes_sent"] < 16 * 1024 * 1024 for x in f.values()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
