"""Chat with your documents: text extraction, chunking, embeddings in an engine process, the SQLite index (vectors
and FTS5), hybrid search and answers with citations. See README.md here for the map."""
from app.core.docs.store import Collection, DocsError, DocStore, fold  # noqa: F401

__all__ = ["Collection", "DocsError", "DocStore", "fold"]
