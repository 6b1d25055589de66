"""A sample conversation with branches, shared by the chat store tests."""
from __future__ import annotations

from app.core.chats import ChatStore


def build_sample(store: ChatStore):
    """A conversation with a system prompt, an edited user message and a regenerated reply:

        system
        └── user "first question"        (u1)
            ├── assistant "answer A"      (a1, done)
            │   └── user "follow-up"      (u2)
            │       └── assistant "..."   (a3, interrupted)
            └── assistant "answer B"      (a2, stopped)
        └── user "edited question"        (u1b) -- sibling of u1
            └── assistant "answer C"      (a4, error)
    """
    c = store.create_conversation(settings={"model": "smol.gguf", "temperature": 0.7, "preset": "Balanced"})
    sys_ = store.add_message(c.id, None, "system", "You are helpful.")
    u1 = store.add_message(c.id, sys_.id, "user", "first question")
    a1 = store.add_message(c.id, u1.id, "assistant", "answer A", stats={"tokens": 3, "tok_s": 41.5})
    u2 = store.add_message(c.id, a1.id, "user", "follow-up")
    a3 = store.add_message(c.id, u2.id, "assistant", "partial", state="interrupted")
    a2 = store.add_message(c.id, u1.id, "assistant", "answer B", state="stopped", stats={"tokens": 2})
    u1b = store.add_message(c.id, sys_.id, "user", "edited question")
    a4 = store.add_message(c.id, u1b.id, "assistant", "", state="error", stats={"error": "out of memory"})
    ids = dict(sys=sys_.id, u1=u1.id, a1=a1.id, u2=u2.id, a3=a3.id, a2=a2.id, u1b=u1b.id, a4=a4.id)
    return store.get_conversation(c.id), ids
