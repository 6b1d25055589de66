"""The Documents page: collections of the user's files (left), the selected collection's sources and documents
(right, :class:`~app.ui.docs.collection_view.CollectionView`), and indexing in the background.

- Adding files or folders (the buttons, or dropping them on the page) indexes them at once; Index now indexes what
  is missing (a paused or interrupted run resumes: the indexer skips what is indexed); Pause stops the run at its
  next file or batch of chunks. Files waiting when the app starts are not indexed on their own: the page says so
  and the user presses Index now.
- Indexing (:class:`~app.ui.docs.indexing.IndexRuns`), reading a collection's state (a walk of its folders) and
  removals run on the page's :class:`TaskRunner` (two threads: one run at a time, the rest beside it).
- ``collections_changed`` tells others (the Chat page) that a collection was added, removed or (re)indexed;
  :meth:`DocsPage.collection_names` lists them.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QSplitter, QVBoxLayout, QWidget

from app.core.units import number
from app.core.docs.store import DocsError, DocStore
from app.ui.common import column_widths
from app.ui.common.i18n import translate
from app.ui.common.page import Page
from app.ui.common.tasks import TaskRunner
from app.ui.context import AppContext
from app.ui.docs import index_job
from app.ui.docs.collection_view import CollectionView, button, table_view
from app.ui.docs.docs_models import (CollectionRow, CollectionsModel, chunks_text, documents_text, finished_text,
                                     idle_text)
from app.ui.docs.indexing import IndexRuns
from app.ui.docs.new_collection_dialog import NewCollectionDialog

log = logging.getLogger("hearth.ui.docs")
SHUTDOWN_WAIT_MS = 5000  # closing the window waits this long for a run to stop at its next file or batch
LEFT_WIDTH = 230  # px: the collections' list


class DocsPage(Page):
    collections_changed = Signal()  # a collection was added, removed, or its indexed documents changed
    indexing_finished = Signal(str)  # a run of this collection ended (done, paused or failed); the tables show it

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = ctx.paths.data_dir / "documents.sqlite3"
        self._store: DocStore | None = None  # the GUI thread's own connection; the workers open theirs
        self.runner = TaskRunner("hearth-docs", self, threads=2)
        self.runner.done.connect(self._on_done)
        self.runner.failed.connect(self._on_failed)
        self._handlers: dict[int, tuple] = {}  # token -> (on done, on failure) of the page's own jobs
        self.runs = IndexRuns(self.runner, self.db_path, ctx.settings.n_threads, self)
        self.runs.started.connect(self._on_run_started)
        self.runs.progress.connect(self._on_progress)
        self.runs.ended.connect(self._on_run_ended)
        self._indexing_file = ""  # the file the run in progress is on
        self._last_text: dict[str, str] = {}  # collection -> how its last run ended
        self._shown_name: str | None = None  # the collection the right side shows
        self._seen: list[tuple[str, int]] = []
        self._started = False
        self._closed = False
        self.setAcceptDrops(True)

        title = QLabel(translate("DocsPage", "Documents"))
        title.setProperty("heading", True)
        explain = QLabel(translate("DocsPage", "Collections of your files (PDF, Markdown, text, HTML, Word), indexed "
                                   "on this computer so that Chat can answer from them and cite the passages. Nothing "
                                   "leaves this computer."))
        explain.setWordWrap(True)
        explain.setProperty("muted", True)
        self.cmodel = CollectionsModel(self)
        self.collections, self.cproxy = table_view(translate("DocsPage", "Collections"), self.cmodel, 0)
        self.collections.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.new_button = button(translate("DocsPage", "New collection…"), translate("DocsPage", "New collection"))
        self.new_button.clicked.connect(self.new_collection)
        self.remove_collection_button = button(translate("DocsPage", "Remove collection…"),
                                               translate("DocsPage", "Remove collection"))
        self.remove_collection_button.clicked.connect(self.remove_collection)
        self.model_button = button(translate("DocsPage", "Embedding model…"),
                                   translate("DocsPage", "Change the embedding model"))
        self.model_button.clicked.connect(lambda: self.change_embed_model())
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.collections, 1)
        ll.addWidget(self.new_button)  # one above the other: the list stays narrow on a small window
        ll.addWidget(self.model_button)
        ll.addWidget(self.remove_collection_button)
        self.view = v = CollectionView()
        v.sources.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        v.add_files_button.clicked.connect(self.add_files)
        v.add_folder_button.clicked.connect(self.add_folder)
        v.remove_source_button.clicked.connect(self.remove_source)
        v.index_button.clicked.connect(self._toggle_index)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(v)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([LEFT_WIDTH, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addWidget(title)
        lay.addWidget(explain)
        lay.addWidget(split, 1)
        self.refresh_collections()

    # ---- collections --------------------------------------------------------------------------------------------
    def _db(self, create: bool = False) -> DocStore | None:
        """The index on the GUI thread, opened on first need (the file is made with the first collection)."""
        if self._store is None and (create or self.db_path.exists()):
            try:
                self._store = DocStore(self.db_path)
            except DocsError as exc:
                self.view.status.setText(str(exc))
        return self._store

    def collection_names(self) -> list[str]:
        return self.cmodel.names()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The language changed (switch_language): the tables' words and the collection shown are made again."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "view"):
            for model in (self.cmodel, self.view.smodel, self.view.dmodel):
                model.retranslate()
            self._shown_name = None
            self._on_selection()

    def current_name(self) -> str:
        rows = self.collections.selectionModel().selectedRows()
        return (self.cproxy.data(rows[0], Qt.DisplayRole) or "") if rows else ""

    def refresh_collections(self, select: str = "") -> None:
        """Read the collections and their counts again (a few quick queries), keeping the selection."""
        store = self._db()
        rows = []
        for c in store.collections() if store is not None else []:
            docs = store.documents(c)
            rows.append(CollectionRow(c.name, c.embed_model, sum(d.status == "indexed" for d in docs),
                                      sum(d.n_chunks for d in docs), sum(d.status == "error" for d in docs)))
        keep = select or self.current_name()
        self.cmodel.set_rows(rows)
        column_widths.fit_columns(self.collections, {c: [self.cmodel.headerData(c, Qt.Horizontal)] for c in (1, 2)})
        self.select_collection(keep if keep in self.cmodel.names() else (self.cmodel.names() or [""])[0])
        seen = [(r.name, r.indexed) for r in rows]
        if seen != self._seen:
            self._seen = seen
            self.collections_changed.emit()

    def select_collection(self, name: str) -> None:
        row = self.cmodel.row_of(name)
        if row < 0:
            self.collections.clearSelection()
        else:
            self.collections.selectRow(self.cproxy.mapFromSource(self.cmodel.index(row, 0)).row())
        self._on_selection()

    def _on_selection(self) -> None:
        name = self.current_name()
        if name != self._shown_name:
            self._shown_name = name
            r = self.cmodel.item(self.cmodel.row_of(name))
            self.view.show_collection(name, r.embed_model if r else "")
            self.view.status.setText(translate("DocsPage", "Indexing…") if name and self.runs.running == name else
                                     self._last_text.get(name, "") if name else
                                     translate("DocsPage", "Make a collection with New collection…, then add files "
                                               "or folders to it."))
            if name and self._started:
                self._load_state(name)
        self._update_buttons()

    def _update_buttons(self) -> None:
        name, v = self.current_name(), self.view
        here = bool(name) and self.runs.running == name
        v.set_running(here, here and self.runs.stopping)
        v.index_button.setEnabled(bool(name) and not (here and self.runs.stopping))
        v.add_files_button.setEnabled(bool(name))
        v.add_folder_button.setEnabled(bool(name))
        v.remove_source_button.setEnabled(bool(name) and not here and v.selected_source() != "")
        self.remove_collection_button.setEnabled(bool(name) and not here)
        self.remove_collection_button.setToolTip(translate("DocsPage", "Pause indexing first") if here else "")
        self.model_button.setEnabled(bool(name) and not here)
        self.model_button.setToolTip(translate("DocsPage", "Pause indexing first") if here else
                                     translate("DocsPage", "The model that turns passages into vectors; another one "
                                               "means indexing again"))

    def new_collection(self) -> NewCollectionDialog:
        """Open the New collection dialog (window-modal; the collection is made when the user presses Create)."""
        from app.core.docs.embedder import prefixes_for
        from app.starter import STARTER

        models = self.ctx.library.catalog.models()
        starter = [str(m.path) for m in models if m.filename == STARTER.filename]
        default = (starter or [str(m.path) for m in models] or [""])[0]
        labels = [translate("DocsPage", "{name} (an embedding model)").format(name=m.display_name)
                  if any(prefixes_for(m.path)) else m.display_name for m in models]
        dialog = NewCollectionDialog([(label, str(m.path)) for label, m in zip(labels, models)], default,
                                     self.cmodel.names(), self)
        dialog.accepted.connect(lambda: self.create_collection(dialog.collection_name(), dialog.model_path()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def create_collection(self, name: str, embed_model: str) -> bool:
        from app.core.docs.embedder import prefixes_for

        store = self._db(create=True)
        try:
            if store is None:
                raise DocsError(translate("DocsPage", "The document index {path} cannot be opened.").format(
                    path=self.db_path))
            store.create_collection(name, embed_model, *prefixes_for(embed_model))
        except DocsError as exc:
            QMessageBox.warning(self, translate("DocsPage", "New collection"), str(exc))
            return False
        self.refresh_collections(select=name.strip())
        return True

    def change_embed_model(self, path: str | None = None) -> bool:
        """Another embedding model for the selected collection: its vectors cannot be compared with the old
        ones, so the user is asked, every document is indexed again, and the old vectors go. ``path``: the
        model (None: the user picks one of the library's)."""
        from PySide6.QtWidgets import QInputDialog

        from app.core.docs.embedder import prefixes_for

        name = self.current_name()
        store = self._db()
        if not name or store is None or self.runs.running == name:
            return False
        try:
            c = store.collection(name)
        except DocsError as exc:
            self._show_error(exc)
            return False
        if path is None:
            models = self.ctx.library.catalog.models()
            labels = [m.display_name for m in models]
            paths = [str(m.path) for m in models]
            if not models:
                return False
            current = paths.index(c.embed_model) if c.embed_model in paths else 0
            label, ok = QInputDialog.getItem(self, translate("DocsPage", "Embedding model"),
                                             translate("DocsPage", "The embedding model for {name}:").format(
                                                 name=repr(name)), labels, current, False)
            if not ok:
                return False
            path = paths[labels.index(label)]
        if path == c.embed_model:
            return False
        r = self.cmodel.item(self.cmodel.row_of(name))
        n = r.indexed if r is not None else 0
        text = translate("DocsPage", "Index {name} again with {model}? Vectors made by another model cannot be "
                         "compared, so all {documents} are indexed again (your files stay where they are).").format(
            name=repr(name), model=Path(path).name, documents=documents_text(n))
        if QMessageBox.question(self, translate("DocsPage", "Change the embedding model"), text,
                                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            return False
        db = self.db_path

        def change(s: DocStore) -> None:
            s.set_embed_model(s.collection(name), path, *prefixes_for(path))

        self._submit(lambda: index_job.edit(db, change), lambda _r: (self.refresh_collections(), self._index(name)))
        return True

    def remove_collection(self) -> None:
        name = self.current_name()
        r = self.cmodel.item(self.cmodel.row_of(name))
        if r is None or self.runs.running == name:
            return
        text = translate("DocsPage", "Remove the collection {name}? Its index ({documents}, {chunks}) is deleted; "
                         "your files stay where they are.").format(
            name=repr(name), documents=documents_text(r.indexed), chunks=chunks_text(r.chunks))
        if QMessageBox.question(self, translate("DocsPage", "Remove collection"), text,
                                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            return
        self.runs.forget(name)
        self._last_text.pop(name, None)
        db = self.db_path
        self._submit(lambda: index_job.edit(db, lambda s: s.delete_collection(name)),
                     lambda _r: self.refresh_collections())

    # ---- sources ------------------------------------------------------------------------------------------------
    def add_files(self) -> None:
        from app.core.docs.extract import SUPPORTED

        patterns = " ".join(f"*{s}" for s in sorted(SUPPORTED))
        files, _ = QFileDialog.getOpenFileNames(self, translate("DocsPage", "Add files to the collection"),
                                                str(Path.home()), translate("DocsPage", "Documents") + f" ({patterns})")
        self.add_paths([Path(f) for f in files])

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("DocsPage", "Add a folder to the collection"),
                                                  str(Path.home()))
        if folder:
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list[Path]) -> None:
        """Add files or folders to the selected collection, and index them."""
        name, store = self.current_name(), self._db()
        if not name or not paths or store is None:
            return
        try:
            store.add_sources(store.collection(name), paths)
        except DocsError as exc:
            self.view.status.setText(str(exc))
            return
        self._load_state(name)
        self._index(name)

    def remove_source(self) -> None:
        name, source = self.current_name(), self.view.selected_source()
        if not name or not source or self.runs.running == name:
            return
        db = self.db_path
        self._submit(lambda: index_job.edit(db, lambda s: index_job.forget_source(s, name, source)),
                     lambda _r: self._after_edit(name))

    def _after_edit(self, name: str) -> None:
        self._last_text.pop(name, None)
        self.refresh_collections()
        if name == self.current_name():
            self._load_state(name)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if self.current_name() and any(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_paths(paths)
            event.acceptProposedAction()

    # ---- background work ----------------------------------------------------------------------------------------
    def _submit(self, fn, on_done, on_failed=None) -> int:
        token = self.runner.submit(fn)
        self._handlers[token] = (on_done, on_failed or self._show_error)
        return token

    def _on_done(self, token: int, result: object) -> None:
        handler = self._handlers.pop(token, None)
        if handler is not None and not self._closed:
            handler[0](result)

    def _on_failed(self, token: int, exc: object) -> None:
        handler = self._handlers.pop(token, None)
        if handler is not None and not self._closed:
            handler[1](exc)

    def _show_error(self, exc: object) -> None:
        self.view.status.setText(str(exc))
        self.refresh_collections()

    def _load_state(self, name: str) -> None:
        db = self.db_path
        self._submit(lambda: index_job.read_state(db, name), self._apply_state,
                     lambda exc: self._show_error(exc) if name == self.current_name() else None)

    def _apply_state(self, state: index_job.CollectionState) -> None:
        if state.name != self.current_name():
            return  # the user moved on
        here = self.runs.running == state.name
        self.view.show_state(state, self._indexing_file if here else "")
        if not here:
            self.view.status.setText(self._last_text.get(state.name) or idle_text(state))
        self._update_buttons()

    # ---- indexing -----------------------------------------------------------------------------------------------
    def _toggle_index(self) -> None:
        if self.current_name() and self.runs.running == self.current_name():
            self.pause()
        else:
            self.index_now()

    def index_now(self) -> None:
        """Index what the selected collection is missing (new, changed, waiting or paused files)."""
        if self.current_name():
            self._index(self.current_name())

    def _index(self, name: str) -> None:
        self._last_text.pop(name, None)
        if not self.runs.request(name) and self.runs.running != name and name == self.current_name():
            self.view.status.setText(translate("DocsPage", "Waiting for {name} to finish indexing…").format(
                name=repr(self.runs.running)))

    def pause(self) -> None:
        """Stop the run in progress at its next file or batch of chunks; Index now resumes it."""
        self.runs.pause()
        self._update_buttons()

    def _on_run_started(self, name: str) -> None:
        self._indexing_file = ""
        if name == self.current_name():
            self.view.status.setText(translate("DocsPage", "Starting the embedding model…"))
        self._update_buttons()

    def _on_progress(self, name: str, snap) -> None:
        here = name == self.current_name()
        if here:
            self.view.show_progress(snap)
        if snap.current != self._indexing_file:
            if here:
                self._row_done(name, self._indexing_file)
            self._indexing_file = snap.current
            if here and snap.current:
                self.view.dmodel.mark_indexing(snap.current)

    def _row_done(self, name: str, path: str) -> None:
        """The file the run just left, as stored now (one quick read on the GUI thread)."""
        store = self._db()
        if not path or store is None:
            return
        try:
            d = store.document(store.collection(name), path)
        except DocsError:
            return
        if d is not None:
            self.cmodel.set_counts(name, *self.view.show_document(d))  # the list's counts follow the run

    def _on_run_ended(self, name: str, result, error: str) -> None:
        self._indexing_file = ""
        if error:
            text = translate("DocsPage", "Indexing stopped: {error}").format(error=error)
        elif result.stopped:
            total = result.files_total  # (a plain name: pyside6-lupdate skips a call whose count is an expression)
            text = translate("DocsPage", "Paused after {done} of {count} file(s) — press Index now to resume", None,
                             total).format(done=number(result.files_done), count=number(total))
        else:
            text = finished_text(result.state)
        self._last_text[name] = text
        self.refresh_collections()
        if name == self.current_name():
            if result is not None:
                self._apply_state(result.state)
            else:
                self._load_state(name)
            self.view.status.setText(text)
        self._update_buttons()
        self.indexing_finished.emit(name)

    # ---- page ---------------------------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self._started = True
        self.refresh_collections()
        if self.current_name():
            self._load_state(self.current_name())

    def shutdown(self) -> None:
        """The window is closing: the run in progress stops at its next file or batch (what is indexed stays),
        its engine process ends, and the page waits a little for that."""
        self._closed = True
        self.runs.shutdown()
        self.runner.shutdown(SHUTDOWN_WAIT_MS)
        if self._store is not None:
            self._store.close()
