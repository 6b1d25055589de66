"""``hearth docs``: chat with your documents from a terminal.

    hearth docs add COLLECTION [PATH...] [--embed-model FILE] [--reindex]   # index (again: only what changed)
    hearth docs list [COLLECTION] [--json]
    hearth docs search COLLECTION "query" [--k N] [--mode hybrid|vector|keyword] [--json]
    hearth docs ask COLLECTION "question" --model FILE [--k N] [--max-tokens N] [--ctx N] [--json]
    hearth docs remove COLLECTION [PATH...]                                # a source, or the whole collection

``add`` shows progress on stderr; Ctrl+C pauses (run ``add COLLECTION`` again to resume: nothing indexed is lost).
The default embedding model is the starter model (SmolLM2, mean pooling); a collection keeps the model it was
made with, and another one needs ``--reindex``. ``search --json``: a list of {file, page, heading, text, score};
``ask --json``: {answer, citations: [{n, file, page, heading, by}]} (``by``: "model" when the reply cites
the passage, "wording" when it cites nothing and the passage holds most of its words). Bad input: one line on stderr, exit 2.
"""
from __future__ import annotations

import sys


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("docs", help="index your documents and ask questions about them")
    sub = p.add_subparsers(dest="docs_command", metavar="COMMAND")
    sub.required = True
    a = sub.add_parser("add", help="add files or folders to a collection and index them (resumes, updates)")
    a.add_argument("collection")
    a.add_argument("paths", nargs="*", metavar="PATH")
    a.add_argument("--embed-model", default="", help="a GGUF embedding model (default: the starter model)")
    a.add_argument("--reindex", action="store_true", help="index everything again (e.g. with another model)")
    a.add_argument("--threads", type=int, default=0)
    a.set_defaults(func=run_add)
    ls = sub.add_parser("list", help="collections, or one collection's documents")
    ls.add_argument("collection", nargs="?", default="")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    s = sub.add_parser("search", help="the passages that best match a query")
    s.add_argument("collection")
    s.add_argument("query")
    s.add_argument("--k", type=int, default=5)
    s.add_argument("--mode", choices=("hybrid", "vector", "keyword"), default="hybrid")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=run_search)
    q = sub.add_parser("ask", help="answer a question from a collection, with citations")
    q.add_argument("collection")
    q.add_argument("question")
    q.add_argument("--model", required=True, help="the chat model (a .gguf file or a library name)")
    q.add_argument("--k", type=int, default=5)
    q.add_argument("--max-tokens", type=int, default=256)
    q.add_argument("--ctx", type=int, default=4096)
    q.add_argument("--temperature", type=float, default=0.2)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=run_ask)
    r = sub.add_parser("remove", help="remove a source from a collection, or the whole collection")
    r.add_argument("collection")
    r.add_argument("paths", nargs="*", metavar="PATH")
    r.set_defaults(func=run_remove)


def _fail(msg: str, code: int = 2) -> int:
    print(f"hearth docs: {msg}", file=sys.stderr)
    return code


def _store():
    from app.core.docs.store import DocStore
    from app.paths import resolve_paths

    return DocStore(resolve_paths().ensure().data_dir / "documents.sqlite3")


def _default_embed_model() -> str:
    from app.commands.chat_cmd import resolve_model
    from app.starter import STARTER

    try:
        return str(resolve_model(STARTER.filename))
    except LookupError:
        raise LookupError("no embedding model: give --embed-model FILE (a GGUF embedding model, or any chat "
                          "model), or download the starter model first") from None


def run_add(args) -> int:
    from pathlib import Path

    from app.commands.chat_cmd import resolve_model
    from app.core.docs.embedder import Embedder, prefixes_for
    from app.core.docs.indexer import Indexer
    from app.core.docs.store import DocsError

    try:
        store = _store()
        names = {c.name for c in store.collections()}
        model = str(resolve_model(args.embed_model)) if args.embed_model else ""
        if args.collection not in names:
            if not args.paths:
                return _fail(f"no collection called {args.collection!r} yet: name the files or folders to add")
            model = model or _default_embed_model()
            c = store.create_collection(args.collection, model, *prefixes_for(model))
        else:
            c = store.collection(args.collection)
            if model and model != c.embed_model:
                if not args.reindex:
                    return _fail(f"{args.collection!r} was indexed with {Path(c.embed_model).name}; add --reindex "
                                 f"to index it again with {Path(model).name}")
                store.set_embed_model(c, model, *prefixes_for(model))
                c = store.collection(args.collection)
            elif args.reindex:
                store.set_embed_model(c, c.embed_model, c.query_prefix, c.doc_prefix)
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            return _fail(f"{missing[0]}: no such file or folder")
        store.add_sources(c, [Path(p) for p in args.paths])
    except (DocsError, LookupError) as exc:
        return _fail(str(exc))

    embedder = Embedder.for_collection(c, args.threads)

    def show(p) -> None:
        eta = f", {p.eta_s:.0f} s left" if p.eta_s is not None and p.files_done < p.files_total else ""
        print(f"\r{p.files_done}/{p.files_total} files, {p.chunks_done} chunks, {p.chunks_per_s:.1f} chunks/s{eta}"
              + " " * 10, end="", file=sys.stderr, flush=True)

    stop = [False]
    try:
        p = Indexer(store, c, embedder, should_stop=lambda: stop[0], on_progress=show).run()
    except KeyboardInterrupt:
        print(f"\nhearth docs: paused; run `hearth docs add {args.collection}` to resume", file=sys.stderr)
        return 130
    except Exception as exc:  # the engine failed to load the model, a full disk...
        print(file=sys.stderr)
        return _fail(str(exc), 1)
    finally:
        embedder.close()
    print(file=sys.stderr)
    for path, why in p.errors:
        print(f"hearth docs: skipped {path}: {why}", file=sys.stderr)
    docs = store.documents(c)
    print(f"{c.name}: {sum(d.status == 'indexed' for d in docs)} documents indexed, "
          f"{sum(d.n_chunks for d in docs)} chunks, {sum(d.status == 'error' for d in docs)} with problems")
    return 0


