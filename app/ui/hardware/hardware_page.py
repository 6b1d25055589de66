"""The Hardware page: what this computer has, and which models run well on it.

- the devices (RAM, each GPU, the models folder's disk) with live used/free bars;
- the local models with their verdict at the context length chosen on the slider (KV cache type and flash
  attention next to it), and a stacked weights / KV / compute bar per model;
- the selected model's breakdown against the memory available;
- "what can I run well": the largest starter pick and quantization that fits fully here.

All probing, header reading and estimating runs on the page's worker thread (``hardware_worker``); the page only
sends requests, and applies the latest answers to its Qt models.
"""
from __future__ import annotations

import itertools
import logging

from PySide6.QtCore import QEvent, QSize, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QListView, QPushButton, QScrollArea, QSlider, QSplitter, QTableView, QVBoxLayout, QWidget)

from app.core.hardware import FLAG_NAMES
from app.core.units import human_bytes, number
from app.ui.context import AppContext
from app.ui.hardware.bars import BreakdownChart, BreakdownDelegate, DeviceDelegate
from app.ui.hardware.hardware_models import DeviceListModel, FitTableModel, SortRole
from app.ui.common.tasks import TaskRunner
from app.ui.hardware.hardware_worker import HardwareWorker
from app.ui.common.column_widths import fit_columns  # shared with the Library table
from app.ui.common.i18n import translate
from app.ui.common.page import Page

log = logging.getLogger("hearth.ui.hardware")
CONTEXT_STEPS = (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072)
DEFAULT_CONTEXT = 4096
LIVE_MS = 2000
FITTED_COLUMNS = (2, 3, 4)  # GPU layers, largest context, memory needed
_tokens = itertools.count(1)


