"""The Documents page driven as a user drives it (issue 16): make a collection in the dialog, add a folder, watch
it index in the background (real engine: SmolLM2 as the embedding model), pause and resume, drop a folder, remove a
source and a collection, close the window mid-run, and a filled page at laptop sizes.

Where a test is about the page and not about embeddings (pause, removals, closing, layout), a stand-in embedder
(a fixed vector per text, optionally slow) replaces the engine: it makes the timing deterministic and records
what was embedded and whether the run closed it. The real model is used by the first test."""
from __future__ import annotations

import os
import re
import time

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel

from app.core.docs.store import DocStore
from app.ui.docs import index_job
from app.ui.docs.docs_page import DocsPage
from app.ui.docs.new_collection_dialog import NewCollectionDialog


class StandIn:
    """An embedder that waits ``delay`` seconds per batch, gives every text the same vector, and records the texts
    it embedded and whether it was closed."""
    made: list["StandIn"] = []

    def __init__(self, delay: float) -> None:
        self.delay, self.texts, self.closed = delay, [], False
        StandIn.made.append(self)

    def count(self, texts):
        return [len(t.split()) for t in texts]

    def embed_documents(self, texts, should_stop=None):
        time.sleep(self.delay)
        self.texts += texts
        return np.ones((len(texts), 8), dtype=np.float32)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def stand_in(monkeypatch):
    StandIn.made = []

    def use(delay: float = 0.0) -> None:
        monkeypatch.setattr(index_job, "make_embedder", lambda c, threads=0: StandIn(delay))
    return use


@pytest.fixture
def page(qtbot, ctx, installed_starter):
    p = DocsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    p.on_shown()
    yield p
    p.shutdown()


def notes(folder, n: int, empty: bool = False):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"note{i}.md").write_text(f"# Note {i}\n\nThe word of this note is word{i}x. It is short.\n",
                                            encoding="utf-8")
    if empty:
        (folder / "empty.md").write_bytes(b"")
    return folder


def table(p) -> dict[str, str]:
    """File name -> status, as the documents table shows them."""
    m = p.view.dproxy
    return {m.index(r, 0).data(): m.index(r, 1).data() for r in range(m.rowCount())}


