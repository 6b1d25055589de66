"""The vocabulary of the engine: load options, sampling, requests, replies and the errors users see."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from app.core.i18n import translate

# KV cache types llama.cpp takes, mapped to ggml type ids (ggml.h: GGML_TYPE_*); the user is offered KV_CHOICES
KV_TYPES = {"f16": 1, "q8_0": 8, "q4_0": 2, "f32": 0}
KV_CHOICES = ("f16", "q8_0", "q4_0")

# Formats the user can pick when a model's own template is missing or broken (llama-cpp-python names)
KNOWN_FORMATS = ["chatml", "llama-3", "mistral-instruct", "gemma", "zephyr", "llama-2", "alpaca"]
MODEL_TEMPLATE = "model"  # use the model's embedded template


class EngineError(Exception):
    """A clear, user-facing error (bad file, load failure, prompt too long ...)."""


class PromptTooLong(EngineError):
    def __init__(self, n_tokens: int, n_ctx: int) -> None:
        super().__init__(translate(
            "EngineGeneration", "The message is {n_tokens} tokens long but the model's context holds only {n_ctx}. "
            "Shorten the message or load the model with a larger context.").format(n_tokens=n_tokens, n_ctx=n_ctx))
        self.n_tokens = n_tokens
        self.n_ctx = n_ctx


@dataclass
class LoadOptions:
    n_ctx: int = 4096
    n_threads: int = 0  # 0: physical cores
    n_gpu_layers: int = 0
    flash_attn: bool = False
    kv_type: str = "f16"
    n_batch: int = 512
    chat_format: str = MODEL_TEMPLATE
    safe_cpu: bool = False  # the probe's safe CPU configuration (no weight repacking, no AMX) whatever it chose
    mmproj: str = ""  # a vision projector loaded with the model ("" none): user messages may then carry images

    @classmethod
    def from_settings(cls, settings, chat_format: str = MODEL_TEMPLATE) -> "LoadOptions":
        """The user's load options (:class:`app.settings.Settings` keeps them flat, with the other settings)."""
        return cls(n_ctx=settings.n_ctx, n_threads=settings.n_threads, n_gpu_layers=settings.n_gpu_layers,
                   flash_attn=settings.flash_attn, kv_type=settings.kv_type, chat_format=chat_format)


class Cancel(threading.Event):
    """A stop flag that also tells its listeners the moment it is set (the engine process's client then sends
    the child its cancel at once, instead of polling the flag while tokens stream in)."""

    def __init__(self) -> None:
        super().__init__()
        self._listeners: list = []
        self._lock = threading.Lock()

    def listen(self, fn) -> None:
        """Call ``fn()`` when the flag is set (at once if it already is). ``fn`` must not raise."""
        with self._lock:
            self._listeners.append(fn)
            already = self.is_set()
        if already:
            fn()

    def set(self) -> None:
        super().set()
        with self._lock:
            listeners = list(self._listeners)
        for fn in listeners:
            fn()


def options_problem(options: "LoadOptions") -> str:
    """'' when llama.cpp can load with these options, else why not, in words (checked before anything is
    unloaded: a combination that cannot work never costs the user the model they have loaded)."""
    if options.kv_type not in KV_TYPES:
        return translate("EngineGeneration", "Unknown KV cache type {kv_type!r}; choose one of {choices}.").format(
            kv_type=options.kv_type, choices=", ".join(KV_CHOICES))
    if options.kv_type in ("q8_0", "q4_0") and not options.flash_attn:
        return translate("EngineGeneration", "A {kv_type} KV cache needs flash attention (llama.cpp quantizes the V "
                         "cache only with it): turn Flash attention on, or use an f16 KV cache.").format(
            kv_type=options.kv_type)
    if options.n_ctx < 16:
        return translate("EngineGeneration", "The context length must be at least 16 tokens (got {n_ctx}).").format(
            n_ctx=options.n_ctx)
    return ""


@dataclass
class Sampling:
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    seed: int = -1  # -1: random
    max_tokens: int = 1024
    # OpenAI's penalties, as llama.cpp (and llama-server) apply them: subtracted from the logit of a token among the
    # reply's last 64 tokens, presence once, frequency once per occurrence
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    grammar: str = ""  # GBNF (llama.cpp's grammar format, rule ``root``): the reply must match it
    json_schema: dict | None = None  # (without a grammar) the reply is JSON matching this schema; {}: any JSON object


