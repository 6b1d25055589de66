"""A model's companions in the library: LoRA adapters that fit it, the vision projector paired with it, and
neither of them ever offered as a chat model. Real files: SmolLM2-135M and Gemma 3 270M, adapters and projectors
written for them (tests/support/make_lora.py, make_mmproj.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.library import companions, scan_models_dir
from app.core.library.catalog import ModelCatalog
from app.core.library.gguf_kind import ADAPTER, MODEL, PROJECTOR, file_kind
from tests.support import make_lora, make_mmproj


SMOL_REPO = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"


def write_lora(path: Path, base, **kw) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return make_lora.write_lora(path, base, **kw)


def write_stub(path: Path, arch: str) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return make_lora.write_stub(path, arch)


def write_tiny_projector(path: Path, **kw) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return make_mmproj.write_tiny_projector(path, **kw)


def _link(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(src, dest)  # the models folder follows file links: no 100 MB copies
    return dest


@pytest.fixture
def lib(tmp_path, starter_model, gemma_model):
    md = tmp_path / "models"
    smol = _link(starter_model, md / SMOL_REPO / starter_model.name)
    gemma = _link(gemma_model, md / "unsloth" / "gemma-3-270m-it-GGUF" / gemma_model.name)
    write_lora(md / "me" / "smol-lora" / "smol-pirate.gguf", starter_model, name="smol-pirate")
    write_lora(md / "me" / "gemma-lora" / "gemma-poet.gguf", gemma_model, name="gemma-poet")
    write_lora(md / "me" / "odd-lora" / "narrow.gguf", starter_model, shape_override={"attn_q": (512, 576)})
    cat = ModelCatalog(md, tmp_path / "library.json")
    return cat, smol, gemma


def test_adapters_for_lists_only_the_adapters_llama_cpp_accepts(lib):
    cat, smol, gemma = lib
    assert [a.name for a in cat.adapters_for(smol)] == ["smol-pirate"]  # not Gemma's, not the wrong shape
    got = cat.adapters_for(gemma)
    assert [a.name for a in got] == ["gemma-poet"]
    assert got[0].alpha == 8.0 and got[0].rank == 4 and got[0].size_bytes > 0
    assert companions.adapters_for(smol, cat.models_dir)[0].name == "smol-pirate"  # a folder works as well
    assert cat.adapters_for(cat.models_dir / "missing.gguf") == []


def test_adapters_and_projectors_are_never_chat_models(lib, tmp_path):
    cat, smol, gemma = lib
    repo = smol.parent
    write_tiny_projector(repo / "vision-encoder.gguf")  # a projector whose name does not say so
    write_stub(repo / "mmproj-stub.gguf", "clip")
    (repo / "notes.gguf").write_bytes(b"not a gguf")  # unreadable: left as a model (its row says what is wrong)
    assert file_kind(repo / "vision-encoder.gguf") == PROJECTOR
    assert file_kind(cat.models_dir / "me" / "smol-lora" / "smol-pirate.gguf") == ADAPTER
    assert file_kind(smol) == file_kind(repo / "notes.gguf") == MODEL
    assert sorted(m.filename for m in cat.models()) == sorted([smol.name, gemma.name, "notes.gguf"])
    assert {m.filename for m in scan_models_dir(cat.models_dir)} == {smol.name, gemma.name, "notes.gguf"}
    # an adapter imported from elsewhere is the library's adapter, not a model
    outside = write_lora(tmp_path / "elsewhere" / "imported-lora.gguf", smol, name="imported")
    cat.import_files([outside])
    assert "imported-lora.gguf" not in {m.filename for m in cat.models()}
    assert "imported" in [a.name for a in cat.adapters_for(smol)]


def test_projector_in_the_same_repository_folder_is_paired(lib):
    cat, smol, gemma = lib
    assert cat.projector_for(smol) is None
    wrong = write_tiny_projector(smol.parent / "mmproj-wide.gguf", n_embd_text=960)  # made for a wider model
    assert cat.projector_for(smol) is None  # never paired when its width differs
    assert companions.projector_fit_problem(wrong, smol).startswith("mmproj-wide.gguf does not fit this model")
    right = write_tiny_projector(smol.parent / "sub" / "mmproj-model-f16.gguf")  # anywhere in the repository
    assert cat.projector_for(smol) == right
    assert companions.projector_fit_problem(right, smol) is None
    assert cat.projector_for(gemma) is None  # 576 wide: not Gemma's (640)


def test_projector_elsewhere_is_paired_by_the_models_base_name(lib, gemma_model):
    cat, smol, gemma = lib
    md = cat.models_dir
    vlm = _link(gemma_model, md / "ggml-org" / "SmolVLM-256M-Instruct-GGUF" / "SmolVLM-256M-Instruct-Q8_0.gguf")
    other = md / "someone" / "projectors"
    named = write_tiny_projector(other / "mmproj-SmolVLM-256M-Instruct-f16.gguf", n_embd_text=640)
    write_tiny_projector(other / "mmproj-unrelated-f16.gguf", n_embd_text=640)  # right width, other name
    assert companions.base_name(named.name) == companions.base_name(vlm.name) == "smolvlm-256m-instruct"
    assert cat.projector_for(vlm) == named
    assert cat.projector_for(gemma) is None  # same width, but neither its folder nor its name
    # a projector in the model's own repository folder wins over one elsewhere with its name
    own = write_tiny_projector(vlm.parent / "mmproj-model-q8_0.gguf", n_embd_text=640)
    assert cat.projector_for(vlm) == own
    # among several in the folder: F16 before Q8_0
    f16 = write_tiny_projector(vlm.parent / "mmproj-model-f16.gguf", n_embd_text=640)
    assert cat.projector_for(vlm) == f16


def test_projector_beside_an_imported_model(tmp_path, starter_model):
    cat = ModelCatalog(tmp_path / "models", tmp_path / "library.json")
    folder = tmp_path / "downloads"
    model = _link(starter_model, folder / starter_model.name)
    proj = write_tiny_projector(folder / "mmproj.gguf")
    cat.import_files([model])
    assert len(cat.models()) == 1  # the projector beside it is not imported as a model
    assert cat.projector_for(model) == proj


def test_library_companions_say_which_model_each_adapter_fits_and_why_not(lib):
    cat, smol, gemma = lib
    proj = write_tiny_projector(smol.parent / "mmproj-f16.gguf")
    write_lora(cat.models_dir / "me" / "broken" / "cut.gguf", smol)
    data = (cat.models_dir / "me" / "broken" / "cut.gguf").read_bytes()
    (cat.models_dir / "me" / "broken" / "cut.gguf").write_bytes(data[:len(data) // 2])
    c = cat.companions()
    by_name = {a.path.name: a for a in c.adapters}
    assert by_name["smol-pirate.gguf"].models == [smol] and by_name["smol-pirate.gguf"].problem == ""
    assert by_name["gemma-poet.gguf"].models == [gemma]
    narrow = by_name["narrow.gguf"]
    assert narrow.models == [] and "does not fit this model" in narrow.problem and "SmolLM2" in narrow.problem
    assert by_name["cut.gguf"].info is None and "not a usable LoRA adapter" in by_name["cut.gguf"].problem
    assert [a.name for a in c.adapters_of[smol]] == ["smol-pirate"]
    assert c.projector_of == {smol: proj}
    # an adapter for an architecture the library lacks says so
    gemma.unlink()
    lone = {a.path.name: a for a in cat.companions().adapters}["gemma-poet.gguf"]
    assert lone.models == [] and lone.problem.startswith("It was made for gemma3 models")


def test_projector_width_follows_llama_cpp(tmp_path):
    from app.core.gguf.header import read_header_file

    gemma3 = read_header_file(write_tiny_projector(tmp_path / "g.gguf", n_embd_text=640))
    idefics = read_header_file(write_tiny_projector(tmp_path / "i.gguf", n_embd_text=960,
                                                    projector_type="idefics3"))
    assert companions.projector_width(gemma3) == 640 and companions.projector_width(idefics) == 960
    # the key alone (no known projection tensor): clip.vision.projection_dim
    stub = read_header_file(write_stub(tmp_path / "s.gguf", "clip"))
    assert companions.projector_width(stub) is None
    keyed = read_header_file(write_tiny_projector(tmp_path / "k.gguf", projector_type="idefics3", overrides={
        "clip.projector_type": "somethingnew"}))
    assert companions.projector_width(keyed) == 576


def test_a_chosen_projector_is_used_only_when_it_is_there_and_fits(tmp_path, starter_model):
    """One rule for the chat window's load and its Adapters and vision section: the conversation's choice when it
    fits the model, else "" (the caller falls back to the library's pairing)."""
    fits = write_tiny_projector(tmp_path / "mmproj-tiny.gguf")
    wide = write_tiny_projector(tmp_path / "mmproj-wide.gguf", n_embd_text=960)
    assert companions.chosen_projector(str(fits), starter_model) == str(fits)
    assert companions.chosen_projector(str(wide), starter_model) == ""
    assert companions.chosen_projector(str(tmp_path / "gone.gguf"), starter_model) == ""
    assert companions.chosen_projector("", starter_model) == ""
    assert companions.chosen_projector(str(wide), None) == str(wide)  # no model yet: nothing to check it against
    assert "960" in companions.projector_width_problem(wide, 576) and companions.projector_width_problem(fits, 576) \
        is None
