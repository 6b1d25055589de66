"""The network log page: every request Hearth made (time, host, path, bytes, purpose), newest first, so a user
can check that Hearth only talks to the Hub, and only when asked. Also the Offline mode switch.

Wiring (main window): ``page = NetworkPage(ctx)``; add it to the navigation; connect a status-bar switch with
Its switch is bound to the window's one owner of Offline mode (``ctx.offline``), like every other."""
from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from app.core import net
from app.core.units import human_bytes
from app.ui.context import AppContext
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.page import Page
from app.ui.network.server_control import ServerControl
from app.ui.network.server_section import ServerSection

# what each request was for, as app/core records it in the log (English keys, kept in the log file) -> shown translated
PURPOSES = {QT_TRANSLATE_NOOP("NetworkPurpose", "search"), QT_TRANSLATE_NOOP("NetworkPurpose", "repository"),
            QT_TRANSLATE_NOOP("NetworkPurpose", "file metadata"), QT_TRANSLATE_NOOP("NetworkPurpose", "header read"),
            QT_TRANSLATE_NOOP("NetworkPurpose", "download"), QT_TRANSLATE_NOOP("NetworkPurpose", "model card"),
            QT_TRANSLATE_NOOP("NetworkPurpose", "api"), QT_TRANSLATE_NOOP("NetworkPurpose", "remote chat"),
            QT_TRANSLATE_NOOP("NetworkPurpose", "token count"), QT_TRANSLATE_NOOP("NetworkPurpose", "backend check"),
            QT_TRANSLATE_NOOP("NetworkPurpose", "other")}


def shown_purpose(purpose: str) -> str:
    return translate("NetworkPurpose", purpose) if purpose in PURPOSES else purpose


class _Bridge(QObject):
    """Carries records from whatever thread made the request to the GUI thread (queued signal)."""
    record = Signal(object)


class NetworkLogModel(QAbstractTableModel):
    headers = (QT_TRANSLATE_NOOP("NetworkLogModel", "Time"), QT_TRANSLATE_NOOP("NetworkLogModel", "Direction"),
               QT_TRANSLATE_NOOP("NetworkLogModel", "Method"), QT_TRANSLATE_NOOP("NetworkLogModel", "Host or client"),
               QT_TRANSLATE_NOOP("NetworkLogModel", "Path"), QT_TRANSLATE_NOOP("NetworkLogModel", "Status"),
               QT_TRANSLATE_NOOP("NetworkLogModel", "Received"), QT_TRANSLATE_NOOP("NetworkLogModel", "Sent"),
               QT_TRANSLATE_NOOP("NetworkLogModel", "Purpose"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[net.RequestRecord] = []  # newest first

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.headers):
            return translate("NetworkLogModel", self.headers[section])
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        r = self.rows[index.row()]
        if role == Qt.DisplayRole:
            status = str(r.status) if r.status else translate("NetworkLogModel", "failed")
            way = translate("NetworkLogModel", "in (API)") if r.direction == "in" else \
                translate("NetworkLogModel", "out")
            tokens = r.tokens  # a plain name: pyside6-lupdate finds a plural only with one
            purpose = shown_purpose(r.purpose) + " · " + translate("NetworkLogModel", "%Ln token(s)", None, tokens) \
                if r.direction == "in" and tokens else shown_purpose(r.purpose)
            return (time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.time)), way, r.method, r.host, r.path, status,
                    human_bytes(r.bytes_in), human_bytes(r.bytes_out), purpose)[index.column()]
        if role == Qt.ToolTipRole:
            return r.error or r.path
        if role == Qt.ForegroundRole and (r.error or r.status >= 400 or not r.status):
            return QColor("#b3261e")
        return None

    def retranslate(self) -> None:
        """The headers and the cells' words in the current language."""
        self.headerDataChanged.emit(Qt.Horizontal, 0, len(self.headers) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.headers) - 1))

    def set_records(self, records: list[net.RequestRecord]) -> None:
        self.beginResetModel()
        self.rows = sorted(records, key=lambda r: r.time, reverse=True)
        self.endResetModel()

    def prepend(self, rec: net.RequestRecord, limit: int = 5000) -> None:
        """Add a record, newest first by the time its request started. Requests running side by side can finish
        (and be logged) in another order than they started, so the place is searched, not assumed to be 0."""
        row = 0
        while row < len(self.rows) and self.rows[row].time > rec.time:
            row += 1
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, rec)
        self.endInsertRows()
        if len(self.rows) > limit:
            self.beginRemoveRows(QModelIndex(), limit, len(self.rows) - 1)
            del self.rows[limit:]
            self.endRemoveRows()


