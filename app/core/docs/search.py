"""Finding the passages that answer a question: vector similarity (the query's embedding against every chunk's,
numpy) fused with FTS5's bm25 keyword ranking by reciprocal rank fusion (RRF, k = 60, equal weights). ``mode``
"vector" or "keyword" uses one of the two alone (the benchmark reports all three).

- A chunk's vector score is the mean of two cosines: the question against the whole chunk and against the chunk's
  best sentence window (two sentences, :func:`app.core.docs.chunking.sentence_windows`). Vectors are centred on
  their collection's mean first (a language model's hidden states share one large common direction).
- The vector ranking is left out when the question is clearly in a language the embedding model does not declare
  (:mod:`app.core.docs.language`): SmolLM2 is English-only, and its ranking of Turkish questions is noise that
  buries the right keyword hits.

Measured on benchmarks/data/docs_eval with SmolLM2 (see the README's table): hybrid recall@5 0.779 with chunk
vectors and a 0.3 vector weight, 0.882 with windows, the language rule and equal weights.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from app.core.docs.language import vectors_understand
from app.core.docs.store import Collection, DocStore, StoredChunk

RRF_K = 60
CANDIDATES = 50  # from each ranking, before fusion
WINDOW_SHARE = 0.5  # a chunk's vector score: (1 - share) * whole chunk + share * its best window


@dataclass
class Hit:
    chunk: StoredChunk
    score: float
    vector_rank: int | None = None  # 1-based rank in the vector ranking (None: not among its candidates)
    keyword_rank: int | None = None


class Searcher:
    def __init__(self, store: DocStore, embedder) -> None:
        self.store = store
        self.embedder = embedder
        self._cache: dict[int, tuple[int, object, object]] = {}  # collection id -> (generation, ids, matrix)
        self._lock = threading.Lock()

    def _matrix(self, c: Collection):
        """The collection's vectors, centred on their mean and normalised again, cached until the index changes:
        (chunk ids, chunk matrix, chunk mean, window row -> chunk index, window matrix, window mean)."""
        import numpy as np

        with self._lock:
            cached = self._cache.get(c.id)
            if cached is not None and cached[0] == self.store.generation:
                return cached[1]
        gen = self.store.generation
        ids, mat = self.store.vectors(c)
        centred, mean = _centred(mat)
        owners, wmat = self.store.window_vectors(c)
        wcentred, wmean = _centred(wmat)
        where = np.searchsorted(ids, owners) if len(ids) else np.zeros(0, dtype=np.int64)
        entry = (ids, centred, mean, where, wcentred, wmean)
        with self._lock:
            self._cache[c.id] = (gen, entry)
        return entry

    def vector_scores(self, c: Collection, query: str):
        """(chunk ids, each chunk's vector score for the query)."""
        import numpy as np

        ids, mat, mean, where, wmat, wmean = self._matrix(c)
        if len(ids) == 0:
            return ids, np.zeros(0, dtype=np.float32)
        q = self.embedder.embed_query(query)
        if mat.shape[1] != q.shape[0]:
            from app.core.docs.store import DocsError
            from app.core.i18n import translate

            raise DocsError(translate("DocsSearch", "The collection {name!r} was indexed with another embedding model "
                                                    "({indexed} dimensions, this one has {dims}): index it "
                                                    "again.").format(name=c.name, indexed=mat.shape[1],
                                                                     dims=q.shape[0]))
        scores = mat @ _unit(q - mean)
        if len(where):
            best = np.full(len(ids), -np.inf, dtype=np.float32)
            np.maximum.at(best, where, wmat @ _unit(q - wmean))
            best = np.where(np.isfinite(best), best, scores)  # a chunk without windows: its own cosine
            scores = (1 - WINDOW_SHARE) * scores + WINDOW_SHARE * best
        return ids, scores

    def vector_ranks(self, c: Collection, query: str, limit: int = CANDIDATES) -> list[int]:
        import numpy as np

        ids, scores = self.vector_scores(c, query)
        if len(ids) == 0:
            return []
        n = min(limit, len(ids))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [int(ids[i]) for i in top]

    def search(self, c: Collection, query: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        use_vectors = mode == "vector" or (mode == "hybrid" and vectors_understand(
            getattr(self.embedder, "model_path", ""), query))
        vec = self.vector_ranks(c, query) if use_vectors else []
        kw = self.store.keyword_ranks(c, query, CANDIDATES) if mode in ("hybrid", "keyword") else []
        scores: dict[int, float] = {}
        vrank = {cid: i + 1 for i, cid in enumerate(vec)}
        krank = {cid: i + 1 for i, cid in enumerate(kw)}
        for ranks in (vrank, krank):
            for cid, r in ranks.items():
                scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + r)
        best = sorted(scores, key=lambda cid: -scores[cid])[:k]
        chunks = {ch.id: ch for ch in self.store.chunks(best)}
        return [Hit(chunks[cid], scores[cid], vrank.get(cid), krank.get(cid)) for cid in best if cid in chunks]


def _unit(v):
    import numpy as np

    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _centred(mat):
    """(rows minus their mean, each normalised; the mean)."""
    import numpy as np

    if len(mat) == 0:
        return mat, np.zeros(mat.shape[1], dtype=np.float32)
    mean = mat.mean(axis=0)
    centred = mat - mean
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    centred /= np.where(norms > 0, norms, 1.0)
    return centred, mean