def run_list(args) -> int:
    import json

    from app.core.docs.store import DocsError

    try:
        store = _store()
        if not args.collection:
            rows = [{"name": c.name, "embed_model": c.embed_model, "documents": len(store.documents(c)),
                     "chunks": sum(d.n_chunks for d in store.documents(c)), "sources": store.sources(c)}
                    for c in store.collections()]
        else:
            c = store.collection(args.collection)
            rows = [{"path": d.path, "status": d.status, "chunks": d.n_chunks, "pages": d.pages, "kind": d.kind,
                     "message": d.message} for d in store.documents(c)]
    except DocsError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    elif not args.collection:
        for r in rows:
            print(f"{r['name']}: {r['documents']} documents, {r['chunks']} chunks ({r['embed_model']})")
        if not rows:
            print("no collections yet: hearth docs add NAME PATH...")
    else:
        for r in rows:
            extra = f" — {r['message']}" if r["message"] else ""
            print(f"{r['status']:8} {r['chunks']:5} chunks  {r['path']}{extra}")
    return 0


def _searcher(store, c):
    from app.core.docs.embedder import Embedder
    from app.core.docs.search import Searcher

    embedder = Embedder.for_collection(c)
    return Searcher(store, embedder), embedder


def run_search(args) -> int:
    import json

    from app.core.docs.store import DocsError
    from app.core.engine import EngineError

    if not args.query.strip():
        return _fail("the query is empty")
    if not 1 <= args.k <= 100:
        return _fail(f"--k must be between 1 and 100 (got {args.k})")
    try:
        store = _store()
        c = store.collection(args.collection)
        searcher, embedder = _searcher(store, c)
        try:
            hits = searcher.search(c, args.query, args.k, args.mode)
        finally:
            embedder.close()
    except (DocsError, EngineError) as exc:
        return _fail(str(exc))
    rows = [{"file": h.chunk.path, "page": h.chunk.page, "heading": h.chunk.heading, "text": h.chunk.text,
             "score": round(h.score, 5)} for h in hits]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for i, r in enumerate(rows, 1):
        page = f", page {r['page']}" if r["page"] else ""
        head = f" — {r['heading']}" if r["heading"] else ""
        print(f"[{i}] {r['file']}{page}{head}\n    {' '.join(r['text'].split())[:300]}\n")
    if not rows:
        print("nothing found")
    return 0


def run_ask(args) -> int:
    import json
    from pathlib import Path

    from app.commands.chat_cmd import resolve_model
    from app.core.docs import answer
    from app.core.docs.store import DocsError
    from app.core.engine import EngineError, GenerationRequest, LoadOptions, Sampling
    from app.core.engine.process import EngineProcess

    if not args.question.strip():
        return _fail("the question is empty")
    try:
        model = resolve_model(args.model)
    except LookupError as exc:
        return _fail(str(exc))
    chat = EngineProcess()
    try:
        store = _store()
        c = store.collection(args.collection)
        searcher, embedder = _searcher(store, c)
        if Path(c.embed_model).resolve() == Path(model).resolve():
            embedder.engine = chat  # one process when the chat model also embeds
        chat.load(model, LoadOptions(n_ctx=args.ctx))
        hits = searcher.search(c, args.question, args.k)
        whole = [ch for d in store.documents(c) for ch in store.all_chunks(c, d.path)]
        budget = chat.n_ctx - max(64, args.max_tokens) - 16
        messages, passages = answer.build_messages(args.question, [h.chunk for h in hits], chat.count_tokens,
                                                   budget, whole=whole if len(whole) <= 64 else None)
        text = "".join(chat.generate(GenerationRequest(messages, Sampling(temperature=args.temperature,
                                                                          max_tokens=args.max_tokens))))
    except (DocsError, EngineError) as exc:
        return _fail(str(exc), 1)
    finally:
        chat.unload()
    cited = answer.citations(text, passages)
    text = answer.strip_dangling(text, passages).strip()
    by = "model"
    if not cited:  # the model cited nothing: the passage that holds the reply's words, marked as such
        match = answer.matching(text, passages)
        cited, by = ([match], "wording") if match else ([], by)
    if args.json:
        print(json.dumps({"answer": text, "citations": [{"n": p.n, "file": p.chunk.path, "page": p.chunk.page,
                                                         "heading": p.chunk.heading, "by": by} for p in cited]},
                         ensure_ascii=False))
        return 0
    print(text)
    if cited:
        print()
        for p in cited:
            print(f"[{p.n}] {p.where}" + (" (matched by wording; the model cited nothing)" if by == "wording"
                                          else ""))
    return 0


def run_remove(args) -> int:
    from pathlib import Path

    from app.core.docs.store import DocsError

    try:
        store = _store()
        c = store.collection(args.collection)
        if not args.paths:
            store.delete_collection(args.collection)
            print(f"removed the collection {args.collection}")
            return 0
        for p in args.paths:
            store.remove_source(c, str(Path(p).expanduser().resolve()))
        from app.core.docs.indexer import walk

        present = {str(f) for f in walk(store.sources(c))[0]}
        gone = [d.path for d in store.documents(c) if d.path not in present]
        for path in gone:
            store.forget(c, path)
        print(f"removed {len(gone)} documents from {args.collection}")
    except DocsError as exc:
        return _fail(str(exc))
    return 0
