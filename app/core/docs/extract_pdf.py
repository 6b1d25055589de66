"""PDF text, page by page, with pypdf (BSD; never PyMuPDF, which is AGPL).

pypdf gives each page's text as lines, with where each line sits and its font size. Paragraphs are rebuilt from
them: a vertical gap wider than the page's usual line pitch, a change of font size, a short line that ends a
sentence, or a bullet starts a new one; lines of a paragraph are joined with spaces (a word hyphenated at a line end
is joined back). The PDF's outline (bookmarks) gives the heading path: an entry's title found as a line of its page
becomes a heading there, one not found takes effect where the entry points. Without an outline, a short paragraph
set clearly larger than the body text is a heading (the largest size is level 1). A lone page number at the top or
bottom of a page is dropped.
"""
from __future__ import annotations

import io
import logging
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.docs.blocks import BlockBuilder, ExtractCancelled, Extracted, ExtractError, one_line
from app.core.i18n import translate

log = logging.getLogger("hearth.docs")

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—\s]*\d{1,4}[-–—\s]*|(?:page|sayfa|seite|p\.)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?)$", re.I)
_BULLET = re.compile(r"^(?:[•◦‣▪●○■□–-]\s|\d{1,3}[.)]\s)")
_SECTION_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z][.)])\s+")
_SENTENCE_END = tuple(".!?…:;\"”’)")
_MAX_OUTLINE = 20_000


class _PypdfToDebugLog(logging.Handler):
    """pypdf warns about every oddity it repairs ("Ignoring wrong pointing object"): debug lines, not alarms."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("pypdf: %s", record.getMessage())


def _quiet_pypdf() -> None:
    pypdf_log = logging.getLogger("pypdf")
    if not any(isinstance(h, _PypdfToDebugLog) for h in pypdf_log.handlers):
        pypdf_log.addHandler(_PypdfToDebugLog())
        pypdf_log.propagate = False


@dataclass
class _Line:
    text: str
    y: float | None = None  # baseline, in the page's coordinates (up is larger)
    size: float | None = None  # font height in the same units


def read_pdf(path: Path, data: bytes, should_stop: Callable[[], bool] | None) -> Extracted:
    _quiet_pypdf()
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    name = path.name
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except DependencyError as exc:  # AES without the cryptography package
                raise ExtractError(translate("DocsExtractPdf", "{name} is encrypted with AES, which this copy of "
                                                              "Hearth cannot decrypt (it needs the 'cryptography' "
                                                              "package)").format(name=name)) from exc
            except Exception as exc:
                log.debug("pypdf could not decrypt %s: %r", path, exc)
                raise ExtractError(translate("DocsExtractPdf", "{name} is encrypted in a way Hearth cannot "
                                                              "open").format(name=name)) from exc
            if not decrypted:
                raise ExtractError(translate("DocsExtractPdf", "{name} is encrypted with a password; Hearth cannot "
                                                              "read it").format(name=name))
        pages = list(reader.pages)
    except ExtractError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; the user needs one sentence
        log.debug("pypdf could not open %s: %r", path, exc)
        raise ExtractError(translate("DocsExtractPdf", "{name} is damaged or is not really a PDF, so Hearth cannot "
                                                      "read it").format(name=name)) from exc
    if not pages:
        raise ExtractError(translate("DocsExtractPdf", "{name} has no pages").format(name=name))

    done: list[tuple[int, list[_Line]]] = []  # (page number, its lines)
    textless: list[int] = []
    unreadable: list[int] = []
    for index, page in enumerate(pages):
        if should_stop is not None and should_stop():
            raise ExtractCancelled(name)
        try:
            lines = _page_lines(page)
        except Exception as exc:
            log.debug("pypdf could not read page %d of %s: %r", index + 1, path, exc)
            unreadable.append(index + 1)
            continue
        if sum(ch.isalpha() for line in lines for ch in line.text) < 3:
            textless.append(index + 1)
        done.append((index + 1, lines))

    outline = _outline(reader)
    sizes = {} if outline else _heading_sizes([line for _page, lines in done for line in lines])
    builder = BlockBuilder()
    for number, lines in done:
        _add_page(builder, lines, number, outline.get(number - 1, []), sizes)

    if len(unreadable) == len(pages):
        raise ExtractError(translate("DocsExtractPdf", "{name} is damaged: none of its pages could be read").format(
            name=name))
    if len(textless) + len(unreadable) == len(pages):
        raise ExtractError(translate("DocsExtractPdf", "No text found in {name}: it looks scanned, and OCR is not "
                                                      "supported").format(name=name))
    notes = []
    if len(textless) == 1:
        notes.append(translate("DocsExtractPdf", "page {pages} of {name} has no text layer (scanned?): OCR is not "
                                                 "supported").format(pages=_pages_list(textless), name=name))
    elif textless:
        notes.append(translate("DocsExtractPdf", "pages {pages} of {name} have no text layer (scanned?): OCR is not "
                                                 "supported").format(pages=_pages_list(textless), name=name))
    if len(unreadable) == 1:
        notes.append(translate("DocsExtractPdf", "page {pages} of {name} could not be read (damaged?) and was "
                                                 "skipped").format(pages=_pages_list(unreadable), name=name))
    elif unreadable:
        notes.append(translate("DocsExtractPdf", "pages {pages} of {name} could not be read (damaged?) and were "
                                                 "skipped").format(pages=_pages_list(unreadable), name=name))
    return builder.build(path, "pdf", pages=len(pages), notes=notes)


def _page_lines(page) -> list[_Line]:
    """The page's text lines, each with the position and size of its first piece of text."""
    lines = [_Line("")]

    def visit(text, cm, tm, _font, size) -> None:
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append(_Line(""))
            line = lines[-1]
            if part.strip() and line.y is None:
                try:
                    line.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    line.size = abs(size) * math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                except (TypeError, IndexError):
                    pass
            line.text += part

    page.extract_text(visitor_text=visit)
    out = []
    for line in lines:
        line.text = one_line(line.text)
        out.append(line)
    while out and not out[-1].text:
        out.pop()
    return out


