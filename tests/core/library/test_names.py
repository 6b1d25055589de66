"""One display name per model (issue 18): the quantization split off and shown, shard suffixes dropped, another
store's label kept, and the command line still finds a model by its old owner/repo/file name."""
from __future__ import annotations

import pytest

from app.core.library.catalog import ModelCatalog
from app.core.library.names import display_name, split_quant


@pytest.mark.parametrize("filename, shown", [
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2-135M-Instruct · Q4_1"),
    ("gemma-3-270m-q4_k_m.gguf", "gemma-3-270m · Q4_K_M"),
    ("Llama-3.2-1B-Instruct-IQ4_XS.gguf", "Llama-3.2-1B-Instruct · IQ4_XS"),
    ("qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf", "qwen2.5-7b-instruct · Q4_K_M"),
    ("Phi-3-mini-4k-instruct-fp16.gguf", "Phi-3-mini-4k-instruct · FP16"),
    ("model-UD-Q4_K_XL.gguf", "model · UD-Q4_K_XL"),
    ("mistral.gguf", "mistral"),
    ("Q8_0.gguf", "Q8_0"),  # nothing left for a name: the file name as it is
])
def test_display_names(filename, shown):
    assert display_name(filename) == shown
    assert display_name(filename, label="llama3.2:1b") == "llama3.2:1b"


def test_split_quant_keeps_names_that_only_look_like_one():
    assert split_quant("qwen2.5-coder") == ("qwen2.5-coder", "")
    assert split_quant("SmolLM2-135M") == ("SmolLM2-135M", "")


def test_the_catalog_names_and_finds_by_every_name(tmp_path):
    folder = tmp_path / "models" / "HuggingFaceTB" / "SmolLM2-135M-Instruct-GGUF"
    folder.mkdir(parents=True)
    f = folder / "SmolLM2-135M-Instruct.Q4_1.gguf"
    f.write_bytes(b"GGUF" + bytes(60))
    cat = ModelCatalog(tmp_path / "models", tmp_path / "library.json")
    (m,) = cat.models()
    assert m.display_name == "SmolLM2-135M-Instruct · Q4_1" == cat.display_name(f)
    for name in ("SmolLM2-135M-Instruct · Q4_1", "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct.Q4_1.gguf",
                 "SmolLM2-135M-Instruct.Q4_1", "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"):
        assert cat.find(name).path == f
    assert cat.display_name(tmp_path / "elsewhere-q8_0.gguf") == "elsewhere · Q8_0"
