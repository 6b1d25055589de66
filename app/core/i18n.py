"""Texts shown to people, made in app/core without Qt.

- ``QT_TRANSLATE_NOOP("Context", "text")`` marks a text kept in a table or constant; it returns ``text`` unchanged
  and the window translates the value where it shows it.
- ``translate("Context", "The file ends after {n} bytes.").format(n=...)`` makes a sentence with values: a
  :class:`Text`, an ordinary ``str`` in the current language that remembers its source and values, so that
  (1) the engine process, which has no translations, can send it to the window (:func:`to_wire` /
  :func:`from_wire`) and the window shows it in its own language, and (2) after a language switch the window can
  make the same sentence again in the new language (:func:`made_texts`).

``pyside6-lupdate`` finds both by name (``translate`` takes the context, the source, an optional disambiguation and
the plural count ``n``: ``translate("Ctx", "%n file(s)", None, n)``). Until a translator is installed
(:func:`set_translator`: the window does it, app/ui/common/i18n.py) every text is the English source, so the
command line, the API server started by ``hearth serve`` and the tests speak English. app/core never imports Qt.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

Translator = Callable[[str, str, "str | None", int], str]

_translator: Translator | None = None
_made: dict[str, "Text"] = {}  # shown text -> how it was made (only while a translator is installed)
_MADE_MAX = 20_000
_lock = threading.Lock()


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text


def set_translator(translator: Translator | None) -> None:
    """Install the function that gives a source's text in the current language (None: English sources)."""
    global _translator
    _translator = translator
    if translator is None:
        with _lock:
            _made.clear()


def current_translator() -> Translator | None:
    """The translator installed now (a test that installs its own puts this one back after)."""
    return _translator


def english_plural(text: str, n: int) -> str:
    """English without a translation: "%n file(s)" -> "1 file", "2 files"."""
    if n >= 0:
        text = text.replace("%n", str(n))
        if "(s)" in text:
            text = text.replace("(s)", "" if n == 1 else "s")
    return text


def _template(context: str, source: str, disambiguation: str | None, n: int) -> str:
    t = _translator
    if t is None:
        return english_plural(source, n)
    try:
        return t(context, source, disambiguation, n)
    except Exception:  # a translator must never cost the user the message
        return english_plural(source, n)


class _LocalFloat(float):
    """A float written in the current number format by a format spec ("{s:.1f}": "0.4", in Turkish "0,4")."""

    def __format__(self, spec: str) -> str:
        from app.core.units import _localize

        return _localize(float.__format__(self, spec))


class _LocalInt(int):
    """An int whose grouping follows the current number format ("{n:,}": "32,768", in Turkish "32.768")."""

    def __format__(self, spec: str) -> str:
        from app.core.units import _localize

        return _localize(int.__format__(self, spec)) if spec else int.__format__(self, spec)


def _value(v: Any) -> Any:
    """A format value as shown now: a Text again in the current language; an exception by its message; a number
    in the current number format."""
    if isinstance(v, BaseException):
        v = said(v)
    if isinstance(v, Text):
        return v.again()
    if type(v) is float:
        return _LocalFloat(v)
    if type(v) is int:
        return _LocalInt(v)
    return v


def _fill(template: str, source: str, n: int, args, kwargs, value: Callable[[Any], Any]) -> str:
    a = tuple(value(v) for v in args)
    k = {key: value(v) for key, v in kwargs.items()}
    try:
        return template.format(*a, **k)
    except (IndexError, KeyError, ValueError):  # a translation with a broken placeholder: the English instead
        return english_plural(source, n).format(*a, **k)


def _render(context, source, disambiguation, n, args, kwargs) -> str:
    template = _template(context, source, disambiguation, n)
    if not args and not kwargs:
        return template
    return _fill(template, source, n, args, kwargs, _value)


