"""A conversation with a document collection attached: before each reply, the user's question is searched in the
collection and the passages that fit go into the system message (``answer.build_messages``); the passages given
come back so the chat can show them and check the reply's citations.

Used on the engine worker's thread (one ``DocStore`` connection per thread); the embedding model runs in an engine
process of its own, kept while the same collection model is in use and closed by :meth:`Retriever.close`.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from app.core.docs import answer
from app.core.docs.store import DocsError, DocStore
from app.core.i18n import translate

log = logging.getLogger("hearth.docs")

PASSAGE_SHARE = 0.6  # of the context left after the reply's reserve: the rest stays for the conversation
WHOLE_BELOW = 64  # a collection of at most this many chunks may go into the prompt whole (when it fits)
K = 6


class Retriever:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self._store: DocStore | None = None
        self._embedder = None
        self._search = None

    def _db(self) -> DocStore:
        if self._store is None:
            if not self.db_path.exists():
                raise DocsError(translate("DocsRetrieval", "There are no document collections yet (Documents page)."))
            self._store = DocStore(self.db_path)
        return self._store

    def _searcher(self, c):
        """The search over ``c`` with its embedding model (the engine process kept while the model stays the same)."""
        from app.core.docs.embedder import Embedder
        from app.core.docs.search import Searcher

        if self._embedder is None or str(self._embedder.model_path) != c.embed_model:
            self.close_embedder()
            if not Path(c.embed_model).is_file():
                raise DocsError(translate("DocsRetrieval", "The collection's embedding model {model} is missing "
                                                           "(moved or deleted?): pick another one for the collection "
                                                           "on the Documents page.").format(
                    model=Path(c.embed_model).name))
            self._embedder = Embedder.for_collection(c)
            self._search = Searcher(self._db(), self._embedder)
        self._embedder.query_prefix, self._embedder.doc_prefix = c.query_prefix, c.doc_prefix
        return self._search

    def augment(self, messages: list[dict], collection: str, count: Callable[[list[dict]], int], n_ctx: int,
                reserve: int) -> tuple[list[dict], list[answer.Passage]]:
        """``messages`` (the conversation, the last one the user's question) with the passages in front: a
        system message (the conversation's own system prompt kept, first) and the numbered passages."""
        store = self._db()
        c = store.collection(collection)
        searcher = self._searcher(c)
        question = messages[-1]["content"]
        own_system = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
        history = [m for m in messages[:-1] if m["role"] != "system"]
        hits = searcher.search(c, question, k=K)
        docs = store.documents(c)
        whole = None
        if sum(d.n_chunks for d in docs) <= WHOLE_BELOW:
            whole = [ch for d in docs for ch in store.all_chunks(c, d.path)]
        budget = int((n_ctx - reserve) * PASSAGE_SHARE)
        msgs, passages = answer.build_messages(question, [h.chunk for h in hits], count, budget, whole=whole)
        system = msgs[0]["content"]
        if own_system.strip():
            system = own_system.strip() + "\n\n" + system
        out = [{"role": "system", "content": system}, *history, messages[-1]]
        return out, passages

    def close_embedder(self) -> None:
        if self._embedder is not None:
            try:
                self._embedder.close()
            except Exception:  # an engine process that already died
                log.exception("closing the embedding engine")
        self._embedder = None
        self._search = None

    def close(self) -> None:
        self.close_embedder()
        if self._store is not None:
            self._store.close()
            self._store = None
