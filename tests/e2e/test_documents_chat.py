"""Chat with your documents through the real window (issue 16): a collection indexed with SmolLM2 as the
embedding model (engine process), attached to a conversation in the Chat settings ("Documents"); a question is
searched before the reply, the passages go into the prompt (the reply's stats list them, the right page first),
the reply's footer offers them, and a click opens the passage (file, page, text) in the app. A missing
collection is said in words and nothing is generated."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.core.docs.docs_samples import drawn_pdf


def test_a_conversation_answers_from_a_collection(installed_starter, ctx, qtbot, tmp_path):
    from app.core.docs.embedder import Embedder
    from app.core.docs.indexer import Indexer
    from app.core.docs.store import DocStore
    from app.ui.main_window import MainWindow

    lib = tmp_path / "lib"
    lib.mkdir()
    drawn_pdf(lib / "manual.pdf", [["Welcome to the Brevio coffee machine manual."],
                                   ["Cleaning: descale the boiler every 90 days with citric acid."],
                                   ["Warranty: the warranty lasts 24 months from the date of purchase."]])
    (lib / "bike.md").write_text("# Bicycle\n\nInflate the tyres to 4.5 bar before every ride.\n", encoding="utf-8")
    store = DocStore(ctx.paths.data_dir / "documents.sqlite3")
    c = store.create_collection("manuals", str(installed_starter))
    store.add_sources(c, [lib])
    emb = Embedder(installed_starter)
    try:
        assert Indexer(store, c, emb).run().files_done == 2
    finally:
        emb.close()
        store.close()

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    page = win.chat_page
    with qtbot.waitSignal(page.engine.loaded, timeout=60000):
        page.load_selected()
    panel = page.panel
    i = panel.collection.findData("manuals")
    assert i > 0, "the Documents choice lists the collection"
    panel.collection.setCurrentIndex(i)
    panel.temperature.setValue(0)
    panel.max_tokens.setValue(40)
    page.input.setPlainText("How long does the warranty last?")
    with qtbot.waitSignal(page.session.generating_changed, timeout=90000, check_params_cb=lambda b: b is False):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    reply = page.model.messages()[-1]
    assert reply.state == "done" and reply.text.strip()
    sources = reply.stats["sources"]
    assert sources and all({"n", "file", "page", "text", "cited"} <= set(p) for p in sources)
    warranty = next(p for p in sources if "24 months" in p["text"])
    assert warranty["file"].endswith("manual.pdf") and warranty["page"] == 3
    # cited marks only numbers that point at a passage given
    assert all(isinstance(p["cited"], bool) for p in sources)
    # the conversation keeps its collection
    assert page.session.settings.collection == "manuals"
    # the footer offers the passages; a click opens them in the app
    r = page.view.painter_.render_for(reply, 600)
    footer = r.parts[-1].doc.toPlainText()
    assert f"all {len(sources)} passages from your documents" in footer
    page.view.action.emit(reply.id, "source", str(warranty["n"]))
    dialog = page.passages
    assert dialog.isVisible() and "24 months" in dialog.text.toPlainText()
    assert "manual.pdf" in dialog.where.text() and "page 3" in dialog.where.text()
    dialog.close()

    # a collection that is gone: said in words, nothing generated, the question kept
    page.session.settings.collection = "removed-one"
    page.input.setPlainText("And the tyres?")
    with qtbot.waitSignal(page.session.generating_changed, timeout=30000, check_params_cb=lambda b: b is False):
        qtbot.mouseClick(page.send_button, Qt.LeftButton)
    last = page.model.messages()[-1]
    assert last.state == "error" and "could not be searched" in page.banner.text()
    assert page.model.messages()[-2].text == "And the tyres?"
    win.close()
