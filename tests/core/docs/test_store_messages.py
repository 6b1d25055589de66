"""A document's error or note is stored as its sentence's source and values (a real SQLite file), so it is shown in
the language of whoever reads it: the window in Turkish (a stand-in translator here), ``hearth docs`` in English.
Plain text is stored as is; a damaged stored sentence reads as "could not be read", never a traceback."""
from __future__ import annotations

import sqlite3

from app.core.docs.store import TEXT_MARK, DocStore
from app.core.i18n import current_translator, set_translator, translate


def test_a_stored_sentence_is_shown_in_the_readers_language(tmp_path):
    s = DocStore(tmp_path / "documents.sqlite3")
    c = s.create_collection("notes", "model.gguf")
    why = translate("DocsExtractPdf", "{name} has no pages").format(name="a.pdf")
    s.mark(c, "/d/a.pdf", 10, 1.0, "error", why)
    s.mark(c, "/d/b.txt", 10, 1.0, "error", "plain words")
    assert [d.message for d in s.documents(c)] == ["a.pdf has no pages", "plain words"]
    before = current_translator()
    set_translator(lambda context, source, disambiguation, n: {"{name} has no pages": "{name} içinde hiç sayfa yok"}
                   .get(source, source))
    try:
        assert s.document(c, "/d/a.pdf").message == "a.pdf içinde hiç sayfa yok"
    finally:
        set_translator(before)
    s.close()
    db = sqlite3.connect(tmp_path / "documents.sqlite3")
    raw = db.execute("SELECT message FROM documents WHERE path='/d/a.pdf'").fetchone()[0]
    assert raw.startswith(TEXT_MARK) and "{name} has no pages" in raw
    db.execute("UPDATE documents SET message=? WHERE path='/d/a.pdf'", (TEXT_MARK + "{not json",))
    db.commit()
    db.close()
    s = DocStore(tmp_path / "documents.sqlite3")
    assert s.document(s.collection("notes"), "/d/a.pdf").message == "could not be read"
    s.close()
