"""Export a conversation (lossless JSON, readable Markdown) and import it back as a new conversation.

The JSON format (``FORMAT``, ``VERSION`` 2)::

    {"format": "hearth.chat", "version": 1 | 2, "exported_at": <unix time>,
     "conversation": {"title", "created_at", "updated_at", "settings": {...}, "current_leaf": <message id|null>},
     "messages": [{"id", "parent_id", "role", "content", "state", "stats": {...}, "created_at", "updated_at",
                   "images": ["data:image/png;base64,...", ...]},   # "images" only on a message that has some
                  ...]}   # every message of the tree, all branches, in creation order

Version 2 added ``images``; a conversation without images is still written as version 1, which every Hearth
reads (an older Hearth refuses a version 2 file rather than drop its images without a word). An imported image
must be a ``data:image/png|jpeg;base64`` URI of at most ``images.MAX_IMAGE_BYTES``: an address (``http://``,
``file://``) is refused, never fetched.

Ids in a file only link its messages together; an import gets fresh ids. An imported conversation keeps its
title, settings, created_at and every message field, except that a reply exported while it was still
``streaming`` is imported as ``interrupted`` (nothing will ever finish it), and its ``updated_at`` is the import
time so it shows at the top of the list.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from app.core.chats import images as imgs
from app.core.chats.records import (
    MESSAGE_COLUMNS, Conversation, Message, check_role, check_state, check_text, check_time, dump_dict,
    message_from_row,
)
from app.core.i18n import QT_TRANSLATE_NOOP, translate

FORMAT = "hearth.chat"
VERSION = 2  # the newest this Hearth writes and reads (2: messages may carry images)
# a message's heading in the Markdown export (shown as translate("ChatExport", heading))
ROLE_HEADINGS = {"system": QT_TRANSLATE_NOOP("ChatExport", "System"), "user": QT_TRANSLATE_NOOP("ChatExport", "User"),
                 "assistant": QT_TRANSLATE_NOOP("ChatExport", "Assistant")}


def export_conversation(conn: sqlite3.Connection, conv: Conversation, with_images: bool = True) -> dict:
    rows = conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                        (conv.id,)).fetchall()
    messages = [message_from_row(r) for r in rows]
    if with_images:
        imgs.attach(conn, messages)
    return {
        "format": FORMAT,
        "version": 2 if any(m.images for m in messages) else 1,
        "exported_at": datetime.now().timestamp(),
        "conversation": {"title": conv.title, "created_at": conv.created_at, "updated_at": conv.updated_at,
                         "settings": conv.settings, "current_leaf": conv.current_leaf},
        "messages": [_message_dict(m) for m in messages],
    }


def _message_dict(m: Message) -> dict:
    d = {"id": m.id, "parent_id": m.parent_id, "role": m.role, "content": m.content, "state": m.state,
         "stats": m.stats, "created_at": m.created_at, "updated_at": m.updated_at}
    if m.images:
        d["images"] = list(m.images)
    return d


# ---- import ------------------------------------------------------------------------------------------------

@dataclass
class _Row:
    old_id: int
    parent: int | None
    values: tuple  # role, content, state, stats JSON, created_at, updated_at
    images: list = None  # [(mime, bytes, width, height)] checked by images.parse_all


@dataclass
class ImportPlan:
    title: str
    created_at: float
    settings: str  # JSON
    current_leaf: int | None  # an old id
    rows: list[_Row]  # parents before children, otherwise in file order


def validate(data) -> ImportPlan:
    """Check an exported dict completely before anything is written; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(translate("ChatExport", "a chat export must be a JSON object, not {type}").format(
            type=type(data).__name__))
    if data.get("format") != FORMAT:
        raise ValueError(translate("ChatExport", "not a Hearth chat export (format is {found}, expected {expected})")
                         .format(found=repr(data.get("format")), expected=repr(FORMAT)))
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= VERSION:
        raise ValueError(translate("ChatExport", "unsupported chat export version {version} (this Hearth reads "
                                   "1..{latest})").format(version=repr(version), latest=VERSION))
    conv, messages = data.get("conversation"), data.get("messages")
    if not isinstance(conv, dict):
        raise ValueError(translate("ChatExport", "the export has no 'conversation' object"))
    if not isinstance(messages, list):
        raise ValueError(translate("ChatExport", "the export has no 'messages' list"))
    rows = _ordered([_row(m, i) for i, m in enumerate(messages)])
    leaf = conv.get("current_leaf")
    if leaf is not None and (isinstance(leaf, bool) or not isinstance(leaf, int)
                             or leaf not in {r.old_id for r in rows}):
        raise ValueError(translate("ChatExport", "conversation.current_leaf {leaf} is not one of the exported "
                                   "messages").format(leaf=repr(leaf)))
    return ImportPlan(check_text(_field(conv, "title", "conversation"), "conversation.title"),
                      check_time(_field(conv, "created_at", "conversation"), "conversation.created_at"),
                      dump_dict(conv.get("settings", {}), "conversation.settings"), leaf, rows)


def _field(obj: dict, key: str, where: str):
    if key not in obj:
        raise ValueError(translate("ChatExport", "{where} has no {key}").format(where=where, key=repr(key)))
    return obj[key]


