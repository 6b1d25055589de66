"""Chat rendering costs, measured on the real widgets (offscreen):

- appending a token to a long reply vs a short one: the cost of one streamed delta (model update, re-layout of
  the growing message, repaint of the view) at 8,000 tokens of reply vs 100 tokens; target ratio <= 2x;
- opening a stored conversation of 500 messages until it is painted; target < 300 ms.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import save  # noqa: E402

PARAGRAPH = ("The river bends twice before it reaches the old mill, and the path beside it is lined with "
             "alders that lean over the water. ")
CODE = "```python\ndef greet(name):\n    return f\"hello {name}\"\n\nprint(greet('world'))\n```"
LIST = "- first point about the weather\n- second point, a little longer than the first\n- third"


def reply_text(n_tokens: int, seed: int = 1) -> str:
    """Markdown of roughly n_tokens tokens (~4 characters per token), in the shapes models produce."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(len(p) for p in parts) < n_tokens * 4:
        kind = rng.random()
        parts.append(CODE if kind < 0.15 else LIST if kind < 0.3 else (PARAGRAPH * rng.randint(1, 3)).strip())
    return "\n\n".join(parts)[: n_tokens * 4]


def append_cost(view, model, base_tokens: int, deltas: int = 120) -> float:
    """Median seconds to append one ~4-character delta to a reply of base_tokens and repaint."""
    from PySide6.QtWidgets import QApplication

    from app.ui.chat.message_model import ViewMessage

    model.set_messages([ViewMessage(1, "user", "Tell me a long story."),
                        ViewMessage(2, "assistant", reply_text(base_tokens), state="streaming")])
    view.scroll_to_bottom()
    QApplication.processEvents()
    view.viewport().repaint()
    words = (" and then" * 4000).split(" ")
    times = []
    for i in range(deltas):
        t0 = time.perf_counter()
        model.append_text(1, " " + words[i % len(words)] + ("\n\n" if i % 40 == 39 else ""))
        view.viewport().repaint()
        QApplication.processEvents()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def open_500(page, store) -> float:
    from PySide6.QtWidgets import QApplication

    conv = store.create_conversation("Long conversation")
    parent = None
    rng = random.Random(5)
    for i in range(250):
        u = store.add_message(conv.id, parent, "user", f"Question {i}: " + PARAGRAPH[: rng.randint(30, 120)])
        a = store.add_message(conv.id, u.id, "assistant", reply_text(rng.randint(40, 300), seed=i),
                              stats={"completion_tokens": 100, "stop_reason": "end", "ttft_s": 0.1})
        parent = a.id
    page.new_chat()
    QApplication.processEvents()
    page.view.painter_.clear_cache()
    t0 = time.perf_counter()
    page.open_conversation(conv.id)
    page.view.viewport().repaint()
    QApplication.processEvents()
    elapsed = time.perf_counter() - t0
    assert page.model.rowCount() == 500
    return elapsed


def main(argv: list[str]) -> int:
    from app.ui.application import create_app, make_context, settle_after_startup
    from app.ui.common.theme import apply_theme
    from app.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as home:
        os.environ["HEARTH_HOME"] = home
        app = create_app()
        apply_theme(app, "light")
        win = MainWindow(make_context())
        win.resize(1280, 860)
        win.show()
        settle_after_startup()  # as the app does at start-up
        app.processEvents()
        page = win.chat_page
        short, long_ = [], []
        for _ in range(3):  # alternate so machine noise hits both
            short.append(append_cost(page.view, page.model, 100))
            long_.append(append_cost(page.view, page.model, 8000))
        opens = [open_500(page, page.store) for _ in range(3)]
        win.close()
    res = {
        "append_100_tokens_ms": round(statistics.median(short) * 1000, 3),
        "append_8000_tokens_ms": round(statistics.median(long_) * 1000, 3),
        "append_ratio": round(statistics.median(long_) / statistics.median(short), 2),
        "open_500_messages_ms": round(statistics.median(opens) * 1000, 1),
        "open_500_runs_ms": [round(t * 1000, 1) for t in opens],
        "targets": {"append_ratio": 2.0, "open_500_messages_ms": 300},
    }
    res["pass"] = res["append_ratio"] <= 2.0 and res["open_500_messages_ms"] < 300
    print(f"append one delta: {res['append_100_tokens_ms']} ms at 100 tokens, {res['append_8000_tokens_ms']} ms at "
          f"8,000 tokens (ratio {res['append_ratio']}x); open 500 messages: {res['open_500_messages_ms']} ms")
    save("chat_render", res)
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
