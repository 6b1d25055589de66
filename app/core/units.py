"""How Hearth writes sizes, counts and times for people: one convention everywhere.

Sizes are 1024-based with binary units (KiB, MiB, GiB, TiB), as llama.cpp prints its buffers, so the free RAM
in the status bar, the Hardware page, a download's size and ``hearth fit`` read the same.

The window's language changes how numbers and times are written (Turkish: "1,5 GiB", "12.345", "%50",
"5 dakika önce"). app/core stays Qt-free, so the window sets that here through two hooks, which
``app.ui.common.i18n.install_language`` calls (via ``app.ui.common.locale_format.apply_language``):

- :func:`set_number_format` (decimal point, thousands separator, percent sign before the number or after);
- :func:`set_time_words` (the words of :func:`time_ago` and :func:`format_eta`, and how dates are written).

Without them (the command line, tests, English) everything is written exactly as before.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberFormat:
    decimal_point: str = "."
    group_separator: str = ","
    percent_before: bool = False  # Turkish writes "%50"


ENGLISH = NumberFormat()
_fmt = ENGLISH
# (n, unit) -> the phrase, unit one of "now", "minutes", "hours", "yesterday"; None: the English words
_ago: Callable[[int, str], str | None] | None = None
_labels: Mapping[str, str] = {}  # format_eta's "s", "min", "h" and human_bytes' "unknown" in the language
_date: Callable[[float, str], str] | None = None  # (timestamp, strftime format) -> the date in the language


def set_number_format(decimal_point: str = ".", group_separator: str = ",", percent_before: bool = False) -> None:
    """How numbers are written from now on (no arguments: English, "1,234.5" and "50%")."""
    global _fmt
    _fmt = NumberFormat(decimal_point, group_separator, percent_before)


def number_format() -> NumberFormat:
    return _fmt


def set_time_words(ago: Callable[[int, str], str | None] | None = None, labels: Mapping[str, str] | None = None,
                   date: Callable[[float, str], str] | None = None) -> None:
    """The words :func:`time_ago` and :func:`format_eta` use from now on (no arguments: English).

    ``ago(n, unit)`` gives the phrase for ``unit`` "now" (n 0), "minutes", "hours" or "yesterday" (n 1), the
    number written by the function (:func:`number` writes it in the language); None keeps the English phrase
    (English has no "yesterday": it writes the date). ``labels`` maps format_eta's "s", "min", "h" to the
    language's abbreviations, and "unknown" to the word :func:`human_bytes` writes for an unknown size.
    ``date(ts, strftime_format)`` writes a date older than that."""
    global _ago, _labels, _date
    _ago, _labels, _date = ago, dict(labels or {}), date


def _localize(text: str) -> str:
    """``text`` written by Python's English format (``1,234.5``) in the current number format."""
    f = _fmt
    if f.decimal_point == "." and f.group_separator == ",":
        return text
    return text.translate({ord("."): "\0", ord(","): f.group_separator}).replace("\0", f.decimal_point)


def number(n: float, decimals: int = 0) -> str:
    """``12,345`` (``12.345`` in Turkish); with ``decimals``, ``1,234.50``."""
    return _localize(f"{n:,.{decimals}f}") if decimals or not isinstance(n, int) else _localize(f"{n:,}")


def percent(fraction: float, decimals: int = 0) -> str:
    """``fraction`` (0.5) as a percentage: ``50%`` (``%50`` in Turkish), as Python's ``f"{x:.0%}"``."""
    text = _localize(f"{fraction:.{decimals}%}"[:-1])
    return "%" + text if _fmt.percent_before else text + "%"


def human_bytes(n: float | None) -> str:
    if n is None:
        return _labels.get("unknown", "unknown")
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return _localize(f"{n:.0f} {unit}" if unit in ("B", "KiB") else f"{n:.1f} {unit}")
        n /= 1024
    return _localize(f"{n:.1f} TiB")


def human_params(n: int) -> str:
    """A parameter count: ``1.5B``, ``135M``; ``—`` when unknown."""
    if n <= 0:
        return "—"
    return _localize(f"{n / 1e9:.1f}B" if n >= 1e9 else f"{n / 1e6:.0f}M")


def _label(unit: str) -> str:
    return _labels.get(unit, unit)


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    s, m, h = _label("s"), _label("min"), _label("h")
    if seconds < 60:
        return f"{seconds} {s}"
    if seconds < 3600:
        return f"{seconds // 60} {m} {seconds % 60:02d} {s}"
    return f"{seconds // 3600} {h} {seconds % 3600 // 60:02d} {m}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 model``, ``2 models``, ``1,024 tokens``: a number with its noun in the right form."""
    return f"{number(n)} {singular if n == 1 else (plural_form or singular + 's')}"


_ENGLISH_AGO = {"now": "just now", "minutes": "{n} min ago", "hours": "{n} h ago"}


def time_ago(ts: float, now: float | None = None, date_format: str = "%d %b %Y") -> str:
    """When ``ts`` was, for people: "just now", "12 min ago", "3 h ago", then the date (``date_format``); in a
    language whose words say "yesterday" (Turkish "dün"), that for a time 1 to 2 days ago on yesterday's date."""
    import time

    now = time.time() if now is None else now
    d = now - ts
    if d < 60:
        unit, n = "now", 0
    elif d < 3600:
        unit, n = "minutes", int(d // 60)
    elif d < 86400:
        unit, n = "hours", int(d // 3600)
    elif d < 2 * 86400 and _ago is not None and _is_yesterday(ts, now):
        unit, n = "yesterday", 1
    else:
        return _date(ts, date_format) if _date is not None else time.strftime(date_format, time.localtime(ts))
    said = _ago(n, unit) if _ago is not None else None
    if said is None:
        if unit == "yesterday":
            return _date(ts, date_format) if _date is not None else time.strftime(date_format, time.localtime(ts))
        said = _ENGLISH_AGO[unit].format(n=n)
    return said


def _is_yesterday(ts: float, now: float) -> bool:
    import datetime

    day = datetime.date.fromtimestamp(ts)
    return day == datetime.date.fromtimestamp(now) - datetime.timedelta(days=1)
