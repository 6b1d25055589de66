"""Opening the chats database at start-up, and the way out when it is damaged.

``open_store(path)`` is what the Chat page calls instead of ``ChatStore(path)``. Normally it returns the open
store and no trouble, after a quick check that the file reads cleanly. When opening fails or the check finds
damage, the page must still come up: the file is opened read-only if SQLite can still read it (the user sees
their chats but cannot add to them), otherwise an empty in-memory store stands in; either is wrapped in a
:class:`SwappableStore` so the page's parts (session, sidebar, settings panel) keep one reference while the
store behind it changes, and the :class:`Trouble` is returned: the page puts a :class:`RecoveryBar` at its top,
which says plainly what happened and offers

- **Export what can be read**: ``salvage()`` → a JSON file the user picks (readable by "Import" later);
- **Start a fresh database**: ``salvage()``, ``set_aside()`` (the damaged file is renamed, never deleted),
  a new ``ChatStore``, then ``restore()`` of every conversation that could be read.

Salvaging reads the whole file (seconds for a big damaged one), so it runs on the shared background runner;
the store is swapped on the GUI thread, which owns it (see ``app/core/chats/README.md``); the bar's ``replaced``
signal tells the page to show the fresh store.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.core.units import number
from app.core.chats import ChatStore, StoreError, restore, salvage, set_aside
from app.core.chats.errors import classify
from app.core.chats.salvage import dump
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.tasks import shared_runner

log = logging.getLogger("hearth.chat")

# ``PRAGMA quick_check`` reads the whole file: done at start-up only when that costs well under a second
QUICK_CHECK_MAX_BYTES = 256 * 2**20

EXPORT_LABEL = QT_TRANSLATE_NOOP("RecoveryBar", "Export what can be read…")
FRESH_LABEL = QT_TRANSLATE_NOOP("RecoveryBar", "Start a fresh database (the damaged file is kept aside)")


class SwappableStore:
    """A stand-in for a ``ChatStore`` whose target can be replaced (recovery only; normal starts get the
    plain store). A read-only target has no interrupted replies to mark, so that call is a no-op here."""

    def __init__(self, target: ChatStore) -> None:
        self._target = target

    @property
    def target(self) -> ChatStore:
        return self._target

    def swap(self, new: ChatStore) -> ChatStore:
        old, self._target = self._target, new
        return old

    def mark_interrupted(self) -> int:
        return 0 if self._target.read_only else self._target.mark_interrupted()

    def __getattr__(self, name: str):
        return getattr(self._target, name)


def _damage(store: ChatStore, path: Path) -> str:
    """'' when the open store reads cleanly, else what is wrong (a short text for the user and the log)."""
    try:
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            rows = [r[0] for r in store.conn.execute("PRAGMA quick_check(5)")]
            if rows != ["ok"]:
                return "; ".join(str(r) for r in rows)
        store.list_conversations()  # what the sidebar reads first
        store.list_presets()
    except StoreError as exc:
        return str(exc)
    except sqlite3.Error as exc:
        return f"{classify(exc)[1]} ({exc})"
    return ""


def _memory_store() -> ChatStore:
    """An empty store that lives only in memory and refuses changes: the page works, nothing is pretended saved."""
    store = ChatStore(Path(":memory:"))
    store.read_only = True
    return store


@dataclass(frozen=True)
class Trouble:
    """Why the chats database could not be used normally (what the recovery bar says)."""
    path: Path
    problem: str
    kind: str  # "damaged", "busy", "newer_version", ... (StoreError kinds) or "other"
    readable: bool  # opened read-only: the chats can be read


def open_store(path: Path) -> tuple[ChatStore | SwappableStore, Trouble | None]:
    """The chats database at ``path`` and what is wrong with it (None: nothing); never raises for a damaged or
    unopenable file."""
    path = Path(path)
    problem, kind = "", "other"
    store = None
    try:
        store = ChatStore(path)
        problem = _damage(store, path)
        kind = "damaged" if problem else kind
    except StoreError as exc:
        problem, kind = str(exc), exc.kind
    except (sqlite3.Error, OSError) as exc:  # not expected (the store translates them); never fatal here
        problem, kind = f"{type(exc).__name__}: {exc}", "damaged" if isinstance(exc, sqlite3.Error) else "other"
    if not problem:
        return store, None
    if store is not None:
        store.close()
    log.error("the chats database %s cannot be used normally (%s): %s", path, kind, problem)
    readable = False
    try:
        fallback = ChatStore(path, read_only=True)
        try:
            fallback.list_conversations()
            fallback.list_presets()
            readable = True
        except (StoreError, sqlite3.Error):
            fallback.close()
    except (StoreError, sqlite3.Error, OSError):
        pass
    if not readable:
        fallback = _memory_store()
    return SwappableStore(fallback), Trouble(path, problem, kind, readable)


class RecoveryBar(QWidget):
    """The banner with the two ways out. ``export(path)`` and ``start_fresh()`` are what the buttons do."""

    exported = Signal(str)  # file written
    replaced = Signal(str)  # where the damaged file was put aside
    failed = Signal(str)

    def __init__(self, proxy: SwappableStore, trouble: Trouble, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.path = path = trouble.path
        self.kind = kind = trouble.kind
        problem = trouble.problem
        self.busy = False
        self._token = 0
        self._what = ""
        runner = shared_runner()
        runner.done.connect(self._on_done)
        runner.failed.connect(self._on_failed)
        if trouble.readable:
            what = translate("RecoveryBar", "Hearth opened it read-only: you can read your conversations, but new "
                             "messages cannot be saved until you start a fresh database.")
        else:
            what = translate("RecoveryBar", "Hearth could not read any conversations from it, so the chat list is "
                             "empty for now.")
        self.text = QLabel(translate(
            "RecoveryBar", "Your chats database could not be opened normally: {problem}\n\n{what} Nothing has been "
            "deleted: the file is still at {path}. You can export what can be read, or start a fresh database (the "
            "damaged file is kept aside and every conversation that can be read is copied into the new one).").format(
                problem=problem, what=what, path=path))
        self.text.setWordWrap(True)
        self.text.setProperty("banner", "error")
        self.text.setAccessibleName(translate("RecoveryBar", "Chats database problem"))
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.export_button = QPushButton(translate("RecoveryBar", EXPORT_LABEL))
        self.export_button.setAccessibleName(translate("RecoveryBar", "Export what can be read"))
        self.export_button.setToolTip(translate("RecoveryBar",
                                                "Write every conversation that can still be read to a JSON file."))
        self.export_button.clicked.connect(lambda: self.export())
        self.fresh_button = QPushButton(translate("RecoveryBar", FRESH_LABEL))
        self.fresh_button.setAccessibleName(translate("RecoveryBar", "Start a fresh database"))
        self.fresh_button.setToolTip(translate("RecoveryBar", "Rename the damaged file (it is kept), create a new "
                                               "database and copy into it every conversation that can be read."))
        self.fresh_button.clicked.connect(lambda: self.start_fresh())
        # a database held by another Hearth, or written by a newer one, is not damaged: never set it aside
        self.fresh_button.setVisible(kind not in ("busy", "newer_version"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setProperty("muted", True)
        self.status.setAccessibleName(translate("RecoveryBar", "Recovery status"))
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.fresh_button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 6)
        lay.addWidget(self.text)
        lay.addLayout(row)
        lay.addWidget(self.status)

    # ---- actions ------------------------------------------------------------------------------------------------
    def export(self, dest: str | None = None) -> None:
        if self.busy:
            return
        if dest is None:
            default = Path.home() / f"hearth-chats-recovered-{time.strftime('%Y%m%d-%H%M%S')}.json"
            dest, _ = QFileDialog.getSaveFileName(self, translate("RecoveryBar", "Export what can be read"),
                                                  str(default), "JSON (*.json)")
        if not dest:
            return
        path = self.path

        def work():
            data = salvage(path)
            dump(data, Path(dest))
            return dest, data

        self._run("export", work, translate("RecoveryBar", "Reading what can be read…"))

    def start_fresh(self) -> None:
        if self.busy:
            return
        answer = QMessageBox.question(
            self, translate("RecoveryBar", "Start a fresh chats database"),
            translate("RecoveryBar", "Start a fresh chats database?\n\nThe damaged file is renamed and kept next to "
                      "it ({name}.damaged-<time>); every conversation that can still be read is copied into the new "
                      "database.").format(name=self.path.name))
        if answer != QMessageBox.Yes:
            return
        path = self.path
        self._run("fresh", lambda: salvage(path), translate("RecoveryBar", "Reading what can be read…"))

    # ---- worker -------------------------------------------------------------------------------------------------
    def _run(self, what: str, fn, message: str) -> None:
        self._set_busy(True, message)
        self._what = what
        self._token = shared_runner().submit(fn)

    def _on_failed(self, token: int, exc: object) -> None:
        if token == self._token:
            log.error("chat recovery (%s) failed: %s", self._what, exc)  # reported in the bar, never lost
            self._on_done(token, exc)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        self.export_button.setEnabled(not busy)
        self.fresh_button.setEnabled(not busy)
        if message:
            self.status.setText(message)

    def _on_done(self, token: int, result: object) -> None:
        if token != self._token:
            return
        self._token = 0
        what = self._what
        self._set_busy(False)
        if isinstance(result, Exception):
            text = (translate("RecoveryBar", "Could not export: {error}").format(error=result) if what == "export"
                    else translate("RecoveryBar", "Could not read the damaged database: {error}").format(error=result))
            self.status.setText(text)
            self.failed.emit(text)
            return
        if what == "export":
            dest, data = result
            c = data["counts"]
            n = c["conversations"]  # (a plain name: pyside6-lupdate skips a call whose count is an expression)
            conversations = translate("RecoveryBar", "{count} conversation(s)", None, n).format(count=number(n))
            n = c["messages"]
            messages = translate("RecoveryBar", "{count} message(s)", None, n).format(count=number(n))
            self.status.setText(translate("RecoveryBar", "Exported {conversations} with {messages} to {dest}. Import "
                                          "it from the conversation list's menu at any time.").format(
                conversations=conversations, messages=messages, dest=dest))
            self.exported.emit(dest)
            return
        self._replace(result)

    def _replace(self, data: dict) -> None:
        """On the GUI thread: set the damaged file aside, open a new database, copy the readable chats in."""
        old = self.proxy.target
        old.close()
        try:
            aside = set_aside(self.path)
            new = ChatStore(self.path)
        except (StoreError, OSError) as exc:
            self.proxy.swap(_memory_store())
            text = translate("RecoveryBar", "Could not start a fresh database: {error}").format(error=exc)
            self.status.setText(text)
            self.failed.emit(text)
            return
        problems = []
        try:
            restored = restore(data, new)
        except (StoreError, ValueError) as exc:  # keep the fresh database; the salvage export still works
            restored = 0
            problems.append(str(exc))
        self.proxy.swap(new)
        self.text.setProperty("banner", "info")
        self.text.style().unpolish(self.text)
        self.text.style().polish(self.text)
        text = translate("RecoveryBar", "A fresh chats database was started with the {count} conversation(s) that "
                         "could be read. The damaged file was kept as {aside}.", None, restored).format(
            count=number(restored), aside=aside)
        if problems:
            text += " " + translate("RecoveryBar", "Some could not be copied: {problems}").format(
                problems="; ".join(problems))
        self.text.setText(text)
        self.export_button.hide()
        self.fresh_button.hide()
        self.status.setText("")
        log.info("fresh chats database started; %d conversations restored; damaged file kept as %s", restored, aside)
        self.replaced.emit(str(aside))
