#!/usr/bin/env python3
"""Validate the docs_eval retrieval set (stdlib only).

Checks:
  * questions.json is a list of objects with the required keys, unique ids
    and a valid kind;
  * every referenced file exists under this folder;
  * every answer_span occurs in its file, exactly once (for .html files the
    span is searched in the visible text: script/style removed, tags
    stripped, entities unescaped, whitespace collapsed), lies within one
    paragraph (no blank line / no newline; for HTML inside one element),
    and is 5-30 words long;
  * the set meets its size targets: >= 32 documents, >= 6 Turkish
    documents, >= 48 questions, >= 16 literal, >= 16 paraphrase,
    >= 12 turkish; every document is 300-1,500 words;
  * turkish questions point at Turkish documents and the other kinds at
    non-Turkish documents.

Also prints, for information, how many of a question's content words appear
in its answer span (lower for paraphrase questions is the point).

Usage: python3 benchmarks/data/docs_eval/check.py   (exit status 1 on failure)
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
QUESTIONS = HERE / "questions.json"

KINDS = ("literal", "paraphrase", "turkish")
MIN_DOCS, MIN_TR_DOCS, MIN_QUESTIONS = 32, 6, 48
MIN_PER_KIND = {"literal": 16, "paraphrase": 16, "turkish": 12}
DOC_WORDS = (300, 1500)
SPAN_WORDS = (5, 30)
REQUIRED = ("id", "question", "file", "answer_span", "kind", "answer")
DOC_SUFFIXES = (".md", ".txt", ".html")

# Block-level elements: text inside one of these counts as "one element".
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th",
              "div", "section", "article", "header", "footer", "nav", "main",
              "aside", "ul", "ol", "table", "tr", "body", "html", "title",
              "blockquote", "pre", "dt", "dd", "button"}


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_visible_text(raw: str) -> str:
    """Tags stripped, script/style removed, entities unescaped, whitespace collapsed."""
    text = re.sub(r"(?is)<(script|style)\b[^>]*>.*?</\1\s*>", " ", raw)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return collapse(html.unescape(text))


class _BlockTexts(HTMLParser):
    """Collects the visible text of each innermost block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._buf: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = collapse("".join(self._buf))
        if text:
            self.blocks.append(text)
        self._buf = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)

    def close(self):
        super().close()
        self._flush()


def html_blocks(raw: str) -> list[str]:
    parser = _BlockTexts()
    parser.feed(raw)
    parser.close()
    return parser.blocks


def doc_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return html_visible_text(raw) if path.suffix == ".html" else raw


def word_count(text: str) -> int:
    return len(text.split())


TR_CHARS = set("ıİşŞğĞ")


def is_turkish(text: str) -> bool:
    # ı, İ, ş, ğ (either case) are frequent in Turkish and absent from English.
    return sum(1 for ch in text if ch in TR_CHARS) >= 20


STOP = set("""a an the of to in on at for and or is are was were be been do does did
can could should would will i my me we our you your it its this that these those
what which who whom when where why how much many long often there with by from as
if into after before about than then so not no yes any each every some own get
gets one ve bir bu ne mi mı mu mü da de ile için kaç hangi nasıl gibi en daha""".split())


def content_words(text: str) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {w for w in words if w not in STOP and len(w) > 2}


