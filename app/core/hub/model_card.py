"""A model card's YAML front matter (licence, tags, base model) taken apart from its Markdown body.

Cards start with ``---`` / YAML / ``---``; rendered as Markdown, that block became a horizontal rule and a big
"license: …" heading. The front matter is read with PyYAML's safe loader (huggingface_hub's own dependency), and
only plain strings and lists of strings are kept: the card is untrusted text."""
from __future__ import annotations

import re

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
MAX_FRONT_MATTER = 64_000
KEYS = ("license", "license_name", "base_model", "pipeline_tag", "language", "tags")


def split_front_matter(card: str) -> tuple[dict[str, list[str]], str]:
    """({key: [values]} for the keys people care about, the Markdown body without the front matter)."""
    m = _FRONT.match(card or "")
    if not m:
        return {}, card or ""
    body = card[m.end():]
    raw = m.group(1)
    if len(raw) > MAX_FRONT_MATTER:
        return {}, body
    try:
        import yaml

        data = yaml.safe_load(raw)
    except Exception:  # malformed YAML: drop the block, keep the body
        return {}, body
    meta: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key in KEYS:
            value = data.get(key)
            values = value if isinstance(value, list) else [value] if value is not None else []
            kept = [str(v)[:80] for v in values if isinstance(v, (str, int, float)) and str(v).strip()][:12]
            if kept:
                meta[key] = kept
    return meta, body
