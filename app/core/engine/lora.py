"""LoRA adapters on a loaded llama.cpp model: load them once, switch them (and their scales) per request.

Ownership, as the bundled llama.cpp implements it (``src/llama-adapter.cpp``, ``llama-model.cpp``): an adapter
from ``llama_adapter_lora_init`` is registered with its model; ``llama_model_free`` deletes every adapter still
registered, and ``llama_adapter_lora_free`` unregisters and deletes one. So an adapter may be freed by hand only
while its model is alive, and never after: once the model is gone its handles dangle. A context keeps plain
pointers to the adapters set on it, so they are taken off the context before they are freed.

``Adapters`` follows that: ``close()`` clears the context and frees the adapters while the model lives, and only
forgets them once the model has been freed; it is also hooked into the ``Llama``'s own close (run before the
model is freed), and every handle is dropped before it is freed, so a double free cannot happen.

Changing the adapters changes the weights, so whatever the KV cache holds was computed by another model: ``apply``
empties it (and ``llm.n_tokens``) whenever the set of adapters or a scale changes.
"""
from __future__ import annotations

import ctypes
import logging
import os
import weakref
from pathlib import Path
from typing import Iterable

from app.core.engine.generation import EngineError
from app.core.i18n import translate

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, float], ...]


def _key(path: str | os.PathLike) -> str:
    return str(Path(path).resolve())


class Adapters:
    """The LoRA adapters of one loaded ``llama_cpp.Llama``. Not thread-safe: use it where the model is used."""

    def __init__(self, llm) -> None:
        self.llm = llm
        self._handles: dict[str, object] = {}  # resolved path -> llama_adapter_lora pointer
        self.current: Signature = ()
        stack = getattr(llm, "_stack", None)
        if stack is not None:  # the Llama's close runs this before it frees the context and the model
            ref = weakref.ref(self)
            stack.callback(lambda: (ref() is not None and ref().close()))

    def _model_ptr(self):
        model = getattr(self.llm, "_model", None)
        return getattr(model, "model", None)  # None once the Llama is closed (llama-cpp-python sets it so)

    def _ctx_ptr(self):
        ctx = getattr(self.llm, "_ctx", None)
        return getattr(ctx, "ctx", None)

    @property
    def loaded(self) -> list[str]:
        return list(self._handles)

    def load(self, path: str | os.PathLike):
        """The llama.cpp handle of the adapter at ``path``, loaded on first use. ``EngineError`` if llama.cpp
        refuses it (its reason, from its log, is in the message)."""
        import llama_cpp

        from app.core.engine import llama_log

        key = _key(path)
        if key in self._handles:
            return self._handles[key]
        model = self._model_ptr()
        if model is None:
            raise EngineError(translate("EngineAdapters", "The model is no longer loaded, so no adapter can be "
                                        "added to it."))
        if not os.path.isfile(key):
            raise EngineError(translate("EngineAdapters", "The adapter {file} is missing.").format(
                file=Path(path).name))
        with llama_log.Capture() as cap:
            handle = llama_cpp.llama_adapter_lora_init(model, key.encode("utf-8"))
        if not handle:  # ctypes gives a NULL pointer object here, not None
            why = "; ".join(cap.errors()[-2:]) or translate("EngineAdapters", "llama.cpp gave no reason")
            raise EngineError(translate("EngineAdapters", "llama.cpp could not load the adapter {file}: {why}").format(
                file=Path(path).name, why=why))
        self._handles[key] = handle
        return handle

    def apply(self, llm, adapters: Iterable[tuple[str | os.PathLike, float]]) -> Signature:
        """Make exactly ``adapters`` (path, scale) active on ``llm``'s context; an empty list removes them all.
        Every adapter is loaded before anything changes, so a refused one leaves the context as it was."""
        import llama_cpp

        if llm is not self.llm:
            raise EngineError(translate("EngineAdapters", "These adapters belong to another loaded model."))
        wanted = [(_key(p), float(s)) for p, s in adapters]
        paths = [p for p, _ in wanted]
        if len(set(paths)) != len(paths):
            raise EngineError(translate("EngineAdapters", "The same adapter is listed twice; give it one scale."))
        signature: Signature = tuple(wanted)
        if signature == self.current:
            return self.current
        ctx = self._ctx_ptr()
        if ctx is None:
            raise EngineError(translate("EngineAdapters", "The model is no longer loaded, so no adapter can be "
                                        "applied."))
        handles = [self.load(p) for p in paths]
        n = len(handles)
        arr = (llama_cpp.llama_adapter_lora_p_ctypes * n)(*handles) if n else None
        scales = (ctypes.c_float * n)(*[s for _, s in wanted]) if n else None
        if llama_cpp.llama_set_adapters_lora(ctx, arr, n, scales) != 0:
            raise EngineError(translate("EngineAdapters", "llama.cpp could not apply the adapters."))
        self.current = signature
        self._forget_kv()
        return self.current

    def _forget_kv(self) -> None:
        """The KV cache was computed with other weights: empty it, so nothing reuses it as a prefix."""
        llm = self.llm
        try:
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        except Exception:  # no memory (embedding-only contexts) - nothing to forget
            log.debug("no KV cache to clear", exc_info=True)
        llm.reset()

    def close(self) -> None:
        """Take the adapters off the context and free them (only forget them once the model is gone: llama.cpp
        freed them with it). Safe to call more than once."""
        if not self._handles:
            self.current = ()
            return
        import llama_cpp

        handles, self._handles = list(self._handles.values()), {}
        model, ctx = self._model_ptr(), self._ctx_ptr()
        if ctx is not None:
            llama_cpp.llama_set_adapters_lora(ctx, None, 0, None)
        self.current = ()
        if model is None:
            return  # llama_model_free already deleted them
        for handle in handles:
            llama_cpp.llama_adapter_lora_free(handle)
