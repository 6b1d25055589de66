"""Speed of what the UI does on the GUI thread. Limits are loose (shared CI cores); the printed medians are what
to look at (``pytest -s``)."""
from __future__ import annotations

import statistics
import time



def median_ms(fn, repeat=30):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def chain(store, cid, n, parent=None, text="message"):
    for i in range(n):
        parent = store.add_message(cid, parent, "user" if i % 2 == 0 else "assistant",
                                   f"{text} {i} " + "lorem ipsum dolor sit amet " * 20).id
    return parent


def test_open_a_500_message_conversation(store):
    c = store.create_conversation()
    t0 = time.perf_counter()
    chain(store, c.id, 500)
    add_ms = (time.perf_counter() - t0) * 1000 / 500
    ms = median_ms(lambda: store.branch(c.id))
    assert len(store.branch(c.id)) == 500
    print(f"\nadd_message {add_ms:.2f} ms each; branch() of 500 messages: {ms:.2f} ms")
    assert ms < 25


def test_list_1000_conversations_and_search(store):
    for i in range(1000):
        c = store.create_conversation(f"conversation {i}", {"model": "m.gguf", "temperature": 0.7})
        u = store.add_message(c.id, None, "user", f"question {i} about topic{i % 50} and bread")
        store.add_message(c.id, u.id, "assistant", "an answer " * 50 + f"marker{i}")
    ms = median_ms(store.list_conversations, repeat=10)
    assert len(store.list_conversations()) == 1000
    search_ms = median_ms(lambda: store.search("topic7"), repeat=10)
    common_ms = median_ms(lambda: store.search("answer"), repeat=10)
    flush_ms = median_ms(lambda: store.update_message(u.id, content="streaming text " * 200), repeat=50)
    print(f"\nlist_conversations() of 1000: {ms:.2f} ms; search rare word: {search_ms:.2f} ms; "
          f"search word in 1000 messages (limit 50): {common_ms:.2f} ms; update_message flush: {flush_ms:.2f} ms")
    assert ms < 60 and search_ms < 60 and common_ms < 150 and flush_ms < 20


def test_2000_message_conversation_with_branches(store):
    c = store.create_conversation()
    leaf = chain(store, c.id, 2000)
    path = store.branch(c.id)
    for m in path[100::100]:  # a regenerated reply every 100 messages
        store.add_message(c.id, m.parent_id, m.role, "alternative")
    store.set_current_leaf(c.id, leaf)
    ms = median_ms(lambda: store.branch(c.id), repeat=10)
    leaf_ms = median_ms(lambda: store.leaf_of(path[0].id), repeat=10)
    t0 = time.perf_counter()
    copy = store.import_json(store.export_json(c.id))
    roundtrip_ms = (time.perf_counter() - t0) * 1000
    assert [m.content for m in store.branch(copy.id)] == [m.content for m in path]
    t0 = time.perf_counter()
    assert store.delete_subtree(path[0].id) == 2019  # a deep subtree: no trigger-depth limit
    delete_ms = (time.perf_counter() - t0) * 1000
    print(f"\n2000 messages: branch() {ms:.2f} ms, leaf_of(root) {leaf_ms:.2f} ms, "
          f"export+import {roundtrip_ms:.0f} ms, delete_subtree {delete_ms:.0f} ms")
    assert ms < 60 and store.branch(c.id) == []
    assert store.integrity_check() == "ok"
