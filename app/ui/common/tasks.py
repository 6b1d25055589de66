"""Background work for the Models page: QObject workers on QThreads that talk to the page only via signals.

``TaskRunner`` runs short jobs (search, open a repository, scan the library) one after another on its own
thread and tags each result with the token :meth:`submit` returned, so the page can drop the results of a
search the user already replaced. ``DownloadJob`` runs one download; its ``cancel`` event is checked per chunk.
"""
from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import os
import sys
import threading
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.core.downloads import Cancelled, Downloader, FileTarget

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
    """Runs the submitted functions, one after another, on the runner's thread. One object for the runner's
    whole life: per-job QObjects released with deleteLater while Python still owned them were deleted twice
    (a crash in ~QObject on the worker thread)."""
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


class TaskRunner(QObject):
    done = Signal(int, object)  # token, result
    failed = Signal(int, object)  # token, exception
    _request = Signal(int, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName(name)
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)  # queued: runs on the worker thread
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self._pending: set[int] = set()
        self._hosted: list[QObject] = []

    def host(self, worker: QObject) -> QObject:
        """Run a long-lived worker object (one that keeps state between requests, e.g. the Hardware page's) on
        this runner's thread: its slots, connected with queued signals, run there one after another, between the
        submitted jobs. The runner keeps it (Python owns it) for as long as the runner lives."""
        worker.moveToThread(self._thread)
        self._hosted.append(worker)
        return worker

    def submit(self, fn: Callable[[], object]) -> int:
        token = next(_tokens)
        self._pending.add(token)
        self._request.emit(token, fn)
        return token

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        self._pending.discard(token)
        self.done.emit(token, result)

    @Slot(int, object)
    def _on_failed(self, token: int, exc: object) -> None:
        self._pending.discard(token)
        self.failed.emit(token, exc)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            log.warning("%s: a background task is still running at shutdown", self._thread.objectName())


class DownloadJob(QObject):
    progress = Signal(int, object, object)  # job id, done, total (object: sizes can exceed 2**31)
    status = Signal(int, str)
    finished = Signal(int, str)  # job id, final path
    failed = Signal(int, object)  # job id, exception
    stopped = Signal(int)  # paused or cancelled

    def __init__(self, job_id: int, target: FileTarget, downloader_args: dict,
                 token_getter: Callable[[], str | None] = lambda: None) -> None:
        super().__init__()
        self.job_id = job_id
        self.target = target
        self.cancel = threading.Event()
        self.args = downloader_args
        self.token_getter = token_getter  # called here, on the worker thread (the keyring is slow to load)

    @Slot()
    def run(self) -> None:
        background_priority()
        try:
            d = Downloader(cancel=self.cancel, on_progress=lambda a, b: self.progress.emit(self.job_id, a, b),
                           on_status=lambda t: self.status.emit(self.job_id, t), token=self.token_getter(),
                           **self.args)
            path = d.run(self.target)
        except Cancelled:
            self.stopped.emit(self.job_id)
        except Exception as exc:
            self.failed.emit(self.job_id, exc)
        else:
            self.finished.emit(self.job_id, str(path))
