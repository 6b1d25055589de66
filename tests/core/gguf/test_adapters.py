"""Hearth's own reading of LoRA adapters and its check against a base model (headers only, no llama.cpp)."""
from __future__ import annotations

import numpy as np
import pytest

from app.core.gguf.adapters import (AdapterInfo, adapter_bytes, adapter_problem, is_adapter, is_projector,
                                    read_adapter)
from app.core.gguf.header import GGUFError, read_header_file, read_model_file
from tests.support.make_lora import truncate, write_adapter_tensors, write_lora, write_stub

N_LAYER, N_EMBD, N_KV = 30, 576, 192  # SmolLM2-135M: attn_q is [576, 576], attn_v [576, 192]


@pytest.fixture(scope="module")
def files(tmp_path_factory, starter_model, gemma_model):
    d = tmp_path_factory.mktemp("adapters")
    return dict(
        ok=write_lora(d / "ok.gguf", starter_model, rank=4, alpha=8.0, name="Tiny test LoRA"),
        gemma=write_lora(d / "gemma.gguf", gemma_model),
        wrong=write_lora(d / "wrong.gguf", starter_model, layers=[0, 3], shape_override={"blk.3.attn_q.weight":
                                                                                         (512, 576)}),
        dir=d,
    )


@pytest.fixture(scope="module")
def smol(starter_model):
    return read_header_file(starter_model)


def test_read_adapter_reports_what_it_holds(files, smol):
    info = read_adapter(files["ok"])
    assert isinstance(info, AdapterInfo)
    assert info.architecture == "llama"
    assert info.alpha == 8.0 and info.rank == 4
    assert info.targets == sorted(f"blk.{i}.{t}.weight" for i in range(N_LAYER) for t in ("attn_q", "attn_v"))
    assert info.n_tensors == 4 * N_LAYER
    assert info.size_bytes == files["ok"].stat().st_size
    assert info.name == "Tiny test LoRA"
    assert info.base_name == smol.get("general.name") != ""
    per_layer = (4 * N_EMBD + N_EMBD * 4) + (4 * N_EMBD + N_KV * 4)  # attn_q A+B, attn_v A+B, f32
    assert adapter_bytes(info) == N_LAYER * per_layer * 4
    assert adapter_bytes(info) < info.size_bytes


def test_name_falls_back_to_the_file_stem_and_f16_halves_the_memory(files, starter_model):
    info = read_adapter(write_lora(files["dir"] / "my-style.gguf", starter_model, layers=[2], targets=("ffn_down",),
                                   dtype="f16", rank=8, alpha=16))
    assert info.name == "my-style"
    assert info.targets == ["blk.2.ffn_down.weight"] and info.rank == 8 and info.alpha == 16.0
    assert adapter_bytes(info) == (1536 * 8 + 8 * N_EMBD) * 2


@pytest.mark.parametrize("keep", [0.999, 0.5, 0.01])
def test_truncated_adapter_is_refused(files, keep):
    cut = truncate(files["ok"], files["dir"] / f"cut{keep}.gguf", keep)
    with pytest.raises(GGUFError, match="truncated"):
        read_adapter(cut)


def test_not_a_gguf(files):
    p = files["dir"] / "notes.gguf"
    p.write_text("hello, this is not a GGUF file at all")
    with pytest.raises(GGUFError, match="not a GGUF file"):
        read_adapter(p)


def test_a_model_is_not_an_adapter(starter_model):
    with pytest.raises(GGUFError, match="not an adapter"):
        read_adapter(starter_model)


def test_a_projector_is_not_an_adapter(files):
    with pytest.raises(GGUFError, match="vision projector"):
        read_adapter(write_stub(files["dir"] / "mmproj.gguf", "clip", general_type="mmproj"))


def test_other_adapter_types_are_refused(files):
    p = write_adapter_tensors(files["dir"] / "cvec.gguf", "llama", _pair(), adapter_type="control_vector")
    with pytest.raises(GGUFError, match="only LoRA adapters"):
        read_adapter(p)


def _pair(rank_a=4, rank_b=4, name="blk.0.attn_q.weight"):
    return {f"{name}.lora_a": np.zeros((rank_a, N_EMBD)), f"{name}.lora_b": np.zeros((N_EMBD, rank_b))}


def test_lora_a_without_lora_b(files):
    t = _pair()
    del t["blk.0.attn_q.weight.lora_b"]
    p = write_adapter_tensors(files["dir"] / "half.gguf", "llama", t)
    with pytest.raises(GGUFError, match=r"blk\.0\.attn_q\.weight\.lora_a without blk\.0\.attn_q\.weight\.lora_b"):
        read_adapter(p)


def test_ranks_that_differ_between_a_and_b(files):
    p = write_adapter_tensors(files["dir"] / "ranks.gguf", "llama", _pair(rank_a=4, rank_b=8))
    with pytest.raises(GGUFError, match="inconsistent: lora_a .* rank 4 but lora_b .* rank 8"):
        read_adapter(p)


