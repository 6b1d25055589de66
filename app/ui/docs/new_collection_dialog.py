"""The "New collection" dialog: a name, and the embedding model (one of the library's models; the starter model
when the library has it), with a line on what that model is for."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate

EXPLAIN = QT_TRANSLATE_NOOP("NewCollectionDialog", "The embedding model turns each passage of your documents into "
                            "numbers, so that Hearth can find the passages that answer a question by their meaning. "
                            "The collection keeps this model: changing it later means indexing every document again. "
                            "Any model works; a small one indexes fastest.")
NO_MODELS = QT_TRANSLATE_NOOP("NewCollectionDialog", "Your library has no model yet: download the starter model on the "
                              "Models page first.")


class NewCollectionDialog(QDialog):
    """``models``: (display name, path) pairs; ``default``: the path to preselect; ``taken``: names in use."""

    def __init__(self, models: list[tuple[str, str]], default: str, taken: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("NewCollectionDialog", "New collection"))
        self.setMinimumWidth(460)
        self._taken = {t.casefold() for t in taken}
        self.name = QLineEdit()
        self.name.setAccessibleName(translate("NewCollectionDialog", "Collection name"))
        self.name.setPlaceholderText(translate("NewCollectionDialog", "e.g. Manuals, Tax papers, Thesis notes"))
        self.model = QComboBox()
        self.model.setAccessibleName(translate("NewCollectionDialog", "Embedding model"))
        self.model.view().setAccessibleName(translate("NewCollectionDialog", "Embedding models"))
        for label, path in models:
            self.model.addItem(label, path)
            self.model.setItemData(self.model.count() - 1, path, Qt.ToolTipRole)
        if default:
            self.model.setCurrentIndex(max(0, self.model.findData(default)))
        explain = QLabel(translate("NewCollectionDialog", EXPLAIN if models else NO_MODELS))
        explain.setWordWrap(True)
        explain.setProperty("muted", True)
        self.problem = QLabel("")
        self.problem.setProperty("muted", True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.Ok)
        self.ok.setText(translate("NewCollectionDialog", "Create"))
        self.ok.setAccessibleName(translate("NewCollectionDialog", "Create collection"))
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName(translate("NewCollectionDialog", "Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(translate("NewCollectionDialog", "Name:"), self.name)
        form.addRow(translate("NewCollectionDialog", "Embedding model:"), self.model)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(explain)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self.name.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        name = self.name.text().strip()
        taken = name.casefold() in self._taken
        self.problem.setText(translate("NewCollectionDialog", "There is already a collection called {name}.").format(
            name=repr(name)) if taken else "")
        self.ok.setEnabled(bool(name) and not taken and self.model.count() > 0)

    def collection_name(self) -> str:
        return self.name.text().strip()

    def model_path(self) -> str:
        return self.model.currentData() or ""
