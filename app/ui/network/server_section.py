"""The Network page's "Local API server" section: on/off, port, the address to copy, serving on the LAN (with the
key: shown on request, copied, renewed), allowed web origins, and who is using the model right now. Requests the
server answered are in the page's log below it (direction "in")."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QWidget)

from app.ui.common.i18n import translate
from app.ui.network.server_control import ServerControl


class ServerSection(QGroupBox):
    def __init__(self, control: ServerControl, parent: QWidget | None = None) -> None:
        super().__init__(translate("ServerSection", "Local API server (OpenAI-compatible)"), parent)
        self.control = control
        self._gate = None  # the last GateState shown
        p = control.prefs()
        self.enabled = QCheckBox(translate("ServerSection", "Let other apps on this computer use the loaded model"))
        self.enabled.setAccessibleName(translate("ServerSection", "Local API server"))
        self.enabled.setAccessibleDescription(translate("ServerSection", "Editors, scripts and note apps can then "
                                                        "send chat requests to Hearth's model over an "
                                                        "OpenAI-compatible HTTP API. Off by default."))
        self.enabled.setChecked(p["enabled"])
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(p["port"]))
        self.port.setAccessibleName(translate("ServerSection", "Server port"))
        self.address = QLineEdit()
        self.address.setReadOnly(True)
        self.address.setAccessibleName(translate("ServerSection", "Server address"))
        self.copy_address = QPushButton(translate("ServerSection", "Copy address"))
        self.copy_address.setAccessibleName(translate("ServerSection", "Copy server address"))
        self.lan = QCheckBox(translate("ServerSection", "Also serve other devices on my network (they need the key)"))
        self.lan.setAccessibleName(translate("ServerSection", "Serve on the local network"))
        self.lan.setChecked(p["lan"])
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setEchoMode(QLineEdit.Password)
        self.key.setAccessibleName(translate("ServerSection", "API key"))
        self.key.setPlaceholderText(translate("ServerSection", "made when you first serve on the network"))
        self.show_key = QPushButton(translate("ServerSection", "Show"))
        self.show_key.setCheckable(True)
        self.show_key.setAccessibleName(translate("ServerSection", "Show API key"))
        self.copy_key = QPushButton(translate("ServerSection", "Copy key"))
        self.copy_key.setAccessibleName(translate("ServerSection", "Copy API key"))
        self.renew = QPushButton(translate("ServerSection", "New key"))
        self.renew.setAccessibleName(translate("ServerSection", "Make a new API key"))
        self.renew.setToolTip(translate("ServerSection", "Apps using the old key stop working until they get the new "
                                                         "one"))
        self.origins = QLineEdit(", ".join(p["origins"]))
        self.origins.setAccessibleName(translate("ServerSection", "Allowed web origins"))
        self.origins.setPlaceholderText(translate("ServerSection", "web pages allowed to call the API, e.g. "
                                                                   "http://localhost:3000 (none: no page)"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(translate("ServerSection", "Server status"))
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.holder = QLabel("")
        self.holder.setProperty("muted", True)
        self.holder.setAccessibleName(translate("ServerSection", "Who is using the model"))

        grid = QGridLayout(self)
        grid.addWidget(self.enabled, 0, 0, 1, 4)
        grid.addWidget(QLabel(translate("ServerSection", "Port:")), 1, 0)
        grid.addWidget(self.port, 1, 1)
        grid.addWidget(self.address, 1, 2)
        grid.addWidget(self.copy_address, 1, 3)
        grid.addWidget(self.lan, 2, 0, 1, 4)
        grid.addWidget(QLabel(translate("ServerSection", "Key:")), 3, 0)
        keys = QHBoxLayout()
        keys.addWidget(self.key, 1)
        keys.addWidget(self.show_key)
        keys.addWidget(self.copy_key)
        keys.addWidget(self.renew)
        grid.addLayout(keys, 3, 1, 1, 3)
        grid.addWidget(QLabel(translate("ServerSection", "Origins:")), 4, 0)
        grid.addWidget(self.origins, 4, 1, 1, 3)
        grid.addWidget(self.status, 5, 0, 1, 4)
        grid.addWidget(self.holder, 6, 0, 1, 4)
        grid.setColumnStretch(2, 1)

        self.enabled.toggled.connect(lambda on: control.apply(enabled=on))
        self.port.editingFinished.connect(lambda: control.apply(port=self.port.value()))
        self.lan.toggled.connect(self._lan_toggled)
        self.origins.editingFinished.connect(self._origins_edited)
        self.show_key.toggled.connect(self._show_key)
        self.copy_key.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._key()))
        self.renew.clicked.connect(self._renew)
        self.copy_address.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.address.text()))
        control.changed.connect(self._update)
        control.gate_state.connect(self._on_gate)
        self._update(control.describe())

    def _key(self) -> str:
        if not self.key.text():
            self.key.setText(self.control.key())
        return self.key.text()

    def _show_key(self, on: bool) -> None:
        self._key()
        self.key.setEchoMode(QLineEdit.Normal if on else QLineEdit.Password)
        self.show_key.setText(translate("ServerSection", "Hide") if on else translate("ServerSection", "Show"))

    def _renew(self) -> None:
        self.key.setText(self.control.new_key())

    def _lan_toggled(self, on: bool) -> None:
        if on:
            self._key()  # made (and kept) before the server asks for it
        self.control.apply(lan=on)

    def _origins_edited(self) -> None:
        origins = [o.strip() for o in self.origins.text().replace(" ", ",").split(",") if o.strip()]
        self.control.apply(origins=origins)

    def _update(self, text: str) -> None:
        self.status.setText(text)
        self.address.setText(self.control.url())
        for w in (self.key, self.show_key, self.copy_key, self.renew):
            w.setEnabled(self.lan.isChecked())

    def _on_gate(self, state) -> None:
        self._gate = state
        holder = state.holder
        waiting = " · " + translate("ServerSection", "{count} waiting (at most {limit})").format(
            count=state.waiting, limit=self.control.backend.gate.max_waiting) if state.waiting else ""
        if holder.startswith("api"):
            self.holder.setText(translate("ServerSection", "Answering a request from {client}").format(
                client=holder[4:]) + waiting)
        elif holder == "chat":
            self.holder.setText(translate("ServerSection", "The chat is using the model; requests wait their turn")
                                + waiting)
        else:
            self.holder.setText("")

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "holder"):
            self._update(self.control.describe())  # made from the server's state
            if self._gate is not None:
                self._on_gate(self._gate)
