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


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


# ---- before a download starts ------------------------------------------------------------------------------------
CONFIRM_ABOVE = 4_000_000_000  # ask before downloads larger than this (bytes)
DISK_MARGIN = 16 * 1024 * 1024  # as app.core.downloads keeps free beyond the file
LOW_DISK_AFTER = 2_000_000_000  # ask when less than this would be left free


@dataclass
class SizeCheck:
    refuse: str = ""  # a reason not to start at all (the file cannot fit on the disk)
    confirm: str = ""  # a question to ask first ("This is a 7.2 GB download. Continue?")


def check_download_size(total: int, *, free_disk: int, ram_total: int, have: int = 0) -> SizeCheck:
    """What to tell the user before downloading ``total`` bytes (``have`` of them already kept from an earlier
    attempt) to a disk with ``free_disk`` bytes free, on a computer with ``ram_total`` bytes of memory."""
    from app.core.library import human_size

    need = max(0, total - have)
    if need + DISK_MARGIN > free_disk:
        return SizeCheck(refuse=f"This download needs {human_size(need)} of disk space and only "
                                f"{human_size(free_disk)} is free in the models folder. Free some space first.")
    notes = []
    if total > CONFIRM_ABOVE:
        notes.append(f"This is a {human_size(total)} download.")
    if total > ram_total:
        notes.append(f"The model is larger than this computer's memory ({human_size(ram_total)}): it would run "
                     "very slowly here, if at all.")
    if free_disk - need < LOW_DISK_AFTER:
        notes.append(f"It leaves only {human_size(free_disk - need)} free on the disk.")
    return SizeCheck(confirm=" ".join(notes + ["Continue?"]) if notes else "")
