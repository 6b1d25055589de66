"""Text extraction from real files: PDFs drawn with Qt (pages, outline, scans, passwords, damage), Markdown, HTML,
Word, plain text in several encodings; and the file checks (empty, too large, missing, unknown kind)."""
from __future__ import annotations

import codecs
import logging
import random
import unicodedata
from pathlib import Path

import pytest
from docs_samples import (LOREM, TURKISH, docx, drawn_pdf, encrypted, qt_document_pdf, w_paragraph, w_style,
                          with_outline)

from app.core.docs.extract import SUPPORTED, ExtractCancelled, Extracted, ExtractError, extract

try:
    import cryptography  # noqa: F401 - pypdf encrypts and decrypts AES with it (RC4 it does alone)
    HAVE_AES = True
except ImportError:
    HAVE_AES = False


def check_offsets(doc: Extracted) -> None:
    assert doc.text == "\n\n".join(b.text for b in doc.blocks)
    for b in doc.blocks:
        assert doc.text[b.start:b.start + len(b.text)] == b.text
        assert b.text == b.text.rstrip() and b.text.strip() and "\x00" not in b.text
        assert unicodedata.is_normalized("NFC", b.text)


def paragraphs(doc: Extracted) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == "paragraph"]


# --- PDF -------------------------------------------------------------------------------------------------------

BOOK_HTML = (
    "<h1>Chapter One</h1>"
    f"<p>Alpha paragraph opens page one. {LOREM * 3}</p>"
    f"<p>{TURKISH}</p>"
    "<h1 style='page-break-before: always'>Chapter Two</h1>"
    f"<p>Bravo paragraph sits on page two. {LOREM * 2}</p>"
    "<p>A short closing line.</p>"
    "<p style='page-break-before: always'>Charlie paragraph is alone on page three.</p>"
)


@pytest.fixture(scope="module")
def book(qapp, tmp_path_factory) -> Path:
    return qt_document_pdf(tmp_path_factory.mktemp("pdf") / "book.pdf", BOOK_HTML)


def test_pdf_text_is_on_the_right_pages(book):
    doc = extract(book)
    check_offsets(doc)
    assert doc.kind == "pdf" and doc.pages == 3 and doc.notes == []
    on = {page: [b.text for b in doc.blocks if b.page == page] for page in (1, 2, 3)}
    assert on[1][0] == "Chapter One"
    assert on[1][1].startswith("Alpha paragraph opens page one. The river runs past the old mill.")
    assert on[1][1].endswith("writes the weight in a book.")  # the wrapped lines are one paragraph
    assert on[1][2] == TURKISH
    assert on[2] == ["Chapter Two", on[2][1], "A short closing line."]
    assert on[2][1].startswith("Bravo paragraph sits on page two.")
    assert on[3] == ["Charlie paragraph is alone on page three."]  # the page number "3" is dropped
    assert not any(b.text.isdigit() for b in doc.blocks)


def test_pdf_without_outline_takes_large_type_as_headings(book):
    doc = extract(book)
    headings = [(b.text, b.page) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("Chapter One", 1), ("Chapter Two", 2)]
    assert {b.heading for b in doc.blocks if b.page == 3} == {"Chapter Two"}


def test_pdf_outline_gives_the_heading_path(book, tmp_path):
    pdf = with_outline(book, tmp_path / "outlined.pdf", [
        ("Chapter One", 0, 0), ("Background", 0, 1),  # "Background" is not a line of the page
        ("Chapter Two", 1, 0), ("Appendix", 2, 1),
    ])
    doc = extract(pdf)
    check_offsets(doc)
    path_of = {b.text[:7]: b.heading for b in doc.blocks}
    assert path_of["Chapter"] in ("Chapter One", "Chapter Two")
    assert path_of["Alpha p"] == "Chapter One › Background"
    assert path_of[TURKISH[:7]] == "Chapter One › Background"
    assert path_of["Bravo p"] == "Chapter Two"
    assert path_of["Charlie"] == "Chapter Two › Appendix"
    assert [(b.text, b.page) for b in doc.blocks if b.kind == "heading"] == [("Chapter One", 1), ("Chapter Two", 2)]


