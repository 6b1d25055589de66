"""``hearth chat --lora FILE[:SCALE] --image FILE --mmproj FILE`` as a user runs it: a real process, the engine
process, SmolLM2, a LoRA adapter written with the ``gguf`` package for SmolLM2's shapes (random, non-zero B: it
proves the adapter path, not a fine-tune) and a tiny random-weight projector (it proves the image path through
llama.cpp's encoder; the replies about the image are meaningless by design)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QColor, QImage

from tests.support.make_lora import write_lora
from tests.support.make_mmproj import write_tiny_projector
from tests.test_chat_cli import hearth

GREEDY = ["--temperature", "0", "--max-tokens", "8", "--threads", "1", "--ctx", "512", "--json"]


@pytest.fixture(scope="module")
def parts(tmp_path_factory, starter_model, gemma_model):
    d = tmp_path_factory.mktemp("parts")
    folder = d / "Kullanıcılar" / "Çağrı"  # a Turkish user folder
    folder.mkdir(parents=True)
    img = QImage(64, 48, QImage.Format_RGB888)
    img.fill(QColor("orange"))
    assert img.save(str(folder / "resim.png"))
    (d / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    return {
        "lora": write_lora(d / "style.gguf", starter_model, b_scale=0.5, seed=1),
        "gemma_lora": write_lora(d / "gemma-style.gguf", gemma_model, b_scale=0.5),
        "projector": write_tiny_projector(d / "mmproj-tiny.gguf"),
        "wide": write_tiny_projector(d / "mmproj-wide.gguf", n_embd_text=960),
        "image": folder / "resim.png",
        "broken": d / "broken.png",
    }


def text_of(r) -> str:
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])["text"]


def test_lora_scale_zero_is_the_base_and_a_scale_changes_it(starter_model, parts, hearth_home):
    base = text_of(hearth([str(starter_model), "Tell me about Paris.", *GREEDY], hearth_home))
    zero = text_of(hearth([str(starter_model), "Tell me about Paris.", *GREEDY, "--lora", f"{parts['lora']}:0"],
                          hearth_home))
    one = text_of(hearth([str(starter_model), "Tell me about Paris.", *GREEDY, "--lora", str(parts["lora"])],
                         hearth_home))
    assert zero == base and one != base


def test_an_image_from_a_turkish_folder_goes_through_the_projector(starter_model, parts, hearth_home):
    r = hearth([str(starter_model), "What is this?", *GREEDY, "--image", str(parts["image"]),
                "--mmproj", str(parts["projector"])], hearth_home)
    out = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
    assert out is not None, r.stderr
    assert out["stats"]["completion_tokens"] > 0 and out["stats"]["prompt_tokens"] > 20  # the image's tokens


def test_the_projector_paired_in_the_library_is_used(installed_starter, parts, hearth_home):
    (installed_starter.parent / "mmproj-tiny.gguf").write_bytes(parts["projector"].read_bytes())
    r = hearth([installed_starter.stem, "What is this?", *GREEDY, "--image", str(parts["image"])], hearth_home)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("extra,says", [
    (["--lora", "{gemma_lora}"], "was made for gemma3 models; this model is llama"),
    (["--lora", "{lora}:abc"], "the scale after ':' must be a number"),
    (["--lora", "{lora}:9"], "the scale must be between -4 and 4"),
    (["--lora", "/no/such/adapter.gguf"], "does not exist"),
    (["--lora", "{starter}"], "is not an adapter"),
    (["--image", "{image}"], "has no vision projector in the library; give one with --mmproj FILE"),
    (["--image", "{image}", "--mmproj", "{wide}"], "makes embeddings 960 wide, and this model's are 576"),
    (["--image", "{broken}", "--mmproj", "{projector}"], "is not an image Hearth can read"),
    (["--image", "https://example.com/cat.png", "--mmproj", "{projector}"], "a web address is not fetched"),
    (["--image", "{image}", "--backend", "http://127.0.0.1:9"], "work with local models only"),
])
def test_what_does_not_fit_is_one_line_and_exit_2(starter_model, parts, hearth_home, extra, says):
    extra = [a.format(starter=starter_model, **{k: str(v) for k, v in parts.items()}) for a in extra]
    r = hearth([str(starter_model), "hi", *GREEDY, *extra], hearth_home)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hearth chat: ") and says in lines[0], r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
