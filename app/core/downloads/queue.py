"""The download queue's data: items and their states, the saved queue (so unfinished downloads survive a
restart), which items to start next, and a rolling-average speed meter for speed and ETA. No threads here:
the GUI's controller and the command line drive it."""
from __future__ import annotations

import collections
import itertools
import json
import logging
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app.core.downloads.downloader import DISK_MARGIN
from app.core.i18n import said, translate
from app.settings import atomic_write_text

log = logging.getLogger("hearth.download")

QUEUED, ACTIVE, PAUSED, FAILED, DONE, CANCELLED = "queued", "downloading", "paused", "failed", "done", "cancelled"
STATES = (QUEUED, ACTIVE, PAUSED, FAILED, DONE, CANCELLED)
UNFINISHED = (QUEUED, ACTIVE, PAUSED, FAILED)

_ids = itertools.count(1)


@dataclass
class DownloadItem:
    repo_id: str
    filename: str
    revision: str = "main"
    size: int = 0
    sha256: str | None = None
    state: str = QUEUED
    done: int = 0
    error: str = ""
    error_kind: str = ""
    path: str = ""  # where the finished file is
    added: float = field(default_factory=time.time)
    id: int = field(default_factory=lambda: next(_ids))
    status_text: str = ""  # e.g. "retrying in 4 s" (not saved)

    @property
    def name(self) -> str:
        return f"{self.repo_id}/{self.filename}"

    @property
    def fraction(self) -> float:
        return self.done / self.size if self.size else 0.0

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("id")
        d.pop("status_text")
        if d["state"] == ACTIVE:
            d["state"] = QUEUED  # a download running when the app stopped continues at the next start
        return d

    @classmethod
    def from_json(cls, d: dict) -> "DownloadItem":
        known = {f.name for f in fields(cls)} - {"id", "status_text"}
        item = cls(**{k: v for k, v in d.items() if k in known})
        if item.state not in STATES:
            item.state = FAILED
        return item


