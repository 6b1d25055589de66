"""The same network rules on the command line as in the app: Offline mode and the Hub endpoint from the settings,
every request recorded in the network log."""
from __future__ import annotations


def configure():
    """Apply the saved network settings; returns (paths, settings)."""
    from app.core import net
    from app.paths import resolve_paths
    from app.settings import Settings

    paths = resolve_paths().ensure()
    settings = Settings.load(paths.settings_file)
    net.configure(offline=settings.offline_mode, endpoint=settings.hub_endpoint,
                  log_path=paths.data_dir / "network_log.jsonl")
    return paths, settings
