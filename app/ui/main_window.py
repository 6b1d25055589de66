"""The main window: left navigation (Chat, Models, Hardware, Network, Documents), pages in a stack, a status bar."""
from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLabel, QMainWindow,
                               QStackedWidget, QToolButton, QVBoxLayout, QWidget)

from app import APP_NAME
from app.core.units import human_bytes, number
from app.ui.context import AppContext, resource_path
from app.ui.chat.engine_client import EngineClient
from app.ui.common.i18n import LANGUAGES, QT_TRANSLATE_NOOP, language_for, switch_language, translate
from app.ui.common.page import Page

log = logging.getLogger("hearth.ui")

PAGES = (QT_TRANSLATE_NOOP("NavBar", "Chat"), QT_TRANSLATE_NOOP("NavBar", "Models"),
         QT_TRANSLATE_NOOP("NavBar", "Hardware"), QT_TRANSLATE_NOOP("NavBar", "Network"),
         QT_TRANSLATE_NOOP("NavBar", "Documents"))  # English: also the icons' file names


class NavBar(QWidget):
    page_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NavBar")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setFixedWidth(100)  # "Documents" fits under its icon
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 12, 8, 12)
        lay.setSpacing(6)
        title = QLabel(APP_NAME)
        title.setAlignment(Qt.AlignCenter)
        title.setStyleSheet("font-weight: 700; font-size: 15px; padding-bottom: 8px;")
        lay.addWidget(title)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QToolButton] = []
        for i, name in enumerate(PAGES):
            b = QToolButton()
            b.setIcon(QIcon(str(resource_path("icons", f"{name.lower()}.svg"))))
            b.setIconSize(QSize(22, 22))
            b.setProperty("nav", True)
            b.setCheckable(True)
            b.setToolButtonStyle(Qt.ToolButtonTextUnderIcon)
            b.setMinimumHeight(54)
            b.setMinimumWidth(84)
            self.group.addButton(b, i)
            lay.addWidget(b)
            self.buttons.append(b)
        lay.addStretch(1)
        self.about = QToolButton()
        self.about.setText(translate("NavBar", "About"))
        self.about.setProperty("nav", True)
        self.about.setAccessibleName(translate("NavBar", "About Hearth"))
        self.about.setToolTip(translate("NavBar", "Version, llama.cpp backend, where your data lives"))
        lay.addWidget(self.about)
        self.group.idClicked.connect(self.page_requested)
        self.retranslate()

    def retranslate(self) -> None:
        """The pages' names and tooltips in the current language (the tooltips hold the shortcut's number)."""
        for i, (b, name) in enumerate(zip(self.buttons, PAGES)):
            b.setText(translate("NavBar", name))
            b.setAccessibleName(translate("NavBar", name))
            b.setToolTip(translate("NavBar", "{page} (Ctrl+{number})").format(page=translate("NavBar", name),
                                                                              number=i + 1))

    def set_current(self, index: int) -> None:
        self.buttons[index].setChecked(True)


DEFAULT_SIZE = (1180, 780)


def first_window_size(available) -> QSize:
    """The first window (no saved geometry): the default size, but never larger than the screen's available
    area (a 1366x768 laptop leaves ~1366x730: a 780 px window put the status bar and its Offline switch off
    screen)."""
    w, h = DEFAULT_SIZE
    if available is not None and available.width() > 0 and available.height() > 0:
        frame = 40  # the title bar and borders the window manager adds around it
        w, h = min(w, available.width()), min(h, available.height() - frame)
    return QSize(w, h)


