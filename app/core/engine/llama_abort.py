"""Interrupt llama.cpp inside a long batch: its abort callback, installed only while a prompt is evaluated."""
from __future__ import annotations

import ctypes
import threading


class abort_on:
    """Install llama.cpp's abort callback for the duration of a block (prompt evaluation)."""

    _bound = False

    def __init__(self, llm, cancel: threading.Event) -> None:
        self.llm = llm
        self.cancel = cancel
        self.cb = None

    @classmethod
    def _bind(cls):
        import llama_cpp

        lib = llama_cpp.llama_cpp._lib
        fn = lib.llama_set_abort_callback
        if not cls._bound:
            fn.argtypes = [ctypes.c_void_p, llama_cpp.ggml_abort_callback, ctypes.c_void_p]
            fn.restype = None
            cls._bound = True
        return fn, llama_cpp.ggml_abort_callback

    def __enter__(self):
        try:
            fn, cbtype = self._bind()
        except (AttributeError, OSError):  # an older build without it: chunk boundaries still apply
            return self
        cancel = self.cancel
        self.cb = cbtype(lambda _data: cancel.is_set())
        fn(self.llm._ctx.ctx, self.cb, None)
        return self

    def __exit__(self, *exc) -> None:
        if self.cb is not None:
            fn, cbtype = self._bind()
            fn(self.llm._ctx.ctx, cbtype(), None)
            self.cb = None
