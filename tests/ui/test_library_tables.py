"""The Library's and the Hardware page's tables with hundreds of rows: items made off the GUI thread, sorting by
prepared keys through the proxy, verdicts applied as one change, columns sized from the texts, and the batch
mode the workers run their Python in."""
from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QSortFilterProxyModel, Qt

from app.core.fit.here import FitSettings
from app.core.library import LocalModel, ModelFacts


def _rows(n: int = 60):
    """Library rows made on another thread, as the disk worker makes them."""
    from app.ui.library.library_model import LibraryRow

    out = []

    def make():
        for i in range(n):
            m = LocalModel(Path(f"/models/v{i % 3}/r{i}/model-{i:03d}.gguf"), f"v{i % 3}/r{i}", f"model-{i:03d}.gguf",
                           size=(i * 37 % n + 1) * 10**9)
            facts = ModelFacts(error="bad magic") if i == 5 else ModelFacts(
                architecture=("llama", "qwen2", "gemma3")[i % 3], parameters=(i * 7 % 13 + 1) * 10**9,
                quantization="Q4_K_M", context_length=4096 * (1 + i % 4), chat_template=bool(i % 2))
            out.append(LibraryRow(model=m, facts=facts))

    t = threading.Thread(target=make)
    t.start()
    t.join()
    return out


def test_library_model_sorts_by_prepared_keys_and_takes_verdicts_in_one_change(qtbot, qtmodeltester):
    from app.ui.common.table_model import ItemRole, SortRole
    from app.ui.library.library_model import FIT_COLUMN, LibraryModel

    model = LibraryModel()
    rows = _rows()
    model.set_rows(rows)
    assert model.rowCount() == len(rows) and model.columnCount() == len(LibraryModel.headers)
    assert all(r.items is None for r in rows)  # the model owns them
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)

    bad = model.rows[5]
    assert model.index(5, 1).data() == "unreadable" and "bad magic" in model.index(5, 0).data(Qt.ToolTipRole)
    assert model.index(0, 4).data() == rows[0].cells[4] and model.index(0, 0).data(ItemRole) is rows[0]
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # a double click opens a chat

    proxy.sort(4, Qt.DescendingOrder)  # size, by bytes (not by the text "9.0 GB" < "10.0 GB")
    sizes = [proxy.index(i, 0).data(ItemRole).model.size for i in range(proxy.rowCount())]
    assert sizes == sorted(sizes, reverse=True)
    proxy.sort(2, Qt.AscendingOrder)  # parameters, by count
    params = [proxy.index(i, 0).data(ItemRole).facts.parameters for i in range(proxy.rowCount())]
    assert params == sorted(params)

    proxy.sort(FIT_COLUMN, Qt.AscendingOrder)
    changes = []
    model.dataChanged.connect(lambda a, b, *_: changes.append((a.row(), a.column(), b.row(), b.column())))
    verdicts = {r.model.path: ("Too big" if i % 2 else "Fits (CPU, in RAM)") for i, r in enumerate(model.rows)}
    model.set_verdicts(verdicts)
    assert changes == [(0, FIT_COLUMN, len(rows) - 1, FIT_COLUMN)]
    assert bad.verdict == verdicts[bad.model.path] and model.index(5, FIT_COLUMN).data() == "—"
    assert model.index(0, FIT_COLUMN).data() == "Fits (CPU, in RAM)"
    shown = [proxy.index(i, FIT_COLUMN).data(SortRole) for i in range(proxy.rowCount())]
    assert shown == sorted(shown)  # the proxy re-sorted on the one change
    qtmodeltester.check(model)

    model.set_rows(_rows(10))  # a rescan replaces the rows
    assert model.rowCount() == 10
    qtmodeltester.check(proxy)


def test_refresh_rows_emits_one_change_per_run_of_rows(qtbot):
    from app.ui.discover.discover_models import RepoModel, RepoRow

    model = RepoModel()
    model.set_rows([RepoRow(repo_id=f"o/r{i}", title=f"r{i}", detail="") for i in range(10)])
    changes = []
    model.dataChanged.connect(lambda a, b, *_: changes.append((a.row(), b.row())))
    model.refresh_rows([7, 1, 2, 3, 9, 8, 2, 42])
    assert changes == [(1, 3), (7, 9)]


def test_library_columns_fit_their_texts_and_headers(qtbot):
    from app.ui.library.library_tab import LibraryTab

    tab = LibraryTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    rows = _rows()
    tab.set_models(rows, [], Path("/models"))
    tab.show()
    qtbot.waitExposed(tab)
    header, fm = tab.table.horizontalHeader(), tab.table.fontMetrics()
    for c in range(1, len(tab.model.headers)):
        widest = max(fm.horizontalAdvance(r.cells[c]) for r in rows)
        assert header.sectionSize(c) >= max(widest, fm.horizontalAdvance(tab.model.headers[c])), c
        assert header.sectionResizeMode(c) != header.ResizeMode.ResizeToContents
    before = header.sectionSize(7)
    tab.set_verdicts({r.model.path: "Partly on GPU (a long verdict text)" for r in tab.model.rows})
    assert header.sectionSize(7) > before
    tab.table.selectRow(0)
    assert tab.selected() is not None and tab.buttons["details"].isEnabled()


