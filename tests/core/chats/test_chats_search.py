"""Full-text search: any user input is safe, snippets mark the hit, the index follows every change."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.chats import SNIPPET_CLOSE, SNIPPET_OPEN, snippet_html, snippet_plain, split_snippet
from app.core.chats.search import fts_query


def test_finds_words_and_prefixes_with_marked_snippet(store):
    c = store.create_conversation("Cooking")
    u = store.add_message(c.id, None, "user", "How long should sourdough proof overnight?")
    store.add_message(c.id, u.id, "assistant", "Proofing takes about twelve hours in the fridge.")
    hits = store.search("sourdough")
    assert [(h.conversation_id, h.message_id, h.role) for h in hits] == [(c.id, u.id, "user")]
    assert hits[0].conversation_title == "Cooking"
    assert f"{SNIPPET_OPEN}sourdough{SNIPPET_CLOSE}" in hits[0].snippet
    assert {h.role for h in store.search("twel")} == {"assistant"}  # prefix while typing
    assert store.search("hours fridge")[0].role == "assistant"  # all words, any order
    assert store.search("fridge sourdough") == []


def test_title_hits(store):
    c = store.create_conversation("Tax return 2024")
    assert [(h.role, h.message_id) for h in store.search("tax")] == [("title", None)]
    m = store.add_message(c.id, None, "user", "hello")
    store.rename_conversation(c.id, "Holiday plans")
    assert store.search("tax") == []
    assert [(h.role, h.message_id) for h in store.search("holiday")] == [("title", m.id)]


def test_diacritics_and_case(store):
    c = store.create_conversation()
    store.add_message(c.id, None, "user", "Un CAFÉ crème, s'il vous plaît")
    assert len(store.search("cafe creme")) == 1
    assert len(store.search("Plait")) == 1


def test_index_follows_updates_and_deletes(store):
    c = store.create_conversation()
    m = store.add_message(c.id, None, "assistant", "", state="streaming")
    store.update_message(m.id, content="partial zebra")
    store.update_message(m.id, content="partial zebra giraffe")
    store.update_message(m.id, state="done")
    assert [h.message_id for h in store.search("giraffe")] == [m.id]
    store.update_message(m.id, content="replaced text")
    assert store.search("zebra") == []
    store.delete_subtree(m.id)
    assert store.search("replaced") == []
    assert store.integrity_check() == "ok"  # includes the FTS5 index check


def test_hostile_queries_are_plain_text(store):
    c = store.create_conversation()
    store.add_message(c.id, None, "user", 'say foo"bar and AND NEAR(x) or * then -minus "quoted"')
    for q in ['foo"bar', "AND", "*", "NEAR(", '"', "-minus", "col:foo", "^foo", "(", "OR NOT", "", "   ",
              "\x00", "a" * 5000, "x:*"]:
        assert isinstance(store.search(q), list)
    assert len(store.search('foo"bar')) == 1
    assert len(store.search("AND")) == 1
    assert store.search("*") == [] and store.search("") == []


def test_limit(store):
    c = store.create_conversation()
    for i in range(30):
        store.add_message(c.id, None, "user", f"needle number {i}")
    assert len(store.search("needle", limit=10)) == 10
    assert store.search("needle", limit=0) == []


def test_fts_query_quotes_everything():
    assert fts_query('foo"bar AND *') == '"foo""bar" "AND"*'
    assert fts_query("* - ()") is None


def test_snippet_helpers():
    s = f"a <b> {SNIPPET_OPEN}hit{SNIPPET_CLOSE} & {SNIPPET_OPEN}two{SNIPPET_CLOSE}"
    assert split_snippet(s) == [("a <b> ", False), ("hit", True), (" & ", False), ("two", True)]
    assert snippet_html(s) == "a &lt;b&gt; <b>hit</b> &amp; <b>two</b>"
    assert snippet_plain(s) == "a <b> hit & two"


def test_any_text_never_raises(store):
    c = store.create_conversation("fuzz title")
    store.add_message(c.id, None, "user", "some text with words ünïcödé 漢字 and emoji 🎉")

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=60))
    def check(q):
        hits = store.search(q)
        assert isinstance(hits, list)

    check()


def test_index_mismatch_is_reported_and_rebuilt(store):
    c = store.create_conversation()
    m = store.add_message(c.id, None, "user", "lost needle")
    store.conn.execute("INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', ?, ?)",
                       (m.id, m.content))
    assert store.search("needle") == []
    assert "messages_fts" in store.integrity_check()
    store.rebuild_search_index()
    assert store.integrity_check() == "ok"
    assert [h.message_id for h in store.search("needle")] == [m.id]
