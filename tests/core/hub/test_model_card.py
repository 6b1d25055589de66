"""Model cards' YAML front matter is taken apart from the Markdown body (issue 18: it was rendered as a rule
and a big "license: …" heading); tests/ui/test_discover_card.py shows it as labels in the Discover view."""
from __future__ import annotations

from app.core.hub.model_card import split_front_matter

CARD = """---
license: apache-2.0
base_model: HuggingFaceTB/SmolLM2-135M-Instruct
tags:
- gguf
- llama-cpp
language: [en]
widget: {deep: {nested: [1, 2]}}
---

# SmolLM2 GGUF

Quantized files.
"""


def test_front_matter_is_split_off_and_only_plain_values_kept():
    meta, body = split_front_matter(CARD)
    assert meta == {"license": ["apache-2.0"], "base_model": ["HuggingFaceTB/SmolLM2-135M-Instruct"],
                    "language": ["en"], "tags": ["gguf", "llama-cpp"]}
    assert body.lstrip().startswith("# SmolLM2 GGUF") and "license" not in body


def test_cards_without_or_with_broken_front_matter():
    assert split_front_matter("# Title\n\ntext") == ({}, "# Title\n\ntext")
    assert split_front_matter("") == ({}, "")
    meta, body = split_front_matter("---\nlicense: [unclosed\n---\nBody")
    assert meta == {} and body == "Body"
    meta, body = split_front_matter("---\n- just\n- a list\n---\nBody")  # not a mapping
    assert meta == {} and body == "Body"
    assert split_front_matter("text\n---\nlicense: x\n---\n")[0] == {}  # only at the very start

