"""Getting the chats out of a damaged database: read what can be read, row by row, and hand it back as
ordinary exports that ``ChatStore.import_json`` accepts.

The UI's recovery flow, when opening fails or a call raises ``StoreError`` with ``err.damaged``::

    data = salvage(paths.chats_db)          # never raises for damage; see data["problems"]
    aside = set_aside(paths.chats_db)       # chats.sqlite3.damaged-<time> (+ its -wal), kept for the user
    with ChatStore(paths.chats_db) as store:
        restore(data, store)                # every readable conversation and preset, as new conversations

or write ``data`` to a JSON file ("export what can be read"). Reading goes in two passes: SQL through a
read-only connection (forwards until an error, backwards until an error, then row by row across the gap),
then a raw scan of the file's pages (``pages.py``) for rows SQL could not reach. Rows are checked for shape;
a reply whose parent is lost becomes a root of its conversation; messages whose conversation row is lost get a
conversation of their own.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

from app.core.chats import export
from app.core.chats.database import read_only_uri
from app.core.chats.pages import PageFile
from app.core.chats.records import ROLES, STATES, load_dict

log = logging.getLogger("hearth.chats")

MAX_PROBES = 200_000  # row-by-row lookups across one unreadable stretch of a table
TABLES = {
    "conversations": ("title", "created_at", "updated_at", "settings", "current_leaf"),
    "messages": ("conversation_id", "parent_id", "role", "content", "state", "stats", "created_at", "updated_at"),
    "presets": ("name", "data", "updated_at"),
}


def salvage(path: Path) -> dict:
    """``{"format": "hearth.salvage", "conversations": [export dicts], "presets": {...}, "problems": [...],
    "counts": {...}}`` with everything that could be read from ``path``."""
    path, problems = Path(path), []
    tables = {name: {} for name in TABLES}
    _read_sql(path, tables, problems)
    raw = _read_pages(path, tables, problems) if problems else 0  # SQL read it all: no stale rows wanted
    convs, msgs = _conversations(tables), _messages(tables)
    exports = _exports(convs, msgs)
    presets = {n: load_dict(d) for n, d, _ in tables["presets"].values() if isinstance(n, str)}
    counts = {"conversations": len(exports), "messages": sum(len(e["messages"]) for e in exports),
              "presets": len(presets), "rows_from_raw_pages": raw}
    log.warning("salvaged %s from %s (%d problems)", counts, path, len(problems))
    return {"format": "hearth.salvage", "source": str(path), "conversations": exports, "presets": presets,
            "problems": problems, "counts": counts}


# ---- pass 1: SQL ---------------------------------------------------------------------------------------------

def _read_sql(path: Path, tables: dict, problems: list[str]) -> None:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        problems.append(f"cannot open the file with SQLite: {exc}")
        return
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        problems.append(f"SQLite cannot read the file's header or schema: {exc}")
        conn.close()
        return
    try:
        for name, columns in TABLES.items():
            _read_table(conn, name, columns, tables[name], problems)
    finally:
        conn.close()


def _read_table(conn, table: str, columns: tuple, out: dict, problems: list[str]) -> None:
    sql = f"SELECT rowid, {', '.join(columns)} FROM {table}"
    first_error = _scan(conn, sql + " ORDER BY rowid", out)
    if first_error is None:
        return
    problems.append(f"{table}: reading stopped after {len(out)} rows: {first_error}")
    low = max(out, default=0)
    before = len(out)
    _scan(conn, sql + " ORDER BY rowid DESC", out)
    high = min((r for r in out if r > low), default=None) or _max_rowid(conn, table)
    for rowid in range(low + 1, min(high, low + 1 + MAX_PROBES)):
        _scan(conn, sql + f" WHERE rowid = {rowid}", out)
    problems.append(f"{table}: {len(out) - before} more rows read backwards and one by one")


def _scan(conn, sql: str, out: dict) -> str | None:
    """Collect rows until an error; the error text, or None when the whole query ran."""
    try:
        for row in conn.execute(sql):
            out[row[0]] = tuple(row[1:])
    except sqlite3.Error as exc:
        return str(exc)
    return None


def _max_rowid(conn, table: str) -> int:
    """One past the highest rowid SQLite can still tell us about (0 if it cannot)."""
    for sql in (f"SELECT max(rowid) FROM {table}", f"SELECT seq FROM sqlite_sequence WHERE name = '{table}'"):
        try:
            value = conn.execute(sql).fetchone()
            if value and isinstance(value[0], int):
                return value[0] + 1
        except sqlite3.Error:
            continue
    return 0


# ---- pass 2: raw pages ---------------------------------------------------------------------------------------

def _read_pages(path: Path, tables: dict, problems: list[str]) -> int:
    """Fill in rows SQL could not read from the raw pages; how many were added."""
    try:
        pages = PageFile(path)
    except OSError as exc:
        problems.append(f"cannot read the file: {exc}")
        return 0
    added = 0
    for rowid, values in pages.rows():
        table = _shape(values)
        if table and rowid not in tables[table]:
            tables[table][rowid] = tuple(values[1:]) if table != "presets" else tuple(values)
            added += 1
    if added:
        problems.append(f"{added} rows were recovered from raw pages and may be older versions")
    return added


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _shape(v: list) -> str | None:
    """Which of our tables a raw record belongs to, judged by its columns (the id column is stored as NULL)."""
    if len(v) == 9 and v[0] is None and isinstance(v[1], int) and (v[2] is None or isinstance(v[2], int)) \
            and v[3] in ROLES and isinstance(v[4], str) and v[5] in STATES and isinstance(v[6], str) \
            and _num(v[7]) and _num(v[8]):
        return "messages"
    if len(v) == 6 and v[0] is None and isinstance(v[1], str) and _num(v[2]) and _num(v[3]) \
            and isinstance(v[4], str) and (v[5] is None or isinstance(v[5], int)):
        return "conversations"
    if len(v) == 3 and isinstance(v[0], str) and isinstance(v[1], str) and _num(v[2]) \
            and v[1].startswith("{"):
        return "presets"
    return None


# ---- assembling exports --------------------------------------------------------------------------------------

def _conversations(tables: dict) -> dict[int, dict]:
    out = {}
    for cid, (title, created, updated, settings, leaf) in tables["conversations"].items():
        out[cid] = {"title": title if isinstance(title, str) else f"Recovered chat {cid}",
                    "created_at": created if _num(created) else 0.0,
                    "updated_at": updated if _num(updated) else 0.0,
                    "settings": load_dict(settings), "current_leaf": leaf if isinstance(leaf, int) else None}
    return out


def _messages(tables: dict) -> dict[int, dict]:
    out = {}
    for mid, (cid, parent, role, content, state, stats, created, updated) in sorted(tables["messages"].items()):
        if role not in ROLES or not isinstance(cid, int):
            continue
        created = created if _num(created) else 0.0
        out[mid] = {"id": mid, "conversation_id": cid, "parent_id": parent if isinstance(parent, int) else None,
                    "role": role, "content": content if isinstance(content, str) else "",
                    "state": "interrupted" if state not in STATES or state == "streaming" else state,
                    "stats": load_dict(stats), "created_at": created,
                    "updated_at": updated if _num(updated) else created}
    return out


def _exports(convs: dict[int, dict], msgs: dict[int, dict]) -> list[dict]:
    by_conv: dict[int, list[dict]] = {}
    for m in msgs.values():  # in id order
        by_conv.setdefault(m.pop("conversation_id"), []).append(m)
    for cid in by_conv.keys() - convs.keys():
        first = min(m["created_at"] for m in by_conv[cid])
        convs[cid] = {"title": f"Recovered chat {cid}", "created_at": first, "updated_at": first,
                      "settings": {}, "current_leaf": None}
    out = []
    for cid in sorted(convs, key=lambda c: convs[c]["updated_at"], reverse=True):
        items = by_conv.get(cid, [])
        ids = {m["id"] for m in items}
        for m in items:  # a lost or impossible parent (parents are always older) makes the message a root
            if m["parent_id"] not in ids or m["parent_id"] >= m["id"]:
                m["parent_id"] = None
        conv = dict(convs[cid])
        if conv["current_leaf"] not in ids:
            conv["current_leaf"] = None
        data = {"format": export.FORMAT, "version": export.VERSION, "exported_at": time.time(),
                "conversation": conv, "messages": items}
        try:
            export.validate(data)
        except ValueError as exc:  # should not happen after the clean-up above; never lose the rest for it
            log.warning("salvaged conversation %s does not validate: %s", cid, exc)
            continue
        out.append(data)
    return out


def restore(data: dict, store) -> int:
    """Import every conversation and preset of a ``salvage`` result into ``store``; conversations imported."""
    count = 0
    for conv in data.get("conversations", []):
        store.import_json(conv)
        count += 1
    existing = store.list_presets()
    for name, values in data.get("presets", {}).items():
        if name not in existing:
            store.save_preset(name, load_dict(values) if isinstance(values, str) else values)
    return count


def set_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.damaged-<time>``; the new main file path."""
    path = Path(path)
    dest = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            src.replace(Path(str(dest) + suffix))
    return dest


def dump(data: dict, dest: Path) -> None:
    """Write a salvage result as JSON (the "export what can be read" file)."""
    Path(dest).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
