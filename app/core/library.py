"""Local models: the GGUF files under Hearth's models folder (``<models>/<owner>/<repo>/<file>.gguf``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHARD_RE = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)


@dataclass(frozen=True)
class LocalModel:
    path: Path
    repo_id: str  # "owner/repo" when it sits at <models>/<owner>/<repo>/, else ""
    filename: str
    size: int

    @property
    def display_name(self) -> str:
        return f"{self.repo_id}/{self.filename}" if self.repo_id else self.filename


def is_loadable_gguf(path: Path) -> bool:
    """A model file llama.cpp can be pointed at: not a projector, not a later shard, not a partial download."""
    name = path.name.lower()
    if not name.endswith(".gguf") or "mmproj" in name:
        return False
    m = SHARD_RE.search(path.name)
    return not (m and int(m.group(1)) != 1)


def scan_models_dir(models_dir: Path) -> list[LocalModel]:
    out: list[LocalModel] = []
    if not models_dir.is_dir():
        return out
    for p in sorted(models_dir.rglob("*.gguf")):
        if not p.is_file() or not is_loadable_gguf(p):
            continue
        rel = p.relative_to(models_dir)
        repo_id = "/".join(rel.parts[:2]) if len(rel.parts) >= 3 else ""
        size = p.stat().st_size
        m = SHARD_RE.search(p.name)
        if m:
            size = sum(s.stat().st_size for s in p.parent.glob(SHARD_RE.sub("", p.name) + "-*-of-" + m.group(2) + ".gguf"))
        out.append(LocalModel(path=p, repo_id=repo_id, filename=p.name, size=size))
    return out


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"
