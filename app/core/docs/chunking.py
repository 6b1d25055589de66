"""An extracted document into passages ("chunks") sized for the embedding model.

- A chunk never spans two heading paths or two PDF pages: the paragraphs of one section on one page form a run,
  and runs are chunked separately. Headings are not chunks; they travel in ``Chunk.heading``.
- Paragraphs are packed into a chunk until the next one would pass ``max_tokens``. A paragraph longer than that is
  split at sentence ends, a sentence that is still too long at line breaks, then at spaces, and a "word" longer
  than the budget (a URL, base64) into pieces of characters.
- A small last chunk of a run (< ``min_tokens``) joins the one before it when together they stay within
  ``max_tokens * 1.25``.
- Spans are exact: ``doc.text[c.start:c.end] == c.text``, for packed paragraphs (joined by "\\n\\n") and pieces.
- ``count_tokens`` is called with batches: once for all paragraphs of the document, once per level of splitting
  that is needed, and once to check the packed chunks (whose counts are estimated as the sum of their parts).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.core.docs.blocks import Block, Extracted

__all__ = ["Chunk", "chunk_document", "sentence_windows"]

MERGE_SLACK = 1.25
BATCH_TEXTS, BATCH_CHARS = 4096, 4_000_000  # the most one count_tokens call is given
# a sentence ends at . ! ? … (and their CJK forms), perhaps followed by closing quotes or brackets, then space
# (but see _abbreviation)
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*(?=\s+[^\s])")
_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]+")

_SENTENCES, _LINES, _WORDS, _CHARACTERS = 1, 2, 3, 4


@dataclass
class Chunk:
    text: str  # the passage, exactly doc.text[start:end]
    page: int | None  # the page of its first block (PDF); None for other formats
    heading: str  # the heading path ("" at the top)
    start: int
    end: int
    tokens: int  # the text's length in the counter's tokens (the heading is not counted)

    def embed_text(self) -> str:
        """What is embedded: the heading path on the first line when there is one, then the text."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text

    def windows(self) -> list[str]:
        return sentence_windows(self.text)


_WINDOW_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
WINDOW_MIN_CHARS = 16  # shorter sentences (list bullets, "Yes.") carry too little to be matched on their own


def sentence_windows(text: str) -> list[str]:
    """The passage's sentences two at a time (each sentence starts a window: 1-2, 2-3, ...), embedded beside the
    whole chunk. A mean-pooled vector of 256 tokens averages its one relevant sentence away; the best window's
    similarity keeps it (benchmarks/data/docs_eval, SmolLM2: hybrid recall@5 0.838 -> 0.882, paraphrases 17 -> 20
    of 26). A chunk of one sentence has no windows: its own vector is that sentence."""
    parts = [s.strip() for s in _WINDOW_SPLIT.split(text) if len(s.strip()) >= WINDOW_MIN_CHARS]
    if len(parts) < 2:
        return []
    return [" ".join(parts[i:i + 2]) for i in range(len(parts))]


@dataclass
class _Piece:
    run: int
    start: int
    end: int
    level: int  # how it was cut: 0 a whole paragraph, then _SENTENCES ... _CHARACTERS
    tokens: int | None = None


