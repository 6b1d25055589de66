"""The repository view: the GGUF files grouped by quantization with size, bits per weight and the fit verdict
for this computer at a chosen context, the best fitting quantization highlighted, a Download button, and the
model card rendered as Markdown (no images, no raw HTML, nothing loaded from the network)."""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QTableView, QTextBrowser, QVBoxLayout, QWidget)

from app.core.units import human_bytes, number
from app.core.hub.model_card import split_front_matter
from app.core.hub.repos import projector_for_entry, with_projector
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.markdown import render_markdown
from app.ui.common.theme import colors
from app.ui.common.table_model import ItemRole
from app.ui.discover.discover_models import QuantModel, QuantRow

CONTEXTS = (2048, 4096, 8192, 16384, 32768, 65536, 131072)


class SafeBrowser(QTextBrowser):
    """Shows untrusted rich text: never loads a resource (no images, files or network)."""

    def loadResource(self, type_: int, name) -> object:  # noqa: N802 (Qt API)
        return None


CHIP_LABELS = {"license": QT_TRANSLATE_NOOP("ModelCard", "licence"),
               "license_name": QT_TRANSLATE_NOOP("ModelCard", "licence"),
               "base_model": QT_TRANSLATE_NOOP("ModelCard", "base model"),
               "pipeline_tag": QT_TRANSLATE_NOOP("ModelCard", "task"),
               "language": QT_TRANSLATE_NOOP("ModelCard", "language"), "tags": ""}


def card_chips(meta: dict[str, list[str]], c: dict) -> str:
    """The card's front matter as a row of small labels (licence, base model, task, languages, tags)."""
    chips = []
    for key, values in meta.items():
        label = CHIP_LABELS.get(key, key)
        if label and key in CHIP_LABELS:
            label = translate("ModelCard", label)
        for v in values:
            text = html.escape(f"{label}: {v}" if label else v)
            chips.append(f'<span style="background:{c["code_bg"]}; color:{c["muted"]};">&nbsp;{text}&nbsp;</span>')
    return f"<p>{' '.join(chips)}</p>" if chips else ""


