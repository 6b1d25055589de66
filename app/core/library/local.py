"""Local models: GGUF files under Hearth's models folder (``<models>/<owner>/<repo>/<file>.gguf``), files the
user imported in place (remembered in ``library.json``), and what the header says about each.

Hidden folders (``.partial`` downloads, ``.quarantine``) are never listed: a file enters the library only
after its download was verified.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.core.i18n import said, translate
from app.core.library.gguf_kind import MODEL, file_kind
from app.core.library.names import display_name
from app.core.units import human_bytes

log = logging.getLogger("hearth.library")

SHARD_RE = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
FILE_TYPES = {0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
              11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M",
              18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S",
              25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M",
              32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE"}


@dataclass(frozen=True)
class LocalModel:
    path: Path
    repo_id: str  # "owner/repo" when it sits at <models>/<owner>/<repo>/, else ""
    filename: str
    size: int
    source: str = "hearth"  # hearth | imported | hf-cache | lm-studio | ollama
    label: str = ""  # a name given by the store (e.g. Ollama's "llama3.2:1b")

    @property
    def display_name(self) -> str:
        """The name shown everywhere (``names.display_name``): "SmolLM2-135M-Instruct · Q4_1"."""
        return display_name(self.filename, self.label)


@dataclass
class ModelFacts:
    architecture: str = ""
    parameters: int = 0
    quantization: str = ""
    context_length: int = 0
    chat_template: bool = False
    name: str = ""
    metadata: dict = field(default_factory=dict)
    error: str = ""


def is_loadable_gguf(path: Path) -> bool:
    """A model file llama.cpp can be pointed at: not a projector, not a later shard, not a partial download."""
    return is_loadable_gguf_name(path.name)


def is_loadable_gguf_name(name: str) -> bool:
    lower = name.lower()
    if not lower.endswith(".gguf") or "mmproj" in lower:
        return False
    m = SHARD_RE.search(name)
    return not (m and int(m.group(1)) != 1)


def _shard_size(p: Path) -> int:
    m = SHARD_RE.search(p.name)
    if not m:
        return p.stat().st_size
    stem = SHARD_RE.sub("", p.name)
    return sum(s.stat().st_size for s in p.parent.glob(f"{stem}-*-of-{m.group(2)}.gguf"))


def shard_files(p: Path) -> list[Path]:
    m = SHARD_RE.search(p.name)
    if not m:
        return [p]
    return sorted(p.parent.glob(f"{SHARD_RE.sub('', p.name)}-*-of-{m.group(2)}.gguf"))


def scan_models_dir(models_dir: Path) -> list[LocalModel]:
    """The loadable GGUF files under the models folder, each directory's files (sorted) before its subfolders
    (sorted), hidden folders skipped, LoRA adapters and vision projectors left out (``gguf_kind``: a peek at the
    header's first keys, once per file version). One ``scandir`` per folder and one ``stat`` per model: the Chat
    page's model picker calls this on the GUI thread (500 models: ~15 ms; ``os.walk`` + ``pathlib`` took ~50 ms)."""
    out: list[LocalModel] = []
    if models_dir.is_dir():
        _scan_dir(str(models_dir), (), out)
    return out


def _scan_dir(folder: str, rel: tuple[str, ...], out: list[LocalModel]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return  # unreadable folder: skipped, as os.walk does
    subdirs = []
    for e in entries:
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not e.name.startswith(".") and not e.is_symlink():
                subdirs.append(e)
            continue
        if not is_loadable_gguf_name(e.name):
            continue
        try:
            if not e.is_file():
                continue
            st = e.stat()
            if file_kind(e.path, st) != MODEL:
                continue  # a LoRA adapter or a vision projector: offered with its model (companions.py)
            size = st.st_size if not SHARD_RE.search(e.name) else _shard_size(Path(e.path))
        except OSError:
            continue
        parts = (*rel, e.name)
        repo_id = "/".join(parts[:2]) if len(parts) >= 3 else ""
        out.append(LocalModel(path=Path(e.path), repo_id=repo_id,
                              filename=os.path.join(*parts[2:]) if repo_id else e.name, size=size))
    for d in subdirs:
        _scan_dir(d.path, (*rel, d.name), out)


# ---- facts from the header ------------------------------------------------------------------------------------
_facts_cache: dict[tuple[str, int, float], ModelFacts] = {}
_facts_lock = threading.Lock()


def read_facts(path: Path) -> ModelFacts:
    """Architecture, parameters, quantization, context length, chat template (cached per file version)."""
    try:
        st = path.stat()
    except OSError as exc:
        return ModelFacts(error=str(exc))
    key = (str(path), st.st_size, st.st_mtime)
    with _facts_lock:
        if key in _facts_cache:
            return _facts_cache[key]
    facts = _read_facts(path)
    with _facts_lock:
        _facts_cache[key] = facts
    return facts


def _read_facts(path: Path) -> ModelFacts:
    try:
        from app.core.gguf.header import GGUFError, read_model_file
    except ImportError as exc:  # the header reader is part of the app; this only guards partial installs
        return ModelFacts(error=translate("LibraryLocal", "header reader unavailable: {error}").format(error=exc))
    try:
        model = read_model_file(path)
    except (GGUFError, OSError, ValueError) as exc:
        return ModelFacts(error=said(exc))
    md = model.metadata
    ft = md.get("general.file_type")
    quant = FILE_TYPES.get(ft, "") if isinstance(ft, int) else ""
    if not quant:
        counts: dict[str, int] = {}
        for t in model.tensors:
            counts[t.type_name] = counts.get(t.type_name, 0) + t.nbytes
        quant = max(counts, key=counts.get) if counts else ""
    ctx = model.arch_get("context_length", 0)
    small = {k: v for k, v in md.items() if not isinstance(v, (list, tuple)) or len(v) <= 16}
    return ModelFacts(architecture=model.architecture, parameters=sum(t.n_elements for t in model.tensors),
                      quantization=quant, context_length=int(ctx) if isinstance(ctx, int) else 0,
                      chat_template=isinstance(md.get("tokenizer.chat_template"), str),
                      name=str(md.get("general.name") or ""), metadata=small)


# ---- imported files ---------------------------------------------------------------------------------------------
class ImportRegistry:
    """GGUF files outside the models folder that the user added, used in place (never copied)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> list[dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [d for d in data.get("models", []) if isinstance(d, dict) and "path" in d]
        except (OSError, ValueError, AttributeError):
            return []

    def _save(self, entries: list[dict]) -> None:
        from app.settings import atomic_write_text

        atomic_write_text(self.path, json.dumps({"version": 1, "models": entries}, indent=1))

    def models(self) -> list[LocalModel]:
        out = []
        for d in self._load():
            p = Path(d["path"])
            try:
                size = _shard_size(p) if p.name.endswith(".gguf") else p.stat().st_size
            except OSError:
                continue  # gone (unplugged drive, deleted): not listed, but remembered
            out.append(LocalModel(path=p, repo_id="", filename=p.name, size=size, source=d.get("source", "imported"),
                                  label=d.get("label", "")))
        return out

    def add(self, path: Path, source: str = "imported", label: str = "") -> LocalModel:
        path = path.resolve() if source == "imported" else path.absolute()
        check_gguf(path)
        entries = [d for d in self._load() if d["path"] != str(path)]
        entries.append({"path": str(path), "source": source, "label": label})
        self._save(entries)
        return LocalModel(path=path, repo_id="", filename=path.name, size=path.stat().st_size, source=source,
                          label=label)

    def remove(self, path: Path) -> bool:
        entries = self._load()
        keep = [d for d in entries if d["path"] != str(path)]
        if len(keep) != len(entries):
            self._save(keep)
            return True
        return False


class ImportError_(ValueError):
    """A file that cannot be imported (not a GGUF model)."""


def check_gguf(path: Path) -> None:
    if not path.is_file():
        raise ImportError_(translate("LibraryLocal", "{path} is not a file.").format(path=str(path)))
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:4] != b"GGUF":
        raise ImportError_(translate("LibraryLocal", "{file} is not a GGUF model file.").format(file=path.name))
    if int.from_bytes(head[4:8], "little") not in (2, 3):
        raise ImportError_(translate("LibraryLocal", "{file} uses an unsupported GGUF version.")
                           .format(file=path.name))
    # the whole header (every shard), as before loading: a damaged file is refused with the reason, not listed
    from app.core.gguf.header import GGUFError, read_model_file

    try:
        read_model_file(path)
    except GGUFError as exc:
        raise ImportError_(translate("LibraryLocal", "{file} is not a usable GGUF model: {error}")
                           .format(file=path.name, error=exc)) from exc


def import_paths(registry: ImportRegistry, paths: list[Path], models_dir: Path) -> tuple[list[LocalModel], list[str]]:
    """Import files and folders (folders: every loadable GGUF inside). Returns (added, problems)."""
    added: list[LocalModel] = []
    problems: list[str] = []
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += [q for q in sorted(p.rglob("*.gguf")) if is_loadable_gguf(q)]
            if not any(is_loadable_gguf(q) for q in p.rglob("*.gguf")):
                problems.append(translate("LibraryLocal", "{folder} holds no GGUF model.").format(folder=str(p)))
        else:
            files.append(p)
    root = models_dir.resolve()
    for f in files:
        try:
            if os.path.commonpath([root, f.resolve()]) == str(root):
                continue  # already in the models folder
            added.append(registry.add(f))
        except (ImportError_, OSError) as exc:
            problems.append(said(exc))
    return added, problems


def list_library(models_dir: Path, registry: ImportRegistry | None) -> list[LocalModel]:
    models = scan_models_dir(models_dir)
    if registry is not None:
        seen = {m.path for m in models}
        models += [m for m in registry.models() if m.path not in seen and file_kind(m.path) == MODEL]
    return models


def delete_model(model: LocalModel, models_dir: Path, registry: ImportRegistry | None) -> str:
    """Hearth's own files are deleted (all shards); imported or other apps' files are only forgotten."""
    root = models_dir.resolve()
    inside = model.source == "hearth" and os.path.commonpath([root, model.path.resolve()]) == str(root)
    if not inside:
        if registry is not None:
            registry.remove(model.path)
        return translate("LibraryLocal", "{name} was removed from the library; the file itself was left where it "
                         "is.").format(name=model.display_name)
    freed = 0
    for f in shard_files(model.path):
        freed += f.stat().st_size
        f.unlink()
    parent = model.path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
    return translate("LibraryLocal", "Deleted {name} ({size} freed).").format(name=model.display_name,
                                                                             size=human_bytes(freed))
