"""The lean token loop: llama.cpp's own sampler chain and token pieces, no per-token Python sampling.

llama-cpp-python's ``create_completion`` copies logits, samples through Python wrappers and detokenizes the
whole completion for every stop check; on a small model that Python work is a large share of each token's time
and grows with the reply. Here each token costs one ``llama_decode`` (straight on the context, keeping
``Llama``'s token list in step for the KV-cache prefix reuse but skipping ``Llama.eval``'s per-token cache trim,
batch rebuild and logits copy), one ``llama_sampler_sample`` on the C sampler chain
(a grammar, penalties, top-k, top-p, min-p, temperature, seeded distribution), one ``llama_token_to_piece`` into a
reused buffer, an incremental UTF-8 decode and a stop-string check on the short held-back tail only.
"""
from __future__ import annotations

import codecs
import ctypes
import math
import threading
from collections import deque
from dataclasses import dataclass
from typing import Iterator

from app.core.engine.generation import EngineError, Sampling

PENALTY_LAST_N = 64  # as llama-cpp-python's ``last_n_tokens_size``


class _Greedy:
    """Temperature 0: the first largest logit after the repeat penalty, read in place.

    The same token as llama.cpp's penalties + greedy samplers (the penalty divides a positive logit and
    multiplies a negative one, once for each token among the last ``PENALTY_LAST_N`` accepted, in float32; ties go
    to the lowest id), without their per-token cost: they first copy every logit into a fresh candidates array,
    ~0.35 ms a token for Gemma 3's 262,144 (2-3% of a 270M model's decode) vs ~0.03-0.06 ms here."""

    def __init__(self, llm, penalty: float) -> None:
        import llama_cpp as lib
        import numpy as np

        self._np = np
        self._get = lib.llama_get_logits_ith
        self._n_vocab = llm.n_vocab()
        self._penalty = np.float32(penalty)
        self._recent: deque[int] | None = deque(maxlen=PENALTY_LAST_N) if penalty != 1.0 else None

    def sample(self, ctx) -> int:
        np = self._np
        logits = np.ctypeslib.as_array(self._get(ctx, -1), shape=(self._n_vocab,))
        if self._recent:
            ids = np.fromiter(set(self._recent), dtype=np.intp)
            vals = logits[ids]
            logits = logits.copy()  # llama.cpp's own buffer stays as it computed it
            logits[ids] = np.where(vals <= 0, vals * self._penalty, vals / self._penalty)
        token = int(logits.argmax())
        if self._recent is not None:
            self._recent.append(token)
        return token


