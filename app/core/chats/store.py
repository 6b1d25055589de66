"""``ChatStore``: conversations, their message trees and the shared presets, in one SQLite file.

Threading: a store is used from the thread that opened it (normally the GUI thread); every call is a short
indexed query or one small transaction (well under a millisecond to a few ms). Another thread or process
that needs the database opens its own ``ChatStore``; WAL lets readers and one writer work side by side.

Every change runs in its own ``BEGIN IMMEDIATE`` ... ``COMMIT``: after a crash the database holds each change
completely or not at all. Nothing is deleted except by ``delete_subtree`` and ``delete_conversation``.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from app.core.chats import export, images as imgs, schema, search as fts, tree
from app.core.chats.bulk import fetch_rows
from app.core.chats.database import connect
from app.core.chats.errors import StoreError, classify, guarded
from app.core.chats.records import (
    CONVERSATION_COLUMNS, CONVERSATION_REALS, DEFAULT_TITLE, Conversation, Message, SearchHit, check_role, check_state,
    check_text, conversation_from_row, derive_title, dump_dict, load_dict,
)
from app.core.i18n import QT_TRANSLATE_NOOP, translate


class ChatStore:
    def __init__(self, path: Path, *, read_only: bool = False):
        """Open (or create) the database at ``path`` and migrate it to the current schema.

        ``read_only=True`` opens an existing file without ever writing to it (no migration, every change raises
        ``StoreError(kind="read_only")``): the way to look into a damaged database before salvaging it.
        """
        self.path = Path(path)
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = connect(self.path, read_only=read_only)
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "prepare the chats database"))
    def _prepare(self) -> None:
        if self.read_only:
            schema.check_version(schema.user_version(self._conn))
        else:
            schema.migrate(self._conn, self.path)
        self._has_images = imgs.has_table(self._conn)  # False only for an older file opened read-only

    def _with_images(self, messages: list[Message]) -> list[Message]:
        return imgs.attach(self.conn, messages) if self._has_images else messages

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "ChatStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(translate("ChatStore", "The chat store is closed."), kind="closed")
        return self._conn

    @property
    def schema_version(self) -> int:
        return schema.user_version(self.conn)

    @contextmanager
    def _tx(self):
        """One write transaction; rolled back on any exception (SQLite may already have done so itself)."""
        if self.read_only:
            raise StoreError(translate("ChatStore", "The chats database is open read-only; changes are not possible."),
                             kind="read_only")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    # ---- conversations -------------------------------------------------------------------------------------

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "create a conversation"))
    def create_conversation(self, title: str = DEFAULT_TITLE, settings: dict | None = None) -> Conversation:
        title, blob, now = check_text(title, "title"), dump_dict(settings or {}, "settings"), time.time()
        with self._tx() as c:
            cid = c.execute("INSERT INTO conversations (title, created_at, updated_at, settings) VALUES (?,?,?,?)",
                            (title, now, now, blob)).lastrowid
        return Conversation(cid, title, now, now, load_dict(blob), None)

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "list conversations"))
    def list_conversations(self) -> list[Conversation]:
        rows = fetch_rows(self.conn,
                          f"SELECT {CONVERSATION_COLUMNS} FROM conversations ORDER BY updated_at DESC, id DESC", (),
                          CONVERSATION_COLUMNS.split(","), CONVERSATION_REALS)
        return [conversation_from_row(r) for r in rows]

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read a conversation"))
    def get_conversation(self, cid: int) -> Conversation:
        return self._conversation(self.conn, cid)

    @staticmethod
    def _conversation(conn: sqlite3.Connection, cid: int) -> Conversation:
        row = conn.execute(f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (cid,)).fetchone()
        if row is None:
            raise KeyError(f"no conversation with id {cid!r}")
        return conversation_from_row(row)

    def _update_conversation(self, cid: int, sql: str, params: tuple) -> None:
        with self._tx() as c:
            if c.execute(f"UPDATE conversations SET {sql} WHERE id = ?", (*params, cid)).rowcount == 0:
                raise KeyError(f"no conversation with id {cid!r}")

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "rename the conversation"))
    def rename_conversation(self, cid: int, title: str) -> None:
        self._update_conversation(cid, "title = ?", (check_text(title, "title"),))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "save the conversation settings"))
    def update_conversation_settings(self, cid: int, settings: dict) -> None:
        """Store ``settings`` as the conversation's settings (it replaces the old dict; merge first if needed)."""
        self._update_conversation(cid, "settings = ?", (dump_dict(settings, "settings"),))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "delete the conversation"))
    def delete_conversation(self, cid: int) -> None:
        with self._tx() as c:
            self._conversation(c, cid)
            c.execute("UPDATE conversations SET current_leaf = NULL WHERE id = ?", (cid,))
            c.execute("DELETE FROM messages WHERE conversation_id = ?", (cid,))
            c.execute("DELETE FROM conversations WHERE id = ?", (cid,))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "select the branch"))
    def set_current_leaf(self, cid: int, message_id: int | None) -> None:
        """Remember which branch the user views. Pass a leaf (see ``leaf_of``); None forgets the choice."""
        with self._tx() as c:
            self._conversation(c, cid)
            if message_id is not None and tree.get_message(c, message_id).conversation_id != cid:
                raise ValueError(f"message {message_id} does not belong to conversation {cid}")
            c.execute("UPDATE conversations SET current_leaf = ? WHERE id = ?", (message_id, cid))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "set the conversation title"))
    def auto_title(self, cid: int, first_user_text: str) -> str:
        """Title the conversation from the first user message if it still has the default title; the title."""
        with self._tx() as c:
            title = self._conversation(c, cid).title
            new = derive_title(check_text(first_user_text, "text"))
            if title == DEFAULT_TITLE and new:
                c.execute("UPDATE conversations SET title = ? WHERE id = ?", (new, cid))
                title = new
        return title

    # ---- messages ------------------------------------------------------------------------------------------

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "save the message"))
    def add_message(self, cid: int, parent_id: int | None, role: str, content: str,
                    state: str = "done", stats: dict | None = None, images: list[str] | None = None) -> Message:
        """A new message under ``parent_id`` (None: a root). Existing children stay: a second child is a new
        branch. The conversation's ``updated_at`` moves to now and its current leaf to the new message.
        ``images``: ``data:image/png|jpeg;base64`` URIs stored with the message in the same transaction
        (``ImageError``, a ValueError, for anything else: nothing is fetched)."""
        check_role(role), check_state(state), check_text(content, "content")
        parsed = imgs.parse_all(images)
        blob, now = dump_dict(stats or {}, "stats"), time.time()
        with self._tx() as c:
            self._conversation(c, cid)
            if parent_id is not None and tree.get_message(c, parent_id).conversation_id != cid:
                raise ValueError(f"parent message {parent_id} belongs to another conversation")
            mid = c.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, state, stats, created_at, "
                "updated_at) VALUES (?,?,?,?,?,?,?,?)", (cid, parent_id, role, content, state, blob, now, now),
            ).lastrowid
            if parsed:
                imgs.insert(c, mid, parsed)
            c.execute("UPDATE conversations SET updated_at = ?, current_leaf = ? WHERE id = ?", (now, mid, cid))
        return Message(mid, cid, parent_id, role, content, state, load_dict(blob), now, now,
                       [imgs.encode_data_uri(mime, data) for mime, data, _w, _h in parsed])

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "save the message"))
    def update_message(self, mid: int, *, content: str | None = None, state: str | None = None,
                       stats: dict | None = None) -> None:
        """Change a message's text, state and/or stats in one small transaction (the streaming flush).

        ``content`` is the full text so far, not a delta. Fields left as None are not touched."""
        sets, params = ["updated_at = ?"], [time.time()]
        for column, value, check in (("content", content, lambda v: check_text(v, "content")),
                                     ("state", state, check_state),
                                     ("stats", stats, lambda v: dump_dict(v, "stats"))):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(check(value))
        with self._tx() as c:
            if c.execute(f"UPDATE messages SET {', '.join(sets)} WHERE id = ?", (*params, mid)).rowcount == 0:
                raise KeyError(f"no message with id {mid!r}")

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the message"))
    def get_message(self, mid: int) -> Message:
        return self._with_images([tree.get_message(self.conn, mid)])[0]

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the messages"))
    def children(self, cid: int, parent_id: int | None) -> list[Message]:
        """The replies to ``parent_id`` in creation order (``None``: the conversation's root messages)."""
        self._conversation(self.conn, cid)
        if parent_id is not None:
            tree.get_message(self.conn, parent_id)
        return self._with_images(tree.children(self.conn, cid, parent_id))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the messages"))
    def siblings(self, mid: int) -> list[Message]:
        """The message and its siblings (same parent) in creation order: the "< 2/3 >" switcher."""
        msg = tree.get_message(self.conn, mid)
        return self._with_images(tree.children(self.conn, msg.conversation_id, msg.parent_id))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the messages"))
    def sibling_positions(self, cid: int) -> dict[int, tuple[int, int]]:
        """``{message id: (index among its siblings, number of siblings)}`` for a whole conversation at once."""
        self._conversation(self.conn, cid)
        return tree.sibling_positions(self.conn, cid)

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the messages"))
    def path_to(self, mid: int) -> list[Message]:
        return self._with_images(tree.path_to(self.conn, mid))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the messages"))
    def leaf_of(self, mid: int) -> int:
        """Follow the newest child down from ``mid``; ``mid`` itself when it has no children."""
        return tree.leaf_of(self.conn, mid)

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the conversation"))
    def branch(self, cid: int, leaf_id: int | None = None) -> list[Message]:
        """Root .. ``leaf_id`` (default: the current leaf, else the newest leaf); [] for an empty conversation."""
        return self.branch_and_positions(cid, leaf_id)[0]

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the conversation"))
    def branch_and_positions(self, cid: int,
                             leaf_id: int | None = None) -> tuple[list[Message], dict[int, tuple[int, int]]]:
        """``branch`` and ``sibling_positions`` together, from one read (what the chat view needs)."""
        conv = self._conversation(self.conn, cid)
        leaf = leaf_id if leaf_id is not None else conv.current_leaf
        if leaf is None:
            leaf = tree.newest_leaf(self.conn, cid)
        if leaf is None:
            return [], {}
        messages, positions = tree.branch_and_positions(self.conn, cid, leaf)
        return self._with_images(messages), positions

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "delete the messages"))
    def delete_subtree(self, mid: int) -> int:
        """Delete a message and every reply under it; returns how many were deleted. If the current leaf was
        among them, the view moves to the newest remaining branch under the parent."""
        with self._tx() as c:
            msg = tree.get_message(c, mid)
            leaf = self._conversation(c, msg.conversation_id).current_leaf
            gone = leaf is None or leaf in tree.subtree_ids(c, mid)
            count = tree.delete_subtree(c, mid)
            if gone:
                leaf = (tree.leaf_of(c, msg.parent_id) if msg.parent_id is not None
                        else tree.newest_leaf(c, msg.conversation_id))
            c.execute("UPDATE conversations SET current_leaf = ?, updated_at = ? WHERE id = ?",
                      (leaf, time.time(), msg.conversation_id))
        return count

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "recover interrupted replies"))
    def mark_interrupted(self) -> int:
        """At start-up: every reply still marked 'streaming' was cut off by a crash; mark it 'interrupted'
        (its text is kept). Returns how many. Call it before any generation starts."""
        with self._tx() as c:
            return c.execute("UPDATE messages SET state = 'interrupted', updated_at = ? WHERE state = 'streaming'",
                             (time.time(),)).rowcount

    # ---- search, export, import ----------------------------------------------------------------------------

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "search the chats"))
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return fts.search(self.conn, query, limit)

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "export the conversation"))
    def export_json(self, cid: int) -> dict:
        conn = self.conn
        conn.execute("BEGIN")  # one snapshot for the conversation and its messages
        try:
            return export.export_conversation(conn, self._conversation(conn, cid), with_images=self._has_images)
        finally:
            conn.execute("COMMIT")

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "import the conversation"))
    def import_json(self, data: dict) -> Conversation:
        """A new conversation from an ``export_json`` dict; ValueError (and no change) if it is not valid."""
        plan = export.validate(data)
        with self._tx() as c:
            cid = export.insert_plan(c, plan, time.time())
        return self.get_conversation(cid)

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "export the conversation"))
    def export_markdown(self, cid: int, leaf_id: int | None = None) -> str:
        return export.to_markdown(self.get_conversation(cid), self.branch(cid, leaf_id))

    # ---- presets -------------------------------------------------------------------------------------------

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "read the presets"))
    def list_presets(self) -> dict[str, dict]:
        return {n: load_dict(d) for n, d in self.conn.execute("SELECT name, data FROM presets ORDER BY name")}

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "save the preset"))
    def save_preset(self, name: str, values: dict) -> None:
        """Create or replace the named preset."""
        if not check_text(name, "preset name").strip():
            raise ValueError("a preset needs a name")
        with self._tx() as c:
            c.execute("INSERT INTO presets (name, data, updated_at) VALUES (?,?,?) ON CONFLICT(name) DO UPDATE "
                      "SET data = excluded.data, updated_at = excluded.updated_at",
                      (name, dump_dict(values, "preset values"), time.time()))

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "delete the preset"))
    def delete_preset(self, name: str) -> None:
        with self._tx() as c:
            if c.execute("DELETE FROM presets WHERE name = ?", (name,)).rowcount == 0:
                raise KeyError(f"no preset named {name!r}")

    # ---- safety --------------------------------------------------------------------------------------------

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "check the chats database"))
    def integrity_check(self) -> str:
        """'ok', or SQLite's list of problems (one per line; "damaged: ..." when the check cannot even finish),
        then the search index compared with the messages.
        Reads the whole file: fine at start-up for a few MB, seconds for hundreds of MB."""
        try:
            result = "\n".join(r[0] for r in self.conn.execute("PRAGMA integrity_check"))
        except sqlite3.DatabaseError as exc:  # so damaged that the check itself stops: that is the answer
            if classify(exc)[0] != "damaged":
                raise
            return f"damaged: {exc}"
        if result != "ok" or self.read_only:  # the index check is written as an INSERT: not on a read-only file
            return result
        with self._tx() as c:
            return "\n".join(fts.check_index(c)) or "ok"

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "rebuild the search index"))
    def rebuild_search_index(self) -> None:
        """Re-create the full-text index from the messages and titles (the fix for an index mismatch)."""
        with self._tx() as c:
            fts.rebuild_index(c)

    @guarded(QT_TRANSLATE_NOOP("ChatStore", "back up the chats database"))
    def backup(self, dest: Path) -> None:
        """A consistent copy of the database at ``dest`` (safe while the app is running)."""
        try:
            schema.backup_to(self.conn, Path(dest))
        except OSError as exc:
            raise StoreError(translate("ChatStore", "Could not back up the chats database to {dest}: {error}.").format(
                dest=dest, error=exc)) from exc