def test_a_folder_indexes_in_the_background_with_progress_and_errors(page, qtbot, tmp_path, monkeypatch,
                                                                     installed_starter, qtmodeltester):
    made = []
    real = index_job.make_embedder
    monkeypatch.setattr(index_job, "make_embedder", lambda c, threads=0: made.append(real(c, threads)) or made[-1])
    # New collection…: the starter model is preselected, the dialog says what the model is for
    with qtbot.waitSignal(page.collections_changed):
        qtbot.mouseClick(page.new_button, Qt.LeftButton)
        dialog = next(d for d in page.findChildren(NewCollectionDialog) if d.isVisible())
        assert dialog.model_path() == str(installed_starter)
        assert "indexing every document again" in " ".join(w.text() for w in dialog.findChildren(QLabel))
        assert not dialog.ok.isEnabled()
        qtbot.keyClicks(dialog.name, "Notes")
        qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert page.collection_names() == ["Notes"] and page.current_name() == "Notes"

    folder = notes(tmp_path / "notes", 2, empty=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    ticks, progress = [], []
    timer = QTimer(page, interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    page.runs.progress.connect(lambda _n, s: progress.append((page.view.status.text(), page.view.progress.isVisible(),
                                                              page.view.index_button.text())))
    timer.start()
    with qtbot.waitSignal(page.indexing_finished, timeout=60000):
        qtbot.mouseClick(page.view.add_folder_button, Qt.LeftButton)  # indexing starts on its own
        assert page.view.index_button.text() == "Pause"
    timer.stop()
    # the GUI thread kept turning while the engine embedded: the timer never stalled
    assert len(ticks) > 5 and max(np.diff(ticks)) < 1.0
    assert any("of 3 files" in text and shown and button == "Pause" for text, shown, button in progress), progress
    assert table(page) == {"note0.md": "indexed", "note1.md": "indexed", "empty.md": "empty.md is empty"}
    status = page.view.status.text()
    assert status.startswith("Indexed 2 documents (") and status.endswith("; 1 could not be read")
    assert page.view.index_button.text() == "Index now" and not page.view.progress.isVisible()
    assert page.cmodel.rows[0].indexed == 2 and page.cmodel.rows[0].chunks >= 2
    assert made and made[0].engine.proc is None  # the embedding model's engine process ended with the run
    for m in (page.cmodel, page.view.smodel, page.view.dmodel):
        qtmodeltester.check(m)


def test_pause_stops_between_files_and_index_now_resumes_without_redoing_any(page, qtbot, tmp_path, stand_in,
                                                                            installed_starter):
    # a slow stand-in (0.25 s a file) so that Pause lands in the middle; what it proves: Pause stops the run at a
    # file boundary with the page saying so, and Index now embeds only the files the first run did not reach
    stand_in(0.25)
    assert page.create_collection("Slow", str(installed_starter))
    folder = notes(tmp_path / "many", 8)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dragEnterEvent(enter)
    assert enter.isAccepted()
    done = []
    page.runs.progress.connect(lambda _n, s: done.append(s.files_done))
    page.dropEvent(QDropEvent(QPointF(20, 20), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    qtbot.waitUntil(lambda: bool(done) and done[-1] >= 2, timeout=20000)
    with qtbot.waitSignal(page.indexing_finished, timeout=20000):
        qtbot.mouseClick(page.view.index_button, Qt.LeftButton)  # Pause
        assert page.view.index_button.text() == "Pausing…" and not page.view.index_button.isEnabled()
    assert page.view.status.text().startswith("Paused after ") and "press Index now to resume" in page.view.status.text()
    first = {n for t in StandIn.made[0].texts for n in re.findall(r"word(\d+)x", t)}
    statuses = table(page)
    assert 2 <= len(first) < 8
    assert sorted(statuses.values()) == sorted(["indexed"] * len(first) + ["waiting"] * (8 - len(first)))
    assert page.view.index_button.text() == "Index now" and StandIn.made[0].closed

    with qtbot.waitSignal(page.indexing_finished, timeout=20000):
        qtbot.mouseClick(page.view.index_button, Qt.LeftButton)  # Index now: resume
    second = {n for t in StandIn.made[1].texts for n in re.findall(r"word(\d+)x", t)}
    assert first.isdisjoint(second) and first | second == {str(i) for i in range(8)}
    assert set(table(page).values()) == {"indexed"} and StandIn.made[1].closed
    assert page.view.status.text() == "Indexed 8 documents (8 chunks)"


def test_remove_a_source_then_the_collection(page, qtbot, tmp_path, stand_in, installed_starter, no_modal_dialogs):
    stand_in()
    page.create_collection("Two sources", str(installed_starter))
    folder = notes(tmp_path / "folder", 2)
    single = tmp_path / "single.txt"
    single.write_text("A file added on its own.\n", encoding="utf-8")
    with qtbot.waitSignal(page.indexing_finished, timeout=20000):
        page.add_paths([folder, single])
    qtbot.waitUntil(lambda: page.view.smodel.rowCount() == 2 and len(table(page)) == 3, timeout=10000)
    assert not page.view.remove_source_button.isEnabled()  # nothing selected yet
    sp = page.view.sproxy
    row = next(r for r in range(sp.rowCount()) if sp.index(r, 0).data() == str(single))
    page.view.sources.selectRow(row)
    assert page.view.remove_source_button.isEnabled()
    qtbot.mouseClick(page.view.remove_source_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.view.smodel.rowCount() == 1 and len(table(page)) == 2, timeout=10000)
    assert page.cmodel.rows[0].indexed == 2

    with qtbot.waitSignal(page.collections_changed, timeout=10000):
        qtbot.mouseClick(page.remove_collection_button, Qt.LeftButton)  # confirmed (the dialog is answered Yes)
    assert any(kind == "question" and "Remove the collection 'Two sources'" in text and "files stay" in text
               for kind, text in no_modal_dialogs)
    assert page.collection_names() == [] and page.view.heading.text() == "No collection yet"
    assert not page.view.index_button.isEnabled() and not page.view.add_folder_button.isEnabled()


def test_closing_the_window_mid_run_keeps_what_was_indexed(main_window, qtbot, ctx, tmp_path, stand_in,
                                                            installed_starter):
    stand_in(0.3)
    win, p = main_window, main_window.docs_page
    win.show_page(win.pages.index(p))
    assert p.create_collection("Closing", str(installed_starter))
    done = []
    p.runs.progress.connect(lambda _n, s: done.append(s.files_done))
    p.add_paths([notes(tmp_path / "close", 6)])
    qtbot.waitUntil(lambda: bool(done) and done[-1] >= 1, timeout=20000)
    t = time.monotonic()
    win.close()  # the page's shutdown: stop at the next file, wait for the run
    assert time.monotonic() - t < 8  # the run stopped at its next file: no hang (the page waits 5 s at most)
    assert StandIn.made[0].closed
    assert all(lane.thread.isFinished() for lane in p.runner._lanes)
    store = DocStore(ctx.paths.data_dir / "documents.sqlite3")
    docs = store.documents(store.collection("Closing"))
    store.close()
    assert 1 <= len(docs) < 6 and all(d.status == "indexed" and d.n_chunks == 1 for d in docs)

    # the next start: the rest waits for Index now, and nothing starts on its own
    again = DocsPage(ctx)
    qtbot.addWidget(again)
    again.on_shown()
    qtbot.waitUntil(lambda: "waiting" in again.view.status.text(), timeout=10000)
    assert again.view.status.text() == f"{6 - len(docs)} files waiting — press Index now"
    qtbot.wait(200)
    assert again.runs.job is None and len(StandIn.made) == 1
    again.shutdown()


def test_a_filled_page_fits_at_laptop_sizes(main_window, qtbot, tmp_path, stand_in, installed_starter):
    from tests.ui.test_layout_sizes import SHOTS, SIZES, clipped, interactive_widgets, label, overlaps, settle

    stand_in()
    win, p = main_window, main_window.docs_page
    win.show_page(win.pages.index(p))
    p.create_collection("Manuals", str(installed_starter))
    folder = notes(tmp_path / "Manuals", 3, empty=True)
    (folder / "a-rather-long-name-for-the-coffee-machine-manual.md").write_text("# Coffee\n\nDescale it.\n")
    with qtbot.waitSignal(p.indexing_finished, timeout=20000):
        p.add_paths([folder])
    qtbot.waitUntil(lambda: len(table(p)) == 5, timeout=10000)
    problems = []
    for size in SIZES:
        win.resize(*size)
        settle(qtbot)
        widgets = interactive_widgets(win)
        problems += [f"{size}: {label(w)} {clipped(w, win)}" for w in widgets if clipped(w, win)]
        problems += [f"{size}: {label(a)} overlaps {label(b)}" for a, b in overlaps(widgets, win)]
        if os.environ.get("HEARTH_SCREENSHOTS"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            win.grab().save(str(SHOTS / f"docspage-filled-{size[0]}x{size[1]}.png"))
    assert not problems, "\n".join(problems)


def test_another_embedding_model_asks_then_indexes_everything_again(page, qtbot, tmp_path, stand_in,
                                                                     installed_starter, no_modal_dialogs):
    """The index knows which model made its vectors: choosing another one asks first (the answer here is Yes),
    drops the old vectors and indexes every document again with the new model."""
    stand_in()
    page.create_collection("Notes", str(installed_starter))
    with qtbot.waitSignal(page.indexing_finished, timeout=20000):
        page.add_paths([notes(tmp_path / "n", 3)])
    assert len(StandIn.made[-1].texts) == 3
    other = tmp_path / "other-embed.gguf"
    other.write_bytes(b"stand-in: the embedder is replaced")
    assert page.model_button.isEnabled()
    with qtbot.waitSignal(page.indexing_finished, timeout=20000):
        assert page.change_embed_model(str(other))
    assert any(kind == "question" and "Index 'Notes' again with other-embed.gguf" in text and "3 documents" in text
               for kind, text in no_modal_dialogs)
    assert len(StandIn.made[-1].texts) == 3  # all three embedded again by the new run
    store = DocStore(page.db_path)
    try:
        c = store.collection("Notes")
        assert c.embed_model == str(other) and all(d.status == "indexed" for d in store.documents(c))
    finally:
        store.close()
    assert not page.change_embed_model(str(other))  # the same model: nothing to do
