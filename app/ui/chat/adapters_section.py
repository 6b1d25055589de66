"""The chat settings' "Adapters and vision" section: the LoRA adapters of the library that fit the conversation's
model, each with a checkbox and a scale, and the vision projector used with it (the library's pairing, or a file
the user chose, checked against the model before it is taken). Changes go into the conversation's ChatSettings
(``adapters``, ``projector``); the panel saves them like its other settings."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDoubleSpinBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QMessageBox,
                               QPushButton, QVBoxLayout, QWidget)

from app.core.chats.settings import ChatSettings
from app.core.library.companions import chosen_projector, projector_fit_problem
from app.core.units import human_bytes
from app.ui.common.i18n import translate
from app.ui.common.tasks import shared_runner

SCALE_MIN, SCALE_MAX, SCALE_STEP = 0.0, 2.0, 0.05
NAME_WIDTH = 170  # px: a long adapter name is cut with "…" (the tooltip has it whole)


def _companions_of(catalog, model: str):
    """(adapters that fit, the paired projector) of the model: header reads, on a worker thread."""
    return catalog.adapters_for(model), catalog.projector_for(model)


class AdaptersSection(QGroupBox):
    changed = Signal()  # the settings' adapters or projector were edited by the user

    def __init__(self, library=None, parent: QWidget | None = None) -> None:
        """``library``: the window's CatalogState (``catalog``, ``changed``); None: nothing to offer."""
        super().__init__(translate("AdaptersSection", "Adapters and vision"), parent)
        self.library = library
        self._settings = ChatSettings()
        self._model = ""  # the loaded model (set_model); else the conversation's last one
        self._adapters: list = []  # AdapterInfo of the adapters shown
        self._paired: Path | None = None
        self._token = 0
        self._looked_up = None  # the model the rows were made for
        self.rows: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}  # adapter path -> its widgets
        lay = QVBoxLayout(self)
        self.adapter_box = QVBoxLayout()
        self.adapter_box.setSpacing(2)
        lay.addLayout(self.adapter_box)
        self.none_label = QLabel(translate("AdaptersSection", "No adapters for this model"))
        self.none_label.setAccessibleName(translate("AdaptersSection", "No adapters for this model"))
        self.none_label.setProperty("muted", True)
        lay.addWidget(self.none_label)
        lay.addWidget(QLabel(translate("AdaptersSection", "Vision projector:")))
        self.projector_label = QLabel(translate("AdaptersSection", "none (text only)"))
        self.projector_label.setAccessibleName(translate("AdaptersSection", "Vision projector"))
        self.projector_label.setWordWrap(True)
        self.projector_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.projector_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.choose = QPushButton(translate("AdaptersSection", "Choose…"))
        self.choose.setAccessibleName(translate("AdaptersSection", "Choose vision projector"))
        self.choose.setToolTip(translate("AdaptersSection",
                                         "Use another mmproj file with this model (it must be made for its width)."))
        self.choose.clicked.connect(self._choose)
        self.clear = QPushButton(translate("AdaptersSection", "Clear"))
        self.clear.setAccessibleName(translate("AdaptersSection", "Clear vision projector"))
        self.clear.setToolTip(translate("AdaptersSection",
                                        "Forget the chosen file: the library's pairing is used again."))
        self.clear.clicked.connect(self._clear)
        row.addWidget(self.choose)
        row.addWidget(self.clear)
        lay.addLayout(row)
        runner = shared_runner()
        runner.done.connect(self._on_done)
        runner.failed.connect(self._on_failed)
        if library is not None:
            library.changed.connect(self.refresh)
        self._show()

    # ---- what it is about ---------------------------------------------------------------------------------------
    def model(self) -> str:
        return self._model or self._settings.model

    def set_settings(self, s: ChatSettings) -> None:
        self._settings = s
        if self.model() != self._looked_up:
            self.refresh()
        self._show()

    def set_model(self, path: str) -> None:
        """The model the conversation now runs (the chat page's loaded model); "" falls back to the settings'."""
        self._model = path or ""
        if self.model() != self._looked_up:
            self.refresh()

    def refresh(self) -> None:
        """Look the model's adapters and projector up again (a download or delete changed the library)."""
        model = self.model()
        self._looked_up = model
        self._token = 0
        if self.library is None or not model or not Path(model).is_file():
            self._adapters, self._paired = [], None
            self._show()
            return
        catalog = self.library.catalog
        self._token = shared_runner().submit(lambda: _companions_of(catalog, model))

    def _on_done(self, token: int, result) -> None:
        if token != self._token or not token:
            return  # another job of the shared runner, or a model since replaced
        self._token = 0
        self._adapters, self._paired = result
        self._show()

    def _on_failed(self, token: int, _exc) -> None:
        if token == self._token and token:  # an unreadable folder: nothing to offer
            self._on_done(token, ([], None))

    @property
    def busy(self) -> bool:
        return bool(self._token)

    # ---- what the engine gets ----------------------------------------------------------------------------------------
    def active_adapters(self) -> list[tuple[str, float]]:
        """(path, scale) of each adapter shown (it fits the model) and ticked."""
        shown = {a.path for a in self._adapters}
        return [(p, sc) for p, sc in self._settings.active_adapters() if p in shown]

    def projector_path(self) -> str:
        """The projector to load with the model: the one the user chose (when it fits this model: the settings
        may come from a conversation with another), else the library's pairing, else ""."""
        return chosen_projector(self._settings.projector, self.model()) or \
            (str(self._paired) if self._paired is not None else "")

    def _chosen_problem(self) -> str | None:
        """Why the chosen projector does not go with the model (header reads cached per file version)."""
        chosen, model = self._settings.projector, self.model()
        if not chosen or not model or not Path(model).is_file():
            return None
        if not Path(chosen).is_file():
            return translate("AdaptersSection", "{name} is no longer there.").format(name=Path(chosen).name)
        return projector_fit_problem(chosen, model)

    # ---- the widgets ---------------------------------------------------------------------------------------------
    def _entry(self, path: str) -> dict | None:
        return next((a for a in self._settings.adapters if a["path"] == path), None)

    def _show(self) -> None:
        paths = [a.path for a in self._adapters]
        if list(self.rows) != paths:
            self._rebuild()
        for a in self._adapters:
            box, spin = self.rows[a.path]
            e = self._entry(a.path)
            for w in (box, spin):
                w.blockSignals(True)
            box.setChecked(bool(e and e["on"]))
            spin.setValue(e["scale"] if e else 1.0)
            spin.setEnabled(box.isChecked())
            for w in (box, spin):
                w.blockSignals(False)
        self.none_label.setVisible(not self._adapters)
        chosen = self._settings.projector
        problem = self._chosen_problem() if chosen else None
        if chosen and problem is None:
            self.projector_label.setText(translate("AdaptersSection", "{name} (chosen)").format(name=Path(chosen).name))
            self.projector_label.setToolTip(chosen)
        elif chosen:  # chosen for another model (settings carried over), or gone: not used
            if self._paired is not None:
                text = translate("AdaptersSection", "{name} (chosen, not used; using {paired})").format(
                    name=Path(chosen).name, paired=self._paired.name)
            else:
                text = translate("AdaptersSection", "{name} (chosen, not used; text only)").format(
                    name=Path(chosen).name)
            self.projector_label.setText(text)
            self.projector_label.setToolTip(problem)
        elif self._paired is not None:
            self.projector_label.setText(translate("AdaptersSection", "{name} (from the library)").format(
                name=self._paired.name))
            self.projector_label.setToolTip(str(self._paired))
        else:
            self.projector_label.setText(translate("AdaptersSection", "none (text only)"))
            self.projector_label.setToolTip("")
        model = self.model()
        self.choose.setEnabled(bool(model) and Path(model).is_file())
        self.clear.setEnabled(bool(chosen))

    def _rebuild(self) -> None:
        while self.adapter_box.count():
            item = self.adapter_box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = {}
        for a in self._adapters:
            line = QWidget()
            h = QHBoxLayout(line)
            h.setContentsMargins(0, 0, 0, 0)
            box = QCheckBox(self.fontMetrics().elidedText(a.name, Qt.ElideRight, NAME_WIDTH))
            box.setAccessibleName(translate("AdaptersSection", "Adapter {name}").format(name=a.name))
            box.setToolTip(translate("AdaptersSection", "{name}: LoRA adapter, alpha {alpha}, rank {rank}, {size}")
                           .format(name=a.name, alpha=format(a.alpha, "g"), rank=a.rank,
                                   size=human_bytes(a.size_bytes)) + f"\n{a.path}")
            spin = QDoubleSpinBox()
            spin.setRange(SCALE_MIN, SCALE_MAX)
            spin.setSingleStep(SCALE_STEP)
            spin.setDecimals(2)
            spin.setValue(1.0)
            spin.setAccessibleName(translate("AdaptersSection", "Scale of {name}").format(name=a.name))
            spin.setToolTip(translate("AdaptersSection",
                                      "How strongly the adapter changes the model (1.0: as trained; 0: not at all)."))
            box.toggled.connect(lambda on, p=a.path: self._edited(p))
            spin.valueChanged.connect(lambda _v, p=a.path: self._edited(p))
            h.addWidget(box)  # as wide as its text: a click beside it is not a click on it
            h.addStretch(1)
            h.addWidget(spin)
            self.adapter_box.addWidget(line)
            self.rows[a.path] = (box, spin)

    def _edited(self, path: str) -> None:
        box, spin = self.rows[path]
        spin.setEnabled(box.isChecked())
        e = self._entry(path)
        if e is None:
            e = {"path": path, "scale": 1.0, "on": False}
            self._settings.adapters.append(e)
        e["on"], e["scale"] = box.isChecked(), round(spin.value(), 2)
        self.changed.emit()

    # ---- the projector -------------------------------------------------------------------------------------------
    def _choose(self) -> None:
        model = self.model()
        if not model:
            return
        path, _ = QFileDialog.getOpenFileName(self, translate("AdaptersSection", "Choose a vision projector"),
                                              str(Path(model).parent),
                                              translate("AdaptersSection", "GGUF files") + " (*.gguf)")
        if not path:
            return
        problem = projector_fit_problem(path, model)
        if problem:
            QMessageBox.warning(self, translate("AdaptersSection", "Vision projector"),
                                translate("AdaptersSection", "{problem}\n\nThe projector was not changed.").format(
                                    problem=problem))
            return
        self._settings.projector = path
        self._show()
        self.changed.emit()

    def _clear(self) -> None:
        if self._settings.projector:
            self._settings.projector = ""
            self._show()
            self.changed.emit()
