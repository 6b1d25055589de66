"""The Hardware page's worker: a QObject hosted on the page's task runner (app/ui/common/tasks.py) that runs ``app.core`` (hardware probes, header reads
of the local models, fit estimates, the starter-pick search) and reports through signals. It never touches a
widget; each request carries a token and the page ignores answers to requests it has replaced."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from app.ui.common.i18n import translate
from app.ui.hardware.hardware_models import FitCells, describe, make_items
# shared with the Models page's workers: one owner of the process-wide garbage-collector pause, one niceness policy
from app.ui.common.tasks import background_batch, background_priority

log = logging.getLogger("hearth.ui.hardware")


@dataclass
class LocalModelInfo:
    path: Path
    name: str
    size: int
    profile: object | None  # app.core.fit.model_profile.ModelProfile
    error: str = ""


@dataclass
class FitRow:
    model: LocalModelInfo
    result: object | None  # app.core.fit.FitResult
    error: str = ""
    # the table's texts, sort keys and bar, and its row of items, made here on the worker thread so that the GUI
    # thread only inserts them (the model takes the items)
    shown: FitCells = field(init=False, repr=False, compare=False)
    items: list | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.shown = describe(self)
        self.items = make_items(self.shown)


class HardwareWorker(QObject):
    detected = Signal(object)  # HardwareInfo
    live = Signal(object)  # HardwareInfo with fresh RAM / GPU / disk numbers
    scanned = Signal(int, object)  # token, list[LocalModelInfo]
    fitted = Signal(int, object, object)  # token, list[FitRow], BestPick | None
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.info = None
        self.models: list[LocalModelInfo] = []
        self._versions: dict[tuple[Path, int, int], LocalModelInfo] = {}  # (path, size, mtime) -> what was read

    @Slot(str)
    def detect(self, models_dir: str) -> None:
        from app.core import hardware

        try:
            self.info = hardware.detect(models_dir or None)
        except Exception as exc:  # detect() already degrades per probe; this is a last resort
            log.exception("hardware detection failed")
            self.failed.emit(translate("HardwareWorker", "Hardware detection failed: {error}").format(error=exc))
            return
        self.detected.emit(self.info)

    @Slot()
    def refresh(self) -> None:
        from app.core import hardware

        if self.info is not None:
            self.live.emit(hardware.refresh(self.info))

    @Slot(int, object)
    def scan(self, token: int, catalog) -> None:
        """Read the header of every model in the catalog (app.core.library.catalog), skipping unchanged files."""
        from app.core.gguf.header import GGUFError, read_model_file
        from app.core.fit.model_profile import ProfileError, profile_from_gguf

        background_priority()
        out: list[LocalModelInfo] = []
        known: dict[tuple[Path, int, int], LocalModelInfo] = {}
        with background_batch():  # 500 profiles hold 130,000 tensor records: see background_batch
            for m in catalog.models():
                try:
                    version = (m.path, m.size, m.path.stat().st_mtime_ns)
                except OSError as exc:
                    out.append(LocalModelInfo(m.path, m.display_name, m.size, None,
                                              translate("HardwareWorker", "Could not read: {error}").format(error=exc)))
                    continue
                info = self._versions.get(version)  # the page rescans each time it is shown: read what changed
                if info is None:
                    info = self._read(m, read_model_file, profile_from_gguf, (GGUFError, ProfileError))
                known[version] = info
                out.append(info)
        self._versions = known
        self.models = out
        self.scanned.emit(token, out)

    @staticmethod
    def _read(m, read_model_file, profile_from_gguf, bad) -> LocalModelInfo:
        try:
            profile = profile_from_gguf(read_model_file(m.path), name=m.display_name)
            return LocalModelInfo(m.path, m.display_name, m.size, profile)
        except bad as exc:
            return LocalModelInfo(m.path, m.display_name, m.size, None,
                                  translate("HardwareWorker", "Not a usable GGUF model: {error}").format(error=exc))
        except OSError as exc:
            return LocalModelInfo(m.path, m.display_name, m.size, None,
                                  translate("HardwareWorker", "Could not read: {error}").format(error=exc))

    @Slot(int, int, str, bool)
    def fit_all(self, token: int, n_ctx: int, kv_type: str, flash_attn: bool) -> None:
        from app.core import hardware
        from app.core.fit import FitError, fit
        from app.core.fit.here import FitSettings, machine_options
        from app.core.fit.starter_picks import best_pick

        background_priority()
        if self.info is None:
            self.info = hardware.detect()
        opts, devices = machine_options(FitSettings(n_ctx=n_ctx, kv_type=kv_type, flash_attn=flash_attn), self.info)
        rows = []
        # the rows are replaced by the next fit (each move of the slider): not frozen, and the cycles the device
        # probes leave (ctypes types) are collected
        with background_batch(keeps_results=False):
            for m in self.models:
                if m.profile is None:
                    rows.append(FitRow(m, None, m.error))
                    continue
                try:
                    rows.append(FitRow(m, fit(m.profile, opts, devices)))
                except FitError as exc:
                    rows.append(FitRow(m, None, str(exc)))
        try:
            from app.core.fit.speed import memory_bandwidth

            best = best_pick(devices, n_ctx, options=opts, bandwidth=memory_bandwidth())
        except (OSError, ValueError, KeyError) as exc:
            log.warning("starter picks unavailable: %s", exc)
            best = None
        self.fitted.emit(token, rows, best)
