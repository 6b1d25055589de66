"""Downloads: the resumable, verified downloader, the persisted queue and file hashing. See README.md here for the map."""
from app.core.downloads.downloader import (  # noqa: F401
    REVISION_GONE,
    PARTIAL_DIR,
    QUARANTINE_DIR,
    Cancelled,
    FileTarget,
    TargetPaths,
    target_paths,
    partial_size,
    discard_partial,
    lfs_metadata,
    Downloader,
    quarantine,
    state_dict,
)

__all__ = [
    "REVISION_GONE",
    "PARTIAL_DIR",
    "QUARANTINE_DIR",
    "Cancelled",
    "FileTarget",
    "TargetPaths",
    "target_paths",
    "partial_size",
    "discard_partial",
    "lfs_metadata",
    "Downloader",
    "quarantine",
    "state_dict",
]