class RepoView(QWidget):
    download_requested = Signal(object)  # QuantEntry
    chat_requested = Signal(str)  # the path of an already downloaded model (the button reads "Chat")
    context_changed = Signal(int)

    def __init__(self, default_ctx: int = 4096, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = None
        self.title = QLabel(translate("RepoView", "Pick a model on the left"))
        self.title.setProperty("heading", True)
        self.title.setWordWrap(True)
        self.meta = QLabel("")
        self.meta.setProperty("muted", True)
        self.meta.setWordWrap(True)
        self.ctx_combo = QComboBox()
        self.ctx_combo.setAccessibleName(translate("RepoView", "Context length"))
        for n in CONTEXTS:
            self.ctx_combo.addItem(translate("RepoView", "{n} tokens").format(n=number(n)), n)
        i = self.ctx_combo.findData(default_ctx)
        self.ctx_combo.setCurrentIndex(i if i >= 0 else 1)
        self.ctx_combo.currentIndexChanged.connect(lambda _i: self.context_changed.emit(self.n_ctx))
        self.quants = QuantModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move in it
        self.table.setAccessibleName(translate("RepoView", "Quantizations"))
        self.table.setModel(self.quants)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._download())  # an already downloaded one: Chat
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_button())
        self.download = QPushButton(translate("RepoView", "Download"))
        self.download.setAccessibleName(translate("RepoView", "Download"))
        self.download.setProperty("primary", True)
        self.download.clicked.connect(self._download)
        self.here_note = QLabel("")  # the selected file is already downloaded
        self.here_note.setAccessibleName(translate("RepoView", "Download status"))
        self.here_note.setProperty("muted", True)
        self.fit_note = QLabel("")
        self.fit_note.setProperty("muted", True)
        self.fit_note.setWordWrap(True)
        # a model of a repository that also holds an mmproj file: its vision projector comes along (same folder,
        # so the library pairs them); unticked, only the model is downloaded
        self.projector_offer = QCheckBox("")
        self.projector_offer.setAccessibleName(translate("RepoView", "Also download the vision projector"))
        self.projector_offer.setChecked(True)
        self.projector_offer.hide()
        self._offered = None  # the QuantEntry of the projector offered with the selected model
        self.card = SafeBrowser()
        self.card.setAccessibleName(translate("RepoView", "Model card"))
        self.card.setOpenLinks(False)  # a click only emits anchorClicked: links open after a question
        self.card.anchorClicked.connect(self.link_clicked)
        self._card_codes: list[str] = []
        self.card.setPlaceholderText(translate("RepoView", "The model card appears here."))
        row = QHBoxLayout()
        ctx_label = QLabel(translate("RepoView", "Context:"))
        row.addWidget(ctx_label)
        row.addWidget(self.ctx_combo)
        row.addStretch(1)
        row.addWidget(self.here_note)
        row.addWidget(self.download)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.meta)
        lay.addLayout(row)
        lay.addWidget(self.projector_offer)
        lay.addWidget(self.table, 3)
        lay.addWidget(self.fit_note)
        lay.addWidget(self.card, 2)
        self._update_button()

    @property
    def n_ctx(self) -> int:
        return int(self.ctx_combo.currentData())

    def show_loading(self, repo_id: str) -> None:
        self.details = None
        self.title.setText(repo_id)
        self.meta.setText(translate("RepoView", "Loading the file list…"))
        self.quants.set_rows([])
        self.card.clear()
        self.fit_note.setText("")
        self._update_button()

    def show_error(self, repo_id: str, message: str) -> None:
        self.title.setText(repo_id)
        self.meta.setText(message)
        self._update_button()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The language changed (switch_language): the context choices, the repository's line and the table's
        words are made again."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "quants"):
            for i in range(self.ctx_combo.count()):
                self.ctx_combo.setItemText(i, translate("RepoView", "{n} tokens").format(
                    n=number(self.ctx_combo.itemData(i))))
            self.quants.retranslate()
            if self.details is not None:
                self._show_meta(self.details)

    def show_details(self, d) -> None:
        self.details = d
        self.title.setText(d.repo_id)
        self._show_meta(d)
        self.quants.set_rows([QuantRow(entry=e) for e in d.entries])
        if not d.entries:
            self.fit_note.setText(translate("RepoView", "This repository has no GGUF files."))
        best = next((i for i, e in enumerate(d.entries) if e.kind == "model"), 0)
        if d.entries:
            self.table.selectRow(best)
        self._update_button()

    def _show_meta(self, d) -> None:
        """The line under the repository's name: downloads, likes, licence, gated, updated, hidden files."""
        parts = [translate("RepoView", "{n} downloads").format(n=number(d.downloads)),
                 translate("RepoView", "{n} likes").format(n=number(d.likes))]
        if d.license:
            parts.append(translate("RepoView", "licence: {license}").format(license=d.license))
        if d.gated:
            parts.append(translate("RepoView", "gated: needs a Hugging Face token and accepted terms"))
        if d.last_modified:
            parts.append(translate("RepoView", "updated {date}").format(date=f"{d.last_modified:%Y-%m-%d}"))
        if d.rejected:
            n = len(d.rejected)
            parts.append(translate("RepoView", "%n file(s) with unsafe names hidden", None, n))
        self.meta.setText(" · ".join(parts))

    def show_card(self, markdown: str) -> None:
        c = colors()
        meta, body = split_front_matter(markdown or "")
        body = body.strip() or "*" + translate("RepoView", "This repository has no model card.") + "*"
        rendered = render_markdown(body, c["code_bg"], c["muted"])
        self._card_codes = list(rendered.codes)
        self.card.setHtml(card_chips(meta, c) + rendered.html)

    def link_clicked(self, url: QUrl) -> None:
        """A link in the model card: web links open in the system browser after a question (the card is
        untrusted text, and the page leaves Hearth); "Copy" copies a code block; anything else is ignored."""
        text = url.toString()
        if url.scheme() == "copy-code":
            n = int(url.path()) if url.path().isdigit() else -1
            if 0 <= n < len(self._card_codes):
                QGuiApplication.clipboard().setText(self._card_codes[n])
            return
        if url.scheme() not in ("http", "https", "mailto"):
            return
        answer = QMessageBox.question(
            self, translate("RepoView", "Open link"),
            translate("RepoView", "Open this link from the model card in your web browser?\n\n{url}\n\nThe page is "
                                  "loaded by your browser, not by Hearth (Offline mode and the network log do not "
                                  "cover it).").format(url=text))
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)

    def set_verdict(self, row: int, verdict: str, level: int, detail: str, bpw: float | None) -> None:
        r = self.quants.item(row)
        if r is None:
            return
        r.verdict, r.level, r.verdict_detail = verdict, level, detail
        if bpw:
            r.bpw = bpw
        self._mark_best()
        self.quants.refresh_rows(list(range(len(self.quants.rows))))

    def _mark_best(self) -> None:
        """The largest model quantization that fits fully (more bits: better quality) is the best pick."""
        rows = self.quants.rows
        for r in rows:
            r.best = False
        fitting = [r for r in rows if r.level == 0 and r.entry.kind == "model"]
        if fitting:
            best = max(fitting, key=lambda r: r.entry.total_size)
            best.best = True
            self.fit_note.setText(translate("RepoView", "★ {quant} ({size}) is the best quantization that fits fully "
                                                        "on this computer at {n} tokens.").format(
                quant=best.entry.quant, size=human_bytes(best.entry.total_size), n=number(self.n_ctx)))
        elif rows and all(r.level >= 0 for r in rows if r.entry.kind == "model"):
            self.fit_note.setText(translate("RepoView", "No quantization fits fully on this computer at this "
                                                        "context; try a smaller context or a smaller model."))

    def set_local_paths(self, paths: list[str]) -> None:
        """Which rows are already downloaded: their path in the models folder, "" for the others (row order)."""
        rows = self.quants.rows
        changed = [i for i, (r, p) in enumerate(zip(rows, paths)) if r.local_path != p]
        for i in changed:
            rows[i].local_path = paths[i]
        self.quants.refresh_rows(changed)
        self._update_button()

    def selected_row(self) -> QuantRow | None:
        idx = self.table.selectionModel().selectedRows()
        return self.quants.data(idx[0], ItemRole) if idx else None

    def selected_entry(self):
        row = self.selected_row()
        return row.entry if row else None

    def select_best(self) -> None:
        for i, r in enumerate(self.quants.rows):
            if r.best:
                self.table.selectRow(i)

    def _update_button(self) -> None:
        """Download, or for a file that is already here Chat (a vision projector: nothing to do)."""
        row = self.selected_row()
        here = row is not None and bool(row.local_path)
        if here:
            model = row.entry.kind == "model"
            self.download.setText(translate("RepoView", "Chat") if model else translate("RepoView", "Downloaded"))
            self.download.setAccessibleName(translate("RepoView", "Chat with {name}").format(name=row.entry.name)
                                            if model else translate("RepoView", "Downloaded"))
            self.download.setToolTip(translate("RepoView", "Already downloaded: {path}").format(path=row.local_path))
            self.download.setEnabled(model)
            self.here_note.setText(translate("RepoView", "✓ Already downloaded"))
            self.here_note.setToolTip(row.local_path)
        else:
            self.here_note.setText("")
            self.here_note.setToolTip("")
            self.download.setText(translate("RepoView", "Download"))
            self.download.setAccessibleName(translate("RepoView", "Download"))
            self.download.setToolTip("")
            self.download.setEnabled(self.details is not None and row is not None)
        self._offer_projector(row if not here else None)

    def _offer_projector(self, row: QuantRow | None) -> None:
        """"Also download the vision projector (<file>, <size>)" under the button, for a model whose repository
        holds an mmproj file that is not downloaded yet."""
        proj = None
        if row is not None and self.details is not None:
            proj = projector_for_entry([r.entry for r in self.quants.rows], row.entry)
            if proj is not None and any(r.entry is proj and r.local_path for r in self.quants.rows):
                proj = None  # already here: the library pairs it
        self._offered = proj
        if proj is not None:
            self.projector_offer.setText(translate("RepoView", "Also download the vision projector ({file}, "
                                                               "{size})").format(file=proj.name,
                                                                                 size=human_bytes(proj.total_size)))
            self.projector_offer.setToolTip(translate("RepoView", "Lets this model read images in the chat. It goes "
                                                                  "into the same folder, so the library pairs them."))
        self.projector_offer.setVisible(proj is not None)

    def download_entry(self):
        """What Download fetches for the selected row: its files, plus the projector when that is ticked."""
        row = self.selected_row()
        if row is None:
            return None
        if self._offered is not None and self.projector_offer.isChecked():
            return with_projector(row.entry, self._offered)
        return row.entry

    def _download(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.local_path:  # never a second copy
            if row.entry.kind == "model":
                self.chat_requested.emit(row.local_path)
            return
        self.download_requested.emit(self.download_entry())
