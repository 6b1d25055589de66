"""app.core.i18n: sentences made in app/core are English until a translator is installed, then in its language;
they remember their source and values, so they can be made again after a language switch and sent across the engine
process's pipe (where the sending side has no translations) to be shown in the receiving side's language. A hostile
or malformed wire value is refused (None), never an exception. A dictionary stands in for Qt's translator here; the
window's real one (QCoreApplication.translate over hearth_tr.qm) is tested in tests/ui/test_core_texts_turkish.py."""
from __future__ import annotations

import json
import pickle

import pytest

from app.core import i18n
from app.core.i18n import (Text, current_translator, from_wire, made_texts, message, said, set_translator, to_wire,
                           translate)

TURKISH = {
    "The file ends after {n} bytes.": "Dosya {n} bayttan sonra bitiyor.",
    "Could not open the model: {error}": "Model açılamadı: {error}",
    "%n file(s) could not be read.": "%n dosya okunamadı.",
    "Broken {placeholder}": "Bozuk {yer}",
}


def dictionary(context, source, disambiguation, n):
    text = TURKISH.get(source, source)
    return text.replace("%n", str(n)) if n >= 0 else text


@pytest.fixture(autouse=True)
def restored():
    """Each test starts with no translator and leaves the one it found (the window's, when UI tests ran first)."""
    before = current_translator()
    set_translator(None)
    yield
    set_translator(before)


@pytest.fixture
def turkish():
    set_translator(dictionary)


def test_english_without_a_translator_and_plurals():
    t = translate("GgufHeader", "The file ends after {n} bytes.").format(n=12)
    assert t == "The file ends after 12 bytes." and isinstance(t, Text) and isinstance(t, str)
    assert translate("X", "%n file(s) could not be read.", None, 1) == "1 file could not be read."
    assert translate("X", "%n file(s) could not be read.", None, 3) == "3 files could not be read."


def test_a_text_is_made_again_in_the_language_installed_later(turkish):
    set_translator(None)
    inner = ValueError(translate("GgufHeader", "The file ends after {n} bytes.").format(n=7))
    t = translate("Engine", "Could not open the model: {error}").format(error=inner)
    assert t == "Could not open the model: The file ends after 7 bytes."
    set_translator(dictionary)
    assert t.again() == "Model açılamadı: Dosya 7 bayttan sonra bitiyor."  # the nested exception's Text too
    assert message(inner) == "Dosya 7 bayttan sonra bitiyor."
    shown = str(t.again())
    set_translator(lambda c, s, d, n: s)  # back to English sources, the map of shown texts kept
    assert made_texts()[shown].again() == "Could not open the model: The file ends after 7 bytes."
    assert "never shown" not in made_texts()


def test_the_wire_carries_source_and_values_and_the_receiver_translates(turkish):
    set_translator(None)  # the engine process: no translations
    exc = RuntimeError(translate("Engine", "Could not open the model: {error}").format(
        error=ValueError(translate("GgufHeader", "The file ends after {n} bytes.").format(n=7))))
    sent = json.loads(json.dumps({"message": said(exc), "text": to_wire(said(exc))}))
    assert sent["message"].startswith("Could not open the model")
    set_translator(dictionary)  # the window
    assert from_wire(sent["text"]) == "Model açılamadı: Dosya 7 bayttan sonra bitiyor."
    assert to_wire("a plain string") is None and said(RuntimeError("plain")) == "plain"


@pytest.mark.parametrize("hostile", [
    None, 3, "text", [], {"context": "X"}, {"context": 1, "source": "a"},
    {"context": "X", "source": "{a}", "kwargs": {"a": {"text": {"context": "Y"}}}},
    {"context": "X", "source": "{a}", "kwargs": {"a": [1, 2]}},
    {"context": "X", "source": "a", "n": "many"}, {"context": "X", "source": "a", "n": True},
    {"context": "X", "source": "x" * 5000},
])
def test_hostile_wire_values_are_refused(hostile):
    assert from_wire(hostile) is None


def test_deeply_nested_wire_value_is_refused_not_a_crash():
    data: dict = {"context": "X", "source": "end"}
    for _ in range(5000):
        data = {"context": "X", "source": "{a}", "kwargs": {"a": {"text": data}}}
    assert from_wire(data) is None


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(turkish):
    assert translate("X", "Broken {placeholder}").format(placeholder="p") == "Broken p"


def test_a_failing_translator_costs_nothing():
    def boom(*_):
        raise RuntimeError("no")
    set_translator(boom)
    assert translate("X", "%n file(s) could not be read.", None, 2) == "2 files could not be read."


def test_pickled_and_filled_texts_stay_texts(turkish):
    t = translate("GgufHeader", "The file ends after {n} bytes.").format(n=3)
    back = pickle.loads(pickle.dumps(t))
    assert back == t and back.kwargs == {"n": 3}
    assert t.format(x=1) == t  # filled in already: formatted as an ordinary string from there on
    assert len(i18n._made) <= i18n._MADE_MAX


def test_numbers_in_a_sentence_follow_the_number_format():
    from app.core import units

    t = translate("EngineProbe", "a {n}-token prompt took {seconds:.1f} s of {total:,} ms").format(
        n=24, seconds=0.43, total=12345)
    assert t == "a 24-token prompt took 0.4 s of 12,345 ms"
    units.set_number_format(",", ".", True)  # Turkish
    try:
        assert t.again() == "a 24-token prompt took 0,4 s of 12.345 ms"
    finally:
        units.set_number_format()


def test_english_for_programs_whatever_the_windows_language(turkish):
    from app.core.i18n import english

    exc = ValueError(translate("Engine", "Could not open the model: {error}").format(
        error=ValueError(translate("GgufHeader", "The file ends after {n} bytes.").format(n=1234))))
    assert str(exc) == "Model açılamadı: Dosya 1234 bayttan sonra bitiyor."
    assert english(exc) == "Could not open the model: The file ends after 1234 bytes."
    assert english(RuntimeError("plain")) == "plain" and english("words") == "words"


def test_a_full_map_forgets_sentences_with_values_and_keeps_the_windows_words(turkish, monkeypatch):
    from app.core import i18n

    monkeypatch.setattr(i18n, "_MADE_MAX", 5)
    word = translate("X", "Models")
    for i in range(12):
        translate("X", "Line {i}").format(i=i)
    shown = made_texts()
    assert "Models" in shown and len(shown) <= 5 and word == "Models"
