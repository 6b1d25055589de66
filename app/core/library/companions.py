"""A model's companions in the library: the LoRA adapters that fit it and the vision projector (mmproj) paired
with it. Adapters and projectors live in the models folder like models (``<models>/<owner>/<repo>/<file>.gguf``)
but are never offered as chat models (``gguf_kind.py`` tells them apart by their header).

- **Adapters** fit a model when llama.cpp would accept them for it (``app.core.gguf.adapters.adapter_problem``).
- **Projector pairing**, in order: a projector in the same repository folder (``<models>/<owner>/<repo>``, or the
  same folder for a file outside the models folder); else one whose file name shares the model's base name
  (``mmproj-SmolVLM-256M-Instruct-f16.gguf`` with ``SmolVLM-256M-Instruct-Q8_0.gguf``). In every case its output
  width must equal the model's ``n_embd``, which is what libmtmd checks when it opens the pair
  (``mtmd_init_from_file``: "mismatch between text model (n_embd = ...) and mmproj (n_embd = ...)").
  The width is read as llama.cpp's ``clip_n_mmproj_embd`` computes it: from the shape of the projector's last
  tensor for the common projector types, else ``clip.vision.projection_dim`` (which current converters write as
  the text model's width). Among several that fit, one sharing the model's name, then F16 before other types.

Header reads are cached by (path, size, mtime). No Qt.
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from app.core.gguf.adapters import AdapterInfo, adapter_problem, read_adapter
from app.core.gguf.header import GGUFError, read_header_file, read_model_file
from app.core.i18n import translate
from app.core.library.gguf_kind import ADAPTER, PROJECTOR, file_kind
from app.core.library.local import LocalModel, scan_models_dir
from app.core.library.names import split_quant

# clip_n_mmproj_embd (llama.cpp tools/mtmd/clip.cpp): projector type -> (tensor, dimension of its ggml shape)
_WIDTH_TENSORS = {
    "mlp": ("mm.2.weight", 1), "pixtral": ("mm.2.weight", 1), "lightonocr": ("mm.2.weight", 1),
    "ultravox": ("mm.2.weight", 1), "voxtral": ("mm.2.weight", 1), "lfm2": ("mm.2.weight", 1),
    "kimivl": ("mm.2.weight", 1), "mlp_norm": ("mm.3.bias", 0),
    "qwen2vl_merger": ("mm.1.bias", 0), "qwen2.5vl_merger": ("mm.1.bias", 0), "janus_pro": ("mm.1.bias", 0),
    "gemma3": ("mm.input_projection.weight", 0), "idefics3": ("mm.model.fc.weight", 1),
    "llama4": ("mm.model.fc.weight", 1), "internvl": ("mm.3.weight", 1), "qwen2a": ("mm.fc.weight", 1),
    "minicpmv": ("resampler.proj.weight", 0),
}
WIDTH_KEY = "clip.vision.projection_dim"
_QUALITY = {"F16": 0, "BF16": 1, "F32": 2, "Q8_0": 3}


@dataclass(frozen=True)
class ProjectorInfo:
    path: Path
    width: int | None  # the embeddings' width it outputs (must equal the text model's n_embd)
    size_bytes: int
    projector_type: str = ""
    image_size: int = 0
    patch_size: int = 0
    hidden: int = 0  # the vision tower's width
    ffn: int = 0
    layers: int = 0
    heads: int = 0
    problem: str = ""  # why llama.cpp cannot use it ("" when it can)


@dataclass
class AdapterFit:
    """One adapter of the library and the library's models it fits (``problem`` says why when none)."""
    path: Path
    info: AdapterInfo | None
    models: list[Path] = field(default_factory=list)
    problem: str = ""


@dataclass
class LibraryCompanions:
    adapters: list[AdapterFit] = field(default_factory=list)
    projectors: list[Path] = field(default_factory=list)
    adapters_of: dict[Path, list[AdapterInfo]] = field(default_factory=dict)  # model path -> adapters that fit
    projector_of: dict[Path, Path] = field(default_factory=dict)  # model path -> its paired projector


