"""How Hearth writes sizes, counts and times for people: one convention everywhere.

Sizes are 1024-based with binary units (KiB, MiB, GiB, TiB), as llama.cpp prints its buffers, so the free RAM
in the status bar, the Hardware page, a download's size and ``hearth fit`` read the same.
"""
from __future__ import annotations


def human_bytes(n: float | None) -> str:
    if n is None:
        return "unknown"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit in ("B", "KiB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def human_params(n: int) -> str:
    """A parameter count: ``1.5B``, ``135M``; ``—`` when unknown."""
    if n <= 0:
        return "—"
    return f"{n / 1e9:.1f}B" if n >= 1e9 else f"{n / 1e6:.0f}M"


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 model``, ``2 models``, ``1,024 tokens``: a number with its noun in the right form."""
    return f"{n:,} {singular if n == 1 else (plural_form or singular + 's')}"


def time_ago(ts: float, now: float | None = None, date_format: str = "%d %b %Y") -> str:
    """When ``ts`` was, for people: "just now", "12 min ago", "3 h ago", then the date (``date_format``)."""
    import time

    d = (time.time() if now is None else now) - ts
    if d < 60:
        return "just now"
    if d < 3600:
        return f"{int(d // 60)} min ago"
    if d < 86400:
        return f"{int(d // 3600)} h ago"
    return time.strftime(date_format, time.localtime(ts))
