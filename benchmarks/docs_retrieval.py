"""Chat with your documents (issue 16): retrieval quality, indexing speed and query latency, in one run.

1. **Recall@5** on benchmarks/data/docs_eval (36 documents, 8 Turkish; 68 questions: literal, paraphrased,
   Turkish): the eval documents indexed with SmolLM2 (mean pooling) in the engine process; a question scores a hit
   when one of its 5 best chunks is in the right file and its character span overlaps the answer's. Reported for
   hybrid (vector + FTS5 bm25, reciprocal rank fusion, what Hearth uses), vector only and keyword only, per kind,
   with the mean reciprocal rank. Target: hybrid recall@5 >= 0.85.
2. **Indexing throughput**: chunks/s and tokens/s while indexing the set, beside llama.cpp's own prompt speed
   (``llama-bench -p 256 -n 0``, same build and threads): embedding is a prompt pass over every chunk, so that is
   the ceiling. The index is kept in .cache/bench/ and only changed files are indexed again (``--fresh``: all).
3. **Query latency at 10,000 chunks**: the indexed chunks copied into one collection until it holds 10,000 (their
   texts and vectors, each copy's vector slightly perturbed), then every question: embedding the question, the
   vector ranking (numpy), FTS5 bm25, fusion and reading the passages. Target: <= 150 ms.

``python -m benchmarks docs_retrieval`` (``python -m benchmarks.docs_retrieval --fresh`` indexes everything again).
"""
from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from benchmarks._common import ROOT, model, save

DATA = Path(__file__).resolve().parent / "data" / "docs_eval"
CACHE = ROOT / ".cache" / "bench"
TARGET_RECALL = 0.85
TARGET_MS = 150
BIG = 10_000


def answer_range(doc_text: str, span: str) -> tuple[int, int] | None:
    m = re.search(r"\s+".join(re.escape(w) for w in span.split()), doc_text)
    return (m.start(), m.end()) if m else None


