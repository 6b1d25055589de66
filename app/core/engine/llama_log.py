"""Route llama.cpp's own log output into Python.

llama.cpp reports why a load failed, and how much memory it allocated, only in its log. We install one
ctypes callback (kept alive for the life of the process) that
- keeps a tail of recent lines, so a failed load can show llama.cpp's reason;
- forwards lines to any registered listeners (the fit benchmarks parse the buffer-size lines);
- writes them to the ``hearth.llama`` logger at debug level; nothing goes to the terminal.
"""
from __future__ import annotations

import collections
import ctypes
import logging
import threading
from typing import Callable

log = logging.getLogger("hearth.llama")

_lock = threading.Lock()
_installed = False
_callback_ref = None  # keep the ctypes thunk alive
_partial = ""
tail: collections.deque[tuple[int, str]] = collections.deque(maxlen=400)
_listeners: list[Callable[[int, str], None]] = []

# ggml.h: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5 (llama-cpp-python's own comment shows an older order)
LEVEL_WARN = 3
LEVEL_ERROR = 4


def install() -> None:
    """Install the callback (idempotent). Imports llama_cpp, so call it off the GUI thread."""
    global _installed, _callback_ref
    with _lock:
        if _installed:
            return
        import llama_cpp

        @llama_cpp.llama_log_callback
        def _cb(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:  # pragma: no cover - C calls it
            try:
                _on_text(int(level), text.decode("utf-8", "replace") if text else "")
            except Exception:
                pass

        _callback_ref = _cb
        llama_cpp.llama_log_set(_cb, ctypes.c_void_p(0))
        _installed = True


_last_level = 1


def _on_text(level: int, text: str) -> None:
    global _partial, _last_level
    if level == 5:  # GGML_LOG_LEVEL_CONT: continuation of the previous line
        level = _last_level
    _last_level = level
    _partial += text
    while "\n" in _partial:
        line, _partial = _partial.split("\n", 1)
        _emit(level, line)


def _emit(level: int, line: str) -> None:
    tail.append((level, line))
    for fn in list(_listeners):
        try:
            fn(level, line)
        except Exception:
            log.exception("llama log listener failed")
    if level == LEVEL_ERROR:
        log.warning("llama.cpp: %s", line)
    elif level == LEVEL_WARN:
        log.info("llama.cpp: %s", line)
    else:
        log.debug("%s", line)


def add_listener(fn: Callable[[int, str], None]) -> None:
    _listeners.append(fn)


def remove_listener(fn: Callable[[int, str], None]) -> None:
    try:
        _listeners.remove(fn)
    except ValueError:
        pass


def recent_errors(lines: list[tuple[int, str]]) -> list[str]:
    out = []
    for level, line in lines:
        low = line.lower()
        if level == LEVEL_ERROR or "error" in low or "failed" in low:
            s = line.strip()
            if s and s not in out:
                out.append(s)
    return out


class Capture:
    """Context manager that records every llama.cpp log line emitted while it is active."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []

    def _fn(self, level: int, line: str) -> None:
        self.lines.append((level, line))

    def __enter__(self) -> "Capture":
        install()
        add_listener(self._fn)
        return self

    def __exit__(self, *exc) -> None:
        remove_listener(self._fn)

    def errors(self) -> list[str]:
        return recent_errors(self.lines)