# ---- cached header reads ---------------------------------------------------------------------------------------
class _Cache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, path, read):
        p = os.fspath(path)
        try:
            st = os.stat(p)
        except OSError as exc:
            return read(p, exc)
        key = (p, st.st_size, st.st_mtime_ns)
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        value = read(p, None)
        with self.lock:
            self.data[key] = value
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


_models = _Cache(64)
_adapters = _Cache(512)
_projectors = _Cache(256)


def _read_model(p: str, err):
    if err is not None:
        return err
    try:
        return read_model_file(p)
    except (GGUFError, OSError) as exc:
        return exc


def model_header(path: str | os.PathLike):
    """The model's header (every shard), or None when it cannot be read."""
    h = _models.get(path, _read_model)
    return None if isinstance(h, Exception) else h


def model_n_embd(path: str | os.PathLike) -> int | None:
    h = model_header(path)
    n = h.arch_get("embedding_length") if h is not None else None
    return n if isinstance(n, int) and n > 0 else None


def _read_adapter(p: str, err):
    if err is not None:
        return err
    try:
        return read_adapter(p)
    except (GGUFError, OSError) as exc:
        return exc


def adapter_info(path: str | os.PathLike) -> AdapterInfo:
    """The adapter's facts (cached); ``GGUFError``/``OSError`` when it is not a usable adapter."""
    got = _adapters.get(path, _read_adapter)
    if isinstance(got, Exception):
        raise got
    return got


def _read_projector(p: str, err) -> ProjectorInfo:
    path = Path(p)
    if err is not None:
        return ProjectorInfo(path, None, 0, problem=translate("LibraryCompanions", "it could not be read: {error}")
                             .format(error=getattr(err, "strerror", "") or err))
    from app.core.engine.mtmd import projector_problem

    try:
        h = read_header_file(path)
    except (GGUFError, OSError) as exc:
        return ProjectorInfo(path, None, path.stat().st_size if path.exists() else 0,
                             problem=translate("LibraryCompanions", "it is not a usable GGUF file: {error}")
                             .format(error=exc))

    def num(key: str) -> int:
        v = h.get(f"clip.vision.{key}")
        return v if isinstance(v, int) and not isinstance(v, bool) else 0

    ptype = h.get("clip.projector_type")
    ptype = ptype if isinstance(ptype, str) else ""
    return ProjectorInfo(path, projector_width(h), h.file_size, ptype, num("image_size"), num("patch_size"),
                         num("embedding_length"), num("feed_forward_length"), num("block_count"),
                         num("attention.head_count"), problem=projector_problem(path))


def projector_info(path: str | os.PathLike) -> ProjectorInfo:
    """A projector's width, sizes and any problem (cached per file version)."""
    return _projectors.get(path, _read_projector)


def projector_width(header) -> int | None:
    """The width of the embeddings a projector outputs, as llama.cpp computes it (see the module's docstring)."""
    ptype = header.get("clip.projector_type")
    ptype = ptype if isinstance(ptype, str) else "mlp"  # llava files from before the key: an MLP projector
    shapes = {t.name: t.shape for t in header.tensors}
    name, dim = _WIDTH_TENSORS.get(ptype, ("", 0))
    if name in shapes and len(shapes[name]) > dim:
        return int(shapes[name][dim])
    v = header.get(WIDTH_KEY)
    return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None


def projector_fit_problem(projector: str | os.PathLike, model_path: str | os.PathLike) -> str | None:
    """None when the projector can be used with the model; else a sentence saying why not."""
    return projector_width_problem(projector, model_n_embd(model_path))


def chosen_projector(chosen: str, model: str | os.PathLike | None) -> str:
    """``chosen`` (a projector picked in a conversation's settings) when it is there and fits ``model`` (no model
    file yet: it is kept), else "": the caller then uses the library's pairing. One rule for the chat window's load
    and its Adapters and vision section."""
    if not chosen or not Path(chosen).is_file():
        return ""
    if model and Path(model).is_file() and projector_fit_problem(chosen, model) is not None:
        return ""
    return chosen


