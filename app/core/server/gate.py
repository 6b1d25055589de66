"""One engine, several clients: the chat window and API requests take turns through one bounded FIFO queue.

``EngineGate.turn(who)`` waits for the engine in arrival order and holds it for the length of a ``with`` block.
At most ``max_waiting`` callers wait; one more is refused at once with ``Busy`` (the API answers 429 with
``Retry-After``). A waiting caller can give up (its client disconnected, the window closed) through a
``threading.Event``. Listeners hear every change (who holds the engine, how many wait): the window shows when an
API request holds it, ``hearth serve`` logs it.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator


class Busy(Exception):
    """The queue is full: try again later."""

    def __init__(self, waiting: int, retry_after_s: int) -> None:
        super().__init__(f"{waiting} requests are already waiting for the model; try again in {retry_after_s} s")
        self.waiting = waiting
        self.retry_after_s = retry_after_s


class GaveUp(Exception):
    """The caller stopped waiting (its cancel event was set, or the wait timed out)."""


@dataclass(frozen=True)
class GateState:
    holder: str  # "" when the engine is free; "chat" or "api <client>" otherwise
    waiting: int
    held_since: float  # time.monotonic() when the holder got its turn


class EngineGate:
    def __init__(self, max_waiting: int = 16) -> None:
        self.max_waiting = max_waiting
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._holder: str = ""
        self._held_since = 0.0
        self._listeners: list[Callable[[GateState], None]] = []
        self.served = 0
        self.refused = 0

    # ---- state --------------------------------------------------------------------------------------------
    def state(self) -> GateState:
        with self._cond:
            return GateState(self._holder, len(self._queue), self._held_since)

    def subscribe(self, fn: Callable[[GateState], None]) -> None:
        with self._cond:
            self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[GateState], None]) -> None:
        with self._cond:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def _tell(self) -> None:
        state = self.state()
        with self._cond:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(state)
            except Exception:  # a listener never breaks the engine's queue
                pass

    # ---- taking turns -------------------------------------------------------------------------------------
    @contextmanager
    def turn(self, who: str, cancel: threading.Event | None = None, timeout: float | None = None,
             retry_after_s: int = 2) -> Iterator[float]:
        """Hold the engine for the block; yields how long the caller waited (seconds)."""
        ticket = object()
        t0 = time.monotonic()
        deadline = None if timeout is None else t0 + timeout
        with self._cond:
            if len(self._queue) >= self.max_waiting:
                self.refused += 1
                raise Busy(len(self._queue), retry_after_s)
            self._queue.append(ticket)
        self._tell()
        try:
            with self._cond:
                while self._holder or self._queue[0] is not ticket:
                    if cancel is not None and cancel.is_set():
                        raise GaveUp("the caller stopped waiting")
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise GaveUp("waited too long for the model")
                    self._cond.wait(0.05 if left is None else min(0.05, left))
                self._queue.popleft()
                self._holder = who
                self._held_since = time.monotonic()
        except GaveUp:
            with self._cond:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                self._cond.notify_all()
            self._tell()
            raise
        self._tell()
        try:
            yield time.monotonic() - t0
        finally:
            with self._cond:
                self._holder = ""
                self.served += 1
                self._cond.notify_all()
            self._tell()