class Text(str):
    """A sentence in the current language that remembers how it was made."""

    __slots__ = ("context", "source", "disambiguation", "n", "args", "kwargs")

    def __new__(cls, context: str, source: str, disambiguation: str | None = None, n: int = -1,
                args: tuple = (), kwargs: dict | None = None):
        kwargs = kwargs or {}
        self = super().__new__(cls, _render(context, source, disambiguation, n, args, kwargs))
        self.context, self.source, self.disambiguation, self.n = context, source, disambiguation, n
        self.args, self.kwargs = tuple(args), dict(kwargs)
        if _translator is not None:  # the window: a language switch finds how each shown text was made
            with _lock:
                if len(_made) >= _MADE_MAX:  # full: forget the sentences with values, keep the window's own words
                    for key in [k for k, t in _made.items() if t.args or t.kwargs]:
                        del _made[key]
                if len(_made) < _MADE_MAX:
                    _made[str.__str__(self)] = self
        return self

    def format(self, *args: Any, **kwargs: Any) -> "Text":  # type: ignore[override]
        if self.args or self.kwargs:  # already filled in: an ordinary string from here on
            return str.format(self, *args, **kwargs)
        return Text(self.context, self.source, self.disambiguation, self.n, args, kwargs)

    def again(self) -> "Text":
        """The same sentence in the language now installed."""
        return Text(self.context, self.source, self.disambiguation, self.n, self.args, self.kwargs)

    def __reduce__(self):
        return (Text, (self.context, self.source, self.disambiguation, self.n, self.args, self.kwargs))


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> Text:
    """``source`` in the current language, as a :class:`Text` (``.format(...)`` fills in its values)."""
    return Text(context, source, disambiguation, n)


def made_texts() -> dict[str, "Text"]:
    """Every text shown since the translator was installed, by how it reads now (a copy: a language switch reads
    the old texts while it makes new ones)."""
    with _lock:
        return dict(_made)


def message(exc: BaseException) -> str:
    """An exception's message as a person reads it: a Text made again in the current language."""
    return str(_value(exc))


def english(value: Any) -> str:
    """A sentence (a Text, or an exception whose message is one) in English whatever the window's language: for
    readers that are programs, such as the API server's error bodies."""
    if isinstance(value, BaseException):
        value = said(value)
    if not isinstance(value, Text):
        return str(value)
    try:
        return _fill(english_plural(value.source, value.n), value.source, value.n, value.args, value.kwargs,
                     lambda v: english(v) if isinstance(v, (Text, BaseException)) else v)
    except (IndexError, KeyError, ValueError):
        return str(value)


def said(exc: BaseException) -> str:
    """An exception's message, keeping it a :class:`Text` when it was made as one (for :func:`to_wire`)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Text) else str(exc)


# --- across the engine process's pipe ---------------------------------------------------------------------------

def _wire_value(v: Any) -> Any:
    if isinstance(v, BaseException):
        v = said(v)
    if isinstance(v, Text):
        return {"text": to_wire(v)}
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return str(v)


def to_wire(text: Any) -> dict | None:
    """A Text as JSON-able data for :func:`from_wire` in another process; None for a plain string."""
    if not isinstance(text, Text):
        return None
    return {"context": text.context, "source": text.source, "disambiguation": text.disambiguation, "n": text.n,
            "args": [_wire_value(v) for v in text.args],
            "kwargs": {k: _wire_value(v) for k, v in text.kwargs.items()}}


def _from_wire_value(v: Any) -> Any:
    if isinstance(v, dict) and "text" in v:
        made = from_wire(v["text"])
        if made is None:
            raise ValueError("not a text")
        return made
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    raise ValueError("not a value")


def from_wire(data: Any) -> Text | None:
    """The Text :func:`to_wire` sent, in this process's language; None when ``data`` is not one (a peer of another
    version or a hostile one: the caller keeps the plain message)."""
    try:
        if not isinstance(data, dict):
            return None
        context, source = data["context"], data["source"]
        dis, n = data.get("disambiguation"), data.get("n", -1)
        if not isinstance(context, str) or not isinstance(source, str) or len(source) > 4000:
            return None
        if dis is not None and not isinstance(dis, str) or not isinstance(n, int) or isinstance(n, bool):
            return None
        args = [_from_wire_value(v) for v in data.get("args") or []]
        kwargs = {str(k): _from_wire_value(v) for k, v in (data.get("kwargs") or {}).items()}
        return Text(context, source, dis, n, tuple(args), kwargs)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None
