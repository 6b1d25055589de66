"""Paints chat messages for the virtualized chat view (``chat_view.ChatView``).

Each message is a stack of small QTextDocuments: a header, one document per markdown block, and a footer
with the message's actions and stats. Documents are cached per message, so painting only touches visible
rows; while a reply streams, only its last block is rendered again (earlier blocks keep their documents),
which keeps the cost of a token independent of the reply's length.

Every interactive element (Copy, Edit, Regenerate, Delete, ‹ 2/3 ›, Thoughts, code Copy, links) is an anchor
in one of those documents; a click is hit-tested with ``anchorAt`` and reported through ``action``.
"""
from __future__ import annotations

import html
from collections import OrderedDict
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (QAbstractTextDocumentLayout, QColor, QImage, QPainter, QPalette, QTextDocument,
                           QTextOption)

from app.core.units import number
from app.imaging import thumbnail
from app.ui.chat.message_model import ViewMessage
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.markdown import extend_blocks, render_block, split_blocks, split_thoughts
from app.ui.common.theme import colors

PAD_X = 16
PAD_Y = 10
GAP = 8
STOP_REASONS = {  # translated where shown (context "MessagePainter")
    "end": QT_TRANSLATE_NOOP("MessagePainter", "end of text"),
    "length": QT_TRANSLATE_NOOP("MessagePainter", "length limit"),
    "stopped": QT_TRANSLATE_NOOP("MessagePainter", "stopped"),
    "context_full": QT_TRANSLATE_NOOP("MessagePainter", "context full"),
    "error": QT_TRANSLATE_NOOP("MessagePainter", "error"),
    "interrupted": QT_TRANSLATE_NOOP("MessagePainter", "interrupted"),
}


THUMB_MAX_W, THUMB_MAX_H = 240, 180  # a message's images in the transcript
THUMB_CACHE_MESSAGES = 64  # messages whose decoded thumbnails are kept (each image is decoded once while kept)

HEADINGS = ("h1 { font-size: 20px; } h2 { font-size: 18px; } h3 { font-size: 16px; } "
            "h4, h5, h6 { font-size: 14px; } ")


class SafeDocument(QTextDocument):
    """A text document that never loads a resource: no network, no files (model output is untrusted)."""

    def loadResource(self, type_: int, name) -> object:  # noqa: N802 (Qt API)
        return None


def _doc(html_text: str, width: float, font=None, images: dict[str, QImage] | None = None) -> SafeDocument:
    """A document of ``html_text``; ``images``: the pictures its ``<img src=name>`` show (added as resources:
    nothing is ever loaded from a name)."""
    d = SafeDocument()
    for name, image in (images or {}).items():
        d.addResource(QTextDocument.ImageResource, QUrl(name), image)
    d.setUndoRedoEnabled(False)
    if font is not None:
        d.setDefaultFont(font)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    d.setDefaultTextOption(opt)
    d.setDocumentMargin(0)
    d.setDefaultStyleSheet(HEADINGS + f"a {{ color: {colors()['link']}; }}")
    d.setHtml(html_text)
    d.setTextWidth(width)
    return d


@dataclass
class _Part:
    key: tuple  # what the document was made from (kind, source text), to reuse it when unchanged
    doc: SafeDocument
    codes: list[str] = field(default_factory=list)


@dataclass
class MessageRender:
    message_id: int
    version: int = -1
    width: float = 0
    parts: list[_Part] = field(default_factory=list)  # header, [thoughts...], blocks..., footer
    heights: list[float] = field(default_factory=list)
    height: float = 0
    codes: list[str] = field(default_factory=list)
    thoughts_open: bool = False
    dirty_from: float = 0.0  # y (inside the row) from which the last re-render changed anything
    answer: str = ""  # the answer text last split into blocks, and its blocks with their offsets
    blocks: list[tuple[int, str]] = field(default_factory=list)


def message_actions(m: ViewMessage) -> list[tuple[str, str]]:
    """A message's actions as (href, name): the footer's links, in their order, for the mouse, the keyboard and
    screen readers alike."""
    if m.role == "notice" or m.state == "streaming":
        return []
    acts = [("copy-message:", translate("MessagePainter", "Copy"))]
    if m.role == "user":
        acts.append(("edit:", translate("MessagePainter", "Edit")))
    if m.role == "assistant":
        acts.append(("regenerate:", translate("MessagePainter", "Regenerate")))
    acts.append(("delete:", translate("MessagePainter", "Delete")))
    if m.sibling_count > 1:
        if m.sibling_index > 0:
            acts.append(("prev-sibling:", translate("MessagePainter", "Previous version")))
        if m.sibling_index < m.sibling_count - 1:
            acts.append(("next-sibling:", translate("MessagePainter", "Next version")))
    if m.role == "assistant":
        thoughts, _, thinking = split_thoughts(m.text)
        if thoughts or thinking:
            acts.append(("toggle-thoughts:", translate("MessagePainter", "Show or hide thoughts")))
        for p in cited_sources(m):
            acts.append((f"source:{p['n']}",
                         translate("MessagePainter", "Source {n}: {source}").format(n=p["n"], source=source_label(p))))
        if (m.stats or {}).get("sources"):
            acts.append(("sources:", translate("MessagePainter", "Show the passages from your documents")))
    return acts


