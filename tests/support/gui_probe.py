"""A responsiveness probe that runs outside the GUI thread.

A thread of its own schedules a tick every 5 ms and hands each to the GUI thread (a queued signal); the GUI thread
records how long after its scheduled time it ran the tick. Unlike a ``QTimer`` on the GUI thread, the schedule
keeps running while the GUI thread is stuck in one long call, so the lateness of the first tick after it is the
length of the block, whatever blocked it (Python, a Qt call, a lock, an import), and the schedule does not drift.
"""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal, Slot


class _Sender(QObject):
    tick = Signal(float)


class _Receiver(QObject):
    def __init__(self, late: list[tuple[float, float]]) -> None:
        super().__init__()
        self._late = late
        self.last_run = time.perf_counter()

    @Slot(float)
    def on_tick(self, due: float) -> None:
        now = self.last_run = time.perf_counter()
        self._late.append((due, now - due))


class GuiProbe:
    def __init__(self, interval_s: float = 0.005, sample_after_s: float | None = None,
                 other_threads: bool = False) -> None:
        """``sample_after_s``: when the GUI thread has run no tick for this long, record what it is doing (its
        Python stack, in ``samples``) to explain the block; ``other_threads``: what every other thread is doing
        too (a GUI thread shown waiting in Qt's event loop may be waiting for the GIL one of them holds)."""
        self.other_threads = other_threads
        self.interval = interval_s
        self.sample_after = sample_after_s
        self.samples: list[tuple[float, str]] = []
        self._gui_thread = threading.get_ident()
        self.ticks: list[tuple[float, float]] = []  # (when due, how late the GUI thread ran it)
        self._receiver = _Receiver(self.ticks)  # made on the GUI thread: its slot runs there
        self._sender = _Sender()
        self._sender.tick.connect(self._receiver.on_tick)  # emitted from the probe's thread: queued
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gui-probe", daemon=True)

    def _run(self) -> None:
        due = time.perf_counter()
        while not self._stop.is_set():
            due += self.interval
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            self._sender.tick.emit(due)
            if self.sample_after is not None and time.perf_counter() - self._receiver.last_run > self.sample_after:
                self._sample()

    def _sample(self) -> None:
        import sys
        import traceback

        frames = sys._current_frames()
        frame = frames.get(self._gui_thread)
        if frame is not None:
            stack = "".join(traceback.format_stack(frame)[-8:])
            if self.other_threads:
                names = {t.ident: t.name for t in threading.enumerate()}
                for ident, f in frames.items():
                    if ident not in (self._gui_thread, threading.get_ident()):
                        stack += f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(f)[-3:])
            if not self.samples or self.samples[-1][1] != stack:
                self.samples.append((time.perf_counter(), stack))

    def start(self) -> "GuiProbe":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def worst(self) -> float:
        return max((late for _, late in self.ticks), default=0.0)

    def blocks(self, over_s: float) -> list[tuple[float, float]]:
        return [(due, late) for due, late in self.ticks if late > over_s]