def _add_page(builder: BlockBuilder, lines: list[_Line], page: int, entries: list[tuple[int, str]],
              sizes: dict[float, int]) -> None:
    """Adds one page's paragraphs to ``builder``, applying the outline ``entries`` (level, title) of the page, or
    without an outline, taking paragraphs in a heading font size (``sizes``) as headings."""
    matched: dict[int, int] = {}  # line index -> entry index
    at = 0
    for e, (_level, title) in enumerate(entries):
        for i in range(at, len(lines)):
            if _same_title(lines[i].text, title):
                matched[i], at = e, i + 1
                break
    # an entry not found on its page takes effect right after the entry before it (or at the top of the page)
    applied = 0

    def apply_until(entry: int) -> None:
        nonlocal applied
        while applied < entry:
            builder.enter(*entries[applied])
            applied += 1

    def next_matched(after: int) -> int:
        return min((e for e in matched.values() if e > after), default=len(entries))

    apply_until(next_matched(-1))
    for first, group in _paragraphs(lines, set(matched)):
        if first in matched:
            entry = matched[first]
            builder.add_heading(entries[entry][0], group[0].text, page)
            applied = entry + 1
            apply_until(next_matched(entry))
        elif (level := _font_heading(group, sizes)) is not None:
            builder.add_heading(level, " ".join(line.text for line in group), page)
        else:
            builder.add_paragraph(_join([line.text for line in group]), page)
    apply_until(len(entries))


def _heading_sizes(lines: list[_Line]) -> dict[float, int]:
    """For a PDF without an outline: font sizes clearly larger than the body text's -> heading level (1-3)."""
    weight: Counter[float] = Counter()
    for line in lines:
        if line.size:
            weight[round(line.size * 2) / 2] += len(line.text)
    if not weight:
        return {}
    body = weight.most_common(1)[0][0]
    larger = sorted((size for size in weight if size >= body * 1.2), reverse=True)
    return {size: min(rank + 1, 3) for rank, size in enumerate(larger)}


