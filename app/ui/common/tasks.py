"""Background work: :class:`TaskRunner` is the one way the window runs work off the GUI thread.

A runner runs submitted functions on its own QThreads (one by default: jobs in order) and tags each result with
the token :meth:`TaskRunner.submit` returned, so a page can drop the results of a search the user already
replaced. Long-lived worker objects (the Hardware page's) are hosted on a runner's thread. ``DownloadJob`` is
one download run on the downloads runner; its ``cancel`` event is checked per chunk. ``background_batch`` and
``background_priority`` keep the GUI thread responsive while Python work runs on a worker thread. The engine
worker (:mod:`app.ui.chat.engine_worker`) is the one other thread: it owns the loaded model.
"""
from __future__ import annotations

import atexit
import contextlib
import gc
import itertools
import logging
import os
import sys
import threading
import weakref
from collections import deque
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.core.downloads import Downloader, FileTarget

log = logging.getLogger("hearth.ui.models")

_tokens = itertools.count(1)
BACKGROUND_NICE = 5


def background_priority() -> None:
    """Let the calling worker thread yield the CPU to the GUI thread when both want it. On a busy 2-core machine
    the GUI thread otherwise waits tens of ms in the run queue behind download and hashing threads. Linux
    has a nice value per thread (threads the worker starts, like the sha256 one, inherit it); elsewhere Qt's
    thread priority does the same."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    else:
        thread = QThread.currentThread()
        if thread is not None:
            thread.setPriority(QThread.Priority.LowPriority)


AFTER_PAINT_MS = 150  # pages start their background work this long after being shown: after the first paint
BATCH_SWITCH_INTERVAL = 0.001  # s; CPython's default is 0.005
_batch_lock = threading.Lock()
_batches = 0  # batches running now, on any thread
_saved: tuple[bool, float] = (True, 0.005)  # gc enabled, switch interval: as they were before the first batch
_freeze = False  # a batch that keeps what it made ran: freeze when the last one ends
_modules_before = 0  # len(sys.modules) when the first running batch began


@contextlib.contextmanager
def background_batch(keeps_results: bool = True):
    """Run a long pure-Python batch on a worker thread (read 500 headers, estimate 500 fits) so that the GUI
    thread keeps getting the GIL: while any batch runs, the interpreter switches threads every 1 ms instead of
    5 ms, and the cyclic garbage collector is paused; what the batch made is frozen when the last batch ends.

    Why the switch interval: the GUI thread needs the GIL for every Python call Qt makes (a slot, a delegate's
    paint, a Python model's data()) and PySide releases and retakes it around many Qt calls made from Python.
    With a worker busy in Python, each retake waits up to the switch interval: a Python delegate painting three
    rows of bars waited 150-340 ms at 5 ms.

    Why the garbage collector: a full collection walks every tracked object while holding the GIL, and the
    objects a scan keeps trigger full collections as they pile up: with 500 models' fit profiles (130,000 tensor
    records) each took 90-130 ms, three of them during one Hardware scan. Paused, none runs during the batch (on
    any thread); ``gc.freeze()`` then moves the survivors to the permanent generation, which later collections
    skip. The batch's own garbage is freed by reference counting: reading headers and estimating fits make no
    reference cycles (a full collection after a 500-model scan found no unreachable object). The cost: a cycle
    some thread leaves unreachable during the batch is never collected (young garbage is collected first).
    ``keeps_results=False`` (the verdicts: a dict of strings) skips the freeze, unless another batch running at
    the same time asks for it or modules were imported meanwhile (they live as long as the app): the cycles such
    a batch leaves (the device probe makes ctypes types, some 7 objects per model) are collected as usual
    afterwards."""
    global _batches, _saved, _freeze, _modules_before
    with _batch_lock:
        if _batches == 0:
            _modules_before = len(sys.modules)
            if keeps_results:
                gc.collect(1)  # the young garbage other code left (a few ms): not to be frozen with the results
            _saved = (gc.isenabled(), sys.getswitchinterval())
            gc.disable()
            sys.setswitchinterval(min(_saved[1], BATCH_SWITCH_INTERVAL))
        _batches += 1
        _freeze = _freeze or keeps_results
    try:
        yield
    finally:
        with _batch_lock:
            _batches -= 1
            if _batches == 0:
                # modules imported meanwhile (the first fit imports llama.cpp's bindings: 23,000 objects) live as
                # long as the app: frozen too, or the next collection of the young generations walks them all
                # (15-30 ms, holding the GIL)
                if _freeze or len(sys.modules) > _modules_before:
                    gc.freeze()
                _freeze = False
                sys.setswitchinterval(_saved[1])
                if _saved[0]:
                    gc.enable()


class _Worker(QObject):
    """Runs the submitted functions, one after another, on its lane's thread. One object for the lane's whole
    life: per-job QObjects released with deleteLater while Python still owned them were deleted twice (a crash in
    ~QObject on the worker thread)."""
    done = Signal(int, object)
    failed = Signal(int, object)

    @Slot(int, object)
    def run(self, token: int, fn: Callable[[], object]) -> None:
        background_priority()
        try:
            result = fn()
        except Exception as exc:  # reported to the page as a message, never a traceback
            log.info("background task failed: %s", exc)
            self.failed.emit(token, exc)
        else:
            self.done.emit(token, result)


class _Lane(QObject):
    """One thread of a runner with its worker; ``request`` is queued to the worker's thread."""
    request = Signal(int, object)

    def __init__(self, name: str, parent: QObject) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.thread.setObjectName(name)
        self.worker = _Worker()
        self.worker.moveToThread(self.thread)
        self.request.connect(self.worker.run)
        self.thread.start()


