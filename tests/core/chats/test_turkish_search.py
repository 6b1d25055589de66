"""Turkish text in the chats' full-text search, through a real SQLite file: the dotted İ and the dotless ı, the
cedilla letters, upper and lower case, and the messages stored exactly as written."""
from __future__ import annotations

import pytest

from app.core.chats import SNIPPET_CLOSE, SNIPPET_OPEN, ChatStore
from app.core.chats.search import fts_query, i_spellings

MESSAGES = ("Yarın İstanbul'da buluşalım mı?", "Bu şehir çok kalabalık.", "Çay ılık kalmış.",
            "IŞIK söndü, Işık Bey geldi.")


@pytest.fixture
def turkish(db_path):
    s = ChatStore(db_path)
    c = s.create_conversation("Türkçe sohbet")
    ids, parent = [], None
    for text in MESSAGES:
        parent = s.add_message(c.id, parent, "user", text).id
        ids.append(parent)
    s.close()
    s = ChatStore(db_path)  # the index as written to the file
    yield s, ids
    s.close()


def found(store, query) -> set[int]:
    return {h.message_id for h in store.search(query) if h.role != "title"}


@pytest.mark.parametrize("query", ["istanbul", "İstanbul", "ISTANBUL", "İSTANBUL", "istanb", "İstanbul'da"])
def test_dotted_capital_i_is_found_in_any_case(turkish, query):
    store, ids = turkish
    assert found(store, query) == {ids[0]}


@pytest.mark.parametrize("query", ["şehir", "sehir", "ŞEHİR", "SEHIR", "Şehir"])
def test_cedilla_letters_and_case(turkish, query):
    store, ids = turkish
    assert found(store, query) == {ids[1]}


@pytest.mark.parametrize("query", ["ılık", "ILIK", "ilik", "Ilık"])
def test_dotless_i_is_found_from_either_i(turkish, query):
    store, ids = turkish
    assert found(store, query) == {ids[2]}


@pytest.mark.parametrize("query", ["ışık", "IŞIK", "isik", "Işık", "ışık bey"])
def test_dotless_and_dotted_spellings_find_each_other(turkish, query):
    store, ids = turkish
    assert found(store, query) == {ids[3]}


def test_messages_and_titles_are_stored_unchanged(turkish):
    store, ids = turkish
    assert [store.get_message(i).content for i in ids] == list(MESSAGES)
    assert store.list_conversations()[0].title == "Türkçe sohbet"
    assert [h.role for h in store.search("TÜRKÇE")] == ["title"]
    assert store.integrity_check() == "ok"


def test_snippet_marks_the_word_as_written(turkish):
    store, ids = turkish
    hit = store.search("ISTANBUL")[0]
    assert f"{SNIPPET_OPEN}İstanbul{SNIPPET_CLOSE}'da" in hit.snippet


def test_i_spellings():
    assert i_spellings("sehr") == ["sehr"]  # no i: as typed
    assert i_spellings("ILIK") == ["iLiK", "ıLiK", "iLıK", "ıLıK"]
    assert set(i_spellings("ılık")) == {"ilik", "ılik", "ilık", "ılık"}
    assert i_spellings("initialization") == ["initialization", "ınıtıalızatıon"]  # many: all-i, all-ı
    assert fts_query("çay ılık") == '"çay" AND ("ilik"* OR "ılik"* OR "ilık"* OR "ılık"*)'
    assert fts_query('foo"bar AND *') == '"foo""bar" "AND"*'  # words without an i as before
