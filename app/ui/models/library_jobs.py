"""The jobs the Models page runs on its worker threads (plain functions over :mod:`app.core`, no widgets)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.core import fit_verdicts
from app.core.library import ImportRegistry, LocalModel, delete_model, import_paths, list_library, read_facts
from app.core.model_stores import default_roots, discover
from app.ui.models.qt_models import LibraryRow
from app.ui.models.workers import background_batch


@dataclass
class LibraryScan:
    rows: list[LibraryRow]
    found: list[LibraryRow]
    message: str = ""
    problems: list[str] = field(default_factory=list)


def scan(models_dir: Path, registry: ImportRegistry, message: str = "") -> LibraryScan:
    """Every model's header facts and its table row (texts, sort keys and items made here, off the GUI thread)."""
    with background_batch():
        rows = [LibraryRow(model=m, facts=read_facts(m.path)) for m in list_library(models_dir, registry)]
        found = [LibraryRow(model=m, facts=read_facts(m.path)) for m in discover(default_roots())]
    return LibraryScan(rows=rows, found=found, message=message)


def import_and_scan(models_dir: Path, registry: ImportRegistry, paths: list[Path]) -> LibraryScan:
    added, problems = import_paths(registry, paths, models_dir)
    msg = f"Imported {len(added)} model(s); they are used where they are, nothing was copied." if added else ""
    if problems:
        msg = (msg + "\n\n" if msg else "") + "Not imported:\n" + "\n".join(problems)
    return scan(models_dir, registry, msg)


def delete_and_scan(models_dir: Path, registry: ImportRegistry, model: LocalModel) -> LibraryScan:
    return scan(models_dir, registry, delete_model(model, models_dir, registry))


def adopt_and_scan(models_dir: Path, registry: ImportRegistry, model: LocalModel) -> LibraryScan:
    registry.add(model.path, source=model.source, label=model.label or model.display_name)
    return scan(models_dir, registry, "")


def verdicts(paths: list[Path], n_ctx: int = 4096, cancel: threading.Event | None = None) -> dict[Path, str]:
    """The fit verdict of each model file, as one batch (the GUI thread puts them into its rows at once). Stops
    early when ``cancel`` is set (a newer scan replaced these rows: the result will be dropped)."""
    out: dict[Path, str] = {}
    with background_batch(keeps_results=False):
        for p in paths:
            if cancel is not None and cancel.is_set():
                break
            out[p] = _verdict(p, n_ctx)
    return out


def _verdict(p: Path, n_ctx: int) -> str:
    try:
        return fit_verdicts.local_verdict(p, n_ctx).label
    except Exception as exc:  # unreadable header or an architecture the estimator does not know
        return f"unknown ({exc})"[:80]


def remote_verdict(repo_id: str, sha: str, entry, n_ctx: int, *, endpoint: str, token: str | None):
    return fit_verdicts.remote_verdict(repo_id, sha, [(f.path, f.size) for f in entry.files], n_ctx,
                                       endpoint=endpoint, token=token)
