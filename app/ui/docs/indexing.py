"""The Documents page's indexing runs: one at a time on the page's task runner, the collections asked for meanwhile
waiting their turn. Pause sets the run's stop event (checked between files and batches of chunks); the run's
progress arrives from its worker thread through a queued signal and is passed on with the collection's name."""
from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.ui.common.tasks import TaskRunner
from app.ui.docs.index_job import IndexJob


class IndexRuns(QObject):
    started = Signal(str)  # collection
    progress = Signal(str, object)  # collection, index_job.Snapshot
    ended = Signal(str, object, str)  # collection, index_job.RunResult (None when it failed), the failure in words

    def __init__(self, runner: TaskRunner, db_path: Path, threads: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.db_path = db_path
        self.threads = threads
        self.job: IndexJob | None = None
        self.queue: list[str] = []  # collections to index when the run in progress ends
        self._token = 0
        self._ids = itertools.count(1)
        self._closed = False
        runner.done.connect(self._on_done)
        runner.failed.connect(self._on_failed)

    @property
    def running(self) -> str:
        """The collection being indexed ('' when none)."""
        return self.job.name if self.job is not None else ""

    @property
    def stopping(self) -> bool:
        return self.job is not None and self.job.stop.is_set()

    def request(self, name: str) -> bool:
        """Index ``name`` now, or after the run in progress (which planned its files already): True when it
        started now."""
        if self._closed:
            return False
        if self.job is None:
            self._start(name)
            return True
        if name not in self.queue:
            self.queue.append(name)
        return False

    def pause(self) -> None:
        """Stop the run in progress at its next file or batch; nothing waits after it."""
        self.queue.clear()
        if self.job is not None:
            self.job.stop.set()

    def forget(self, name: str) -> None:
        if name in self.queue:
            self.queue.remove(name)

    def _start(self, name: str) -> None:
        self.job = IndexJob(next(self._ids), self.db_path, name, self.threads)
        self.job.progress.connect(self._on_progress)
        self._token = self.runner.submit(self.job.run)
        self.started.emit(name)

    def _on_progress(self, run_id: int, snap: object) -> None:
        if self.job is not None and run_id == self.job.run_id and not self._closed:
            self.progress.emit(self.job.name, snap)  # else a late report of an earlier run

    def _on_done(self, token: int, result: object) -> None:
        if token == self._token and self.job is not None:
            self._end(result, "")

    def _on_failed(self, token: int, exc: object) -> None:
        if token == self._token and self.job is not None:
            self._end(None, str(exc) or type(exc).__name__)

    def _end(self, result, error: str) -> None:
        job, self.job = self.job, None
        if self._closed:
            return
        self.ended.emit(job.name, result, error)
        if self.queue and self.job is None:
            self._start(self.queue.pop(0))

    def shutdown(self) -> None:
        """The window is closing: the run stops at its next file or batch; the runner's owner waits for it."""
        self._closed = True
        self.pause()
