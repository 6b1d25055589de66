"""Adapters and images through the engine process (``EngineProcess`` -> ``hearth --engine-host`` -> llama.cpp), with
SmolLM2 and files made here: LoRA adapters written with the ``gguf`` package for SmolLM2's shapes (random A and
non-zero B: they prove the adapter path, not a fine-tune) and a tiny random-weight gemma3-type projector whose
output width is SmolLM2's 576 (it proves the path through llama.cpp's real image encoder into the model, not
sight: the replies about images are meaningless by design)."""
from __future__ import annotations

import base64
import struct
import zlib

import pytest
from PySide6.QtCore import QBuffer, QByteArray
from PySide6.QtGui import QColor, QImage

from app.core.engine.generation import EngineError, GenerationRequest, LoadOptions, ReplyStats, Sampling
from app.core.engine.process import EngineProcess
from app.core.engine.vision import NO_VISION
from tests.support.make_lora import write_lora
from tests.support.make_mmproj import write_tiny_projector

GREEDY = Sampling(temperature=0, max_tokens=10, seed=1)
PARIS = [{"role": "user", "content": "Tell me about Paris."}]


def png_uri(color: str, w: int = 40, h: int = 30) -> str:
    img = QImage(w, h, QImage.Format_RGB888)
    img.fill(QColor(color))
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QBuffer.WriteOnly)
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(ba)).decode()


def reply(engine, messages, key="c", adapters=(), sampling=GREEDY):
    stats = ReplyStats()
    text = "".join(engine.generate(GenerationRequest(messages, sampling, cache_key=key, adapters=list(adapters)),
                                   stats=stats))
    return text, stats


@pytest.fixture(scope="module")
def files(tmp_path_factory, starter_model, gemma_model):
    d = tmp_path_factory.mktemp("parts")
    return {
        "lora": write_lora(d / "style.gguf", starter_model, b_scale=0.5, seed=1),
        "lora2": write_lora(d / "other.gguf", starter_model, b_scale=0.5, seed=2, targets=("attn_k", "ffn_up")),
        "gemma_lora": write_lora(d / "gemma-style.gguf", gemma_model, b_scale=0.5),
        "projector": write_tiny_projector(d / "mmproj-tiny.gguf"),
        "wide_projector": write_tiny_projector(d / "mmproj-wide.gguf", n_embd_text=960),
    }


@pytest.fixture(scope="module")
def engine(starter_model, files):
    e = EngineProcess()
    e.load(starter_model, LoadOptions(n_ctx=1024, n_threads=1, mmproj=str(files["projector"])))
    yield e
    e.unload()


def test_scale_zero_is_the_base_model_and_a_scale_changes_the_reply(engine, files):
    base, _ = reply(engine, PARIS, key="base")
    zero, st = reply(engine, PARIS, key="base", adapters=[(files["lora"], 0.0)])
    assert zero == base and st.cached_tokens == 0  # another adapter set: the cache was emptied, not reused
    changed, _ = reply(engine, PARIS, key="base", adapters=[(files["lora"], 1.0)])
    assert changed != base
    both, _ = reply(engine, PARIS, key="base", adapters=[(files["lora"], 1.0), (files["lora2"], 1.0)])
    assert both not in (base, changed)
    again, st = reply(engine, PARIS, key="base")
    assert again == base
    assert st.cached_tokens > 0  # the base model's own state for this conversation came back (it was parked)


def test_switching_adapters_mid_conversation_never_reuses_a_stale_cache(engine, files):
    turn2 = lambda first: PARIS + [{"role": "assistant", "content": first},  # noqa: E731
                                   {"role": "user", "content": "And its river?"}]
    first, _ = reply(engine, PARIS, key="mid", adapters=[(files["lora"], 1.0)])
    got, st = reply(engine, turn2(first), key="mid")  # the same conversation, its adapter switched off
    assert st.cached_tokens == 0  # the KV of the first turn was made with the adapter: not reused
    expected, _ = reply(engine, turn2(first), key="reference")  # without adapters from the start
    assert got == expected
    with_adapter, _ = reply(engine, turn2(first), key="fresh-with", adapters=[(files["lora"], 1.0)])
    back, _ = reply(engine, turn2(first), key="mid", adapters=[(files["lora"], 1.0)])
    assert back == with_adapter


