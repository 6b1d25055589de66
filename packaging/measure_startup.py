"""Time from launching the bundled ``hearth`` to its first shown main window (and the bundle's size).

    python packaging/measure_startup.py                    # offscreen Qt platform, 7 runs
    python packaging/measure_startup.py --platform xvfb    # a real X11 window on Xvfb (apt-get install xvfb)
    python packaging/measure_startup.py --source           # the same, for `python main.py` from the venv

Each run starts the program in a clean environment (HOME and HEARTH_HOME in a fresh temporary folder,
PATH=/usr/bin:/bin, no Python variables) with ``HEARTH_STARTUP_PROBE=1``: the GUI prints
``HEARTH_SHOWN rss=<bytes>`` once the main window is shown and painted, then quits. The time is measured
from spawning the process to reading that line. The first run is a cold start (files not yet in the page
cache) and is reported apart; the median is over the others. Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clean_env(tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {"HOME": str(tmp), "PATH": "/usr/bin:/bin", "HEARTH_HOME": str(tmp / "hearth_home"),
           "LANG": "C.UTF-8", "HEARTH_STARTUP_PROBE": "1"}
    env.update(extra or {})
    return env


def one_run(cmd: list[str], env_extra: dict[str, str], timeout: float = 120) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="hearth-start-") as tmp:
        env = clean_env(Path(tmp), env_extra)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        shown = None
        rss = -1
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("HEARTH_SHOWN"):
                shown = time.perf_counter() - t0
                rss = int(line.split("rss=")[1])
                break
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        if shown is None:
            raise RuntimeError(f"no HEARTH_SHOWN line (exit {proc.returncode}): {err[-2000:]}")
        return shown, rss


class Xvfb:
    """A private X server for the measurement (display :91 upwards)."""

    def __init__(self) -> None:
        self.proc = None
        self.display = ""

    def __enter__(self) -> "Xvfb":
        exe = shutil.which("Xvfb")
        if exe is None:
            raise SystemExit("Xvfb is not installed (apt-get install xvfb)")
        for n in range(91, 120):
            if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
                continue
            self.proc = subprocess.Popen([exe, f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                if Path(f"/tmp/.X11-unix/X{n}").exists():
                    self.display = f":{n}"
                    return self
                time.sleep(0.05)
            self.proc.kill()
        raise SystemExit("could not start Xvfb")

    def __exit__(self, *exc) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def measure(cmd: list[str], env_extra: dict[str, str], runs: int) -> dict:
    times, rss = [], []
    for _ in range(runs):
        t, r = one_run(cmd, env_extra)
        times.append(t)
        rss.append(r)
    warm = times[1:] or times
    return {"first_run_s": round(times[0], 3), "median_s": round(statistics.median(warm), 3),
            "min_s": round(min(warm), 3), "max_s": round(max(warm), 3), "runs": runs,
            "rss_mib": round(statistics.median(rss) / 2**20, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--platform", choices=["offscreen", "xvfb"], default="offscreen")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--bundle", type=Path, default=ROOT / "dist" / "hearth" / "hearth")
    p.add_argument("--source", action="store_true", help="measure `python main.py` from the venv instead")
    args = p.parse_args(argv)
    cmd = [sys.executable, str(ROOT / "main.py")] if args.source else [str(args.bundle)]
    if args.source:
        # the venv's Python must find the source tree; everything else stays clean
        extra = {"PYTHONPATH": str(ROOT)}
    else:
        extra = {}
    if args.platform == "xvfb":
        with Xvfb() as x:
            result = measure(cmd, {**extra, "QT_QPA_PLATFORM": "xcb", "DISPLAY": x.display}, args.runs)
    else:
        result = measure(cmd, {**extra, "QT_QPA_PLATFORM": "offscreen"}, args.runs)
    result.update(platform=args.platform, what="source" if args.source else str(args.bundle))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
