"""Finding the passages that answer a question: vector similarity (the query's embedding against every chunk's,
numpy) fused with FTS5's bm25 keyword ranking by reciprocal rank fusion (RRF, k = 60). ``mode`` "vector" or
"keyword" uses one of the two alone (the benchmark reports all three)."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from app.core.docs.store import Collection, DocStore, StoredChunk

RRF_K = 60
CANDIDATES = 50  # from each ranking, before fusion
# how much each ranking counts in the fusion: with SmolLM2's mean-pooled vectors (English-only, weak on
# paraphrases) the keyword ranking is the surer one; measured on benchmarks/data/docs_eval (hybrid recall@5 0.69
# with equal weights, 0.76 with these; see the README's table)
WEIGHTS = {"vector": 0.3, "keyword": 1.0}


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
        """(chunk ids, the collection's vectors centred on their mean and normalised again, the mean). A language
        model's hidden states share one large common direction; taking it out before the cosine makes the
        differences between passages count (measured on benchmarks/data/docs_eval: vector recall@5 0.456 ->
        0.471, paraphrases 0.46 -> 0.58)."""
        import numpy as np

        with self._lock:
            cached = self._cache.get(c.id)
            if cached is not None and cached[0] == self.store.generation:
                return cached[1], cached[2], cached[3]
        gen = self.store.generation
        ids, mat = self.store.vectors(c)
        mean = mat.mean(axis=0) if len(mat) else np.zeros(mat.shape[1], dtype=np.float32)
        centred = mat - mean
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        centred /= np.where(norms > 0, norms, 1.0)
        with self._lock:
            self._cache[c.id] = (gen, ids, centred, mean)
        return ids, centred, mean

    def vector_ranks(self, c: Collection, query: str, limit: int = CANDIDATES) -> list[int]:
        import numpy as np

        ids, mat, mean = self._matrix(c)
        if len(ids) == 0:
            return []
        q = self.embedder.embed_query(query)
        if mat.shape[1] != q.shape[0]:
            from app.core.docs.store import DocsError

            raise DocsError(f"The collection {c.name!r} was indexed with another embedding model "
                            f"({mat.shape[1]} dimensions, this one has {q.shape[0]}): index it again.")
        q = q - mean
        scores = mat @ (q / (np.linalg.norm(q) or 1.0))
        n = min(limit, len(ids))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [int(ids[i]) for i in top]

    def search(self, c: Collection, query: str, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        vec = self.vector_ranks(c, query) if mode in ("hybrid", "vector") else []
        kw = self.store.keyword_ranks(c, query, CANDIDATES) if mode in ("hybrid", "keyword") else []
        scores: dict[int, float] = {}
        vrank = {cid: i + 1 for i, cid in enumerate(vec)}
        krank = {cid: i + 1 for i, cid in enumerate(kw)}
        for weight, ranks in ((WEIGHTS["vector"], vrank), (WEIGHTS["keyword"], krank)):
            for cid, r in ranks.items():
                scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + r)
        best = sorted(scores, key=lambda cid: -scores[cid])[:k]
        chunks = {ch.id: ch for ch in self.store.chunks(best)}
        return [Hit(chunks[cid], scores[cid], vrank.get(cid), krank.get(cid)) for cid in best if cid in chunks]
