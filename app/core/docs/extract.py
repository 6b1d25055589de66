"""Text extraction: one file (PDF, Markdown, plain text, HTML, Word .docx) into headings and paragraphs.

``extract(path)`` returns an ``Extracted`` (the blocks in reading order, with PDF page numbers and heading paths,
and the whole text they point into) or raises ``ExtractError`` with a sentence for the user: an empty, too large,
missing, damaged, encrypted or scanned file, or a kind Hearth does not read. It never lets a parser's traceback
through. ``should_stop()`` is asked between PDF pages (and every few hundred Word paragraphs); when it says
stop, ``ExtractCancelled`` is raised. No Qt; safe to call from a worker thread.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from app.core.docs.blocks import Block, BlockBuilder, ExtractCancelled, Extracted, ExtractError
from app.core.docs.extract_docx import read_docx
from app.core.docs.extract_html import read_html
from app.core.docs.extract_pdf import read_pdf
from app.core.docs.extract_text import decode, read_markdown, read_plain
from app.core.i18n import translate
from app.core.units import human_bytes

__all__ = ["Block", "Extracted", "ExtractError", "ExtractCancelled", "KINDS", "SUPPORTED", "MAX_BYTES", "extract",
           "kind_of"]

log = logging.getLogger("hearth.docs")

# file name suffix (lower case) -> kind
KINDS = {
    ".pdf": "pdf",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".txt": "text", ".text": "text", ".rst": "text", ".log": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
}
SUPPORTED = frozenset(KINDS)
MAX_BYTES = 64 * 2**20


def kind_of(path: Path) -> str | None:
    """The kind of document ``path`` names by its suffix, or None when Hearth does not read it."""
    return KINDS.get(path.suffix.lower())


def extract(path: Path, max_bytes: int = MAX_BYTES, should_stop: Callable[[], bool] | None = None) -> Extracted:
    path = Path(path)
    name = path.name or str(path)
    kind = kind_of(path)
    if kind is None:
        raise ExtractError(translate("DocsExtract", "Hearth cannot read {name}: it reads PDF, Markdown (.md), plain "
                                                   "text (.txt), HTML and Word (.docx) files").format(name=name))
    if should_stop is not None and should_stop():
        raise ExtractCancelled(name)
    data = _read(path, name, max_bytes)
    if not data.strip():
        raise ExtractError(translate("DocsExtract", "{name} is empty").format(name=name))

    if kind == "pdf":
        doc = read_pdf(path, data, should_stop)
    else:
        builder = BlockBuilder()
        notes: list[str] = []
        if kind == "docx":
            read_docx(path, data, builder, should_stop)
        else:
            text = decode(data, name, notes, html=kind == "html")
            if not text.strip():
                raise ExtractError(translate("DocsExtract", "{name} is empty").format(name=name))
            {"markdown": read_markdown, "text": read_plain, "html": read_html}[kind](text, builder)
        doc = builder.build(path, kind, notes=notes)
    if not doc.blocks:
        raise ExtractError(translate("DocsExtract", "{name} has no text to index").format(name=name))
    log.debug("extracted %s: %s, %d blocks, %d characters, %d pages, notes %s",
              path, kind, len(doc.blocks), len(doc.text), doc.pages, doc.notes)
    return doc


def _read(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, after checking with stat() that it is a file no larger than ``max_bytes``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ExtractError(translate("DocsExtract", "{name} does not exist (was it moved or deleted?)").format(
            name=name)) from None
    except OSError as exc:
        raise ExtractError(translate("DocsExtract", "{name} cannot be read: {error}").format(
            name=name, error=exc.strerror or exc)) from None
    if path.is_dir():
        raise ExtractError(translate("DocsExtract", "{name} is a folder, not a file").format(name=name))
    if not path.is_file():
        raise ExtractError(translate("DocsExtract", "{name} is not a regular file").format(name=name))
    if info.st_size > max_bytes:
        raise ExtractError(translate("DocsExtract", "{name} is too large ({size}); Hearth indexes files up to "
                                                   "{limit}").format(name=name, size=human_bytes(info.st_size),
                                                                     limit=human_bytes(max_bytes)))
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise ExtractError(translate("DocsExtract", "{name} cannot be read: {error}").format(
            name=name, error=exc.strerror or exc)) from None
    if len(data) > max_bytes:  # it grew after stat()
        raise ExtractError(translate("DocsExtract", "{name} is too large; Hearth indexes files up to {limit}").format(
            name=name, limit=human_bytes(max_bytes)))
    return data
