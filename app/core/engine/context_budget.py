"""Fit a conversation into the model's context window.

Policies (per conversation):
- ``truncate_middle``: keep the system prompt and the first exchange, drop the oldest turns after it;
- ``rolling_window``: keep the system prompt, drop the oldest turns;
- ``stop_and_ask``: change nothing; raise ``ContextOverflow`` so the user can decide.

Nothing is dropped silently: ``fit_messages`` returns the ids of the messages left out, and the chat marks
them. A single message that cannot fit even alone raises ``PromptTooLong``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from app.core.engine.generation import EngineError, PromptTooLong
from app.core.i18n import QT_TRANSLATE_NOOP, translate

POLICIES = {
    "truncate_middle": QT_TRANSLATE_NOOP("ContextPolicy", "Truncate middle (keep the start)"),
    "rolling_window": QT_TRANSLATE_NOOP("ContextPolicy", "Rolling window (keep the latest)"),
    "stop_and_ask": QT_TRANSLATE_NOOP("ContextPolicy", "Stop and ask"),
}  # key -> name shown (translated where shown: translate("ContextPolicy", name))
DEFAULT_POLICY = "truncate_middle"


class ContextOverflow(EngineError):
    """The conversation does not fit and the policy is to ask the user."""

    def __init__(self, needed: int, available: int) -> None:
        super().__init__(translate(
            "ContextBudget", "The conversation needs {needed:,} tokens but only {available:,} fit in the context "
            "(after leaving room for the reply). Choose how to continue.").format(needed=needed, available=available))
        self.needed = needed
        self.available = available


@dataclass
class Fitted:
    messages: list[dict]  # what the model sees, without the "id" keys
    excluded_ids: list[int] = field(default_factory=list)
    prompt_tokens: int = 0


TOOL_KEYS = ("tool_calls", "tool_call_id", "name", "images")  # kept for a template that renders tool calls
# itself, and a message's images (data: URIs) for the vision projector


def _strip(msgs: list[dict]) -> list[dict]:
    return [{"role": m["role"], "content": m["content"], **{k: m[k] for k in TOOL_KEYS if k in m}} for m in msgs]


def fit_messages(messages: list[dict], count: Callable[[list[dict]], int], n_ctx: int, reserve: int,
                 policy: str = DEFAULT_POLICY) -> Fitted:
    """``messages``: dicts with role, content and optionally id; the last one is the new user message.

    ``count(msgs)`` returns the prompt length in tokens of ``msgs`` formatted with the chat template.
    ``reserve``: tokens kept free for the reply.
    """
    if policy not in POLICIES:
        raise EngineError(translate("ContextBudget", "Unknown context policy {policy!r}").format(policy=policy))
    budget = max(1, n_ctx - reserve)
    total = count(_strip(messages))
    if total <= budget:
        return Fitted(_strip(messages), [], total)

    system = [m for m in messages[:1] if m["role"] == "system"]
    rest = messages[len(system):]
    last = rest[-1:]  # the new message is always kept
    alone = count(_strip(system + last))
    if alone > budget:
        if count(_strip(last)) >= n_ctx:
            raise PromptTooLong(count(_strip(last)), n_ctx)
        if alone >= n_ctx:
            raise PromptTooLong(alone, n_ctx)
        # fits only without room for a full reply: still send it, the reply will be short
        budget = n_ctx - 1
    if policy == "stop_and_ask":
        raise ContextOverflow(total, budget)

    head: list[dict] = []
    middle = rest[:-1]
    if policy == "truncate_middle":
        # keep the first exchange (first user message and the reply to it) when it fits with the new message
        first = middle[:2] if len(middle) >= 2 and middle[1]["role"] == "assistant" else middle[:1]
        if first and count(_strip(system + first + last)) <= budget:
            head = first
            middle = middle[len(first):]

    # drop the oldest turns of `middle` until it fits: binary search on how many to keep (count is monotone)
    lo, hi = 0, len(middle)  # keep the last k of middle
    while lo < hi:
        k = (lo + hi + 1) // 2
        if count(_strip(system + head + middle[len(middle) - k:] + last)) <= budget:
            lo = k
        else:
            hi = k - 1
    kept_middle = middle[len(middle) - lo:] if lo else []
    # never start the kept tail with an assistant reply whose question was dropped
    while kept_middle and kept_middle[0]["role"] == "assistant":
        kept_middle = kept_middle[1:]
    dropped = middle[:len(middle) - len(kept_middle)]
    final = system + head + kept_middle + last
    return Fitted(_strip(final), [m["id"] for m in dropped if "id" in m], count(_strip(final)))
