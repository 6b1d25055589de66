"""Checks a GGUF file before llama.cpp is allowed to open it.

llama.cpp trusts its input more than we do; a damaged or hostile file must give the user a clear message,
never a crash. ``validate_for_load`` runs Hearth's own header reader over the whole header of every shard
(structure, counts, offsets inside the file, known tensor types, sizes consistent with the file length) and
turns any problem into an ``EngineError``. It reads headers only (a few MB at most), never the weights.
"""
from __future__ import annotations

from pathlib import Path

from app.core.engine import EngineError
from app.core.gguf.header import GGUFError, GGUFModel, read_model_file


def validate_for_load(path: Path) -> GGUFModel:
    path = Path(path)
    if not path.exists():
        raise EngineError(f"The model file {path} does not exist (was it moved or deleted?).")
    if not path.is_file():
        raise EngineError(f"{path} is not a file.")
    try:
        return read_model_file(path)
    except GGUFError as exc:
        raise EngineError(f"{path.name} is not a usable GGUF model: {exc}") from exc
    except OSError as exc:
        raise EngineError(f"{path.name} could not be read: {exc.strerror or exc}") from exc
