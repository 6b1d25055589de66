"""Reading many rows in one step, so that a busy thread cannot stretch a read on the GUI thread.

Python's ``sqlite3`` releases the GIL around every ``sqlite3_step``, i.e. once per row. When another thread is
running Python (a download, a fit estimate, the engine's sampling loop), taking the GIL back waits for that
thread's switch interval (5 ms): reading a 2,000-message conversation row by row took 3-12 *seconds* next to a
busy thread (6-13 ms when idle). Here SQLite builds the whole result as one JSON array (``json_group_array``):
one step, one GIL hand-over, then one ``json.loads``; the same read takes 40-47 ms next to a busy thread.

Row order: SQLite keeps a FROM-subquery's ORDER BY when the outer query uses an aggregate other than count(),
min() or max() (``select.c``), which is the case here.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence


def fetch_rows(conn: sqlite3.Connection, select_sql: str, params: Sequence | Mapping, columns: Iterable[str],
               reals: Iterable[str] = (), json_columns: Iterable[str] = (), lists: bool = False) -> list:
    """The rows of ``select_sql`` (whose result columns are named ``columns``), in its order, as tuples of the
    same values ``fetchall`` gives. ``reals``: the REAL columns, carried as 20-digit text so that they round-trip
    exactly (SQLite's JSON writes 15 digits). ``json_columns``: TEXT columns holding JSON, returned parsed
    (None where the text is not valid JSON), so that Python does not parse them one by one. ``lists``: rows as
    lists instead of tuples (skips a copy of each row)."""
    columns = [c.strip() for c in columns]
    reals = set(reals)
    json_columns = set(json_columns)

    def expr(c: str) -> str:
        if c in reals:
            return f"CASE WHEN {c} IS NULL THEN NULL ELSE printf('%!.20g', {c}) END"
        if c in json_columns:
            return f"CASE WHEN json_valid({c}) THEN json({c}) ELSE NULL END"
        return c

    exprs = ", ".join(expr(c) for c in columns)
    sql = f"SELECT json_group_array(json_array({exprs})) FROM ({select_sql})"
    text = conn.execute(sql, params).fetchone()[0]
    rows = json.loads(text) if text else []
    for i in [i for i, c in enumerate(columns) if c in reals]:
        for r in rows:
            if r[i] is not None:
                r[i] = float(r[i])
    return rows if lists else [tuple(r) for r in rows]
