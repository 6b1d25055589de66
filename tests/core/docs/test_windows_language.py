"""Two parts of document search that the recall figure rests on (benchmarks/docs_retrieval.py):

- sentence windows: each chunk's sentences, two at a time, get vectors of their own beside the chunk's, and a chunk
  scores the mean of its own cosine and its best window's, so one matching sentence in a long passage counts;
- the language rule: an embedding model that declares its languages (GGUF ``general.languages``) is not asked to
  rank questions clearly in another language; those are ranked by keywords alone.

Hand-made vectors and a tiny GGUF file made here with the ``gguf`` package (metadata only: it proves Hearth reads
``general.languages`` from a file, not what any real model declares; the real SmolLM2 file is checked too)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import pytest

from app.core.docs.chunking import sentence_windows
from app.core.docs.language import guess_language, model_languages, vectors_understand
from app.core.docs.search import Searcher
from app.core.docs.store import SCHEMA_VERSION, DocStore

DIMS = 32


@dataclass
class Passage:
    text: str
    page: int | None = None
    heading: str = ""
    start: int = 0
    end: int = 0


class FixedEmbedder:
    """Returns one given vector for every query."""

    query_prefix = doc_prefix = ""

    def __init__(self, q, model_path=""):
        self.q = np.asarray(q, dtype=np.float32)
        self.model_path = model_path

    def embed_query(self, text):
        return self.q


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_sentence_windows_pair_each_sentence_with_the_next():
    text = ("The boiler must be descaled every ninety days. Use citric acid for it.\n"
            "Never use vinegar on the seals! Ok. Rinse twice with clean water afterwards?")
    assert sentence_windows(text) == [
        "The boiler must be descaled every ninety days. Use citric acid for it.",
        "Use citric acid for it. Never use vinegar on the seals!",
        "Never use vinegar on the seals! Rinse twice with clean water afterwards?",  # "Ok." is too short to count
        "Rinse twice with clean water afterwards?",
    ]
    assert sentence_windows("One sentence only, nothing to pair it with.") == []
    assert sentence_windows("") == []


def test_the_best_window_lifts_a_passage_whose_whole_vector_misses(tmp_path):
    rng = np.random.default_rng(3)
    q = unit(rng.normal(size=DIMS))
    noise = [unit(rng.normal(size=DIMS)) for _ in range(40)]
    diluted = unit(noise[0] - (noise[0] @ q) * q)  # the long passage as a whole: nothing of the question in it
    mild = unit(0.6 * q + noise[1])  # a passage somewhat like the question all through
    others = noise[8:]

    def build(name, with_windows):
        s = DocStore(tmp_path / f"{name}.sqlite3")
        c = s.create_collection("c", "bag")
        chunks = [Passage("long"), Passage("mild")] + [Passage(f"other {i}") for i in range(len(others))]
        vectors = np.stack([diluted, mild, *others])
        windows = None
        if with_windows:  # the long passage has one sentence pair that says what the question asks
            windows = [np.stack([noise[6], q, noise[7]]), None] + [None] * len(others)
        s.save_document(c, "/doc.md", 1, 1.0, "", "markdown", 0, chunks, vectors, windows=windows)
        return s, s.collection("c")

    plain, pc = build("plain", False)
    ranked = [h.chunk.text for h in Searcher(plain, FixedEmbedder(q)).search(pc, "q", k=3, mode="vector")]
    assert ranked[0] == "mild" and "long" not in ranked[:2]

    win, wc = build("win", True)
    owners, wmat = win.window_vectors(wc)
    assert wmat.shape == (3, DIMS) and len(set(owners.tolist())) == 1  # three windows, all of the long passage
    ranked = [h.chunk.text for h in Searcher(win, FixedEmbedder(q)).search(wc, "q", k=3, mode="vector")]
    assert ranked[0] == "long"
    plain.close()
    win.close()


def test_an_index_of_schema_1_opens_and_searches_without_windows(tmp_path):
    path = tmp_path / "documents.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES('schema', '1');
        CREATE TABLE collections(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, embed_model TEXT NOT NULL,
            dims INTEGER NOT NULL DEFAULT 0, query_prefix TEXT NOT NULL DEFAULT '', doc_prefix TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL);
        CREATE TABLE documents(id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, path TEXT NOT NULL,
            size INTEGER NOT NULL DEFAULT 0, mtime REAL NOT NULL DEFAULT 0, sha256 TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '', pages INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'pending',
            message TEXT NOT NULL DEFAULT '', n_chunks INTEGER NOT NULL DEFAULT 0, indexed_at REAL NOT NULL DEFAULT 0,
            UNIQUE(collection_id, path));
        CREATE TABLE chunks(id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, ord INTEGER NOT NULL, page INTEGER,
            heading TEXT NOT NULL DEFAULT '', start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            vector BLOB NOT NULL);
        CREATE VIRTUAL TABLE chunks_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO collections VALUES(1, 'old', 'bag', 2, '', '', 0);
        INSERT INTO documents(id, collection_id, path, status, n_chunks) VALUES(1, 1, '/a.md', 'indexed', 1);
    """)
    db.execute("INSERT INTO chunks VALUES(1, 1, 0, NULL, '', 0, 20, 'descale the boiler', ?)",
               (np.array([1, 0], dtype=np.float32).tobytes(),))
    db.execute("INSERT INTO chunks_fts(rowid, body) VALUES(1, 'descale the boiler')")
    db.commit()
    db.close()

    store = DocStore(path)
    assert store.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == str(SCHEMA_VERSION)
    c = store.collection("old")
    owners, wmat = store.window_vectors(c)
    assert len(owners) == 0 and wmat.shape == (0, 2)
    hits = Searcher(store, FixedEmbedder([1, 0])).search(c, "descale", k=3)
    assert [h.chunk.text for h in hits] == ["descale the boiler"] and hits[0].vector_rank == 1
    store.close()


