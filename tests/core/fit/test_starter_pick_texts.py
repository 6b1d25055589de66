"""The starter picks' "good_for" texts are listed for the translators (app/core/fit/starter_pick_texts.py)."""
import json
from pathlib import Path

from app.core.fit.starter_pick_texts import GOOD_FOR

JSON = Path(__file__).resolve().parents[3] / "resources" / "starter_picks.json"


def test_lists_exactly_the_json_texts():
    texts = [p["good_for"] for p in json.loads(JSON.read_text(encoding="utf-8"))["models"] if p.get("good_for")]
    assert sorted(set(GOOD_FOR)) == sorted(set(texts)), \
        "regenerate: python -m app.core.fit.starter_pick_texts"
    assert len(GOOD_FOR) == len(set(GOOD_FOR))
