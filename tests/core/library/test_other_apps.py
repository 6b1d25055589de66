"""The library: Hearth's folder, imports in place, deletion, and models found in other apps' stores (an HF
cache and an Ollama blob store built in a temporary folder)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from app.core.library import ImportRegistry, delete_model, import_paths, list_library, read_facts, scan_models_dir
from app.core.library.other_apps import StoreRoots, default_roots, discover, hf_cache_models, ollama_models
from tests.hub.gguf_files import small_model_bytes


def _write(p: Path, data: bytes) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def test_scan_skips_partial_quarantine_mmproj_and_later_shards(tmp_path):
    md = tmp_path / "models"
    g = small_model_bytes(1)
    _write(md / "o" / "r" / "a-Q4_0.gguf", g)
    _write(md / "o" / "r" / ".partial" / "b.gguf.incomplete", g[:100])
    _write(md / "o" / "r" / ".partial" / "c.gguf", g)
    _write(md / ".quarantine" / "o__r" / "d.gguf", g)
    _write(md / "o" / "r" / "mmproj-f16.gguf", g)
    _write(md / "o" / "s" / "m-00001-of-00002.gguf", g)
    _write(md / "o" / "s" / "m-00002-of-00002.gguf", g)
    got = {(m.repo_id, m.filename, m.size) for m in scan_models_dir(md)}
    assert got == {("o/r", "a-Q4_0.gguf", len(g)), ("o/s", "m-00001-of-00002.gguf", 2 * len(g))}


def test_facts_from_header(starter_model, tmp_path):
    f = read_facts(starter_model)
    assert f.architecture == "llama" and f.quantization == "Q4_1" and f.chat_template
    assert 100e6 < f.parameters < 200e6 and f.context_length == 8192
    bad = _write(tmp_path / "bad.gguf", b"GGUF\x03\x00\x00\x00" + b"\xff" * 40)
    assert read_facts(bad).error


def test_import_in_place_and_delete(tmp_path):
    md = tmp_path / "models"
    reg = ImportRegistry(tmp_path / "library.json")
    outside = _write(tmp_path / "elsewhere" / "mine.gguf", small_model_bytes(2))
    folder = tmp_path / "folder"
    _write(folder / "x.gguf", small_model_bytes(3))
    _write(folder / "sub" / "y.gguf", small_model_bytes(4))
    not_gguf = _write(tmp_path / "notes.gguf", b"hello world, not a model")
    added, problems = import_paths(reg, [outside, folder, not_gguf, tmp_path / "empty"], md)
    assert sorted(m.filename for m in added) == ["mine.gguf", "x.gguf", "y.gguf"]
    assert any("not a GGUF" in p for p in problems)
    lib = list_library(md, reg)
    assert {m.source for m in lib} == {"imported"}
    msg = delete_model(next(m for m in lib if m.filename == "mine.gguf"), md, reg)
    assert "left where it is" in msg and outside.exists()
    assert "mine.gguf" not in {m.filename for m in list_library(md, reg)}
    own = _write(md / "o" / "r" / "own.gguf", small_model_bytes(5))
    m = next(m for m in list_library(md, reg) if m.source == "hearth")
    assert "freed" in delete_model(m, md, reg)
    assert not own.exists() and not (md / "o").exists()


def test_discovers_hf_cache_and_ollama_store(tmp_path):
    g1, g2 = small_model_bytes(6), small_model_bytes(7)
    # a Hugging Face cache: snapshots link into blobs
    hf = tmp_path / "hf" / "hub"
    blob = _write(hf / "models--acme--Tiny-GGUF" / "blobs" / "abc123", g1)
    snap = hf / "models--acme--Tiny-GGUF" / "snapshots" / "deadbeef"
    snap.mkdir(parents=True)
    (snap / "tiny-Q4_K_M.gguf").symlink_to(os.path.relpath(blob, snap))
    (snap / "broken.gguf").symlink_to("../../blobs/missing")  # an unfinished download
    _write(hf / "models--acme--Tiny-GGUF" / "snapshots" / "deadbeef" / "README.md", b"# hi")
    # an Ollama store: manifest names the model, the model layer is a blob
    ol = tmp_path / "ollama"
    digest = "a" * 64
    _write(ol / "blobs" / f"sha256-{digest}", g2)
    _write(ol / "blobs" / f"sha256-{'b' * 64}", b"{license text}")
    manifest = {"schemaVersion": 2, "layers": [
        {"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{digest}", "size": len(g2)},
        {"mediaType": "application/vnd.ollama.image.license", "digest": f"sha256:{'b' * 64}", "size": 14}]}
    _write(ol / "manifests" / "registry.ollama.ai" / "library" / "tinyllama" / "1.1b", json.dumps(manifest).encode())
    _write(ol / "manifests" / "registry.ollama.ai" / "library" / "broken" / "latest", b"{not json")
    # LM Studio
    lms = tmp_path / "lms"
    _write(lms / "pub" / "Repo-GGUF" / "model-Q8_0.gguf", small_model_bytes(8))

    hfm = hf_cache_models(hf)
    assert [(m.repo_id, m.filename, m.source, m.size) for m in hfm] == [
        ("acme/Tiny-GGUF", "tiny-Q4_K_M.gguf", "hf-cache", len(g1))]
    olm = ollama_models(ol)
    assert [(m.display_name, m.size) for m in olm] == [("tinyllama:1.1b (Ollama)", len(g2))]
    assert read_facts(olm[0].path).architecture == "llama"  # a blob without .gguf is still read
    found = discover(StoreRoots(hf_cache=hf, lm_studio=[lms], ollama=ol))
    assert sorted(m.source for m in found) == ["hf-cache", "lm-studio", "ollama"]
    # offered in place: adding one to the library registers the path, nothing is copied
    reg = ImportRegistry(tmp_path / "library.json")
    reg.add(olm[0].path, source="ollama", label=olm[0].label)
    lib = list_library(tmp_path / "models", reg)
    assert [(m.path, m.source) for m in lib] == [(olm[0].path, "ollama")]
    assert not (tmp_path / "models").exists()


def test_default_roots_follow_env(tmp_path):
    r = default_roots({"HF_HUB_CACHE": str(tmp_path / "c"), "OLLAMA_MODELS": str(tmp_path / "o")}, home=tmp_path)
    assert r.hf_cache == tmp_path / "c" and r.ollama == tmp_path / "o"
    r = default_roots({"HF_HOME": str(tmp_path / "h")}, home=tmp_path)
    assert r.hf_cache == tmp_path / "h" / "hub" and r.ollama == tmp_path / ".ollama" / "models"
