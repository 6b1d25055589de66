"""Reading a 2,000-message conversation on the GUI thread while another thread runs Python.

Python's sqlite3 lets go of the GIL once per row; next to a thread that is running Python, getting it back waits
for that thread's switch interval (5 ms), so a row-by-row read of N rows can take N x 5 ms. Side by side in one run:
the plain ``fetchall`` of the conversation's messages (baseline) and ``ChatStore.branch_and_positions`` (what the
chat view reads, via ``app/core/chats/bulk.py``: one step), each idle and next to a busy Python thread.

Run: ``python -m benchmarks chat_store_contention``.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks._common import ROOT, save

sys.path.insert(0, str(ROOT))

RUNS = 3


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


class _Busy:
    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            sum(range(1000))

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def main(argv: list[str]) -> int:
    from app.core.chats import ChatStore
    from app.core.chats.records import MESSAGE_COLUMNS
    from benchmarks.load_responsiveness import _long_conversation

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "chats.sqlite3"
        cid = _long_conversation(db)
        with ChatStore(db) as store:
            sql = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id"
            baseline = lambda: store.conn.execute(sql, (cid,)).fetchall()  # noqa: E731
            hearth = lambda: store.branch_and_positions(cid)  # noqa: E731
            assert len(hearth()[0]) == len(baseline()) == 2000
            res: dict[str, list[float]] = {k: [] for k in ("fetchall_idle", "hearth_idle", "fetchall_busy",
                                                            "hearth_busy")}
            for _ in range(RUNS):
                res["fetchall_idle"].append(_timed(baseline))
                res["hearth_idle"].append(_timed(hearth))
                busy = _Busy()
                try:
                    res["fetchall_busy"].append(_timed(baseline))
                    res["hearth_busy"].append(_timed(hearth))
                finally:
                    busy.close()
    med = {k: round(statistics.median(v), 1) for k, v in res.items()}
    out = {"messages": 2000, "runs": RUNS, "median_ms": med, "all_ms": {k: [round(x, 1) for x in v]
                                                                        for k, v in res.items()}}
    save("chat_store_contention", out)
    print(f"2,000-message conversation read on the GUI thread: idle fetchall {med['fetchall_idle']} ms, Hearth "
          f"{med['hearth_idle']} ms; next to a busy Python thread: fetchall {med['fetchall_busy']} ms, Hearth "
          f"{med['hearth_busy']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
