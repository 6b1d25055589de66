"""The right side of the Documents page: one collection's sources (with Add files…, Add folder…, Remove source),
its documents (file, status, kind, pages, chunks, folder), indexing progress and the Index now / Pause button.
It only shows what the page gives it; the page connects its buttons."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from app.core.library.names import display_name
from app.ui.common import column_widths
from app.ui.common.i18n import translate
from app.ui.common.table_model import DISPLAY
from app.ui.common.tables import sortable_table
from app.ui.docs.docs_models import (DocRow, DocumentsModel, SourcesModel, doc_row, doc_rows, progress_text,
                                     source_rows, status_text)

COLUMN_MAX = {0: 220, 1: 420}  # file name, status: longer ones are elided (the tooltip has them whole)


def table_view(name: str, model, stretch: int | None) -> tuple[QTableView, QSortFilterProxyModel]:
    """The common sortable table, one line per row: long paths and messages are elided in the middle, the tooltip
    has them whole."""
    view, proxy = sortable_table(name, model, stretch)
    view.setTextElideMode(Qt.ElideMiddle)
    view.setWordWrap(False)
    return view, proxy


def button(label: str, name: str) -> QPushButton:
    b = QPushButton(label)
    b.setAccessibleName(name)
    return b


class CollectionView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("")
        self.heading.setStyleSheet("font-weight: 600;")
        self.model_label = QLabel("")
        self.model_label.setProperty("muted", True)
        self.smodel = SourcesModel(self)
        self.sources, self.sproxy = table_view(translate("CollectionView", "Sources"), self.smodel, 0)
        self.add_files_button = button(translate("CollectionView", "Add files…"),
                                       translate("CollectionView", "Add files"))
        self.add_folder_button = button(translate("CollectionView", "Add folder…"),
                                        translate("CollectionView", "Add folder"))
        self.remove_source_button = button(translate("CollectionView", "Remove source"),
                                           translate("CollectionView", "Remove source"))
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addWidget(self.model_label, 1)
        tl.addLayout(head)
        tl.addWidget(self.sources, 1)
        row = QHBoxLayout()
        for b in (self.add_files_button, self.add_folder_button, self.remove_source_button):
            row.addWidget(b)
        row.addStretch(1)
        tl.addLayout(row)

        self.dmodel = DocumentsModel(self)
        self.documents, self.dproxy = table_view(translate("CollectionView", "Documents"), self.dmodel, None)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(translate("CollectionView", "Indexing progress"))
        self.progress.setFormat(translate("CollectionView", "%v of %m files"))
        self.progress.hide()
        self.index_button = button(translate("CollectionView", "Index now"), translate("CollectionView", "Index now"))
        self.index_button.setProperty("primary", True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(translate("CollectionView", "Indexing status"))
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.documents, 1)
        bl.addWidget(self.progress)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.index_button)
        bl.addLayout(row)

        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

    # ---- what it shows ------------------------------------------------------------------------------------------
    def show_collection(self, name: str, embed_model: str) -> None:
        """Another collection (or none): the tables empty until its state arrives."""
        self.smodel.set_rows([])
        self.dmodel.set_rows([])
        self.heading.setText(name or translate("CollectionView", "No collection yet"))
        self.model_label.setText(translate("CollectionView", "· embedding model {name}").format(
            name=display_name(Path(embed_model).name)) if embed_model else "")

    def show_state(self, state, indexing_file: str = "") -> None:
        """A collection's sources and documents (an index_job.CollectionState)."""
        rows = doc_rows(state.documents, state.waiting)
        self.smodel.set_rows(source_rows(state.sources, rows, state.missing))
        column_widths.fit_columns(self.sources, {1: [self.smodel.headerData(1, Qt.Horizontal)]})
        for r in rows:
            if r.path == indexing_file:
                r.status = "indexing"
        self.dmodel.set_rows(rows)
        fit = {c: [self.dmodel.headerData(c, Qt.Horizontal)] + [self.dmodel.cell(r, c, DISPLAY) for r in rows]
               for c in range(5)}
        # what a row may say later without a new fit
        fit[DocumentsModel.STATUS] += [status_text(DocRow("", s)) for s in ("indexing", "waiting")]
        column_widths.fit_columns(self.documents, fit)
        h = self.documents.horizontalHeader()
        for c, most in COLUMN_MAX.items():
            h.resizeSection(c, min(h.sectionSize(c), most))

    def show_progress(self, snap) -> None:
        self.progress.setRange(0, max(1, snap.files_total))
        self.progress.setValue(snap.files_done)
        self.status.setText(progress_text(snap))

    def show_document(self, document) -> tuple[int, int, int]:
        """One stored document's row, as it is now (an app.core.docs.store.Document); returns the table's counts
        (indexed, chunks, errors)."""
        self.dmodel.update(doc_row(document))
        rows = self.dmodel.rows
        return (sum(r.status == "indexed" for r in rows), sum(r.chunks for r in rows),
                sum(r.status == "error" for r in rows))

    def set_running(self, running: bool, stopping: bool = False) -> None:
        """The Index now button becomes Pause while this collection is indexed; the progress bar shows."""
        if running and self.progress.isHidden():  # (isVisible is False while another page is shown)
            self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setVisible(running)
        if stopping:
            label, name = translate("CollectionView", "Pausing…"), translate("CollectionView", "Pausing")
        elif running:
            label = name = translate("CollectionView", "Pause")
        else:
            label = name = translate("CollectionView", "Index now")
        self.index_button.setText(label)
        self.index_button.setAccessibleName(name)
        why = translate("CollectionView", "Pause indexing first") if running else ""
        self.remove_source_button.setToolTip(why)

    def selected_source(self) -> str:
        rows = self.sources.selectionModel().selectedRows()
        return self.sproxy.data(rows[0], Qt.DisplayRole) if rows else ""
