"""Discover offers a model's vision projector with it: "Also download the vision projector (<file>, <size>)",
ticked by default, and both files go into the queue and land in the same repository folder, where the library
pairs them. A repository of LoRA adapters downloads like any other and its files become the library's adapters.
Against the loopback Hub with the real huggingface_hub client and real files."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.downloads.queue import DONE
from app.core.hub.repos import QuantEntry, RemoteFile, group_gguf_files, projector_for_entry
from tests.hub.fixtures import *  # noqa: F401,F403
from tests.support import make_lora, make_mmproj

VLM = "acme/Tiny-VLM-GGUF"


@pytest.fixture
def files(tmp_path):
    """A small model (n_embd 256), a projector made for it, and a LoRA adapter for it, as bytes."""
    base = tmp_path / "tiny.gguf"
    base.write_bytes(small_model_bytes(5, name="Tiny VLM"))
    proj = make_mmproj.write_tiny_projector(tmp_path / "mmproj.gguf", n_embd_text=256)
    lora = make_lora.write_lora(tmp_path / "lora.gguf", base, name="tiny-pirate", targets=("attn_q",))
    return base.read_bytes(), proj.read_bytes(), lora.read_bytes()


@pytest.fixture
def page(qtbot, ctx, network_on, hub, memory_keyring, monkeypatch, files):
    from app.core.library import other_apps as model_stores
    from app.ui.library import library_jobs

    monkeypatch.setattr(library_jobs, "default_roots", lambda: model_stores.StoreRoots(None, [], None))
    model, proj, lora = files
    r = hub.add(Repo(VLM, downloads=10))
    r.files["tiny-vlm-Q8_0.gguf"] = source_from_bytes(model)
    r.files["mmproj-tiny-vlm-f16.gguf"] = source_from_bytes(proj)
    hub.add(Repo("acme/Tiny-Pirate-LoRA-GGUF")).files["tiny-pirate-lora-f32.gguf"] = source_from_bytes(lora)
    ctx.settings.hub_endpoint = hub.url
    from app.ui.application import create_app
    from app.ui.common.theme import apply_theme
    from app.ui.models_page import ModelsPage

    apply_theme(create_app(), "light")
    p = ModelsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    yield p
    p.shutdown()


def _open(qtbot, page, repo_id: str):
    view = page.discover.repo_view
    page.discover.open_repo(repo_id)
    qtbot.waitUntil(lambda: view.details is not None and view.details.repo_id == repo_id, timeout=10000)
    return view


def test_the_offer_picks_the_projector_in_the_models_folder_and_name():
    def e(path, kind="model"):
        return QuantEntry(path, "", kind, [RemoteFile(path, 10, None)])

    entries, _ = group_gguf_files([RemoteFile(p, 10, None) for p in (
        "gemma-3-4b-it-Q4_K_M.gguf", "mmproj-model-Q8_0.gguf", "mmproj-model-f16.gguf", "other/mmproj-f16.gguf")])
    model = next(x for x in entries if x.kind == "model")
    assert projector_for_entry(entries, model).name == "mmproj-model-f16.gguf"  # its folder, F16 first
    assert projector_for_entry(entries, next(x for x in entries if x.kind == "mmproj")) is None
    assert projector_for_entry([e("a-Q4_0.gguf")], e("a-Q4_0.gguf")) is None  # no projector in the repository
    named = [e("x/SmolVLM-256M-Instruct-Q8_0.gguf"), e("y/mmproj-other-f16.gguf", "mmproj"),
             e("y/mmproj-SmolVLM-256M-Instruct-Q8_0.gguf", "mmproj")]
    assert projector_for_entry(named, named[0]).name == "y/mmproj-SmolVLM-256M-Instruct-Q8_0.gguf"


def test_model_and_projector_download_together_and_pair(qtbot, page, hub):
    view = _open(qtbot, page, VLM)
    assert view.selected_entry().name == "tiny-vlm-Q8_0.gguf"
    offer = view.projector_offer
    assert offer.isVisible() and offer.isChecked() and offer.accessibleName()
    assert offer.text().startswith("Also download the vision projector (mmproj-tiny-vlm-f16.gguf, ")
    assert offer.text().endswith(" KiB)")
    qtbot.mouseClick(view.download, Qt.LeftButton)
    c = page.controller
    assert [i.filename for i in c.items] == ["tiny-vlm-Q8_0.gguf", "mmproj-tiny-vlm-f16.gguf"]
    qtbot.waitUntil(lambda: len(c.items) == 2 and all(i.state == DONE for i in c.items), timeout=20000)
    model, proj = (page.ctx.models_dir / VLM / n for n in ("tiny-vlm-Q8_0.gguf", "mmproj-tiny-vlm-f16.gguf"))
    assert model.is_file() and proj.is_file()
    assert page.catalog.projector_for(model) == proj
    lib = page.library
    qtbot.waitUntil(lambda: any(r.model.path == model for r in lib.model.rows), timeout=10000)
    qtbot.waitUntil(lambda: next(r for r in lib.model.rows if r.model.path == model).projector == proj,
                    timeout=10000)
    assert all("mmproj" not in r.model.filename for r in lib.model.rows)
    # back on Discover: both marked as here, nothing offered again
    page.tabs.setCurrentWidget(page.discover)
    qtbot.waitUntil(lambda: all(r.local_path for r in view.quants.rows), timeout=10000)
    view.table.selectRow(0)
    assert view.download.text() == "Chat" and not offer.isVisible()


def test_unticked_the_model_comes_alone(qtbot, page):
    view = _open(qtbot, page, VLM)
    view.projector_offer.setChecked(False)
    qtbot.mouseClick(view.download, Qt.LeftButton)
    assert [i.filename for i in page.controller.items] == ["tiny-vlm-Q8_0.gguf"]
    proj_row = next(i for i, r in enumerate(view.quants.rows) if r.entry.kind == "mmproj")
    page.tabs.setCurrentWidget(page.discover)
    view.table.selectRow(proj_row)  # the projector itself: no offer under it
    assert not view.projector_offer.isVisible()


def test_an_adapter_repository_downloads_into_the_librarys_adapters(qtbot, page):
    view = _open(qtbot, page, "acme/Tiny-Pirate-LoRA-GGUF")
    assert not view.projector_offer.isVisible()
    qtbot.mouseClick(view.download, Qt.LeftButton)
    c = page.controller
    qtbot.waitUntil(lambda: bool(c.items) and c.items[0].state == DONE, timeout=20000)
    lib = page.library
    qtbot.waitUntil(lambda: any(a.path.name == "tiny-pirate-lora-f32.gguf" for a in lib.adapters), timeout=10000)
    assert not any(r.model.filename == "tiny-pirate-lora-f32.gguf" for r in lib.model.rows)
    assert lib.unmatched.isVisibleTo(lib) and "tiny-pirate-lora-f32.gguf" in lib.unmatched.text()
