"""A Qt-free marker for texts made in app/core and shown in the window: ``QT_TRANSLATE_NOOP("Context", "text")``
returns ``text`` unchanged; ``pyside6-lupdate`` finds the calls by name, and the window translates the value where
it shows it (``translate("Context", value)``, app/ui/common/i18n.py). app/core never imports Qt."""
from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text