def test_stray_tensors_and_empty_adapters(files):
    t = {**_pair(), "blk.0.attn_q.weight": np.zeros((4, 32))}
    with pytest.raises(GGUFError, match="not part of a LoRA adapter"):
        read_adapter(write_adapter_tensors(files["dir"] / "stray.gguf", "llama", t))
    with pytest.raises(GGUFError, match="no LoRA tensors"):
        read_adapter(write_adapter_tensors(files["dir"] / "empty.gguf", "llama", {}))
    # norm vectors are ignored, as llama.cpp ignores them
    t = {**_pair(), "blk.0.attn_norm.weight": np.ones(N_EMBD)}
    assert read_adapter(write_adapter_tensors(files["dir"] / "norm.gguf", "llama", t)).n_tensors == 2


def test_fits_its_base_model(files, smol, starter_model):
    assert adapter_problem(files["ok"], smol) is None
    assert adapter_problem(read_adapter(files["ok"]), read_model_file(starter_model)) is None


def test_gemma_adapter_on_a_llama_model(files, smol, gemma_model):
    assert read_adapter(files["gemma"]).architecture == "gemma3"
    assert adapter_problem(files["gemma"], smol) == ("This adapter was made for gemma3 models; "
                                                     "this model is llama.")
    assert adapter_problem(files["gemma"], read_header_file(gemma_model)) is None


def test_wrong_shape_names_the_tensor_and_both_shapes(files, smol):
    read_adapter(files["wrong"])  # a well-formed adapter ...
    problem = adapter_problem(files["wrong"], smol)  # ... for another model
    assert problem is not None
    assert "blk.3.attn_q.weight" in problem and "[512, 576]" in problem and "[576, 576]" in problem


def test_gemma_shapes_claiming_to_be_llama(files, smol, gemma_model):
    # a Gemma-shaped adapter that claims to be for llama: its blk.0.attn_q is [640, 1024]
    p = write_lora(files["dir"] / "fake.gguf", gemma_model, arch="llama", layers=[0])
    problem = adapter_problem(p, smol)
    assert "blk.0.attn_q.weight" in problem and "[640, 1024]" in problem and "[576, 576]" in problem


def test_tensor_the_model_does_not_have(files, smol, starter_model):
    p = write_lora(files["dir"] / "deep.gguf", starter_model, layers=[0, 40, 41],
                   shape_override={"blk.40.attn_q.weight": (576, 576), "blk.41.attn_q.weight": (576, 576),
                                   "blk.40.attn_v.weight": (576, 192), "blk.41.attn_v.weight": (576, 192)})
    problem = adapter_problem(p, smol)
    assert problem.startswith("This adapter changes blk.40.attn_q.weight (and 3 more), which this model does not")


def test_token_embd_on_a_tied_model_is_refused(files, smol):
    rng = np.random.default_rng(0)
    t = {"token_embd.weight.lora_a": rng.standard_normal((49152, 4)),  # ne [r, n_vocab]
         "token_embd.weight.lora_b": rng.standard_normal((N_EMBD, 4))}  # ne [r, n_embd]
    info = read_adapter(write_adapter_tensors(files["dir"] / "embd.gguf", "llama", t))
    assert info.rank == 4 and info.targets == ["token_embd.weight"]
    assert "output.weight" not in {x.name for x in smol.tensors}  # SmolLM2 ties its output to token_embd
    assert "shares with its output layer" in adapter_problem(info, smol)


def test_classification(files, smol):
    adapter = read_header_file(files["ok"])
    assert is_adapter(adapter) and not is_projector(adapter)
    assert not is_adapter(smol) and not is_projector(smol)
    clip = read_header_file(write_stub(files["dir"] / "clip.gguf", "clip"))
    assert is_projector(clip) and not is_adapter(clip)
    typed = read_header_file(write_stub(files["dir"] / "typed.gguf", "llama", general_type="mmproj"))
    assert is_projector(typed)


def test_expert_count_must_match(files):
    from app.core.gguf.header import GGUFHeader, TensorInfo

    moe = GGUFHeader(source_name="moe", version=3, metadata={"general.architecture": "llama"}, alignment=32,
                     tensors=[TensorInfo("blk.0.ffn_up_exps.weight", (N_EMBD, 1536, 8), 0, 0, 0)],
                     data_offset=0, file_size=0)
    name = "blk.0.ffn_up_exps.weight"
    flat = {f"{name}.lora_a": np.zeros((4, N_EMBD)), f"{name}.lora_b": np.zeros((1536, 4))}
    per_expert = {f"{name}.lora_a": np.zeros((8, 4, N_EMBD)), f"{name}.lora_b": np.zeros((8, 1536, 4))}
    flat_problem = adapter_problem(write_adapter_tensors(files["dir"] / "flat.gguf", "llama", flat), moe)
    assert "1 expert matrices" in flat_problem and "8 experts" in flat_problem
    assert adapter_problem(write_adapter_tensors(files["dir"] / "exps.gguf", "llama", per_expert), moe) is None