def test_drawn_lines_far_apart_are_separate_paragraphs(qapp, tmp_path):
    pdf = drawn_pdf(tmp_path / "drawn.pdf", [["First drawn line.", "Second drawn line."], ["Page two line."]])
    doc = extract(pdf)
    assert [(b.text, b.page) for b in doc.blocks] == [
        ("First drawn line.", 1), ("Second drawn line.", 1), ("Page two line.", 2)]


def test_a_pdf_without_any_text_is_said_to_be_scanned(qapp, tmp_path):
    pdf = drawn_pdf(tmp_path / "scan.pdf", [None, None])
    with pytest.raises(ExtractError, match="^No text found in scan.pdf: it looks scanned, and OCR is not supported$"):
        extract(pdf)


def test_pages_without_text_are_noted(qapp, tmp_path):
    pdf = drawn_pdf(tmp_path / "mixed.pdf", [["Text on page one."], None, ["Text on page three."], None, None])
    doc = extract(pdf)
    assert doc.pages == 5
    assert [(b.text, b.page) for b in doc.blocks] == [("Text on page one.", 1), ("Text on page three.", 3)]
    assert doc.notes == ["pages 2, 4–5 of mixed.pdf have no text layer (scanned?): OCR is not supported"]


def test_a_password_protected_pdf_is_refused_in_words(book, tmp_path):
    for algorithm in ("RC4-128", "AES-256") if HAVE_AES else ("RC4-128",):
        pdf = encrypted(book, tmp_path / f"locked-{algorithm}.pdf", "secret", algorithm=algorithm)
        with pytest.raises(ExtractError, match="is encrypted with a password; Hearth cannot read it"):
            extract(pdf)


def test_a_pdf_encrypted_with_an_empty_password_is_read(book, tmp_path):
    """Only an owner password (restrictions on printing, copying): any viewer opens it, and so does Hearth."""
    pdf = encrypted(book, tmp_path / "restricted.pdf", "", owner_password="owner")
    doc = extract(pdf)
    assert any(b.text.startswith("Charlie paragraph") and b.page == 3 for b in doc.blocks)
    if not HAVE_AES:
        return
    aes = encrypted(book, tmp_path / "restricted-aes.pdf", "", owner_password="owner", algorithm="AES-128")
    assert extract(aes).text == doc.text


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_damaged_pdfs_give_a_sentence_not_a_traceback(book, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="hearth.docs")
    on_root = _ListHandler()
    logging.getLogger().addHandler(on_root)
    try:
        damage_pdfs(book.read_bytes(), tmp_path)
    finally:
        logging.getLogger().removeHandler(on_root)
    # pypdf's warnings about what it repaired are debug lines of Hearth's log, not warnings on the root logger
    assert [r for r in caplog.records if r.name == "hearth.docs" and r.getMessage().startswith("pypdf: ")]
    assert not [r for r in on_root.records if r.name.startswith("pypdf")]


