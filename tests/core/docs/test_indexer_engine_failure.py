"""An embedding model that cannot be loaded (or an engine that dies) stops the run with the engine's message;
the files are not marked as unreadable, so the next run with a working model indexes them."""
from __future__ import annotations

import pytest

from app.core.docs.indexer import Indexer
from app.core.docs.store import DocStore
from app.core.engine import EngineError
from tests.core.docs.test_index_search import BagEmbedder


class BrokenEmbedder(BagEmbedder):
    def count(self, texts):
        raise EngineError("model.gguf is not a usable GGUF model: truncated")


def test_an_engine_failure_stops_the_run_and_marks_no_file(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\nSome text about kites.\n", encoding="utf-8")
    store = DocStore(tmp_path / "documents.sqlite3")
    c = store.create_collection("c", "model.gguf")
    store.add_sources(c, [tmp_path / "a.md"])
    with pytest.raises(EngineError, match="not a usable GGUF"):
        Indexer(store, c, BrokenEmbedder()).run()
    assert store.documents(c) == []  # nothing marked "could not be indexed"
    assert Indexer(store, c, BagEmbedder()).run().files_done == 1
    store.close()
