"""The window's one owner of the local API server: on or off, port, LAN, allowed origins (kept in the settings),
the key (kept by app/core/server/keys.py, never in the settings), and who holds the shared engine right now.

The server's threads live in app/core/server; this object starts and stops it and turns its news into signals
for the GUI thread (``changed`` for its state in words, ``engine_holder`` for who uses the engine).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.core import net
from app.core.server import ApiServer, Backend, DEFAULT_PORT, GateState, ServerConfig
from app.core.server.keys import get_or_create_key, renew_key
from app.core.server.security import MAX_BODY_BYTES
from app.ui.common.i18n import translate

log = logging.getLogger("hearth.server")

SETTINGS_KEY = "api_server"


class ServerControl(QObject):
    changed = Signal(str)  # the server's state in words
    engine_holder = Signal(str)  # who holds the engine ("" free, "chat", "api 127.0.0.1", ...)
    gate_state = Signal(object)  # GateState: the holder and how many requests wait
    _gate_news = Signal(object)  # from any thread: queued to the GUI thread

    def __init__(self, ctx, backend: Backend, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backend = backend
        self.server: ApiServer | None = None
        self.error = ""
        self._failure: tuple[int, str] | None = None  # the port and the error of a start that failed
        self._gate_news.connect(self._on_gate)
        backend.gate.subscribe(self._gate_news.emit)

    # ---- settings -----------------------------------------------------------------------------------------
    def prefs(self) -> dict:
        p = dict(self.ctx.settings.extra.get(SETTINGS_KEY) or {})
        p.setdefault("enabled", False)  # off until the user turns it on
        p.setdefault("port", DEFAULT_PORT)
        p.setdefault("lan", False)
        p.setdefault("origins", [])
        return p

    def _save(self, **changes) -> None:
        p = self.prefs()
        p.update(changes)
        self.ctx.settings.extra[SETTINGS_KEY] = p
        try:
            self.ctx.settings.save(self.ctx.paths.settings_file)
        except OSError as exc:
            log.warning("could not save the server settings: %s", exc)

    def key(self) -> str:
        return get_or_create_key(self.ctx.paths.config_dir)[0]

    def new_key(self) -> str:
        key = renew_key(self.ctx.paths.config_dir)
        if self.running and self.server.config.api_key:
            self.restart()
        return key

    # ---- running ------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.server is not None

    def url(self) -> str:
        return self.server.url if self.server else ""

    def apply(self, enabled: bool | None = None, port: int | None = None, lan: bool | None = None,
              origins: list[str] | None = None) -> None:
        """Change what the user chose; (re)starts or stops the server to match."""
        changes = {k: v for k, v in (("enabled", enabled), ("port", port), ("lan", lan), ("origins", origins))
                   if v is not None}
        self._save(**changes)
        if self.prefs()["enabled"]:
            self.restart()
        else:
            self.stop()

    def start_if_enabled(self) -> None:
        if self.prefs()["enabled"]:
            self.restart()
        else:
            self.changed.emit(self.describe())

    def restart(self) -> None:
        self.stop(quietly=True)
        p = self.prefs()
        config = ServerConfig(host="0.0.0.0" if p["lan"] else "127.0.0.1", port=int(p["port"]),
                              api_key=self.key() if p["lan"] else "", cors_origins=list(p["origins"]),
                              max_body_bytes=MAX_BODY_BYTES)
        try:
            self.server = ApiServer(config, self.backend, net.network_log()).start()
            self.error = ""
            self._failure = None
            log.info("API server on %s", self.server.url)
        except (OSError, ValueError) as exc:
            self.server = None
            self._failure = (config.port, str(exc))
            self.error = self._failure_text()
            log.warning("Could not start the server on port %s: %s", config.port, exc)
        self.changed.emit(self.describe())

    def stop(self, quietly: bool = False) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop_soon()
        if not quietly:
            self.changed.emit(self.describe())

    def shutdown(self) -> None:
        self.backend.gate.unsubscribe(self._gate_news.emit)
        server, self.server = self.server, None
        if server is not None:
            server.stop()

    def _failure_text(self) -> str:
        port, error = self._failure
        return translate("ServerControl", "Could not start the server on port {port}: {error}").format(port=port,
                                                                                                      error=error)

    def describe(self) -> str:
        """The server's state in words (in the current language)."""
        if self.error:
            if self._failure is not None:
                self.error = self._failure_text()
            return self.error
        if not self.server:
            return translate("ServerControl", "Off: no other app can use the model.")
        model = self.backend.model_path()
        if self.server.config.lan:
            text = translate("ServerControl", "On at {url}: anyone on your network who has the key can use the "
                                              "loaded model.") if model else \
                translate("ServerControl", "On at {url}: anyone on your network who has the key can use no model "
                                           "yet (load one on the Chat page).")
        else:
            text = translate("ServerControl", "On at {url}: apps on this computer can use the loaded model.") \
                if model else translate("ServerControl", "On at {url}: apps on this computer can use no model yet "
                                                         "(load one on the Chat page).")
        return text.format(url=self.server.url)

    def _on_gate(self, state: GateState) -> None:
        self.engine_holder.emit(state.holder)
        self.gate_state.emit(state)