def damage_pdfs(data: bytes, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(5000))
    with pytest.raises(ExtractError, match="junk.pdf is damaged or is not really a PDF"):
        extract(junk)
    for i, cut in enumerate([10, 200, len(data) // 3, len(data) // 2, len(data) - 40]):
        damaged = tmp_path / f"cut{i}.pdf"
        damaged.write_bytes(data[:cut])
        try:
            extract(damaged)  # pypdf may rebuild what is there; if not, a sentence naming the file
        except ExtractError as exc:
            assert f"cut{i}.pdf" in str(exc)
    rng = random.Random(7)
    for i in range(8):
        flipped = bytearray(data)
        for _ in range(40):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        damaged = tmp_path / f"flipped{i}.pdf"
        damaged.write_bytes(bytes(flipped))
        try:
            extract(damaged)
        except ExtractError as exc:
            assert f"flipped{i}.pdf" in str(exc)


def test_should_stop_is_asked_between_pages(qapp, tmp_path):
    pdf = drawn_pdf(tmp_path / "long.pdf", [[f"Line on page {n}."] for n in range(1, 7)])
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(ExtractCancelled):
        extract(pdf, should_stop=stop)
    assert len(asked) == 3
    assert len(extract(pdf, should_stop=lambda: False).blocks) == 6


# --- the file itself -------------------------------------------------------------------------------------------

def test_empty_files(tmp_path):
    for name, data in [("empty.pdf", b""), ("empty.txt", b""), ("blank.md", b"  \n\n\t \n"),
                       ("bom.txt", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"))]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ExtractError, match=f"^{name} is empty$"):
            extract(tmp_path / name)


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as f:
        f.truncate(200 * 2**20)  # sparse: nothing written
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("the file was opened"))
    with pytest.raises(ExtractError) as err:
        extract(big)
    assert str(err.value) == "huge.pdf is too large (200.0 MiB); Hearth indexes files up to 64.0 MiB"
    with pytest.raises(ExtractError, match=r"up to 1 KiB"):
        extract(big, max_bytes=1024)


def test_unknown_missing_and_folder(tmp_path):
    (tmp_path / "sheet.xlsx").write_bytes(b"PK")
    with pytest.raises(ExtractError, match=r"cannot read sheet.xlsx: it reads PDF, Markdown .* and Word \(.docx\)"):
        extract(tmp_path / "sheet.xlsx")
    with pytest.raises(ExtractError, match="gone.pdf does not exist"):
        extract(tmp_path / "gone.pdf")
    (tmp_path / "notes.md").mkdir()
    with pytest.raises(ExtractError, match="notes.md is a folder"):
        extract(tmp_path / "notes.md")
    assert {".pdf", ".md", ".markdown", ".txt", ".text", ".html", ".htm", ".docx"} <= SUPPORTED
    (tmp_path / "SHOUT.PDF").write_bytes(b"")
    with pytest.raises(ExtractError, match="is empty"):  # the suffix is not case sensitive
        extract(tmp_path / "SHOUT.PDF")


# --- plain text ------------------------------------------------------------------------------------------------

def test_turkish_text_survives_exactly(tmp_path):
    f = tmp_path / "tr.txt"
    f.write_text(f"{TURKISH}\n\nIĞDIR ılıca ŞÜKRÜ öğütücü çİ\n", encoding="utf-8")
    assert paragraphs(extract(f)) == [TURKISH, "IĞDIR ılıca ŞÜKRÜ öğütücü çİ"]
    decomposed = unicodedata.normalize("NFD", TURKISH)
    assert decomposed != TURKISH
    f.write_text(decomposed, encoding="utf-8")
    assert paragraphs(extract(f)) == [TURKISH]  # composed again (NFC)


def test_text_encodings(tmp_path):
    cases = {
        "utf8bom.txt": codecs.BOM_UTF8 + TURKISH.encode("utf-8"),
        "utf16.txt": TURKISH.encode("utf-16"),  # with a BOM
        "utf16be.txt": codecs.BOM_UTF16_BE + TURKISH.encode("utf-16-be"),
        "utf16nobom.txt": "Plain words in UTF-16 without a mark.".encode("utf-16-le"),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        doc = extract(tmp_path / name)
        assert doc.notes == [], name
        assert paragraphs(doc) == [data.decode("utf-8-sig") if "8" in name else
                                   "Plain words in UTF-16 without a mark." if "nobom" in name else TURKISH]
    (tmp_path / "win.txt").write_bytes("Café – naïve “quotes” €5\r\n\r\nSecond".encode("cp1252"))
    doc = extract(tmp_path / "win.txt")
    assert paragraphs(doc) == ["Café – naïve “quotes” €5", "Second"]
    assert doc.notes == ["win.txt is not UTF-8: it was read as Windows-1252 (Western European), "
                         "so some characters may be wrong"]
    (tmp_path / "odd.txt").write_bytes(b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e \x81 end")  # 0x81: not cp1252
    doc = extract(tmp_path / "odd.txt")
    assert paragraphs(doc)[0].startswith("café") and "Latin-1" in doc.notes[0]


def test_text_is_cleaned(tmp_path):
    f = tmp_path / "messy.txt"
    f.write_bytes("one\x00 two   three\t\tfour  \r\nline two\n \n\n\n\x0cnext\u00a0 para\u200b.".encode("utf-8"))
    doc = extract(f)
    check_offsets(doc)
    assert paragraphs(doc) == ["one two three four\nline two", "next para."]
    assert doc.blocks[1].start == len("one two three four\nline two\n\n")


def test_binary_data_named_txt_is_refused(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(ExtractError, match="photo.txt does not look like a text file"):
        extract(f)


# --- Markdown --------------------------------------------------------------------------------------------------

MARKDOWN = """---
title: Guide
tags: [a, b]
---
Intro paragraph
spans two lines.

# Installation

Get the package.

## On Linux ##

Run this:

```bash
# not a heading
sudo apt   install hearth

echo done
```

Setext Title
============

Under the setext title.

Setext Sub
----------

* one
* two

***

### Deep

Deep text.
"""


def test_markdown_headings_paragraphs_and_code(tmp_path):
    f = tmp_path / "guide.md"
    f.write_text(MARKDOWN, encoding="utf-8")
    doc = extract(f)
    check_offsets(doc)
    assert doc.kind == "markdown" and doc.pages == 0
    got = [(b.kind, b.heading, b.text) for b in doc.blocks]
    assert got == [
        ("paragraph", "", "Intro paragraph\nspans two lines."),
        ("heading", "Installation", "Installation"),
        ("paragraph", "Installation", "Get the package."),
        ("heading", "Installation › On Linux", "On Linux"),
        ("paragraph", "Installation › On Linux", "Run this:"),
        ("paragraph", "Installation › On Linux",
         "```bash\n# not a heading\nsudo apt   install hearth\n\necho done\n```"),
        ("heading", "Setext Title", "Setext Title"),
        ("paragraph", "Setext Title", "Under the setext title."),
        ("heading", "Setext Title › Setext Sub", "Setext Sub"),
        ("paragraph", "Setext Title › Setext Sub", "* one\n* two"),
        ("heading", "Setext Title › Setext Sub › Deep", "Deep"),
        ("paragraph", "Setext Title › Setext Sub › Deep", "Deep text."),
    ]
    assert all(b.page is None for b in doc.blocks)


def test_markdown_rule_at_the_top_is_not_front_matter(tmp_path):
    f = tmp_path / "rule.markdown"
    f.write_text("---\n\nText after a rule.\n\n---\n\nMore.", encoding="utf-8")
    assert paragraphs(extract(f)) == ["Text after a rule.", "More."]


# --- HTML ------------------------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Page title</title><meta charset="utf-8">
<style>p { color: red; }</style><script>var secret = "do not index";</script></head>
<body><nav><a href="/">Home</a> <a href="/x">Menu</a></nav>
<h1>Caf&eacute; &amp; Bar</h1><p>First   paragraph with <b>bold</b> and&nbsp;an entity &lt;tag&gt;.</p>
<div>A div of text<br>with a break</div>
<h2>Lists</h2><ul><li>Apple</li><li>Pear</li></ul>
<table><tr><th>Name</th><th>Price</th></tr><tr><td><p>Tea</p></td><td>3 €</td></tr></table>
<pre>  indented
    code</pre>
<script>document.write("nope")</script><p>İstanbul'da ılık bir gün; Şişli, Göztepe, Çağlayan.</p>
</body></html>"""


def test_html_headings_paragraphs_and_dropped_parts(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    doc = extract(f)
    check_offsets(doc)
    got = [(b.kind, b.heading, b.text) for b in doc.blocks]
    assert got == [
        ("heading", "Café & Bar", "Café & Bar"),
        ("paragraph", "Café & Bar", "First paragraph with bold and an entity <tag>."),
        ("paragraph", "Café & Bar", "A div of text\nwith a break"),
        ("heading", "Café & Bar › Lists", "Lists"),
        ("paragraph", "Café & Bar › Lists", "Apple"),
        ("paragraph", "Café & Bar › Lists", "Pear"),
        ("paragraph", "Café & Bar › Lists", "Name | Price"),
        ("paragraph", "Café & Bar › Lists", "Tea | 3 €"),
        ("paragraph", "Café & Bar › Lists", "  indented\n    code"),
        ("paragraph", "Café & Bar › Lists", TURKISH),
    ]
    for hidden in ("secret", "color", "Home", "Menu", "Page title", "nope"):
        assert hidden not in doc.text


def test_html_declared_charset(tmp_path):
    f = tmp_path / "legacy.htm"
    f.write_bytes('<meta charset="windows-1254"><p>Şişli ılık</p>'.encode("cp1254"))
    assert paragraphs(extract(f)) == ["Şişli ılık"]


# --- Word ------------------------------------------------------------------------------------------------------

def test_docx_paragraphs_headings_and_tables(tmp_path):
    body = (w_paragraph("Annual Report", "Title")
            + w_paragraph("Intro text in |two runs.")
            + w_paragraph("Sales", "Balk1")  # Turkish Word's id for Heading 1, named in styles.xml
            + w_paragraph(TURKISH)
            + w_paragraph("By region", "Heading2")  # an English id with no styles.xml entry
            + '<w:p><w:r><w:t>Tab</w:t><w:tab/><w:t>and</w:t><w:br/><w:t>break</w:t>'
              '<w:delText>deleted</w:delText></w:r></w:p>'
            + "<w:tbl><w:tr><w:tc>" + w_paragraph("North") + "</w:tc><w:tc>" + w_paragraph("12") + "</w:tc></w:tr>"
              "<w:tr><w:tc>" + w_paragraph("South") + "</w:tc><w:tc>" + w_paragraph("9") + "</w:tc></w:tr></w:tbl>"
            + '<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Outline level heading</w:t></w:r></w:p>'
            + w_paragraph("Last words."))
    f = docx(tmp_path / "report.docx", body, w_style("Balk1", "heading 1") + w_style("KonuBal", "Title"))
    doc = extract(f)
    check_offsets(doc)
    got = [(b.kind, b.heading, b.text) for b in doc.blocks]
    assert got == [
        ("heading", "Annual Report", "Annual Report"),
        ("paragraph", "Annual Report", "Intro text in two runs."),
        ("heading", "Annual Report › Sales", "Sales"),
        ("paragraph", "Annual Report › Sales", TURKISH),
        ("heading", "Annual Report › Sales › By region", "By region"),
        ("paragraph", "Annual Report › Sales › By region", "Tab and\nbreak"),
        ("paragraph", "Annual Report › Sales › By region", "North | 12"),
        ("paragraph", "Annual Report › Sales › By region", "South | 9"),
        ("heading", "Annual Report › Outline level heading", "Outline level heading"),
        ("paragraph", "Annual Report › Outline level heading", "Last words."),
    ]
    assert doc.kind == "docx"


def test_damaged_docx(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(ExtractError, match="bad.docx is damaged or is not really a Word document"):
        extract(bad)
    good = docx(tmp_path / "cut.docx", w_paragraph("Some text. ") * 200)
    cut = tmp_path / "cut2.docx"
    cut.write_bytes(good.read_bytes()[:-60])
    with pytest.raises(ExtractError, match="cut2.docx"):
        extract(cut)
    import zipfile
    with zipfile.ZipFile(tmp_path / "other.docx", "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ExtractError, match="other.docx is not a Word document"):
        extract(tmp_path / "other.docx")
    with zipfile.ZipFile(tmp_path / "xml.docx", "w") as z:
        z.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(ExtractError, match="xml.docx is damaged"):
        extract(tmp_path / "xml.docx")
    entity = docx(tmp_path / "entity.docx", "")
    with zipfile.ZipFile(entity, "w") as z:
        z.writestr("word/document.xml", '<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;&a;</d>')
    with pytest.raises(ExtractError, match="entity.docx holds XML that Word does not write"):
        extract(entity)
    empty = docx(tmp_path / "nothing.docx", w_paragraph("  "))
    with pytest.raises(ExtractError, match="nothing.docx has no text to index"):
        extract(empty)
