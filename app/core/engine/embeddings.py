"""Text embeddings from the loaded chat model (OpenAI's /v1/embeddings): the mean of the last hidden layer's
token vectors (after the final norm), L2-normalised. A model whose file asks for a pooling of its own (an
embedding model: mean, CLS, last) gets that pooling instead.

The model is loaded for chat, so embeddings are switched on in its context (``llama_set_embeddings``) only while a
text is decoded, in the sequence a conversation uses: the caller (``Engine.embed``) parks the conversation's KV
state before and the cache is empty after. Runs inside the engine process only.
"""
from __future__ import annotations

import ctypes

from app.core.engine.generation import EngineError, PromptTooLong
from app.core.i18n import translate

# llama.cpp computes the logits of every token that gives an embedding too, and keeps the largest output buffer it
# ever needed: a chunk's logits are held to about 64 MiB (Gemma 3's 262,144-token vocabulary: 64 tokens a chunk)
OUTPUT_FLOATS = 16 * 2**20
MIN_CHUNK = 16
POOLING_NONE, POOLING_RANK = 0, 4  # llama.h: LLAMA_POOLING_TYPE_*


def tokenize(llm, texts: list[str]) -> list[list[int]]:
    """Each text's tokens (with BOS as the model wants it, special tokens not parsed); refuses what cannot be
    embedded before the KV cache is touched."""
    if not isinstance(texts, (list, tuple)) or not all(isinstance(t, str) for t in texts):
        raise EngineError(translate("EngineEmbeddings", "Embeddings need a list of texts."))
    n_ctx = llm.n_ctx()
    out = []
    for text in texts:
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
        if not tokens:
            raise EngineError(translate("EngineEmbeddings", "An empty text has no embedding."))
        if len(tokens) > n_ctx:
            raise PromptTooLong(len(tokens), n_ctx)
        out.append(tokens)
    return out


def embed_tokens(llm, texts: list[list[int]]) -> list[list[float]]:
    """One normalised vector per token list. Leaves the KV cache holding the last text (the caller clears it)."""
    import llama_cpp as lib
    import numpy as np

    ctx = llm._ctx.ctx
    model = llm._model.model
    n_embd = lib.llama_model_n_embd(model)
    pooling = lib.llama_pooling_type(ctx)
    if pooling == POOLING_RANK:
        raise EngineError(translate("EngineEmbeddings", "This model ranks texts (a reranker); it does not make "
                                                   "embeddings."))
    n_ubatch = lib.llama_n_ubatch(ctx)
    chunk = max(MIN_CHUNK, OUTPUT_FLOATS // (llm.n_vocab() + n_embd))
    chunk = min(chunk, lib.llama_n_batch(ctx), n_ubatch)
    if pooling != POOLING_NONE:  # a pooled embedding needs the whole text in one batch
        longest = max(len(t) for t in texts)
        if longest > n_ubatch:
            raise EngineError(translate("EngineEmbeddings", "The text is {n_tokens} tokens long; this model embeds at "
                                        "most {n_ubatch} at once.").format(n_tokens=longest, n_ubatch=n_ubatch))
        chunk = n_ubatch
    batch = lib.llama_batch_init(chunk, 0, 1)
    vectors = []
    lib.llama_set_embeddings(ctx, True)
    try:
        for tokens in texts:
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            total = np.zeros(n_embd, dtype=np.float64)
            for start in range(0, len(tokens), chunk):
                part = tokens[start:start + chunk]
                for i, token in enumerate(part):
                    batch.token[i] = token
                    batch.pos[i] = start + i
                    batch.n_seq_id[i] = 1
                    batch.seq_id[i][0] = 0
                    batch.logits[i] = 1
                batch.n_tokens = len(part)
                rc = lib.llama_decode(ctx, batch)
                if rc != 0:
                    raise EngineError(translate("EngineEmbeddings", "llama.cpp could not compute the embedding "
                                                "(llama_decode returned {rc}).").format(rc=rc))
                if pooling == POOLING_NONE:
                    for i in range(len(part)):
                        total += _vector(lib.llama_get_embeddings_ith(ctx, i), n_embd)
            if pooling == POOLING_NONE:
                vec = total / len(tokens)
            else:
                vec = _vector(lib.llama_get_embeddings_seq(ctx, 0), n_embd).astype(np.float64)
            norm = float(np.linalg.norm(vec))
            vectors.append([float(x) for x in (vec / norm if norm > 0 else vec)])
    finally:
        lib.llama_set_embeddings(ctx, False)
        lib.llama_batch_free(batch)
    return vectors


def _vector(ptr, n: int):
    import numpy as np

    if not ptr:
        raise EngineError(translate("EngineEmbeddings", "llama.cpp returned no embedding for this text."))
    return np.ctypeslib.as_array(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(n,))