@dataclass
class GenerationRequest:
    """One reply to generate: the conversation so far (dicts with role, content and the store's message id; a user
    message may have ``images``, PNG or JPEG data: URIs, for a model loaded with a vision projector),
    how to sample, what to do when it does not fit, and which conversation's KV cache it continues.

    ``prompt`` (not None): a raw completion of that text instead (OpenAI's /v1/completions): no chat template, no
    context fitting (too long: ``PromptTooLong``), only ``stop`` as stop strings; ``messages`` is then ignored.
    ``stop``: more stop strings (for a chat, besides the template's own). ``tools`` and ``tool_choice`` in
    OpenAI's shapes (``[{"type": "function", "function": {"name", "description", "parameters"}}]``; ``"auto"``,
    ``"none"``, ``"required"`` or ``{"type": "function", "function": {"name": ...}}``): the calls the model
    makes come back in ``ReplyStats.tool_calls`` (see ``tool_calls.py``); one call per reply unless
    ``parallel_tool_calls`` (small models asked for one call tend to go on calling)."""

    messages: list[dict]
    sampling: Sampling = field(default_factory=Sampling)
    policy: str = "truncate_middle"
    cache_key: object = None
    prompt: str | None = None
    stop: list[str] = field(default_factory=list)
    tools: list[dict] | None = None
    tool_choice: str | dict | None = None
    parallel_tool_calls: bool = False  # more than one call in a reply (off by default, as in llama-server)
    # LoRA adapters active for this reply: [path, scale] pairs, applied in the engine without reloading the model
    adapters: list = field(default_factory=list)

    def reserve(self, n_ctx: int) -> int:
        """Tokens kept free for the reply when fitting the prompt."""
        want = self.sampling.max_tokens if self.sampling.max_tokens > 0 else n_ctx // 4
        return max(16, min(want, n_ctx // 4))


@dataclass
class ModelInfo:
    path: str
    name: str
    architecture: str
    n_ctx: int
    n_ctx_train: int
    n_params: int
    size_bytes: int
    template_name: str  # "model" (embedded Jinja) or a known format name
    template_source: str  # human-readable: where the template came from
    load_seconds: float
    n_embd: int = 0  # the embedding size (``<arch>.embedding_length``): the length of ``embed``'s vectors
    remote: str = ""  # a model on a remote backend: its host ("192.168.1.20:8080"); "" for a local model
    estimated: str = ""  # what is estimated, not said by the server ("token counts", "context and token counts")
    vision: bool = False  # a vision projector is loaded: user messages may carry images
    projector: str = ""  # its path


@dataclass
class ReplyStats:
    prompt_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens reused from the KV cache
    completion_tokens: int = 0
    ttft_s: float = 0.0
    gen_seconds: float = 0.0
    stop_reason: str = ""  # end | length | stopped | context_full | error
    error: str = ""
    # the functions the model called (when the request had tools): {"id": "call_<hex>", "name": str,
    # "arguments": a JSON text, as OpenAI sends it}; the reply then has no text
    tool_calls: list[dict] = field(default_factory=list)

    @property
    def tokens_per_s(self) -> float:
        """Tokens after the first over the time from the first token to the last (``gen_seconds``): the first
        token's decode belongs to the time to first token, as llama.cpp's own timings count it. 0 for a reply of
        one token, which has no generation time of its own."""
        if self.completion_tokens < 2 or self.gen_seconds <= 0:
            return 0.0
        return (self.completion_tokens - 1) / self.gen_seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "cached_tokens": self.cached_tokens,
            "completion_tokens": self.completion_tokens,
            "ttft_s": round(self.ttft_s, 4),
            "tokens_per_s": round(self.tokens_per_s, 2),
            "stop_reason": self.stop_reason,
            "error": self.error,
        }


def physical_cores() -> int:
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
        if n:
            return n
    except Exception:
        pass
    return max(1, (os.cpu_count() or 2) // 2)
