"""Discover: starter picks (shipped, offline) and Hub search on the left, the repository view on the right.

Network work runs on the Models page's network runner and the fit verdicts on its fit runner (both given to the
tab); each result carries the token of the request that asked for it, and only the latest request's results are
shown (a slow, replaced search never overwrites a newer one). A server error is shown as an error, never as
"no results".

Files already in the models folder are marked in the file list and offer Chat instead of Download (never a second
copy); the marks follow the shared catalog (``CatalogState.changed``: a download finished, a model was deleted)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from app.core import hub
from app.core.fit import verdicts as fit_verdicts
from app.core.fit.here import FitSettings
from app.core import net
from app.core.downloads import target_paths
from app.core.units import human_bytes, human_params, number
from app.ui.context import resource_path
from app.ui.common.catalog_state import CatalogState
from app.ui.common.column_widths import fit_columns
from app.ui.common.fit_texts import pick_summary, verdict_label
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import DISPLAY, ItemRole, SortRole
from app.ui.discover.discover_models import RepoModel, RepoRow
from app.ui.discover.repo_view import RepoView
from app.settings import Settings
from app.ui.common.tasks import AFTER_PAINT_MS, TaskRunner, background_batch

log = logging.getLogger("hearth.ui.models")
SORT_LABELS = ((QT_TRANSLATE_NOOP("DiscoverTab", "Most downloaded"), "downloads"),
               (QT_TRANSLATE_NOOP("DiscoverTab", "Most liked"), "likes"),
               (QT_TRANSLATE_NOOP("DiscoverTab", "Recently updated"), "recent"))


def load_starter_picks() -> list[dict]:
    path = resource_path("starter_picks.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("starter picks unavailable (%s): %s", path, exc)
        return []
    picks = data.get("models", data.get("picks", [])) if isinstance(data, dict) else data
    return [p for p in picks if isinstance(p, dict) and (p.get("repo_id") or p.get("repo"))]


def pick_row(p: dict) -> RepoRow:
    repo = p.get("repo_id") or p.get("repo")
    params = p.get("parameters") or p.get("params") or 0
    bits = [translate("StarterPicks", p["good_for"]) if p.get("good_for") else ""]
    if p.get("kind") == "embedding":  # not a chat model: it embeds documents (app/core/docs/embedder.py)
        bits.append(translate("Discover", "embedding model"))
    if isinstance(params, (int, float)) and params:
        bits.append(translate("Discover", "{params} parameters").format(params=human_params(int(params))))
    ctx = p.get("context_length")
    if ctx:
        bits.append(translate("Discover", "context {n}").format(n=number(int(ctx))))
    if p.get("license"):
        bits.append(translate("Discover", "licence {license}").format(license=p["license"]))
    row = RepoRow(repo_id=repo, title=p.get("name") or repo, detail=" · ".join(b for b in bits if b), pick=p)
    if p.get("kind") == "embedding":  # not judged as a chat model: small enough for any computer Hearth runs on
        size = min((int(q.get("size") or 0) for q in p.get("quants") or [{}]), default=0)
        row.fit, row.fit_level = translate("Discover", "for documents"), 0
        row.fit_detail = translate("Discover", "An embedding model for the Documents page ({size}): it turns "
                                               "passages into vectors; chat with a chat model.").format(
            size=human_bytes(size))
    return row


def _pick_verdicts(settings: FitSettings, picks: list[dict]):
    with background_batch():  # the first one loads llama.cpp's Python modules: seconds of Python
        return fit_verdicts.starter_pick_verdicts(settings, picks)


def entry_verdict(repo_id: str, sha: str, entry, settings: FitSettings, *, endpoint: str, token: str | None):
    """The fit verdict of one quantization of a Hub repository (its files' headers read over HTTP Range)."""
    return fit_verdicts.remote_verdict(repo_id, sha, [(f.path, f.size) for f in entry.files], settings,
                                       endpoint=endpoint, token=token)


def downloaded_path(models_dir: Path, repo_id: str, entry) -> str:
    """Where a quantization is in the models folder when every file of it is there at its size on the Hub (the
    downloader's own test: files get there only verified, and one of that size is not fetched again); "" if not.
    A few stats: fine on the GUI thread."""
    first = ""
    for f in entry.files:
        try:
            dest = target_paths(models_dir, repo_id, f.path, check_links=False).dest
            if not (dest.is_file() and dest.stat().st_size == f.size):
                return ""
        except (OSError, ValueError):  # ValueError: a name the download would refuse too
            return ""
        first = first or str(dest)
    return first


@dataclass(frozen=True)
class HubAccess:
    """How the tab reaches the Hub: the endpoint in force, and the token (call it on a worker thread: the first
    call loads the keyring)."""
    endpoint: Callable[[], str]
    token: Callable[[], str | None]


class DiscoverTab(QWidget):
    download_requested = Signal(object, object)  # RepoDetails, QuantEntry
    chat_requested = Signal(str)  # an already downloaded model's "Chat": its file

    def __init__(self, settings: Settings, hub_access: HubAccess, net_runner: TaskRunner, fit_runner: TaskRunner,
                 library: CatalogState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.library = library  # None: nothing is marked as downloaded
        if library is not None:
            library.changed.connect(self.refresh_downloaded)
        self.hub = hub_access
        self.net = net_runner
        self.fit_runner = fit_runner
        net_runner.done.connect(self.on_result)
        net_runner.failed.connect(self.on_error)
        fit_runner.done.connect(self._fit_done)
        fit_runner.failed.connect(self._fit_failed)
        self._verdict_tokens: dict[int, tuple[object, int]] = {}  # token -> (details, row)
        self.pager: hub.SearchPager | None = None
        self._search_token = 0
        self._repo_token = 0
        self._card_token = 0
        self._picks_token = 0
        self._picks_timer = QTimer(self)
        self._picks_timer.setSingleShot(True)
        self._picks_timer.setInterval(AFTER_PAINT_MS)
        self._picks_timer.timeout.connect(self._picks_if_needed)

        self.query = QLineEdit()
        self.query.setAccessibleName(translate("DiscoverTab", "Search models"))
        self.query.setPlaceholderText(translate("DiscoverTab", "Search Hugging Face for GGUF models, e.g. qwen coder"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.search)
        self.sort = QComboBox()
        self.sort.setAccessibleName(translate("DiscoverTab", "Sort results"))
        for label, key in SORT_LABELS:
            self.sort.addItem(translate("DiscoverTab", label), key)
        self.search_button = QPushButton(translate("DiscoverTab", "Search"))
        self.search_button.setAccessibleName(translate("DiscoverTab", "Search"))
        self.search_button.clicked.connect(self.search)
        self.picks_button = QPushButton(translate("DiscoverTab", "Starter picks"))
        self.picks_button.setAccessibleName(translate("DiscoverTab", "Show starter picks"))
        self.picks_button.clicked.connect(self.show_picks)
        self.banner = QLabel("")
        self.banner.setAccessibleName(translate("DiscoverTab", "Discover status"))
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._offline_banner = False  # the banner says Offline mode is on (cleared when it goes off)
        self.list_title = QLabel(translate("DiscoverTab", "Starter picks"))
        self.list_title.setProperty("muted", True)

        self.repos = RepoModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.repos)
        self.proxy.setSortRole(SortRole)
        self.results = QTableView()
        self.results.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move in it
        self.results.setAccessibleName(translate("DiscoverTab", "Models found"))
        self.results.setModel(self.proxy)
        self.results.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SingleSelection)
        self.results.verticalHeader().hide()
        # not ResizeToContents (see column_widths): that measured every row through data(), in Python, even when
        # the tab was only laid out on its way to the Library tab
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self._widths_timer = QTimer(self)  # sizes the columns once after a burst of changes
        self._widths_timer.setSingleShot(True)
        self._widths_timer.setInterval(0)
        self._widths_timer.timeout.connect(self._fit_columns)
        for sig in (self.repos.modelReset, self.repos.rowsInserted, self.repos.dataChanged):
            sig.connect(lambda *_: self._widths_timer.start())
        self.results.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._open(cur))
        self.more = QPushButton(translate("DiscoverTab", "More results"))
        self.more.setAccessibleName(translate("DiscoverTab", "More results"))
        self.more.clicked.connect(self.load_more)
        self.more.hide()

        self.repo_view = RepoView(settings.n_ctx if settings.n_ctx in (2048, 4096, 8192) else 4096)
        self.repo_view.download_requested.connect(self._download)
        self.repo_view.chat_requested.connect(self.chat_requested)
        self.repo_view.context_changed.connect(lambda _n: self.request_verdicts())
        self.repo_view.context_changed.connect(lambda _n: self.request_pick_verdicts())

        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.sort)
        top.addWidget(self.search_button)
        top.addWidget(self.picks_button)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list_title)
        ll.addWidget(self.results, 1)
        ll.addWidget(self.more)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(self.repo_view)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.banner)
        lay.addWidget(split, 1)
        self.show_picks()

    # ---- messages -------------------------------------------------------------------------------------------
    def set_banner(self, text: str, kind: str = "info", offline: bool = False) -> None:
        """``offline``: the text says Offline mode is on (the banner goes when Offline mode is turned off)."""
        self._offline_banner = offline
        self.banner.setProperty("banner", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def update_offline(self) -> None:
        offline = net.is_offline()
        if offline:
            self.set_banner(translate("DiscoverTab", "Offline mode is on: search and repository details need a "
                                                     "connection. The starter picks and your library work offline."),
                            offline=True)
        elif self.banner.property("banner") == "info" and self._offline_banner:
            self.set_banner("")

    # ---- starter picks ----------------------------------------------------------------------------------------
    def show_picks(self) -> None:
        self._search_token = 0
        self.pager = None
        picks = [pick_row(p) for p in load_starter_picks()]
        self.repos.set_rows(picks)
        self._show_hub_columns(False)
        if picks:
            title = translate("DiscoverTab", "Starter picks ({n}): small instruct models that run on most "
                                             "computers").format(n=len(picks))
        else:
            title = translate("DiscoverTab", "Starter picks are not available in this build.")
        self.list_title.setText(title)
        self.more.hide()
        if self.isVisible():  # else when first shown: detecting the devices loads llama.cpp, not at start-up
            self.request_pick_verdicts()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The language changed (switch_language): the starter picks' lines and verdicts, the list's title and the
        table's words are made again (search results keep their rows)."""
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "repo_view"):
            if getattr(self, "pager", None) is None and not self._search_token and all(r.pick is not None for r in self.repos.rows):
                self.show_picks()
            else:
                self.repos.retranslate()

    def _fit_columns(self) -> None:
        rows = self.repos.rows
        fit_columns(self.results, {c: [self.repos.cell(r, c, DISPLAY) for r in rows]
                                   for c in range(1, len(self.repos.headers))})

    def _show_hub_columns(self, show: bool) -> None:
        """Downloads, likes and last update exist for Hub search results, not for the shipped starter picks."""
        for col in (1, 2, 3):
            self.results.setColumnHidden(col, not show)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        # after the tab has painted: the first estimate loads llama.cpp's Python modules on the fit thread, and
        # the GUI thread, which needs the GIL for every Python call of a first paint, waited for it (0.5 s)
        self._picks_timer.start()
        self.refresh_downloaded()  # a file may have been deleted or added while the tab was hidden

    def _picks_if_needed(self) -> None:
        if not self._picks_token and any(r.pick is not None and not r.fit for r in self.repos.rows):
            self.request_pick_verdicts()

    def request_pick_verdicts(self) -> None:
        """Each pick's best quantization and verdict on this computer, from the shipped architecture facts:
        computed on the fit thread, no network (works in Offline mode)."""
        picks = [r.pick for r in self.repos.rows if r.pick is not None]
        if not picks:
            return
        settings = FitSettings.from_settings(self.settings, n_ctx=self.repo_view.n_ctx)
        self._picks_token = self.fit_runner.submit(lambda: _pick_verdicts(settings, picks))

    def request_verdicts(self) -> None:
        """The fit verdict of every quantization in the open repository, on the fit runner."""
        d = self.repo_view.details
        if d is None:
            return
        self._verdict_tokens.clear()
        settings = FitSettings.from_settings(self.settings, n_ctx=self.repo_view.n_ctx)
        ep, token = self.hub.endpoint(), self.hub.token
        for row, e in enumerate(d.entries):
            if e.kind != "model":
                continue
            t = self.fit_runner.submit(
                lambda e=e: entry_verdict(d.repo_id, d.sha, e, settings, endpoint=ep, token=token()))
            self._verdict_tokens[t] = (d, row)

    def _fit_done(self, token: int, result) -> None:
        if self._on_pick_verdicts(token, result):
            return
        entry = self._verdict_tokens.pop(token, None)
        if entry is None or entry[0] is not self.repo_view.details:
            return  # not ours, or the user moved on: drop it
        self.repo_view.set_verdict(entry[1], verdict_label(result.label), result.level, result.detail, result.bpw)

    def _fit_failed(self, token: int, exc) -> None:
        if token == self._picks_token:
            self._picks_token = 0
            log.warning("starter pick verdicts failed: %s", exc)
            return
        entry = self._verdict_tokens.pop(token, None)
        if entry is None or entry[0] is not self.repo_view.details:
            return
        detail = translate("DiscoverTab", "The header could not be read: {error}").format(error=exc)
        self.repo_view.set_verdict(entry[1], translate("DiscoverTab", "unknown"), -1, detail, None)

    def _on_pick_verdicts(self, token: int, result) -> bool:
        if token != self._picks_token:
            return False
        self._picks_token = 0
        changed = []
        for i, r in enumerate(self.repos.rows):
            pf = result.get(str(r.pick.get("id") or r.repo_id)) if r.pick is not None else None
            if pf is not None:
                r.fit, r.fit_detail, r.fit_level = pick_summary(pf), pf.verdict.detail, pf.verdict.level
                changed.append(i)
        self.repos.refresh_rows(changed)
        return True

    # ---- search ---------------------------------------------------------------------------------------------
    def search(self) -> None:
        if net.is_offline():
            self.update_offline()
            return
        q, sort = self.query.text(), self.sort.currentData()
        self.set_banner(translate("DiscoverTab", "Searching…"))
        self.list_title.setText(translate("DiscoverTab", "Results for “{query}”").format(query=q) if q.strip()
                                else translate("DiscoverTab", "Most popular GGUF repositories"))
        self.repos.set_rows([])
        self._show_hub_columns(True)
        self.more.hide()
        ep, token = self.hub.endpoint(), self.hub.token  # the token is read on the worker thread

        def job():
            pager = hub.SearchPager(q, sort, page_size=30, endpoint=ep, token=token())
            return pager, pager.next_page()

        self._search_token = self.net.submit(job)

    def load_more(self) -> None:
        if self.pager is None or self.pager.exhausted:
            return
        pager = self.pager
        self.more.setEnabled(False)
        self._search_token = self.net.submit(lambda: (pager, pager.next_page()))

    def on_result(self, token: int, result) -> bool:
        if token == self._search_token:
            pager, rows = result
            self.pager = pager
            self.repos.append_rows([RepoRow(
                repo_id=r.repo_id, title=r.repo_id, detail=translate("DiscoverTab", "by {author}").format(
                    author=r.author), downloads=r.downloads, likes=r.likes,
                updated=f"{r.last_modified:%Y-%m-%d}" if r.last_modified else "", gated=bool(r.gated)) for r in rows])
            if not self.repos.rows:
                self.set_banner(translate("DiscoverTab", "No GGUF repositories match this search."))
            else:
                self.set_banner("")
            self.more.setVisible(not pager.exhausted)
            self.more.setEnabled(True)
            return True
        if token == self._repo_token:
            self.repo_view.show_details(result)
            self.refresh_downloaded()
            self.request_verdicts()
            self._card_token = self.net.submit(self._card_job(result.repo_id, result.sha))
            return True
        if token == self._card_token:
            self.repo_view.show_card(result)
            return True
        return False

    def on_error(self, token: int, exc) -> bool:
        msg = str(exc)
        if token == self._search_token:
            self.set_banner(translate("DiscoverTab", "Search failed: {error}").format(error=msg), "error")
            self.more.setEnabled(True)
            return True
        if token == self._repo_token:
            self.repo_view.show_error(self.repo_view.title.text(), msg)
            self.set_banner(msg, "error")
            return True
        if token == self._card_token:
            self.repo_view.card.setPlainText(
                translate("DiscoverTab", "The model card could not be loaded: {error}").format(error=msg))
            return True
        return False

    # ---- repository -------------------------------------------------------------------------------------------
    def _open(self, proxy_index) -> None:
        if not proxy_index.isValid():
            return
        row: RepoRow = self.proxy.data(proxy_index, ItemRole)
        if row is None:
            return
        self.open_repo(row.repo_id)

    def open_repo(self, repo_id: str) -> None:
        self.repo_view.show_loading(repo_id)
        if net.is_offline():
            self.repo_view.show_error(repo_id, translate("DiscoverTab", "Offline mode is on: the file list and fit "
                                                                        "verdicts of this repository need a "
                                                                        "connection."))
            self.update_offline()
            return
        ep, token = self.hub.endpoint(), self.hub.token
        self._repo_token = self.net.submit(lambda: hub.repo_details(repo_id, endpoint=ep, token=token()))

    def _card_job(self, repo_id: str, sha: str):
        ep, token = self.hub.endpoint(), self.hub.token
        return lambda: hub.fetch_model_card(repo_id, sha, endpoint=ep, token=token())

    def refresh_downloaded(self) -> None:
        """Mark the shown repository's files that are already in the models folder."""
        d = self.repo_view.details
        if d is None or self.library is None:
            return
        models_dir = self.library.catalog.models_dir
        self.repo_view.set_local_paths([downloaded_path(models_dir, d.repo_id, r.entry)
                                        for r in self.repo_view.quants.rows])

    def _download(self, entry) -> None:
        if self.repo_view.details is not None:
            self.download_requested.emit(self.repo_view.details, entry)
