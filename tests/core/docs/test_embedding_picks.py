"""The embedding models offered among the starter picks (for the Documents page): each with its prefixes and
pooling, the same prefixes the embedder uses for its file name; and never taken for a chat model (the Hardware
page's "what can I run well" and the fit verdicts read chat picks only)."""
from __future__ import annotations

import json

from app.core.docs.embedder import prefixes_for
from app.core.fit.starter_picks import load_picks, picks_path


def test_embedding_picks_have_prefixes_and_are_not_chat_models():
    models = json.loads(picks_path().read_text(encoding="utf-8"))["models"]
    emb = {m["id"]: m for m in models if m.get("kind") == "embedding"}
    assert set(emb) == {"nomic-embed-text-v1.5", "bge-small-en-v1.5", "multilingual-e5-small"}
    for m in emb.values():
        assert m["pooling"] in ("mean", "cls") and m["quants"] and m["repo_id"].count("/") == 1
        for q in m["quants"]:
            assert prefixes_for(q["file"]) == (m["query_prefix"], m["doc_prefix"]), q["file"]
    chat_ids = {m["id"] for m in load_picks()}
    assert not chat_ids & set(emb) and "smollm2-135m" in chat_ids
