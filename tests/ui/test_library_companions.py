"""The Library tab with LoRA adapters and vision projectors in the models folder: each adapter shown with the
model it fits (alpha, rank, size), the paired projector as "Vision: <file>", adapters that fit no model listed
with the reason, and neither ever a row of its own."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.support import make_lora, make_mmproj


def _file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def library(tmp_path, starter_model, gemma_model, monkeypatch):
    from app.core.library import other_apps
    from app.core.library.catalog import ModelCatalog
    from app.ui.library import library_jobs

    monkeypatch.setattr(library_jobs, "default_roots", lambda: other_apps.StoreRoots(None, [], None))
    md = tmp_path / "models"
    repo = md / "HuggingFaceTB" / "SmolLM2-135M-Instruct-GGUF"
    os.symlink(starter_model, _file(repo / starter_model.name))
    make_lora.write_lora(_file(md / "me" / "pirate-lora" / "smol-pirate.gguf"), starter_model, name="smol-pirate",
                         alpha=16, rank=8)
    make_lora.write_lora(_file(md / "me" / "gemma-lora" / "gemma-poet.gguf"), gemma_model, name="gemma-poet")
    make_mmproj.write_tiny_projector(repo / "mmproj-SmolLM2-f16.gguf")
    return ModelCatalog(md, tmp_path / "library.json")


def shown(tab) -> list[str]:
    return [tab.proxy.index(i, 0).data() for i in range(tab.proxy.rowCount())]


def test_adapters_and_projector_are_shown_with_their_model(qtbot, qtmodeltester, library):
    from app.ui.library import library_jobs
    from app.ui.library.library_model import EXTRAS_COLUMN
    from app.ui.library.library_tab import LibraryTab

    result = library_jobs.scan(library)
    tab = LibraryTab()
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.set_models(result.rows, result.found, library.models_dir, result.adapters)
    tab.show()
    qtbot.waitExposed(tab)
    qtmodeltester.check(tab.model)
    assert shown(tab) == ["SmolLM2-135M-Instruct · Q4_1"]  # no row for the adapters or the projector
    assert tab.model.headers[EXTRAS_COLUMN] == "Adapters"
    assert tab.proxy.index(0, EXTRAS_COLUMN).data() == "smol-pirate · vision"
    assert "1 LoRA adapter" not in tab.summary.text() and "2 LoRA adapters" in tab.summary.text()
    assert not tab.companions.isVisible()  # nothing selected yet
    tab.table.selectRow(0)
    assert tab.companions.isVisible()
    text = tab.companions.text()
    assert "Adapter smol-pirate: alpha 16, rank 8, " in text and "Vision: mmproj-SmolLM2-f16.gguf" in text
    assert "Adapter smol-pirate" in tab.proxy.index(0, 0).data(Qt.ToolTipRole)
    # the Gemma adapter fits no model here: listed, with why
    assert tab.unmatched.isVisible()
    lone = tab.unmatched.text()
    assert "gemma-poet.gguf (alpha 8," in lone and "made for gemma3 models" in lone
    assert tab.companions.accessibleName() and tab.unmatched.accessibleName()
    tab.table.clearSelection()
    assert not tab.companions.isVisible()


def test_a_library_without_companions_looks_as_before(qtbot, tmp_path, starter_model, monkeypatch):
    from app.core.library import other_apps
    from app.core.library.catalog import ModelCatalog
    from app.ui.library import library_jobs
    from app.ui.library.library_model import EXTRAS_COLUMN
    from app.ui.library.library_tab import LibraryTab

    monkeypatch.setattr(library_jobs, "default_roots", lambda: other_apps.StoreRoots(None, [], None))
    md = tmp_path / "models"
    os.symlink(starter_model, _file(md / "o" / "r" / starter_model.name))
    result = library_jobs.scan(ModelCatalog(md, tmp_path / "library.json"))
    tab = LibraryTab()
    qtbot.addWidget(tab)
    tab.set_models(result.rows, result.found, md, result.adapters)
    tab.table.selectRow(0)
    assert tab.proxy.index(0, EXTRAS_COLUMN).data() == "—"
    assert not tab.companions.isVisibleTo(tab) and not tab.unmatched.isVisibleTo(tab)
    assert "adapter" not in tab.summary.text()


def test_the_fit_verdict_counts_the_paired_projector(tmp_path, starter_model):
    from app.core.fit.here import FitSettings
    from app.ui.library.library_jobs import _verdict
    from tests.support.make_mmproj import write_tiny_projector

    folder = tmp_path / "models" / "me" / "smol"
    folder.mkdir(parents=True)
    model = folder / starter_model.name
    model.symlink_to(starter_model)
    alone = _verdict(model, FitSettings(n_ctx=2048), None)
    write_tiny_projector(folder / "mmproj-smol.gguf")
    paired = _verdict(model, FitSettings(n_ctx=2048), None)
    assert "projector" not in alone and paired == f"{alone} with its projector", (alone, paired)
    from app.core.fit.extras import projector_part
    from app.core.fit.verdicts import local_verdict

    detail = local_verdict(model, FitSettings(n_ctx=2048), None, (projector_part(folder / "mmproj-smol.gguf"),))
    assert "vision projector" in detail.detail and detail.result.extras  # its bytes are in the estimate
