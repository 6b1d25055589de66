"""The engine's KV cache (a mixin of :class:`app.core.engine.llama_engine.Engine`, which owns ``llm``, ``_owner``,
``_states``, ``state_cache_bytes`` and ``_projector``): a prompt is evaluated reusing the longest prefix the cache
already holds (an image whole or not at all; a Stop interrupts a batch through llama.cpp's abort callback), and each
conversation's KV state is parked when another conversation takes the cache and brought back when it returns."""
from __future__ import annotations

import ctypes
import threading

from app.core.engine.generation import EngineError
from app.core.engine.llama_abort import abort_on
from app.core.i18n import translate


class KVCache:
    """Prefill with prefix reuse, and per-conversation KV states (parked in ``_states``, least recently used
    first out)."""

    def _prefill(self, tokens: list[int], cancel: threading.Event, chunk: int, segments: list | None = None) -> int:
        """Evaluate all but the last prompt token, reusing the KV cache prefix. Returns the reused length.

        While the prompt is evaluated, llama.cpp's abort callback watches ``cancel`` between graph nodes, so a
        Stop interrupts even a long batch within milliseconds (it is removed again before token generation,
        where the per-token check suffices and a Python callback per graph node would cost throughput).
        """
        llm = self.llm
        cached = 0
        limit = min(llm.n_tokens, len(tokens) - 1)
        ids = llm.input_ids
        while cached < limit and ids[cached] == tokens[cached]:
            cached += 1
        for seg in segments or []:  # an image is evaluated whole or not at all
            if seg.kind == "image" and seg.start < cached < seg.end:
                cached = seg.start
        if cached < llm.n_tokens:
            llm._ctx.kv_cache_seq_rm(-1, cached, -1)
            llm.n_tokens = cached
        target = len(tokens) - 1
        pos = cached
        if pos >= target:
            return cached
        if segments:
            self._prefill_segments(tokens, segments, pos, target, cancel, chunk)
            return cached
        with abort_on(llm, cancel):
            self._eval_text(tokens, pos, target, cancel, chunk)
        return cached

    def _eval_text(self, tokens: list[int], pos: int, end: int, cancel: threading.Event, chunk: int) -> int | None:
        """Evaluate ``tokens[pos:end]`` in batches of ``chunk``: the position reached (short of ``end`` when a Stop
        came between batches), or None when a Stop aborted a batch (whatever it left in the cache is dropped)."""
        llm = self.llm
        while pos < end and not cancel.is_set():
            stop = min(end, pos + chunk)
            try:
                llm.eval(tokens[pos:stop])
            except RuntimeError:
                if not cancel.is_set():
                    raise
                llm._ctx.kv_cache_seq_rm(0, llm.n_tokens, -1)
                return None
            pos = stop
        return pos

    def _prefill_segments(self, tokens: list[int], segments: list, pos: int, target: int, cancel: threading.Event,
                          chunk: int) -> None:
        """Evaluate a prompt with images from ``pos`` to ``target``: text through ``llm.eval`` (as without images),
        each image through libmtmd (encoded, then decoded into the cache), its pseudo tokens recorded as the
        cache's token ids so the next turn's prefix match sees it."""
        from app.core.engine.mtmd import ProjectorError

        llm = self.llm
        with abort_on(llm, cancel):
            for seg in segments:
                if seg.end <= pos:
                    continue
                if pos >= target or cancel.is_set():
                    break
                if seg.kind == "text":
                    pos = self._eval_text(tokens, pos, min(seg.end, target), cancel, chunk)
                    if pos is None:
                        return
                    continue
                try:
                    n_past = self._projector.eval_chunk(seg.chunk, llm.n_tokens)
                except ProjectorError as exc:
                    llm._ctx.kv_cache_seq_rm(0, llm.n_tokens, -1)
                    raise EngineError(translate("EngineLlama", "The image could not be evaluated: {error}").format(
                        error=exc)) from exc
                llm.input_ids[seg.start:seg.end] = tokens[seg.start:seg.end]
                llm.n_tokens = n_past
                pos = seg.end

    def _common_prefix(self, a, b) -> int:
        n = min(len(a), len(b))
        i = 0
        while i < n and a[i] == b[i]:
            i += 1
        return i

    def _switch_owner(self, key: object, tokens: list[int]) -> None:
        """Before serving conversation ``key``: park the current conversation's KV state and bring back
        ``key``'s own state when that shares more of the prompt than what the cache holds now."""
        if key is None or key == self._owner:
            self._owner = key if key is not None else self._owner
            return
        import llama_cpp

        llm = self.llm
        ctx = llm._ctx.ctx
        self._park()
        saved = self._states.pop(key, None)
        if saved is not None:
            data, ids = saved
            current = self._common_prefix(llm.input_ids[:llm.n_tokens], tokens)
            if self._common_prefix(ids, tokens) > current:
                llm._ctx.kv_cache_seq_rm(0, 0, -1)
                buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
                if llama_cpp.llama_state_seq_set_data(ctx, buf, len(data), 0) == len(data):
                    llm.input_ids[:len(ids)] = ids
                    llm.n_tokens = len(ids)
                else:  # could not restore: start from an empty cache
                    llm._ctx.kv_cache_seq_rm(0, 0, -1)
                    llm.n_tokens = 0
                llm._requires_eval = True
        self._owner = key

    def _park(self) -> None:
        """Save the KV state of the conversation the cache holds (under its key) before the cache is reused."""
        import llama_cpp

        llm = self.llm
        if self._owner is None or llm is None or llm.n_tokens <= 0:
            return
        ctx = llm._ctx.ctx
        size = llama_cpp.llama_state_seq_get_size(ctx, 0)
        if 0 < size <= self.state_cache_bytes:
            buf = (ctypes.c_uint8 * size)()
            n = llama_cpp.llama_state_seq_get_data(ctx, buf, size, 0)
            self._states[self._owner] = (bytes(buf)[:n], list(llm.input_ids[:llm.n_tokens]))
            self._states.move_to_end(self._owner)
            while sum(len(b) for b, _ in self._states.values()) > self.state_cache_bytes:
                self._states.popitem(last=False)
