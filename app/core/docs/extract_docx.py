"""Word (.docx) into blocks with the standard library: ``zipfile`` + ``xml.etree`` on ``word/document.xml``.

No python-docx: it pulls in lxml (a large compiled dependency for the bundle) to give us an object model we do not
need; reading the body's paragraphs is a page of code. A paragraph (``w:p``) is the text of its runs (``w:t``,
tabs and breaks; deleted text ``w:delText`` is not read); it is a heading when its style is "Title" or
"heading N" or has an outline level. Style ids are looked up in ``word/styles.xml`` by their built-in English
names, so a Turkish or German Word's "Balk1" / "berschrift1" is still Heading 1. A table row is one paragraph with
its cells separated by `` | ``.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from app.core.docs.blocks import BlockBuilder, ExtractCancelled, ExtractError
from app.core.i18n import translate

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_XML = 256 * 2**20  # an uncompressed part larger than this is a zip bomb, not a document
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)


def read_docx(path: Path, data: bytes, builder: BlockBuilder,
              should_stop: Callable[[], bool] | None) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = _part(archive, "word/document.xml", name)
            styles = _part(archive, "word/styles.xml", name, required=False)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ExtractError(translate("DocsExtractDocx", "{name} is damaged or is not really a Word document, so Hearth "
                                                       "cannot read it").format(name=name)) from exc
    levels = _heading_styles(styles) if styles is not None else {}
    body = document.find(f"{_W}body")
    if body is None:
        raise ExtractError(translate("DocsExtractDocx", "{name} is damaged: it has no document body").format(name=name))
    for count, element in enumerate(_body_items(body)):
        if should_stop is not None and count % 200 == 0 and should_stop():
            raise ExtractCancelled(name)
        if element.tag == f"{_W}tbl":
            for row in element.findall(f"{_W}tr"):
                cells = [" ".join(_text(p) for p in cell.iter(f"{_W}p")) for cell in row.findall(f"{_W}tc")]
                builder.add_paragraph(" | ".join(" ".join(c.split()) for c in cells if c.strip()))
            continue
        text = _text(element)
        level = _paragraph_level(element, levels)
        if level is not None:
            builder.add_heading(level, text)
        else:
            builder.add_paragraph(text)


def _part(archive: zipfile.ZipFile, member: str, name: str, *, required: bool = True):
    try:
        info = archive.getinfo(member)
    except KeyError:
        if required:
            raise ExtractError(translate("DocsExtractDocx", "{name} is not a Word document (it has no "
                                                           "{member})").format(name=name, member=member)) from None
        return None
    if info.file_size > _MAX_XML:
        raise ExtractError(_too_large(name, member))
    with archive.open(info) as f:
        data = f.read(_MAX_XML + 1)
    if len(data) > _MAX_XML:
        raise ExtractError(_too_large(name, member))
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:  # Word never writes these; entity tricks do
        raise ExtractError(translate("DocsExtractDocx", "{name} holds XML that Word does not write; Hearth will not "
                                                       "read it").format(name=name))
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ExtractError(translate("DocsExtractDocx", "{name} is damaged ({member} is not valid XML), so Hearth "
                                                       "cannot read it").format(name=name, member=member)) from exc


def _too_large(name: str, member: str) -> str:
    return translate("DocsExtractDocx", "{name} is too large inside to read ({member} unpacks to more than "
                                        "256 MiB)").format(name=name, member=member)


def _body_items(body):
    """The body's paragraphs and tables in order; content controls (``w:sdt``) are looked into."""
    for child in body:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_items(content)


def _text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}p" and node is not paragraph:
            parts.append("\n")  # a paragraph inside a text box
    return "".join(parts)


def _paragraph_level(paragraph, levels: dict[str, int]) -> int | None:
    props = paragraph.find(f"{_W}pPr")
    if props is None:
        return None
    outline = props.find(f"{_W}outlineLvl")
    if outline is not None:
        level = _int(outline.get(f"{_W}val"))
        if level is not None and level < 9:
            return level + 1
    style = props.find(f"{_W}pStyle")
    if style is None:
        return None
    style_id = style.get(f"{_W}val") or ""
    if style_id in levels:
        return levels[style_id]
    return _level_of_name(style_id)  # no styles.xml: Word's English ids ("Heading1", "Title")


def _heading_styles(styles) -> dict[str, int]:
    """Style id -> heading level (the title is level 0, above Heading 1), by the built-in style names."""
    out = {}
    for style in styles.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        name = style.find(f"{_W}name")
        level = _level_of_name(name.get(f"{_W}val") or "") if name is not None else None
        if level is None:
            props = style.find(f"{_W}pPr")
            outline = props.find(f"{_W}outlineLvl") if props is not None else None
            value = _int(outline.get(f"{_W}val")) if outline is not None else None
            level = value + 1 if value is not None and value < 9 else None
        if style_id and level is not None:
            out[style_id] = level
    return out


def _level_of_name(name: str) -> int | None:
    if name.replace(" ", "").lower() == "title":
        return 0
    match = _HEADING_NAME.match(name.strip())
    return int(match.group(1)) if match else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
