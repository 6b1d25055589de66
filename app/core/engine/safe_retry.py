"""After the engine crashed while loading a model or reading a prompt: the safe settings to retry with, and
the memory of what worked for that model on this machine (so the next load uses it without another crash)."""
from __future__ import annotations

import dataclasses
import json
import logging
import threading
from pathlib import Path

from app.core.engine.generation import LoadOptions
from app.core.i18n import translate
from app.settings import atomic_write_text

log = logging.getLogger("hearth.engine")

SAFE_MAX_CTX = 2048
SAFE_MAX_BATCH = 256


def safe_options(options: LoadOptions) -> LoadOptions:
    """CPU only, a smaller context and batch, f16 KV without flash attention, and the probe's safe CPU
    configuration (no weight repacking or AMX); the chat format is kept."""
    return dataclasses.replace(options, n_gpu_layers=0, n_ctx=min(options.n_ctx, SAFE_MAX_CTX),
                               n_batch=min(options.n_batch, SAFE_MAX_BATCH), flash_attn=False, kv_type="f16",
                               safe_cpu=True)


def describe(options: LoadOptions) -> str:
    """The safe settings in words (the window offers them after a crash)."""
    return translate("EngineSafeRetry", "CPU only, context {n_ctx:,} tokens, KV cache f16, no flash attention, "
                     "no weight repacking").format(n_ctx=options.n_ctx)


def _key(model: str | Path) -> str:
    p = Path(model)
    try:
        return f"{p.resolve()}|{p.stat().st_size}"
    except OSError:
        return str(p)


class SafeSettings:
    """``{model file: the load options that worked after a crash}``, kept in one JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def remembered(self, model: str | Path) -> LoadOptions | None:
        entry = self._read().get(_key(model))
        if not isinstance(entry, dict):
            return None
        names = {f.name for f in dataclasses.fields(LoadOptions)}
        try:
            return LoadOptions(**{k: v for k, v in entry.items() if k in names})
        except TypeError:
            return None

    def remember(self, model: str | Path, options: LoadOptions) -> None:
        self._change(model, dataclasses.asdict(options))

    def forget(self, model: str | Path) -> None:
        self._change(model, None)

    def _change(self, model: str | Path, value: dict | None) -> None:
        if self.path is None:
            return
        with self._lock:
            data = self._read()
            if value is None:
                data.pop(_key(model), None)
            else:
                data[_key(model)] = value
            try:
                atomic_write_text(self.path, json.dumps(data, indent=2, sort_keys=True))
            except OSError as exc:
                log.warning("could not save the safe settings: %s", exc)
