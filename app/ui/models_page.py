"""The Models page: Discover (starter picks, Hub search, repository view with fit verdicts), Downloads (the
queue), Library (local models and models found in other apps) and Backends (model servers on other machines). All network and disk work runs on worker
threads (:mod:`app.ui.common.tasks`); results come back as signals and stale ones are dropped."""
from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)

from app.core.hub import token as hub_token
from app.core import net
from app.core.fit.here import FitSettings
from app.core.downloads.queue import QueueStore
from app.core.hub.names import UnsafeNameError
from app.core.hub.warm_up import warm_up
from app.core.units import human_bytes
from app.ui.context import AppContext
from app.ui.backends.backends_tab import BackendsTab
from app.ui.library import library_jobs
from app.ui.discover.discover_tab import DiscoverTab, HubAccess
from app.ui.downloads.download_controller import DownloadController
from app.ui.downloads.downloads_tab import DownloadsTab
from app.ui.library.library_tab import LibraryTab
from app.ui.common.i18n import translate
from app.ui.common.tasks import AFTER_PAINT_MS, TaskRunner, background_batch
from app.ui.common.page import Page

log = logging.getLogger("hearth.ui.models")


class ModelsPage(Page):
    chat_requested = Signal(str)  # model path

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        net.configure(offline=ctx.offline.on, endpoint=ctx.settings.hub_endpoint,
                      log_path=ctx.paths.data_dir / "network_log.jsonl")
        self._token_cache: str | None | bool = False  # False: not read yet
        self._token_lock = threading.Lock()  # read on worker threads: the first keyring use takes ~150 ms
        self.catalog = ctx.library.catalog
        self.registry = self.catalog.registry
        self.net = TaskRunner("hub-network", self)
        self.disk = TaskRunner("library-disk", self)
        self.fit_runner = TaskRunner("fit-verdicts", self)
        # the Backends tab's checks: two at once, so a server that takes its time does not hold up another
        self.backend_runner = TaskRunner("remote-backends", self, threads=2)
        self.net.done.connect(self._net_done)
        self.net.failed.connect(self._net_failed)
        self.disk.done.connect(self._disk_done)
        self.disk.failed.connect(self._disk_failed)
        self.fit_runner.done.connect(self._fit_done)
        self.fit_runner.failed.connect(self._fit_failed)
        self._library_token = 0
        self._library_action = False  # the newest library job is an import, delete or adopt (it has a message)
        self._rescan_after_action = False
        self._warm_token = 0
        self._library_verdict_token = 0
        self._verdicts_cancel = threading.Event()

        self.controller = DownloadController(
            ctx.models_dir, QueueStore(ctx.paths.downloads_state), endpoint=self.endpoint(),
            token_getter=self.token, parallelism=ctx.settings.download_parallelism, parent=self)
        # a burst of finished downloads triggers one library scan, not one per file (the scan and the fit
        # verdicts are Python work that competes with the GUI thread for the GIL)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(1500)
        self._refresh_timer.timeout.connect(self.refresh_library)
        self.controller.model_ready.connect(lambda _p: self._refresh_timer.start())
        self._shown_timer = QTimer(self)
        self._shown_timer.setSingleShot(True)
        self._shown_timer.setInterval(AFTER_PAINT_MS)
        self._shown_timer.timeout.connect(self.refresh_library)
        self._scan_result = None  # a scan's result, shown on the next turn of the event loop
        self._show_scan_timer = QTimer(self)
        self._show_scan_timer.setSingleShot(True)
        self._show_scan_timer.setInterval(0)
        self._show_scan_timer.timeout.connect(self._show_scan)
        self.controller.auth_needed.connect(self._auth_needed)
        self.controller.revision_gone.connect(self._revision_gone)

        title = QLabel(translate("ModelsPage", "Models"))
        title.setProperty("heading", True)
        self.offline = QCheckBox(translate("ModelsPage", "Offline mode"))
        self.offline.setAccessibleName(translate("ModelsPage", "Offline mode"))
        self.offline.setToolTip(translate("ModelsPage", "When on, Hearth opens no network connection at all."))
        ctx.offline.bind(self.offline)
        ctx.offline.changed.connect(self._on_offline_changed)
        self.endpoint_edit = QLineEdit(ctx.settings.hub_endpoint)
        self.endpoint_edit.setAccessibleName(translate("ModelsPage", "Hub endpoint"))
        self.endpoint_edit.setPlaceholderText(net.DEFAULT_ENDPOINT)
        self.endpoint_edit.setMinimumWidth(260)
        self.endpoint_edit.setToolTip(translate("ModelsPage", "A Hugging Face mirror. The HF_ENDPOINT environment "
                                                              "variable, when set, wins."))
        self.endpoint_edit.editingFinished.connect(self._endpoint_changed)
        self.token_button = QPushButton(translate("ModelsPage", "Hugging Face token…"))
        self.token_button.setAccessibleName(translate("ModelsPage", "Hugging Face token"))
        self.token_button.clicked.connect(
            lambda: self.ask_token(translate("ModelsPage", "Add a Hugging Face token for gated repositories.")))
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(QLabel(translate("ModelsPage", "Hub:")))
        head.addWidget(self.endpoint_edit)
        head.addWidget(self.token_button)
        head.addWidget(self.offline)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(translate("ModelsPage", "Models sections"))
        self.discover = DiscoverTab(ctx.settings, HubAccess(self.endpoint, self.token), self.net, self.fit_runner,
                                    library=ctx.library)  # marks files already downloaded (issue 18)
        self.discover.download_requested.connect(self.download_entry)
        self.discover.chat_requested.connect(self.chat_requested)  # "Chat" on an already downloaded file
        self.downloads = DownloadsTab(self.controller)
        self.downloads.parallelism_changed.connect(self._parallelism_changed)
        self.downloads.chat_requested.connect(self.chat_requested)
        self.library = LibraryTab()
        self.library.chat_requested.connect(self.chat_requested)
        self.library.import_requested.connect(self.import_paths)
        self.library.delete_requested.connect(self.delete_model)
        self.library.adopt_requested.connect(self.adopt_model)
        self.tabs.addTab(self.discover, translate("ModelsPage", "Discover"))
        self.tabs.addTab(self.downloads, translate("ModelsPage", "Downloads"))
        self.backends = BackendsTab(ctx.backends, self.backend_runner)
        self.tabs.addTab(self.library, translate("ModelsPage", "Library"))
        self.tabs.addTab(self.backends, translate("ModelsPage", "Backends"))
        self.tabs.tabBar().setAccessibleName(translate("ModelsPage", "Models page sections"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addLayout(head)
        lay.addWidget(self.tabs, 1)
        self.discover.update_offline()
        # huggingface_hub, the HTTP client and the keyring take a few hundred ms to import and set up: do it now
        # on the network thread, so the first search or download does not do it (on any thread, imports hold
        # the GIL and the GUI stutters)
        # the downloads and the library scan wait for it: five threads importing at once starve the GUI thread
        # of the GIL for 100-300 ms
        # (started just after the window is on screen: not part of start-up)
        self.controller.held = True
        QTimer.singleShot(250, self._start_warm_up)

    def _start_warm_up(self) -> None:
        self._warm_token = self.net.submit(self._warm_up)

    def _warm_up(self) -> None:
        # what it imports lives as long as the app: frozen afterwards, so the garbage collector never walks it
        # again (a collection of it took 20 ms of the GUI thread's next bigger job); short GIL turns meanwhile
        with background_batch():
            warm_up()
            self.token()

    def _warmed_up(self) -> None:
        self._warm_token = 0
        self.controller.held = False
        self.controller.schedule()  # unfinished downloads from the last session continue
        self.refresh_library()

    # ---- services for the tabs ----------------------------------------------------------------------------------
    def endpoint(self) -> str:
        return net.endpoint(self.ctx.settings.hub_endpoint)

    def token(self) -> str | None:
        """The Hub token. Call it on a worker thread (jobs do): the first call loads the keyring backends."""
        with self._token_lock:
            if self._token_cache is False:
                self._token_cache = hub_token.get_token(self.ctx.paths.config_dir)
            return self._token_cache or None

    def set_offline(self, on: bool) -> None:
        """Turn Offline mode on or off (the window's one owner saves it and tells every page)."""
        self.ctx.offline.set(on)

    def _on_offline_changed(self, on: bool) -> None:
        """No network connection at all while on: running and queued downloads pause."""
        if on:
            for it in list(self.controller.items):
                if it.state in ("downloading", "queued"):
                    self.controller.pause(it.id)
        self.discover.update_offline()

    def ask_token(self, why: str) -> bool:
        token, ok = QInputDialog.getText(
            self, translate("ModelsPage", "Hugging Face token"),
            translate("ModelsPage", "{why}\n\nPaste a read token from your Hugging Face account "
                                    "settings:").format(why=why),
            QLineEdit.Password)
        if not ok or not token.strip():
            return False
        try:
            where = hub_token.set_token(self.ctx.paths.config_dir, token)
        except ValueError as exc:
            QMessageBox.warning(self, translate("ModelsPage", "Hugging Face token"), str(exc))
            return False
        with self._token_lock:
            self._token_cache = token.strip()
        self.discover.set_banner(where)
        return True

    def _endpoint_changed(self) -> None:
        value = self.endpoint_edit.text().strip()
        if value and not value.startswith(("https://", "http://")):
            self.discover.set_banner(
                translate("ModelsPage", "The Hub endpoint must start with https:// (or http:// for a local "
                                        "mirror)."), "error")
            return
        self.ctx.settings.hub_endpoint = value
        self.ctx.save_settings()
        net.configure(offline=net.is_offline(), endpoint=value)
        self.controller.endpoint = self.endpoint()

    def _parallelism_changed(self, n: int) -> None:
        self.ctx.settings.download_parallelism = n
        self.ctx.save_settings()

    # ---- downloads ------------------------------------------------------------------------------------------
    def download_entry(self, details, entry) -> None:
        if net.is_offline():
            self.discover.set_banner(translate("ModelsPage", "Offline mode is on: downloading needs a connection."),
                                     offline=True)
            return
        if not self._size_ok(details.repo_id, entry):
            return
        try:
            for f in entry.files:
                self.controller.add(details.repo_id, f.path, revision=details.sha or "main", size=f.size,
                                    sha256=f.sha256)
        except UnsafeNameError as exc:
            self.discover.set_banner(translate("ModelsPage", "Refused: {error}").format(error=exc), "error")
            return
        self.tabs.setCurrentWidget(self.downloads)

    def download_starter(self) -> None:
        """The empty Chat page's "Download a starter model": SmolLM2 135M into the queue, Downloads shown."""
        from app.starter import STARTER

        if net.is_offline():
            self.tabs.setCurrentWidget(self.discover)
            self.discover.set_banner(translate("ModelsPage", "Offline mode is on: downloading the starter model "
                                                             "needs a connection."), offline=True)
            return
        self.controller.add(STARTER.repo_id, STARTER.filename, "main", STARTER.size, STARTER.sha256)
        self.tabs.setCurrentWidget(self.downloads)

    def _size_ok(self, repo_id: str, entry) -> bool:
        """Ask before a big download (or one larger than this computer's memory); refuse one the disk cannot hold."""
        import psutil

        from app.core.downloads.queue import check_download_size
        from app.core.downloads import partial_size

        md = self.ctx.models_dir
        try:
            have = sum(partial_size(md, repo_id, f.path) for f in entry.files)
            check = check_download_size(entry.total_size, free_disk=shutil.disk_usage(md).free,
                                        ram_total=psutil.virtual_memory().total, have=have)
        except (OSError, ValueError) as exc:
            log.warning("could not check the download size: %s", exc)
            return True
        if check.refuse:
            QMessageBox.warning(self, translate("ModelsPage", "Not enough disk space"), check.refuse)
            return False
        if check.confirm:
            answer = QMessageBox.question(self, translate("ModelsPage", "Large download"),
                                          f"{entry.name}: {check.confirm}")
            return answer == QMessageBox.StandardButton.Yes
        return True

    def _auth_needed(self, item_id: int) -> None:
        it = self.controller.item(item_id)
        if it is None:
            return
        if self.ask_token(translate("ModelsPage", "{repo} is gated: the Hub wants a token (HTTP 401).").format(
                repo=it.repo_id)):
            self.controller.retry(item_id)

    def _revision_gone(self, item_id: int, message: str) -> None:
        it = self.controller.item(item_id)
        if it is None:
            return
        if it.done:
            text = translate("ModelsPage", "{message} The {size} downloaded so far will be discarded.\n\nDownload "
                                           "{file} from the repository's current version instead?").format(
                message=message, size=human_bytes(it.done), file=it.filename)
        else:
            text = translate("ModelsPage", "{message}\n\nDownload {file} from the repository's current version "
                                           "instead?").format(
                message=message, file=it.filename)
        answer = QMessageBox.question(self, translate("ModelsPage", "Download from the current version?"), text)
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.restart_from_current(item_id)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt)
        """The language changed: the Library's fit verdicts are words made on a worker thread; look again."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "library"):
            self.refresh_library()

    # ---- library -----------------------------------------------------------------------------------------------
    def refresh_library(self) -> None:
        if self._library_action:
            # an import, delete or adopt is running: it rescans too, and its message must not be superseded;
            # rescan once more after it (something may have changed since its scan began)
            self._rescan_after_action = True
            return
        catalog = self.catalog
        self._submit_library(lambda: library_jobs.scan(catalog))

    def import_paths(self, paths: list[Path]) -> None:
        catalog = self.catalog
        self._submit_library(lambda: library_jobs.import_and_scan(catalog, paths), action=True)

    def delete_model(self, model) -> None:
        catalog = self.catalog
        self._submit_library(lambda: library_jobs.delete_and_scan(catalog, model), action=True)

    def adopt_model(self, model) -> None:
        catalog = self.catalog
        self._submit_library(lambda: library_jobs.adopt_and_scan(catalog, model), action=True)

    def _submit_library(self, job, action: bool = False) -> None:
        """Every job rescans; the newest one's result is shown (an import's message is not replaced by the
        rescan the page asked for when it was shown, or by any other plain rescan)."""
        self._shown_timer.stop()
        self._library_token = self.disk.submit(job)
        self._library_action = action

    def _disk_done(self, token: int, result) -> None:
        if token != self._library_token:
            return
        self.ctx.library.changed.emit()  # the Chat and Hardware pages re-read the catalog (20-35 ms for 500 models)
        # the Library table takes the rows on the next turn of the event loop: both in one turn blocked the GUI
        # thread for 50-65 ms
        self._scan_result = result
        self._show_scan_timer.start()

    def _show_scan(self) -> None:
        result, self._scan_result = self._scan_result, None
        if result is None:
            return
        self.library.set_models(result.rows, result.found, self.ctx.models_dir, result.adapters)
        if result.message:
            QMessageBox.information(self, translate("ModelsPage", "Library"), result.message)
        paths = [r.model.path for r in result.rows if r.facts is not None and not r.facts.error]
        settings = FitSettings.from_settings(self.ctx.settings)
        self._verdicts_cancel.set()  # the previous scan's verdicts (seconds for 500 models) would be dropped
        cancel = self._verdicts_cancel = threading.Event()
        self._library_verdict_token = self.fit_runner.submit(lambda: library_jobs.verdicts(paths, settings, cancel))
        self._after_library_job()  # after the message is shown: a rescan's result must not replace it

    def _disk_failed(self, token: int, exc) -> None:
        if token == self._library_token:
            self._after_library_job()
            QMessageBox.warning(self, translate("ModelsPage", "Library"), str(exc))

    def _after_library_job(self) -> None:
        self._library_action = False
        if self._rescan_after_action:
            self._rescan_after_action = False
            self.refresh_library()

    # ---- network results ---------------------------------------------------------------------------------------
    def _net_done(self, token: int, result) -> None:
        if token == self._warm_token:
            self._warmed_up()

    def _net_failed(self, token: int, exc) -> None:
        if token == self._warm_token:
            log.warning("warming up the Hub client failed: %s", exc)
            self._warmed_up()

    # ---- the Library's fit verdicts (Discover handles its own) ----------------------------------------------------
    def _fit_done(self, token: int, result) -> None:
        if token == self._library_verdict_token:
            self.library.set_verdicts(result)

    def _fit_failed(self, token: int, exc) -> None:
        if token == self._library_verdict_token:
            log.warning("library fit verdicts failed: %s", exc)

    # ---- page hooks ------------------------------------------------------------------------------------------------
    def on_shown(self) -> None:
        # after the page has painted: the scan and the verdicts run Python on worker threads, and every Python
        # call the GUI thread makes while they run (a first paint makes hundreds) waits for the GIL
        self._shown_timer.start()

    def shutdown(self) -> None:
        self._refresh_timer.stop()
        self._shown_timer.stop()
        self._show_scan_timer.stop()
        self._verdicts_cancel.set()
        try:
            self.controller.shutdown()
        finally:
            for r in (self.net, self.disk, self.fit_runner, self.backend_runner):
                r.shutdown()