class TaskRunner(QObject):
    """The one way Hearth runs background work: submitted functions run on the runner's threads (``threads``
    at most, made as needed; ``None``: one per job running at once, for downloads whose number the queue
    decides), the result or exception comes back on the GUI thread as ``done``/``failed`` with the token
    :meth:`submit` returned. With one thread (the default) jobs run in the order submitted.

    Every runner still alive when the interpreter exits is shut down first (a QThread destroyed while running
    aborts the process)."""
    done = Signal(int, object)  # token, result
    failed = Signal(int, object)  # token, exception

    def __init__(self, name: str, parent: QObject | None = None, *, threads: int | None = 1) -> None:
        super().__init__(parent)
        self._name = name
        self._max = threads
        self._lanes: list[_Lane] = []
        self._idle: list[_Lane] = []
        self._backlog: deque[tuple[int, Callable[[], object]]] = deque()
        self._running: dict[int, _Lane] = {}
        self._pending: set[int] = set()
        self._hosted: list[QObject] = []
        self._closed = False
        self._lane()  # the first thread starts now: its start-up is not paid by the first job
        _live.add(self)

    def _lane(self) -> _Lane:
        lane = _Lane(self._name if not self._lanes else f"{self._name}-{len(self._lanes) + 1}", self)
        lane.worker.done.connect(self._on_done)
        lane.worker.failed.connect(self._on_failed)
        self._lanes.append(lane)
        self._idle.append(lane)
        return lane

    def host(self, worker: QObject) -> QObject:
        """Run a long-lived worker object (one that keeps state between requests, e.g. the Hardware page's) on
        this runner's first thread: its slots, connected with queued signals, run there one after another,
        between the submitted jobs. The runner keeps it (Python owns it) for as long as the runner lives."""
        worker.moveToThread(self._lanes[0].thread)
        self._hosted.append(worker)
        return worker

    def submit(self, fn: Callable[[], object]) -> int:
        token = next(_tokens)
        self._pending.add(token)
        self._backlog.append((token, fn))
        self._dispatch()
        return token

    def _dispatch(self) -> None:
        while self._backlog and not self._closed:
            if not self._idle:
                if self._max is not None and len(self._lanes) >= self._max:
                    return
                self._lane()
            lane = self._idle.pop(0)
            token, fn = self._backlog.popleft()
            self._running[token] = lane
            lane.request.emit(token, fn)

    def _finish(self, token: int) -> None:
        self._pending.discard(token)
        lane = self._running.pop(token, None)
        if lane is not None:
            self._idle.append(lane)
        self._dispatch()

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        self._finish(token)
        self.done.emit(token, result)

    @Slot(int, object)
    def _on_failed(self, token: int, exc: object) -> None:
        self._finish(token)
        self.failed.emit(token, exc)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop taking jobs, let the running ones end (their cancel events are the caller's to set), and wait."""
        self._closed = True
        self._backlog.clear()
        for lane in self._lanes:
            lane.thread.quit()
        for lane in self._lanes:
            if not lane.thread.wait(timeout_ms):
                log.warning("%s: a background task is still running at shutdown", lane.thread.objectName())
        _live.discard(self)


_live: "weakref.WeakSet[TaskRunner]" = weakref.WeakSet()


@atexit.register
def _shutdown_live_runners() -> None:
    for runner in list(_live):
        with contextlib.suppress(RuntimeError):  # its C++ side is already gone
            runner.shutdown(2000)


_shared: TaskRunner | None = None


def shared_runner() -> TaskRunner:
    """A runner for the occasional job of a dialog or banner that may close before its job ends (the About
    dialog's llama.cpp check, the chats recovery): made on first use on the GUI thread, alive as long as the
    process, so no job outlives the object its result is delivered on."""
    global _shared
    if _shared is None:
        _shared = TaskRunner("hearth-background", threads=2)
    return _shared


class DownloadJob(QObject):
    """One download, run by :meth:`run` on a :class:`TaskRunner` thread: it returns the final path or raises
    (``Cancelled`` when its ``cancel`` event, checked per chunk, was set). Progress and status are signals
    emitted from that thread and delivered queued to the object's own (GUI) thread."""
    progress = Signal(int, object, object)  # job id, done, total (object: sizes can exceed 2**31)
    status = Signal(int, str)

    def __init__(self, job_id: int, target: FileTarget, downloader_args: dict,
                 token_getter: Callable[[], str | None] = lambda: None) -> None:
        super().__init__()
        self.job_id = job_id
        self.target = target
        self.cancel = threading.Event()
        self.args = downloader_args
        self.token_getter = token_getter  # called on the worker thread (the keyring is slow to load)

    def run(self) -> str:
        d = Downloader(cancel=self.cancel, on_progress=lambda a, b: self.progress.emit(self.job_id, a, b),
                       on_status=lambda t: self.status.emit(self.job_id, t), token=self.token_getter(),
                       **self.args)
        return str(d.run(self.target))
