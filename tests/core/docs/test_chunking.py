"""Chunking: structure kept (headings, pages), the token budget kept, long text cut at sentences then words,
exact spans, and the token counter called in batches. The counter here counts words (whitespace-separated)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from docs_samples import LOREM, TURKISH

from app.core.docs.blocks import BlockBuilder
from app.core.docs.chunking import Chunk, chunk_document


class WordCounter:
    """count_tokens with a record of its calls."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, texts: list[str]) -> list[int]:
        self.calls.append(len(texts))
        return [len(t.split()) for t in texts]


def document(*items, kind: str = "markdown"):
    """items: ("h", level, text) | ("p", text) | ("p", text, page)"""
    b = BlockBuilder()
    for item in items:
        if item[0] == "h":
            b.add_heading(item[1], item[2])
        else:
            b.add_paragraph(item[1], item[2] if len(item) > 2 else None)
    return b.build(Path("doc.md"), kind)


def words(n: int, word: str = "word") -> str:
    return " ".join(f"{word}{i}" for i in range(n))


def check(doc, chunks: list[Chunk], max_tokens: int, *, slack: float = 1.25) -> None:
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.text == c.text.strip() and c.text
        assert c.tokens == len(c.text.split())
        assert c.tokens <= max_tokens * slack
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))  # no overlap


def test_paragraphs_are_packed_and_spans_are_exact():
    paras = [words(10, f"p{k}w") for k in range(7)]
    doc = document(*[("p", p) for p in paras])
    chunks = chunk_document(doc, WordCounter(), max_tokens=30, min_tokens=1)
    check(doc, chunks, 30)
    assert [c.text for c in chunks] == ["\n\n".join(paras[0:3]), "\n\n".join(paras[3:6]), paras[6]]
    assert [c.tokens for c in chunks] == [30, 30, 10]


def test_a_chunk_never_spans_two_headings_and_headings_are_not_chunks():
    doc = document(("p", "Preface words here."), ("h", 1, "Install"), ("p", words(5)), ("h", 2, "On Linux"),
                   ("p", words(4)), ("p", words(3)), ("h", 1, "Use"), ("p", "Run it."))
    chunks = chunk_document(doc, WordCounter(), max_tokens=100, min_tokens=1)
    check(doc, chunks, 100)
    assert [(c.heading, c.text) for c in chunks] == [
        ("", "Preface words here."),
        ("Install", words(5)),
        ("Install › On Linux", words(4) + "\n\n" + words(3)),
        ("Use", "Run it."),
    ]
    assert chunks[0].embed_text() == "Preface words here."
    assert chunks[3].embed_text() == "Use\nRun it."


