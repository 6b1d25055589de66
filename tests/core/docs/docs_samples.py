"""Real sample documents for the extraction tests: PDFs drawn with Qt (the offscreen platform), a minimal .docx
written with zipfile. Qt is used only here, to make files; app/core/docs never imports it."""
from __future__ import annotations

import zipfile
from pathlib import Path

LOREM = ("The river runs past the old mill. Farmers bring their grain in the autumn. The miller weighs each sack "
         "and writes the weight in a book. ")
TURKISH = "İstanbul'da ılık bir gün; Şişli, Göztepe, Çağlayan."


def qt_document_pdf(path: Path, html: str) -> Path:
    """A PDF laid out by QTextDocument (wrapped paragraphs, heading fonts, page breaks, page numbers)."""
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    del writer  # the file is complete when the writer is gone
    return path


def drawn_pdf(path: Path, pages: list[list[str] | None]) -> Path:
    """A PDF with one page per entry: its lines drawn as text, one paragraph per line with a gap between them;
    None draws only shapes (a page with no text layer, as a scan has)."""
    from PySide6.QtGui import QFont, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.setFont(QFont("Sans", 12))
    for number, lines in enumerate(pages):
        if number:
            writer.newPage()
        if lines is None:
            painter.drawRect(300, 300, 3000, 2000)
            painter.drawEllipse(600, 3000, 1500, 1500)
            continue
        for i, line in enumerate(lines):
            painter.drawText(400, 600 + i * 900, line)
    painter.end()
    return path


def with_outline(source: Path, target: Path, entries: list[tuple[str, int, int]]) -> Path:
    """``source`` with an outline added by pypdf: (title, page index, depth) in order."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    parents: list = []
    for title, page, depth in entries:
        parent = parents[depth - 1] if depth else None
        item = writer.add_outline_item(title=title, page_number=page, parent=parent)
        parents[depth:] = [item]
    writer.write(target)
    return target


def encrypted(source: Path, target: Path, user_password: str, owner_password: str | None = None,
              algorithm: str = "RC4-128") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    writer.write(target)
    return target


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(path: Path, body: str, styles: str | None = None) -> Path:
    """A minimal Word document: ``body`` is the XML inside <w:body>; ``styles`` the <w:style> elements."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>{body}'
                   '</w:body></w:document>')
        if styles is not None:
            z.writestr("word/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:styles {_W}>{styles}</w:styles>')
    return path


def w_paragraph(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>' for part in text.split("|"))
    return f"<w:p>{props}{runs}</w:p>"


def w_style(style_id: str, name: str) -> str:
    return f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/></w:style>'
