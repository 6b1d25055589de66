"""The engine worker: the one QObject, living in its own QThread, that owns the loaded ``Llama``.

Requests reach it through queued signals from ``EngineClient`` (GUI thread); it answers only through
signals. Stop is a ``threading.Event`` that the GUI thread sets directly, checked per token inside the
engine. The client drops every delta of a generation it has already stopped, so late tokens never appear.
"""
from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.core.engine.context_budget import ContextOverflow, fit_messages
from app.core.engine import Engine, EngineError, GenerationRequest, LoadOptions, PromptTooLong, ReplyStats

log = logging.getLogger("hearth.engine")


class EngineWorker(QObject):
    loaded = Signal(object)  # ModelInfo
    load_failed = Signal(str, str)  # path, message
    unloaded = Signal()
    context_info = Signal(int, int, int, object)  # gen id, prompt tokens, n_ctx, excluded message ids
    delta = Signal(int, str)  # gen id, text
    finished = Signal(int, object)  # gen id, ReplyStats
    failed = Signal(int, str, object)  # gen id, message, ReplyStats
    tokens_counted = Signal(int, int, int)  # request id, tokens, n_ctx

    def __init__(self) -> None:
        super().__init__()
        self.engine = Engine()
        # deltas are coalesced: emitted at most every `flush_interval` seconds (and at the end)
        self.flush_interval = 0.03

    @Slot(str, object)
    def load(self, path: str, options: LoadOptions) -> None:
        try:
            info = self.engine.load(path, options)
        except EngineError as exc:
            log.warning("load failed: %s", exc)
            self.load_failed.emit(path, str(exc))
            return
        except Exception as exc:  # never let the worker die
            log.exception("unexpected load failure")
            self.load_failed.emit(path, f"Unexpected error while loading: {exc}")
            return
        self.loaded.emit(info)

    @Slot()
    def unload(self) -> None:
        self.engine.unload()
        self.unloaded.emit()

    @Slot(str)
    def set_chat_format(self, name: str) -> None:
        try:
            self.loaded.emit(self.engine.set_chat_format(name))
        except Exception as exc:
            self.load_failed.emit(self.engine.info.path if self.engine.info else "", str(exc))

    @Slot(int, object)
    def count_tokens(self, request_id: int, messages: list) -> None:
        try:
            n = self.engine.count_tokens(messages)
        except Exception:
            n = -1
        self.tokens_counted.emit(request_id, n, self.engine.n_ctx)

    @Slot(int, object, object)
    def generate(self, gen_id: int, req: GenerationRequest, cancel: threading.Event) -> None:
        stats = ReplyStats()
        buf: list[str] = []
        last = time.perf_counter()
        try:
            n_ctx = self.engine.n_ctx
            fitted = fit_messages(req.messages, self.engine.count_tokens, n_ctx, req.reserve(n_ctx), req.policy)
            self.context_info.emit(gen_id, fitted.prompt_tokens, n_ctx, fitted.excluded_ids)
            for piece in self.engine.stream(fitted.messages, req.sampling, cancel, stats,
                                            cache_key=req.cache_key):
                buf.append(piece)
                now = time.perf_counter()
                if now - last >= self.flush_interval:
                    self.delta.emit(gen_id, "".join(buf))
                    buf.clear()
                    last = now
            if buf:
                self.delta.emit(gen_id, "".join(buf))
            self.finished.emit(gen_id, stats)
        except ContextOverflow as exc:
            stats.stop_reason = "ask"
            stats.error = str(exc)
            self.failed.emit(gen_id, str(exc), stats)
        except PromptTooLong as exc:
            stats.stop_reason = "context_full"
            stats.error = str(exc)
            self.failed.emit(gen_id, str(exc), stats)
        except EngineError as exc:
            if buf:
                self.delta.emit(gen_id, "".join(buf))
            stats.stop_reason = stats.stop_reason or "error"
            stats.error = str(exc)
            self.failed.emit(gen_id, str(exc), stats)
        except Exception as exc:
            log.exception("generation failed")
            stats.stop_reason = "error"
            stats.error = str(exc)
            self.failed.emit(gen_id, f"Generation failed: {exc}", stats)


class EngineClient(QObject):
    """GUI-thread handle on the engine worker. Starts the thread, forwards requests, filters late results."""

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

    _req_load = Signal(str, object)
    _req_unload = Signal()
    _req_generate = Signal(int, object, object)
    _req_count = Signal(int, object)
    _req_format = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("engine")
        self.worker = EngineWorker()
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

    def generate(self, req: GenerationRequest) -> int:
        self.stop()
        self._next_gen += 1
        gen = self._next_gen
        self.active_gen = gen
        self._cancel = threading.Event()
        self._pending += 1
        self.busy_changed.emit(True)
        self._req_generate.emit(gen, req, self._cancel)
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
        self.worker.engine.unload()

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

    def _on_context_info(self, gen: int, used: int, n_ctx: int, excluded) -> None:
        if gen == self.active_gen:
            self.context_info.emit(gen, used, n_ctx, excluded)

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
