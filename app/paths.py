"""Where Hearth keeps its files.

Defaults come from platformdirs. The environment variable ``HEARTH_HOME`` overrides all of them with one
folder (portable installs, tests), laid out as ``config/``, ``data/`` (with ``models/`` and the chats
database) and ``logs/``. Nothing here imports Qt.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app import APP_NAME

ENV_HOME = "HEARTH_HOME"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def default_models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def chats_db(self) -> Path:
        return self.data_dir / "chats.sqlite3"

    @property
    def downloads_state(self) -> Path:
        return self.data_dir / "downloads.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "hearth.log"

    def ensure(self) -> "Paths":
        for d in (self.config_dir, self.data_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(env: dict[str, str] | None = None) -> Paths:
    env = os.environ if env is None else env
    home = env.get(ENV_HOME)
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(root / "config", root / "data", root / "logs")
    import platformdirs

    return Paths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