def projector_width_problem(projector: str | os.PathLike, n_embd: int | None) -> str | None:
    """None when the projector can be used with a model whose embeddings are ``n_embd`` wide (None: its header
    could not be read); else a sentence saying why not. ``hearth fit`` passes the width of a model it read over
    the network."""
    info = projector_info(projector)
    name = Path(projector).name
    if info.problem:
        return translate("LibraryCompanions", "{file} cannot be used as a vision projector: {problem}.") \
            .format(file=name, problem=info.problem)
    if n_embd is None:
        return translate("LibraryCompanions", "The model's header could not be read, so {file} cannot be checked "
                         "against it.").format(file=name)
    if info.width is None:
        return translate("LibraryCompanions", "{file} does not say how wide its output is, so it cannot be checked "
                         "against this model.").format(file=name)
    if info.width != n_embd:
        return translate("LibraryCompanions", "{file} does not fit this model: it makes embeddings {width} wide, and "
                         "this model's are {n_embd} (it was made for another model).") \
            .format(file=name, width=info.width, n_embd=n_embd)
    return None


# ---- what the library holds ----------------------------------------------------------------------------------------
@dataclass
class _Library:
    models_dir: Path | None
    models: list[LocalModel]
    adapters: list[Path]
    projectors: list[Path]


