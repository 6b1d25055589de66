"""The engine worker: the one QObject, living in its own QThread, that talks to the engine process.

llama.cpp runs in a child process (:class:`app.core.engine.process.EngineProcess`); this worker owns it.
Requests reach the worker through queued signals from ``EngineClient`` (GUI thread); it answers only through
signals. Stop is a ``Cancel`` flag that the GUI thread sets directly; setting it writes the cancel to the engine
process at once, which stops within one token. The client drops every delta of a generation it has already stopped.

When the engine process dies, the reply in progress ends as *interrupted* (its text is kept), ``crashed`` says
what happened, and the worker starts the engine again with the same model and options. A crash while loading
or reading the prompt also offers a retry with safe settings; what worked is remembered for that model. After
three crashes in a row the worker stops restarting and says so.

The engine is shared with the local API server (app/core/server): every use of it here takes a turn at the
engine gate (``gate``), as API requests do, so the two never talk to the engine process at once. A chat reply that
has to wait shows why (``waiting``), and a Stop meanwhile ends the wait.

A model on a remote backend (a picker entry whose path is a ``remote:`` key, app/core/remote) is used through the
engine interface's other implementation, ``RemoteEngine``: ``engine`` is whichever is in use, ``local`` the engine
process. Loading a remote model ends the local one (its memory goes back); remote replies take no turn at the
gate, and a busy server's retries are said through ``waiting`` ("retry <what>").
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from app.core.engine import EngineError, GenerationRequest, LoadOptions, ReplyStats
from app.core.engine.context_budget import ContextOverflow
from app.core.engine.generation import PromptTooLong
from app.core.engine.process import EngineCrashed, EngineProcess
from app.core.engine.safe_retry import SafeSettings, describe, safe_options
from app.core.remote.backends import BackendStore, is_model_key
from app.core.remote.engine import RemoteEngine
from app.core.server.gate import EngineGate, GaveUp
from app.ui.common.i18n import translate

log = logging.getLogger("hearth.engine")

MAX_CRASHES_IN_A_ROW = 3


class EngineWorker(QObject):
    loaded = Signal(object)  # ModelInfo
    load_failed = Signal(str, str)  # path, message
    unloaded = Signal()
    context_info = Signal(int, int, int, object)  # gen id, prompt tokens, n_ctx, excluded message ids
    delta = Signal(int, str)  # gen id, text
    finished = Signal(int, object)  # gen id, ReplyStats
    failed = Signal(int, str, object)  # gen id, message, ReplyStats
    tokens_counted = Signal(int, int, int)  # request id, tokens, n_ctx
    crashed = Signal(str, str)  # message, phase (load, prefill, stream, ...)
    safe_retry_offered = Signal(str, object, str)  # model path, safe LoadOptions, what they are in words
    gave_up = Signal(str)  # message: crashed too often, not restarted
    notice = Signal(str)  # something the user should know (safe settings remembered and used)
    waiting = Signal(str)  # who holds the engine while a chat request waits for it ("" when it got its turn)
    sources = Signal(int, object)  # gen id, the document passages put into the prompt (list of dicts)
    _process_ended = Signal(object)  # from the engine process's reader thread: queued to this worker's thread
    api_crashed = Signal(object)  # an API request saw the engine die (from its thread): restart it here

    def __init__(self, safe_settings: SafeSettings | None = None, gate: EngineGate | None = None,
                 backends: BackendStore | None = None, documents: Path | None = None) -> None:
        super().__init__()
        self.documents = documents  # the document index (documents.sqlite3), for conversations with a collection
        self._retriever = None
        self.gate = gate or EngineGate()
        self.local = EngineProcess(on_exit=self._process_ended.emit)
        self.remote = RemoteEngine(on_wait=lambda text: self.waiting.emit(f"retry {text}" if text else ""))
        self.backends = backends
        self.engine: EngineProcess | RemoteEngine = self.local  # the one in use
        self.api_crashed.connect(self._on_api_crash)
        self._process_ended.connect(self._check_idle_crash)
        self.safe_settings = safe_settings or SafeSettings(None)
        # deltas are coalesced: emitted at most every `flush_interval` seconds (and at the end)
        self.flush_interval = 0.03
        self.crashes = 0  # in a row: reset by a finished reply
        self._trial: tuple[str, LoadOptions] | None = None  # safe settings on trial: remembered after a reply

    # ---- loading ------------------------------------------------------------------------------------------
    @contextmanager
    def _turn(self, cancel: threading.Event | None = None, remote: bool = False):
        """Hold the engine's turn for the block (waiting behind API requests, saying so while it waits); a remote
        model's requests do not use the local engine and take no turn."""
        if remote:
            yield
            return
        holder = self.gate.state().holder
        if holder:
            self.waiting.emit(holder)
        try:
            with self.gate.turn("chat", cancel):
                if holder:
                    self.waiting.emit("")
                    holder = ""
                yield
        finally:
            if holder:  # gave up waiting
                self.waiting.emit("")

    @Slot(str, object)
    def load(self, path: str, options: LoadOptions) -> None:
        if is_model_key(path):
            self._load_remote(path, options)
            return
        with self._turn():
            if self.engine is self.remote:
                self.remote.unload()
                self.engine = self.local
            self._load_now(path, options)

    def _load_remote(self, key: str, options: LoadOptions) -> None:
        try:
            if self.backends is None:
                raise EngineError(translate("EngineWorker", "Remote backends are not available here."))
            backend, model_id = self.backends.resolve(key)
            info = self.remote.load(backend, model_id, self.backends.key(backend.url), options)
        except (EngineError, ValueError) as exc:  # RemoteError, BackendError: in words
            self.load_failed.emit(key, str(exc))
            return
        except Exception as exc:  # never let the worker die
            log.exception("unexpected failure loading a remote model")
            self.load_failed.emit(key, translate("EngineWorker", "Unexpected error while connecting: {error}").format(
                error=exc))
            return
        if self.local.loaded:
            with self._turn():
                self.local.unload()  # one model at a time: the local one's memory goes back
        self.engine = self.remote
        self.crashes = 0
        self.loaded.emit(info)

    def _load_now(self, path: str, options: LoadOptions) -> None:
        remembered = None if options.safe_cpu else self.safe_settings.remembered(path)
        if remembered is not None:
            options = dataclasses.replace(remembered, chat_format=options.chat_format)
            self.notice.emit(translate("EngineWorker", "{name} crashed the engine before and worked with safe "
                                       "settings ({settings}): they are used again.").format(
                name=Path(path).name, settings=describe(options)))
        elif options.safe_cpu:
            self._trial = (path, options)
        previous = (self.engine.path, self.engine.options) if self.engine.loaded else None
        failure = self._load(path, options, user=True, report=False)
        if failure is None:
            return
        if previous is not None and not self.engine.loaded and self.crashes < MAX_CRASHES_IN_A_ROW:
            # the failed load released the model that worked: bring it back, so a failed load costs nothing
            if self._load(*previous, user=False) is None:
                failure += " " + translate("EngineWorker", "{name} is loaded again.").format(
                    name=Path(previous[0]).name)
        self.load_failed.emit(path, failure)

    def _load(self, path: str, options: LoadOptions, user: bool, report: bool = True) -> str | None:
        """None when loaded, else why not (also emitted as load_failed when ``report``)."""
        try:
            info = self.engine.load(path, options)
        except EngineCrashed as exc:
            if report:
                self.load_failed.emit(path, str(exc))
            self._crashed(exc, path, options, restart=False)
            return str(exc)
        except EngineError as exc:
            log.warning("load failed: %s", exc)
            if report:
                self.load_failed.emit(path, str(exc))
            return str(exc)
        except Exception as exc:  # never let the worker die
            log.exception("unexpected load failure")
            message = translate("EngineWorker", "Unexpected error while loading: {error}").format(error=exc)
            if report:
                self.load_failed.emit(path, message)
            return message
        if user:
            self.crashes = 0
        self.loaded.emit(info)
        return None

    @Slot()
    def unload(self) -> None:
        with self._turn(remote=self.engine is self.remote):
            self.engine.unload()
        self.unloaded.emit()

    @Slot(str)
    def set_chat_format(self, name: str) -> None:
        with self._turn(remote=self.engine is self.remote):
            self._set_chat_format(name)

    def _set_chat_format(self, name: str) -> None:
        try:
            self.loaded.emit(self.engine.set_chat_format(name))
        except EngineCrashed as exc:
            self.load_failed.emit(self.engine.path, str(exc))
            self._crashed(exc, self.engine.path, self.engine.options)
        except Exception as exc:
            self.load_failed.emit(self.engine.path if self.engine.info else "", str(exc))

    @Slot(int, object)
    def count_tokens(self, request_id: int, messages: list) -> None:
        with self._turn(remote=self.engine is self.remote):
            self._count_tokens(request_id, messages)

    def _count_tokens(self, request_id: int, messages: list) -> None:
        path, options = self.engine.path, self.engine.options
        try:
            n = self.engine.count_tokens(messages)
        except EngineCrashed as exc:
            n = -1
            self._crashed(exc, path, options)
        except Exception:
            n = -1
        self.tokens_counted.emit(request_id, n, self.engine.n_ctx)

    # ---- generation -----------------------------------------------------------------------------------------
    @Slot(int, object, object, str)
    def generate(self, gen_id: int, req: GenerationRequest, cancel: threading.Event, collection: str = "") -> None:
        try:
            with self._turn(cancel, remote=self.engine is self.remote):
                if collection:
                    req = self._with_documents(gen_id, req, collection)
                    if req is None:
                        return
                self._generate(gen_id, req, cancel)
        except GaveUp:  # stopped while an API request held the engine: nothing was generated
            self.finished.emit(gen_id, ReplyStats(stop_reason="stopped"))

    def _with_documents(self, gen_id: int, req: GenerationRequest, collection: str) -> GenerationRequest | None:
        """The request with the collection's passages for its question (said through ``sources``); None when
        the documents could not be searched (said through ``failed``)."""
        from app.core.docs.retrieval import Retriever

        try:
            if self.documents is None:
                raise EngineError(translate("EngineWorker", "Documents are not available here."))
            if self._retriever is None:
                self._retriever = Retriever(self.documents)
            n_ctx = self.engine.n_ctx
            messages, passages = self._retriever.augment(req.messages, collection, self.engine.count_tokens, n_ctx,
                                                         req.reserve(n_ctx))
        except Exception as exc:  # a missing collection or model, a broken index: said, nothing generated
            log.warning("document search failed: %s", exc)
            self.failed.emit(gen_id, translate("EngineWorker", "The documents ({collection}) could not be searched: "
                                               "{error}").format(collection=collection, error=exc),
                             ReplyStats(stop_reason="error", error=str(exc)))
            return None
        self.sources.emit(gen_id, [p.to_dict() for p in passages])
        return dataclasses.replace(req, messages=messages)

    def close_documents(self) -> None:
        if self._retriever is not None:
            self._retriever.close()
            self._retriever = None

    def _generate(self, gen_id: int, req: GenerationRequest, cancel: threading.Event) -> None:
        stats = ReplyStats()
        buf: list[str] = []
        last = time.perf_counter()
        path, options = self.engine.path, self.engine.options
        context: list = []  # (prompt tokens, n_ctx, excluded ids) once the conversation is fitted

        def on_context(used: int, n_ctx: int, excluded: list) -> None:
            context[:] = [used, n_ctx, excluded]
            self.context_info.emit(gen_id, used, n_ctx, excluded)

        try:
            for piece in self.engine.generate(req, cancel, stats, on_context=on_context):
                buf.append(piece)
                now = time.perf_counter()
                if now - last >= self.flush_interval:
                    self.delta.emit(gen_id, "".join(buf))
                    buf.clear()
                    last = now
                    if context:  # the context meter moves while the reply streams
                        self.context_info.emit(gen_id, context[0] + stats.completion_tokens, context[1], context[2])
            if buf:
                self.delta.emit(gen_id, "".join(buf))
            self.crashes = 0
            if self._trial is not None and self._trial[0] == path and stats.completion_tokens > 0:
                self.safe_settings.remember(*self._trial)
                self._trial = None
            self.finished.emit(gen_id, stats)
        except ContextOverflow as exc:
            stats.stop_reason = "ask"
            stats.error = str(exc)
            self.failed.emit(gen_id, str(exc), stats)
        except PromptTooLong as exc:
            stats.stop_reason = "context_full"
            stats.error = str(exc)
            self.failed.emit(gen_id, str(exc), stats)
        except EngineCrashed as exc:
            if buf:
                self.delta.emit(gen_id, "".join(buf))
            stats.stop_reason = "interrupted"
            stats.error = str(exc)
            self.failed.emit(gen_id, str(exc), stats)
            self._crashed(exc, path, options)
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
            self.failed.emit(gen_id, translate("EngineWorker", "Generation failed: {error}").format(error=exc), stats)

    # ---- crashes ----------------------------------------------------------------------------------------------
    @Slot(object)
    def _check_idle_crash(self, proc: object) -> None:
        """The engine process's output ended. Runs between requests: if no request noticed it (the process died
        while the user was reading, e.g. the OOM killer), it is a crash all the same: report it and restart."""
        with self._turn():
            path, options = self.local.path, self.local.options
            exc = self.local.check_idle(proc)
            if exc is not None:
                self._crashed(exc, path, options)

    @Slot(object)
    def _on_api_crash(self, exc: object) -> None:
        """An API request saw the engine die: say so and start it again, as after a chat crash."""
        with self._turn():
            if self.local.proc is None and self.local.path and self.engine is self.local:
                self._crashed(exc, self.local.path, self.local.options)

    def _crashed(self, exc: EngineCrashed, path: str, options: LoadOptions | None, restart: bool = True) -> None:
        """Say what happened, offer safe settings after a crash in load or prefill, start the engine again."""
        self.crashes += 1
        if self._trial is not None and self._trial[0] == path:
            self._trial = None  # the safe settings did not help either
        self.crashed.emit(str(exc), exc.phase)
        if self.crashes >= MAX_CRASHES_IN_A_ROW:
            crashes = self.crashes  # (a plain name: pyside6-lupdate skips a call whose count is an expression)
            self.gave_up.emit(translate("EngineWorker", "The engine crashed %n time(s) in a row, so Hearth stopped "
                                        "restarting it. Load the model again to retry, or pick another model.", None,
                                        crashes))
            self.unloaded.emit()
            return
        if options is not None and exc.phase in ("load", "prefill", "start") and not options.safe_cpu:
            safe = safe_options(options)
            self.safe_retry_offered.emit(path, safe, describe(safe))
        if not restart:  # a crash while loading: the caller reports it (load_failed), nothing was loaded
            return
        if not path or options is None:
            self.unloaded.emit()
            return
        log.info("restarting the engine with %s", Path(path).name)
        self._load(path, options, user=False)

