"""The document index with a stand-in embedder (a hashed bag of words: deterministic, no model), so these tests
are about the store, the indexer and the search, not about embeddings: files found under folders, one
transaction per file, changed/touched/added/deleted files, errors that do not stop the rest, pausing and
resuming, a change of embedding model, keyword search with Turkish casing, rank fusion, and the answer's
prompt budget and citations. The real embedding model (SmolLM2 in the engine process) is in test_docs_cli.py."""
from __future__ import annotations

import hashlib
import os
import re
import time

import numpy as np
import pytest

from app.core.docs import answer
from app.core.docs.indexer import Indexer, plan
from app.core.docs.search import Searcher
from app.core.docs.store import DocsError, DocStore, fold


class BagEmbedder:
    """Each word hashed into one of 4096 dimensions; a text's vector is its normalised word count."""

    query_prefix = doc_prefix = ""
    dims = 4096

    def __init__(self):
        self.embedded = 0

    def count(self, texts):
        return [len(t.split()) for t in texts]

    def _vec(self, text):
        v = np.zeros(self.dims, dtype=np.float32)
        for w in re.findall(r"\w+", fold(text).lower()):
            v[int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dims] += 1
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_documents(self, texts, should_stop=None):
        self.embedded += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dims), np.float32)

    def embed_query(self, text):
        return self._vec(text)

    def close(self):
        pass


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "notes"
    (d / "sub").mkdir(parents=True)
    (d / "coffee.md").write_text("# Coffee machine\n\n## Cleaning\n\nDescale the boiler every 90 days with citric "
                                 "acid.\n\n## Brewing\n\nUse 18 grams of coffee for a double shot.\n",
                                 encoding="utf-8")
    (d / "sub" / "bike.txt").write_text("Bicycle care.\n\nInflate the tyres to 4.5 bar before every ride.\n\n"
                                        "Oil the chain every 300 kilometres.\n", encoding="utf-8")
    (d / "istanbul.md").write_text("# Gezi notları\n\nİstanbul'da ılık bir gün geçirdik; Şişli'de kahve içtik.\n",
                                   encoding="utf-8")
    (d / ".hidden.md").write_text("secret", encoding="utf-8")
    (d / "picture.png").write_bytes(b"\x89PNG")
    return d


@pytest.fixture
def store(tmp_path):
    s = DocStore(tmp_path / "documents.sqlite3")
    yield s
    s.close()


def index(store, c, emb=None, **kw):
    return Indexer(store, c, emb or BagEmbedder(), max_tokens=64, **kw).run()


def test_a_folder_is_indexed_and_searched(store, folder):
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder])
    p = index(store, c)
    assert p.files_done == 3 and not p.errors and p.chunks_done >= 4  # hidden and unsupported files skipped
    docs = {os.path.basename(d.path): d for d in store.documents(c)}
    assert set(docs) == {"coffee.md", "bike.txt", "istanbul.md"} and all(d.status == "indexed" for d in docs.values())
    s = Searcher(store, BagEmbedder())
    hit = s.search(c, "How often do I descale the boiler?", k=3)[0]
    assert "90 days" in hit.chunk.text and hit.chunk.heading.endswith("Cleaning")
    assert hit.vector_rank is not None and hit.keyword_rank is not None  # found by both, fused
    for q in ("ISTANBUL", "istanbul", "İstanbul", "ılık", "ILIK", "sisli"):  # Turkish casing and diacritics
        assert "İstanbul'da" in s.search(c, q, k=1, mode="keyword")[0].chunk.text, q
    assert s.search(c, "tyres pressure bar", k=1, mode="vector")[0].chunk.path.endswith("bike.txt")
    with pytest.raises(DocsError, match="No collection called 'nope'"):
        store.collection("nope")


def test_changed_touched_added_and_deleted_files(store, folder):
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder])
    emb = BagEmbedder()
    index(store, c, emb)
    first = emb.embedded
    assert plan(store, c)[0].todo == []  # nothing changed: nothing to do
    bike = folder / "sub" / "bike.txt"
    os.utime(bike, (time.time() + 10, time.time() + 10))  # touched, same content: not embedded again
    index(store, c, emb)
    assert emb.embedded == first and plan(store, c)[0].todo == []
    (folder / "coffee.md").write_text("# Coffee machine\n\nDescale every 60 days now.\n", encoding="utf-8")
    (folder / "sub" / "new.md").write_text("# New\n\nA brand new note about kites.\n", encoding="utf-8")
    bike.unlink()
    p = index(store, c, emb)
    assert p.files_done == 2  # the changed and the added file
    paths = {os.path.basename(d.path) for d in store.documents(c)}
    assert paths == {"coffee.md", "new.md", "istanbul.md"}  # the deleted file left the index
    s = Searcher(store, BagEmbedder())
    assert "60 days" in s.search(c, "descale", k=1)[0].chunk.text
    assert not any("90 days" in h.chunk.text for h in s.search(c, "descale boiler 90 days", k=10))
    assert not s.search(c, "tyres chain kilometres", k=5, mode="keyword")


