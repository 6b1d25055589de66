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
from app.core.units import plural
from app.ui.backends.add_backend_dialog import KEY_NEEDED, AddBackendDialog, set_banner
from app.ui.backends.backends_model import BackendsModel, what_text
from app.ui.common.backends_state import BackendsState
from app.ui.common.table_model import ItemRole
from app.ui.common.tasks import TaskRunner

EMPTY_TEXT = ("No backends yet. Use a model served by a bigger machine: llama.cpp's llama-server, vLLM, Ollama, "
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
        self.table.setAccessibleName("Backends")
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

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setWordWrap(True)
        self.empty.setProperty("banner", "info")
        self.empty.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Backends status")
        self.status.setProperty("banner", "info")
        self.status.hide()

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, label, name, slot in (
                ("add", "Add backend…", "Add backend", self.open_add_dialog),
                ("refresh", "Refresh", "Refresh backend", self.refresh),
                ("key", "Set key…", "Set API key", self.set_key),
                ("remove", "Remove…", "Remove backend", self.remove)):
            b = QPushButton(label)
            b.setAccessibleName(name)
            b.clicked.connect(slot)
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        self.buttons["add"].setProperty("primary", True)
        self.buttons["refresh"].setToolTip("Ask the server again which models it serves")
        self.buttons["key"].setToolTip("Enter, change or remove the API key Hearth sends to this server")

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
        return [("Refresh", lambda: self.refresh(b.url)), ("Set key…", lambda: self.set_key(b.url)),
                ("Remove…", lambda: self.remove(b.url))]

    def show_menu(self) -> None:
        b = self.selected()
        actions = self.menu_actions(b)
        if not actions:
            return
        menu = QMenu(self)
        menu.setAccessibleName(f"Actions for {b.url}")
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
            self.say(f"Added {what_text(b)} at {b.url} with {plural(len(b.models), 'model')}: pick "
                     f"{'them' if len(b.models) != 1 else 'it'} in the Chat page's model picker.")
        self.table.setFocus()

    def refresh(self, url: str | None = None) -> None:
        """Ask the server again (in the background) what it serves, with the key kept for it."""
        b = self._target(url)
        if b is None or b.url in self._refreshing.values():
            return
        store, url = self.state.store, b.url
        token = self.runner.submit(lambda: probe(url, store.key(url)))  # the keyring is read on the runner too
        self._refreshing[token] = url
        self.say(f"Checking {b.label} again…")
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
            self.say(f"Could not save what {new.label} serves: {exc}", "error")
            return
        self.say(f"{new.label}: {what_text(new)}, {plural(len(new.models), 'model')}"
                 + (f" ({', '.join(m.id for m in new.models[:5])}{'…' if len(new.models) > 5 else ''})."
                    if new.models else "."))

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
            self.say(f"{KEY_NEEDED} Press Set key… to enter it for {b.label}.\n{exc}", "error")
            self.buttons["key"].setFocus()
            return
        self.say(f"Could not refresh {b.label}: {exc}", "error")

    def set_key(self, url: str | None = None) -> None:
        """Set key…: enter, change or (empty) remove the API key; then check the server again with it."""
        b = self._target(url)
        if b is None:
            return
        key, ok = QInputDialog.getText(self, "API key", f"The API key for {b.url}.\nIt is kept in your system's "
                                       "keyring. Leave the field empty to remove the key Hearth keeps for it.",
                                       QLineEdit.Password)
        if not ok:
            return
        try:
            self.state.save(b, key.strip())
        except (BackendError, OSError) as exc:
            self.say(f"The key was not kept: {exc}", "error")
            return
        self.say(f"Key {'kept' if key.strip() else 'removed'} for {b.label}.")
        self.refresh(b.url)

    def remove(self, url: str | None = None) -> None:
        b = self._target(url)
        if b is None:
            return
        key = " Hearth also forgets its API key." if b.has_key else ""
        if QMessageBox.question(self, "Remove backend",
                                f"Remove {b.url}? Its models leave the Chat page's model picker.{key} The server "
                                "itself is not changed.", QMessageBox.Yes | QMessageBox.No,
                                QMessageBox.No) != QMessageBox.Yes:
            return
        self.state.remove(b.url)
        self.say(f"Removed {b.url}.")
