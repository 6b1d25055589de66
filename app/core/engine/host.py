"""The engine process: llama.cpp in a child of Hearth, so that its crashes never take the window with them.

Started by :class:`app.core.engine.process.EngineProcess` as ``hearth --engine-host``. The main thread reads
requests from stdin (so a ``cancel`` is seen at once, even while a reply is being written); one worker thread
owns the :class:`~app.core.engine.llama_engine.Engine` and answers in order. The protocol goes to the original
stdout; everything else (llama.cpp's own prints, Python's logging) goes to stderr, which the parent keeps the
end of to explain a crash. When stdin closes (the parent is gone) the process ends.

``HEARTH_ENGINE_FAULT=<when>:<how>[:unless-safe]`` (tests only) makes the process fail on purpose: ``when`` is
``load``, ``prefill`` or ``stream``, ``how`` is ``ggml_abort`` (llama.cpp's own abort: a GGML_ASSERT message on
stderr, then SIGABRT), ``segv`` or ``kill``; ``unless-safe`` spares a model loaded with the safe settings.
"""
from __future__ import annotations

import ctypes
import logging
import os
import queue
import signal
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO

from app.core.engine.context_budget import ContextOverflow
from app.core.engine.generation import (EngineError, GenerationRequest, LoadOptions, PromptTooLong, ReplyStats,
                                       Sampling)
from app.core.engine.protocol import VERSION, ProtocolError, decode, encode, from_dict, to_dict
from app.core.i18n import said, to_wire, translate

log = logging.getLogger("hearth.engine.host")

DELTA_INTERVAL_S = 0.05  # 20 updates a second: smooth to read, and half the wake-ups of 25 ms


def fault(when: str, options: LoadOptions | None) -> None:
    """The test hook: fail here if ``HEARTH_ENGINE_FAULT`` names this moment."""
    spec = os.environ.get("HEARTH_ENGINE_FAULT", "").split(":")
    if len(spec) < 2 or spec[0] != when:
        return
    if "unless-safe" in spec[2:] and options is not None and options.safe_cpu:
        return
    how = spec[1]
    sys.stderr.flush()
    if how == "ggml_abort":
        import llama_cpp

        lib_dir = Path(llama_cpp.__file__).parent / "lib"
        names = sorted(lib_dir.glob("*ggml-base*")) or sorted(lib_dir.glob("*ggml*"))
        ggml = ctypes.CDLL(str(names[0]))
        ggml.ggml_abort.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        ggml.ggml_abort(b"hearth-test-hook.c", 1, b"GGML_ASSERT(%s) failed" % b"hearth test hook")
    elif how == "segv":
        ctypes.string_at(0)
    elif how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)


