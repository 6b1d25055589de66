"""Export/import: lossless JSON round trips, readable Markdown, and imports that are all-or-nothing."""
from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.chats import EXPORT_FORMAT, StoreError
from chat_samples import build_sample


def normalized(export: dict) -> dict:
    """An export with ids replaced by positions and the per-export fields dropped."""
    data = copy.deepcopy(export)
    pos = {m["id"]: i for i, m in enumerate(data["messages"])}
    for m in data["messages"]:
        m["id"], m["parent_id"] = pos[m["id"]], pos.get(m["parent_id"])
    conv = data["conversation"]
    conv["current_leaf"] = pos.get(conv["current_leaf"])
    del data["exported_at"], conv["updated_at"]
    return data


def counts(store):
    return tuple(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("conversations", "messages"))


def test_export_is_complete_and_json_serializable(store):
    c, ids = build_sample(store)
    data = store.export_json(c.id)
    assert data["format"] == EXPORT_FORMAT and data["version"] == 1
    assert json.loads(json.dumps(data)) == data
    assert [m["id"] for m in data["messages"]] == sorted(ids.values())
    assert {m["state"] for m in data["messages"]} == {"done", "interrupted", "stopped", "error"}
    assert data["conversation"]["settings"]["model"] == "smol.gguf"
    assert data["conversation"]["current_leaf"] == ids["a4"]


def test_round_trip_is_lossless(store):
    c, ids = build_sample(store)
    store.set_current_leaf(c.id, ids["a3"])
    first = store.export_json(c.id)
    copy1 = store.import_json(json.loads(json.dumps(first)))  # through real JSON text
    second = store.export_json(copy1.id)
    assert normalized(second) == normalized(first)
    copy2 = store.import_json(second)
    assert normalized(store.export_json(copy2.id)) == normalized(first)
    assert copy1.title == c.title and copy1.created_at == c.created_at
    # the copy is a real tree: same branch view, same sibling order
    assert [m.content for m in store.branch(copy1.id)] == [m.content for m in store.branch(c.id)]
    new_u1 = store.branch(copy1.id)[1].id
    assert [m.content for m in store.children(copy1.id, new_u1)] == ["answer A", "answer B"]
    again = store.export_json(c.id)
    assert {**again, "exported_at": 0} == {**first, "exported_at": 0}  # exporting changed nothing


def test_imported_streaming_reply_becomes_interrupted(store):
    c = store.create_conversation()
    m = store.add_message(c.id, None, "assistant", "half", state="streaming")
    new = store.import_json(store.export_json(c.id))
    assert store.branch(new.id)[0].state == "interrupted"
    assert store.get_message(m.id).state == "streaming"


def test_import_out_of_order_file(store):
    data = {"format": EXPORT_FORMAT, "version": 1, "conversation": {"title": "hand made", "created_at": 5},
            "messages": [
                {"id": 30, "parent_id": 10, "role": "assistant", "content": "reply", "created_at": 7},
                {"id": 10, "parent_id": None, "role": "user", "content": "question", "created_at": 6}]}
    conv = store.import_json(data)
    assert [m.content for m in store.branch(conv.id)] == ["question", "reply"]
    assert store.branch(conv.id)[1].state == "done"


def test_markdown(store):
    c, ids = build_sample(store)
    store.rename_conversation(c.id, "Bread\nquestions")
    md = store.export_markdown(c.id, ids["a3"])
    assert md.startswith("# Bread questions\n")
    assert "model smol.gguf" in md
    assert md.index("## System") < md.index("## User") < md.index("answer A") < md.index("follow-up")
    assert "## Assistant *(reply interrupted)*\n\npartial" in md
    assert "answer B" not in md and "edited question" not in md  # only the viewed branch
    assert "edited question" in store.export_markdown(c.id)


BAD_INPUTS = [
    None, [], "text", {}, {"format": "other"}, {"format": EXPORT_FORMAT, "version": 99},
    {"format": EXPORT_FORMAT, "version": True},
    {"format": EXPORT_FORMAT, "version": 1, "conversation": {"title": "t", "created_at": 1}, "messages": {}},
    {"format": EXPORT_FORMAT, "version": 1, "conversation": [], "messages": []},
    {"format": EXPORT_FORMAT, "version": 1, "conversation": {"created_at": 1}, "messages": []},
    {"format": EXPORT_FORMAT, "version": 1, "conversation": {"title": "t", "created_at": math.nan},
     "messages": []},
]


@pytest.mark.parametrize("data", BAD_INPUTS)
def test_bad_exports_raise_value_error(store, data):
    with pytest.raises(ValueError):
        store.import_json(data)