def _fit_row(name: str, total: int, verdict: str = "cpu"):
    from app.ui.hardware.hardware_worker import FitRow, LocalModelInfo

    info = LocalModelInfo(Path(f"/models/{name}"), name, total, profile=None)
    if not total:
        return FitRow(info, None, "Not a usable GGUF model: truncated")
    est = SimpleNamespace(weights_bytes=total // 2, kv_bytes=total // 4, compute_bytes=total // 8,
                          recurrent_bytes=0, output_bytes=0, total_bytes=total)
    res = SimpleNamespace(label="CPU only, fits in RAM", verdict=verdict, gpu_layers=0, total_layers=24,
                          max_ctx=total // 1000, required={"cpu": total}, estimate=est, notes=["a note"],
                          beyond_trained=0)
    return FitRow(info, res)


def test_fit_table_model_rows_roles_and_sorting(qtbot, qtmodeltester):
    from app.ui.hardware.hardware_models import BreakdownRole, FitTableModel, SortRole, VerdictRole

    made = []
    t = threading.Thread(target=lambda: made.extend(
        [_fit_row(f"m{i:02d}.gguf", (i * 7 % 20 + 1) * 10**9) for i in range(20)] + [_fit_row("broken.gguf", 0)]))
    t.start()
    t.join()
    model = FitTableModel()
    model.set_rows(made)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert model.rowCount() == 21 and model.row(20).model.name == "broken.gguf"
    assert model.index(20, 1).data().startswith("Not a usable GGUF model")
    assert model.index(20, 0).data(VerdictRole) == "error" and model.index(20, 5).data(BreakdownRole) is None
    assert model.index(0, 0).data(VerdictRole) == "cpu" and list(model.index(0, 5).data(BreakdownRole))[0] > 0
    assert model.index(0, 3).data() == f"{made[0].result.max_ctx:,} tokens"
    proxy.sort(4, Qt.DescendingOrder)  # memory needed, by bytes
    need = [proxy.index(i, 4).data(SortRole) for i in range(proxy.rowCount())]
    assert need == sorted(need, reverse=True) and need[-1] == -1
    model.set_rows([_fit_row(f"m{i:02d}.gguf", 10**9) for i in range(5)])  # a new context: new rows
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_background_batch_restores_the_interpreter_and_nests_across_threads():
    from app.ui.common.tasks import BATCH_SWITCH_INTERVAL, background_batch

    interval, enabled = sys.getswitchinterval(), gc.isenabled()
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def other():
        with background_batch():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    assert inside.wait(5)
    with background_batch():
        seen["during"] = (sys.getswitchinterval(), gc.isenabled())
    seen["after mine, other still running"] = (sys.getswitchinterval(), gc.isenabled())
    release.set()
    t.join()
    assert seen["during"] == (min(interval, BATCH_SWITCH_INTERVAL), False)
    assert seen["after mine, other still running"] == (min(interval, BATCH_SWITCH_INTERVAL), False)
    assert (sys.getswitchinterval(), gc.isenabled()) == (interval, enabled)
    gc.unfreeze()  # leave the test process's collector as it was


def test_a_batch_that_imports_modules_freezes_them_even_when_it_keeps_no_results(tmp_path, monkeypatch):
    from app.ui.common.tasks import background_batch

    gc.unfreeze()
    with background_batch(keeps_results=False):
        pass
    assert gc.get_freeze_count() == 0, "nothing imported, nothing kept: nothing frozen"
    (tmp_path / "hearth_batch_probe_mod.py").write_text("TABLE = [{'n': i} for i in range(100)]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with background_batch(keeps_results=False):
        import hearth_batch_probe_mod  # noqa: F401
    assert gc.get_freeze_count() > 100, "the imported module's objects are out of the collector's way"
    assert not any(o is hearth_batch_probe_mod.TABLE for o in gc.get_objects())
    sys.modules.pop("hearth_batch_probe_mod", None)
    gc.unfreeze()


def test_superseded_verdicts_stop_early(tmp_path):
    from app.ui.library import library_jobs

    cancel = threading.Event()
    cancel.set()
    assert library_jobs.verdicts([tmp_path / "a.gguf", tmp_path / "b.gguf"], FitSettings(4096), cancel) == {}
    out = library_jobs.verdicts([tmp_path / "missing.gguf"], FitSettings(4096))
    assert out[tmp_path / "missing.gguf"].startswith("unknown")
    gc.unfreeze()


def test_device_rows_are_drawn_once_and_repainted_from_pixmaps(qtbot, ctx):
    from app.ui.hardware.bars import DeviceDelegate
    from app.ui.hardware.hardware_page import HardwarePage

    page = HardwarePage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    info = SimpleNamespace(ram_total=16 * 2**30, ram_available=8 * 2**30, gpus=[], disk_total=2**40,
                           disk_free=2**39)
    page.devices.set_info(info)
    page.show()
    qtbot.waitExposed(page)
    delegate = page.device_view.itemDelegate()
    assert isinstance(delegate, DeviceDelegate)
    page.device_view.grab()
    drawn = dict(delegate._drawn)
    assert len(drawn) == page.devices.rowCount() == 3
    page.device_view.grab()
    assert all(delegate._drawn[k] is pm for k, pm in drawn.items())  # repainted from the same pixmaps
    info.ram_available = 4 * 2**30
    page.devices.set_info(info)
    page.device_view.grab()
    assert len(delegate._drawn) == 4  # only the changed row was drawn again
    page.shutdown()
