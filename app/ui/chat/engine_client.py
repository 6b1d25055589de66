"""The GUI thread's handle on the engine worker (:mod:`app.ui.chat.engine_worker`): starts the worker's thread,
forwards requests to it through queued signals, and drops the late results of a generation it already stopped
(a delta of a stopped reply never reaches the chat)."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from app.core.engine import GenerationRequest, LoadOptions
from app.core.engine.generation import Cancel
from app.core.engine.safe_retry import SafeSettings
from app.core.remote.backends import BackendStore
from app.ui.chat.engine_worker import EngineWorker

log = logging.getLogger("hearth.engine")


class EngineSignals(QObject):
    """What the chat window hears from its engine (the worker's results, on the GUI thread). A test's stand-in
    engine derives from this too, so it cannot drift from the real one's signals."""

    loaded = Signal(object)
    load_failed = Signal(str, str)
    unloaded = Signal()
    loading = Signal(str)
    delta = Signal(int, str)
    finished = Signal(int, object)
    failed = Signal(int, str, object)
    tokens_counted = Signal(int, int, int)
    context_info = Signal(int, int, int, object)
    busy_changed = Signal(bool)
    crashed = Signal(str, str)  # message, phase
    safe_retry_offered = Signal(str, object, str)  # path, safe LoadOptions, description
    gave_up = Signal(str)
    notice = Signal(str)
    waiting = Signal(str)  # who holds the engine while the chat waits ("" when the chat got its turn)
    sources = Signal(int, object)  # gen id, the document passages in its prompt


class EngineClient(EngineSignals):
    """GUI-thread handle on the engine worker. Starts the thread, forwards requests, filters late results."""

    _req_load = Signal(str, object)
    _req_unload = Signal()
    _req_generate = Signal(int, object, object, str)
    _req_count = Signal(int, object)
    _req_format = Signal(str)

    def __init__(self, parent: QObject | None = None, safe_settings: Path | None = None,
                 backends: BackendStore | None = None, documents: Path | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("engine")
        self.worker = EngineWorker(SafeSettings(safe_settings), backends=backends, documents=documents)
        self.gate = self.worker.gate  # shared with the local API server
        self.worker.moveToThread(self.thread)
        self._req_load.connect(self.worker.load)
        self._req_unload.connect(self.worker.unload)
        self._req_generate.connect(self.worker.generate)
        self._req_count.connect(self.worker.count_tokens)
        self._req_format.connect(self.worker.set_chat_format)
        self.worker.loaded.connect(self._on_loaded)
        self.worker.load_failed.connect(self._on_load_failed)
        self.worker.unloaded.connect(self._on_unloaded)
        self.worker.delta.connect(self._on_delta)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.tokens_counted.connect(self.tokens_counted)
        self.worker.context_info.connect(self._on_context_info)
        self.worker.crashed.connect(self._on_crashed)
        self.worker.safe_retry_offered.connect(self.safe_retry_offered)
        self.worker.gave_up.connect(self.gave_up)
        self.worker.notice.connect(self.notice)
        self.worker.waiting.connect(self.waiting)
        self.worker.sources.connect(self._on_sources)
        self.thread.start()
        self.info = None
        self.loading_path = ""
        self._next_gen = 0
        self.active_gen = 0  # generation whose deltas are wanted; 0: none
        self._cancel: threading.Event | None = None  # the active generation's stop flag
        self._pending = 0  # generations sent and not yet finished
        self._next_count = 0

    # ---- requests ---------------------------------------------------------------------------------------------
    def load(self, path: str, options: LoadOptions) -> None:
        self.stop()
        self.loading_path = path
        self.loading.emit(path)
        self._req_load.emit(path, options)

    def unload(self) -> None:
        self.stop()
        self._req_unload.emit()

    def set_chat_format(self, name: str) -> None:
        self._req_format.emit(name)

    def generate(self, req: GenerationRequest, collection: str = "") -> int:
        """Start a reply; with ``collection``, the question is searched in that document collection first and the
        passages go into the prompt (``sources`` says which)."""
        self.stop()
        self._next_gen += 1
        gen = self._next_gen
        self.active_gen = gen
        self._cancel = Cancel()  # setting it tells the engine process at once
        self._pending += 1
        self.busy_changed.emit(True)
        self._req_generate.emit(gen, req, self._cancel, collection)
        return gen

    def count_tokens(self, messages: list[dict]) -> int:
        self._next_count += 1
        self._req_count.emit(self._next_count, messages)
        return self._next_count

    def stop(self) -> int:
        """Stop the running generation now; its late deltas are dropped. Returns the stopped gen id (or 0)."""
        gen = self.active_gen
        if gen and self._cancel is not None:
            self._cancel.set()
        self.active_gen = 0
        return gen

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def shutdown(self, timeout_ms: int = 5000) -> None:
        self.stop()
        self.thread.quit()
        if not self.thread.wait(timeout_ms):
            log.warning("engine thread did not stop in time")
        # the worker's thread is gone; release the model from here
        self.worker.close_documents()
        self.worker.remote.unload()
        self.worker.local.unload()

    # ---- worker results (GUI thread) --------------------------------------------------------------------------
    def _on_loaded(self, info) -> None:
        self.info = info
        self.loading_path = ""
        self.loaded.emit(info)

    def _on_load_failed(self, path: str, message: str) -> None:
        self.loading_path = ""
        self.info = self.worker.engine.info
        self.load_failed.emit(path, message)

    def _on_unloaded(self) -> None:
        self.info = None
        self.unloaded.emit()

    def _on_crashed(self, message: str, phase: str) -> None:
        self.info = None  # until the restarted engine says "loaded" again
        self.crashed.emit(message, phase)

    def _on_context_info(self, gen: int, used: int, n_ctx: int, excluded) -> None:
        if gen == self.active_gen:
            self.context_info.emit(gen, used, n_ctx, excluded)

    def _on_sources(self, gen: int, passages) -> None:
        if gen == self.active_gen:
            self.sources.emit(gen, passages)

    def _on_delta(self, gen: int, text: str) -> None:
        if gen == self.active_gen:
            self.delta.emit(gen, text)

    def _done(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def _on_finished(self, gen: int, stats) -> None:
        was_active = gen == self.active_gen
        if was_active:
            self.active_gen = 0
        self._done()
        # a stopped generation's "finished" still reaches the chat (with its stats) so the partial reply is kept
        self.finished.emit(gen, stats)

    def _on_failed(self, gen: int, message: str, stats) -> None:
        if gen == self.active_gen:
            self.active_gen = 0
        self._done()
        self.failed.emit(gen, message, stats)