def main() -> int:
    errors: list[str] = []
    warnings: list[str] = []

    docs = sorted(p for p in DOCS.iterdir() if p.is_file() and p.suffix in DOC_SUFFIXES)
    texts = {p.name: doc_text(p) for p in docs}
    words = {name: word_count(t) for name, t in texts.items()}
    turkish_docs = {name for name, t in texts.items() if is_turkish(t)}
    by_suffix = Counter(p.suffix for p in docs)

    for name, n in words.items():
        if not DOC_WORDS[0] <= n <= DOC_WORDS[1]:
            errors.append(f"{name}: {n} words, outside {DOC_WORDS[0]}-{DOC_WORDS[1]}")

    try:
        questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"FAIL: cannot read {QUESTIONS.name}: {exc}")
        return 1
    if not isinstance(questions, list):
        print("FAIL: questions.json must be a JSON list")
        return 1

    kinds = Counter()
    ids = Counter()
    used_docs = Counter()
    span_words = []
    overlap = {k: [] for k in KINDS}
    html_block_cache: dict[str, list[str]] = {}

    for i, q in enumerate(questions):
        label = q.get("id", f"#{i}") if isinstance(q, dict) else f"#{i}"
        if not isinstance(q, dict):
            errors.append(f"{label}: not an object")
            continue
        missing = [k for k in REQUIRED if not isinstance(q.get(k), str) or not q.get(k).strip()]
        if missing:
            errors.append(f"{label}: missing/empty keys {missing}")
            continue
        ids[q["id"]] += 1
        kind = q["kind"]
        if kind not in KINDS:
            errors.append(f"{label}: bad kind {kind!r}")
            continue
        kinds[kind] += 1

        rel = q["file"]
        path = HERE / rel
        if not rel.startswith("docs/") or not path.is_file():
            errors.append(f"{label}: file not found: {rel}")
            continue
        name = path.name
        used_docs[name] += 1
        span = q["answer_span"]

        if "\n" in span:
            errors.append(f"{label}: answer_span spans several lines/paragraphs")
        n_words = word_count(span)
        span_words.append(n_words)
        if not SPAN_WORDS[0] <= n_words <= SPAN_WORDS[1]:
            errors.append(f"{label}: answer_span has {n_words} words, outside {SPAN_WORDS[0]}-{SPAN_WORDS[1]}")

        if path.suffix == ".html":
            if "<" in span or ">" in span:
                errors.append(f"{label}: answer_span contains markup")
            count = texts[name].count(collapse(span))
            if name not in html_block_cache:
                html_block_cache[name] = html_blocks(path.read_text(encoding="utf-8"))
            if count and not any(collapse(span) in b for b in html_block_cache[name]):
                errors.append(f"{label}: answer_span crosses element boundaries in {name}")
        else:
            count = texts[name].count(span)
        if count == 0:
            errors.append(f"{label}: answer_span not found in {rel}: {span!r}")
        elif count > 1:
            errors.append(f"{label}: answer_span occurs {count} times in {rel}")

        is_tr_doc = name in turkish_docs
        if kind == "turkish" and not is_tr_doc:
            errors.append(f"{label}: turkish question points at non-Turkish doc {name}")
        if kind != "turkish" and is_tr_doc:
            errors.append(f"{label}: {kind} question points at Turkish doc {name}")

        qw = content_words(q["question"])
        if qw:
            overlap[kind].append(len(qw & content_words(span)) / len(qw))

    for qid, n in ids.items():
        if n > 1:
            errors.append(f"duplicate id {qid} ({n} times)")

    if len(docs) < MIN_DOCS:
        errors.append(f"only {len(docs)} documents (need >= {MIN_DOCS})")
    if len(turkish_docs) < MIN_TR_DOCS:
        errors.append(f"only {len(turkish_docs)} Turkish documents (need >= {MIN_TR_DOCS})")
    if len(questions) < MIN_QUESTIONS:
        errors.append(f"only {len(questions)} questions (need >= {MIN_QUESTIONS})")
    for kind, need in MIN_PER_KIND.items():
        if kinds[kind] < need:
            errors.append(f"only {kinds[kind]} {kind} questions (need >= {need})")

    unused = [n for n in texts if n not in used_docs]
    if unused:
        warnings.append(f"{len(unused)} documents have no question (distractors only): {', '.join(unused)}")

    # ---- report
    print(f"Documents: {len(docs)}  ({', '.join(f'{s}: {n}' for s, n in sorted(by_suffix.items()))})")
    print(f"Turkish documents: {len(turkish_docs)}  ({', '.join(sorted(turkish_docs))})")
    total_words = sum(words.values())
    print(f"Document words: total {total_words}, min {min(words.values())} ({min(words, key=words.get)}), "
          f"max {max(words.values())} ({max(words, key=words.get)}), mean {total_words / len(words):.0f}")
    print(f"Questions: {len(questions)}  ({', '.join(f'{k}: {kinds[k]}' for k in KINDS)})")
    if span_words:
        print(f"answer_span words: min {min(span_words)}, max {max(span_words)}, "
              f"mean {sum(span_words) / len(span_words):.1f}")
    print(f"Documents with at least one question: {len(used_docs)} / {len(docs)}; "
          f"max questions on one document: {max(used_docs.values()) if used_docs else 0}")
    print("Mean share of question content words found in the answer span:")
    for kind in KINDS:
        vals = overlap[kind]
        if vals:
            print(f"  {kind:<10} {sum(vals) / len(vals):.2f}")
    for w in warnings:
        print(f"WARNING: {w}")
    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