def cited_sources(m: ViewMessage) -> list[dict]:
    """The document passages the reply cites (see ChatSession._add_sources)."""
    return [p for p in (m.stats or {}).get("sources") or [] if isinstance(p, dict) and p.get("cited")]


def source_label(p: dict) -> str:
    import os

    name = os.path.basename(str(p.get("file", "")))
    return translate("MessagePainter", "{file}, page {page}").format(file=name, page=p["page"]) if p.get("page") \
        else name


class MessagePainter(QObject):
    """Builds, caches and paints the documents of each message; hit-tests its anchors."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cache: dict[int, MessageRender] = {}
        self._thumbs: OrderedDict[int, list[QImage]] = OrderedDict()  # message id -> its decoded thumbnails
        self._open_thoughts: set[int] = set()
        self.font = None
        self.renders = 0  # number of block documents built (tests and benchmarks read it)
        self.focus: tuple[int, str] = (-1, "")  # (message id, href) of the keyboard's current action

    def set_focus(self, message_id: int, href: str) -> None:
        """Mark one action of one message as the keyboard's current one (its footer is built again)."""
        for mid in {self.focus[0], message_id}:
            r = self._cache.get(mid)
            if r:
                r.version = -1
        self.focus = (message_id, href)

    def clear_cache(self) -> None:
        self._cache.clear()

    def forget(self, message_id: int) -> None:
        self._cache.pop(message_id, None)
        self._thumbs.pop(message_id, None)

    def thumbnails(self, m: ViewMessage) -> list[QImage]:
        """The message's images scaled to fit THUMB_MAX_W x THUMB_MAX_H, decoded once per message and kept for
        the THUMB_CACHE_MESSAGES messages used last (a null QImage for one that cannot be read)."""
        got = self._thumbs.get(m.id)
        if got is None or len(got) != len(m.images):
            got = [thumbnail(uri, THUMB_MAX_W, THUMB_MAX_H) for uri in m.images]
            self._thumbs[m.id] = got
            while len(self._thumbs) > THUMB_CACHE_MESSAGES:
                self._thumbs.popitem(last=False)
        self._thumbs.move_to_end(m.id)
        return got

    def _images_part(self, m: ViewMessage, width: float) -> tuple[str, dict[str, QImage]]:
        c = colors()
        bits, resources = [], {}
        for i, image in enumerate(self.thumbnails(m)):
            if image.isNull():
                words = html.escape(translate("MessagePainter", "[image {n} cannot be shown]").format(n=i + 1))
                bits.append(f'<span style="color:{c["muted"]};">{words}</span>')
                continue
            name = f"hearth-image://{m.id}/{i}"
            resources[name] = image
            w, h = image.width(), image.height()
            if w > width:  # a narrow window: shown smaller, never cut
                w, h = int(width), max(1, int(h * width / w))
            bits.append(f'<img src="{name}" width="{w}" height="{h}">')
        return "<p>" + "&nbsp;&nbsp;".join(bits) + "</p>", resources

    def toggle_thoughts(self, message_id: int) -> None:
        if message_id in self._open_thoughts:
            self._open_thoughts.discard(message_id)
        else:
            self._open_thoughts.add(message_id)
        r = self._cache.get(message_id)
        if r:
            r.version = -1

    # ---- layout -------------------------------------------------------------------------------------------
    def render_for(self, m: ViewMessage, width: float) -> MessageRender:
        r = self._cache.get(m.id)
        if r is None:
            r = self._cache[m.id] = MessageRender(m.id)
        thoughts_open = m.id in self._open_thoughts
        if r.version == m.version and r.width == width and r.thoughts_open == thoughts_open:
            return r
        old = {(p.key): p for p in r.parts} if r.width == width else {}
        c = colors()
        parts: list[_Part] = []

        def part(key: tuple, make) -> None:
            p = old.get(key)
            if p is None:
                html_text, codes = make()
                p = _Part(key, _doc(html_text, width, self.font), codes)
                self.renders += 1
            parts.append(p)

        who = {"user": translate("MessagePainter", "You"), "assistant": translate("MessagePainter", "Assistant"),
               "system": translate("MessagePainter", "System"), "notice": ""}.get(m.role, m.role)
        if m.state == "interrupted":
            state = (translate("MessagePainter", "interrupted — the engine crashed during this reply")
                     if (m.stats or {}).get("stop_reason") == "interrupted"
                     else translate("MessagePainter", "interrupted — the app closed during this reply"))
        else:
            state = {"streaming": translate("MessagePainter", "writing…"),
                     "stopped": translate("MessagePainter", "stopped"),
                     "error": translate("MessagePainter", "error")}.get(m.state, "")
        if m.role != "notice":
            header = f"<b>{html.escape(who)}</b>"
            if state:
                header += f' <span style="color:{c["muted"]};">· {html.escape(state)}</span>'
            part(("h", header), lambda: (header, []))
        if m.images:
            key = ("i", m.id, len(m.images))
            p = old.get(key)
            if p is None:
                images_html, resources = self._images_part(m, width)
                p = _Part(key, _doc(images_html, width, self.font, resources))
                self.renders += 1
            parts.append(p)

        text = m.text
        thoughts, answer, thinking = ("", text, False)
        if m.role == "assistant":
            thoughts, answer, thinking = split_thoughts(text)
        if thoughts or thinking:
            arrow = "▾" if thoughts_open else "▸"
            words = len(thoughts.split())
            label = translate("MessagePainter", "Thinking…") if thinking else \
                translate("MessagePainter", "Thoughts ({count} words)").format(count=words)
            t_style = (f'background-color:{c["highlight"]}; color:{c["highlight_text"]};'
                       if self.focus == (m.id, "toggle-thoughts:") else f'color:{c["muted"]};')
            t_html = f'<a href="toggle-thoughts:" style="{t_style}">{arrow} {label}</a>'
            part(("t", t_html), lambda: (t_html, []))
            if thoughts_open:
                for blk in split_blocks(thoughts):
                    part(("tb", blk), lambda blk=blk: (
                        f'<div style="color:{c["muted"]};">{render_block(blk, c["code_bg"], c["muted"]).html}</div>',
                        []))
        code_base = 0
        if m.role == "notice":
            notice = f'<p align="center" style="color:{c["muted"]};"><i>{html.escape(text)}</i></p>'
            part(("n", notice), lambda: (notice, []))
        else:
            r.blocks = extend_blocks(r.answer, r.blocks, answer)
            r.answer = answer
            for blk in [b for _, b in r.blocks] or ([""] if not thoughts and not thinking else []):
                def make(blk=blk, base=code_base):
                    rb = render_block(blk, c["code_bg"], c["muted"], base)
                    return rb.html, rb.codes

                part(("b", code_base, blk), make)
                code_base += len(parts[-1].codes)
        if m.error:
            err = f'<p style="color:#b3261e;">{html.escape(m.error)}</p>'
            part(("e", err), lambda: (err, []))
        footer = self._footer_html(m)
        if footer:
            part(("f", footer), lambda: (footer, []))
        first_new = next((i for i, (a, b) in enumerate(zip(parts, r.parts)) if a is not b),
                         min(len(parts), len(r.parts)))
        r.parts = parts
        r.heights = [p.doc.size().height() for p in parts]
        r.dirty_from = PAD_Y + sum(r.heights[:first_new]) + GAP * first_new
        r.height = sum(r.heights) + GAP * max(0, len(parts) - 1) + 2 * PAD_Y
        r.codes = [code for p in parts for code in p.codes]
        r.version = m.version
        r.width = width
        r.thoughts_open = thoughts_open
        return r

    def _footer_html(self, m: ViewMessage) -> str:
        if m.role == "notice" or m.state == "streaming":
            return ""
        c = colors()
        focus = self.focus[1] if self.focus[0] == m.id else ""

        def link(href: str, label: str) -> str:
            if href == focus:  # the keyboard's current action: a visible focus mark, not only a colour
                return (f'<a href="{href}" style="background-color:{c["highlight"]}; color:{c["highlight_text"]};">'
                        f'&nbsp;{label}&nbsp;</a>')
            return f'<a href="{href}">{label}</a>'

        acts = dict(message_actions(m))
        links = [link(h, acts[h]) for h in ("copy-message:", "edit:", "regenerate:", "delete:") if h in acts]
        if m.sibling_count > 1:
            prev = link("prev-sibling:", "‹") if "prev-sibling:" in acts else "‹"
            nxt = link("next-sibling:", "›") if "next-sibling:" in acts else "›"
            links.append(f"{prev} {m.sibling_index + 1}/{m.sibling_count} {nxt}")
        stats = ""
        s = m.stats or {}
        if m.role == "assistant" and s:
            bits = []
            if s.get("ttft_s") is not None:
                bits.append(translate("MessagePainter", "{seconds} s to first token").format(
                    seconds=number(s['ttft_s'], 2)))
            if s.get("tokens_per_s"):
                bits.append(translate("MessagePainter", "{rate} tok/s").format(rate=number(s['tokens_per_s'], 1)))
            if s.get("completion_tokens") is not None:
                bits.append(translate("MessagePainter", "{count} tokens").format(count=s["completion_tokens"]))
            if s.get("stop_reason"):
                reason = s["stop_reason"]
                bits.append(translate("MessagePainter", STOP_REASONS[reason]) if reason in STOP_REASONS else reason)
            stats = " · ".join(bits)
        sep = "&nbsp;&nbsp;&nbsp;"
        out = f'<span style="font-size:small;">{sep.join(links)}</span>'
        if stats:
            out += f'{sep}<span style="color:{c["muted"]}; font-size:small;">{html.escape(stats)}</span>'
        given = s.get("sources") or [] if m.role == "assistant" else []
        if given:
            shown = cited_sources(m)
            cited = [link(f"source:{p['n']}", html.escape(f"[{p['n']}] {source_label(p)}")) for p in shown]
            matched = any(p.get("matched") for p in shown)
            if cited:
                lead = (translate("MessagePainter", "Matches by wording: {sources}") if matched
                        else translate("MessagePainter", "Sources: {sources}")).format(sources=" · ".join(cited))
            else:
                lead = html.escape(translate("MessagePainter", "No passage cited"))
            every = translate("MessagePainter", "all {count} passages from your documents").format(count=len(given))
            out += (f'<br><span style="font-size:small;">{lead}{sep}'
                    f'{link("sources:", html.escape(every))}</span>')
        return out

    # ---- painting and hit-testing ----------------------------------------------------------------------
    def content_width(self, row_width: float) -> float:
        return max(120.0, row_width - 2 * PAD_X - 24)

    def height(self, m: ViewMessage, row_width: float) -> int:
        return int(self.render_for(m, self.content_width(row_width)).height + 0.999) + 4

    def paint(self, painter: QPainter, rect: QRectF, m: ViewMessage, clip: QRectF, focused: bool = False) -> None:
        width = self.content_width(rect.width())
        r = self.render_for(m, width)
        c = colors()
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        bubble = QRectF(rect).adjusted(8, 2, -8, -2)
        if m.role == "user":
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(c["user_bubble"]))
            painter.drawRoundedRect(bubble, 10, 10)
        elif m.role == "assistant":
            painter.setPen(QColor(c["border"]))
            painter.setBrush(QColor(c["assistant_bubble"]))
            painter.drawRoundedRect(bubble, 10, 10)
        if m.excluded:
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(c["muted"]))
            painter.drawRect(QRectF(bubble.left(), bubble.top() + 6, 3, bubble.height() - 12))
        y = rect.top() + PAD_Y
        x = rect.left() + PAD_X + 4
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.Text, QColor(c["text"]))
        for p, h in zip(r.parts, r.heights):
            if y + h >= clip.top() and y <= clip.bottom():
                painter.save()
                painter.translate(x, y)
                ctx.clip = QRectF(0, max(0.0, clip.top() - y), width, min(h, clip.bottom() - y) + 1)
                p.doc.documentLayout().draw(painter, ctx)
                painter.restore()
            y += h + GAP
        if focused:
            painter.setPen(QColor(c["highlight"]))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(bubble.adjusted(1, 1, -1, -1), 10, 10)
        painter.restore()

    def anchor_at(self, rect: QRectF, m: ViewMessage, pos: QPointF) -> str:
        width = self.content_width(rect.width())
        r = self.render_for(m, width)
        y = rect.top() + PAD_Y
        x = rect.left() + PAD_X + 4
        for p, h in zip(r.parts, r.heights):
            if y <= pos.y() <= y + h:
                return p.doc.documentLayout().anchorAt(QPointF(pos.x() - x, pos.y() - y)) or ""
            y += h + GAP
        return ""

    def dirty_from(self, message_id: int) -> float:
        r = self._cache.get(message_id)
        return r.dirty_from if r is not None else 0.0

    def code_text(self, message_id: int, n: int) -> str:
        r = self._cache.get(message_id)
        if r is None or not (0 <= n < len(r.codes)):
            return ""
        return r.codes[n]
