"""Library: downloaded and imported models with what their headers say and the fit verdict; import (dialog or
drag and drop), delete with confirmation, reveal in the file manager, full metadata; and models found in
other apps' stores, offered in place."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMessageBox,
                               QPlainTextEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from app.core.units import human_bytes, number
from app.ui.common import column_widths
from app.ui.common.i18n import translate
from app.ui.common.table_model import ItemRole
from app.ui.common.tables import sortable_table
from app.ui.library.library_model import EXTRAS_COLUMN, FIT_COLUMN, LibraryModel, LibraryRow


def _table(name: str, model) -> tuple[QTableView, QSortFilterProxyModel]:
    view, p = sortable_table(name, model, 0)
    fit_columns(view, [], range(1, len(model.headers)))  # set_models and set_verdicts size them again
    return view, p


def fit_columns(view: QTableView, rows: list[LibraryRow], columns) -> None:
    """Each column as wide as its widest prepared text (at least its header)."""
    column_widths.fit_columns(view, {c: [r.cells[c] for r in rows] for c in columns})


class LibraryTab(QWidget):
    chat_requested = Signal(str)
    import_requested = Signal(list)  # paths
    delete_requested = Signal(object)  # LocalModel
    adopt_requested = Signal(object)  # LocalModel found in another app's store

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.model = LibraryModel(self)
        self.table, self.proxy = _table(translate("LibraryTab", "Library"), self.model)
        self.table.doubleClicked.connect(lambda _i: self._chat())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.found = LibraryModel(self)
        self.found_table, self.found_proxy = _table(translate("LibraryTab", "Models found in other apps"), self.found)
        self.found_table.setColumnHidden(EXTRAS_COLUMN, True)  # adapters are listed for the library's models
        self.found_table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName(translate("LibraryTab", "Model metadata"))
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(translate("LibraryTab",
                                                  "Select a model and press Details to see its full metadata."))
        self.details.hide()
        self.summary = QLabel("")
        self.summary.setProperty("muted", True)
        self.summary.setWordWrap(True)
        # the selected model's LoRA adapters (alpha, rank, size) and its vision projector, under the table
        self.companions = QLabel("")
        self.companions.setAccessibleName(translate("LibraryTab",
                                                    "Adapters and vision projector of the selected model"))
        self.companions.setWordWrap(True)
        self.companions.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.companions.hide()
        self.unmatched = QLabel("")  # adapters that fit no model of the library, with the reason
        self.unmatched.setAccessibleName(translate("LibraryTab", "Adapters that fit no model"))
        self.unmatched.setProperty("muted", True)
        self.unmatched.setWordWrap(True)
        self.unmatched.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.unmatched.hide()
        self.adapters: list = []  # every adapter of the library (AdapterFit)
        self.buttons = {}
        row = QHBoxLayout()
        for key, label, name, slot in (
                ("chat", translate("LibraryTab", "Chat with this model"),
                 translate("LibraryTab", "Chat with this model"), self._chat),
                ("import_file", translate("LibraryTab", "Import file…"), translate("LibraryTab", "Import file"),
                 self._import_file),
                ("import_folder", translate("LibraryTab", "Import folder…"), translate("LibraryTab", "Import folder"),
                 self._import_folder),
                ("delete", translate("LibraryTab", "Delete…"), translate("LibraryTab", "Delete"), self._delete),
                ("reveal", translate("LibraryTab", "Show in folder"), translate("LibraryTab", "Show in folder"),
                 self._reveal),
                ("details", translate("LibraryTab", "Details"), translate("LibraryTab", "Details"), self._details)):
            b = QPushButton(label)
            b.setAccessibleName(name)
            b.clicked.connect(slot)
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        self.adopt = QPushButton(translate("LibraryTab", "Add to library (use in place)"))
        self.adopt.setAccessibleName(translate("LibraryTab", "Add found model to library"))
        self.adopt.clicked.connect(self._adopt)
        found_row = QHBoxLayout()
        found_label = QLabel(translate("LibraryTab", "Models you already have in other apps (Hugging Face cache, "
                                                     "LM Studio, Ollama):"))
        found_label.setProperty("muted", True)
        found_row.addWidget(found_label, 1)
        found_row.addWidget(self.adopt)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.summary)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.companions)
        tl.addWidget(self.unmatched)
        tl.addLayout(row)
        tl.addWidget(self.details)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(found_row)
        bl.addWidget(self.found_table, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(split)
        self._update()

    # ---- data -------------------------------------------------------------------------------------------------
    def set_models(self, rows: list[LibraryRow], found: list[LibraryRow], models_dir: Path,
                   adapters: list | None = None) -> None:
        """``adapters``: every LoRA adapter of the library (``AdapterFit``: the models it fits, or why none)."""
        self.adapters = list(adapters or [])
        self.model.set_rows(rows)
        fit_columns(self.table, self.model.rows, range(1, len(self.model.headers)))
        in_lib = {r.model.path for r in rows}
        self.found.set_rows([f for f in found if f.model.path not in in_lib])
        fit_columns(self.found_table, self.found.rows, range(1, len(self.found.headers)))
        self._models_dir = models_dir
        self._show_summary()
        self._update()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """The language changed (switch_language): the summary, the tables' words and the selection's texts are
        made again."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "adopt"):
            self.model.retranslate()
            self.found.retranslate()
            if getattr(self, "_models_dir", None) is not None:
                self._show_summary()
            self._update()

    def _show_summary(self) -> None:
        """The line under the table (models, size, adapters, folder) and the adapters that fit no model."""
        rows, models_dir = self.model.rows, self._models_dir
        total = sum(r.model.size for r in rows)
        n, k = len(rows), len(self.adapters)
        if self.adapters:
            adapters = translate("LibraryTab", "%n LoRA adapter(s)", None, k)
            text = translate("LibraryTab", "%n model(s), {size} · {adapters} · drop GGUF files here to import them "
                                           "· models folder: {folder}", None, n)
        else:
            adapters = ""
            text = translate("LibraryTab", "%n model(s), {size} · drop GGUF files here to import them · models "
                                           "folder: {folder}", None, n)
        self.summary.setText(text.format(size=human_bytes(total), adapters=adapters, folder=models_dir))
        lone = [a for a in self.adapters if not a.models]
        self.unmatched.setText("\n".join(
            [translate("LibraryTab", "LoRA adapters that fit no model here:")]
            + [translate("LibraryTab", "• {file} (alpha {alpha}, {size}): {problem}").format(
                file=a.path.name, alpha=f"{a.info.alpha:g}", size=human_bytes(a.info.size_bytes), problem=a.problem)
               if a.info else f"• {a.path.name}: {a.problem}" for a in lone]))
        self.unmatched.setVisible(bool(lone))

    def set_verdicts(self, verdicts: dict) -> None:
        """The fit verdicts of the library's models (by path), as one batch."""
        self.model.set_verdicts(verdicts)
        fit_columns(self.table, self.model.rows, (FIT_COLUMN,))

    def selected(self):
        idx = self.table.selectionModel().selectedRows()
        return self.proxy.data(idx[0], ItemRole) if idx else None

    def _selected_found(self):
        idx = self.found_table.selectionModel().selectedRows()
        return self.found_proxy.data(idx[0], ItemRole) if idx else None

    def _update(self) -> None:
        r = self.selected()
        has = r is not None
        for key in ("chat", "delete", "reveal", "details"):
            self.buttons[key].setEnabled(has)
        shown = has and (bool(r.adapters) or r.projector is not None)
        if shown:
            self.companions.setText(translate("LibraryTab", "With {name}:").format(name=r.model.display_name) + "\n"
                                    + r.companions_text())
        self.companions.setVisible(shown)
        self.adopt.setEnabled(self._selected_found() is not None)

    # ---- actions -------------------------------------------------------------------------------------------
    def _chat(self) -> None:
        r = self.selected()
        if r is not None:
            self.chat_requested.emit(str(r.model.path))

    def _import_file(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, translate("LibraryTab", "Import GGUF models"), str(Path.home()),
                                                translate("LibraryTab", "GGUF models") + " (*.gguf)")
        if files:
            self.import_requested.emit([Path(f) for f in files])

    def _import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("LibraryTab", "Import every GGUF model in a folder"),
                                                  str(Path.home()))
        if folder:
            self.import_requested.emit([Path(folder)])

    def _delete(self) -> None:
        r = self.selected()
        if r is None:
            return
        m = r.model
        if m.source == "hearth":
            text = translate("LibraryTab", "Delete {name}? This removes the file and frees {size}.").format(
                name=m.display_name, size=human_bytes(m.size))
        else:
            text = translate("LibraryTab", "Remove {name} from the library? The file stays where it is "
                                           "({path}).").format(name=m.display_name, path=m.path)
        if QMessageBox.question(self, translate("LibraryTab", "Delete model"), text, QMessageBox.Yes | QMessageBox.No,
                                QMessageBox.No) == QMessageBox.Yes:
            self.delete_requested.emit(m)

    def _reveal(self) -> None:
        r = self.selected()
        if r is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(r.model.path.parent)))

    def _details(self) -> None:
        r = self.selected()
        if r is None:
            return
        f = r.facts
        lines = [translate("LibraryTab", "File: {path}").format(path=r.model.path),
                 translate("LibraryTab", "Size: {size} ({n} bytes)").format(size=human_bytes(r.model.size),
                                                                             n=number(r.model.size))]
        if f is not None and f.error:
            lines.append(translate("LibraryTab", "The header could not be read: {error}").format(error=f.error))
        elif f is not None:
            lines += [f"{k}: {v}" for k, v in sorted(f.metadata.items())]
        self.details.setPlainText("\n".join(lines))
        self.details.show()

    def _adopt(self) -> None:
        r = self._selected_found()
        if r is not None:
            self.adopt_requested.emit(r.model)

    # ---- drag and drop ---------------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_requested.emit(paths)
            event.acceptProposedAction()
