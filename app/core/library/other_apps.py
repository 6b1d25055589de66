"""Models you already have: GGUF files in the Hugging Face cache, LM Studio's models folder and Ollama's blob
store. They are offered in place (never copied). Every function takes its root folder, so tests build the
stores in a temporary folder; :func:`default_roots` says where they are on this computer."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from app.core.library.local import LocalModel, is_loadable_gguf

log = logging.getLogger("hearth.library")

OLLAMA_MODEL_MEDIA = "application/vnd.ollama.image.model"


@dataclass
class StoreRoots:
    hf_cache: Path | None
    lm_studio: list[Path]
    ollama: Path | None


def default_roots(env: dict[str, str] | None = None, home: Path | None = None) -> StoreRoots:
    env = os.environ if env is None else env
    home = home or Path.home()
    if env.get("HF_HUB_CACHE"):
        hf = Path(env["HF_HUB_CACHE"])
    elif env.get("HF_HOME"):
        hf = Path(env["HF_HOME"]) / "hub"
    else:
        hf = Path(env.get("XDG_CACHE_HOME") or home / ".cache") / "huggingface" / "hub"
    lms = [home / ".lmstudio" / "models", home / ".cache" / "lm-studio" / "models"]
    ollama = Path(env["OLLAMA_MODELS"]) if env.get("OLLAMA_MODELS") else home / ".ollama" / "models"
    return StoreRoots(hf_cache=hf, lm_studio=lms, ollama=ollama)


def _magic_ok(p: Path) -> bool:
    try:
        with open(p, "rb") as f:
            return f.read(4) == b"GGUF"
    except OSError:
        return False


def hf_cache_models(root: Path) -> list[LocalModel]:
    """``models--owner--name/snapshots/<rev>/**.gguf`` (symlinks into ``blobs/``); one entry per blob."""
    out: list[LocalModel] = []
    seen: set[Path] = set()
    if not root or not root.is_dir():
        return out
    for repo_dir in sorted(root.glob("models--*")):
        parts = repo_dir.name.split("--")
        if len(parts) < 3:
            continue
        repo_id = f"{parts[1]}/{'--'.join(parts[2:])}"
        for p in sorted(repo_dir.glob("snapshots/*/**/*.gguf")):
            if not is_loadable_gguf(p):
                continue
            try:
                real = p.resolve(strict=True)
                size = real.stat().st_size
            except OSError:
                continue  # dangling link: an unfinished download in the cache
            if real in seen or not _magic_ok(real):
                continue
            seen.add(real)
            rel = p.relative_to(next(s for s in p.parents if s.parent.name == "snapshots"))
            out.append(LocalModel(path=p, repo_id=repo_id, filename=str(rel), size=size, source="hf-cache"))
    return out


def lm_studio_models(roots: list[Path]) -> list[LocalModel]:
    """``<root>/<publisher>/<repo>/<file>.gguf``"""
    out: list[LocalModel] = []
    for root in roots:
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*.gguf")):
            if not is_loadable_gguf(p) or not p.is_file() or not _magic_ok(p):
                continue
            rel = p.relative_to(root)
            repo_id = "/".join(rel.parts[:2]) if len(rel.parts) >= 3 else ""
            out.append(LocalModel(path=p, repo_id=repo_id, filename=p.name, size=p.stat().st_size,
                                  source="lm-studio"))
    return out


def ollama_models(root: Path) -> list[LocalModel]:
    """Ollama keeps models as content-addressed blobs; its manifests name them
    (``manifests/<registry>/<namespace>/<model>/<tag>`` → layer of type ``image.model`` → ``blobs/sha256-…``)."""
    out: list[LocalModel] = []
    manifests = root / "manifests" if root else None
    if manifests is None or not manifests.is_dir():
        return out
    for mf in sorted(p for p in manifests.rglob("*") if p.is_file()):
        try:
            data = json.loads(mf.read_text(encoding="utf-8"))
            layers = data.get("layers", [])
        except (OSError, ValueError, AttributeError):
            continue
        rel = mf.relative_to(manifests).parts  # registry, namespace, model, tag
        if len(rel) < 4:
            continue
        registry, namespace, model, tag = rel[0], rel[1], rel[-2], rel[-1]
        name = f"{model}:{tag}" if (registry, namespace) == ("registry.ollama.ai", "library") else \
            f"{registry}/{namespace}/{model}:{tag}"
        for layer in layers if isinstance(layers, list) else []:
            if not isinstance(layer, dict) or layer.get("mediaType") != OLLAMA_MODEL_MEDIA:
                continue
            digest = str(layer.get("digest", ""))
            if not digest.startswith("sha256:") or not all(c in "0123456789abcdef" for c in digest[7:]):
                continue
            blob = root / "blobs" / digest.replace(":", "-")
            if blob.is_file() and _magic_ok(blob):
                out.append(LocalModel(path=blob, repo_id="", filename=blob.name, size=blob.stat().st_size,
                                      source="ollama", label=f"{name} (Ollama)"))
    return out


def discover(roots: StoreRoots) -> list[LocalModel]:
    found: list[LocalModel] = []
    for fn, arg in ((hf_cache_models, roots.hf_cache), (lm_studio_models, roots.lm_studio),
                    (ollama_models, roots.ollama)):
        try:
            found += fn(arg)
        except OSError as exc:  # a permission problem in one store must not hide the others
            log.warning("could not scan %s: %s", arg, exc)
    return found
