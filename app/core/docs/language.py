"""Which language a question is in, as far as search needs to know, and which languages an embedding model
declares.

An embedding model trained on one language places questions in another language almost at random (measured on
benchmarks/data/docs_eval: SmolLM2, which declares ``general.languages = ['en']``, finds 1 of 21 Turkish questions'
passages by vector alone). Search therefore leaves the vector ranking out when the question is clearly in a
language the model does not declare, and ranks by keywords alone; a model that declares nothing is trusted with
every language.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# letters that only Turkish (and Azerbaijani) writes
_TURKISH_LETTERS = frozenset("ğĞıİşŞ")
_EN = frozenset("""
a about after all an and any are as at be before but by can could did do does for from had has have how i if in
into is it its my not of on or our should so than that the their them then there these they this those to was we
were what when where which who why will with would you your
""".split())
_TR = frozenset("""
acaba ama bana beni bir biz bu bunu da daha de defa diye en gibi hangi hangisi hem her için icin ile ise kaç kac
kadar ki mi mı mu mü nasıl nasil ne neden nedir nerede niçin niye o olan olarak onu sen siz şey şu ve veya ya
""".split())


def guess_language(text: str) -> str | None:
    """"tr", "en", or None when the text does not say clearly (short, mixed, or another language)."""
    if any(ch in _TURKISH_LETTERS for ch in text):
        return "tr"
    words = re.findall(r"\w+", text.lower())
    tr = sum(w in _TR for w in words)
    en = sum(w in _EN for w in words)
    if tr > en:
        return "tr"
    if en > tr and all(ord(ch) < 128 for ch in "".join(words)):
        return "en"
    return None


@lru_cache(maxsize=32)
def model_languages(path: str) -> frozenset[str]:
    """The languages a GGUF file declares (``general.languages``, e.g. ['en']); empty when it declares none or the
    file cannot be read (then every language is trusted)."""
    from app.core.gguf import GGUFError, read_header_file

    try:
        langs = read_header_file(Path(path)).get("general.languages")
    except (GGUFError, OSError):
        return frozenset()
    if not isinstance(langs, (list, tuple)):
        return frozenset()
    return frozenset(str(x).strip().lower()[:2] for x in langs if str(x).strip())


def vectors_understand(model_path: str, question: str) -> bool:
    """False when the question is clearly in a language the embedding model does not declare."""
    langs = model_languages(str(model_path))
    if not langs:
        return True
    lang = guess_language(question)
    return lang is None or lang in langs