class SamplerChain:
    """A llama.cpp sampler chain for one reply. The penalties look at the reply's own last tokens, not the
    prompt's (as llama-cpp-python's sampling did: replies keep their character).

    ``grammar`` (GBNF, rule ``root``) comes first in the chain: every other sampler sees only the tokens it allows,
    and it allows an end of generation only where the grammar is complete. A grammar llama.cpp refuses raises
    ``EngineError`` (see ``grammar.py``). Temperature 0 without presence or frequency penalty and without a
    grammar is sampled in place (``_Greedy``); otherwise the chain ends with llama.cpp's greedy sampler.

    Under a grammar a token is drawn in two steps (``llama_sampler_apply``, then ``llama_sampler_accept``) instead
    of ``llama_sampler_sample``: a grammar llama.cpp accepts may still allow no token at some point (one that asks
    for a NUL character, which no token piece has), and accepting the token drawn from nothing throws a C++
    exception that ends the process. That is a ``GrammarDeadEnd`` here instead, for ~0.1 ms a token (the candidates
    are filled with numpy)."""

    def __init__(self, llm, sampling: Sampling, seed: int, grammar: str = "") -> None:
        import llama_cpp as lib

        self._lib = lib
        self.ptr = None
        self._greedy = None
        self._candidates = None
        greedy = sampling.temperature <= 0
        if greedy and not grammar and not sampling.presence_penalty and not sampling.frequency_penalty:
            self._greedy = _Greedy(llm, sampling.repeat_penalty or 1.0)
            return
        params = lib.llama_sampler_chain_default_params()
        params.no_perf = True
        self.ptr = lib.llama_sampler_chain_init(params)
        add = lambda s: lib.llama_sampler_chain_add(self.ptr, s)  # noqa: E731 - the chain owns what is added
        try:
            if grammar:
                from app.core.engine.grammar import grammar_sampler

                add(grammar_sampler(lib.llama_model_get_vocab(llm._model.model), grammar))
                self._candidates = _Candidates(llm)
        except BaseException:
            self.close()
            raise
        repeat = sampling.repeat_penalty or 1.0
        if repeat != 1.0 or sampling.presence_penalty or sampling.frequency_penalty:
            add(lib.llama_sampler_init_penalties(llm.n_vocab(), PENALTY_LAST_N, repeat,
                                                 float(sampling.frequency_penalty), float(sampling.presence_penalty)))
        if greedy:
            add(lib.llama_sampler_init_greedy())
            return
        if sampling.top_k > 0:
            add(lib.llama_sampler_init_top_k(sampling.top_k))
        if 0 < sampling.top_p < 1:
            add(lib.llama_sampler_init_top_p(sampling.top_p, 1))
        if sampling.min_p > 0:
            add(lib.llama_sampler_init_min_p(sampling.min_p, 1))
        add(lib.llama_sampler_init_temp(sampling.temperature))
        add(lib.llama_sampler_init_dist(seed & 0xFFFFFFFF))

    def sample(self, ctx) -> int:
        """The next token from the last decoded position's logits (accepted into the chain)."""
        if self._greedy is not None:
            return self._greedy.sample(ctx)
        if self._candidates is not None:
            return self._candidates.sample(self.ptr, ctx)
        return self._lib.llama_sampler_sample(self.ptr, ctx, -1)

    def close(self) -> None:
        if self.ptr:
            self._lib.llama_sampler_free(self.ptr)
            self.ptr = None


class GrammarDeadEnd(EngineError):
    """The grammar allows no token at this point of the reply."""


class _Candidates:
    """``llama_sampler_sample``'s work, with a check between choosing a token and accepting it."""

    def __init__(self, llm) -> None:
        import llama_cpp as lib
        import numpy as np

        self._lib = lib
        self._np = np
        self._n = llm.n_vocab()
        self._get = lib.llama_get_logits_ith
        self._ids = np.arange(self._n, dtype=np.intc)
        self._data = np.zeros(self._n, dtype=np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)],
                                                      align=True))
        self._array = lib.llama_token_data_array(data=self._data.ctypes.data_as(lib.llama_token_data_p),
                                                 size=self._n, selected=-1, sorted=False)

    def sample(self, chain, ctx) -> int:
        np, lib, arr = self._np, self._lib, self._array
        self._data["id"] = self._ids
        self._data["logit"] = np.ctypeslib.as_array(self._get(ctx, -1), shape=(self._n,))
        self._data["p"] = 0.0
        arr.data = self._data.ctypes.data_as(lib.llama_token_data_p)
        arr.size, arr.selected, arr.sorted = self._n, -1, False
        lib.llama_sampler_apply(chain, ctypes.byref(arr))
        chosen = arr.data[arr.selected] if 0 <= arr.selected < arr.size else None
        if chosen is None or not math.isfinite(chosen.logit):
            raise GrammarDeadEnd("The grammar allows nothing the model can write at this point of the reply.")
        lib.llama_sampler_accept(chain, chosen.id)
        return int(chosen.id)


