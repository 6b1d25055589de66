"""HTML into blocks with the standard library's ``html.parser`` (no network, no scripts, nothing fetched).

``h1``–``h6`` are headings; the text of block elements (``p``, ``li``, ``pre``, ``div``, ``blockquote`` ...)
becomes paragraphs; a table row is one paragraph, its cells separated by `` | `` so a value keeps its row's
context; ``pre`` keeps its layout; ``script``, ``style``, ``head``, ``nav`` and the like are dropped; entities
are decoded by the parser.
"""
from __future__ import annotations

from html.parser import HTMLParser

from app.core.docs.blocks import BlockBuilder

_SKIP = {"script", "style", "head", "nav", "noscript", "template", "svg", "math", "iframe", "object", "select",
         "button", "canvas", "title"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {"p", "div", "li", "pre", "blockquote", "section", "article", "main", "header", "footer", "aside",
           "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "caption", "figure", "figcaption",
           "address", "hr", "form", "fieldset", "legend", "details", "summary", "body", "html"}
_CELLS = {"td", "th"}
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot"}  # their ends close a row left open
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source", "track",
         "wbr"}


class _Reader(HTMLParser):
    def __init__(self, builder: BlockBuilder):
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.skip: list[str] = []  # open elements whose content is dropped
        self.text: list[str] = []  # the current block's text
        self.heading: int | None = None  # level of the heading being read
        self.pre = 0  # depth of open <pre>
        self.cells: list[str] | None = None  # the cells of the table row being read

    # --- tags ---
    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag == "body":
            self.skip = [t for t in self.skip if t != "head"]  # a <head> never closed
        if self.skip:
            return
        if tag == "br":
            self.text.append("\n")
        elif tag == "tr":
            self.flush()
            self.cells = []
        elif tag in _CELLS:
            self.flush_cell()
        elif tag in _HEADINGS or tag in _BLOCKS:
            if self.cells is not None and tag not in _TABLE_PARTS:
                self.text.append(" ")  # a block inside a cell stays in the cell
                return
            self.flush()
            if tag in _HEADINGS:
                self.heading = _HEADINGS[tag]
            elif tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and tag in _SKIP and self.skip and self.skip[-1] == tag:
            self.skip.pop()  # <script/> closes itself

    def handle_endtag(self, tag) -> None:
        if tag in self.skip:
            while self.skip and self.skip.pop() != tag:
                pass
            return
        if self.skip:
            return
        if tag == "tr":
            self.flush()
        elif tag in _CELLS:
            self.flush_cell()
        elif tag in _HEADINGS or tag in _BLOCKS:
            if self.cells is not None and tag not in _TABLE_PARTS:
                self.text.append(" ")
                return
            self.flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data) -> None:
        if not self.skip:
            self.text.append(data if self.pre else data.replace("\r", " ").replace("\n", " "))

    # --- blocks ---
    def flush_cell(self) -> None:
        if self.cells is None:
            self.flush()
            return
        cell = " ".join("".join(self.text).split())
        self.text.clear()
        if cell:
            self.cells.append(cell)

    def flush(self) -> None:
        if self.cells is not None:
            self.flush_cell()
            row, self.cells = " | ".join(self.cells), None
            if row:
                self.builder.add_paragraph(row)
            return
        text = "".join(self.text)
        self.text.clear()
        if self.heading is not None:
            self.builder.add_heading(self.heading, text)
            self.heading = None
        elif self.pre:
            self.builder.add_paragraph(text, keep_layout=True)
        else:
            self.builder.add_paragraph(text)


def read_html(text: str, builder: BlockBuilder) -> None:
    reader = _Reader(builder)
    reader.feed(text)
    reader.close()
    reader.flush()
