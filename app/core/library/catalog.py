"""The one list of local models that every part of Hearth reads: the Chat page's picker, the Models page's Library,
the Hardware page's table and the command line.

It is Hearth's models folder (``<models>/<owner>/<repo>/<file>.gguf``) plus the files the user imported or
adopted from other apps, which are used where they are (``library.json``). Models found in other apps' stores
(Hugging Face cache, LM Studio, Ollama) are offered separately until the user adds them. Thread-safe: the
registry file is read and written whole under a lock, and each call lists the disk afresh.
"""
from __future__ import annotations

import threading
from pathlib import Path

from app.core.library import companions as _companions
from app.core.library.local import ImportRegistry, LocalModel, delete_model, import_paths, list_library
from app.core.library.names import display_name
from app.core.library.other_apps import StoreRoots, default_roots, discover


class ModelCatalog:
    def __init__(self, models_dir: Path, registry_file: Path) -> None:
        self.models_dir = Path(models_dir)
        self.registry = ImportRegistry(Path(registry_file))
        self._lock = threading.Lock()

    def models(self) -> list[LocalModel]:
        """Every model in the library, Hearth's own first, then imported and adopted ones."""
        with self._lock:
            return list_library(self.models_dir, self.registry)

    def find(self, name: str) -> LocalModel:
        """The library model called ``name``: its display name, ``owner/repo``, ``owner/repo/file``, file name or
        file name without ``.gguf`` (case-insensitive). LookupError with a sentence when none or several match."""
        want = name.strip().lower()
        models = self.models()

        def names(m: LocalModel) -> set[str]:
            return {m.display_name.lower(), m.filename.lower(), m.filename.lower().removesuffix(".gguf"),
                    m.repo_id.lower(), f"{m.repo_id}/{m.filename}".lower() if m.repo_id else ""} - {""}

        hits = [m for m in models if want in names(m)]
        if len({m.path for m in hits}) == 1:
            return hits[0]
        if hits:
            raise LookupError(f"{name!r} matches {len(hits)} models: "
                              + ", ".join(sorted(m.display_name for m in hits)[:5]) + "; give the file name")
        raise LookupError(f"no model file or library model named {name!r}"
                          + (f" (the library has {len(models)}: see the Models page)" if models else
                             " (the library is empty)"))

    @staticmethod
    def in_other_apps(roots: StoreRoots | None = None) -> list[LocalModel]:
        """GGUF files in other apps' stores (offered to the user to add, used in place)."""
        return discover(roots or default_roots())

    def import_files(self, paths: list[Path]) -> tuple[list[LocalModel], list[str]]:
        """Add files or folders from elsewhere, used in place: (added models, one problem per refused file)."""
        with self._lock:
            return import_paths(self.registry, paths, self.models_dir)

    def adopt(self, model: LocalModel) -> LocalModel:
        """Add a model found in another app's store, used in place."""
        with self._lock:
            return self.registry.add(model.path, source=model.source, label=model.label)

    def display_name(self, path: Path | str) -> str:
        """The display name of the library model at ``path`` (one read of the folder), or one made from the file
        name when it is not in the library."""
        p = Path(path)
        for m in self.models():
            if m.path == p:
                return m.display_name
        return display_name(p.name)

    def delete(self, model: LocalModel) -> str:
        """Hearth's own files are deleted (every shard); imported or adopted ones are only forgotten."""
        with self._lock:
            return delete_model(model, self.models_dir, self.registry)

    # ---- companions: LoRA adapters and vision projectors (companions.py) ---------------------------------------
    def adapters_for(self, model_path: Path | str) -> list:
        """The LoRA adapters of the library that fit the model at ``model_path`` (``AdapterInfo`` each)."""
        return _companions.adapters_for(model_path, self)

    def projector_for(self, model_path: Path | str) -> Path | None:
        """The vision projector (mmproj) of the library paired with the model at ``model_path``, or None."""
        return _companions.projector_for(model_path, self)

    def companions(self) -> _companions.LibraryCompanions:
        """Every adapter and projector with the models they go with (the Library tab)."""
        return _companions.library_companions(self)
