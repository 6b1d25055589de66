"""The download queue on the GUI side: runs up to ``parallelism`` download jobs on its runner, applies
their progress to the items (coalesced by one timer, like qutebrowser's download view), and saves the queue so
unfinished downloads come back after a restart. What pause, resume, cancel, retry and the jobs' results do to the
items is :class:`app.core.downloads.queue.DownloadQueue`'s, shared with ``hearth download``.

A paused or cancelled job's late signals are dropped: signals carry the job id, and a stopped job's id is
forgotten at once."""
from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.core import downloads as dl
from app.core.downloads.queue import ACTIVE, DONE, DownloadItem, DownloadQueue, QueueStore, RateMeter
from app.ui.common.tasks import DownloadJob, TaskRunner

_job_ids = itertools.count(1)


class DownloadController(QObject):
    items_reset = Signal()
    item_added = Signal(int)  # row
    rows_changed = Signal(list)  # rows whose data changed
    model_ready = Signal(str)  # a verified file entered the library
    auth_needed = Signal(int)  # item id: the repository wants a token
    revision_gone = Signal(int, str)  # item id, message: its pinned commit was removed upstream
    failed = Signal(int, str)  # item id, message
    already_here = Signal(str)  # add() of a file already in the models folder: its path (no row is added)

    def __init__(self, models_dir: Path, store: QueueStore, *, endpoint: str, token_getter,
                 parallelism: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.models_dir = models_dir
        self.store = store
        self.endpoint = endpoint
        self.token_getter = token_getter
        self.queue = DownloadQueue(models_dir, store.load(), parallelism)
        self.meters: dict[int, RateMeter] = {}
        self._jobs: dict[int, tuple[int, DownloadJob]] = {}  # job id -> (item id, job), running ones only
        self._tokens: dict[int, DownloadJob] = {}  # runner token -> job, stopped ones too until they end
        self._dirty: set[int] = set()
        # one thread per download running at once (a stopped one may still be ending while the next starts)
        self._runner = TaskRunner("downloads", self, threads=None)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._flush)
        self._timer.start()
        self.retry_base_delay = 1.0
        self.held = False  # True: queued items wait (the page sets it until the Hub client is warmed up)
        self._save_timer = QTimer(self)  # state changes are saved together, off the hot path (fsync is slow)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save_now)
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(25)
        self._start_timer.timeout.connect(self.schedule)

    # ---- queries --------------------------------------------------------------------------------------
    def row_of(self, item_id: int) -> int:
        for i, it in enumerate(self.items):
            if it.id == item_id:
                return i
        return -1

    def item(self, item_id: int) -> DownloadItem | None:
        return self.queue.item(item_id)

    def speed(self, item_id: int) -> float:
        m = self.meters.get(item_id)
        return m.speed() if m else 0.0

    def active_count(self) -> int:
        return len(self._jobs)

    # ---- commands ---------------------------------------------------------------------------------------
    def add(self, repo_id: str, filename: str, revision: str = "main", size: int = 0,
            sha256: str | None = None) -> DownloadItem | None:
        """Queue a file; the queued item (an unfinished one for the same file, when there is one). A file already
        in the models folder gets no new row: its finished row when it has one, else None (``already_here``)."""
        # hostile names raise UnsafeNameError here; links on disk are checked by the download (off this thread)
        dest = dl.target_paths(self.models_dir, repo_id, filename, check_links=False).dest
        if self._on_disk(dest, size):
            self.already_here.emit(str(dest))
            return next((i for i in self.items if (i.repo_id, i.filename) == (repo_id, filename) and i.state == DONE),
                        None)
        it, new = self.queue.add(repo_id, filename, revision, size, sha256)
        if new:
            self.item_added.emit(len(self.items) - 1)
            self._save()
            self._start_timer.start()  # after the new rows are drawn (a burst of adds starts the workers once)
        return it

    @staticmethod
    def _on_disk(dest: Path, size: int) -> bool:
        """Whether the file is already downloaded: the downloader's own test (files reach their place only
        verified, and one of the expected size is not fetched again). One stat, fine on the GUI thread."""
        try:
            return size > 0 and dest.is_file() and dest.stat().st_size == size
        except OSError:
            return False

    def pause(self, item_id: int) -> None:
        self._transition(item_id, self.queue.pause, stops=True)

    def resume(self, item_id: int) -> None:
        self._transition(item_id, self.queue.resume, stops=False)

    retry = resume

    def restart_from_current(self, item_id: int, branch: str = "main") -> None:
        """Start again from the repository's current version (its pinned commit is gone upstream)."""
        self._transition(item_id, lambda it: self.queue.restart_from_current(it, branch), stops=True)

    def cancel(self, item_id: int) -> None:
        self._transition(item_id, self.queue.cancel, stops=True)

    def _transition(self, item_id: int, change, *, stops: bool) -> None:
        it = self.item(item_id)
        if it is None:
            return
        if stops and it.state == ACTIVE:
            self._stop_job(item_id)  # before the partial file is touched; its late signals are dropped
        if change(it):
            self._changed(it)
            self.schedule()

    def remove_finished(self) -> None:
        if self.queue.remove_finished():
            self.items_reset.emit()

    @property
    def items(self) -> list[DownloadItem]:
        return self.queue.items

    @property
    def parallelism(self) -> int:
        return self.queue.parallelism

    def set_parallelism(self, n: int) -> None:
        self.queue.parallelism = max(1, n)
        self.schedule()

    def schedule(self) -> None:
        if self.held:
            return
        for it in self.queue.to_start():
            self._start(it)

    def shutdown(self) -> None:
        """Stop running downloads (their partial files stay) and save the queue for the next start."""
        self._timer.stop()
        self._start_timer.stop()
        for job in self._tokens.values():
            job.cancel.set()
        self._jobs.clear()
        self._runner.shutdown(10000)
        self.save_now()

    # ---- jobs ---------------------------------------------------------------------------------------------
    def _start(self, it: DownloadItem) -> None:
        job_id = next(_job_ids)
        target = dl.FileTarget(it.repo_id, it.filename, it.revision, it.size or None, it.sha256)
        job = DownloadJob(job_id, target, {"models_dir": self.models_dir, "endpoint": self.endpoint,
                                           "base_delay": self.retry_base_delay}, self.token_getter)
        job.progress.connect(self._on_progress)
        job.status.connect(self._on_status)
        self._jobs[job_id] = (it.id, job)
        self.meters[it.id] = RateMeter()
        self.queue.started(it)
        self._changed(it)
        self._tokens[self._runner.submit(job.run)] = job

    def _stop_job(self, item_id: int) -> None:
        for job_id, (iid, job) in list(self._jobs.items()):
            if iid == item_id:
                job.cancel.set()
                del self._jobs[job_id]  # from now on its signals are ignored

    def _item_for_job(self, job_id: int) -> DownloadItem | None:
        entry = self._jobs.get(job_id)
        return self.item(entry[0]) if entry else None

    @Slot(int, object, object)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        it = self._item_for_job(job_id)
        if it is None:
            return
        self.queue.progressed(it, done, total)
        self.meters.setdefault(it.id, RateMeter()).add(it.done)
        self._dirty.add(it.id)

    @Slot(int, str)
    def _on_status(self, job_id: int, text: str) -> None:
        it = self._item_for_job(job_id)
        if it is not None:
            it.status_text = text
            self._dirty.add(it.id)

    @Slot(int, object)
    def _on_done(self, token: int, path: object) -> None:
        job = self._tokens.pop(token, None)
        if job is not None:
            self._on_finished(job.job_id, str(path))

    @Slot(int, object)
    def _on_failed(self, token: int, exc: object) -> None:
        job = self._tokens.pop(token, None)
        if job is None:
            return
        if isinstance(exc, dl.Cancelled):
            self._jobs.pop(job.job_id, None)  # normally already forgotten by pause/cancel
        else:
            self._on_job_failed(job.job_id, exc)

    def _on_finished(self, job_id: int, path: str) -> None:
        it = self._item_for_job(job_id)
        self._jobs.pop(job_id, None)
        if it is None:
            return
        self.queue.finished(it, path)
        self._changed(it)
        self.model_ready.emit(path)
        self.schedule()

    def _on_job_failed(self, job_id: int, exc: object) -> None:
        it = self._item_for_job(job_id)
        self._jobs.pop(job_id, None)
        if it is None:
            return
        err = self.queue.failed(it, exc)
        self._changed(it)
        self.failed.emit(it.id, str(err))
        if err.kind == "auth":
            self.auth_needed.emit(it.id)
        elif err.kind == dl.REVISION_GONE:
            self.revision_gone.emit(it.id, str(err))
        self.schedule()

    # ---- state --------------------------------------------------------------------------------------------
    def _changed(self, it: DownloadItem) -> None:
        self._dirty.add(it.id)
        self._flush()
        self._save()

    def _flush(self) -> None:
        if not self._dirty:
            return
        rows = sorted(r for r in (self.row_of(i) for i in self._dirty) if r >= 0)
        self._dirty.clear()
        if rows:
            self.rows_changed.emit(rows)

    def _save(self) -> None:
        self._save_timer.start()

    def save_now(self) -> None:
        self._save_timer.stop()
        self.store.save(self.items)
