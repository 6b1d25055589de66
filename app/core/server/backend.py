"""What the API server serves: the one loaded model, behind the engine gate.

``Backend`` is what the HTTP side needs: the loaded model's ids, the engine to use while holding the gate, and
someone to tell when the engine crashed. ``ProcessBackend`` is ``hearth serve``'s: it owns an ``EngineProcess``,
loads the model given on the command line and, after a crash, loads it again in the background (requests meanwhile
get 503 with ``Retry-After``). The window has its own backend around its engine worker (app/ui/server).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from app.core.library.names import display_name
from app.core.server.gate import EngineGate

log = logging.getLogger("hearth.server")


def model_ids(path: str | Path) -> list[str]:
    """The names a client may use for the model at ``path``; the first is the one /v1/models lists."""
    p = Path(path)
    stem = p.name[:-5] if p.name.lower().endswith(".gguf") else p.name
    ids = [stem, p.name, display_name(p.name)]
    if len(p.parts) >= 3:
        ids.append(f"{p.parts[-3]}/{p.parts[-2]}")  # owner/repo in Hearth's models folder
    return list(dict.fromkeys(ids))


class Backend:
    """The interface the HTTP side uses (every call is cheap and thread-safe)."""

    gate: EngineGate

    def model_path(self) -> str | None:
        """The loaded model's file, None when none is loaded or the engine is starting again."""
        raise NotImplementedError

    def engine(self):
        """The engine to use while holding the gate (an EngineProcess), or None."""
        raise NotImplementedError

    def crashed(self, exc: Exception) -> None:
        """The engine died serving a request: start it again."""

    def retry_after_s(self) -> int:
        return 5

    def resolve(self, name: str) -> bool:
        path = self.model_path()
        return path is not None and name.strip().lower() in {i.lower() for i in model_ids(path)}


class SharedBackend(Backend):
    """The window's: the engine its chat uses (the engine worker's EngineProcess and gate). ``ready()`` says
    whether a model is loaded and serving; ``on_crash(exc)`` asks the engine's owner to start it again."""

    def __init__(self, gate: EngineGate, engine: Callable[[], object], ready: Callable[[], bool],
                 on_crash: Callable[[Exception], None]) -> None:
        self.gate = gate
        self._engine = engine
        self._ready = ready
        self._on_crash = on_crash

    def model_path(self) -> str | None:
        if not self._ready():
            return None
        return getattr(self._engine(), "path", None) or None

    def engine(self):
        return self._engine() if self._ready() else None

    def crashed(self, exc: Exception) -> None:
        self._on_crash(exc)


class ProcessBackend(Backend):
    """``hearth serve``: one EngineProcess, loaded once and loaded again after a crash."""

    def __init__(self, engine, path: str | Path | None, options, gate: EngineGate | None = None) -> None:
        self.gate = gate or EngineGate()
        self._engine = engine
        self._path = str(path) if path else None
        self._options = options
        self._ready = threading.Event()
        self._restarts = 0
        self.last_error = ""

    def start(self) -> None:
        """Load the model (raises EngineError: the command line says why and exits)."""
        if self._path:
            self._engine.load(self._path, self._options)
            self._ready.set()

    def model_path(self) -> str | None:
        return self._path if self._ready.is_set() else None

    def engine(self):
        return self._engine if self._ready.is_set() else None

    def crashed(self, exc: Exception) -> None:
        if not self._ready.is_set():
            return
        self._ready.clear()
        self._restarts += 1
        log.error("the engine crashed (%s); loading %s again", exc, self._path)
        threading.Thread(target=self._reload, name="engine-restart", daemon=True).start()

    def _reload(self) -> None:
        with self.gate.turn("restart"):
            try:
                self._engine.load(self._path, self._options)
                self._ready.set()
                log.info("the engine is back")
            except Exception as exc:  # logged; requests keep getting 503 with the reason
                self.last_error = str(exc)
                log.error("could not load the model again: %s", exc)

    def retry_after_s(self) -> int:
        return 3

    def close(self) -> None:
        self._ready.clear()
        self._engine.unload()
