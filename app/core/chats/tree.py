"""Queries over the message tree. Each answer is one SQL statement (recursive CTEs), never one query per level.

Sibling order is creation order, which is id order: ids only grow (AUTOINCREMENT), a parent always exists
before its children, and an import inserts messages in their original order. Functions here take an open
connection, do no transaction handling and raise ``KeyError`` for unknown ids.
"""
from __future__ import annotations

import sqlite3

from app.core.chats.bulk import fetch_rows
from app.core.chats.records import MESSAGE_COLUMNS, MESSAGE_REALS, Message, message_from_parsed, message_from_row

# A guard against a cycle in a damaged file; a real conversation is nowhere near this deep.
MAX_DEPTH = 1_000_000

_PATH_SQL = f"""
WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM messages WHERE id = :mid
    UNION ALL
    SELECT m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.id
    WHERE m.parent_id IS NOT NULL AND up.depth < {MAX_DEPTH}
)
SELECT {', '.join('m.' + c.strip() for c in MESSAGE_COLUMNS.split(','))}
FROM up JOIN messages m ON m.id = up.id ORDER BY up.depth DESC
"""

_LEAF_SQL = f"""
WITH RECURSIVE down(id, depth) AS (
    SELECT :mid, 0
    UNION ALL
    SELECT (SELECT max(c.id) FROM messages c WHERE c.parent_id = down.id), down.depth + 1
    FROM down WHERE down.id IS NOT NULL AND down.depth < {MAX_DEPTH}
)
SELECT id FROM down WHERE id IS NOT NULL ORDER BY depth DESC LIMIT 1
"""

_SUBTREE_SQL = f"""
WITH RECURSIVE sub(id, depth) AS (
    SELECT :mid, 0
    UNION ALL
    SELECT c.id, sub.depth + 1 FROM messages c JOIN sub ON c.parent_id = sub.id WHERE sub.depth < {MAX_DEPTH}
)
SELECT id FROM sub
"""


def get_message(conn: sqlite3.Connection, mid: int) -> Message:
    row = conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (mid,)).fetchone()
    if row is None:
        raise KeyError(f"no message with id {mid!r}")
    return message_from_row(row)


def children(conn: sqlite3.Connection, cid: int, parent_id: int | None) -> list[Message]:
    rows = conn.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
        (cid, parent_id)).fetchall()
    return [message_from_row(r) for r in rows]


def sibling_positions(conn: sqlite3.Connection, cid: int) -> dict[int, tuple[int, int]]:
    """For every message of the conversation: (its index among its siblings, how many siblings), in one query."""
    return _positions(fetch_rows(conn, "SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY id",
                                 (cid,), ("id", "parent_id")))


def _positions(rows) -> dict[int, tuple[int, int]]:
    """Sibling positions from rows that start with (id, parent_id, ...), in id order."""
    groups: dict[int | None, list[int]] = {}
    for r in rows:
        groups.setdefault(r[1], []).append(r[0])
    return {mid: (i, len(ids)) for ids in groups.values() for i, mid in enumerate(ids)}


def branch_and_positions(conn: sqlite3.Connection, cid: int,
                         leaf: int) -> tuple[list[Message], dict[int, tuple[int, int]]]:
    """Root .. ``leaf`` of conversation ``cid`` and every message's sibling position, from one scan of the
    conversation's messages (an index range: cheaper than the recursive walk for a long conversation).
    ``KeyError`` for an unknown leaf, ``ValueError`` for a leaf of another conversation."""
    rows = fetch_rows(conn, f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                      (cid,), MESSAGE_COLUMNS.split(","), MESSAGE_REALS, ("stats",), lists=True)
    by_id = {r[0]: r for r in rows}
    positions = _positions((r[0], r[2]) for r in rows)
    if leaf not in by_id:
        get_message(conn, leaf)  # KeyError for an unknown id
        raise ValueError(f"message {leaf} does not belong to conversation {cid}")
    path, seen, mid = [], set(), leaf
    while mid is not None and mid in by_id and mid not in seen:  # `seen`: a cycle in a damaged file ends here
        seen.add(mid)
        path.append(by_id[mid])
        mid = by_id[mid][2]
    return [message_from_parsed(r) for r in reversed(path)], positions


def path_to(conn: sqlite3.Connection, mid: int) -> list[Message]:
    rows = fetch_rows(conn, _PATH_SQL, {"mid": mid}, MESSAGE_COLUMNS.split(","), MESSAGE_REALS, ("stats",),
                      lists=True)
    if not rows:
        raise KeyError(f"no message with id {mid!r}")
    return [message_from_parsed(r) for r in rows]


def leaf_of(conn: sqlite3.Connection, mid: int) -> int:
    get_message(conn, mid)  # KeyError for an unknown id
    return conn.execute(_LEAF_SQL, {"mid": mid}).fetchone()[0]


def subtree_ids(conn: sqlite3.Connection, mid: int) -> list[int]:
    return [r[0] for r in conn.execute(_SUBTREE_SQL, {"mid": mid})]


def delete_subtree(conn: sqlite3.Connection, mid: int) -> int:
    """Delete ``mid`` and its descendants in one statement (the parent links are checked at its end)."""
    return conn.execute(f"DELETE FROM messages WHERE id IN ({_SUBTREE_SQL})", {"mid": mid}).rowcount


def newest_leaf(conn: sqlite3.Connection, cid: int) -> int | None:
    """The most recently created message that has no children, or None for an empty conversation."""
    row = conn.execute(
        "SELECT max(m.id) FROM messages m WHERE m.conversation_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = m.id)", (cid,)).fetchone()
    return row[0]
