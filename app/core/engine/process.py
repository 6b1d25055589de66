"""The engine in a child process: the same interface as :class:`~app.core.engine.llama_engine.Engine`.

``EngineProcess`` starts ``hearth --engine-host`` (:mod:`app.core.engine.host`) when a model is loaded and ends it
when the model is unloaded, so the model's memory really goes back to the operating system. Exactly one thread
uses it (the window's engine worker, or the command line). When the child dies (SIGSEGV, a GGML_ASSERT's
SIGABRT, SIGKILL, the OOM killer) the call in progress raises :class:`EngineCrashed`, which says in words what
happened, in which phase, with the last lines llama.cpp wrote; the caller decides whether to start it again.
"""
from __future__ import annotations

import collections
import itertools
import logging
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from app.core.engine.context_budget import ContextOverflow
from app.core.engine.generation import (Cancel, EngineError, GenerationRequest, LoadOptions, ModelInfo,
                                       PromptTooLong, ReplyStats, options_problem)
from app.core.engine.protocol import VERSION, ProtocolError, decode, encode, from_dict, to_dict
from app.core.i18n import QT_TRANSLATE_NOOP, from_wire, translate

log = logging.getLogger("hearth.engine.process")

START_TIMEOUT_S = 60.0
POLL_S = 0.02  # how often a waiting reply checks a plain threading.Event cancel flag
PUSH_POLL_S = 0.5  # ... and a Cancel flag, which tells the process itself when it is set (a safety net only)
LOG_TAIL = 80  # stderr lines kept to explain a crash

# phase -> words for people (translated where the sentence is made: translate("EngineProcess", PHASE_WORDS[phase]))
PHASE_WORDS = {"idle": QT_TRANSLATE_NOOP("EngineProcess", "while waiting for a message"),
               "start": QT_TRANSLATE_NOOP("EngineProcess", "while starting"),
               "load": QT_TRANSLATE_NOOP("EngineProcess", "while loading the model"),
               "prefill": QT_TRANSLATE_NOOP("EngineProcess", "while reading the conversation"),
               "stream": QT_TRANSLATE_NOOP("EngineProcess", "while writing the reply"),
               "count": QT_TRANSLATE_NOOP("EngineProcess", "while counting tokens"),
               "format": QT_TRANSLATE_NOOP("EngineProcess", "while changing the chat format"),
               "embed": QT_TRANSLATE_NOOP("EngineProcess", "while computing embeddings")}

# signal name -> what it means for people; {signal} is its name (translated in _signal_words)
SIGNAL_WORDS = {"SIGSEGV": QT_TRANSLATE_NOOP("EngineProcess", "a memory access fault in llama.cpp ({signal})"),
                "SIGABRT": QT_TRANSLATE_NOOP("EngineProcess", "llama.cpp stopped itself (abort) ({signal})"),
                "SIGKILL": QT_TRANSLATE_NOOP("EngineProcess", "it was killed, often because the computer ran out of "
                                                              "memory ({signal})"),
                "SIGBUS": QT_TRANSLATE_NOOP("EngineProcess", "a memory access fault in llama.cpp ({signal})"),
                "SIGILL": QT_TRANSLATE_NOOP("EngineProcess", "an instruction this CPU does not have ({signal})"),
                "SIGFPE": QT_TRANSLATE_NOOP("EngineProcess", "an arithmetic fault in llama.cpp ({signal})")}
OTHER_SIGNAL = QT_TRANSLATE_NOOP("EngineProcess", "it was stopped by a signal ({signal})")


class EngineCrashed(EngineError):
    """The engine process died. ``phase``: start, load, prefill, stream, ...; ``signal_name``: e.g. SIGABRT."""

    def __init__(self, message: str, phase: str, returncode: int | None, signal_name: str, last_lines: list[str]):
        super().__init__(message)
        self.phase = phase
        self.returncode = returncode
        self.signal_name = signal_name
        self.last_lines = last_lines


def _signal_words(returncode: int | None) -> tuple[str, str]:
    """(signal name or '', what it means for people)."""
    if returncode is None:
        return "", translate("EngineProcess", "it stopped answering")
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return name, translate("EngineProcess", SIGNAL_WORDS.get(name, OTHER_SIGNAL)).format(signal=name)
    if os.name == "nt" and returncode >= 0xC0000000:
        return "", translate("EngineProcess", "a native fault (code 0x{code:08X})").format(code=returncode)
    return "", translate("EngineProcess", "it exited with code {code}").format(code=returncode)


