"""What text extraction produces: a document as headings and paragraphs in reading order, and its one error type.

``extract.py`` is the entry point; the readers of each format (``extract_pdf.py``, ``extract_html.py``,
``extract_docx.py``, and Markdown and plain text in ``extract.py``) fill a ``BlockBuilder``, which cleans the text
the same way for every format and keeps ``Block.start`` pointing into ``Extracted.text``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HEADING_SEPARATOR = " › "
BLOCK_SEPARATOR = "\n\n"


class ExtractError(Exception):
    """A file Hearth cannot index. ``str(err)`` is a sentence for the user, naming the file."""


class ExtractCancelled(Exception):
    """``should_stop()`` said stop: the extraction was abandoned (not an error to show)."""


@dataclass
class Block:
    """One heading or paragraph, in reading order."""

    text: str
    kind: str  # "heading" | "paragraph"
    page: int | None  # 1-based page of a PDF; None for other formats
    heading: str  # the heading path the block sits under ("" at the top); a heading's own path ends with itself
    start: int  # offset of ``text`` in ``Extracted.text``


@dataclass
class Extracted:
    path: Path
    kind: str  # "pdf" | "markdown" | "text" | "html" | "docx"
    text: str  # the blocks' texts joined with "\n\n": what ``Block.start`` points into
    blocks: list[Block]
    pages: int = 0  # a PDF's page count (0 for other formats)
    notes: list[str] = field(default_factory=list)  # things the user should know about this file


# characters that end up in extracted text and mean nothing to a reader: removed outright
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u00ad\u200b\u2060\ufeff"))
# other control characters and Unicode line/paragraph separators become a space or a line break
_CONTROL = {**{c: " " for c in range(0x20) if chr(c) not in "\n\t"}, 0x7F: " ", 0x85: "\n", 0x2028: "\n",
            0x2029: "\n"}
_SPACES = re.compile(r"[^\S\n]+")


def clean_text(text: str, *, keep_layout: bool = False) -> str:
    """NFC, no NULs or invisible characters, one kind of line break, no blank lines at either end.

    Runs of spaces and tabs inside a line become one space, unless ``keep_layout`` (code and preformatted text,
    whose indentation means something), which only strips the ends of lines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE).translate(_CONTROL)
    text = unicodedata.normalize("NFC", text)
    if keep_layout:
        lines = [line.rstrip() for line in text.split("\n")]
    else:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def one_line(text: str) -> str:
    """A heading or title: cleaned, on one line."""
    return " ".join(clean_text(text).split())


class BlockBuilder:
    """Collects blocks in reading order, keeps the heading path and the offsets into the joined text."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._stack: list[tuple[int, str]] = []  # (level, title), outermost first
        self._length = 0  # len(BLOCK_SEPARATOR.join(texts so far))

    @property
    def heading(self) -> str:
        return HEADING_SEPARATOR.join(title for _level, title in self._stack)

    def enter(self, level: int, title: str) -> str:
        """Move the heading path to a heading of ``level`` (smaller is outer) without adding a block."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title))
        return self.heading

    def add_heading(self, level: int, text: str, page: int | None = None) -> None:
        text = one_line(text)
        if text:
            self._append(text, "heading", page, self.enter(level, text))

    def add_paragraph(self, text: str, page: int | None = None, *, keep_layout: bool = False) -> None:
        text = clean_text(text, keep_layout=keep_layout)
        if text.strip():
            self._append(text, "paragraph", page, self.heading)

    def _append(self, text: str, kind: str, page: int | None, heading: str) -> None:
        start = self._length + (len(BLOCK_SEPARATOR) if self.blocks else 0)
        self.blocks.append(Block(text=text, kind=kind, page=page, heading=heading, start=start))
        self._length = start + len(text)

    def build(self, path: Path, kind: str, *, pages: int = 0, notes: list[str] | None = None) -> Extracted:
        text = BLOCK_SEPARATOR.join(b.text for b in self.blocks)
        return Extracted(path=path, kind=kind, text=text, blocks=self.blocks, pages=pages, notes=list(notes or []))
