"""Checks a GGUF file before llama.cpp is allowed to open it.

llama.cpp trusts its input more than we do; a damaged or hostile file must give the user a clear message,
never a crash. ``validate_for_load`` runs Hearth's own header reader over the whole header (structure,
counts, offsets inside the file, known tensor types) and turns any problem into an ``EngineError``.
"""
from __future__ import annotations

from pathlib import Path

from app.core.engine import EngineError


def validate_for_load(path: Path) -> None:
    if not path.exists():
        raise EngineError(f"The model file {path} does not exist (was it moved or deleted?).")
    if not path.is_file():
        raise EngineError(f"{path} is not a file.")
    try:
        from app.core.gguf.header import GGUFError, read_header_file
    except ImportError:  # header reader not available: fall back to the magic check
        _check_magic(path)
        return
    try:
        read_header_file(path)
    except GGUFError as exc:
        raise EngineError(f"{path.name} is not a usable GGUF model: {exc}") from exc
    except OSError as exc:
        raise EngineError(f"{path.name} could not be read: {exc}") from exc


def _check_magic(path: Path) -> None:
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise EngineError(f"{path.name} could not be read: {exc}") from exc
    if len(head) < 8 or head[:4] != b"GGUF":
        raise EngineError(f"{path.name} is not a GGUF model file (wrong magic bytes).")
    version = int.from_bytes(head[4:8], "little")
    if version not in (2, 3):
        raise EngineError(f"{path.name} has unsupported GGUF version {version}.")