class NetworkPage(Page):
    def __init__(self, ctx: AppContext, server: ServerControl | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.server = server
        net.configure(offline=ctx.offline.on, endpoint=ctx.settings.hub_endpoint,
                      log_path=ctx.paths.data_dir / "network_log.jsonl")
        title = QLabel(translate("NetworkPage", "Network"))
        title.setProperty("heading", True)
        self.explain = QLabel("")
        self.explain.setWordWrap(True)
        self.explain.setProperty("muted", True)
        self.offline = QCheckBox(translate("NetworkPage", "Offline mode: open no network connection at all"))
        self.offline.setAccessibleName(translate("NetworkPage", "Offline mode"))
        ctx.offline.bind(self.offline)
        ctx.offline.changed.connect(self._update_text)
        self.model = NetworkLogModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move in it
        self.table.setAccessibleName(translate("NetworkPage", "Network requests"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeToContents)
        h.setSectionResizeMode(4, QHeaderView.Stretch)
        self.total = QLabel("")
        self.total.setProperty("muted", True)
        self.clear = QPushButton(translate("NetworkPage", "Clear log"))
        self.clear.setAccessibleName(translate("NetworkPage", "Clear network log"))
        self.clear.clicked.connect(self.clear_log)
        row = QHBoxLayout()
        row.addWidget(self.total, 1)
        row.addWidget(self.clear)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addWidget(title)
        lay.addWidget(self.explain)
        lay.addWidget(self.offline)
        self.server_section = ServerSection(server) if server is not None else None
        if self.server_section is not None:
            lay.addWidget(self.server_section)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self._bridge = _Bridge(self)
        self._bridge.record.connect(self._on_record)
        net.network_log().subscribe(self._bridge.record.emit)
        self.model.set_records(net.network_log().entries())
        self._update_text()

    def _update_text(self, *_) -> None:
        ep = net.endpoint(self.ctx.settings.hub_endpoint)
        state = translate("NetworkPage", "Offline mode is on: Hearth opens no network connection.") \
            if net.is_offline() else \
            translate("NetworkPage", "Hearth connects only to the Hub ({endpoint}), and only when you search, open a "
                      "repository or download. No telemetry, no update checks, nothing loaded from the web.").format(
                endpoint=ep)
        self.explain.setText(state + " " + translate(
            "NetworkPage", "Every request it made is listed here, newest first, with every request other apps made "
            "to its local API server (direction \"in\"), which answers on this computer even in Offline mode."))
        total_in = sum(r.bytes_in for r in self.model.rows)
        count = len(self.model.rows)  # a plain name: pyside6-lupdate finds a plural only with one
        self.total.setText(translate("NetworkPage", "%Ln request(s), {size} received", None, count).format(
            size=human_bytes(total_in)))

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "_bridge"):
            self.model.retranslate()
            self._update_text()

    def _on_record(self, rec) -> None:
        self.model.prepend(rec)
        self._update_text()

    def set_offline(self, on: bool) -> None:
        """Turn Offline mode on or off (the window's one owner saves it and tells every page)."""
        self.ctx.offline.set(on)

    def clear_log(self) -> None:
        net.network_log().clear()
        self.model.set_records([])
        self._update_text()

    def on_shown(self) -> None:
        self._update_text()

    def shutdown(self) -> None:
        net.network_log().unsubscribe(self._bridge.record.emit)
        if self.server is not None:
            self.server.shutdown()