def _walk(models_dir: Path) -> tuple[list[Path], list[Path]]:
    adapters: list[Path] = []
    projectors: list[Path] = []
    if not models_dir.is_dir():
        return adapters, projectors
    for root, dirs, files in os.walk(models_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .partial downloads, .quarantine
        for name in sorted(files):
            if not name.lower().endswith(".gguf"):
                continue
            p = Path(root) / name
            kind = file_kind(p)
            if kind == ADAPTER:
                adapters.append(p)
            elif kind == PROJECTOR:
                projectors.append(p)
    return adapters, projectors


def _library(library) -> _Library:
    """``library``: a ``ModelCatalog`` (its folder and imported files) or a models folder."""
    if isinstance(library, (str, os.PathLike)):
        md = Path(library)
        adapters, projectors = _walk(md)
        return _Library(md, scan_models_dir(md), adapters, projectors)
    md = Path(library.models_dir)
    adapters, projectors = _walk(md)
    registry = getattr(library, "registry", None)
    if registry is not None:  # adapters and projectors the user imported from elsewhere
        for m in registry.models():
            kind = file_kind(m.path)
            if kind == ADAPTER and m.path not in adapters:
                adapters.append(m.path)
            elif kind == PROJECTOR and m.path not in projectors:
                projectors.append(m.path)
    return _Library(md, library.models(), adapters, projectors)


def _repo_folder(p: Path, models_dir: Path | None) -> Path:
    """``<models>/<owner>/<repo>`` for a file in the models folder (at any depth below it), else its folder."""
    if models_dir is not None:
        try:
            rel = p.relative_to(models_dir)
        except ValueError:
            rel = None
        if rel is not None and len(rel.parts) >= 3:
            return models_dir / rel.parts[0] / rel.parts[1]
    return p.parent


_MMPROJ = re.compile(r"(?:^|[-_.\s])mmproj(?:[-_.\s]|$)", re.IGNORECASE)


def base_name(filename: str) -> str:
    """A file's model name without quantization, shard suffix or "mmproj", for matching:
    ``mmproj-SmolVLM-256M-Instruct-f16.gguf`` and ``SmolVLM-256M-Instruct-Q8_0.gguf`` give the same."""
    stem = filename[:-5] if filename.lower().endswith(".gguf") else filename
    stem = re.sub(r"-\d{5}-of-\d{5}$", "", stem)
    stem, _q = split_quant(stem)
    stem = _MMPROJ.sub("-", stem)
    return re.sub(r"[-_.\s]+", "-", stem).strip("-").lower()


def _beside(model_path: Path) -> list[Path]:
    """Projectors in the model's own folder (a model imported or adopted from elsewhere keeps its mmproj there)."""
    try:
        names = sorted(os.listdir(model_path.parent))
    except OSError:
        return []
    return [model_path.parent / n for n in names if n.lower().endswith(".gguf")
            and file_kind(model_path.parent / n) == PROJECTOR]


def _pick(candidates: list[Path], model_path: Path) -> Path:
    base = base_name(model_path.name)

    def rank(p: Path):
        q = split_quant(p.name[:-5] if p.name.lower().endswith(".gguf") else p.name)[1]
        return (base_name(p.name) != base, _QUALITY.get(q, 9), p.name.lower())

    return min(candidates, key=rank)


def _projector_for(model_path: Path, lib: _Library) -> Path | None:
    candidates = list(dict.fromkeys([*lib.projectors, *_beside(model_path)]))
    n_embd = model_n_embd(model_path) if candidates else None  # the usual library has none: no header read
    if n_embd is None:
        return None
    fitting = [p for p in candidates if (i := projector_info(p)).width == n_embd and not i.problem]
    if not fitting:
        return None
    folder = _repo_folder(model_path, lib.models_dir)
    same = [p for p in fitting if _repo_folder(p, lib.models_dir) == folder]
    if same:
        return _pick(same, model_path)
    base = base_name(model_path.name)
    named = [p for p in fitting if base and base_name(p.name) == base]
    return _pick(named, model_path) if named else None


def _adapters_for(model_path: Path, lib: _Library) -> list[AdapterInfo]:
    base = model_header(model_path)
    if base is None:
        return []
    out = []
    for p in lib.adapters:
        try:
            info = adapter_info(p)
        except (GGUFError, OSError):
            continue
        if adapter_problem(info, base) is None:
            out.append(info)
    return out


# ---- the API -------------------------------------------------------------------------------------------------------
def adapters_for(model_path: str | os.PathLike, library) -> list[AdapterInfo]:
    """The LoRA adapters in ``library`` (a ``ModelCatalog`` or a models folder) that llama.cpp will accept for the
    model at ``model_path``, sorted by path; [] when its header cannot be read."""
    return _adapters_for(Path(model_path), _library(library))


def projector_for(model_path: str | os.PathLike, library) -> Path | None:
    """The vision projector paired with the model at ``model_path`` (the rules above), or None."""
    return _projector_for(Path(model_path), _library(library))


def library_companions(library) -> LibraryCompanions:
    """Every adapter and projector of the library with the models they go with, for the Library tab: each
    adapter with the models it fits or, when none, why (the reason given for a model of its architecture)."""
    lib = _library(library)
    out = LibraryCompanions(projectors=list(lib.projectors))
    for m in lib.models:
        out.adapters_of[m.path] = []
        proj = _projector_for(m.path, lib)
        if proj is not None:
            out.projector_of[m.path] = proj
    # the models' headers only when there are adapters to check (the usual library has none)
    headers = {m.path: model_header(m.path) for m in lib.models} if lib.adapters else {}
    for p in lib.adapters:
        try:
            info = adapter_info(p)
        except (GGUFError, OSError) as exc:
            out.adapters.append(AdapterFit(p, None, problem=translate(
                "LibraryCompanions", "It is not a usable LoRA adapter: {error}").format(error=exc)))
            continue
        fit = AdapterFit(p, info)
        first_problem = ""
        for m in lib.models:
            h = headers[m.path]
            if h is None:
                continue
            problem = adapter_problem(info, h)
            if problem is None:
                fit.models.append(m.path)
                out.adapters_of[m.path].append(info)
            elif not first_problem and h.architecture == info.architecture:
                first_problem = translate("LibraryCompanions", "{problem} (checked against {model}).") \
                    .format(problem=problem.rstrip("."), model=m.display_name)
        if not fit.models:
            if first_problem:
                fit.problem = first_problem
            elif info.base_name:
                fit.problem = translate("LibraryCompanions", "It was made for {arch} models ({base}); the library has "
                                        "no {arch} model.").format(arch=info.architecture, base=info.base_name)
            else:
                fit.problem = translate("LibraryCompanions", "It was made for {arch} models; the library has no "
                                        "{arch} model.").format(arch=info.architecture)
        out.adapters.append(fit)
    return out
