"""Hearth's languages: Qt's translation system with explicit contexts, the language setting, and switching the
language of the open window without a restart.

- Strings are marked with :func:`translate` (``translate("ChatPage", "Send")``; plurals ``translate("ChatPage",
  "%n message(s)", None, n)``, which in English gives "1 message", "2 messages") or, kept in tables and
  constants, with ``QT_TRANSLATE_NOOP("Context", "text")`` and
  translated where shown. ``pyside6-lupdate`` finds both by name and writes ``i18n/hearth_<lang>.ts``; PySide's
  ``self.tr()`` is not used (it takes the context from the runtime class, so a base class's strings vanish in
  subclasses).
- ``i18n/hearth_<lang>.ts`` is compiled by ``pyside6-lrelease`` (``make i18n``, part of ``make run``/``test``/
  ``package``) into ``resources/i18n/hearth_<lang>.qm`` (build output, not in git). Qt's own ``qtbase_<lang>.qm``
  is loaded too, so standard dialogs speak the same language.
- :func:`switch_language` installs the new translators, then puts the new language's text into every open widget
  whose text came from :func:`translate` (app.core.i18n's map from each shown text to how it was made), and Qt
  sends every widget a ``LanguageChange`` event: pages with texts made from numbers refresh them there.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.core.i18n import Text, english_plural, made_texts, set_translator
from app.core.i18n import translate as core_translate

log = logging.getLogger("hearth.i18n")

__all__ = ["LANGUAGES", "QT_TRANSLATE_NOOP", "current_language", "install_language", "language_for",
           "switch_language", "translate"]

LANGUAGES = {"en": "English", "tr": "Türkçe"}  # code -> the language's own name (shown in the settings)
_installed: list[QTranslator] = []
_current = "en"


def _qt_translate(context: str, source: str, disambiguation: str | None, n: int) -> str:
    # English, or a string not translated yet: "%n model(s)" -> "1 model", "2 models"
    return english_plural(QCoreApplication.translate(context, source, disambiguation, n), n)


set_translator(_qt_translate)  # texts made in app/core (app.core.i18n) come out in the window's language too


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> Text:
    """``source`` in the current language (``%n`` replaced by ``n`` for plurals), as app.core.i18n's Text: its
    ``.format(...)`` remembers the values, so a language switch can make the filled-in sentence again."""
    return core_translate(context, source, disambiguation, n)


def qm_dir() -> Path:
    """resources/i18n beside the source tree, or inside a PyInstaller bundle (as app.ui.context.resource_path)."""
    import sys

    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", "")) / "resources" / "i18n"
    return Path(__file__).resolve().parents[3] / "resources" / "i18n"


def language_for(setting: str) -> str:
    """The language to use: the setting's ("en", "tr"), or with "" the system's when Hearth speaks it, else
    English."""
    if setting in LANGUAGES:
        return setting
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


def current_language() -> str:
    return _current


def install_language(lang: str) -> str:
    """Load ``lang``'s translations into the application (English: none). Returns the language installed: English
    when its translations are missing (a source checkout without ``make i18n``: said in the log)."""
    global _current
    app = QCoreApplication.instance()
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang != "en":
        ours = QTranslator(app)
        if not ours.load(f"hearth_{lang}", str(qm_dir())):
            log.warning("no translations for %r in %s (run `make i18n`): staying in English", lang, qm_dir())
            lang = "en"
        else:
            app.installTranslator(ours)
            _installed.append(ours)
            qt = QTranslator(app)
            if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
                app.installTranslator(qt)
                _installed.append(qt)
    QLocale.setDefault(QLocale(lang))
    from app.ui.common.locale_format import apply_language

    apply_language(lang)  # numbers, times (app.core.units' hooks) and table sorting in the language
    _current = lang
    return lang


def switch_language(lang: str) -> str:
    """Install ``lang`` and re-translate the open window's texts that came from :func:`translate`."""
    from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QGroupBox, QLabel,
                                   QLineEdit, QPlainTextEdit, QTabWidget, QTextEdit)

    old = made_texts()  # how each shown text was made (app.core.i18n.Text), read before the switch
    lang = install_language(lang)

    def again(text: str) -> str | None:
        made = old.get(text)
        return str(made.again()) if made is not None else None

    def redo(getter, setter) -> None:
        value = getter()
        if value:
            new = again(value)
            if new is not None and new != value:
                setter(new)

    locale = QLocale(lang)
    for w in QApplication.allWidgets():
        if isinstance(w, QAbstractSpinBox):  # made before the switch: they keep the locale they were made with
            w.setLocale(locale)
        redo(w.toolTip, w.setToolTip)
        redo(w.accessibleName, w.setAccessibleName)
        redo(w.accessibleDescription, w.setAccessibleDescription)
        redo(w.whatsThis, w.setWhatsThis)
        if w.isWindow():
            redo(w.windowTitle, w.setWindowTitle)
        if isinstance(w, (QLabel, QAbstractButton)):
            redo(w.text, w.setText)
        if isinstance(w, QGroupBox):
            redo(w.title, w.setTitle)
        if isinstance(w, (QLineEdit, QTextEdit, QPlainTextEdit)):
            redo(w.placeholderText, w.setPlaceholderText)
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                redo(lambda i=i: w.tabText(i), lambda t, i=i: w.setTabText(i, t))
                redo(lambda i=i: w.tabToolTip(i), lambda t, i=i: w.setTabToolTip(i, t))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                redo(lambda i=i: w.itemText(i), lambda t, i=i: w.setItemText(i, t))
        for action in w.actions():
            redo(action.text, action.setText)
            redo(action.toolTip, action.setToolTip)
    return lang
