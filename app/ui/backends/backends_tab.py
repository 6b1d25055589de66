"""Backends: the model servers the user added (llama.cpp's llama-server, vLLM, Ollama, LM Studio, another Hearth,
any OpenAI-compatible server), whose models the Chat page's picker lists.

The table follows the one owner of the list (:class:`app.ui.common.backends_state.BackendsState`, ``changed``).
Add backend… opens :class:`AddBackendDialog`; each row has Refresh (ask the server again, on the runner, with the
key kept for it), Set key… and Remove…, as buttons and as the row's context menu (the Menu key opens it too).
Every network request runs on the runner given to the tab; a result for a backend removed meanwhile is dropped."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMenu,
                               QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from app.core.remote import Backend, BackendError, RemoteError
from app.core.remote.probe import probe
from app.ui.backends.add_backend_dialog import AddBackendDialog, set_banner
from app.ui.backends.backends_model import BackendsModel, what_text
from app.ui.common.backends_state import BackendsState
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import ItemRole
from app.ui.common.tasks import TaskRunner

EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "BackendsTab", "No backends yet. Use a model served by a bigger machine: llama.cpp's llama-server, vLLM, Ollama, "
              "LM Studio or another Hearth, on this computer or your local network. Press Add backend… and enter "
              "the server's address; its models then appear in the Chat page's model picker, next to your local "
              "ones. How to start each server so that Hearth can reach it: docs/remote.md (\"Chat with a model on "
              "a bigger machine\").")


class BackendsTab(QWidget):
    def __init__(self, backends: BackendsState, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = backends
        self.runner = runner
        self.dialog: AddBackendDialog | None = None  # the open Add backend dialog
        self._refreshing: dict[int, str] = {}  # runner token -> url of the backend being checked again
        runner.done.connect(self._refresh_done)
        runner.failed.connect(self._refresh_failed)

        self.model = BackendsModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(translate("BackendsTab", "Backends"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda _pos: self.show_menu())
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.Interactive)
        h.setSectionResizeMode(BackendsModel.MODELS_COLUMN, QHeaderView.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())

        self.empty = QLabel(translate("BackendsTab", EMPTY_TEXT))
        self.empty.setWordWrap(True)
        self.empty.setProperty("banner", "info")
        self.empty.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(translate("BackendsTab", "Backends status"))
        self.status.setProperty("banner", "info")
        self.status.hide()

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, label, name, slot in (
                ("add", translate("BackendsTab", "Add backend…"), translate("BackendsTab", "Add backend"),
                 self.open_add_dialog),
                ("refresh", translate("BackendsTab", "Refresh"), translate("BackendsTab", "Refresh backend"),
                 self.refresh),
                ("key", translate("BackendsTab", "Set key…"), translate("BackendsTab", "Set API key"), self.set_key),
                ("remove", translate("BackendsTab", "Remove…"), translate("BackendsTab", "Remove backend"),
                 self.remove)):
            b = QPushButton(label)
            b.setAccessibleName(name)
            b.clicked.connect(slot)
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        self.buttons["add"].setProperty("primary", True)
        self.buttons["refresh"].setToolTip(translate("BackendsTab", "Ask the server again which models it serves"))
        self.buttons["key"].setToolTip(translate("BackendsTab",
                                                 "Enter, change or remove the API key Hearth sends to this server"))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.status)
        lay.addWidget(self.empty, 1)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        backends.changed.connect(self.reload)
        self.reload()

    # ---- data -----------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """The rows again from the store (a backend added, refreshed or removed); the selection stays."""
        current = self.selected()
        self.model.set_rows(self.state.all())
        # a handful of rows: measured by the view itself (common.column_widths is for tables of hundreds)
        for c in range(len(self.model.headers)):
            if c != BackendsModel.MODELS_COLUMN:
                self.table.resizeColumnToContents(c)
        has_rows = bool(self.model.rows)
        self.empty.setVisible(not has_rows)
        self.table.setVisible(has_rows)
        if current is not None:
            self.select(current.url)
        self._update()

    def selected(self) -> Backend | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ItemRole) if rows else None

    def select(self, url: str) -> None:
        row = self.model.row_of(url)
        if row >= 0:
            self.table.selectRow(row)

    def _update(self) -> None:
        b = self.selected()
        for key in ("refresh", "key", "remove"):
            self.buttons[key].setEnabled(b is not None)
        if b is not None and b.url in self._refreshing.values():
            self.buttons["refresh"].setEnabled(False)

    def say(self, text: str, kind: str = "info") -> None:
        set_banner(self.status, text, kind)

    # ---- the context menu -----------------------------------------------------------------------------------------
    def menu_actions(self, b: Backend | None) -> list[tuple[str, object]]:
        """A row's context menu: (label, callable) pairs, the same actions as the buttons."""
        if b is None:
            return []
        return [(translate("BackendsTab", "Refresh"), lambda: self.refresh(b.url)),
                (translate("BackendsTab", "Set key…"), lambda: self.set_key(b.url)),
                (translate("BackendsTab", "Remove…"), lambda: self.remove(b.url))]

    def show_menu(self) -> None:
        b = self.selected()
        actions = self.menu_actions(b)
        if not actions:
            return
        menu = QMenu(self)
        menu.setAccessibleName(translate("BackendsTab", "Actions for {url}").format(url=b.url))
        for label, fn in actions:
            menu.addAction(label, fn)
        rect = self.table.visualRect(self.table.currentIndex())
        menu.exec(self.table.viewport().mapToGlobal(rect.center()))
        menu.deleteLater()

    # ---- actions --------------------------------------------------------------------------------------------------
    def _target(self, url: str | None) -> Backend | None:
        if url:
            return self.state.store.get(url)
        return self.selected()

    def open_add_dialog(self) -> AddBackendDialog:
        """Add backend…: the dialog, window-modal and not blocking (its Check runs on this tab's runner)."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        self.dialog = AddBackendDialog(self.state, self.runner, self)
        self.dialog.added.connect(self._added)
        self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()
        return self.dialog

    def _dialog_closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _added(self, url: str) -> None:
        b = self.state.store.get(url)
        self.select(url)
        if b is not None:
            n = len(b.models)
            if n == 1:
                text = translate("BackendsTab", "Added {what} at {url} with 1 model: pick it in the Chat page's "
                                                "model picker.")
            else:
                text = translate("BackendsTab", "Added {what} at {url} with %n model(s): pick them in the Chat "
                                                "page's model picker.", None, n)
            self.say(text.format(what=what_text(b), url=b.url))
        self.table.setFocus()

    def refresh(self, url: str | None = None) -> None:
        """Ask the server again (in the background) what it serves, with the key kept for it."""
        b = self._target(url)
        if b is None or b.url in self._refreshing.values():
            return
        store, url = self.state.store, b.url
        token = self.runner.submit(lambda: probe(url, store.key(url)))  # the keyring is read on the runner too
        self._refreshing[token] = url
        self.say(translate("BackendsTab", "Checking {name} again…").format(name=b.label))
        self._update()

    def _refresh_done(self, token: int, new) -> None:
        url = self._refreshing.pop(token, None)
        if url is None:
            return  # the Add dialog's Check (it shares the runner), or not ours
        old = self.state.store.get(url)
        self._update()
        if old is None:
            return  # removed while it was being checked
        new.public = old.public
        try:
            self.state.save(new)  # the key stays as it is (has_key: the probe used the kept key)
        except OSError as exc:
            self.say(translate("BackendsTab", "Could not save what {name} serves: {error}").format(
                name=new.label, error=exc), "error")
            return
        if new.models:
            ids = ", ".join(m.id for m in new.models[:5]) + ("…" if len(new.models) > 5 else "")
            n = len(new.models)
            text = translate("BackendsTab", "{name}: {what}, %n model(s) ({models}).", None, n)
        else:
            ids, text = "", translate("BackendsTab", "{name}: {what}, %n model(s).", None, 0)
        self.say(text.format(name=new.label, what=what_text(new), models=ids))

    def _refresh_failed(self, token: int, exc) -> None:
        url = self._refreshing.pop(token, None)
        if url is None:
            return
        self._update()
        b = self.state.store.get(url)
        if b is None:
            return
        if isinstance(exc, RemoteError) and exc.kind == "auth":
            self.select(url)
            self.say(translate("BackendsTab", "The server asks for an API key (or a different one). Press Set key… "
                                              "to enter it for {name}.\n{error}").format(name=b.label, error=exc),
                     "error")
            self.buttons["key"].setFocus()
            return
        self.say(translate("BackendsTab", "Could not refresh {name}: {error}").format(name=b.label, error=exc), "error")

    def set_key(self, url: str | None = None) -> None:
        """Set key…: enter, change or (empty) remove the API key; then check the server again with it."""
        b = self._target(url)
        if b is None:
            return
        key, ok = QInputDialog.getText(
            self, translate("BackendsTab", "API key"),
            translate("BackendsTab", "The API key for {url}.\nIt is kept in your system's keyring. Leave the field "
                                     "empty to remove the key Hearth keeps for it.").format(url=b.url),
            QLineEdit.Password)
        if not ok:
            return
        try:
            self.state.save(b, key.strip())
        except (BackendError, OSError) as exc:
            self.say(translate("BackendsTab", "The key was not kept: {error}").format(error=exc), "error")
            return
        if key.strip():
            self.say(translate("BackendsTab", "Key kept for {name}.").format(name=b.label))
        else:
            self.say(translate("BackendsTab", "Key removed for {name}.").format(name=b.label))
        self.refresh(b.url)

    def remove(self, url: str | None = None) -> None:
        b = self._target(url)
        if b is None:
            return
        if b.has_key:
            text = translate("BackendsTab", "Remove {url}? Its models leave the Chat page's model picker. Hearth "
                                            "also forgets its API key. The server itself is not changed.")
        else:
            text = translate("BackendsTab", "Remove {url}? Its models leave the Chat page's model picker. The server "
                                            "itself is not changed.")
        if QMessageBox.question(self, translate("BackendsTab", "Remove backend"), text.format(url=b.url),
                                QMessageBox.Yes | QMessageBox.No,
                                QMessageBox.No) != QMessageBox.Yes:
            return
        self.state.remove(b.url)
        self.say(translate("BackendsTab", "Removed {url}.").format(url=b.url))
