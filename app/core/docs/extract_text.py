"""Plain text and Markdown into blocks, and bytes into text without ever failing on an odd encoding."""
from __future__ import annotations

import codecs
import re
import unicodedata

from app.core.docs.blocks import BlockBuilder, ExtractError
from app.core.i18n import translate

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_BLANK = re.compile(r"\n[^\S\n]*\n")


def decode(data: bytes, name: str, notes: list[str], *, html: bool = False) -> str:
    """Text from bytes: a BOM, then (for HTML) a declared charset, UTF-8, UTF-16 without a BOM, then
    Windows-1252 and Latin-1, saying so in ``notes`` when the guess may be wrong. Never raises for the encoding;
    raises ``ExtractError`` for bytes that are not text at all."""
    text = _decode(data, name, notes, html)
    sample = text[:100_000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if sample and controls > len(sample) * 0.05:
        raise ExtractError(translate("DocsExtractText", "{name} does not look like a text file (it holds binary data), "
                                                       "so Hearth cannot read it").format(name=name))
    return text


def _decode(data: bytes, name: str, notes: list[str], html: bool) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                notes.append(translate("DocsExtractText", "{name} has damaged {encoding} text: the unreadable "
                                                          "characters were replaced").format(
                    name=name, encoding=encoding.upper().removesuffix("-SIG")))
                return data.decode(encoding, errors="replace")
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = codecs.lookup(declared.group(1).decode("ascii")).name
                if encoding in ("latin-1", "iso8859-1", "ascii"):
                    encoding = "cp1252"  # what browsers do with these labels
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass
    utf16 = _utf16_without_bom(data)  # before UTF-8: UTF-16 of ASCII letters is valid UTF-8 full of NULs
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        notes.append(translate("DocsExtractText", "{name} is not UTF-8: it was read as Windows-1252 (Western "
                                                  "European), so some characters may be wrong").format(name=name))
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        notes.append(translate("DocsExtractText", "{name} is not UTF-8: it was read as Latin-1, so some characters "
                                                  "may be wrong").format(name=name))
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly Latin script has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def read_plain(text: str, builder: BlockBuilder) -> None:
    """Paragraphs are separated by blank lines; line breaks inside a paragraph stay."""
    for paragraph in _BLANK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        builder.add_paragraph(paragraph)


# --- Markdown -------------------------------------------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_YAML_KEY = re.compile(r"^[\w-]+[ \t]*:")


def read_markdown(text: str, builder: BlockBuilder) -> None:
    """ATX (``#``) and setext (underlined) headings make the heading path; paragraphs end at blank lines; a fenced
    code block is one paragraph, layout kept; YAML front matter and thematic breaks are dropped."""
    lines = _without_front_matter(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            builder.add_paragraph("\n".join(paragraph))
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            flush()
            end = _fence_end(lines, i + 1, fence.group(1))
            builder.add_paragraph("\n".join(lines[i:end + 1]), keep_layout=True)
            i = end + 1
            continue
        atx = _ATX.match(line)
        setext = _SETEXT.match(line) if paragraph else None
        if atx:
            flush()
            builder.add_heading(len(atx.group(1)), atx.group(2) or "")
        elif setext:
            title = " ".join(paragraph)
            paragraph.clear()
            builder.add_heading(1 if setext.group(1)[0] == "=" else 2, title)
        elif not line.strip() or (_RULE.match(line) and not paragraph):
            flush()
        else:
            paragraph.append(line)
        i += 1
    flush()


def _fence_end(lines: list[str], start: int, marker: str) -> int:
    """The index of the line closing a fence opened with ``marker`` (the last line if it is never closed)."""
    closing = re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
    for j in range(start, len(lines)):
        if closing.match(lines[j]):
            return j
    return len(lines) - 1


def _without_front_matter(lines: list[str]) -> list[str]:
    if not lines or lines[0].strip() != "---":
        return lines
    first = next((line for line in lines[1:] if line.strip()), "")
    if not _YAML_KEY.match(first):
        return lines  # a thematic break, not front matter
    for j in range(1, min(len(lines), 1000)):
        if lines[j].strip() in ("---", "..."):
            return lines[j + 1:]
    return lines