def _font_heading(group: list[_Line], sizes: dict[float, int]) -> int | None:
    """The heading level of a paragraph set in a heading size: short, a few lines, all of that size."""
    if not sizes or len(group) > 3 or sum(len(line.text) for line in group) > 200:
        return None
    levels = {sizes.get(round(line.size * 2) / 2) if line.size else None for line in group}
    if len(levels) != 1 or None in levels:
        return None
    if sum(ch.isalpha() for line in group for ch in line.text) < 2:
        return None
    return levels.pop()


def _paragraphs(lines: list[_Line], standalone: set[int]) -> list[tuple[int, list[_Line]]]:
    """Groups lines into paragraphs: (index of the first line, its lines)."""
    sized = [ln for ln in lines if ln.text and ln.y is not None and ln.size]
    gaps = [a.y - b.y for a, b in zip(sized, sized[1:])
            if a.size and b.size and abs(a.size - b.size) < 0.2 * a.size and 0 < a.y - b.y < 3 * a.size]
    pitch = statistics.median(gaps) if gaps else None
    longest = max((len(ln.text) for ln in lines), default=0)

    def breaks(prev: _Line, line: _Line) -> bool:
        if prev.y is not None and line.y is not None and prev.size and line.size:
            if abs(prev.size - line.size) > 0.2 * max(prev.size, line.size):
                return True
            gap = prev.y - line.y
            if gap < -0.5 * line.size or gap > 1.4 * (pitch or 1.2 * line.size):
                return True
        if _BULLET.match(line.text):
            return True
        return longest >= 40 and prev.text.endswith(_SENTENCE_END) and len(prev.text) < 0.7 * longest

    out: list[tuple[int, list[_Line]]] = []
    prev: _Line | None = None
    prev_index = -1
    for i, line in enumerate(lines):
        if not line.text:
            prev = None
            continue
        if prev is None or i in standalone or prev_index in standalone or breaks(prev, line):
            out.append((i, []))
        out[-1][1].append(line)
        prev, prev_index = line, i
    # a lone page number at the top or bottom of the page
    for end in (-1, 0):
        if out and out[end][0] not in standalone and len(out[end][1]) == 1 and _PAGE_NUMBER.match(out[end][1][0].text):
            out.pop(end)
    return out


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if len(text) > 1 and text[-1] == "-" and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line  # "hyphen-" + "ated" -> "hyphenated"
        else:
            text += " " + line
    return text


def _title_key(text: str) -> str:
    key = " ".join(text.casefold().split())
    return _SECTION_NUMBER.sub("", key).rstrip(" .:")


def _same_title(line: str, title: str) -> bool:
    return bool(line) and _title_key(line) == _title_key(title) and bool(_title_key(title))


def _outline(reader) -> dict[int, list[tuple[int, str]]]:
    """Page index -> the outline entries (depth, title) that point into it, in outline order."""
    by_page: dict[int, list[tuple[int, str]]] = {}
    count = 0

    def walk(items, depth: int) -> None:
        nonlocal count
        for item in items:
            if count >= _MAX_OUTLINE:
                return
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            count += 1
            title = one_line(str(getattr(item, "title", "") or ""))
            try:
                page = reader.get_destination_page_number(item)
            except Exception:
                page = None
            if title and page is not None and page >= 0:
                by_page.setdefault(page, []).append((depth, title))

    try:
        walk(reader.outline, 0)
    except Exception as exc:  # a damaged outline costs the headings, not the text
        log.debug("unreadable PDF outline: %r", exc)
    return by_page


def _pages_list(pages: list[int]) -> str:
    """[3, 4, 5, 7] -> "3–5, 7"; at most eight ranges are named."""
    ranges: list[list[int]] = []
    for p in pages:
        if ranges and p == ranges[-1][1] + 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:8]]
    if len(ranges) > 8:
        return translate("DocsExtractPdf", "{ranges} and {more} more").format(ranges=", ".join(parts),
                                                                               more=len(ranges) - 8)
    return ", ".join(parts)
