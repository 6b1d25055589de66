"""Embeddings for documents: llama.cpp in an engine process of its own (apart from the chat's, so indexing and
chatting go on side by side), loaded with a GGUF embedding model, or any chat model (mean pooling of its last
layer; SmolLM2 is what the tests use).

Known embedding models want a prefix on queries and on documents; :func:`prefixes_for` knows the ones Hearth
offers among the starter picks (nomic-embed-text-v1.5, bge-small-en-v1.5, multilingual-e5-small); their pooling
comes from the GGUF file itself (llama.cpp reads ``<arch>.pooling_type``).
"""
from __future__ import annotations

from pathlib import Path

from app.core.engine.generation import LoadOptions

# (name fragment in the file name, query prefix, document prefix); the models' own documentation, as in the
# embedding models offered among the starter picks (resources/starter_picks.json, "kind": "embedding")
PREFIXES = (
    ("nomic-embed-text", "search_query: ", "search_document: "),
    ("bge-small-en", "Represent this sentence for searching relevant passages: ", ""),
    ("bge-base-en", "Represent this sentence for searching relevant passages: ", ""),
    ("multilingual-e5", "query: ", "passage: "),
    ("e5-small", "query: ", "passage: "),
)
BATCH = 16  # chunks per round trip to the engine process
CONTEXT = 1024  # a chunk is at most ~256 tokens (chunking.py) plus its heading and prefix


def prefixes_for(path: str | Path) -> tuple[str, str]:
    """(query prefix, document prefix) for an embedding model file; ('', '') for a chat model."""
    name = Path(path).name.lower()
    for fragment, query, doc in PREFIXES:
        if fragment in name:
            return query, doc
    return "", ""


class Embedder:
    """An engine process with the embedding model loaded on first use."""

    def __init__(self, model_path: str | Path, threads: int = 0, engine=None) -> None:
        from app.core.engine.process import EngineProcess

        self.model_path = Path(model_path)
        self.threads = threads
        self.engine = engine or EngineProcess()
        self.query_prefix, self.doc_prefix = prefixes_for(self.model_path)

    @classmethod
    def for_collection(cls, c, threads: int = 0) -> "Embedder":
        """The collection's embedding model with the prefixes the collection was made with."""
        e = cls(c.embed_model, threads=threads)
        e.query_prefix, e.doc_prefix = c.query_prefix, c.doc_prefix
        return e

    def _ready(self):
        if not self.engine.loaded:
            self.engine.load(self.model_path, LoadOptions(n_ctx=CONTEXT, n_threads=self.threads, n_batch=512))
        return self.engine

    @property
    def dims(self) -> int:
        return self._ready().info.n_embd

    def count(self, texts: list[str]) -> list[int]:
        """Each text's length in the model's tokens (one round trip)."""
        if not texts:
            return []
        return self._ready().count_texts(texts)

    def embed_documents(self, texts: list[str], should_stop=None):
        """A float32 matrix, one L2-normalised row per text (with the model's document prefix); None when
        ``should_stop()`` said so between batches."""
        import numpy as np

        engine = self._ready()
        rows = []
        for i in range(0, len(texts), BATCH):
            if should_stop is not None and should_stop():
                return None
            rows.extend(engine.embed([self.doc_prefix + t for t in texts[i:i + BATCH]]))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1) if rows else \
            np.zeros((0, self.dims), dtype=np.float32)

    def embed_query(self, text: str):
        import numpy as np

        return np.asarray(self._ready().embed([self.query_prefix + text])[0], dtype=np.float32)

    def close(self) -> None:
        self.engine.unload()