def _row(m, i: int) -> _Row:
    where = f"messages[{i}]"
    if not isinstance(m, dict):
        raise ValueError(translate("ChatExport", "{where} must be an object").format(where=where))
    mid, parent = _field(m, "id", where), m.get("parent_id")
    for name, value in (("id", mid), ("parent_id", parent)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(translate("ChatExport", "{where}.{name} must be an integer, not {value}").format(
                where=where, name=name, value=repr(value)))
    if mid is None:
        raise ValueError(translate("ChatExport", "{where}.id must be an integer").format(where=where))
    values = (check_role(_field(m, "role", where)),
              check_text(_field(m, "content", where), f"{where}.content"),
              "interrupted" if m.get("state") == "streaming" else check_state(m.get("state", "done")),
              dump_dict(m.get("stats", {}), f"{where}.stats"),
              check_time(_field(m, "created_at", where), f"{where}.created_at"),
              check_time(m.get("updated_at", m["created_at"]), f"{where}.updated_at"))
    try:
        images = imgs.parse_all(m.get("images"), f"{where}.images")
    except imgs.ImageError as exc:
        raise ValueError(str(exc).rstrip(".")) from None
    return _Row(mid, parent, values, images)


def _ordered(rows: list[_Row]) -> list[_Row]:
    """Rows with every parent before its children (file order otherwise); ValueError on a dangling parent,
    a duplicate id or a cycle."""
    by_id: dict[int, _Row] = {}
    for r in rows:
        if r.old_id in by_id:
            raise ValueError(translate("ChatExport", "message id {id} appears twice").format(id=r.old_id))
        by_id[r.old_id] = r
    placed: set[int] = set()
    out: list[_Row] = []
    for r in rows:
        chain, seen, cur = [], set(), r
        while cur.old_id not in placed:
            if cur.old_id in seen:
                raise ValueError(translate("ChatExport", "the parent links of message {id} form a cycle").format(
                    id=cur.old_id))
            seen.add(cur.old_id)
            chain.append(cur)
            if cur.parent is None:
                break
            if cur.parent not in by_id:
                raise ValueError(translate("ChatExport", "message {id} has parent_id {parent} which is not in the "
                                           "export").format(id=cur.old_id, parent=cur.parent))
            cur = by_id[cur.parent]
        for x in reversed(chain):
            placed.add(x.old_id)
            out.append(x)
    return out


def insert_plan(conn: sqlite3.Connection, plan: ImportPlan, now: float) -> int:
    """Write a validated plan inside the caller's transaction; the new conversation id."""
    cid = conn.execute("INSERT INTO conversations (title, created_at, updated_at, settings) VALUES (?,?,?,?)",
                       (plan.title, plan.created_at, now, plan.settings)).lastrowid
    new_ids: dict[int, int] = {}
    for r in plan.rows:
        new_ids[r.old_id] = conn.execute(
            "INSERT INTO messages (conversation_id, parent_id, role, content, state, stats, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?)", (cid, new_ids.get(r.parent), *r.values)).lastrowid
        if r.images:
            imgs.insert(conn, new_ids[r.old_id], r.images)
    leaf = new_ids.get(plan.current_leaf) if plan.current_leaf is not None else None
    conn.execute("UPDATE conversations SET current_leaf = ? WHERE id = ?", (leaf, cid))
    return cid


# ---- Markdown ----------------------------------------------------------------------------------------------

# a note after a message's heading (shown as translate("ChatExport", note))
_STATE_NOTES = {"interrupted": QT_TRANSLATE_NOOP("ChatExport", "reply interrupted"),
                "stopped": QT_TRANSLATE_NOOP("ChatExport", "stopped by the user"),
                "error": QT_TRANSLATE_NOOP("ChatExport", "failed"),
                "streaming": QT_TRANSLATE_NOOP("ChatExport", "still being written")}


def to_markdown(conv: Conversation, messages: list[Message]) -> str:
    """The branch as a readable document: title, when, the model, then each message under its role."""
    when = datetime.fromtimestamp(conv.created_at).strftime("%Y-%m-%d %H:%M")
    model = conv.settings.get("model")
    # the model's file name, never its path (a path holds the user's name)
    model_name = re.split(r"[\\/]", str(model))[-1] if model else ""
    about = (translate("ChatExport", "Hearth chat, started {when}, model {model}").format(
        when=when, model=_one_line(model_name)) if model_name
        else translate("ChatExport", "Hearth chat, started {when}").format(when=when))
    lines = [f"# {_one_line(conv.title)}", "", f"*{about}*", ""]
    for m in messages:
        note = translate("ChatExport", _STATE_NOTES[m.state]) if m.state in _STATE_NOTES else None
        body = close_fences(m.content.rstrip("\n"))
        heading = translate("ChatExport", ROLE_HEADINGS[m.role]) if m.role in ROLE_HEADINGS else m.role.title()
        lines += [f"## {heading}" + (f" *({note})*" if note else ""), ""]
        lines += [body, ""] if body or not m.images else []
        if m.images:  # inline, so the file stands alone (a data: URI is shown by most Markdown viewers)
            lines += [" ".join(f"![{_image_label(i)}]({uri})" for i, uri in enumerate(m.images, 1)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _image_label(number: int) -> str:
    return translate("ChatExport", "image {number}").format(number=number)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def close_fences(text: str) -> str:
    """``text`` with a code fence it leaves open closed at its end (a reply cut off inside a code block would
    otherwise swallow the rest of the exported file)."""
    open_fence = ""
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if not m:
            continue
        fence = m.group(1)
        if not open_fence:
            open_fence = fence
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not line.strip()[len(fence):].strip():
            open_fence = ""
    return text + ("\n" + open_fence if open_fence else "")


def _one_line(text: str) -> str:
    return " ".join(text.split())