def _valid():
    return {"format": EXPORT_FORMAT, "version": 1,
            "conversation": {"title": "t", "created_at": 1.0, "settings": {}, "current_leaf": 2},
            "messages": [{"id": 1, "parent_id": None, "role": "user", "content": "q", "state": "done",
                          "stats": {}, "created_at": 1.0, "updated_at": 1.0},
                         {"id": 2, "parent_id": 1, "role": "assistant", "content": "a", "state": "done",
                          "stats": {}, "created_at": 2.0, "updated_at": 2.0}]}


@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d["messages"][1].update(parent_id=5), "not in the export"),
    (lambda d: d["messages"][0].update(parent_id=2), "cycle"),
    (lambda d: d["messages"][1].update(id=1), "twice"),
    (lambda d: d["messages"][1].update(role="robot"), "role"),
    (lambda d: d["messages"][1].update(state="weird"), "state"),
    (lambda d: d["messages"][1].update(content=None), "content"),
    (lambda d: d["messages"][1].update(stats=[1]), "stats"),
    (lambda d: d["messages"][1].update(created_at="yesterday"), "created_at"),
    (lambda d: d["messages"][1].update(id=True), "id"),
    (lambda d: d["conversation"].update(current_leaf=77), "current_leaf"),
    (lambda d: d["conversation"].update(settings={"x": math.inf}), "settings"),
])
def test_validation_messages_say_what_is_wrong(store, mutate, needle):
    data = _valid()
    mutate(data)
    with pytest.raises(ValueError, match=needle):
        store.import_json(data)
    assert counts(store) == (0, 0)


def test_failure_while_writing_rolls_back_the_whole_import(store):
    c, _ = build_sample(store)
    data = store.export_json(c.id)
    data["messages"][-1]["content"] = "boom"
    store.conn.execute("CREATE TEMP TRIGGER boom BEFORE INSERT ON messages WHEN new.content = 'boom' "
                       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    before = counts(store)
    with pytest.raises(StoreError, match="injected failure"):
        store.import_json(data)
    assert counts(store) == before
    assert store.integrity_check() == "ok"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)
FIELDS = {"format", "version", "conversation", "messages", "title", "created_at", "updated_at", "settings",
          "current_leaf", "id", "parent_id", "role", "content", "state", "stats"}


@st.composite
def mutated_exports(draw):
    """A valid export with a few random fields replaced, removed or added (ValueError or success expected)."""
    data = _valid()
    data["messages"] += [dict(data["messages"][1], id=3 + i, parent_id=draw(st.sampled_from([1, 2, 3, None])))
                         for i in range(draw(st.integers(0, 3)))]
    containers = [data, data["conversation"], *data["messages"]]  # chosen before any of them is replaced
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(containers))
        key = draw(st.sampled_from(sorted(FIELDS)))
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(json_values | st.sampled_from([1, 2, 3, "user", "done", EXPORT_FORMAT, "\ud800"]))
    return data


def test_fuzzed_imports_raise_only_value_error_and_never_half_import(store):
    base = counts(store)
    outcomes = {"imported": 0, "rejected": 0}

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(mutated_exports(), json_values))
    def check(data):
        before = counts(store)
        try:
            conv = store.import_json(data)
        except ValueError:
            assert counts(store) == before
            outcomes["rejected"] += 1
            return
        outcomes["imported"] += 1
        assert counts(store) == (before[0] + 1, before[1] + len(data["messages"]))
        store.delete_conversation(conv.id)

    check()
    assert counts(store) == base
    assert outcomes["imported"] > 10 and outcomes["rejected"] > 100, outcomes
    assert store.integrity_check() == "ok"


def test_markdown_closes_each_reply_s_code_fence_and_names_the_model_not_its_path(store):
    conv = store.create_conversation("fences", {"model": "/home/ayşe/models/acme/Tiny-GGUF/tiny-q4.gguf"})
    u = store.add_message(conv.id, None, "user", "Show code")
    a = store.add_message(conv.id, u.id, "assistant", "Here:\n```python\nprint('cut off", state="interrupted")
    store.add_message(conv.id, a.id, "user", "# not code\nThanks")
    md = store.export_markdown(conv.id)
    fences = [ln for ln in md.splitlines() if ln.startswith("```")]
    assert fences == ["```python", "```"]  # the interrupted reply's block is closed before the next message
    assert md.index("```\n") < md.index("## User", md.index("print('cut off"))
    assert "/home/" not in md and "ayşe" not in md and "model tiny-q4.gguf" in md
