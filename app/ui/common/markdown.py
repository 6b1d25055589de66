"""Markdown to the HTML subset Qt's rich text understands, safe for untrusted model output.

- Raw HTML in the input is shown as text, never interpreted.
- Images are never loaded: ``![alt](url)`` becomes a visible "[image: alt]" placeholder.
- Links keep their address but only ``http``, ``https`` and ``mailto`` become clickable; the chat view asks
  before opening them in the system browser.
- Code blocks get a "Copy" link (``copy-code:N``) and a monospace, shaded box.

``split_blocks`` cuts a message into top-level blocks so a streaming message re-renders only its last block.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from app.ui.common.i18n import translate

SAFE_SCHEMES = ("http://", "https://", "mailto:")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.validateLink = lambda url: True  # we decide per scheme in the link renderer
    return md


_md = _make_parser()


@dataclass
class RenderedBlock:
    html: str
    codes: list[str] = field(default_factory=list)  # code block texts, by the index in their copy link


def split_blocks(text: str) -> list[str]:
    """Split markdown into top-level blocks at blank lines that are not inside a fenced code block."""
    return [b for _, b in split_blocks_at(text)]


def split_blocks_at(text: str, base: int = 0) -> list[tuple[int, str]]:
    """Like ``split_blocks``, with each block's offset in ``text`` (plus ``base``)."""
    blocks: list[tuple[int, str]] = []
    cur: list[str] = []
    start = 0
    pos = 0
    fence: str | None = None
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        m = FENCE_RE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)[0] * len(m.group(1))
            elif not line.strip():
                if cur:
                    blocks.append((base + start, "\n".join(cur)))
                    cur = []
                continue
        elif m and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = None
        if not cur:
            start = line_start
        cur.append(line)
    if cur:
        blocks.append((base + start, "\n".join(cur)))
    return blocks


def extend_blocks(prev_text: str, prev: list[tuple[int, str]], text: str) -> list[tuple[int, str]]:
    """The blocks of ``text`` given those of ``prev_text``. When ``text`` only appends to ``prev_text``, every
    block but the last is final (a blank line outside a code fence ended it), so only the tail is split again:
    the cost of a streamed token does not grow with the length of the reply."""
    if not prev or not text.startswith(prev_text):
        return split_blocks_at(text)
    last_start = prev[-1][0]
    return prev[:-1] + split_blocks_at(text[last_start:], last_start)


def split_thoughts(text: str) -> tuple[str, str, bool]:
    """Return (thoughts, answer, thinking_still_open) for a reply that may start with <think>...</think>."""
    stripped = text.lstrip()
    if not stripped.startswith(THINK_OPEN):
        return "", text, False
    body = stripped[len(THINK_OPEN):]
    end = body.find(THINK_CLOSE)
    if end < 0:
        return body.strip(), "", True
    return body[:end].strip(), body[end + len(THINK_CLOSE):].lstrip(), False


def strip_thoughts(text: str) -> str:
    """The reply as later prompts should see it: without its <think> section."""
    thoughts, answer, still_open = split_thoughts(text)
    if not thoughts and not still_open and not text.lstrip().startswith(THINK_OPEN):
        return text
    return answer


