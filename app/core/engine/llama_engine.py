"""The inference engine: a thin, Qt-free wrapper around one llama-cpp-python ``Llama``.

Exactly one thread may use an ``Engine`` (the engine worker in the UI, or the command line).
``stream()`` is a generator of text deltas; cancellation is a ``threading.Event`` checked per token and,
through llama.cpp's abort callback, inside prompt evaluation: Stop takes effect within one token.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from app.core.engine import embeddings, token_loop, tool_calls, vision
from app.core.engine.chat_templates import deferred_model_templates, make_formatter
from app.core.engine.context_budget import fit_messages
from app.core.engine.generation import (KV_TYPES, EngineError, GenerationRequest, LoadOptions, ModelInfo,
                                       PromptTooLong, ReplyStats, Sampling, options_problem, physical_cores)
from app.core.engine.grammar import grammar_for
from app.core.engine.kv_cache import KVCache
from app.core.i18n import said, translate

log = logging.getLogger("hearth.engine")

EMBEDDINGS_OWNER = ("hearth", "embeddings")  # the KV cache's owner while texts are embedded


@dataclass
class _Prepared:
    tokens: list[int]
    stop: list[str] = field(default_factory=list)
    segments: list | None = None  # a prompt with images: its text and image pieces (vision.py)
    holder: object = None  # what holds the image pieces in llama.cpp: closed when the reply is done


@contextlib.contextmanager
def extra_buffer_types(enabled: bool):
    """Load models with llama.cpp's extra buffer types (CPU weight repacking, AMX) on or off.

    ``Llama`` has no argument for ``llama_model_params.use_extra_bufts``; it takes its parameters from
    ``llama_model_default_params()``, so that function is wrapped while the model loads. Only the engine's
    own thread loads models, so the swap is not seen by anyone else."""
    import llama_cpp.llama_cpp as lib

    if enabled:
        yield
        return
    original = lib.llama_model_default_params

    def defaults():
        params = original()
        params.use_extra_bufts = False
        return params

    lib.llama_model_default_params = defaults
    try:
        yield
    finally:
        lib.llama_model_default_params = original


class Engine(KVCache):
    def __init__(self, state_cache_bytes: int = 512 * 2**20) -> None:
        self.llm = None
        self.info: ModelInfo | None = None
        self.options: LoadOptions | None = None
        self._formatter = None
        self._template_tools: bool | None = None  # whether the formatter renders tools (found when first needed)
        # KV cache of other conversations, so switching back does not re-evaluate their whole prompt
        self._owner: object = None  # cache key of the conversation whose tokens the KV cache holds
        self._states: OrderedDict[object, tuple[bytes, list[int]]] = OrderedDict()
        self.state_cache_bytes = state_cache_bytes
        self._adapters = None  # lora.Adapters of the loaded model
        self._header = None  # the model's GGUF header (adapters are checked against it)
        self._projector = None  # mtmd.Projector when a vision projector is loaded
        self._vision = None  # vision.VisionPrompts

    # ---- loading ------------------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.llm is not None

    def load(self, path: str | os.PathLike, options: LoadOptions | None = None) -> ModelInfo:
        from app.core.engine import load_check
        from app.core.engine import llama_log

        options = options or LoadOptions()
        path = Path(path)
        header = load_check.validate_for_load(path)  # raises EngineError with a clear message
        self.unload()
        llama_log.install()
        import llama_cpp

        problem = options_problem(options)
        if problem:
            raise EngineError(problem)
        kv = KV_TYPES[options.kv_type]
        from app.core.engine import probe as engine_probe

        probe = engine_probe.ensure()  # cached after the first run on this machine and build
        t0 = time.perf_counter()
        repack = probe.use_extra_bufts and not options.safe_cpu
        with llama_log.Capture() as cap, deferred_model_templates(), extra_buffer_types(repack):
            try:
                llm = llama_cpp.Llama(
                    model_path=str(path),
                    n_ctx=options.n_ctx,
                    n_batch=options.n_batch,
                    n_threads=options.n_threads or physical_cores(),
                    n_threads_batch=options.n_threads or physical_cores(),
                    n_gpu_layers=options.n_gpu_layers,
                    flash_attn=options.flash_attn,
                    type_k=kv,
                    type_v=kv,
                    verbose=False,
                )
            except Exception as exc:  # llama-cpp-python raises ValueError with no reason; the log has it
                reasons = cap.errors()
                detail = "; ".join(reasons[-3:]) if reasons else exc
                raise EngineError(translate("EngineLlama", "llama.cpp could not load {file}: {detail}").format(
                    file=path.name, detail=detail)) from exc
        self.llm = llm
        self.options = options
        self._warm_up(llm)
        try:
            self._formatter, template_name, template_source = self._make_formatter(options.chat_format)
        except Exception as exc:
            self.unload()
            raise EngineError(translate("EngineLlama", "The chat template could not be prepared: {error}").format(
                error=exc)) from exc
        self._attach_parts(llm, header, options)
        md = llm.metadata or {}
        arch = md.get("general.architecture", "unknown")
        self.info = ModelInfo(
            path=str(path),
            name=md.get("general.name") or path.stem,
            architecture=arch,
            n_ctx=llm.n_ctx(),
            n_ctx_train=int(md.get(f"{arch}.context_length", 0) or 0),
            n_params=int(llama_cpp.llama_model_n_params(llm.model)) if hasattr(llm, "model") else 0,
            size_bytes=path.stat().st_size,
            template_name=template_name,
            template_source=template_source,
            load_seconds=time.perf_counter() - t0,
            n_embd=int(md.get(f"{arch}.embedding_length", 0) or 0) or int(llama_cpp.llama_model_n_embd(llm.model)),
            vision=self._projector is not None,
            projector=options.mmproj if self._projector is not None else "",
        )
        log.info("loaded %s (ctx %d, template %s) in %.2fs", path.name, self.info.n_ctx, template_name,
                 self.info.load_seconds)
        return self.info

    @staticmethod
    def _warm_up(llm) -> None:
        """One throwaway decode right after loading, as llama.cpp's own tools do: the first reply then does not
        pay for the weights' first touch and the thread pool's start (a cold first reply ran ~13% slower)."""
        try:
            token = llm.token_bos() if llm.token_bos() >= 0 else 0
            llm.eval([token])
        except Exception as exc:  # a warm-up must never fail a load
            log.info("warm-up decode failed: %s", exc)
        finally:
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            llm.n_tokens = 0

    def _attach_parts(self, llm, header, options: LoadOptions) -> None:
        """The adapters' owner (adapters are checked against ``header``, the model's GGUF header read once by the
        load check) and, with ``options.mmproj``, the vision projector (a projector that does not fit fails the
        load with its reason: the user asked for it)."""
        from app.core.engine.lora import Adapters

        self._adapters = Adapters(llm)
        self._header = header
        if options.mmproj:
            from app.core.engine.mtmd import Projector, ProjectorError

            try:
                self._projector = Projector(llm, options.mmproj, n_threads=options.n_threads or physical_cores(),
                                            use_gpu=options.n_gpu_layers != 0)  # beside the layers, like llama-server
            except ProjectorError as exc:
                self.unload()
                raise EngineError(translate("EngineLlama", "The vision projector cannot be used: {error}.").format(
                    error=exc)) from exc
        self._vision = vision.VisionPrompts(llm, self._projector)

    def unload(self) -> None:
        if self._projector is not None:  # before the model: the projector keeps a pointer to it
            try:
                self._projector.close()
            except Exception:
                log.exception("closing the projector failed")
            self._projector = None
        self._vision = None
        if self.llm is not None:
            try:
                self.llm.close()
            except Exception:
                log.exception("closing the model failed")
            self.llm = None
            self.info = None
            self._formatter = None
        self._adapters = None  # llama.cpp freed them with the model (lora.py hooks the model's close)
        self._header = None
        self._template_tools = None
        self._owner = None
        self._states.clear()

    def set_chat_format(self, name: str) -> ModelInfo:
        if self.llm is None or self.info is None:
            raise EngineError(translate("EngineLlama", "No model is loaded."))
        self._formatter, self.info.template_name, self.info.template_source = self._make_formatter(name)
        self._template_tools = None
        return self.info

    def _make_formatter(self, name: str):
        return make_formatter(self.llm, name)

    def _require(self):
        if self.llm is None:
            raise EngineError(translate("EngineLlama", "No model is loaded. Pick a model and press Load."))
        return self.llm

    def prepare(self, messages: list[dict[str, str]], tools: list[dict] | None = None,
                count_only: bool = False) -> _Prepared:
        """The prompt's tokens and stop strings: ``messages`` (and ``tools``, for a template that renders them)
        through the chat template. Messages with ``images`` (data: URIs) need the vision projector; with
        ``count_only`` their images are counted, not tokenized (the tokens are then placeholders)."""
        llm = self._require()
        imgs = self._vision.images(messages) if self._vision is not None and vision.has_images(messages) else []
        if vision.has_images(messages) and not imgs:
            raise EngineError(translate("EngineVision", vision.NO_VISION))
        if imgs:
            messages = vision.with_markers(messages, self._projector.marker)
        try:
            result = self._formatter(messages=messages, tools=tools) if tools else self._formatter(messages=messages)
        except Exception as exc:
            raise EngineError(translate("EngineLlama", "The chat template failed on this conversation: {error}")
                              .format(error=exc)) from exc
        stop = result.stop if isinstance(result.stop, list) else ([result.stop] if result.stop else [])
        if imgs:
            if count_only:
                return _Prepared([0] * self._vision.count(result.prompt, imgs, not result.added_special), stop)
            vp = self._vision.prepare(result.prompt, imgs, not result.added_special)
            return _Prepared(vp.tokens, stop, vp.segments, vp.holder)
        tokens = llm.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
        if not tokens or not result.prompt.strip():
            raise EngineError(translate("EngineLlama", "The chat template produced an empty prompt; pick another chat "
                                        "format in the conversation settings."))
        return _Prepared(tokens=tokens, stop=stop)

    def prepare_text(self, text: str) -> _Prepared:
        """A raw completion's prompt: ``text`` as it is (BOS as the model wants it, special tokens not parsed)."""
        llm = self._require()
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
        if not tokens:  # an empty prompt: continue from the start of a text
            if llm.token_bos() < 0:
                raise EngineError(translate("EngineLlama", "The prompt is empty."))
            tokens = [llm.token_bos()]
        return _Prepared(tokens=tokens)

    def count_tokens(self, messages: list[dict[str, str]]) -> int:
        return len(self.prepare(messages, count_only=True).tokens)

    def count_text_tokens(self, text: str) -> int:
        llm = self._require()
        return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    @property
    def n_ctx(self) -> int:
        return self.llm.n_ctx() if self.llm is not None else 0

    # ---- generation -----------------------------------------------------------------------------------------
    def stream(self, messages: list[dict[str, str]], sampling: Sampling | None = None,
               cancel: threading.Event | None = None, stats: ReplyStats | None = None,
               prefill_chunk: int = 512, cache_key: object = None) -> Iterator[str]:
        """Yield text deltas of the reply to ``messages``. Fills ``stats`` as it goes.

        The prompt is evaluated in chunks of ``prefill_chunk`` tokens with a cancellation check between them;
        the prefix shared with the previous call stays in the KV cache and is not evaluated again.
        """
        t0 = time.perf_counter()
        sampling = sampling or Sampling()
        prep = self.prepare(messages)
        yield from self._run(prep, sampling, cancel, stats, cache_key, grammar_for(sampling), prefill_chunk, t0)

    def _run(self, prep: _Prepared, sampling: Sampling, cancel: threading.Event | None, stats: ReplyStats | None,
             cache_key: object, grammar: str = "", prefill_chunk: int = 512, t0: float = 0.0) -> Iterator[str]:
        """Generate after the prepared prompt (see :meth:`stream`); ``grammar`` (GBNF) constrains the reply."""
        llm = self._require()
        cancel = cancel or threading.Event()
        stats = stats if stats is not None else ReplyStats()
        t0 = t0 or time.perf_counter()
        n_ctx = llm.n_ctx()
        stats.prompt_tokens = len(prep.tokens)
        if len(prep.tokens) >= n_ctx:
            stats.stop_reason = "context_full"
            _close(prep.holder)
            raise PromptTooLong(len(prep.tokens), n_ctx)
        room = n_ctx - len(prep.tokens)
        max_tokens = min(sampling.max_tokens, room) if sampling.max_tokens > 0 else room
        limited_by_context = max_tokens == room

        seed = sampling.seed if sampling.seed is not None and sampling.seed >= 0 else \
            int.from_bytes(os.urandom(4), "little") & 0x7FFFFFFF
        # before the KV cache is touched: a grammar llama.cpp refuses fails here, leaving the cache as it was
        try:
            chain = token_loop.SamplerChain(llm, sampling, seed, grammar)
        except BaseException:
            _close(prep.holder)
            raise
        try:
            self._switch_owner(self._state_key(cache_key), prep.tokens)
            stats.cached_tokens = self._prefill(prep.tokens, cancel, prefill_chunk, prep.segments)
        except BaseException:
            chain.close()
            raise
        finally:
            _close(prep.holder)  # the images are in the KV cache now (or the reply failed)
        if cancel.is_set():
            chain.close()
            stats.stop_reason = "stopped"
            return
        result = token_loop.LoopResult()
        first = True
        t_first = t0
        try:
            for text in token_loop.generate(llm, prep.tokens[-1], max_tokens, sampling, seed,
                                            prep.stop, cancel, result, chain=chain):
                if first:
                    t_first = time.perf_counter()
                    stats.ttft_s = t_first - t0
                    first = False
                stats.completion_tokens = result.completion_tokens  # live: the context meter follows it
                yield text
        except Exception as exc:
            stats.stop_reason = "error"
            stats.error = str(exc)
            raise EngineError(translate("EngineLlama", "Generation failed: {error}").format(error=exc)) from exc
        finally:
            now = time.perf_counter()
            if first:
                stats.ttft_s = now - t0
            stats.gen_seconds = max(now - t_first, 1e-9)
            stats.completion_tokens = result.completion_tokens
        if result.stop_reason == "length" and limited_by_context:
            stats.stop_reason = "context_full"
        else:
            stats.stop_reason = stats.stop_reason or result.stop_reason or "end"

    def generate(self, req: GenerationRequest, cancel: threading.Event | None = None,
                 stats: ReplyStats | None = None,
                 on_context: Callable[[int, int, list], None] | None = None) -> Iterator[str]:
        """The reply to ``req``: the conversation fitted into the context (``on_context(prompt tokens, n_ctx,
        excluded message ids)`` says how), then :meth:`stream`. Raises ``ContextOverflow`` when the policy is
        to ask, ``PromptTooLong`` when nothing fits.

        A raw completion (``req.prompt``) is not fitted: too long is ``PromptTooLong``. With ``req.tools`` the
        calls the model makes are in ``stats.tool_calls`` and the reply then has no text (see ``tool_calls.py``;
        the tools' own grammar then replaces ``sampling.grammar`` and ``json_schema``)."""
        t0 = time.perf_counter()
        self._require()
        self.set_adapters(req.adapters)
        stats = stats if stats is not None else ReplyStats()
        n_ctx = self.n_ctx
        extra_stops = [s for s in (req.stop or []) if isinstance(s, str) and s]
        if req.prompt is not None:
            prep = self.prepare_text(req.prompt)
            prep.stop = extra_stops
            if on_context is not None:
                on_context(len(prep.tokens), n_ctx, [])
            yield from self._run(prep, req.sampling, cancel, stats, req.cache_key, grammar_for(req.sampling),
                                 t0=t0)
            return
        tool_talk = bool(req.tools) or any(m.get("tool_calls") or m.get("role") in ("tool", "function")
                                           for m in req.messages)
        plan = tool_calls.plan(req.messages, req.tools, req.tool_choice, tool_talk and self._template_knows_tools(),
                               req.parallel_tool_calls)
        tools = plan.template_tools

        def count(msgs: list[dict]) -> int:
            return len(self.prepare(msgs, tools, count_only=True).tokens)

        fitted = fit_messages(plan.messages, count, n_ctx, req.reserve(n_ctx), req.policy)
        if on_context is not None:
            on_context(fitted.prompt_tokens, n_ctx, fitted.excluded_ids)
        prep = self.prepare(fitted.messages, tools)
        prep.stop = prep.stop + [s for s in extra_stops if s not in prep.stop]
        if plan.mode == tool_calls.OFF:
            yield from self._run(prep, req.sampling, cancel, stats, req.cache_key, grammar_for(req.sampling),
                                 t0=t0)
        elif plan.mode == tool_calls.GRAMMAR:
            calls: list[dict] = []
            yield from self._grammar_reply(prep, req, cancel, stats, plan.grammar, t0, calls)
            if plan.repeats(calls) and stats.stop_reason == "end":
                log.info("the model repeated a call it has the result of; answering instead")
                spent, stats.stop_reason = stats.completion_tokens, ""
                yield from self._grammar_reply(prep, req, cancel, stats, tool_calls.answer_grammar(), t0, calls)
                stats.completion_tokens += spent
            stats.tool_calls = calls
        else:  # the template's own format: read whole, then either calls or the text
            text = "".join(self._run(prep, req.sampling, cancel, stats, req.cache_key, "", t0=t0))
            stats.tool_calls = tool_calls.parse_template_reply(text, plan.names)
            if text and not stats.tool_calls:
                yield text

    def _grammar_reply(self, prep: _Prepared, req: GenerationRequest, cancel, stats: ReplyStats, grammar: str,
                       t0: float, calls: list[dict]) -> Iterator[str]:
        """A reply under the tools' grammar: an answer's text as it is decoded; the calls into ``calls``."""
        reply = tool_calls.GrammarReply()
        for text in self._run(prep, req.sampling, cancel, stats, req.cache_key, grammar, t0=t0):
            shown = reply.feed(text)
            if shown:
                yield shown
        tail, calls[:] = reply.finish()
        if tail and stats.stop_reason != "stopped":  # a stopped reply's unfinished JSON is nobody's text
            yield tail

    def _template_knows_tools(self) -> bool:
        if self._template_tools is None:
            self._template_tools = tool_calls.template_knows_tools(self._formatter)
        return self._template_tools

    # ---- embeddings -----------------------------------------------------------------------------------------
    def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector of ``info.n_embd`` floats per text: the mean of the last layer's token vectors, L2-normalised
        (see ``embeddings.py``). The conversation in the KV cache is parked first, like a switch to another
        conversation, and the cache is empty after: its next turn restores its state. ``PromptTooLong`` for a
        text longer than the context."""
        llm = self._require()
        tokens = embeddings.tokenize(llm, texts)
        if not tokens:
            return []
        self._switch_owner(EMBEDDINGS_OWNER, [])
        try:
            return embeddings.embed_tokens(llm, tokens)
        finally:
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            llm.n_tokens = 0
            self._owner = None

    # ---- adapters -------------------------------------------------------------------------------------------
    def set_adapters(self, adapters) -> None:
        """Make exactly ``adapters`` ([path, scale] pairs) active. Each is checked against the model before
        llama.cpp sees it (a clear ``EngineError`` when it does not fit); when the set changes, the conversation
        in the KV cache is parked under its old adapters and the cache emptied, so nothing made with other
        weights is reused (saved states are keyed by the adapters too)."""
        from app.core.gguf.adapters import fitting_adapter

        llm = self._require()
        wanted = []
        for item in adapters or []:
            try:
                path, scale = item
                wanted.append((str(Path(path).resolve()), float(scale)))
            except (TypeError, ValueError):
                raise EngineError(translate("EngineLlama", "An adapter is given as [path, scale], not {item}.")
                                  .format(item=repr(item))) from None
        if tuple(wanted) == self._adapters.current:
            return
        for path, _ in wanted:
            try:
                fitting_adapter(path, self._header, Path(self.info.path).name)
            except ValueError as exc:
                raise EngineError(said(exc)) from None  # a Text: the window makes it again in its language
        self._park()
        self._owner = None
        self._adapters.apply(llm, wanted)  # empties the KV cache

    def _state_key(self, cache_key: object) -> object:
        """A conversation's KV state is its own only under the adapters it was computed with."""
        if cache_key is None or self._adapters is None or not self._adapters.current:
            return cache_key
        return (cache_key, self._adapters.current)

    def close(self) -> None:
        self.unload()


def _close(holder) -> None:
    if holder is not None:
        holder.close()
