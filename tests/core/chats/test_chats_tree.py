"""The message tree: branches from regenerate/edit, navigation, and explicit deletion only."""
from __future__ import annotations

from chat_samples import build_sample


def contents(messages):
    return [m.content for m in messages]


def test_add_message_sets_current_leaf_and_branch_follows_it(store):
    c, ids = build_sample(store)
    assert c.current_leaf == ids["a4"]
    assert contents(store.branch(c.id)) == ["You are helpful.", "edited question", ""]
    assert contents(store.branch(c.id, ids["a3"])) == ["You are helpful.", "first question", "answer A",
                                                       "follow-up", "partial"]


def test_children_siblings_order(store):
    c, ids = build_sample(store)
    assert [m.id for m in store.children(c.id, None)] == [ids["sys"]]
    assert [m.id for m in store.children(c.id, ids["sys"])] == [ids["u1"], ids["u1b"]]
    assert [m.id for m in store.siblings(ids["a2"])] == [ids["a1"], ids["a2"]]
    assert [m.id for m in store.siblings(ids["sys"])] == [ids["sys"]]
    assert store.children(c.id, ids["a4"]) == []


def test_regenerate_and_edit_keep_every_branch(store):
    c, ids = build_sample(store)
    before = store.export_json(c.id)["messages"]
    regen = store.add_message(c.id, ids["u1"], "assistant", "answer D")
    edit = store.add_message(c.id, ids["sys"], "user", "third version")
    after = store.export_json(c.id)["messages"]
    assert after[:len(before)] == before  # nothing changed or vanished
    assert [m["id"] for m in after[len(before):]] == [regen.id, edit.id]
    assert [m.id for m in store.siblings(regen.id)] == [ids["a1"], ids["a2"], regen.id]


def test_path_to_and_leaf_of(store):
    c, ids = build_sample(store)
    assert [m.id for m in store.path_to(ids["a3"])] == [ids["sys"], ids["u1"], ids["a1"], ids["u2"], ids["a3"]]
    assert [m.id for m in store.path_to(ids["sys"])] == [ids["sys"]]
    assert store.leaf_of(ids["u1"]) == ids["a2"]  # the newest child of u1 is a2 (a leaf)
    assert store.leaf_of(ids["a1"]) == ids["a3"]
    assert store.leaf_of(ids["sys"]) == ids["a4"] and store.leaf_of(ids["u1b"]) == ids["a4"]
    assert store.leaf_of(ids["a4"]) == ids["a4"]


def test_switching_branches(store):
    c, ids = build_sample(store)
    store.set_current_leaf(c.id, store.leaf_of(ids["a1"]))
    assert store.get_conversation(c.id).current_leaf == ids["a3"]
    assert contents(store.branch(c.id))[-1] == "partial"
    store.set_current_leaf(c.id, None)  # forgotten: the newest leaf is shown
    assert store.branch(c.id)[-1].id == ids["a4"]


def test_update_message_flush_and_final_state(store):
    c = store.create_conversation()
    u = store.add_message(c.id, None, "user", "q")
    a = store.add_message(c.id, u.id, "assistant", "", state="streaming")
    for text in ("Hel", "Hello", "Hello wor", "Hello world"):
        store.update_message(a.id, content=text)
    assert store.get_message(a.id).state == "streaming"
    store.update_message(a.id, state="done", stats={"tokens": 2, "tok_s": 12.5})
    got = store.get_message(a.id)
    assert (got.content, got.state, got.stats) == ("Hello world", "done", {"tokens": 2, "tok_s": 12.5})
    assert got.updated_at >= got.created_at


def test_mark_interrupted(store):
    c = store.create_conversation()
    u = store.add_message(c.id, None, "user", "q")
    a = store.add_message(c.id, u.id, "assistant", "half a rep", state="streaming")
    b = store.add_message(c.id, u.id, "assistant", "done one")
    assert store.mark_interrupted() == 1
    assert store.get_message(a.id).state == "interrupted"
    assert store.get_message(a.id).content == "half a rep"
    assert store.get_message(b.id).state == "done"
    assert store.mark_interrupted() == 0


def test_delete_subtree_counts_and_fixes_current_leaf(store):
    c, ids = build_sample(store)
    store.set_current_leaf(c.id, ids["a3"])
    assert store.delete_subtree(ids["a1"]) == 3  # a1, u2, a3
    conv = store.get_conversation(c.id)
    assert conv.current_leaf == ids["a2"]  # the remaining sibling branch under u1
    assert [m.id for m in store.siblings(ids["a2"])] == [ids["a2"]]
    assert store.search("follow") == []
    # deleting a branch the user is not viewing leaves the view alone
    assert store.delete_subtree(ids["u1b"]) == 2
    assert store.get_conversation(c.id).current_leaf == ids["a2"]
    # deleting the last child moves the view to the parent
    assert store.delete_subtree(ids["a2"]) == 1
    assert store.get_conversation(c.id).current_leaf == ids["u1"]
    assert store.delete_subtree(ids["sys"]) == 2
    assert store.get_conversation(c.id).current_leaf is None and store.branch(c.id) == []
    assert store.integrity_check() == "ok"


def test_delete_root_moves_to_newest_other_root(store):
    c = store.create_conversation()
    r1 = store.add_message(c.id, None, "user", "one")
    r2 = store.add_message(c.id, None, "user", "two")
    r2a = store.add_message(c.id, r2.id, "assistant", "two-a")
    r3 = store.add_message(c.id, None, "user", "three")
    store.delete_subtree(r3.id)
    assert store.get_conversation(c.id).current_leaf == r2a.id
    assert store.delete_subtree(r2.id) == 2
    assert store.branch(c.id)[-1].id == r1.id


def test_sibling_positions_for_a_whole_conversation(tmp_path):
    from app.core.chats import ChatStore

    s = ChatStore(tmp_path / "c.sqlite3")
    try:
        c = s.create_conversation()
        u = s.add_message(c.id, None, "user", "q")
        a1 = s.add_message(c.id, u.id, "assistant", "one")
        a2 = s.add_message(c.id, u.id, "assistant", "two")
        a3 = s.add_message(c.id, u.id, "assistant", "three")
        f = s.add_message(c.id, a2.id, "user", "follow-up")
        pos = s.sibling_positions(c.id)
        assert pos == {u.id: (0, 1), a1.id: (0, 3), a2.id: (1, 3), a3.id: (2, 3), f.id: (0, 1)}
        for m in (u, a1, a2, a3, f):  # the same answer as asking message by message
            sibs = s.siblings(m.id)
            assert pos[m.id] == ([x.id for x in sibs].index(m.id), len(sibs))
    finally:
        s.close()