@pytest.mark.parametrize("text, lang", [
    ("How long do I hold the reset button?", "en"),
    ("What is the late fee?", "en"),
    ("Kira bedeli her ayın kaçına kadar ödenir?", "tr"),
    ("Kombide F1 hata kodu ne demektir?", "tr"),  # no Turkish-only letter: its function words say it
    ("İlk üç ayda ciro ne kadar büyüdü?", "tr"),
    ("Brevio CM-300", None),  # nothing to tell by
    ("Wie lange dauert die Garantie?", None),  # another language: not claimed as English
])
def test_guess_language(text, lang):
    assert guess_language(text) == lang


def _gguf_with_languages(path, langs):
    import gguf

    w = gguf.GGUFWriter(str(path), "llama")
    if langs is not None:
        w.add_array("general.languages", langs)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def test_the_vector_ranking_is_left_out_for_a_language_the_model_does_not_declare(tmp_path):
    english = _gguf_with_languages(tmp_path / "english.gguf", ["en"])
    silent = _gguf_with_languages(tmp_path / "silent.gguf", None)
    assert model_languages(str(english)) == {"en"} and model_languages(str(silent)) == frozenset()
    assert model_languages(str(tmp_path / "missing.gguf")) == frozenset()
    assert not vectors_understand(str(english), "Kira bedeli ne zaman ödenir?")
    assert vectors_understand(str(english), "When is the rent due?")
    assert vectors_understand(str(silent), "Kira bedeli ne zaman ödenir?")

    store = DocStore(tmp_path / "documents.sqlite3")
    c = store.create_collection("c", str(english))
    chunks = [Passage("kira bedeli her ayın beşine kadar ödenir"), Passage("the boiler and the kettle")]
    store.save_document(c, "/k.md", 1, 1.0, "", "markdown", 0, chunks, np.stack([unit([1, 0]), unit([0, 1])]))
    c = store.collection("c")
    q = "Kira bedeli ne zaman ödenir?"
    hits = Searcher(store, FixedEmbedder([0, 1], english)).search(c, q, k=5)
    assert [h.chunk.text for h in hits] == [chunks[0].text] and hits[0].vector_rank is None  # keywords alone
    hits = Searcher(store, FixedEmbedder([0, 1], silent)).search(c, q, k=5)
    assert {h.chunk.text for h in hits} == {ch.text for ch in chunks}  # trusted: the vector ranking counts
    assert Searcher(store, FixedEmbedder([0, 1], english)).search(c, q, k=1, mode="vector")[0].chunk.text == \
        "the boiler and the kettle"  # "vector" alone still means vectors (the benchmark reports it)
    store.close()


def test_smollm2_declares_english(starter_model):
    assert model_languages(str(starter_model)) == {"en"}
