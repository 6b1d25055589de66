"""How Hearth starts another copy of itself: the engine process, the engine probe, the llama.cpp build check.

From source: ``python -m app ...`` with this checkout on ``PYTHONPATH``; in the PyInstaller bundle: the
bundle's own executable (``sys.executable``), whose ``app.cli.main`` reads the same arguments.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def hearth_argv() -> list[str]:
    """The command prefix that runs ``app.cli.main``; append its arguments."""
    return [sys.executable] if frozen() else [sys.executable, "-m", "app"]


def hearth_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for such a process: ``base`` (default: ours) with this checkout importable."""
    env = dict(os.environ if base is None else base)
    if not frozen():
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env
