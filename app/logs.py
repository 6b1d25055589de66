"""Logging: one named logger per subsystem (``hearth.engine``, ``hearth.download`` ...), a rotating log file
in the log dir, and an in-memory tail of recent lines for crash reports."""
from __future__ import annotations

import collections
import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"


class TailHandler(logging.Handler):
    """Keeps the last N formatted records in memory."""

    def __init__(self, capacity: int = 300) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # logging must never raise
            pass

    def text(self) -> str:
        return "\n".join(self.lines)


tail = TailHandler()


def setup_logging(log_file: Path | None, level: int = logging.INFO, console: bool = False) -> None:
    root = logging.getLogger("hearth")
    root.setLevel(level)
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    root.addHandler(tail)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        fh.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(fh)
    if console:
        sh = logging.StreamHandler()
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        sh.setLevel(logging.WARNING)
        root.addHandler(sh)
    root.propagate = False
