"""The document index: collections, their sources (files and folders the user added), documents, chunks with
their float32 vectors, and an FTS5 keyword index, in one SQLite file next to the chats (``documents.sqlite3``).

A document is indexed in one transaction (its chunks, vectors and keyword rows replace the old ones and its row
says "indexed"), so a crash or SIGKILL mid-indexing loses at most the file in progress. A collection knows which
embedding model made its vectors (path, dimensions, prefixes); vectors of another model are never mixed in.

Keyword search folds text the same way when indexing and when searching (:func:`fold`): FTS5's
``unicode61 remove_diacritics 2`` lowercases and strips accents, and Turkish casing is folded first (İ and I, ı and
i match each other), so "ISTANBUL", "istanbul" and "İstanbul" find the same rows.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from app.core.i18n import from_wire, to_wire, translate

SCHEMA_VERSION = 2  # 2: chunks.windows (the vectors of the chunk's sentence windows)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS collections(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, embed_model TEXT NOT NULL, dims INTEGER NOT NULL DEFAULT 0,
    query_prefix TEXT NOT NULL DEFAULT '', doc_prefix TEXT NOT NULL DEFAULT '', created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
    id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL, UNIQUE(collection_id, path));
CREATE TABLE IF NOT EXISTS documents(
    id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL, size INTEGER NOT NULL DEFAULT 0, mtime REAL NOT NULL DEFAULT 0, sha256 TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '', pages INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'pending',
    message TEXT NOT NULL DEFAULT '', n_chunks INTEGER NOT NULL DEFAULT 0, indexed_at REAL NOT NULL DEFAULT 0,
    UNIQUE(collection_id, path));
CREATE TABLE IF NOT EXISTS chunks(
    id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, page INTEGER, heading TEXT NOT NULL DEFAULT '', start INTEGER NOT NULL,
    end INTEGER NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL, windows BLOB);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id, ord);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
"""

_TURKISH = str.maketrans({"İ": "i", "I": "i", "ı": "i"})


def fold(text: str) -> str:
    """Text as the keyword index sees it: Turkish dotted/dotless i folded to i, then NFKC (FTS5 lowercases and
    removes the remaining diacritics itself)."""
    return unicodedata.normalize("NFKC", text.translate(_TURKISH))


class DocsError(Exception):
    """A clear, user-facing problem with the document index."""


@dataclass
class Collection:
    id: int
    name: str
    embed_model: str
    dims: int
    query_prefix: str
    doc_prefix: str


@dataclass
class Document:
    id: int
    collection_id: int
    path: str
    size: int
    mtime: float
    sha256: str
    kind: str
    pages: int
    status: str  # pending | indexed | error
    message: str
    n_chunks: int
    indexed_at: float


TEXT_MARK = "\x1etext:"  # a stored message that is a sentence's source and values (app.core.i18n), not words


def kept(message: str) -> str:
    """A document's message as stored: a translatable sentence as its source and values, so it is shown in the
    language of whoever reads it later (the window in Turkish, ``hearth docs`` in English); other text as is."""
    wire = to_wire(message)
    return TEXT_MARK + json.dumps(wire, ensure_ascii=False) if wire is not None else str(message)


def shown(stored: str) -> str:
    if not stored.startswith(TEXT_MARK):
        return stored
    try:
        made = from_wire(json.loads(stored[len(TEXT_MARK):]))
    except (ValueError, RecursionError):
        made = None
    return made if made is not None else translate("DocsStore", "could not be read")


def _document(row) -> Document:
    d = Document(*row)
    d.message = shown(d.message or "")
    return d


@dataclass
class StoredChunk:
    id: int
    document_id: int
    path: str
    page: int | None
    heading: str
    start: int
    end: int
    text: str