def test_the_budget_is_kept_for_random_documents():
    rng = random.Random(3)
    for trial in range(30):
        items = []
        for _ in range(rng.randrange(1, 40)):
            if rng.random() < 0.15:
                items.append(("h", rng.randrange(1, 4), f"Heading {rng.randrange(99)}"))
            else:
                sentences = [words(rng.randrange(1, 40), f"s{rng.randrange(9)}w") + rng.choice(".!?")
                             for _ in range(rng.randrange(1, 8))]
                items.append(("p", " ".join(sentences)))
        doc = document(*items)
        max_tokens = rng.choice([8, 20, 64, 256])
        chunks = chunk_document(doc, WordCounter(), max_tokens=max_tokens, min_tokens=max_tokens // 8)
        check(doc, chunks, max_tokens)
        # every word of every paragraph is in exactly one chunk
        assert sum(c.tokens for c in chunks) == sum(len(b.text.split()) for b in doc.blocks if b.kind == "paragraph")


def test_a_long_paragraph_is_cut_at_sentence_ends():
    sentences = [f"Sentence {k} has exactly seven words here." for k in range(10)]
    turkish = ["İstanbul'da ılık bir gün yaşandı.", "Şişli ve Göztepe kalabalıktı!",
               "Çağlayan'a gittin mi?", "Dr. Öztürk e.g. nereye gitti…", "bitti dedi.", "Son."]
    doc = document(("p", " ".join(sentences)), ("p", " ".join(turkish)))
    chunks = chunk_document(doc, WordCounter(), max_tokens=16, min_tokens=1)
    check(doc, chunks, 16)
    assert [c.text for c in chunks[:5]] == [" ".join(sentences[k:k + 2]) for k in range(0, 10, 2)]
    tail = " ".join(c.text for c in chunks[5:])
    assert tail == " ".join(turkish)  # Turkish text exactly, cut only between sentences
    for c in chunks[5:]:
        assert c.text.endswith((".", "!", "?", "…"))
        assert not c.text.startswith("nereye")  # "e.g. nereye": an abbreviation, not a sentence end


def test_a_long_sentence_is_cut_at_words_and_a_long_word_at_characters():
    doc = document(("p", words(50) + "."), ("p", "x" * 500))
    counter = lambda texts: [max(len(t.split()), len(t) // 10) for t in texts]  # noqa: E731 - a "word" of 10 chars
    chunks = chunk_document(doc, counter, max_tokens=20, min_tokens=1)
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.tokens <= 20
    first = [c for c in chunks if c.start < len(words(50)) + 1]
    assert " ".join(c.text for c in first) == words(50) + "."
    assert [len(c.text.split()) for c in first] == [20, 20, 10]
    rest = [c for c in chunks if c not in first]
    assert "".join(c.text for c in rest) == "x" * 500 and len(rest) > 2


def test_the_counter_is_called_in_batches():
    counter = WordCounter()
    doc = document(*[("p", f"Paragraph {k}. " + words(k % 30)) for k in range(300)],
                   ("p", " ".join(words(30) + "." for _ in range(10))))  # one long paragraph to cut
    chunks = chunk_document(doc, counter, max_tokens=64, min_tokens=8)
    check(doc, chunks, 64)
    # all paragraphs, the sentences of the long one, the packed chunks of several paragraphs
    assert len(counter.calls) == 3 and counter.calls[:2] == [301, 10]


def test_a_chunk_never_crosses_a_page():
    doc = document(("h", 1, "Report"), ("p", words(5), 1), ("p", words(5), 1), ("p", words(5), 2),
                   ("p", words(2), 2), kind="pdf")
    chunks = chunk_document(doc, WordCounter(), max_tokens=100, min_tokens=50)
    check(doc, chunks, 100)
    assert [(c.page, c.tokens, c.heading) for c in chunks] == [(1, 10, "Report"), (2, 7, "Report")]


def test_a_small_last_chunk_joins_the_one_before():
    doc = document(("p", words(20)), ("p", words(3)), ("h", 1, "Next"), ("p", words(2)))
    chunks = chunk_document(doc, WordCounter(), max_tokens=20, min_tokens=5)
    check(doc, chunks, 20)
    assert [(c.heading, c.tokens) for c in chunks] == [("", 23), ("Next", 2)]  # 23 <= 20 * 1.25; never over a heading
    doc = document(("p", words(20)), ("p", words(6)))
    assert [c.tokens for c in chunk_document(doc, WordCounter(), max_tokens=20, min_tokens=5)] == [20, 6]
    doc = document(("p", words(20)), ("p", words(4)), ("p", words(4)))
    chunks = chunk_document(doc, WordCounter(), max_tokens=20, min_tokens=10)
    assert [c.tokens for c in chunks] == [20, 8]  # 28 would pass 25: no merge


def test_packed_chunks_are_counted_as_a_whole():
    """A tokenizer that is not additive (the blank line between paragraphs costs tokens): a packed chunk that turns
    out over the budget is cut again."""
    def counter(texts):
        return [len(t.split()) + 3 * t.count("\n\n") for t in texts]

    doc = document(*[("p", words(5)) for _ in range(8)])
    chunks = chunk_document(doc, counter, max_tokens=20, min_tokens=1)
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.tokens == counter([c.text])[0] <= 20
    assert "".join(c.text for c in chunks).count("word0") == 8


def test_turkish_and_empty_documents():
    doc = document(("h", 1, "Şehirler"), ("p", TURKISH))
    [chunk] = chunk_document(doc, WordCounter())
    assert chunk.text == TURKISH and chunk.embed_text() == f"Şehirler\n{TURKISH}"
    assert chunk_document(document(("h", 1, "Only a heading")), WordCounter()) == []
    assert chunk_document(document(), WordCounter()) == []


def test_a_bad_counter_is_an_error():
    with pytest.raises(ValueError, match="2 counts for 1 texts"):
        chunk_document(document(("p", LOREM)), lambda texts: [1, 2])


def test_a_huge_document_is_counted_in_bounded_batches(monkeypatch):
    import app.core.docs.chunking as chunking

    monkeypatch.setattr(chunking, "BATCH_TEXTS", 100)
    counter = WordCounter()
    doc = document(*[("p", words(3)) for _ in range(450)])
    chunks = chunk_document(doc, counter, max_tokens=300, min_tokens=1)
    assert counter.calls[:5] == [100, 100, 100, 100, 50]
    assert [c.tokens for c in chunks] == [300, 300, 300, 300, 150]
