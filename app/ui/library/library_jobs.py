"""The jobs the Models page runs on its worker threads (plain functions over :mod:`app.core`, no widgets)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.core import hardware
from app.core.fit import verdicts as fit_verdicts
from app.core.fit.here import FitSettings
from app.core.library import LocalModel, read_facts
from app.core.library.catalog import ModelCatalog
from app.core.library.other_apps import default_roots
from app.ui.library.library_model import LibraryRow
from app.ui.common.fit_texts import verdict_label
from app.ui.common.i18n import translate
from app.ui.common.tasks import background_batch


@dataclass
class LibraryScan:
    rows: list[LibraryRow]
    found: list[LibraryRow]
    message: str = ""
    problems: list[str] = field(default_factory=list)
    adapters: list = field(default_factory=list)  # every adapter of the library (AdapterFit: the models it fits)


def scan(catalog: ModelCatalog, message: str = "") -> LibraryScan:
    """Every model's header facts and its table row (texts, sort keys and items made here, off the GUI thread),
    with the LoRA adapters that fit it and its paired vision projector."""
    with background_batch():
        comp = catalog.companions()
        rows = [LibraryRow(model=m, facts=read_facts(m.path), adapters=comp.adapters_of.get(m.path, []),
                           projector=comp.projector_of.get(m.path)) for m in catalog.models()]
        found = [LibraryRow(model=m, facts=read_facts(m.path)) for m in catalog.in_other_apps(default_roots())]
    return LibraryScan(rows=rows, found=found, message=message, adapters=comp.adapters)


def import_and_scan(catalog: ModelCatalog, paths: list[Path]) -> LibraryScan:
    added, problems = catalog.import_files(paths)
    n = len(added)
    msg = translate("Library", "Imported %n model(s); they are used where they are, nothing was copied.", None,
                    n) if added else ""
    if problems:
        msg = (msg + "\n\n" if msg else "") + translate("Library", "Not imported:") + "\n" + "\n".join(problems)
    return scan(catalog, msg)


def delete_and_scan(catalog: ModelCatalog, model: LocalModel) -> LibraryScan:
    return scan(catalog, catalog.delete(model))


def adopt_and_scan(catalog: ModelCatalog, model: LocalModel) -> LibraryScan:
    catalog.adopt(model)
    return scan(catalog, "")


def verdicts(paths: list[Path], settings: FitSettings, cancel: threading.Event | None = None) -> dict[Path, str]:
    """The fit verdict of each model file, as one batch (the GUI thread puts them into its rows at once). Stops
    early when ``cancel`` is set (a newer scan replaced these rows: the result will be dropped)."""
    out: dict[Path, str] = {}
    with background_batch(keeps_results=False):
        info = hardware.cached_info() if paths else None  # this computer once for the batch, not per file
        for p in paths:
            if cancel is not None and cancel.is_set():
                break
            out[p] = _verdict(p, settings, info)
    return out


def _verdict(p: Path, settings: FitSettings, info) -> str:
    """The model's verdict with the vision projector paired with it in its folder counted in (it is loaded with
    the model)."""
    try:
        from app.core.fit.extras import projector_part
        from app.core.library.companions import projector_for

        projector = projector_for(p, p.parent)
        extras = (projector_part(projector),) if projector is not None else ()
        label = verdict_label(fit_verdicts.local_verdict(p, settings, info, extras).label)
        return translate("Library", "{verdict} with its projector").format(verdict=label) if extras else label
    except Exception as exc:  # unreadable header or an architecture the estimator does not know
        return translate("Library", "unknown ({error})").format(error=exc)[:80]