class QueueStore:
    """The queue as JSON in the data folder, written atomically. Finished items are not kept."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[DownloadItem]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("the saved download queue could not be read (%s); starting with an empty queue", exc)
            return []
        items = []
        for d in raw.get("items", []) if isinstance(raw, dict) else []:
            try:
                items.append(DownloadItem.from_json(d))
            except TypeError:
                continue
        return items

    def save(self, items: list[DownloadItem]) -> None:
        keep = [i.to_json() for i in items if i.state in UNFINISHED]
        try:
            atomic_write_text(self.path, json.dumps({"version": 1, "items": keep}, indent=1))
        except OSError as exc:
            log.warning("could not save the download queue: %s", exc)


def to_start(items: list[DownloadItem], parallelism: int) -> list[DownloadItem]:
    """Queued items to start now, oldest first, keeping at most ``parallelism`` running."""
    running = sum(1 for i in items if i.state == ACTIVE)
    free = max(0, max(1, parallelism) - running)
    return [i for i in items if i.state == QUEUED][:free]


class RateMeter:
    """Speed as a rolling average over the last ``window`` seconds, and the ETA it implies."""

    def __init__(self, window: float = 5.0) -> None:
        self.window = window
        self._samples: collections.deque[tuple[float, int]] = collections.deque()

    def reset(self) -> None:
        self._samples.clear()

    def add(self, done: int, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if self._samples and done < self._samples[-1][1]:
            self._samples.clear()  # restarted from 0
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > self.window:
            self._samples.popleft()

    def speed(self) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, d0), (t1, d1) = self._samples[0], self._samples[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else 0.0

    def eta(self, remaining: int) -> float | None:
        s = self.speed()
        return remaining / s if s > 0 else None


# ---- before a download starts ------------------------------------------------------------------------------------
CONFIRM_ABOVE = 4_000_000_000  # ask before downloads larger than this (bytes)
LOW_DISK_AFTER = 2_000_000_000  # ask when less than this would be left free


@dataclass
class SizeCheck:
    refuse: str = ""  # a reason not to start at all (the file cannot fit on the disk)
    confirm: str = ""  # a question to ask first ("This is a 7.2 GB download. Continue?")


def check_download_size(total: int, *, free_disk: int, ram_total: int, have: int = 0) -> SizeCheck:
    """What to tell the user before downloading ``total`` bytes (``have`` of them already kept from an earlier
    attempt) to a disk with ``free_disk`` bytes free, on a computer with ``ram_total`` bytes of memory."""
    from app.core.units import human_bytes

    need = max(0, total - have)
    if need + DISK_MARGIN > free_disk:
        return SizeCheck(refuse=translate("DownloadQueue", "This download needs {need} of disk space and only {free} "
                                                           "is free in the models folder. Free some space "
                                                           "first.").format(need=human_bytes(need),
                                                                            free=human_bytes(free_disk)))
    notes = []
    if total > CONFIRM_ABOVE:
        notes.append(translate("DownloadQueue", "This is a {size} download.").format(size=human_bytes(total)))
    if total > ram_total:
        notes.append(translate("DownloadQueue", "The model is larger than this computer's memory ({memory}): it "
                                                "would run very slowly here, if at all.").format(
            memory=human_bytes(ram_total)))
    if free_disk - need < LOW_DISK_AFTER:
        notes.append(translate("DownloadQueue", "It leaves only {free} free on the disk.").format(
            free=human_bytes(free_disk - need)))
    return SizeCheck(confirm=" ".join(notes + [translate("DownloadQueue", "Continue?")]) if notes else "")


# ---- the queue's transitions ---------------------------------------------------------------------------------------
class DownloadQueue:
    """The download queue's state machine, without threads or widgets: what pause, resume, cancel, restart,
    start, progress, finish and failure do to the items, and which items start next. The Models page's
    controller (app/ui/downloads/download_controller.py) runs the jobs on threads and shows the items;
    ``hearth download`` runs them one after another in the terminal. Both go through these transitions.

    Each method returns whether it changed something, so the caller knows when to stop a job, redraw or save.
    """

    def __init__(self, models_dir: Path, items: list[DownloadItem] | None = None, parallelism: int = 1) -> None:
        from app.core.downloads.downloader import partial_size

        self.models_dir = Path(models_dir)
        self.items: list[DownloadItem] = list(items or [])
        self.parallelism = max(1, parallelism)
        for it in self.items:  # what is really on disk: the bytes kept from an earlier attempt
            it.done = partial_size(self.models_dir, it.repo_id, it.filename) if it.state != DONE else it.size

    def item(self, item_id: int) -> DownloadItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def add(self, repo_id: str, filename: str, revision: str = "main", size: int = 0,
            sha256: str | None = None) -> tuple[DownloadItem, bool]:
        """Queue a file (hostile names raise UnsafeNameError); (the item, False) when it is already queued."""
        from app.core.downloads.downloader import target_paths

        paths = target_paths(self.models_dir, repo_id, filename, check_links=False)
        for it in self.items:
            if (it.repo_id, it.filename) == (repo_id, filename) and it.state in (QUEUED, ACTIVE, PAUSED):
                return it, False
        it = DownloadItem(repo_id=repo_id, filename=filename, revision=revision, size=size, sha256=sha256)
        try:
            it.done = paths.partial.stat().st_size  # bytes kept from an earlier attempt
        except OSError:
            it.done = 0
        self.items.append(it)
        return it, True

    def to_start(self) -> list[DownloadItem]:
        return to_start(self.items, self.parallelism)

    def pause(self, it: DownloadItem) -> bool:
        if it.state not in (QUEUED, ACTIVE):
            return False
        self._set(it, PAUSED, status_text="")
        return True

    def resume(self, it: DownloadItem) -> bool:
        if it.state not in (PAUSED, FAILED, CANCELLED):
            return False
        self._set(it, QUEUED, error="", error_kind="", status_text="")
        return True

    def restart_from_current(self, it: DownloadItem, branch: str = "main") -> bool:
        """Start again from the repository's current version (the pinned commit is gone): the kept bytes belong
        to the old version and are discarded; size and sha256 come from the current version's metadata."""
        if it.state == DONE:
            return False
        self._discard_partial(it)
        it.revision, it.size, it.sha256, it.done = branch, 0, None, 0
        self._set(it, QUEUED, error="", error_kind="", status_text="")
        return True

    def cancel(self, it: DownloadItem) -> bool:
        if it.state in (DONE, CANCELLED):
            return False
        self._discard_partial(it)
        it.done = 0
        self._set(it, CANCELLED, status_text="")
        return True

    def remove_finished(self) -> bool:
        keep = [it for it in self.items if it.state not in (DONE, CANCELLED)]
        changed = len(keep) != len(self.items)
        self.items = keep
        return changed

    def started(self, it: DownloadItem) -> None:
        self._set(it, ACTIVE, error="", error_kind="", status_text="")

    def progressed(self, it: DownloadItem, done: int, total: int) -> None:
        it.done, it.size = int(done), int(total)
        it.status_text = ""

    def finished(self, it: DownloadItem, path: str) -> None:
        it.path = path
        it.done = it.size
        self._set(it, DONE, status_text="")

    def failed(self, it: DownloadItem, exc: BaseException):
        """Record why it failed, in words (a HubError with a kind: auth, revision_gone, disk_full, ...)."""
        from app.core.downloads.downloader import downloading
        from app.core.hub import UnsafeNameError
        from app.core.hub.errors import HubError, translate as hub_error

        if isinstance(exc, UnsafeNameError):  # e.g. a folder in the models folder links outside it
            exc = HubError("unsafe", translate("DownloadQueue", "Refused to download {file}: {error}").format(
                file=it.filename, error=exc))
        err = exc if isinstance(exc, HubError) else hub_error(exc, downloading(it.filename))
        self._set(it, FAILED, error=said(err), error_kind=getattr(err, "kind", "other"), status_text="")
        return err

    def _discard_partial(self, it: DownloadItem) -> None:
        from app.core.downloads.downloader import discard_partial

        try:
            discard_partial(self.models_dir, it.repo_id, it.filename)
        except (OSError, ValueError) as exc:
            log.warning("could not remove the partial file: %s", exc)

    @staticmethod
    def _set(it: DownloadItem, state: str, **fields) -> None:
        it.state = state
        for k, v in fields.items():
            setattr(it, k, v)
