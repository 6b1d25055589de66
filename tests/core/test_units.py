"""app/core/units.py: numbers for people."""
from __future__ import annotations


def test_plural_forms():
    from app.core.units import plural

    assert plural(1, "model") == "1 model" and plural(2, "model") == "2 models" and plural(0, "file") == "0 files"
    assert plural(1024, "token") == "1,024 tokens" and plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
