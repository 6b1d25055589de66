"""The starter picks' "good_for" texts (resources/starter_picks.json) for the translators: pyside6-lupdate reads
only .py files. Generated from the JSON (tests/core/fit/test_starter_pick_texts.py checks it lists exactly its
texts); shown as ``translate("StarterPicks", pick["good_for"])``. Regenerate after editing the JSON:
``python -m app.core.fit.starter_pick_texts`` (rewrites this file)."""
from __future__ import annotations

from app.core.i18n import QT_TRANSLATE_NOOP

GOOD_FOR = (
    QT_TRANSLATE_NOOP("StarterPicks", "Instant replies on any computer; simple questions and trying Hearth out"),
    QT_TRANSLATE_NOOP("StarterPicks", "Fast, light chat and short rewrites on old laptops"),
    QT_TRANSLATE_NOOP("StarterPicks", "A capable small assistant for summaries and everyday questions"),
    QT_TRANSLATE_NOOP("StarterPicks", "Tiny multilingual assistant with a long context"),
    QT_TRANSLATE_NOOP("StarterPicks", "Multilingual chat and structured answers (JSON) on modest hardware"),
    QT_TRANSLATE_NOOP("StarterPicks", "Good general assistant for its size; maths and multilingual text"),
    QT_TRANSLATE_NOOP("StarterPicks", "Strong all-round assistant: writing, reasoning, many languages"),
    QT_TRANSLATE_NOOP("StarterPicks", "Code completion and small coding questions on a laptop"),
    QT_TRANSLATE_NOOP("StarterPicks", "Writing, explaining and fixing code"),
    QT_TRANSLATE_NOOP("StarterPicks", "Reasoning and maths in a small package (short context)"),
    QT_TRANSLATE_NOOP("StarterPicks", "Reasoning with a long context: documents and long chats"),
    QT_TRANSLATE_NOOP("StarterPicks", "Friendly, fluent writing from a small model"),
    QT_TRANSLATE_NOOP("StarterPicks", "High-quality writing and answers if you have 8 GB or more to spare"),
    QT_TRANSLATE_NOOP("StarterPicks", "A very small model for simple, well-defined tasks"),
    QT_TRANSLATE_NOOP("StarterPicks", "Small multilingual assistant with a long context"),
    QT_TRANSLATE_NOOP("StarterPicks", "Strong mid-size assistant: writing, summaries, 140 languages"),
    QT_TRANSLATE_NOOP("StarterPicks", "Fast summaries and rewriting with a long context"),
    QT_TRANSLATE_NOOP("StarterPicks", "Reliable everyday assistant; follows instructions well"),
    QT_TRANSLATE_NOOP("StarterPicks", "A strong general model if you have about 6 GB free"),
    QT_TRANSLATE_NOOP("StarterPicks", "Solid general chat and writing, permissive licence"),
    QT_TRANSLATE_NOOP("StarterPicks", "A classic small chat model for slow machines (short context)"),
    QT_TRANSLATE_NOOP("StarterPicks", "Embeddings for chatting with English documents (Documents page)"),
    QT_TRANSLATE_NOOP("StarterPicks", "Small, fast embeddings for English documents (Documents page)"),
    QT_TRANSLATE_NOOP("StarterPicks", "Embeddings for documents in Turkish and ~100 other languages (Documents page)"),
)


def _render() -> str:  # pragma: no cover - the generator, run by hand
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "resources" / "starter_picks.json"
    texts = dict.fromkeys(p.get("good_for", "") for p in json.loads(path.read_text(encoding="utf-8"))["models"])
    source = Path(__file__).read_text(encoding="utf-8")
    head, _, tail = source.partition("GOOD_FOR = (\n")
    body = "".join(f'    QT_TRANSLATE_NOOP("StarterPicks", {json.dumps(t, ensure_ascii=False)}),\n' for t in texts if t)
    return head + "GOOD_FOR = (\n" + body + tail[tail.index(")\n"):]


if __name__ == "__main__":  # pragma: no cover
    from pathlib import Path

    text = _render()
    Path(__file__).write_text(text, encoding="utf-8")
