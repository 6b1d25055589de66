"""Indexing a collection: find its files, notice what changed, and (re)index each changed file in one
transaction: extract → chunk (sized by the embedding model's tokenizer) → embed → store.

- Files: the collection's sources, each a file or a folder (walked recursively; hidden files and folders and
  unsupported kinds skipped). A file is indexed again when its size or time changed *and* its content hash
  differs; a deleted file leaves the index; a file that cannot be read gets a status "error" with the reason
  and the rest goes on.
- Pausing is cooperative: ``should_stop()`` is checked between files and between batches of chunks; a file
  stopped half way is not stored, so the next run (after a pause, a restart or a SIGKILL) starts it again and
  nothing else is lost.
- Progress goes to ``on_progress(Progress)`` (files, chunks, speed, ETA) at most ~10 times a second.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from app.core.docs.store import Collection, DocStore
from app.core.engine.generation import EngineError
from app.core.i18n import said, translate

log = logging.getLogger("hearth.docs")


@dataclass
class Progress:
    files_total: int = 0
    files_done: int = 0
    chunks_done: int = 0
    current: str = ""
    started: float = field(default_factory=time.monotonic)
    bytes_total: int = 0
    bytes_done: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    stopped: bool = False

    @property
    def chunks_per_s(self) -> float:
        dt = time.monotonic() - self.started
        return self.chunks_done / dt if dt > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left, from the bytes indexed so far (None until there is a rate)."""
        dt = time.monotonic() - self.started
        if self.bytes_done <= 0 or dt <= 0:
            return None
        return max(0.0, (self.bytes_total - self.bytes_done) / (self.bytes_done / dt))


@dataclass
class Plan:
    todo: list[Path]  # new or possibly changed files
    deleted: list[str]
    unchanged: int


def walk(sources: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The supported files under the sources (sorted), and sources that are missing (path, why)."""
    from app.core.docs.extract import SUPPORTED

    files: list[Path] = []
    missing = []
    for src in sources:
        p = Path(src)
        if p.is_file():
            files.append(p)
        elif p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(Path(root) / n for n in sorted(names)
                             if not n.startswith(".") and Path(n).suffix.lower() in SUPPORTED)
        else:
            missing.append((src, translate("DocsIndexer", "not found (moved or deleted?)")))
    return sorted(dict.fromkeys(files)), missing


def plan(store: DocStore, c: Collection) -> tuple[Plan, list[tuple[str, str]]]:
    files, missing = walk(store.sources(c))
    known = {d.path: d for d in store.documents(c)}
    todo, unchanged = [], 0
    for f in files:
        d = known.get(str(f))
        try:
            st = f.stat()
        except OSError:
            continue
        if d is not None and d.status == "indexed" and d.size == st.st_size and d.mtime == st.st_mtime:
            unchanged += 1
        else:
            todo.append(f)
    present = {str(f) for f in files}
    deleted = [p for p in known if p not in present]
    return Plan(todo, deleted, unchanged), missing


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Indexer:
    def __init__(self, store: DocStore, collection: Collection, embedder, max_tokens: int = 256,
                 should_stop: Callable[[], bool] | None = None,
                 on_progress: Callable[[Progress], None] | None = None) -> None:
        self.store = store
        self.c = collection
        self.embedder = embedder
        self.max_tokens = max_tokens
        self.should_stop = should_stop or (lambda: False)
        self.on_progress = on_progress or (lambda _p: None)
        self._last_report = 0.0

    def _report(self, p: Progress, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_report >= 0.1:
            self._last_report = now
            self.on_progress(p)

    def run(self) -> Progress:
        the_plan, missing = plan(self.store, self.c)
        p = Progress(files_total=len(the_plan.todo))
        p.errors.extend(missing)
        for path in the_plan.deleted:
            self.store.forget(self.c, path)
        sizes = {}
        for f in the_plan.todo:
            try:
                sizes[f] = f.stat().st_size
            except OSError:
                sizes[f] = 0
        p.bytes_total = sum(sizes.values())
        self._report(p, force=True)
        for f in the_plan.todo:
            if self.should_stop():
                p.stopped = True
                break
            p.current = str(f)
            self._report(p)
            try:
                done = self._index_file(f, p)
            except EngineError:  # the embedding model failed to load or the engine died: not this file's fault
                raise
            except Exception as exc:  # never let one file stop the rest: say what happened to it
                log.exception("indexing %s failed", f)
                self._error(f, translate("DocsIndexer", "could not be indexed: {error}").format(error=exc), p)
                done = True
            if not done:
                p.stopped = True
                break
            p.files_done += 1
            p.bytes_done += sizes.get(f, 0)
            self._report(p)
        p.current = ""
        self._report(p, force=True)
        return p

    def _error(self, f: Path, why: str, p: Progress) -> None:
        try:
            st = f.stat()
            size, mtime = st.st_size, st.st_mtime
        except OSError:
            size, mtime = 0, 0.0
        self.store.mark(self.c, str(f), size, mtime, "error", why)
        p.errors.append((str(f), why))

    def _index_file(self, f: Path, p: Progress) -> bool:
        """True when the file was dealt with (indexed, unchanged or an error noted); False when stopped."""
        from app.core.docs.chunking import chunk_document
        from app.core.docs.extract import ExtractCancelled, ExtractError, extract

        st = f.stat()
        known = self.store.document(self.c, str(f))
        digest = file_hash(f) if st.st_size <= 2 * 2**30 else ""
        if known is not None and known.status == "indexed" and digest and digest == known.sha256:
            self.store.touch(self.c, str(f), st.st_size, st.st_mtime)  # touched, not changed
            return True
        try:
            doc = extract(f, should_stop=self.should_stop)
        except ExtractCancelled:
            return False
        except ExtractError as exc:
            self._error(f, said(exc), p)
            return True
        if self.should_stop():
            return False
        chunks = chunk_document(doc, self.embedder.count, max_tokens=self.max_tokens)
        if not chunks:
            self._error(f, translate("DocsIndexer", "{name}: no text found").format(name=f.name), p)
            return True
        windows = [ch.windows() for ch in chunks]
        texts = [ch.embed_text() for ch in chunks] + [w for ws in windows for w in ws]
        vectors = self.embedder.embed_documents(texts, should_stop=self.should_stop)
        if vectors is None:
            return False
        per_chunk, at = [], len(chunks)
        for ws in windows:
            per_chunk.append(vectors[at:at + len(ws)])
            at += len(ws)
        self.store.save_document(self.c, str(f), st.st_size, st.st_mtime, digest, doc.kind, doc.pages, chunks,
                                 vectors[:len(chunks)],
                                 doc.notes[0] if len(doc.notes) == 1 else "; ".join(doc.notes), windows=per_chunk)
        p.chunks_done += len(chunks)
        return True