class _Renderer:
    def __init__(self, code_bg: str, muted: str, code_base: int) -> None:
        self.code_bg = code_bg
        self.muted = muted
        self.codes: list[str] = []
        self.code_base = code_base

    def render(self, src: str) -> str:
        tokens = _md.parse(src)
        out: list[str] = []
        self._walk(tokens, out)
        return "".join(out)

    def _code_box(self, code: str, lang: str) -> str:
        n = self.code_base + len(self.codes)
        self.codes.append(code)
        label = html.escape(lang) if lang else html.escape(translate("Markdown", "code"))
        body = html.escape(code.rstrip("\n"))
        copy = translate("Markdown", "Copy")
        return (
            f'<table width="100%" cellspacing="0" cellpadding="8" bgcolor="{self.code_bg}" '
            f'style="margin-top:4px; margin-bottom:4px;">'
            f'<tr><td><span style="color:{self.muted}; font-size:small;">{label}</span>'
            f'&nbsp;&nbsp;<a href="copy-code:{n}" style="font-size:small;">{html.escape(copy)}</a>'
            f'<pre style="font-family: monospace; margin:0; white-space: pre-wrap;">{body}</pre></td></tr></table>'
        )

    def _walk(self, tokens, out: list[str]) -> None:
        link_stack: list[bool] = []
        i = 0
        while i < len(tokens):
            t = tokens[i]
            typ = t.type
            if typ in ("fence", "code_block"):
                lang = (t.info or "").strip().split(" ")[0] if typ == "fence" else ""
                out.append(self._code_box(t.content, lang))
            elif typ == "inline":
                self._inline(t.children or [], out, link_stack)
            elif typ == "html_block":
                out.append(f"<p>{html.escape(t.content)}</p>")
            elif typ.endswith("_open") or typ.endswith("_close") or typ == "hr":
                tag = t.tag
                if typ == "hr":
                    out.append("<hr/>")
                elif typ.endswith("_open"):
                    attrs = ""
                    if tag == "ol" and t.attrs.get("start"):
                        attrs = f' start="{int(t.attrs["start"])}"'
                    if tag in ("th", "td"):
                        style = t.attrs.get("style", "")
                        align = re.search(r"text-align:(\w+)", style or "")
                        attrs = f' align="{align.group(1)}"' if align else ""
                    if tag == "table":
                        attrs = ' border="1" cellspacing="0" cellpadding="4" style="border-collapse: collapse;"'
                    if tag == "p" and t.hidden:
                        pass
                    elif tag:
                        out.append(f"<{tag}{attrs}>")
                else:
                    if tag and not (tag == "p" and t.hidden):
                        out.append(f"</{tag}>")
            i += 1

    def _inline(self, children, out: list[str], link_stack: list[bool]) -> None:
        for c in children:
            typ = c.type
            if typ == "text":
                out.append(html.escape(c.content))
            elif typ == "code_inline":
                out.append(f'<code style="font-family: monospace; background-color:{self.code_bg};">'
                           f"{html.escape(c.content)}</code>")
            elif typ == "softbreak":
                out.append("\n")
            elif typ == "hardbreak":
                out.append("<br/>")
            elif typ == "html_inline":
                out.append(html.escape(c.content))
            elif typ == "image":
                alt = html.escape(c.content or translate("Markdown", "image"))
                url = html.escape(str(c.attrs.get("src", "")))
                shown = html.escape(translate("Markdown", "[image: {alt} — not loaded]")).format(alt=alt)
                out.append(f'<span style="color:{self.muted};" title="{url}">{shown}</span>')
            elif typ == "link_open":
                href = str(c.attrs.get("href", ""))
                safe = href.lower().startswith(SAFE_SCHEMES)
                link_stack.append(safe)
                if safe:
                    out.append(f'<a href="{html.escape(href, quote=True)}">')
            elif typ == "link_close":
                if link_stack and link_stack.pop():
                    out.append("</a>")
            elif typ in ("strong_open", "em_open", "s_open"):
                out.append(f"<{c.tag}>")
            elif typ in ("strong_close", "em_close", "s_close"):
                out.append(f"</{c.tag}>")
            else:
                out.append(html.escape(c.content or ""))


def render_block(src: str, code_bg: str = "#f2f0ed", muted: str = "#6b665f", code_base: int = 0) -> RenderedBlock:
    r = _Renderer(code_bg, muted, code_base)
    return RenderedBlock(html=r.render(src), codes=r.codes)


def render_markdown(text: str, code_bg: str = "#f2f0ed", muted: str = "#6b665f") -> RenderedBlock:
    """Render a whole message (used for model cards and exports to HTML)."""
    return render_block(text, code_bg, muted)