def test_bad_files_get_their_reason_and_the_rest_goes_on(store, folder):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage garbage")
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder, folder / "missing.md"])
    p = index(store, c)
    reasons = dict(p.errors)
    assert "empty" in reasons[str(folder / "empty.txt")]
    assert str(folder / "broken.pdf") in reasons and "Traceback" not in reasons[str(folder / "broken.pdf")]
    assert "not found" in reasons[str(folder / "missing.md")]
    states = {os.path.basename(d.path): d.status for d in store.documents(c)}
    assert states["empty.txt"] == "error" and states["coffee.md"] == "indexed" and states["bike.txt"] == "indexed"


def test_pause_and_resume_lose_nothing(store, folder):
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder])
    calls = []

    def stop_after_one():
        calls.append(1)
        return len([d for d in store.documents(c) if d.status == "indexed"]) >= 1

    p = index(store, c, should_stop=stop_after_one)
    assert p.stopped and p.files_done == 1
    assert len(store.documents(c)) == 1  # the file in progress was not stored half way
    p = index(store, c)
    assert p.files_done == 2 and not p.stopped
    assert sum(d.n_chunks for d in store.documents(c)) >= 4


def test_another_embedding_model_means_indexing_again(store, folder):
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder])
    index(store, c)
    store.set_embed_model(c, "other.gguf", "query: ", "passage: ")
    c = store.collection("notes")
    assert c.embed_model == "other.gguf" and c.dims == 0 and c.query_prefix == "query: "
    assert all(d.status == "pending" and d.n_chunks == 0 for d in store.documents(c))
    assert Searcher(store, BagEmbedder()).search(c, "descale", k=3) == []
    index(store, c)
    assert all(d.status == "indexed" for d in store.documents(c))

    class Wider(BagEmbedder):
        dims = 128

    with pytest.raises(DocsError, match="another embedding model"):
        Searcher(store, Wider()).search(c, "descale", k=3)


def test_the_prompt_budget_and_the_citations(store, folder):
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder])
    index(store, c)
    hits = Searcher(store, BagEmbedder()).search(c, "descale boiler coffee", k=5)
    count = lambda msgs: sum(len(m["content"].split()) for m in msgs)  # noqa: E731
    msgs, ps = answer.build_messages("How often?", [h.chunk for h in hits], count, budget=10_000)
    assert len(ps) == len(hits) and "[1] (coffee.md" in msgs[0]["content"] and msgs[-1]["content"] == "How often?"
    small, ps2 = answer.build_messages("How often?", [h.chunk for h in hits], count, budget=count(msgs) - 1)
    assert len(ps2) == len(hits) - 1  # the last passage did not fit
    everything = [ch for d in store.documents(c) for ch in store.all_chunks(c, d.path)]
    msgs, ps3 = answer.build_messages("How often?", [], count, budget=10_000, whole=everything)
    assert len(ps3) == len(everything)  # a small collection goes in whole
    text = "Descale it every 90 days [1]. Also see [1] and [7] [2]."
    cited = answer.citations(text, ps)
    assert [p.n for p in cited] == [1, 2]  # [7] points at nothing
    assert answer.strip_dangling(text, ps) == "Descale it every 90 days [1]. Also see [1] and  [2]."
    assert cited[0].to_dict()["file"].endswith("coffee.md")


def test_a_reply_without_citations_is_matched_to_the_passage_holding_its_words(store, folder):
    c = store.create_collection("notes", "bag")
    store.add_sources(c, [folder])
    index(store, c)
    chunks = [ch for d in store.documents(c) for ch in store.all_chunks(c, d.path)]
    ps = [answer.Passage(i + 1, ch) for i, ch in enumerate(chunks)]
    coffee = next(p for p in ps if "90 days" in p.chunk.text)
    assert answer.matching("You should descale the boiler every 90 days, using citric acid.", ps) is coffee
    istanbul = next(p for p in ps if "İstanbul" in p.chunk.text)
    assert answer.matching("ISTANBUL'DA ILIK bir gün; Şişli'de kahve.", ps) is istanbul  # folded like the index
    assert answer.matching("The documents do not say anything about the weather in Paris or Rome.", ps) is None
    assert answer.matching("Yes, it does.", ps) is None  # too few words to attribute
