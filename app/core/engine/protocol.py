"""The engine process's wire protocol: one JSON object per line, both ways, over the child's stdin and stdout.

The child's first line is ``{"op": "hello", "version": VERSION, "pid": ...}``; the parent refuses any other
version (a stale bundle next to a new one). Requests carry an ``id``; every event answering one carries it too,
so the parent drops late events of a request it gave up on. Text is UTF-8 JSON (newlines in replies are
escaped), so a line is always one message.

Parent -> child: ``load`` (path, options), ``format`` (name), ``count`` (messages, text, or texts: then
``counted`` has ``counts``), ``generate``
(messages, sampling, policy, cache_key, prompt, stop, tools, tool_choice, adapters: a ``GenerationRequest``'s
fields; a user message may carry ``images``, data: URIs),
``embed`` (texts), ``cancel`` (id of a generation: read at once by the child's reader thread, so it stops the
running reply within one token), ``exit``.

Child -> parent: ``hello``; ``loaded`` (info); ``counted`` (tokens, n_ctx); ``context`` (prompt_tokens, n_ctx,
excluded); ``delta`` (text); ``done`` (stats, with ``tool_calls``); ``embedded`` (vectors); ``error`` (message,
kind, stats; kind ``too_long`` also n_tokens and n_ctx).

Version 2 added raw prompts, stop strings, tools, penalties and grammars to ``generate``, and ``embed``.
Version 3: LoRA ``adapters`` in ``generate``, images in messages, ``mmproj`` in the load options.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any

VERSION = 3
MAX_LINE = 256 * 2**20  # a conversation of 256 MiB is not a conversation: refuse instead of reading forever


class ProtocolError(Exception):
    """A line that is not a message of this protocol."""


def encode(msg: dict[str, Any]) -> bytes:
    return json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    try:
        msg = json.loads(line)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {line[:80]!r}") from exc
    if not isinstance(msg, dict) or not isinstance(msg.get("op"), str):
        raise ProtocolError(f"not a message: {line[:80]!r}")
    return msg


def to_dict(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj)


def from_dict(cls, data: dict[str, Any] | None):
    """``cls(**data)`` keeping only the fields ``cls`` has (an older or newer peer may send more or fewer)."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in (data or {}).items() if k in names})
