"""Numbers, times and dates of ``app.core.units`` in the window's language: :func:`apply_language` sets the core's
Qt-free hooks (``units.set_number_format``, ``units.set_time_words``) from ``QLocale(lang)`` and makes the open
tables sort again in the language's collation. ``i18n.install_language`` calls it.

The few time words (:data:`TIME_WORDS`) are kept here, not in ``i18n/hearth_<lang>.ts``: the core writes them
and every language Hearth speaks needs them, translated or not yet.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from app.core import units

PERCENT_BEFORE = {"tr", "eu"}  # languages writing the percent sign first: "%50"

# (number, unit) phrases of units.time_ago and the abbreviations of units.format_eta, by language (English: the
# core's own words)
TIME_WORDS: dict[str, dict[str, str]] = {
    "tr": {"now": "az önce", "minutes": "{n} dakika önce", "hours": "{n} saat önce", "yesterday": "dün",
           "s": "sn", "min": "dk", "h": "sa"},
}

_STRFTIME_TO_QT = {"d": "dd", "b": "MMM", "B": "MMMM", "m": "MM", "Y": "yyyy", "y": "yy", "H": "HH", "M": "mm",
                   "S": "ss", "a": "ddd", "A": "dddd", "%": "'%'"}


def qt_date_format(strftime_format: str) -> str:
    """A ``strftime`` format ("%d %b %Y %H:%M") as a ``QLocale.toString`` one ("dd MMM yyyy HH:mm"); other text
    kept literally."""
    out, i = [], 0
    while i < len(strftime_format):
        ch = strftime_format[i]
        if ch == "%" and i + 1 < len(strftime_format):
            out.append(_STRFTIME_TO_QT.get(strftime_format[i + 1], ""))
            i += 2
            continue
        out.append(f"'{ch}'" if ch.isalpha() else ("''" if ch == "'" else ch))
        i += 1
    return "".join(out)


def apply_language(lang: str) -> None:
    """Numbers, times and table sorting in ``lang`` (after ``QLocale.setDefault``); English: the core's own
    formats, byte for byte."""
    if lang == "en":
        units.set_number_format()
        units.set_time_words()
    else:
        locale = QLocale(lang)
        units.set_number_format(locale.decimalPoint(), locale.groupSeparator(), lang in PERCENT_BEFORE)
        words = TIME_WORDS.get(lang, {})

        def ago(n: int, unit: str) -> str | None:
            said = words.get(unit)
            return said.format(n=units.number(n)) if said else None

        def date(ts: float, strftime_format: str) -> str:
            return locale.toString(QDateTime.fromSecsSinceEpoch(int(ts)), qt_date_format(strftime_format))

        labels = {k: words[k] for k in ("s", "min", "h") if k in words}
        # human_bytes(None); Qt's translate, not app.ui.common.i18n's (it imports this module)
        labels["unknown"] = QCoreApplication.translate("Units", "unknown")
        units.set_time_words(ago, labels, date)
    from app.ui.common.tables import resort_all

    resort_all()
