"""Add backend…: the address of a model server and its API key (optional), a Check that asks the server in the
background what it is and what it serves, then Add.

A wrong address is explained under the field before anything is sent. An address on the internet (not this
computer, not the local network) is asked about a second time (:func:`confirm_public`) before Hearth connects to
it. The network layer only lets Hearth connect to added backends: the host is allowed (``allow_backend_host``)
just before the Check, and no longer once the dialog closes without adding it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from app.core.net import policy
from app.core.remote import Backend, BackendError, RemoteError, is_public, normalize_url
from app.core.remote.probe import probe
from app.ui.backends.backends_model import context_text, model_line, what_text
from app.ui.common.backends_state import BackendsState
from app.ui.common.i18n import translate
from app.ui.common.tasks import TaskRunner

SHOWN_MODELS = 12  # model lines in the Check result (an Ollama server may have dozens)
PLACEHOLDER = "http://192.168.1.20:8080"


def confirm_public(parent: QWidget | None, url: str) -> bool:
    """The second confirmation for a server on the internet; Cancel is the default (and Esc)."""
    b = Backend(url)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Warning)
    box.setWindowTitle(translate("Backends", "A server on the internet"))
    box.setText(translate("Backends", "{host} is on the internet, not on this computer or your local network. If "
                                      "you use it, the conversation will leave this machine and go over the internet "
                                      "to {host}.").format(host=b.host))
    if url.startswith("http:"):
        box.setInformativeText(translate("Backends", "Whoever runs that server can read what you send to its "
                                                     "models. This address uses http://: the text would also travel "
                                                     "unencrypted. Use it only if you trust that server."))
    else:
        box.setInformativeText(translate("Backends", "Whoever runs that server can read what you send to its "
                                                     "models. Use it only if you trust that server."))
    use = box.addButton(translate("Backends", "Use this server"), QMessageBox.AcceptRole)
    cancel = box.addButton(translate("Backends", "Cancel"), QMessageBox.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    use.setAccessibleName(translate("Backends", "Use this server"))
    cancel.setAccessibleName(translate("Backends", "Cancel"))
    box.exec()
    return box.clickedButton() is use


def set_banner(label: QLabel, text: str, kind: str = "info") -> None:
    """Show ``text`` in a banner label (hidden when empty). The label must have a "banner" property from the
    start: a label polished without one gets no padding when it is polished again with one."""
    label.setProperty("banner", kind)
    label.style().unpolish(label)
    label.style().polish(label)
    label.setText(text)
    label.setVisible(bool(text))


def found_text(b: Backend) -> str:
    """What a Check found, in words (plain text: model ids come from the server)."""
    if not b.models:
        return translate("Backends", "Found {what} at {url}, serving %n model(s). You can add it now and refresh it "
                                     "once it serves a model.", None, 0).format(what=what_text(b), url=b.url)
    n = len(b.models)
    lines = [translate("Backends", "Found {what} at {url}, serving %n model(s) (context: {context}):", None,
                       n).format(what=what_text(b), url=b.url, context=context_text(b.models))]
    lines += [f"• {model_line(m)}" for m in b.models[:SHOWN_MODELS]]
    if len(b.models) > SHOWN_MODELS:
        lines.append(translate("Backends", "… and {n} more").format(n=len(b.models) - SHOWN_MODELS))
    lines.append(translate("Backends", "Press Add to list them in the Chat page's model picker."))
    return "\n".join(lines)


class AddBackendDialog(QDialog):
    added = Signal(str)  # the url of the backend saved

    def __init__(self, backends: BackendsState, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backends = backends
        self.runner = runner
        self.found: Backend | None = None  # what the last Check found, for the address and key as they are now
        self._token = 0  # the running Check (0: none); a result for another token is dropped
        self._checking: tuple[str, str, bool] = ("", "", False)  # url, key, public of the running Check
        self._added = False
        self._closed = False  # done() ran: the runner's signals are disconnected
        self.setWindowTitle(translate("AddBackendDialog", "Add backend"))
        self.setAccessibleName(translate("AddBackendDialog", "Add backend"))
        self.setMinimumWidth(520)

        intro = QLabel(translate("AddBackendDialog", "The address of a model server: llama.cpp's llama-server, "
                                                     "vLLM, Ollama, LM Studio, another Hearth or any OpenAI-compatible "
                                                     "server. With or without /v1 at the end."))
        intro.setWordWrap(True)
        intro.setProperty("muted", True)
        self.address = QLineEdit()
        self.address.setPlaceholderText(PLACEHOLDER)
        self.address.setAccessibleName(translate("AddBackendDialog", "Backend address"))
        self.address_error = QLabel()
        self.address_error.setWordWrap(True)
        self.address_error.setAccessibleName(translate("AddBackendDialog", "Address problem"))
        self.address_error.setProperty("banner", "error")  # set before the first polish: it gives the padding
        self.address_error.hide()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.Password)
        self.key.setPlaceholderText(translate("AddBackendDialog", "optional"))
        self.key.setAccessibleName(translate("AddBackendDialog", "API key"))
        self.key.setToolTip(translate("AddBackendDialog",
                                      "Kept in your system's keyring, never in Hearth's settings or logs."))
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.PlainText)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.result.setAccessibleName(translate("AddBackendDialog", "Check result"))
        self.result.setProperty("banner", "info")
        self.result.hide()

        self.check_button = QPushButton(translate("AddBackendDialog", "Check"))
        self.check_button.setAccessibleName(translate("AddBackendDialog", "Check backend"))
        self.check_button.setToolTip(translate("AddBackendDialog",
                                               "Ask the server what it is and which models it serves"))
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        self.add_button = QPushButton(translate("AddBackendDialog", "Add"))
        self.add_button.setAccessibleName(translate("AddBackendDialog", "Add backend"))
        self.add_button.setProperty("primary", True)
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add)
        cancel = QPushButton(translate("AddBackendDialog", "Cancel"))
        cancel.setAccessibleName(translate("AddBackendDialog", "Cancel"))
        cancel.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(translate("AddBackendDialog", "Address:"), self.address)
        form.addRow("", self.address_error)
        form.addRow(translate("AddBackendDialog", "API key:"), self.key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.result)
        lay.addStretch(1)
        lay.addLayout(buttons)

        self.address.textEdited.connect(self._edited)
        self.key.textEdited.connect(self._edited)
        runner.done.connect(self._check_done)
        runner.failed.connect(self._check_failed)

    # ---- the Check ----------------------------------------------------------------------------------------------
    def check(self) -> None:
        """Validate the address, ask about an internet host, then probe the server on the runner."""
        self._edited()
        try:
            url = normalize_url(self.address.text())
        except BackendError as exc:
            set_banner(self.address_error, str(exc), "error")
            self._fit()
            self.address.setFocus()
            return
        key = self.key.text().strip()
        if any(c.isspace() for c in key):
            self._say(translate("AddBackendDialog", "An API key has no spaces in it: check what you pasted."), "error")
            self.key.setFocus()
            return
        public = is_public(url)
        if public and not confirm_public(self, url):
            self._say(translate("AddBackendDialog", "Not checked: Hearth did not connect to {host}.").format(
                host=Backend(url).host), "info")
            return
        b = Backend(url)
        policy.allow_backend_host(b.host, b.port)
        self._checking = (url, key, public)
        self._token = self.runner.submit(lambda: probe(url, key))
        self.check_button.setEnabled(False)
        self._say(translate("AddBackendDialog", "Checking {url}…").format(url=url), "info")

    def _check_done(self, token: int, backend) -> None:
        if token != self._token:
            return
        self._token = 0
        self.check_button.setEnabled(True)
        url, key, public = self._checking
        backend.public = public
        self.found = backend
        self._say(found_text(backend), "info")
        self.add_button.setEnabled(True)
        self.add_button.setDefault(True)
        self.add_button.setFocus()

    def _check_failed(self, token: int, exc) -> None:
        if token != self._token:
            return
        self._token = 0
        self.check_button.setEnabled(True)
        if isinstance(exc, RemoteError) and exc.kind == "auth":
            self._say(translate("AddBackendDialog", "The server asks for an API key (or a different one). Enter it in "
                                                    "the API key field and press Check again.\n\n{error}").format(
                error=exc), "error")
            self.key.setFocus()
            self.key.selectAll()
            return
        self._say(str(exc) or type(exc).__name__, "error")
        self.check_button.setFocus()

    def _edited(self, *_args) -> None:
        """A changed address or key: the last Check no longer holds (a running one is dropped)."""
        self.found = None
        self._token = 0
        self.check_button.setEnabled(True)
        self.check_button.setDefault(True)
        self.add_button.setEnabled(False)
        set_banner(self.address_error, "")
        set_banner(self.result, "")
        self._fit()

    def _say(self, text: str, kind: str) -> None:
        set_banner(self.result, text, kind)
        self._fit()

    def _fit(self) -> None:
        """Grow (or shrink) to what the labels now say: a dialog keeps its size when its content changes."""
        if self.isVisible():
            self.layout().activate()
            self.resize(self.width(), max(self.minimumSizeHint().height(),
                                          self.layout().totalHeightForWidth(self.width())))

    # ---- Add and closing ------------------------------------------------------------------------------------------
    def add(self) -> None:
        if self.found is None:
            return
        try:
            self.backends.save(self.found, self._checking[1])
        except (BackendError, OSError) as exc:
            self._say(translate("AddBackendDialog", "Could not add {url}: {error}").format(url=self.found.url,
                                                                                            error=exc), "error")
            return
        self._added = True
        self.added.emit(self.found.url)
        self.accept()

    def done(self, result: int) -> None:  # noqa: D401 (QDialog API: accept, reject and closing end here)
        self._token = 0
        if self._closed:
            return super().done(result)
        self._closed = True
        for signal, slot in ((self.runner.done, self._check_done), (self.runner.failed, self._check_failed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        if not self._added:  # a host that was only checked is not allowed any longer: back to the added ones
            policy.set_backend_hosts((b.host, b.port) for b in self.backends.all())
        super().done(result)
