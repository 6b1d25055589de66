"""Full-text search over message text and conversation titles (FTS5, schema v2).

The user's text is never passed to FTS5 as query syntax: it is split on white space, every word becomes a quoted
phrase (inner ``"`` doubled), and the last word matches as a prefix so results appear while typing. Words with
no letter or digit (``*``, ``-``, ``"``) are dropped. So ``foo"bar``, ``AND``, ``NEAR(``, ``*`` are all safe.
A word with an ``i`` is searched in each Turkish spelling of it (:func:`i_spellings`): "ılık", "ILIK" and
"ilik" find one another; the index and the messages stay as they are.

Snippets mark each matched word with ``SNIPPET_OPEN`` ... ``SNIPPET_CLOSE`` (control characters that never
occur in chat text); ``split_snippet`` / ``snippet_html`` turn that into styled pieces.
"""
from __future__ import annotations

import html
import sqlite3
import unicodedata

from app.core.chats.bulk import fetch_rows
from app.core.chats.records import SearchHit

SNIPPET_OPEN = "\x02"
SNIPPET_CLOSE = "\x03"
ELLIPSIS = "…"
SNIPPET_WORDS = 12
MAX_LIMIT = 10_000

# The FTS5 table orders by rank and cuts at the limit by itself, so snippets are made only for the hits
# returned; sorting the joined rows instead would make a snippet for every match first.
_MESSAGES_SQL = """
SELECT m.conversation_id AS cid, m.id AS mid, c.title AS title, hit.snip AS snip, m.role AS role
FROM (SELECT rowid AS id, rank AS score,
             snippet(messages_fts, 0, :open, :close, :ellipsis, :words) AS snip
      FROM messages_fts WHERE messages_fts MATCH :query ORDER BY rank LIMIT :limit) AS hit
JOIN messages m ON m.id = hit.id
JOIN conversations c ON c.id = m.conversation_id
ORDER BY hit.score, m.id DESC
"""

_TITLES_SQL = """
SELECT c.id AS cid, (SELECT min(m.id) FROM messages m WHERE m.conversation_id = c.id) AS mid, c.title AS title,
       hit.marked AS snip
FROM (SELECT rowid AS id, rank AS score, highlight(conversations_fts, 0, :open, :close) AS marked
      FROM conversations_fts WHERE conversations_fts MATCH :query ORDER BY rank LIMIT :limit) AS hit
JOIN conversations c ON c.id = hit.id
ORDER BY hit.score, c.updated_at DESC
"""


_MAX_I_SPELLINGS = 8


def i_spellings(word: str) -> list[str]:
    """``word`` with each Turkish i as both dotted ``i`` and dotless ``ı``, as the index may hold it.

    The index's tokenizer (unicode61, remove_diacritics 2) makes ``I`` and ``İ`` an ``i`` but keeps ``ı``
    (dotless, a letter of its own), so "ılık" is indexed as "ılık", "ILIK" and "Işık" as "ilik" and "isık":
    searching "ILIK", "ilik" or "ılık" must try both spellings of each i. A word without an i stays as typed;
    with more than 3, only all-dotted, all-dotless and as typed are tried."""
    plain = word.replace("İ", "i").replace("I", "i")
    at = [k for k, ch in enumerate(plain) if ch in "iı"]
    if not at:
        return [word]
    if 2 ** len(at) > _MAX_I_SPELLINGS:
        found = [plain.replace("ı", "i"), plain.replace("i", "ı"), plain]
    else:
        found = []
        for mask in range(2 ** len(at)):
            chars = list(plain)
            for bit, k in enumerate(at):
                chars[k] = "ı" if mask >> bit & 1 else "i"
            found.append("".join(chars))
    return list(dict.fromkeys(found))


def fts_query(text: str) -> str | None:
    """A safe FTS5 query for free user text; None when there is nothing searchable in it."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text))  # NUL ends SQL text
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    groups = []
    for n, word in enumerate(words):
        star = "*" if n == len(words) - 1 else ""
        phrases = ['"' + w.replace('"', '""') + '"' + star for w in i_spellings(word)]
        groups.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    # FTS5 reads "a b" as a AND b, but not next to a parenthesized group: there the AND is written out
    return (" AND " if any(g.startswith("(") for g in groups) else " ").join(groups)


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Title hits first (role ``"title"``, message_id = the conversation's first message), then message hits
    by relevance. At most ``limit`` hits in all."""
    query = fts_query(text)
    limit = min(max(0, int(limit)), MAX_LIMIT)
    if query is None or limit == 0:
        return []
    params = {"query": query, "limit": limit, "open": SNIPPET_OPEN, "close": SNIPPET_CLOSE,
              "ellipsis": ELLIPSIS, "words": SNIPPET_WORDS}
    hits = [SearchHit(cid, mid, title, snip, "title")
            for cid, mid, title, snip in _run(conn, _TITLES_SQL, params, ("cid", "mid", "title", "snip"))]
    params["limit"] = limit - len(hits)
    if params["limit"] > 0:
        hits += [SearchHit(*row) for row in _run(conn, _MESSAGES_SQL, params, ("cid", "mid", "title", "snip", "role"))]
    return hits


def _run(conn: sqlite3.Connection, sql: str, params: dict, columns: tuple[str, ...]) -> list[tuple]:
    try:
        return fetch_rows(conn, sql, params, columns)
    except sqlite3.OperationalError as exc:
        # our quoting leaves no syntax to get wrong, but a tokenizer corner case must never reach the user
        if str(exc).startswith("fts5:"):
            return []
        raise


FTS_TABLES = ("messages_fts", "conversations_fts")


def check_index(conn: sqlite3.Connection) -> list[str]:
    """Problems found comparing each full-text index with its table (empty when they match)."""
    problems = []
    for table in FTS_TABLES:
        try:
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"search index {table} does not match its table ({exc}); rebuild_search_index() fixes it")
    return problems


def rebuild_index(conn: sqlite3.Connection) -> None:
    for table in FTS_TABLES:
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """``[(text, is_match), ...]`` pieces of a snippet, in order, empty pieces left out."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(snippet.split(SNIPPET_OPEN)):
        if i == 0:
            pieces.append((part, False))
            continue
        hit, _, rest = part.partition(SNIPPET_CLOSE)
        pieces += [(hit, True), (rest, False)]
    return [(t, m) for t, m in pieces if t]


def snippet_html(snippet: str, open_tag: str = "<b>", close_tag: str = "</b>") -> str:
    """The snippet as escaped HTML with the matches wrapped in ``open_tag`` / ``close_tag``."""
    return "".join(open_tag + html.escape(t) + close_tag if m else html.escape(t)
                   for t, m in split_snippet(snippet))


def snippet_plain(snippet: str) -> str:
    """The snippet with the match markers removed."""
    return snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")