PRERENDER_AFTER_MS = 150  # the hidden pages are pre-rendered this long after the window is shown ...
PRERENDER_GAP_MS = 150  # ... one at a time


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.engine = EngineClient(self, ctx.paths.data_dir / "engine_safe_settings.json",
                                   backends=ctx.backends.store, documents=ctx.paths.data_dir / "documents.sqlite3")

        from app.ui.chat.chat_page import ChatPage
        from app.ui.docs.docs_page import DocsPage
        from app.ui.hardware.hardware_page import HardwarePage
        from app.ui.models_page import ModelsPage
        from app.ui.network.network_page import NetworkPage

        self.chat_page = ChatPage(ctx, self.engine)
        self.models_page = ModelsPage(ctx)
        self.hardware_page = HardwarePage(ctx)
        from app.core.server import SharedBackend
        from app.ui.network.server_control import ServerControl

        worker = self.engine.worker  # the API server shares the chat's engine, taking turns at its gate
        self.server = ServerControl(ctx, SharedBackend(self.engine.gate, engine=lambda: worker.local,
                                                       ready=lambda: worker.local.loaded,
                                                       on_crash=worker.api_crashed.emit), self)
        self.network_page = NetworkPage(ctx, self.server)
        self.docs_page = DocsPage(ctx)
        self.docs_page.collections_changed.connect(self.chat_page.refresh_collections)  # Chat settings → Documents
        self.pages: tuple[Page, ...] = (self.chat_page, self.models_page, self.hardware_page, self.network_page,
                                        self.docs_page)
        self._prerendered = False
        self.models_page.chat_requested.connect(self._chat_with)
        self.chat_page.starter_requested.connect(self._download_starter)
        self.chat_page.models_import_requested.connect(self._import_models)

        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
        self.nav = NavBar()
        self.nav.page_requested.connect(self.show_page)
        self.nav.about.clicked.connect(self.show_about)

        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # status bar: loaded model and memory
        self._model_state: tuple = ("none",)  # what model_status says: ("none",), ("loading", path),
        # ("loaded", info), ("model", path)
        self._api_holder = ""
        self.model_status = QLabel(translate("MainWindow", "No model loaded"))
        self.model_status.setAccessibleName(translate("MainWindow", "Loaded model"))
        self.ram_status = QLabel("")
        self.ram_status.setAccessibleName(translate("MainWindow", "Memory in use"))
        self.offline_switch = QCheckBox(translate("MainWindow", "Offline mode"))
        self.offline_switch.setAccessibleName(translate("MainWindow", "Offline mode"))
        self.offline_switch.setToolTip(translate("MainWindow", "When on, Hearth opens no network connection at all."))
        ctx.offline.bind(self.offline_switch)
        self.language = QComboBox()
        self.language.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # "System default" changes with the language
        self.language.setAccessibleName(translate("MainWindow", "Language"))
        self.language.setToolTip(translate("MainWindow", "The language of Hearth's window"))
        self.language.addItem(translate("MainWindow", "System default"), "")
        for code, own_name in LANGUAGES.items():
            self.language.addItem(own_name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.settings.language)))
        self.language.currentIndexChanged.connect(self._on_language_chosen)
        sb = self.statusBar()
        sb.addWidget(self.model_status, 1)
        self.api_status = QLabel("")
        self.api_status.setAccessibleName(translate("MainWindow", "API server"))
        self.api_status.hide()
        sb.addPermanentWidget(self.api_status)
        self.server.changed.connect(lambda _t: self._update_api_status(""))
        self.server.engine_holder.connect(self._update_api_status)
        self.engine.waiting.connect(self.chat_page.show_waiting)
        QTimer.singleShot(0, self.server.start_if_enabled)
        sb.addPermanentWidget(self.language)
        sb.addPermanentWidget(self.offline_switch)
        sb.addPermanentWidget(self.ram_status)
        self.engine.loaded.connect(self._on_model_loaded)
        self.engine.unloaded.connect(lambda: self._set_model_state("none"))
        self.engine.loading.connect(lambda p: self._set_model_state("loading", p))
        self.engine.load_failed.connect(lambda p, m: self._set_model_state(
            *(("model", self.engine.info.path) if self.engine.info else ("none",))))
        self._ram_timer = QTimer(self)
        self._ram_timer.timeout.connect(self._update_ram)
        self._ram_timer.start(2000)
        self._update_ram()

        # keyboard
        for i in range(len(PAGES)):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, activated=lambda i=i: self.show_page(i))
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self._new_chat)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self._focus_composer)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+Q"), self, activated=self.close)

        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_color_scheme_changed)

        self.show_page(0)
        self._save_geometry = QTimer(self, singleShot=True, interval=800)
        self._save_geometry.timeout.connect(self.save_geometry)
        self._restore_geometry()
        for message in ctx.messages:
            self.chat_page.show_notice(message)

    # ---- navigation ---------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._prerendered:
            self._prerendered = True
            hidden = [p for p in self.pages if p is not self.stack.currentWidget()]
            for k, page in enumerate(hidden):
                QTimer.singleShot(PRERENDER_AFTER_MS + k * PRERENDER_GAP_MS, self,
                                  lambda page=page: self._prerender(page))
            # the model used last time comes back (loaded in the engine process: the window is not held up)
            QTimer.singleShot(PRERENDER_AFTER_MS, self, self.chat_page.load_last_model)

    def _prerender(self, page: QWidget) -> None:
        """Lay out, polish and paint a page that is not shown yet, off screen, while the app is idle after start-up:
        the first switch to it did all of that in one turn of the event loop (~35 ms for the Models page)."""
        if page is not self.stack.currentWidget() and self.isVisible():
            page.grab()

    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.nav.set_current(index)
        self.pages[index].on_shown()

    def _new_chat(self) -> None:
        self.show_page(0)
        self.chat_page.new_chat()

    def _focus_composer(self) -> None:
        self.show_page(0)
        self.chat_page.input.setFocus(Qt.ShortcutFocusReason)

    def _focus_search(self) -> None:
        self.show_page(0)
        self.chat_page.focus_search()

    def _download_starter(self) -> None:
        self.show_page(1)
        self.models_page.download_starter()

    def _import_models(self, paths: list) -> None:
        self.models_page.import_paths(paths)  # the catalog's change refreshes the Chat page's picker

    def _chat_with(self, path: str) -> None:
        self.show_page(0)
        self.chat_page.select_and_load(path)

    def show_about(self) -> None:
        from app.ui.common.about import show_about

        show_about(self)

    # ---- status ---------------------------------------------------------------------------------------------
    def _on_model_loaded(self, info) -> None:
        self._set_model_state("loaded", info)

    def _set_model_state(self, *state) -> None:
        self._model_state = state
        self._show_model_status()

    def _show_model_status(self) -> None:
        kind, *args = self._model_state
        if kind == "loading":
            text = translate("MainWindow", "Loading {model}…").format(model=self.chat_page.model_name(args[0]))
        elif kind == "loaded":
            info = args[0]
            text = translate("MainWindow", "Model: {model} · context {tokens} tokens").format(
                model=self.chat_page.model_name(info.path), tokens=number(info.n_ctx))
        elif kind == "model":
            text = translate("MainWindow", "Model: {model}").format(model=self.chat_page.model_name(args[0]))
        else:
            text = translate("MainWindow", "No model loaded")
        self.model_status.setText(text)

    def _update_api_status(self, holder: str) -> None:
        """The status bar says when the API server is on, and when an API request holds the engine."""
        self._api_holder = holder
        if not self.server.running:
            self.api_status.hide()
            return
        port = self.server.server.port
        if holder.startswith("api"):
            text = translate("MainWindow", "API on :{port} · answering {client}").format(port=port, client=holder[4:])
        else:
            text = translate("MainWindow", "API on :{port}").format(port=port)
        self.api_status.setText(text)
        self.api_status.show()

    def _update_ram(self) -> None:
        try:
            import psutil

            rss = psutil.Process().memory_info().rss
            avail = psutil.virtual_memory().available
            self.ram_status.setText(translate("MainWindow", "RAM: Hearth {used} · {free} free").format(
                used=human_bytes(rss), free=human_bytes(avail)))
        except Exception:
            self.ram_status.setText(translate("MainWindow", "RAM: unknown"))

    # ---- language -------------------------------------------------------------------------------------------
    def _on_language_chosen(self, index: int) -> None:
        """The Language choice: saved, and the window speaks it at once (no restart)."""
        code = self.language.itemData(index) or ""
        if code == self.ctx.settings.language:
            return
        self.ctx.settings.language = code
        self.ctx.save_settings()
        switch_language(language_for(code))

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "_ram_timer"):
            self._retranslate()

    def _retranslate(self) -> None:
        """The texts made from values, which :func:`switch_language` cannot map back to their sources, and the
        status bar's own (an English text used in several contexts maps back to only one of them)."""
        self.nav.retranslate()
        self.model_status.setAccessibleName(translate("MainWindow", "Loaded model"))
        self.ram_status.setAccessibleName(translate("MainWindow", "Memory in use"))
        self.api_status.setAccessibleName(translate("MainWindow", "API server"))
        self.offline_switch.setText(translate("MainWindow", "Offline mode"))
        self.offline_switch.setAccessibleName(translate("MainWindow", "Offline mode"))
        self.offline_switch.setToolTip(translate("MainWindow", "When on, Hearth opens no network connection at all."))
        self.language.setAccessibleName(translate("MainWindow", "Language"))
        self.language.setToolTip(translate("MainWindow", "The language of Hearth's window"))
        self.language.setItemText(0, translate("MainWindow", "System default"))
        self._show_model_status()
        self._update_api_status(self._api_holder)
        self._update_ram()

    def _on_color_scheme_changed(self, *_args) -> None:
        if self.ctx.settings.theme == "system":
            from app.ui.common.theme import apply_theme

            apply_theme(QApplication.instance(), "system")
            self.chat_page.on_theme_changed()

    # ---- geometry -------------------------------------------------------------------------------------------
    def _qsettings(self) -> QSettings:
        return QSettings(str(self.ctx.paths.config_dir / "window.ini"), QSettings.IniFormat)

    def _restore_geometry(self) -> None:
        geo = self._qsettings().value("geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo):
            return
        self.resize(first_window_size(self.screen().availableGeometry().size() if self.screen() else None))

    def _geometry_changed(self) -> None:
        if self.isVisible() and hasattr(self, "_save_geometry"):
            self._save_geometry.start()  # saved once the user stops resizing or moving, not only on a clean close

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._geometry_changed()

    def moveEvent(self, event) -> None:  # noqa: N802
        super().moveEvent(event)
        self._geometry_changed()

    def save_geometry(self) -> None:
        self._qsettings().setValue("geometry", self.saveGeometry())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry.stop()
        self.save_geometry()
        self._ram_timer.stop()
        for page in self.pages:
            page.shutdown()
        self.engine.shutdown()
        self.ctx.save_settings()
        super().closeEvent(event)
