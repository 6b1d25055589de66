"""The plain records the chat store hands out, and the rules for their fields."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from app.core.i18n import translate

ROLES = ("system", "user", "assistant")
STATES = ("done", "streaming", "interrupted", "stopped", "error")
DEFAULT_TITLE = "New chat"


@dataclass(slots=True)
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    settings: dict = field(default_factory=dict)
    current_leaf: int | None = None


@dataclass(slots=True)
class Message:
    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    state: str
    stats: dict
    created_at: float
    updated_at: float
    images: list[str] = field(default_factory=list)  # data:image/png|jpeg;base64 URIs, in order (see images.py)


@dataclass(slots=True)
class SearchHit:
    conversation_id: int
    # the matching message; None only for a title hit in a conversation that has no messages yet
    message_id: int | None
    conversation_title: str
    snippet: str  # the matched words sit between SNIPPET_OPEN and SNIPPET_CLOSE (see search.py)
    role: str  # the message's role, or "title" when the conversation title matched


CONVERSATION_COLUMNS = "id, title, created_at, updated_at, settings, current_leaf"
MESSAGE_COLUMNS = "id, conversation_id, parent_id, role, content, state, stats, created_at, updated_at"
CONVERSATION_REALS = MESSAGE_REALS = ("created_at", "updated_at")  # REAL columns (see bulk.fetch_rows)


def conversation_from_row(row) -> Conversation:
    cid, title, created, updated, settings, leaf = row
    return Conversation(cid, title, created, updated, load_dict(settings), leaf)


def message_from_row(row) -> Message:
    mid, cid, parent, role, content, state, stats, created, updated = row
    return Message(mid, cid, parent, role, content, state, load_dict(stats), created, updated)


def message_from_parsed(row) -> Message:
    """A message from a ``bulk.fetch_rows`` row whose stats column came back parsed."""
    mid, cid, parent, role, content, state, stats, created, updated = row
    return Message(mid, cid, parent, role, content, state, stats if type(stats) is dict else {}, created, updated)


def load_dict(text) -> dict:
    """A stored JSON object; anything unreadable becomes {} rather than breaking a whole listing."""
    if not text or text == "{}":  # most messages: skip the parser
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def dump_dict(value, what: str) -> str:
    """JSON text for a dict of plain values; ValueError for anything that would not round-trip."""
    if not isinstance(value, dict):
        raise ValueError(translate("ChatRecords", "{what} must be a dict, not {type}").format(
            what=what, type=type(value).__name__))
    try:
        return json.dumps(value, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(translate("ChatRecords", "{what} must hold only JSON values: {error}").format(
            what=what, error=exc)) from None


def check_text(value, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(translate("ChatRecords", "{what} must be a string, not {type}").format(
            what=what, type=type(value).__name__))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(translate("ChatRecords", "{what} contains characters that cannot be stored (lone "
                                   "surrogates)").format(what=what)) from None
    return value


def check_role(role) -> str:
    if role not in ROLES:
        raise ValueError(translate("ChatRecords", "role must be one of {roles}, not {value}").format(
            roles=", ".join(ROLES), value=repr(role)))
    return role


def check_state(state) -> str:
    if state not in STATES:
        raise ValueError(translate("ChatRecords", "state must be one of {states}, not {value}").format(
            states=", ".join(STATES), value=repr(state)))
    return state


def check_time(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(translate("ChatRecords", "{what} must be a finite number of seconds, not {value}").format(
            what=what, value=repr(value)))
    return float(value)


def derive_title(text: str, limit: int = 48) -> str:
    """A short title from a user's first message: its first non-empty line, cut on a word boundary."""
    line = next((ln for ln in (text or "").splitlines() if ln.strip()), "")
    line = " ".join(line.lstrip("#> \t").split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rstrip()
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"