class Host:
    def __init__(self, out: BinaryIO) -> None:
        from app.core.engine.llama_engine import Engine

        self.out = out
        self._write = threading.Lock()
        self.jobs: queue.Queue[dict | None] = queue.Queue()
        self.cancels: dict[int, threading.Event] = {}
        self.engine = Engine()
        self.worker = threading.Thread(target=self._work, name="engine", daemon=True)

    def send(self, **msg) -> None:
        if msg.get("op") == "error":  # the sentence's source and values too: the window shows it in its language
            wire = to_wire(msg.get("message"))
            if wire is not None:
                msg["text"] = wire
        data = encode(msg)
        with self._write:
            self.out.write(data)
            self.out.flush()

    # ---- the reader (main thread) ----------------------------------------------------------------------------
    def run(self, inp: BinaryIO) -> int:
        self.worker.start()
        self.send(op="hello", version=VERSION, pid=os.getpid())
        for line in inp:
            try:
                msg = decode(line)
            except ProtocolError as exc:
                log.error("engine protocol: %s", exc)
                continue
            op = msg["op"]
            if op == "cancel":
                ev = self.cancels.get(msg.get("id"))
                if ev is not None:
                    ev.set()
            elif op == "exit":
                break
            else:
                if op == "generate":
                    self.cancels[msg.get("id")] = threading.Event()
                self.jobs.put(msg)
        for ev in list(self.cancels.values()):
            ev.set()
        self.jobs.put(None)
        self.worker.join(10)
        return 0

    # ---- the worker ------------------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            msg = self.jobs.get()
            if msg is None:
                break
            rid = msg.get("id")
            try:
                getattr(self, "_op_" + msg["op"], self._unknown)(rid, msg)
            except Exception as exc:  # an answer, never a dead worker
                log.exception("engine request %s failed", msg.get("op"))
                self.send(op="error", id=rid, kind="engine", message=translate(
                    "EngineHost", "The engine failed: {kind}: {error}").format(kind=type(exc).__name__, error=exc))
        self.engine.unload()

    def _unknown(self, rid, msg) -> None:
        self.send(op="error", id=rid, message=f"unknown request {msg['op']!r}", kind="protocol")

    def _op_load(self, rid, msg) -> None:
        options = from_dict(LoadOptions, msg.get("options"))
        fault("load", options)
        try:
            info = self.engine.load(msg["path"], options)
        except EngineError as exc:
            self.send(op="error", id=rid, message=said(exc), kind="load")
            return
        self.send(op="loaded", id=rid, info=to_dict(info), template_source=to_wire(info.template_source))

    def _op_format(self, rid, msg) -> None:
        try:
            info = self.engine.set_chat_format(msg["name"])
        except EngineError as exc:
            self.send(op="error", id=rid, message=said(exc), kind="format")
            return
        self.send(op="loaded", id=rid, info=to_dict(info), template_source=to_wire(info.template_source))

    def _op_count(self, rid, msg) -> None:
        if isinstance(msg.get("texts"), list):  # many texts in one round trip (chunking documents)
            try:
                counts = [self.engine.count_text_tokens(str(t)) for t in msg["texts"]]
            except EngineError:
                counts = []
            self.send(op="counted", id=rid, tokens=len(counts), counts=counts, n_ctx=self.engine.n_ctx)
            return
        try:
            n = self.engine.count_tokens(msg["messages"]) if msg.get("messages") is not None \
                else self.engine.count_text_tokens(msg.get("text", ""))
        except EngineError:
            n = -1
        self.send(op="counted", id=rid, tokens=n, n_ctx=self.engine.n_ctx)

    def _op_generate(self, rid, msg) -> None:
        cancel = self.cancels.get(rid) or threading.Event()
        stats = ReplyStats()
        req = GenerationRequest(msg.get("messages") or [], from_dict(Sampling, msg.get("sampling")),
                                msg.get("policy") or "truncate_middle", msg.get("cache_key"),
                                prompt=msg.get("prompt"), stop=list(msg.get("stop") or []),
                                tools=msg.get("tools"), tool_choice=msg.get("tool_choice"),
                                parallel_tool_calls=bool(msg.get("parallel_tool_calls")),
                                adapters=list(msg.get("adapters") or []))
        fault("prefill", self.engine.options)
        first = True
        pending: list[str] = []
        last = 0.0
        try:
            for text in self.engine.generate(req, cancel, stats, on_context=lambda used, n_ctx, excluded: self.send(
                    op="context", id=rid, prompt_tokens=used, n_ctx=n_ctx, excluded=list(excluded))):
                # pieces are sent together at most every DELTA_INTERVAL_S (the first one at once): each message
                # wakes the parent's threads, which on a small machine share the cores llama.cpp computes on
                pending.append(text)
                now = time.perf_counter()
                if first or now - last >= DELTA_INTERVAL_S:
                    self.send(op="delta", id=rid, text="".join(pending), tokens=stats.completion_tokens)
                    pending.clear()
                    last = now
                if first:
                    first = False
                    fault("stream", self.engine.options)
            if pending:
                self.send(op="delta", id=rid, text="".join(pending), tokens=stats.completion_tokens)
                pending.clear()
        except ContextOverflow as exc:
            pending.clear()
            stats.stop_reason, stats.error = "ask", str(exc)
            self.send(op="error", id=rid, message=said(exc), kind="overflow", stats=to_dict(stats),
                      needed=exc.needed, available=exc.available)
        except PromptTooLong as exc:
            stats.stop_reason, stats.error = "context_full", str(exc)
            self.send(op="error", id=rid, message=said(exc), kind="too_long", stats=to_dict(stats),
                      n_tokens=exc.n_tokens, n_ctx=exc.n_ctx)
        except EngineError as exc:
            if pending:
                self.send(op="delta", id=rid, text="".join(pending))
            stats.stop_reason, stats.error = stats.stop_reason or "error", str(exc)
            self.send(op="error", id=rid, message=said(exc), kind="engine", stats=to_dict(stats))
        except Exception as exc:  # a malformed request or a bug: an answer, never a dead worker
            log.exception("generation failed")
            stats.stop_reason, stats.error = "error", str(exc)
            self.send(op="error", id=rid, kind="engine", stats=to_dict(stats),
                      message=translate("EngineHost", "Generation failed: {error}").format(error=exc))
        else:
            self.send(op="done", id=rid, stats=to_dict(stats))
        finally:
            self.cancels.pop(rid, None)

    def _op_embed(self, rid, msg) -> None:
        try:
            vectors = self.engine.embed(msg.get("texts") or [])
        except PromptTooLong as exc:
            self.send(op="error", id=rid, message=said(exc), kind="too_long", n_tokens=exc.n_tokens, n_ctx=exc.n_ctx)
            return
        except EngineError as exc:
            self.send(op="error", id=rid, message=said(exc), kind="engine")
            return
        self.send(op="embedded", id=rid, vectors=vectors)


def main() -> int:
    """``hearth --engine-host``: serve the protocol on stdin/stdout until stdin closes."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # native prints must never corrupt the protocol
    sys.stdout = sys.stderr
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(name)s: %(message)s")
    return Host(out).run(sys.stdin.buffer)