class WrappingPane(QWidget):
    """A splitter pane whose minimum height follows its word-wrapped labels at its current width (QSplitter asks
    only minimumSizeHint, which counts a wrapped label as one line: a long line, e.g. in Turkish, would push the
    device list out of the pane)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        lay = self.layout()
        if lay is not None and lay.hasHeightForWidth() and self.width() > 0:
            hint.setHeight(max(hint.height(), lay.totalMinimumHeightForWidth(self.width())))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


class HardwarePage(Page):
    _req_detect = Signal(str)
    _req_refresh = Signal()
    _req_scan = Signal(int, object)  # token, the ModelCatalog to list
    _req_fit = Signal(int, int, str, bool)
    verdicts_shown = Signal()  # for tests and the status bar: the table holds fresh verdicts

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = None
        self._scan_token = 0
        self._fit_token = 0
        self._started = False
        self._closed = False
        self._best = None  # the last "what can I run well" answer: None (none fits) or a BestPick
        self._best_known = False

        title = QLabel(translate("HardwarePage", "This computer"))
        title.setProperty("heading", True)
        self.cpu_label = QLabel(translate("HardwarePage", "Detecting hardware…"))
        self.cpu_label.setWordWrap(True)
        self.cpu_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.cpu_label.setAccessibleName(translate("HardwarePage", "Processor and llama.cpp build"))
        # what the engine probe chose (app/core/engine_probe.py): fast or safe kernels, and why
        self.engine_label = QLabel()
        self.engine_label.setWordWrap(True)
        self.engine_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.engine_label.setAccessibleName(translate("HardwarePage", "llama.cpp configuration"))
        self.engine_label.hide()
        self.devices = DeviceListModel(self)
        self.device_view = QListView()
        self.device_view.setModel(self.devices)
        self.device_view.setItemDelegate(DeviceDelegate(self.device_view))
        self.device_view.setUniformItemSizes(True)  # the delegate's size hint is asked once, not per row and layout
        self.device_view.setAccessibleName(translate("HardwarePage", "Devices and memory"))
        self.device_view.setSelectionMode(QAbstractItemView.NoSelection)
        self.device_view.setFixedHeight(3 * 60 + 6)
        self.device_view.setFrameShape(QFrame.NoFrame)

        # controls: context, KV cache type, flash attention
        self.ctx_slider = QSlider(Qt.Horizontal)
        self.ctx_slider.setRange(0, len(CONTEXT_STEPS) - 1)
        self.ctx_slider.setValue(CONTEXT_STEPS.index(DEFAULT_CONTEXT))
        self.ctx_slider.setPageStep(1)
        self.ctx_slider.setTickPosition(QSlider.TicksBelow)
        self.ctx_slider.setAccessibleName(translate("HardwarePage", "Context length"))
        self.ctx_value = QLabel()
        self.ctx_value.setMinimumWidth(110)
        self.kv_combo = QComboBox()
        self.kv_combo.setAccessibleName(translate("HardwarePage", "KV cache type"))
        self.kv_combo.view().setAccessibleName(translate("HardwarePage", "KV cache types"))
        self.kv_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # its texts change with the language
        for key in ("f16", "q8_0", "q4_0"):
            self.kv_combo.addItem(translate("HardwarePage", "KV cache {type}").format(type=key), key)
        self.flash = QCheckBox(translate("HardwarePage", "Flash attention"))
        self.flash.setAccessibleName(translate("HardwarePage", "Flash attention"))
        self.rescan = QPushButton(translate("HardwarePage", "Rescan"))
        self.rescan.setAccessibleName(translate("HardwarePage", "Rescan hardware and models"))
        controls = QHBoxLayout()
        controls.addWidget(QLabel(translate("HardwarePage", "Context:")))
        controls.addWidget(self.ctx_slider, 1)
        controls.addWidget(self.ctx_value)
        controls.addWidget(self.kv_combo)
        controls.addWidget(self.flash)
        controls.addWidget(self.rescan)

        self.best_label = QLabel(translate("HardwarePage", "Looking for the best starter pick for this computer…"))
        self.best_label.setWordWrap(True)
        self.best_label.setProperty("banner", "info")
        self.best_label.setAccessibleName(translate("HardwarePage", "What can I run well"))

        self.fits = FitTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.fits)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move in it
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(translate("HardwarePage", "Local models and their verdicts"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.bar_delegate = BreakdownDelegate(self.table)
        self.table.setItemDelegateForColumn(5, self.bar_delegate)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.Interactive)  # the model's name keeps its width on a narrow window;
        hh.resizeSection(0, 260)  # the verdict (also in the tooltip) is what gives way
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        hh.setMinimumSectionSize(60)
        # sized from the prepared texts when verdicts arrive (_fit_columns), not ResizeToContents (see
        # app.ui.common.column_widths)
        for col in FITTED_COLUMNS:
            hh.setSectionResizeMode(col, QHeaderView.Interactive)
        hh.setSectionResizeMode(5, QHeaderView.Fixed)
        hh.resizeSection(5, 160)
        self._fit_columns()
        self.empty_label = QLabel(translate("HardwarePage", "No models in the models folder yet. Download one on the "
                                                            "Models page."))
        self.empty_label.setProperty("muted", True)
        self.empty_label.hide()
        self.chart = BreakdownChart()

        self.banner = QLabel("")
        self.banner.setProperty("banner", "error")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(translate("HardwarePage", "Hardware page status"))
        self.banner.hide()

        top = WrappingPane()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(title)
        tl.addWidget(self.cpu_label)
        tl.addWidget(self.engine_label)
        tl.addWidget(self.device_view)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        models_title = QLabel(translate("HardwarePage", "Your models on this computer"))
        models_title.setStyleSheet("font-weight: 600;")
        bl.addWidget(models_title)
        bl.addLayout(controls)
        bl.addWidget(self.best_label)
        bl.addWidget(self.table, 1)
        bl.addWidget(self.empty_label)
        bl.addWidget(self.chart)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addWidget(self.banner)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        # a short window (900x600) scrolls the page instead of squeezing its parts over each other
        scroll = QScrollArea()
        scroll.setAccessibleName(translate("HardwarePage", "This computer and its models"))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(split)
        lay.addWidget(scroll, 1)

        # worker
        self._runner = TaskRunner("hardware", self)
        w = self._worker = self._runner.host(HardwareWorker())
        self._req_detect.connect(w.detect)
        self._req_refresh.connect(w.refresh)
        self._req_scan.connect(w.scan)
        ctx.library.changed.connect(self._on_catalog_changed)
        self._req_fit.connect(w.fit_all)
        w.detected.connect(self._on_detected)
        w.live.connect(self._on_live)
        w.scanned.connect(self._on_scanned)
        w.fitted.connect(self._on_fitted)
        w.failed.connect(self._show_error)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._request_fit)
        self._live_timer = QTimer(self)
        self._live_timer.setInterval(LIVE_MS)
        self._live_timer.timeout.connect(self._refresh_live)
        self.ctx_slider.valueChanged.connect(self._on_controls)
        self.kv_combo.currentIndexChanged.connect(self._on_kv)
        self.flash.toggled.connect(self._on_controls)
        self.rescan.clicked.connect(self._rescan)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_chart())
        self._update_ctx_label()

    # ---- public -----------------------------------------------------------------------------------------------
    @property
    def n_ctx(self) -> int:
        return CONTEXT_STEPS[self.ctx_slider.value()]

    @property
    def kv_type(self) -> str:
        return self.kv_combo.currentData()

    def on_shown(self) -> None:
        if self._closed:
            return
        if not self._started:
            self._started = True
            self._req_detect.emit(str(self.ctx.models_dir))
        self._scan()
        self._live_timer.start()

    def hideEvent(self, event) -> None:
        self._live_timer.stop()
        super().hideEvent(event)

    def shutdown(self) -> None:
        self._closed = True
        self._live_timer.stop()
        self._debounce.stop()
        self._runner.shutdown(10000)

    # ---- requests ---------------------------------------------------------------------------------------------
    def _scan(self) -> None:
        self._scan_token = next(_tokens)
        self._req_scan.emit(self._scan_token, self.ctx.library.catalog)

    def _on_catalog_changed(self) -> None:
        if self._started and not self._closed and self.isVisible():
            self._scan()  # a hidden page rescans when it is shown

    def _rescan(self) -> None:
        self._req_detect.emit(str(self.ctx.models_dir))
        self._scan()

    def _refresh_live(self) -> None:
        if self.isVisible():
            self._req_refresh.emit()

    def _on_kv(self) -> None:
        if self.kv_type != "f16" and not self.flash.isChecked():
            self.flash.setChecked(True)  # llama.cpp quantizes the V cache only with flash attention
        self.flash.setEnabled(self.kv_type == "f16")
        self._on_controls()

    def _on_controls(self, *_args) -> None:
        self._update_ctx_label()
        self._debounce.start()

    def _request_fit(self) -> None:
        if self._closed:
            return
        self._fit_token = next(_tokens)
        self._req_fit.emit(self._fit_token, self.n_ctx, self.kv_type, self.flash.isChecked())

    def _update_ctx_label(self) -> None:
        self.ctx_value.setText(translate("HardwarePage", "{tokens} tokens").format(tokens=number(self.n_ctx)))
        self.ctx_slider.setAccessibleDescription(translate("HardwarePage", "{tokens} tokens").format(
            tokens=self.n_ctx))

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange and hasattr(self, "_live_timer"):
            self._retranslate()

    def _retranslate(self) -> None:
        """The texts made from values (switch_language maps back only whole translated texts)."""
        for i in range(self.kv_combo.count()):
            self.kv_combo.setItemText(i, translate("HardwarePage", "KV cache {type}").format(
                type=self.kv_combo.itemData(i)))
        self._update_ctx_label()
        self.fits.retranslate_headers()
        if self.info is not None:
            self._on_detected(self.info)
        if self._best_known:
            self._update_best(self._best)
        if self._started and not self._closed:
            self._request_fit()  # the table's cells are made with the verdicts

    # ---- answers (GUI thread) ---------------------------------------------------------------------------------
    def _on_detected(self, info) -> None:
        if self._closed:
            return
        self.info = info
        c = info.cpu
        flags = " ".join(k for k in FLAG_NAMES if c.flags.get(k)) or translate("HardwarePage", "unknown")
        cores = translate("HardwarePage", "{cores} cores, {threads} threads").format(
            cores=c.physical_cores, threads=c.logical_cores) if c.physical_cores else \
            translate("HardwarePage", "{threads} threads").format(threads=c.logical_cores or "?")
        b = info.llama
        if not b.available:
            build = translate("HardwarePage", "llama.cpp is not available")
        elif b.gpu_offload:
            build = translate("HardwarePage", "llama.cpp (llama-cpp-python {version}): {backend} backend, GPU "
                                              "offload available").format(version=b.version, backend=b.backend or "CPU")
        else:
            build = translate("HardwarePage", "llama.cpp (llama-cpp-python {version}): {backend} backend, GPU "
                                              "offload not available").format(version=b.version,
                                                                              backend=b.backend or "CPU")
        processor = c.model or translate("HardwarePage", "Unknown processor")
        flags = translate("HardwarePage", "instruction sets: {flags}").format(flags=flags)
        described = f"<b>{processor}</b> ({c.arch}) · {cores} · {flags}<br>{build}"  # the words are translated
        self.cpu_label.setText(described)
        if b.config_text:
            self.engine_label.setText(translate("HardwarePage", "llama.cpp configuration: {config}").format(
                config=b.config_text))
            self.engine_label.setToolTip(translate("HardwarePage", "Checked once per llama.cpp build and processor "
                                                   "by evaluating a prompt in a separate process; the safe "
                                                   "configuration is used when the fast one crashes or computes "
                                                   "wrong results."))
            self.engine_label.show()
        self.devices.set_info(info)
        self.device_view.setFixedHeight(max(1, self.devices.rowCount()) * 60 + 6)
        if info.problems:
            log.info("hardware probes left unknowns: %s", "; ".join(info.problems))

    def _on_live(self, info) -> None:
        if not self._closed:
            self.info = info
            self.devices.set_info(info)

    def _on_scanned(self, token: int, models) -> None:
        if token != self._scan_token or self._closed:
            return  # a newer scan was asked for
        self.empty_label.setVisible(not models)
        self._request_fit()

    def _on_fitted(self, token: int, rows, best) -> None:
        if token != self._fit_token or self._closed:
            return  # replaced by a newer context / setting: drop the late answer
        selected = self._selected_path()
        self.fits.set_rows(rows)
        self._fit_columns()
        self.bar_delegate.scale = max([r.result.estimate.total_bytes for r in rows if r.result] + [1])
        self.table.viewport().update()
        self._reselect(selected)
        self._update_best(best)
        self._update_chart()
        self.verdicts_shown.emit()

    def _show_error(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # ---- helpers ----------------------------------------------------------------------------------------------
    def _fit_columns(self) -> None:
        rows = self.fits.rows_shown()
        fit_columns(self.table, {c: [s.cells[c] for s in rows] for c in FITTED_COLUMNS})

    def _selected_row(self):
        idx = self.table.selectionModel().selectedRows()
        if not idx:
            return None
        return self.fits.row(self.proxy.mapToSource(idx[0]).row())

    def _selected_path(self):
        r = self._selected_row()
        return r.model.path if r else None

    def _reselect(self, path) -> None:
        for i in range(self.fits.rowCount()):
            if path is None or self.fits.row(i).model.path == path:
                self.table.selectRow(self.proxy.mapFromSource(self.fits.index(i, 0)).row())
                return

    def _update_chart(self) -> None:
        r = self._selected_row()
        if r is None or r.result is None:
            self.chart.set_breakdown(r.error if r is not None else "", None, 0, 0)
            return
        e = r.result.estimate
        self.chart.set_breakdown(r.model.name, (e.weights_bytes, e.kv_bytes + e.recurrent_bytes,
                                                e.compute_bytes + e.output_bytes),
                                 sum(r.result.required.values()), sum(r.result.budget.values()))

    def _update_best(self, best) -> None:
        self._best, self._best_known = best, True
        if best is None:
            self.best_label.setText(translate("HardwarePage", "What can I run well: none of the starter picks fits "
                                              "fully and generates at a comfortable speed at {tokens} tokens; try a "
                                              "shorter context.").format(tokens=number(self.n_ctx)))
            return
        res = best.result
        gpu = res.verdict == "gpu_full"
        if best.tokens_per_s:
            sentence = translate("HardwarePage", "{model} ({quant}, {size}) fits entirely on the GPU at {tokens} "
                                 "tokens, using about {memory}, at roughly {speed} tokens/s.") if gpu else \
                translate("HardwarePage", "{model} ({quant}, {size}) fits in RAM on the CPU at {tokens} tokens, "
                          "using about {memory}, at roughly {speed} tokens/s.")
        else:
            sentence = translate("HardwarePage", "{model} ({quant}, {size}) fits entirely on the GPU at {tokens} "
                                 "tokens, using about {memory}.") if gpu else \
                translate("HardwarePage", "{model} ({quant}, {size}) fits in RAM on the CPU at {tokens} tokens, "
                          "using about {memory}.")
        sentence = sentence.format(model=best.pick["name"], quant=best.quant["type"],
                                   size=human_bytes(int(best.quant["size"])), tokens=number(res.estimate.n_ctx),
                                   memory=human_bytes(sum(res.required.values())),
                                   speed=number(best.tokens_per_s, 0) if best.tokens_per_s else "")
        good_for = translate("StarterPicks", best.pick["good_for"]) if best.pick.get("good_for") else ""
        self.best_label.setText("<b>" + translate("HardwarePage", "What can I run well:") + "</b> " + sentence
                                + f" {good_for}")
