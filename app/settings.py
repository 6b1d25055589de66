"""Typed settings with a schema version, stored as JSON and written atomically.

A corrupt file falls back to defaults and is kept aside as ``settings.json.bad`` so nothing the user wrote
is silently destroyed; ``Settings.load`` reports that through ``load_warning``.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

log = logging.getLogger("hearth.settings")

SCHEMA_VERSION = 1


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    models_dir: str = ""  # empty: the default under the data dir
    theme: str = "system"  # system | light | dark
    language: str = ""  # "" follows the system; "en", "tr" (app/ui/common/i18n.py LANGUAGES)
    offline_mode: bool = False
    hub_endpoint: str = ""  # empty: huggingface_hub's default (HF_ENDPOINT wins when set)
    download_parallelism: int = 1
    last_model: str = ""
    last_conversation: int = 0  # reopened at start-up (0: none)
    n_ctx: int = 4096
    n_threads: int = 0  # 0: physical cores
    n_gpu_layers: int = 0
    flash_attn: bool = False
    kv_type: str = "f16"
    auto_unload_minutes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    load_warning: str = field(default="", repr=False, compare=False)

    # --- persistence -------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> "Settings":
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("settings file does not hold an object")
            raw = migrate(raw)
            return cls._from_dict(raw)
        except (OSError, ValueError, TypeError) as exc:
            bad = path.with_name(path.name + ".bad")
            try:
                os.replace(path, bad)
            except OSError:
                pass
            s = cls()
            s.load_warning = (
                f"Your settings file could not be read ({exc}); Hearth started with default settings. "
                f"The old file was kept as {bad}."
            )
            log.warning(s.load_warning)
            return s

    @classmethod
    def _from_dict(cls, raw: dict[str, Any]) -> "Settings":
        s = cls()
        known = {f.name: f for f in fields(cls) if f.name != "load_warning"}
        for key, value in raw.items():
            f = known.get(key)
            if f is None:
                continue
            default = getattr(s, key)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"setting {key!r} must be true or false")
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"setting {key!r} must be an integer")
            elif isinstance(default, str):
                if not isinstance(value, str):
                    raise ValueError(f"setting {key!r} must be a string")
            elif isinstance(default, dict):
                if not isinstance(value, dict):
                    raise ValueError(f"setting {key!r} must be an object")
            setattr(s, key, value)
        s.schema_version = SCHEMA_VERSION
        return s

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("load_warning", None)
        return d

    def save(self, path: Path) -> None:
        atomic_write_text(path, json.dumps(self.to_dict(), indent=2, sort_keys=True))


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings dict up to SCHEMA_VERSION (one step per version)."""
    version = raw.get("schema_version", 0)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValueError(f"unknown settings schema version {version!r}")
    if version < 1:
        raw = dict(raw)
        raw["schema_version"] = 1
    return raw


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
