"""bulk.fetch_rows: one-step reads give exactly what row-by-row reads give (values, types, order)."""
from __future__ import annotations

import sqlite3

from app.core.chats import tree
from app.core.chats.bulk import fetch_rows
from app.core.chats.records import MESSAGE_COLUMNS, MESSAGE_REALS


def test_same_rows_as_fetchall_with_exact_floats_nulls_and_order():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, at REAL, note TEXT)")
    values = [(i, f"n{i} \"quoted\" \\ \n\t\x02 ünï 😀", 1_700_000_000.123456789 + i / 7, None if i % 3 else "{}")
              for i in range(1, 300)]
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", values)
    conn.execute("INSERT INTO t VALUES (1000, NULL, NULL, '')")
    sql = "SELECT id, name, at, note FROM t ORDER BY at DESC, id DESC"
    expected = conn.execute(sql).fetchall()
    got = fetch_rows(conn, sql, (), ("id", "name", "at", "note"), reals=("at",))
    assert got == expected
    assert all(type(a) is type(b) for g, e in zip(got, expected) for a, b in zip(g, e))


def test_empty_result_and_named_parameters():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER, v TEXT)")
    assert fetch_rows(conn, "SELECT id, v FROM t WHERE id = :x", {"x": 1}, ("id", "v")) == []


def test_branch_reads_match_the_row_by_row_queries(store):
    c = store.create_conversation()
    parent = None
    for i in range(40):
        parent = store.add_message(c.id, parent, "user" if i % 2 == 0 else "assistant", f"m{i}",
                                   stats={"n": i, "x": 0.1 * i} if i % 2 else None).id
    sibling = store.add_message(c.id, parent - 1, "assistant", "another reply").id
    rows = store.conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                              (c.id,)).fetchall()
    assert fetch_rows(store.conn, f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                      (c.id,), MESSAGE_COLUMNS.split(","), MESSAGE_REALS) == rows
    path, positions = store.branch_and_positions(c.id, parent)
    assert [m.content for m in path] == [f"m{i}" for i in range(40)]
    assert path == tree.path_to(store.conn, parent) == store.branch(c.id, parent)
    assert positions[parent] == (0, 2) and positions[sibling] == (1, 2)
    assert positions == store.sibling_positions(c.id)
    assert [m.id for m in store.branch(c.id, sibling)][-2:] == [parent - 1, sibling]


def test_any_double_round_trips_exactly():
    import random
    import struct

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at REAL)")
    rng = random.Random(5)
    xs = [x for x in (struct.unpack("d", rng.randbytes(8))[0] for _ in range(20_000)) if x == x]
    xs += [float("inf"), -float("inf"), 0.0, 5e-324, 1.7976931348623157e308, 1_795_467_511.2001278]
    conn.executemany("INSERT INTO t (at) VALUES (?)", [(x,) for x in xs])
    got = fetch_rows(conn, "SELECT id, at FROM t ORDER BY id", (), ("id", "at"), reals=("at",))
    assert [r[1] for r in got] == xs
