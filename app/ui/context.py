"""What every page of the window shares: the folders, the user's settings, start-up notices, and where resources
are. Made once by :func:`make_context`; the pages receive it and never reach back into the application."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.paths import Paths, resolve_paths
from app.settings import Settings

log = logging.getLogger("hearth.ui")

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Resources next to the source tree, or inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", "")) / "resources" if getattr(sys, "frozen", False) else RESOURCES
    return base.joinpath(*parts)


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    messages: list[str] = field(default_factory=list)  # start-up notices to show the user
    _offline: object = field(default=None, repr=False, compare=False)
    _library: object = field(default=None, repr=False, compare=False)
    _backends: object = field(default=None, repr=False, compare=False)

    @property
    def offline(self):
        """The owner of Offline mode (:class:`app.ui.common.offline.OfflineState`), made on first use."""
        if self._offline is None:
            from app.ui.common.offline import OfflineState

            self._offline = OfflineState(self)
        return self._offline

    @property
    def library(self):
        """The owner of the model catalog (:class:`app.ui.common.catalog_state.CatalogState`): ``.catalog`` is the
        one list of local models every page reads, ``.changed`` fires when it changed."""
        if self._library is None:
            from app.core.library.catalog import ModelCatalog
            from app.ui.common.catalog_state import CatalogState

            self._library = CatalogState(ModelCatalog(self.models_dir, self.paths.data_dir / "library.json"))
        return self._library

    @property
    def backends(self):
        """The owner of the remote backends (:class:`app.ui.common.backends_state.BackendsState`): ``.store`` is
        the list (and their keys), ``.changed`` fires when a backend was added, refreshed or removed."""
        if self._backends is None:
            from app.core.remote import BackendStore
            from app.ui.common.backends_state import BackendsState

            self._backends = BackendsState(BackendStore(self.paths.data_dir, self.paths.config_dir))
        return self._backends

    @property
    def models_dir(self) -> Path:
        return Path(self.settings.models_dir) if self.settings.models_dir else self.paths.default_models_dir

    def save_settings(self) -> None:
        try:
            self.settings.save(self.paths.settings_file)
        except OSError as exc:
            log.error("could not save settings: %s", exc)


def make_context(paths: Paths | None = None) -> AppContext:
    paths = (paths or resolve_paths()).ensure()
    settings = Settings.load(paths.settings_file)
    ctx = AppContext(paths=paths, settings=settings)
    if settings.load_warning:
        ctx.messages.append(settings.load_warning)
    ctx.models_dir.mkdir(parents=True, exist_ok=True)
    return ctx
