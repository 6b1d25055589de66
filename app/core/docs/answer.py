"""Answers from documents: the passages that answer a question go into the prompt, numbered, within the context
budget (a small collection goes in whole); the model is told to cite them as [1], [2] and may say the documents
do not say; citations that point at no passage are dropped from the answer's list. A small model often cites
nothing (SmolLM2 wrote no [n] for 8 of 8 literal questions, with or without an example in the prompt): then the
passage that holds most of the reply's words is named as the matching source (:func:`matching`), marked as found
by wording, not as the model's own citation.

``build_messages`` and ``citations`` are used by the chat window and ``hearth docs ask`` alike.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from app.core.docs.store import STOPWORDS, StoredChunk, fold

SYSTEM = ("Answer the question using only the numbered passages from the user's documents below. After each "
          "statement, cite the passage it comes from as [1], [2] and so on. If the passages do not contain the "
          "answer, say that the documents do not say.")
CITATION = re.compile(r"\[(\d{1,3})\]")
WHOLE_SHARE = 0.5  # a collection this share of the budget or smaller goes into the prompt whole
MATCH_SHARE = 0.6  # the share of the reply's content words a passage must hold to be named as its source
MATCH_MIN_WORDS = 3


@dataclass
class Passage:
    n: int
    chunk: StoredChunk

    @property
    def where(self) -> str:
        name = Path(self.chunk.path).name
        page = f", page {self.chunk.page}" if self.chunk.page else ""
        heading = f", {self.chunk.heading}" if self.chunk.heading else ""
        return f"{name}{page}{heading}"

    def to_dict(self) -> dict:
        return {"n": self.n, "file": self.chunk.path, "page": self.chunk.page, "heading": self.chunk.heading,
                "start": self.chunk.start, "end": self.chunk.end, "text": self.chunk.text}


def passages_block(passages: list[Passage]) -> str:
    return "\n\n".join(f"[{p.n}] ({p.where})\n{p.chunk.text}" for p in passages)


def build_messages(question: str, ranked: list[StoredChunk], count: Callable[[list[dict]], int], budget: int,
                   whole: list[StoredChunk] | None = None, history: list[dict] | None = None
                   ) -> tuple[list[dict], list[Passage]]:
    """The messages for the model and the passages they hold. ``ranked``: the search's best chunks, best first;
    ``whole``: every chunk of a small collection in reading order (used instead when it fits in a share of the
    budget); ``count(messages)`` measures the prompt in the chat model's tokens; passages are added while the
    prompt stays within ``budget`` tokens."""
    history = list(history or [])

    def messages(ps: list[Passage]) -> list[dict]:
        system = SYSTEM + "\n\n" + passages_block(ps) if ps else SYSTEM + "\n\n(no passages were found)"
        return [{"role": "system", "content": system}, *history, {"role": "user", "content": question}]

    if whole:
        ps = [Passage(i + 1, ch) for i, ch in enumerate(whole)]
        if count(messages(ps)) <= budget * WHOLE_SHARE:
            return messages(ps), ps
    chosen: list[Passage] = []
    for ch in ranked:
        trial = chosen + [Passage(len(chosen) + 1, ch)]
        if count(messages(trial)) > budget:
            break
        chosen = trial
    return messages(chosen), chosen


def citations(text: str, passages: list[Passage]) -> list[Passage]:
    """The passages the answer cites, in order of first citation; numbers that point at nothing are dropped."""
    by_n = {p.n: p for p in passages}
    out: list[Passage] = []
    for m in CITATION.finditer(text):
        p = by_n.get(int(m.group(1)))
        if p is not None and p not in out:
            out.append(p)
    return out


def strip_dangling(text: str, passages: list[Passage]) -> str:
    """The answer without citation marks that point at no passage."""
    valid = {p.n for p in passages}
    return CITATION.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)


def _stems(text: str) -> set[str]:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", fold(text).lower()) if not unicodedata.combining(ch))
    words = re.findall(r"\w+", plain)
    return {w[:5] for w in words if w not in STOPWORDS and (len(w) > 2 or w.isdigit())}


def matching(text: str, passages: list[Passage]) -> Passage | None:
    """For a reply that cites nothing: the passage holding the largest share of the reply's content words (their
    first five letters, stop words left out), when that share is at least ``MATCH_SHARE`` of at least
    ``MATCH_MIN_WORDS`` words; None when no passage holds that much (the reply is then not attributed)."""
    said = _stems(text)
    if len(said) < MATCH_MIN_WORDS:
        return None
    best, share = None, 0.0
    for p in passages:
        s = len(said & _stems(p.chunk.text + " " + p.chunk.heading)) / len(said)
        if s > share:
            best, share = p, s
    return best if share >= MATCH_SHARE else None
