"""The engine process has no translations: its errors cross the pipe as English text plus the sentence's source and
values (app.core.i18n.to_wire), and the window's side makes them again in its own language. A stand-in translator in
this (the parent) process marks every sentence it translates with "[tr] ", so a message that arrives marked was made
here from its source, not passed through as the child's English. Real llama.cpp, SmolLM2 and a projector of the
wrong width (tests/support/make_mmproj.py)."""
from __future__ import annotations

import pytest

from app.core.engine.generation import EngineError, GenerationRequest, LoadOptions, Sampling
from app.core.engine.process import EngineProcess
from app.core.i18n import current_translator, english_plural, set_translator
from tests.support.make_mmproj import write_tiny_projector

PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElF"
         "TkSuQmCC")


@pytest.fixture
def marked():
    before = current_translator()
    set_translator(lambda context, source, disambiguation, n: "[tr] " + english_plural(source, n))
    yield
    set_translator(before)


def test_engine_errors_are_made_again_in_the_parents_language(starter_model, tmp_path, marked):
    e = EngineProcess()
    try:
        info = e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1))
        assert info.template_source == "[tr] embedded in the model (Jinja, sandboxed)"  # the Chat settings line
        with pytest.raises(EngineError) as exc:
            list(e.generate(GenerationRequest([{"role": "user", "content": "Look", "images": [PIXEL]}],
                                              Sampling(temperature=0, max_tokens=4))))
        assert str(exc.value).startswith("[tr] This model cannot see images")

        wide = write_tiny_projector(tmp_path / "mmproj-wide.gguf", n_embd_text=960)
        with pytest.raises(EngineError) as exc:
            e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1, mmproj=str(wide)))
        said = str(exc.value)
        assert said.startswith("[tr] ") and "960" in said and "576" in said  # the values came across too
    finally:
        e.unload()
