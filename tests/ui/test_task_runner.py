"""The one task runner (app/ui/common/tasks.py): order, tokens, errors, how many threads run at once, hosting."""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal, Slot

from app.ui.common.tasks import TaskRunner, shared_runner


def _collect(runner: TaskRunner):
    got: dict[int, object] = {}
    runner.done.connect(lambda t, r: got.__setitem__(t, r))
    runner.failed.connect(lambda t, e: got.__setitem__(t, e))
    return got


def test_one_thread_runs_jobs_in_order_and_tags_results(qtbot):
    runner = TaskRunner("t-order")
    try:
        got = _collect(runner)
        seen: list[int] = []
        tokens = [runner.submit(lambda i=i: (seen.append(i), i * i)[1]) for i in range(20)]
        bad = runner.submit(lambda: 1 / 0)
        qtbot.waitUntil(lambda: len(got) == 21 and not runner.busy, timeout=5000)
        assert seen == list(range(20))
        assert [got[t] for t in tokens] == [i * i for i in range(20)]
        assert isinstance(got[bad], ZeroDivisionError)
        assert len({t for t in tokens}) == 20
    finally:
        runner.shutdown()


def test_thread_limit_is_kept_and_none_means_one_thread_per_running_job(qtbot):
    gate = threading.Event()
    running = []
    lock = threading.Lock()
    peak = [0]

    def job():
        with lock:
            running.append(threading.get_ident())
            peak[0] = max(peak[0], len(running))
        gate.wait(5)
        with lock:
            running.pop()
        return threading.current_thread().name

    capped = TaskRunner("t-capped", threads=2)
    free = TaskRunner("t-free", threads=None)
    try:
        got = _collect(capped)
        [capped.submit(job) for _ in range(5)]
        qtbot.waitUntil(lambda: len(running) == 2, timeout=5000)
        time.sleep(0.2)
        assert len(running) == 2  # the other three wait for a free thread
        gate.set()
        qtbot.waitUntil(lambda: len(got) == 5, timeout=5000)
        assert peak[0] == 2

        gate.clear()
        peak[0] = 0
        got = _collect(free)
        [free.submit(job) for _ in range(4)]
        qtbot.waitUntil(lambda: len(running) == 4, timeout=5000)  # four downloads at once: four threads
        gate.set()
        qtbot.waitUntil(lambda: len(got) == 4, timeout=5000)
        assert len(set(got.values())) == 4
    finally:
        gate.set()
        capped.shutdown()
        free.shutdown()


class _Counter(QObject):
    counted = Signal(int, str)
    ask = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    @Slot()
    def count(self) -> None:
        self.n += 1
        self.counted.emit(self.n, threading.current_thread().name)


def test_a_hosted_worker_runs_on_the_runner_thread_and_keeps_its_state(qtbot):
    runner = TaskRunner("t-host")
    try:
        worker = runner.host(_Counter())
        worker.ask.connect(worker.count)
        seen = []
        worker.counted.connect(lambda n, name: seen.append((n, name)))
        where = []
        runner.done.connect(lambda _t, name: where.append(name))
        runner.submit(lambda: threading.current_thread().name)
        worker.ask.emit()
        worker.ask.emit()
        qtbot.waitUntil(lambda: len(seen) == 2 and len(where) == 1, timeout=5000)
        assert [n for n, _ in seen] == [1, 2]
        assert seen[0][1] == where[0] != threading.current_thread().name
    finally:
        runner.shutdown()


def test_the_shared_runner_is_one_object_for_the_process(qtbot):
    assert shared_runner() is shared_runner()
    got = _collect(shared_runner())
    token = shared_runner().submit(lambda: "ok")
    qtbot.waitUntil(lambda: token in got, timeout=5000)
    assert got[token] == "ok"