def chunk_document(doc: Extracted, count_tokens: Callable[[list[str]], list[int]], max_tokens: int = 256,
                   min_tokens: int = 32) -> list[Chunk]:
    """The document's paragraphs as chunks of at most ``max_tokens`` (a merged small tail: 1.25 times that), in
    document order; ``count_tokens(texts)`` returns each text's token count. An empty document gives []."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    runs = _runs(doc.blocks)
    counter = _Counter(count_tokens)
    pieces = _measure(doc.text, runs, counter, max_tokens)
    by_run: list[list[_Piece]] = [[] for _run in runs]
    for piece in pieces:
        by_run[piece.run].append(piece)
    groups: list[tuple[int, list[_Piece]]] = []  # (run, pieces), in document order
    for run_index, run_pieces in enumerate(by_run):
        packed = _pack(run_pieces, max_tokens)
        if len(packed) >= 2 and sum(p.tokens for p in packed[-1]) < min_tokens \
                and _estimate(packed[-2] + packed[-1]) <= max_tokens * MERGE_SLACK:
            packed[-2:] = [packed[-2] + packed[-1]]
        groups.extend((run_index, group) for group in packed)
    return _checked(doc.text, runs, groups, counter, max_tokens)


class _Counter:
    """``count_tokens`` with its answer checked, a very large batch sent in parts of at most ``BATCH_TEXTS`` texts
    and ``BATCH_CHARS`` characters (one message to the engine process each)."""

    def __init__(self, count_tokens: Callable[[list[str]], list[int]]):
        self.count_tokens = count_tokens

    def __call__(self, texts: list[str]) -> list[int]:
        out: list[int] = []
        start = 0
        while start < len(texts):
            end, chars = start, 0
            while end < len(texts) and end - start < BATCH_TEXTS and (end == start or chars < BATCH_CHARS):
                chars += len(texts[end])
                end += 1
            counts = list(self.count_tokens(texts[start:end]))
            if len(counts) != end - start:
                raise ValueError(f"count_tokens returned {len(counts)} counts for {end - start} texts")
            out.extend(int(c) for c in counts)
            start = end
        return out


def _runs(blocks: list[Block]) -> list[list[Block]]:
    """Consecutive paragraphs under one heading path on one page; a heading block always ends a run."""
    runs: list[list[Block]] = []
    previous: Block | None = None
    for block in blocks:
        if block.kind != "paragraph":
            previous = None
            continue
        if previous is None or block.heading != previous.heading or block.page != previous.page:
            runs.append([])
        runs[-1].append(block)
        previous = block
    return runs


def _measure(text: str, runs: list[list[Block]], counter: _Counter, max_tokens: int) -> list[_Piece]:
    """The document's paragraphs, the ones over ``max_tokens`` cut into smaller pieces, each with its count.
    One ``counter`` call per round: all paragraphs, then all pieces of the paragraphs that were too long, ..."""
    pieces = [_Piece(r, b.start, b.start + len(b.text), 0) for r, run in enumerate(runs) for b in run]
    while True:
        todo = [p for p in pieces if p.tokens is None]
        if not todo:
            return pieces
        for piece, tokens in zip(todo, counter([text[p.start:p.end] for p in todo])):
            piece.tokens = tokens
        counted = {id(p) for p in todo}
        out: list[_Piece] = []
        for piece in pieces:
            too_long = id(piece) in counted and piece.tokens > max_tokens
            out.extend((_cut(text, piece, max_tokens) if too_long else None) or [piece])
        pieces = out


def _cut(text: str, piece: _Piece, max_tokens: int) -> list[_Piece] | None:
    """``piece`` cut at the finest boundary that gives more than one part (None when it cannot be cut)."""
    for level in range(max(piece.level + 1, _SENTENCES), _CHARACTERS + 1):
        if level == _CHARACTERS:
            spans = _character_spans(piece, max_tokens)
        else:
            spans = _spans(text, piece.start, piece.end, level)
        if len(spans) > 1:
            return [_Piece(piece.run, s, e, level) for s, e in spans]
    return None


def _spans(text: str, start: int, end: int, level: int) -> list[tuple[int, int]]:
    part = text[start:end]
    if level == _WORDS:
        return [(start + m.start(), start + m.end()) for m in _WORD.finditer(part)]
    if level == _LINES:
        return _stripped(text, [(start + m.start(), start + m.end()) for m in _LINE.finditer(part)])
    cuts = [m.end() for m in _SENTENCE_END.finditer(part) if not _abbreviation(part, m.start(), m.end())]
    bounds = [0, *cuts, len(part)]
    return _stripped(text, [(start + a, start + b) for a, b in zip(bounds, bounds[1:])])


def _abbreviation(part: str, dot: int, end: int) -> bool:
    """"e.g. this", "Dr. smith", "vs. that": a short word or one with inner dots before a full stop, and a
    lower-case word after it, is not a sentence end."""
    rest = part[end:].lstrip()
    if part[dot] != "." or not rest or not rest[0].islower():
        return False
    word = part[:dot].rsplit(None, 1)[-1] if part[:dot].strip() else ""
    return "." in word or len(word) <= 3


def _stripped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans without their leading and trailing whitespace; empty ones dropped."""
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _character_spans(piece: _Piece, max_tokens: int) -> list[tuple[int, int]]:
    """A run of characters with no space in it, in pieces sized from its characters per token."""
    length = piece.end - piece.start
    if length < 2:
        return []
    size = max(1, min(length // 2, math.floor(length * max_tokens / max(piece.tokens or 1, 1) * 0.9)))
    return [(a, min(a + size, piece.end)) for a in range(piece.start, piece.end, size)]


def _estimate(pieces: list[_Piece]) -> int:
    return sum(p.tokens or 0 for p in pieces)


def _pack(pieces: list[_Piece], max_tokens: int) -> list[list[_Piece]]:
    """Greedy: add pieces to the current chunk until the next would pass the budget."""
    groups: list[list[_Piece]] = []
    total = 0
    for piece in pieces:
        if groups and groups[-1] and total + (piece.tokens or 0) <= max_tokens:
            groups[-1].append(piece)
            total += piece.tokens or 0
        else:
            groups.append([piece])
            total = piece.tokens or 0
    return groups


def _checked(text: str, runs: list[list[Block]], groups: list[tuple[int, list[_Piece]]], counter: _Counter,
             max_tokens: int) -> list[Chunk]:
    """Chunks from the packed groups, each group of several pieces counted as a whole (the sum of the parts is only
    an estimate); one over its budget is cut in two between pieces and counted again."""
    limit = math.floor(max_tokens * MERGE_SLACK)
    exact: list[int | None] = [g[0].tokens if len(g) == 1 else None for _run, g in groups]
    while None in exact:
        todo = [i for i, tokens in enumerate(exact) if tokens is None]
        counts = counter([text[groups[i][1][0].start:groups[i][1][-1].end] for i in todo])
        for i, tokens in zip(todo, counts):
            exact[i] = tokens
        for i in reversed(todo):
            run, group = groups[i]
            budget = limit if _estimate(group) > max_tokens else max_tokens  # a merged small tail may pass it
            if exact[i] > budget and len(group) > 1:
                half = _half(group)
                groups[i:i + 1] = [(run, group[:half]), (run, group[half:])]
                exact[i:i + 1] = [group[0].tokens if half == 1 else None,
                                  group[-1].tokens if len(group) - half == 1 else None]
    chunks = []
    for (run, group), tokens in zip(groups, exact):
        first = runs[run][0]
        start, end = group[0].start, group[-1].end
        chunks.append(Chunk(text=text[start:end], page=first.page, heading=first.heading, start=start, end=end,
                            tokens=tokens or 0))
    return chunks


def _half(group: list[_Piece]) -> int:
    """Where to cut a group in two: the piece boundary nearest half of its estimated tokens."""
    total, running = _estimate(group), 0
    for i, piece in enumerate(group[:-1]):
        running += piece.tokens or 0
        if running * 2 >= total:
            return i + 1
    return len(group) - 1