class DocStore:
    """One connection per thread (SQLite objects are not shared across threads); WAL, foreign keys on."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._generation = 0  # bumped by every change of chunks: search caches key on it
        self._gen_lock = threading.Lock()
        try:
            self.db.executescript(SCHEMA)  # IF NOT EXISTS: safe to run every time (executescript commits itself)
            with self._tx() as db:
                row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is not None and int(row[0]) > SCHEMA_VERSION:
                    raise DocsError(translate("DocsStore", "{path} was made by a newer Hearth (schema "
                                                           "{schema}).").format(path=self.path, schema=row[0]))
                columns = {r[1] for r in db.execute("PRAGMA table_info(chunks)")}
                if "windows" not in columns:  # schema 1: its chunks keep working without windows until re-indexed
                    db.execute("ALTER TABLE chunks ADD COLUMN windows BLOB")
                db.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as exc:
            raise DocsError(translate("DocsStore", "The document index {path} cannot be opened: {error}.").format(
                path=self.path, error=exc)) from exc

    # ---- connections --------------------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    class _Tx:
        def __init__(self, store: "DocStore") -> None:
            self.store = store

        def __enter__(self) -> sqlite3.Connection:
            self.store.db.execute("BEGIN IMMEDIATE")
            return self.store.db

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                self.store.db.execute("COMMIT")
            else:
                self.store.db.execute("ROLLBACK")

    def _tx(self) -> "DocStore._Tx":
        return DocStore._Tx(self)

    @property
    def generation(self) -> int:
        return self._generation

    def _bump(self) -> None:
        with self._gen_lock:
            self._generation += 1

    # ---- collections ----------------------------------------------------------------------------------------------
    def create_collection(self, name: str, embed_model: str, query_prefix: str = "", doc_prefix: str = ""
                          ) -> Collection:
        name = name.strip()
        if not name:
            raise DocsError(translate("DocsStore", "A collection needs a name."))
        with self._tx() as db:
            if db.execute("SELECT 1 FROM collections WHERE name=?", (name,)).fetchone():
                raise DocsError(translate("DocsStore", "There is already a collection called {name!r}.").format(
                    name=name))
            db.execute("INSERT INTO collections(name, embed_model, query_prefix, doc_prefix, created) "
                       "VALUES(?,?,?,?,?)", (name, embed_model, query_prefix, doc_prefix, time.time()))
        return self.collection(name)

    def collection(self, name: str) -> Collection:
        row = self.db.execute("SELECT id, name, embed_model, dims, query_prefix, doc_prefix FROM collections "
                              "WHERE name=?", (name,)).fetchone()
        if row is None:
            names = ", ".join(c.name for c in self.collections()) or translate("DocsStore", "none yet")
            raise DocsError(translate("DocsStore", "No collection called {name!r} (collections: {names}).").format(
                name=name, names=names))
        return Collection(*row)

    def collections(self) -> list[Collection]:
        return [Collection(*r) for r in self.db.execute(
            "SELECT id, name, embed_model, dims, query_prefix, doc_prefix FROM collections ORDER BY name")]

    def set_embed_model(self, c: Collection, embed_model: str, query_prefix: str, doc_prefix: str) -> None:
        """Another embedding model: the old vectors cannot be compared with its, so every document is indexed
        again (its chunks go, its row goes back to pending)."""
        with self._tx() as db:
            ids = [r[0] for r in db.execute("SELECT c.id FROM chunks c JOIN documents d ON d.id=c.document_id "
                                            "WHERE d.collection_id=?", (c.id,))]
            db.executemany("DELETE FROM chunks_fts WHERE rowid=?", ((i,) for i in ids))
            db.execute("DELETE FROM chunks WHERE document_id IN (SELECT id FROM documents WHERE collection_id=?)",
                       (c.id,))
            db.execute("UPDATE documents SET status='pending', n_chunks=0, sha256='', message='' "
                       "WHERE collection_id=?", (c.id,))
            db.execute("UPDATE collections SET embed_model=?, dims=0, query_prefix=?, doc_prefix=? WHERE id=?",
                       (embed_model, query_prefix, doc_prefix, c.id))
        self._bump()

    def delete_collection(self, name: str) -> None:
        c = self.collection(name)
        with self._tx() as db:
            ids = [r[0] for r in db.execute("SELECT c.id FROM chunks c JOIN documents d ON d.id=c.document_id "
                                            "WHERE d.collection_id=?", (c.id,))]
            db.executemany("DELETE FROM chunks_fts WHERE rowid=?", ((i,) for i in ids))
            db.execute("DELETE FROM collections WHERE id=?", (c.id,))
        self._bump()

    # ---- sources and documents ----------------------------------------------------------------------------------
    def add_sources(self, c: Collection, paths: Iterable[Path]) -> None:
        with self._tx() as db:
            db.executemany("INSERT OR IGNORE INTO sources(collection_id, path) VALUES(?, ?)",
                           ((c.id, str(Path(p).expanduser().resolve())) for p in paths))

    def sources(self, c: Collection) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM sources WHERE collection_id=? ORDER BY path",
                                              (c.id,))]

    def remove_source(self, c: Collection, path: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM sources WHERE collection_id=? AND path=?", (c.id, path))

    def documents(self, c: Collection) -> list[Document]:
        return [_document(r) for r in self.db.execute(
            "SELECT id, collection_id, path, size, mtime, sha256, kind, pages, status, message, n_chunks, indexed_at "
            "FROM documents WHERE collection_id=? ORDER BY path", (c.id,))]

    def document(self, c: Collection, path: str) -> Document | None:
        r = self.db.execute("SELECT id, collection_id, path, size, mtime, sha256, kind, pages, status, message, "
                            "n_chunks, indexed_at FROM documents WHERE collection_id=? AND path=?",
                            (c.id, path)).fetchone()
        return _document(r) if r else None

    def mark(self, c: Collection, path: str, size: int, mtime: float, status: str, message: str = "",
             sha256: str = "") -> None:
        """A document's state without chunks (pending, or an error in words): its old chunks go."""
        with self._tx() as db:
            row = db.execute("SELECT id FROM documents WHERE collection_id=? AND path=?", (c.id, path)).fetchone()
            if row is not None:
                self._drop_chunks(db, row[0])
                db.execute("UPDATE documents SET size=?, mtime=?, sha256=?, status=?, message=?, n_chunks=0, "
                           "indexed_at=? WHERE id=?", (size, mtime, sha256, status, kept(message), time.time(), row[0]))
            else:
                db.execute("INSERT INTO documents(collection_id, path, size, mtime, sha256, status, message, "
                           "indexed_at) VALUES(?,?,?,?,?,?,?,?)",
                           (c.id, path, size, mtime, sha256, status, kept(message), time.time()))
        self._bump()

    def touch(self, c: Collection, path: str, size: int, mtime: float) -> None:
        """The file's size or time changed but its content did not (same hash): remember the new stat."""
        with self._tx() as db:
            db.execute("UPDATE documents SET size=?, mtime=? WHERE collection_id=? AND path=?",
                       (size, mtime, c.id, path))

    def forget(self, c: Collection, path: str) -> None:
        """A deleted file leaves the index."""
        with self._tx() as db:
            row = db.execute("SELECT id FROM documents WHERE collection_id=? AND path=?", (c.id, path)).fetchone()
            if row is not None:
                self._drop_chunks(db, row[0])
                db.execute("DELETE FROM documents WHERE id=?", (row[0],))
        self._bump()

    def save_document(self, c: Collection, path: str, size: int, mtime: float, sha256: str, kind: str, pages: int,
                      chunks: list, vectors, message: str = "", windows: list | None = None) -> None:
        """Replace a document's chunks in one transaction. ``chunks``: objects with text/page/heading/start/end;
        ``vectors``: a float32 array (len(chunks) x dims); ``windows``: per chunk, a float32 array (n x dims) of its
        sentence windows' vectors, or None."""
        import numpy as np

        vectors = np.asarray(vectors, dtype=np.float32)
        if len(chunks) != len(vectors):
            raise DocsError("internal: one vector per chunk")
        dims = int(vectors.shape[1]) if len(vectors) else 0
        windows = windows if windows is not None else [None] * len(chunks)
        if len(windows) != len(chunks):
            raise DocsError("internal: one list of window vectors per chunk")
        with self._tx() as db:
            have = db.execute("SELECT dims FROM collections WHERE id=?", (c.id,)).fetchone()[0]
            if dims and have and dims != have:
                raise DocsError(translate("DocsStore", "The embedding model changed ({old} → {new} dimensions): "
                                                       "index the collection again.").format(old=have, new=dims))
            if dims and not have:
                db.execute("UPDATE collections SET dims=? WHERE id=?", (dims, c.id))
                c.dims = dims
            row = db.execute("SELECT id FROM documents WHERE collection_id=? AND path=?", (c.id, path)).fetchone()
            if row is None:
                doc_id = db.execute("INSERT INTO documents(collection_id, path) VALUES(?, ?)", (c.id, path)).lastrowid
            else:
                doc_id = row[0]
                self._drop_chunks(db, doc_id)
            for i, (ch, vec, win) in enumerate(zip(chunks, vectors, windows)):
                win = None if win is None or len(win) == 0 else np.asarray(win, dtype=np.float32).tobytes()
                cid = db.execute("INSERT INTO chunks(document_id, ord, page, heading, start, end, text, vector, "
                                 "windows) VALUES(?,?,?,?,?,?,?,?,?)",
                                 (doc_id, i, ch.page, ch.heading, ch.start, ch.end, ch.text, vec.tobytes(),
                                  win)).lastrowid
                db.execute("INSERT INTO chunks_fts(rowid, body) VALUES(?, ?)",
                           (cid, fold(f"{ch.heading}\n{ch.text}" if ch.heading else ch.text)))
            db.execute("UPDATE documents SET size=?, mtime=?, sha256=?, kind=?, pages=?, status='indexed', message=?, "
                       "n_chunks=?, indexed_at=? WHERE id=?",
                       (size, mtime, sha256, kind, pages, kept(message), len(chunks), time.time(), doc_id))
        self._bump()

    @staticmethod
    def _drop_chunks(db: sqlite3.Connection, doc_id: int) -> None:
        ids = [r[0] for r in db.execute("SELECT id FROM chunks WHERE document_id=?", (doc_id,))]
        db.executemany("DELETE FROM chunks_fts WHERE rowid=?", ((i,) for i in ids))
        db.execute("DELETE FROM chunks WHERE document_id=?", (doc_id,))

    # ---- reading for search -------------------------------------------------------------------------------------
    def vectors(self, c: Collection):
        """(chunk ids, float32 matrix n x dims) of the collection's indexed chunks."""
        import numpy as np

        rows = self.db.execute("SELECT c.id, c.vector FROM chunks c JOIN documents d ON d.id=c.document_id "
                               "WHERE d.collection_id=? ORDER BY c.id", (c.id,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        if not rows:
            return ids, np.zeros((0, max(c.dims, 1)), dtype=np.float32)
        blob = b"".join(r[1] for r in rows)
        return ids, np.frombuffer(blob, dtype=np.float32).reshape(len(rows), -1)

    def window_vectors(self, c: Collection):
        """(owner chunk id per row, float32 matrix rows x dims): the sentence windows of the collection's chunks,
        ordered by chunk id (chunks without windows have no rows)."""
        import numpy as np

        rows = self.db.execute("SELECT c.id, c.windows FROM chunks c JOIN documents d ON d.id=c.document_id "
                               "WHERE d.collection_id=? AND c.windows IS NOT NULL ORDER BY c.id", (c.id,)).fetchall()
        dims = max(self.db.execute("SELECT dims FROM collections WHERE id=?", (c.id,)).fetchone()[0], 1)
        counts = [len(r[1]) // (4 * dims) for r in rows]
        owners = np.repeat(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)), counts)
        if not rows:
            return owners, np.zeros((0, dims), dtype=np.float32)
        return owners, np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(-1, dims)

    def keyword_ranks(self, c: Collection, query: str, limit: int = 50) -> list[int]:
        """Chunk ids matching any of the query's words, best (bm25) first (see :func:`match_expression`)."""
        match = match_expression(query)
        if not match:
            return []
        try:
            rows = self.db.execute(
                "SELECT f.rowid FROM chunks_fts f JOIN chunks c ON c.id=f.rowid JOIN documents d ON d.id=c.document_id "
                "WHERE chunks_fts MATCH ? AND d.collection_id=? ORDER BY bm25(chunks_fts) LIMIT ?",
                (match, c.id, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]

    def chunks(self, ids: list[int]) -> list[StoredChunk]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {r[0]: StoredChunk(*r) for r in self.db.execute(
            f"SELECT c.id, c.document_id, d.path, c.page, c.heading, c.start, c.end, c.text FROM chunks c "
            f"JOIN documents d ON d.id=c.document_id WHERE c.id IN ({marks})", ids)}
        return [rows[i] for i in ids if i in rows]

    def all_chunks(self, c: Collection, path: str) -> Iterator[StoredChunk]:
        yield from (StoredChunk(*r) for r in self.db.execute(
            "SELECT c.id, c.document_id, d.path, c.page, c.heading, c.start, c.end, c.text FROM chunks c "
            "JOIN documents d ON d.id=c.document_id WHERE d.collection_id=? AND d.path=? ORDER BY c.ord",
            (c.id, path)))


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text.lower())


# question words and function words of English and Turkish: they match everywhere and only add noise to bm25
STOPWORDS = frozenset("""
a about an and are as at be been but by can could did do does for from had has have how i if in into is it its
me my no not of on or our should so than that the their them then there these they this those to us was we were
what when where which who whom why will with would you your
acaba ama bir bu da daha de defa diye en gibi hangi hem icin ile ise kac kadar ki mi mu nasil ne neden nerede
niye o olan olarak sey su ve veya ya
""".split())
PREFIX = 5  # a longer word also matches words that share its first 5 letters: a crude stemmer that suits
# Turkish suffixes (kilidi/kilidini) and English endings (descale/descaling) alike


def match_expression(query: str) -> str:
    """The FTS5 query for a question: its content words (folded), each also as a 5-letter prefix, OR-ed."""
    terms: list[str] = []
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", fold(query)) if not unicodedata.combining(ch))
    for w in dict.fromkeys(_words(plain)):  # without diacritics, as FTS5 indexes them (remove_diacritics 2)
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        terms.append('"' + w + '"')
        if len(w) > PREFIX and not w.isdigit():
            terms.append('"' + w[:PREFIX] + '"*')
    return " OR ".join(terms)


def collection_names(path: Path) -> list[str]:
    """The collections' names (a quick read for pickers; [] when there is no index yet or it cannot be read)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            return [r[0] for r in conn.execute("SELECT name FROM collections ORDER BY name")]
        finally:
            conn.close()
    except sqlite3.Error:
        return []