def main(argv: list[str]) -> int:
    import numpy as np

    from app.core.docs.embedder import Embedder
    from app.core.docs.extract import extract
    from app.core.docs.indexer import Indexer
    from app.core.docs.search import Searcher
    from app.core.docs.store import DocStore
    from app.core.engine import physical_cores

    smol = model("SmolLM2-135M-Instruct.Q4_1.gguf")
    threads = physical_cores()
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"docs_eval-{os.environ.get('HEARTH_DOCS_CHUNK_TOKENS', '256')}.sqlite3"
    if "--fresh" in argv:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    store = DocStore(db)
    names = {c.name for c in store.collections()}
    c = store.collection("eval") if "eval" in names else store.create_collection("eval", str(smol))
    store.add_sources(c, [DATA / "docs"])
    embedder = Embedder(smol, threads=threads)
    t0 = time.perf_counter()
    p = Indexer(store, c, embedder, max_tokens=int(os.environ.get("HEARTH_DOCS_CHUNK_TOKENS", "256"))).run()
    took = time.perf_counter() - t0
    indexing = None
    if p.chunks_done:
        from app.core.docs.chunking import sentence_windows

        texts = [t for d in store.documents(c) for ch in store.all_chunks(c, d.path)
                 for t in [f"{ch.heading}\n{ch.text}" if ch.heading else ch.text, *sentence_windows(ch.text)]]
        tokens = sum(embedder.count(texts))  # every text embedded: the chunks and their sentence windows
        indexing = {"files": p.files_done, "chunks": p.chunks_done, "seconds": round(took, 1),
                    "chunks_per_s": round(p.chunks_done / took, 2), "tokens_per_s": round(tokens / took, 1)}
        try:
            from benchmarks.llama_bench import build
            import subprocess

            r = subprocess.run([str(build()), "-m", str(smol), "-p", "256", "-n", "0", "-t", str(threads), "-r", "3",
                                "-fa", "off", "-o", "json"], capture_output=True, text=True, check=True)
            indexing["llama_bench_pp256_tokens_per_s"] = round(float(json.loads(r.stdout)[0]["avg_ts"]), 1)
        except Exception as exc:  # no compiler here: the figure stands alone
            indexing["llama_bench_error"] = str(exc)[:200]
    c = store.collection("eval")

    # ---- 1. recall@5 --------------------------------------------------------------------------------------------
    questions = json.loads((DATA / "questions.json").read_text(encoding="utf-8"))
    texts = {}
    for q in questions:
        path = str((DATA / q["file"]).resolve())
        if path not in texts:
            texts[path] = extract(Path(path)).text
    searcher = Searcher(store, embedder)
    results: dict[str, dict] = {}
    for mode in ("hybrid", "vector", "keyword"):
        hits, rr, per_kind = 0, 0.0, {}
        for q in questions:
            path = str((DATA / q["file"]).resolve())
            rng = answer_range(texts[path], q["answer_span"])
            found = searcher.search(c, q["question"], k=5, mode=mode)
            rank = next((i + 1 for i, h in enumerate(found) if h.chunk.path == path and rng is not None
                         and h.chunk.start < rng[1] and h.chunk.end > rng[0]), None)
            k = per_kind.setdefault(q["kind"], [0, 0])
            k[1] += 1
            if rank:
                hits += 1
                rr += 1 / rank
                k[0] += 1
        results[mode] = {"recall_at_5": round(hits / len(questions), 3), "mrr": round(rr / len(questions), 3),
                         "by_kind": {kind: round(h / n, 3) for kind, (h, n) in per_kind.items()}}

    # ---- 3. query latency at 10,000 chunks ---------------------------------------------------------------------
    big_db = CACHE / "docs_big.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(big_db) + suffix).unlink(missing_ok=True)
    big = DocStore(big_db)
    bc = big.create_collection("big", str(smol))
    rows = [(ch, vec, win) for d in store.documents(c) for ch, (vec, win) in zip(
        store.all_chunks(c, d.path), _vectors(store, c, d.path))]
    rng = np.random.default_rng(7)
    copies = -(-BIG // len(rows))
    n = 0

    def jitter(m):
        m = m + rng.normal(0, 0.01, m.shape).astype(np.float32)
        return m / np.linalg.norm(m, axis=-1, keepdims=True)

    for i in range(copies):
        chunks, vecs, wins = [], [], []
        for ch, vec, win in rows:
            if n >= BIG:
                break
            chunks.append(ch)
            vecs.append(jitter(vec))
            wins.append(None if win is None else jitter(win))
            n += 1
        if chunks:
            big.save_document(bc, f"/copy{i}.md", 0, 0.0, "", "markdown", 0, chunks, np.stack(vecs), windows=wins)
    bc = big.collection("big")
    big_search = Searcher(big, embedder)
    big_search.search(bc, "warm up", k=5)  # the matrix is read once, then cached until the index changes
    ms = []
    for q in questions:
        t = time.perf_counter()
        big_search.search(bc, q["question"], k=5)
        ms.append((time.perf_counter() - t) * 1000)
    embed_ms = []
    for q in questions[:20]:
        t = time.perf_counter()
        embedder.embed_query(q["question"])
        embed_ms.append((time.perf_counter() - t) * 1000)
    embedder.close()
    latency = {"chunks": n, "median_ms": round(statistics.median(ms), 1),
               "p95_ms": round(sorted(ms)[int(0.95 * (len(ms) - 1))], 1), "max_ms": round(max(ms), 1),
               "of_which_query_embedding_median_ms": round(statistics.median(embed_ms), 1)}

    print(f"eval set: {len(store.documents(c))} documents, "
          f"{sum(d.n_chunks for d in store.documents(c))} chunks, {len(questions)} questions")
    for mode, r in results.items():
        print(f"  {mode:7} recall@5 {r['recall_at_5']:.3f}  MRR {r['mrr']:.3f}  {r['by_kind']}")
    if indexing:
        base = indexing.get("llama_bench_pp256_tokens_per_s")
        print(f"indexing: {indexing['chunks']} chunks in {indexing['seconds']} s = {indexing['chunks_per_s']} "
              f"chunks/s, {indexing['tokens_per_s']} tokens/s" + (f" (llama-bench pp256: {base} tokens/s)"
                                                                 if base else ""))
    print(f"query latency at {n:,} chunks: median {latency['median_ms']} ms, p95 {latency['p95_ms']} ms, max "
          f"{latency['max_ms']} ms (target <= {TARGET_MS} ms; embedding the question: "
          f"{latency['of_which_query_embedding_median_ms']} ms)")
    out = save("docs_retrieval", {"threads": threads, "retrieval": results, "indexing": indexing,
                                  "latency": latency})
    print(f"saved {out}")
    return 0 if results["hybrid"]["recall_at_5"] >= TARGET_RECALL and latency["p95_ms"] <= TARGET_MS else 1


def _vectors(store, c, path):
    """(vector, window matrix or None) of each of a document's chunks."""
    import numpy as np

    rows = store.db.execute("SELECT c.vector, c.windows FROM chunks c JOIN documents d ON d.id=c.document_id "
                            "WHERE d.collection_id=? AND d.path=? ORDER BY c.ord", (c.id, path)).fetchall()
    out = []
    for vec, win in rows:
        v = np.frombuffer(vec, dtype=np.float32)
        out.append((v, None if win is None else np.frombuffer(win, dtype=np.float32).reshape(-1, len(v))))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