class StopScanner:
    """Finds stop strings in streamed text, holding back only a tail that could still become one."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = [s for s in stops if s]
        self._held = ""

    def feed(self, text: str) -> tuple[str, bool]:
        """(text safe to show, whether a stop string was reached)."""
        if not self.stops:
            return text, False
        pending = self._held + text
        cut = min((i for i in (pending.find(s) for s in self.stops) if i >= 0), default=-1)
        if cut >= 0:
            self._held = ""
            return pending[:cut], True
        keep = 0
        for s in self.stops:
            for n in range(min(len(s) - 1, len(pending)), keep, -1):
                if pending.endswith(s[:n]):
                    keep = n
                    break
        self._held = pending[len(pending) - keep:] if keep else ""
        return pending[:len(pending) - keep], False

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held


@dataclass
class LoopResult:
    completion_tokens: int = 0
    stop_reason: str = ""  # end | length | stopped


class _Pieces:
    """Token -> text, without rendering control tokens (their text is checked against the stop strings)."""

    def __init__(self, llm) -> None:
        import llama_cpp as lib

        self._lib = lib
        self.vocab = lib.llama_model_get_vocab(llm._model.model)
        self._buf = ctypes.create_string_buffer(256)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._control = lib.LLAMA_TOKEN_ATTR_CONTROL

    def is_end(self, token: int) -> bool:
        return bool(self._lib.llama_vocab_is_eog(self.vocab, token))

    def raw(self, token: int, special: bool) -> bytes:
        n = self._lib.llama_token_to_piece(self.vocab, token, self._buf, len(self._buf), 0, special)
        if n < 0:  # longer than the buffer: grow it once
            self._buf = ctypes.create_string_buffer(-n)
            n = self._lib.llama_token_to_piece(self.vocab, token, self._buf, len(self._buf), 0, special)
        return self._buf.raw[:n]

    def control_text(self, token: int) -> str | None:
        """The text of a control token (``<|im_end|>``), None for ordinary tokens."""
        if self._lib.llama_vocab_get_attr(self.vocab, token) & self._control:
            return self.raw(token, True).decode("utf-8", "replace")
        return None

    def text(self, token: int) -> str:
        return self._decoder.decode(self.raw(token, False))

    def flush(self) -> str:
        return self._decoder.decode(b"", final=True)


class _Decoder:
    """One generated token at a time into the KV cache, as ``Llama.eval`` would but without its per-token Python
    work (a cache trim, a batch built in Python, a copy of all logits into ``Llama.scores``, which nothing here
    reads: the sampler chain reads the logits in place)."""

    def __init__(self, llm) -> None:
        import llama_cpp as lib

        self._lib = lib
        self._llm = llm
        self._ctx = llm._ctx.ctx
        self._token = (ctypes.c_int32 * 1)()

    def one(self, token: int) -> None:
        llm = self._llm
        self._token[0] = token
        rc = self._lib.llama_decode(self._ctx, self._lib.llama_batch_get_one(self._token, 1))
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        llm.input_ids[llm.n_tokens] = token  # what Llama.eval keeps: the next prompt reuses this prefix
        llm.n_tokens += 1


def generate(llm, last_prompt_token: int, max_tokens: int, sampling: Sampling, seed: int,
             stops: list[str], cancel: threading.Event, result: LoopResult,
             chain: SamplerChain | None = None) -> Iterator[str]:
    """Yield the reply's text after the prompt, whose tokens except the last are already in the KV cache.

    Checks ``cancel`` before every token; ends at an end-of-generation token, a stop string (also a control
    token whose text is one), or ``max_tokens``. ``chain``: the sampler chain to use (built before the prompt is
    evaluated, so a grammar llama.cpp refuses fails early); it is closed at the end."""
    chain = chain or SamplerChain(llm, sampling, seed)
    pieces = _Pieces(llm)
    scanner = StopScanner(stops)
    ctx = llm._ctx.ctx
    decoder = _Decoder(llm)
    try:
        hit_stop = False
        llm.eval([last_prompt_token])  # also trims anything after the prompt from the KV cache
        while True:
            if cancel.is_set():
                result.stop_reason = "stopped"
                break
            token = chain.sample(ctx)
            if pieces.is_end(token):
                result.stop_reason = "end"
                break
            result.completion_tokens += 1
            control = pieces.control_text(token)
            if control is not None:
                if control and any(control in stop for stop in scanner.stops):  # "<end_of_turn>" of "...\n"
                    result.stop_reason, hit_stop = "end", True
                    break
                text = ""
            else:
                text = pieces.text(token)
            if text:
                shown, stopped = scanner.feed(text)
                if shown:
                    yield shown
                if stopped:
                    result.stop_reason, hit_stop = "end", True
                    break
            if result.completion_tokens >= max_tokens:
                result.stop_reason = "length"
                break
            decoder.one(token)
        if not hit_stop:  # an incomplete UTF-8 sequence, a held-back tail that never became a stop string
            shown, stopped = scanner.feed(pieces.flush())
            tail = shown + ("" if stopped else scanner.flush())
            if tail:
                yield tail
    finally:
        chain.close()