def notable_lines(lines: list[str], n: int = 3) -> list[str]:
    """The last lines worth showing a person: llama.cpp's assert or abort text first, else its errors; none
    when it said nothing of the kind (the crash is then described by its signal alone)."""
    for keys in (("GGML_ASSERT", "GGML_ABORT", "terminate called", "what():"),
                 ("error", "Error", "failed", "fatal")):
        hits = [ln for ln in lines if any(k in ln for k in keys) and not ln.startswith("[engine]")]
        if hits:
            return hits[-n:]
    return []


class EngineProcess:
    """One engine process at a time; methods as :class:`Engine`'s, for one calling thread."""

    def __init__(self, start_timeout: float = START_TIMEOUT_S, env: dict[str, str] | None = None,
                 on_exit: Callable[[object], None] | None = None) -> None:
        """``on_exit(proc)`` is called on a reader thread when a started process's output ends (it died, or was
        ended): the window's worker uses it to notice a crash while nothing was asked (see :meth:`check_idle`)."""
        self.start_timeout = start_timeout
        self.on_exit = on_exit
        self.extra_env = dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.info: ModelInfo | None = None
        self.options: LoadOptions | None = None
        self.path: str = ""
        self._events: queue.Queue[dict] = queue.Queue()
        self._ids = itertools.count(1)
        self._tail: collections.deque[str] = collections.deque(maxlen=LOG_TAIL)
        self._tail_lock = threading.Lock()
        self._write_lock = threading.Lock()  # a Cancel set on another thread writes too

    # ---- the process -------------------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _start(self) -> None:
        from app.self_exec import hearth_argv, hearth_env

        env = hearth_env()
        env.update(self.extra_env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        env.setdefault("GGML_NO_BACKTRACE", "1")  # ggml would attach gdb to print one: slow, and noise here
        self._events = queue.Queue()  # a fresh queue: nothing of a dead child reaches the new one
        with self._tail_lock:
            self._tail.clear()
        # a session of its own: Ctrl+C in the terminal stops `hearth chat` (which cancels the reply), not the engine
        # under it; the engine still ends with Hearth, when its stdin closes
        self.proc = subprocess.Popen(hearth_argv() + ["--engine-host"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, bufsize=0,
                                     start_new_session=os.name == "posix")
        events = self._events
        threading.Thread(target=self._read_events, args=(self.proc, events), name="engine-events",
                         daemon=True).start()
        threading.Thread(target=self._read_log, args=(self.proc.stderr,), name="engine-log", daemon=True).start()
        hello = self._wait(None, "start", timeout=self.start_timeout)
        if hello.get("op") != "hello" or hello.get("version") != VERSION:
            self._kill()
            raise EngineError(translate("EngineProcess", "The engine process speaks protocol {theirs!r}, Hearth "
                                        "{ours}: reinstall Hearth.").format(theirs=hello.get("version"), ours=VERSION))
        log.info("engine process %d started", self.proc.pid)

    def _read_events(self, proc: subprocess.Popen, events: queue.Queue) -> None:
        try:
            for line in proc.stdout:
                try:
                    events.put(decode(line))
                except ProtocolError as exc:
                    log.warning("engine process: %s", exc)
        except (OSError, ValueError):
            pass
        events.put({"op": "_eof"})
        if self.on_exit is not None:
            self.on_exit(proc)

    def check_idle(self, proc: object) -> EngineCrashed | None:
        """Call on the engine's own thread after ``on_exit(proc)``: if ``proc`` is still the current process
        (nobody asked it anything since it died), it crashed while idle: the crash, described; else None."""
        if proc is None or proc is not self.proc:
            return None
        return self._crashed("idle")

    def _read_log(self, stream) -> None:
        try:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    with self._tail_lock:
                        self._tail.append(line)
                    log.info("[engine] %s", line)
        except (OSError, ValueError):
            pass

    def log_tail(self) -> list[str]:
        with self._tail_lock:
            return list(self._tail)

    def _send(self, msg: dict, phase: str) -> None:
        if self.proc is None or self.proc.stdin is None:
            raise EngineError(translate("EngineProcess", "No model is loaded. Pick a model and press Load."))
        if not self._write(self.proc, msg):
            raise self._crashed(phase)

    def _write(self, proc: subprocess.Popen, msg: dict) -> bool:
        """One message to ``proc``'s stdin (any thread); False when the pipe is gone."""
        try:
            with self._write_lock:
                proc.stdin.write(encode(msg))
                proc.stdin.flush()
            return True
        except (OSError, ValueError, AttributeError):
            return False

    def _request(self, op: str, phase: str, **fields) -> int:
        rid = next(self._ids)
        self._send({"op": op, "id": rid, **fields}, phase)
        return rid

    def _wait(self, rid: int | None, phase: str, timeout: float | None = None,
              cancel: threading.Event | None = None, on_cancel: Callable[[], None] | None = None,
              poll: float = POLL_S) -> dict:
        """The next event for request ``rid`` (any event when None); raises EngineCrashed if the child dies."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if cancel is not None and on_cancel is not None and cancel.is_set():
                on_cancel()
                on_cancel = None
            try:
                # few wake-ups: on a small machine each one takes a core from llama.cpp's threads for a moment
                ev = self._events.get(timeout=poll if cancel is not None else 0.25)
            except queue.Empty:
                if deadline is not None and time.monotonic() > deadline:
                    self._kill()
                    raise self._crashed(phase, timed_out=True) from None
                continue
            if ev["op"] == "_eof":
                raise self._crashed(phase)
            if rid is None or ev.get("id") == rid:
                return ev

    def _crashed(self, phase: str, timed_out: bool = False) -> EngineCrashed:
        proc, self.proc = self.proc, None
        self.info = None
        rc = None
        if proc is not None:
            try:
                rc = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
            time.sleep(0.05)  # the log reader's last lines
        name, words = ("", translate("EngineProcess", "it did not answer in time")) if timed_out \
            else _signal_words(rc)
        lines = notable_lines(self.log_tail())
        when = translate("EngineProcess", PHASE_WORDS[phase]) if phase in PHASE_WORDS else ""
        if lines:
            text = translate("EngineProcess", "The engine stopped {when}: {cause}. llama.cpp said: {said}").format(
                when=when, cause=words, said=" | ".join(ln[-300:] for ln in lines))
        else:
            text = translate("EngineProcess", "The engine stopped {when}: {cause}.").format(when=when, cause=words)
        log.error("engine process %s crashed %s (returncode %s): %s", proc.pid if proc else "?", phase, rc,
                  " | ".join(lines))
        return EngineCrashed(text, phase, rc, name, lines)

    def _kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    # ---- the Engine interface ----------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.info is not None and self.alive

    @property
    def n_ctx(self) -> int:
        return self.info.n_ctx if self.info is not None else 0

    def load(self, path, options: LoadOptions | None = None) -> ModelInfo:
        """Start a fresh engine process and load ``path`` in it. A clear EngineError when llama.cpp refuses the
        file (the process is ended: nothing is loaded); EngineCrashed when the process dies meanwhile."""
        from app.core.engine import load_check

        options = options or LoadOptions()
        problem = options_problem(options)
        if problem:  # refused before anything is unloaded: the loaded model keeps serving
            raise EngineError(problem)
        load_check.validate_for_load(Path(path))  # a file Hearth refuses leaves the loaded model serving
        self.unload()
        self._start()
        rid = self._request("load", "load", path=str(path), options=to_dict(options))
        ev = self._wait(rid, "load")
        if ev["op"] == "error":
            self.unload()
            raise EngineError(_said(ev) or translate("EngineProcess", "The model could not be loaded."))
        self.info = _info(ev)
        self.options = options
        self.path = str(path)
        return self.info

    def unload(self, timeout: float = 3.0) -> None:
        """End the engine process: its memory goes back to the system."""
        proc, self.proc = self.proc, None
        self.info = None
        if proc is None:
            return
        try:
            if proc.poll() is None:
                if self._write(proc, {"op": "exit"}):
                    try:
                        proc.stdin.close()
                    except (OSError, ValueError):
                        pass
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        finally:
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                try:
                    stream.close()
                except (OSError, ValueError, AttributeError):
                    pass

    close = unload

    def set_chat_format(self, name: str) -> ModelInfo:
        rid = self._request("format", "format", name=name)
        ev = self._wait(rid, "format")
        if ev["op"] == "error":
            raise EngineError(_said(ev))
        self.info = _info(ev)
        return self.info

    def count_tokens(self, messages: list[dict]) -> int:
        ev = self._wait(self._request("count", "count", messages=messages), "count")
        if ev.get("tokens", -1) < 0:
            raise EngineError(translate("EngineProcess", "The conversation could not be tokenized."))
        return int(ev["tokens"])

    def count_text_tokens(self, text: str) -> int:
        ev = self._wait(self._request("count", "count", text=text), "count")
        return int(ev.get("tokens", -1))

    def count_texts(self, texts: list[str]) -> list[int]:
        """Each text's length in tokens (no BOS), in one round trip."""
        ev = self._wait(self._request("count", "count", texts=list(texts)), "count")
        counts = ev.get("counts")
        if not isinstance(counts, list) or len(counts) != len(texts):
            raise EngineError(translate("EngineProcess", "The texts could not be tokenized."))
        return [int(c) for c in counts]

    def generate(self, req: GenerationRequest, cancel: threading.Event | None = None,
                 stats: ReplyStats | None = None,
                 on_context: Callable[[int, int, list], None] | None = None) -> Iterator[str]:
        """Yield the reply's text as the engine process writes it; ``cancel`` is passed on within ~10 ms.
        ``stats`` is the engine's, with the times measured here, where the text arrives: time to first token
        from the request, tokens per second from the first piece to the end."""
        cancel = cancel or threading.Event()
        stats = stats if stats is not None else ReplyStats()
        t0 = time.perf_counter()
        t_first = 0.0
        rid = self._request("generate", "prefill", messages=req.messages, sampling=to_dict(req.sampling),
                            policy=req.policy, cache_key=req.cache_key, prompt=req.prompt, stop=list(req.stop or []),
                            tools=req.tools, tool_choice=req.tool_choice,
                            parallel_tool_calls=req.parallel_tool_calls,
                            adapters=[[str(p), float(s)] for p, s in req.adapters])
        phase = "prefill"
        finished = False

        sent_cancel = [False]
        proc = self.proc

        def send_cancel() -> None:  # on this thread, or on the thread that sets a Cancel
            if sent_cancel[0] or proc is not self.proc:
                return
            sent_cancel[0] = True
            # a plain write: a dead process is reported by the wait, on the engine's own thread
            self._write(proc, {"op": "cancel", "id": rid})

        pushed = isinstance(cancel, Cancel)
        if pushed:
            cancel.listen(send_cancel)
        try:
            while True:
                try:
                    ev = self._wait(rid, phase, cancel=cancel, on_cancel=send_cancel,
                                    poll=PUSH_POLL_S if pushed else POLL_S)
                except EngineCrashed:
                    finished = True
                    stats.stop_reason = "interrupted"
                    raise
                op = ev["op"]
                if op == "delta":
                    if not t_first:
                        t_first = time.perf_counter()
                    phase = "stream"
                    stats.completion_tokens = int(ev.get("tokens", stats.completion_tokens) or 0)
                    yield ev.get("text", "")
                elif op == "context":
                    if on_context is not None:
                        on_context(int(ev["prompt_tokens"]), int(ev["n_ctx"]), list(ev.get("excluded") or []))
                elif op == "done":
                    finished = True
                    _fill(stats, ev.get("stats"))
                    if t_first:
                        stats.ttft_s = t_first - t0
                        stats.gen_seconds = max(time.perf_counter() - t_first, 1e-9)
                    return
                elif op == "error":
                    finished = True
                    _fill(stats, ev.get("stats"))
                    message = _said(ev)
                    kind = ev.get("kind")
                    if kind == "overflow":
                        raise ContextOverflow(int(ev.get("needed", 0)), int(ev.get("available", 0)))
                    if kind == "too_long":
                        raise PromptTooLong(int(ev.get("n_tokens", 0)), int(ev.get("n_ctx", 0)))
                    raise EngineError(message)
        finally:
            if not finished and self.alive:  # the caller stopped reading: stop the reply too
                send_cancel()

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One L2-normalised vector of ``info.n_embd`` floats per text (see ``Engine.embed``)."""
        ev = self._wait(self._request("embed", "embed", texts=list(texts)), "embed")
        if ev["op"] == "error":
            if ev.get("kind") == "too_long":
                raise PromptTooLong(int(ev.get("n_tokens", 0)), int(ev.get("n_ctx", 0)))
            raise EngineError(_said(ev) or translate("EngineProcess", "The embeddings could not be computed."))
        return [list(v) for v in ev.get("vectors") or []]


def _info(ev: dict) -> ModelInfo:
    """A ``loaded`` event's model info, where the template's source line is made again here (in the window's
    language) from the sentence the engine sent."""
    info = from_dict(ModelInfo, ev["info"])
    source = from_wire(ev.get("template_source"))
    if source is not None:
        info.template_source = source
    return info


def _said(ev: dict) -> str:
    """An error event's sentence: made again here from its source and values (so in the window's language), else
    the engine's English text."""
    made = from_wire(ev.get("text"))
    return made if made is not None else str(ev.get("message") or "")


def _fill(stats: ReplyStats, data: dict | None) -> None:
    for k, v in (data or {}).items():
        if hasattr(stats, k) and not isinstance(getattr(type(stats), k, None), property):
            setattr(stats, k, v)
