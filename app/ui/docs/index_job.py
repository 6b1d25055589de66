"""The Documents page's background work, run on its :class:`~app.ui.common.tasks.TaskRunner`: the Qt-free core
(``app/core/docs``) does the work, this module only adapts it.

- :func:`read_state`: a collection's sources, documents and the files still waiting (a walk of its folders).
- :func:`edit`: a change to the index that can take a while (forget a source's documents, delete a collection).
- :class:`IndexJob`: one indexing run. Its ``stop`` event is what the indexer's ``should_stop`` reads (Pause, or
  the window closing); its ``progress`` signal is emitted on the runner's thread and queued to the page on the GUI
  thread (the indexer reports at most ~10 times a second); the embedding model's engine process is closed when
  the run ends, however it ends.

Each function opens a :class:`DocStore` of its own on the worker thread (SQLite connections stay on the thread
that made them) and closes it before returning.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal

from app.core.docs.store import Collection, DocsError, DocStore
from app.ui.common.i18n import translate


@dataclass
class CollectionState:
    """What the right side of the page shows for one collection."""
    name: str
    sources: list[str] = field(default_factory=list)
    documents: list = field(default_factory=list)  # app.core.docs.store.Document
    waiting: list[str] = field(default_factory=list)  # files found under the sources and not indexed yet
    missing: list[tuple[str, str]] = field(default_factory=list)  # sources not found: (path, why)

    @property
    def indexed(self) -> int:
        return sum(d.status == "indexed" for d in self.documents)

    @property
    def chunks(self) -> int:
        return sum(d.n_chunks for d in self.documents)

    @property
    def errors(self) -> int:
        return sum(d.status == "error" for d in self.documents)


@dataclass
class Snapshot:
    """One progress report, copied on the worker thread (the indexer goes on changing its own object)."""
    files_total: int
    files_done: int
    chunks_done: int
    chunks_per_s: float
    eta_s: float | None
    current: str


@dataclass
class RunResult:
    state: CollectionState
    stopped: bool
    files_done: int
    files_total: int


def _state(store: DocStore, c: Collection) -> CollectionState:
    from app.core.docs.indexer import plan

    the_plan, missing = plan(store, c)
    docs = store.documents(c)
    known = {d.path: d for d in docs}
    # a file that could not be read stays an error until it is tried again; new, changed and pending files wait
    waiting = [str(f) for f in the_plan.todo if known.get(str(f)) is None or known[str(f)].status != "error"]
    return CollectionState(c.name, store.sources(c), docs, waiting, missing)


def read_state(db_path: Path, name: str) -> CollectionState:
    store = DocStore(db_path)
    try:
        return _state(store, store.collection(name))
    finally:
        store.close()


def forget_source(store: DocStore, name: str, source: str) -> None:
    """Remove a source and the documents that no other source of the collection still holds (paths only: the
    folders are not walked)."""
    c = store.collection(name)
    store.remove_source(c, source)
    left = [Path(s) for s in store.sources(c)]
    for d in store.documents(c):
        p = Path(d.path)
        if not any(p == s or s in p.parents for s in left):
            store.forget(c, d.path)


def edit(db_path: Path, change: Callable[[DocStore], object]) -> object:
    store = DocStore(db_path)
    try:
        return change(store)
    finally:
        store.close()


def make_embedder(c: Collection, threads: int = 0):
    """The collection's embedding model in an engine process of its own (loaded on first use), with the prefixes
    the collection was made with."""
    from app.core.docs.embedder import Embedder

    return Embedder.for_collection(c, threads)


class IndexJob(QObject):
    """One indexing run of one collection. Made on the GUI thread; :meth:`run` runs on the runner's thread."""
    progress = Signal(int, object)  # run id, Snapshot

    def __init__(self, run_id: int, db_path: Path, name: str, threads: int = 0) -> None:
        super().__init__()
        self.run_id = run_id
        self.db_path = Path(db_path)
        self.name = name
        self.threads = threads
        self.stop = threading.Event()

    def _report(self, p) -> None:
        self.progress.emit(self.run_id, Snapshot(p.files_total, p.files_done, p.chunks_done, p.chunks_per_s,
                                                 p.eta_s, p.current))

    def run(self) -> RunResult:
        from app.core.docs.indexer import Indexer

        store = DocStore(self.db_path)
        try:
            c = store.collection(self.name)
            if not Path(c.embed_model).is_file():  # else every file would fail on its own with the load error
                raise DocsError(translate("IndexJob", "The embedding model of {name} ({model}) is not on this "
                                          "computer any more: put it back in the library, or make a new "
                                          "collection.").format(name=repr(c.name), model=Path(c.embed_model).name))
            embedder = make_embedder(c, self.threads)
            try:
                p = Indexer(store, c, embedder, should_stop=self.stop.is_set, on_progress=self._report).run()
            finally:
                embedder.close()  # the engine process ends with the run: its memory goes back
            return RunResult(_state(store, c), p.stopped, p.files_done, p.files_total)
        finally:
            store.close()