def test_an_adapter_for_another_architecture_is_refused_with_a_sentence(engine, files, tmp_path):
    with pytest.raises(EngineError, match="made for gemma3 models; this model is llama"):
        reply(engine, PARIS, adapters=[(files["gemma_lora"], 1.0)])
    truncated = tmp_path / "cut.gguf"
    truncated.write_bytes(files["lora"].read_bytes()[:-5000])
    with pytest.raises(EngineError, match="cannot be used"):
        reply(engine, PARIS, adapters=[(truncated, 1.0)])
    assert reply(engine, PARIS, key="base")[0]  # the engine goes on


def test_an_image_goes_through_the_projector_and_the_prefix_is_kept_across_turns(engine):
    turn1 = [{"role": "user", "content": "What is in this picture?", "images": [png_uri("red")]}]
    text, st1 = reply(engine, turn1, key="img")
    assert text and st1.completion_tokens > 0
    turn2 = turn1 + [{"role": "assistant", "content": text}, {"role": "user", "content": "And the colour?"}]
    _, st2 = reply(engine, turn2, key="img")
    assert st2.cached_tokens >= st1.prompt_tokens - 1  # the image was not encoded again
    other = [{"role": "user", "content": "What is in this picture?", "images": [png_uri("blue")]}]
    _, st3 = reply(engine, other, key="img")
    assert st3.cached_tokens < st1.prompt_tokens - 4  # another picture: cut back to before the image


def test_bad_images_get_a_clear_message(engine):
    def ask(uri):
        return reply(engine, [{"role": "user", "content": "Look", "images": [uri]}], key="bad")

    with pytest.raises(EngineError, match="data: URIs only; http://example.com/cat.png is a web or file address"):
        ask("http://example.com/cat.png")
    with pytest.raises(EngineError, match="data: URIs only"):
        ask("file:///etc/passwd")
    with pytest.raises(EngineError, match="not valid base64"):
        ask("data:image/png;base64,@@@@")
    with pytest.raises(EngineError, match="damaged or not a PNG or JPEG"):
        ask("data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode())
    # a 50-megapixel PNG header (8000 x 6300) on a few bytes: refused before anything decodes it
    ihdr = struct.pack(">IIBBBBB", 8000, 6300, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    with pytest.raises(EngineError, match="8,000 × 6,300 pixels"):
        ask("data:image/png;base64," + base64.b64encode(bomb + b"\0" * 64).decode())
    # a real header with damaged pixel data: llama.cpp's decoder refuses it, the engine says so and goes on
    good = base64.b64decode(png_uri("green").split(",", 1)[1])
    with pytest.raises(EngineError, match="could not"):
        ask("data:image/png;base64," + base64.b64encode(good[:40] + b"\0" * 30).decode())
    assert reply(engine, PARIS, key="base")[0]


def test_a_model_without_a_projector_says_so(starter_model):
    e = EngineProcess()
    try:
        info = e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1))
        assert info.vision is False
        with pytest.raises(EngineError) as exc:
            reply(e, [{"role": "user", "content": "Look", "images": [png_uri("red")]}])
        assert str(exc.value) == NO_VISION
    finally:
        e.unload()


def test_a_projector_of_the_wrong_width_fails_the_load_with_both_widths(starter_model, files):
    e = EngineProcess()
    try:
        with pytest.raises(EngineError, match="output width 960 does not match the model's 576"):
            e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1, mmproj=str(files["wide_projector"])))
        assert e.load(starter_model, LoadOptions(n_ctx=512, n_threads=1)).vision is False  # and it goes on
    finally:
        e.unload()
