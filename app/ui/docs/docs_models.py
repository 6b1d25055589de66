"""The Documents page's Qt models (collections, sources, documents) and the sentences it shows: a document's
status, indexing progress, a collection's state."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QColor

from app.core.units import number
from app.core.library.names import display_name
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import DISPLAY, FOREGROUND, HORIZONTAL, SortRole, TOOLTIP, TableModel

ERROR_COLOR = QColor("#b3261e")
KIND_WORDS = {"pdf": "PDF", "markdown": "Markdown", "text": QT_TRANSLATE_NOOP("Documents", "Text"), "html": "HTML",
              "docx": "Word"}  # shown through translate("Documents", ...)
STATUS_WORDS = {"indexed": QT_TRANSLATE_NOOP("Documents", "indexed"),
                "waiting": QT_TRANSLATE_NOOP("Documents", "waiting"),
                "indexing": QT_TRANSLATE_NOOP("Documents", "indexing…")}


# ---- collections ------------------------------------------------------------------------------------------------
@dataclass
class CollectionRow:
    name: str
    embed_model: str
    indexed: int = 0
    chunks: int = 0
    errors: int = 0


class CollectionsModel(TableModel):
    headers = (QT_TRANSLATE_NOOP("CollectionsModel", "Collection"), QT_TRANSLATE_NOOP("CollectionsModel", "Docs"),
               QT_TRANSLATE_NOOP("CollectionsModel", "Chunks"))
    header_tips = ("", QT_TRANSLATE_NOOP("CollectionsModel", "Documents indexed"),
                   QT_TRANSLATE_NOOP("CollectionsModel", "Passages indexed for search"))

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        if role == TOOLTIP and orientation == HORIZONTAL and 0 <= section < len(self.headers):
            tip = self.header_tips[section]
            return translate("CollectionsModel", tip) if tip else None
        value = super().headerData(section, orientation, role)
        return translate("CollectionsModel", value) if isinstance(value, str) else value

    def cell(self, r: CollectionRow, col: int, role: int):
        if role == DISPLAY:
            return (r.name, number(r.indexed), number(r.chunks))[col]
        if role == SortRole:
            return (r.name.lower(), r.indexed, r.chunks)[col]
        if role == TOOLTIP:
            n = r.indexed  # (a plain name: pyside6-lupdate skips a call whose count is an expression)
            values = dict(name=r.name, count=number(n), errors=number(r.errors),
                          model=display_name(Path(r.embed_model).name))
            if r.errors:
                return translate("CollectionsModel", "{name}: {count} document(s) indexed, {errors} could not be "
                                 "read; embedding model {model}", None, n).format(**values)
            return translate("CollectionsModel", "{name}: {count} document(s) indexed; embedding model {model}",
                             None, n).format(**values)
        return None

    def names(self) -> list[str]:
        return [r.name for r in self.rows]

    def row_of(self, name: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.name == name), -1)

    def set_counts(self, name: str, indexed: int, chunks: int, errors: int) -> None:
        i = self.row_of(name)
        if i >= 0:
            r = self.rows[i]
            r.indexed, r.chunks, r.errors = indexed, chunks, errors
            self.refresh_rows([i])


# ---- sources ----------------------------------------------------------------------------------------------------
@dataclass
class SourceRow:
    path: str
    documents: int
    missing: str = ""  # why it is not there


class SourcesModel(TableModel):
    headers = (QT_TRANSLATE_NOOP("SourcesModel", "Source (file or folder you added)"),
               QT_TRANSLATE_NOOP("SourcesModel", "Documents"))

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        value = super().headerData(section, orientation, role)
        return translate("SourcesModel", value) if isinstance(value, str) else value

    def cell(self, r: SourceRow, col: int, role: int):
        if role == DISPLAY:
            return (r.path, translate("SourcesModel", "not found") if r.missing else number(r.documents))[col]
        if role == SortRole:
            return (r.path.lower(), r.documents)[col]
        if role == TOOLTIP:
            return f"{r.path}: {r.missing}" if r.missing else r.path
        if role == FOREGROUND and r.missing:
            return ERROR_COLOR
        return None


def source_rows(sources: list[str], documents: list, missing: list[tuple[str, str]]) -> list[SourceRow]:
    """``documents``: anything with a ``path`` (the table's rows: indexed, failed and waiting files alike)."""
    why = dict(missing)
    rows = []
    for s in sources:
        sp = Path(s)
        n = sum(1 for d in documents if Path(d.path) == sp or sp in Path(d.path).parents)
        rows.append(SourceRow(s, n, why.get(s, "")))
    return rows


# ---- documents --------------------------------------------------------------------------------------------------
@dataclass
class DocRow:
    path: str
    status: str  # indexed | waiting | indexing | error
    message: str = ""
    kind: str = ""
    pages: int = 0
    chunks: int = 0

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def folder(self) -> str:
        return str(Path(self.path).parent)


def kind_of(path: str, stored: str = "") -> str:
    from app.core.docs.extract import kind_of as core_kind

    kind = stored or core_kind(Path(path)) or ""
    if kind in KIND_WORDS:
        return translate("Documents", KIND_WORDS[kind])
    return kind or Path(path).suffix.lstrip(".").upper()


def status_text(r: DocRow) -> str:
    if r.status == "error":
        # a sentence that may begin with the file's name: kept as is
        return r.message or translate("Documents", "could not be read")
    return translate("Documents", STATUS_WORDS[r.status]) if r.status in STATUS_WORDS else r.status


def doc_row(d) -> DocRow:
    """A row from a stored document (app.core.docs.store.Document)."""
    status = d.status if d.status in ("indexed", "error") else "waiting"
    return DocRow(d.path, status, d.message, kind_of(d.path, d.kind), d.pages, d.n_chunks)


def doc_rows(documents: list, waiting: list[str]) -> list[DocRow]:
    """The stored documents, with the files found under the sources that still wait to be indexed (new, changed
    or pending) marked so."""
    wait = set(waiting)
    rows = {d.path: doc_row(d) for d in documents}
    for p in waiting:
        rows[p] = DocRow(p, "waiting", "", kind_of(p))
    for p, r in rows.items():
        if p in wait:
            r.status = "waiting"
    return [rows[p] for p in sorted(rows)]


class DocumentsModel(TableModel):
    # the status beside the name: on a narrow window the folder (last, stretched) is what scrolls out of view
    headers = (QT_TRANSLATE_NOOP("DocumentsModel", "File"), QT_TRANSLATE_NOOP("DocumentsModel", "Status"),
               QT_TRANSLATE_NOOP("DocumentsModel", "Kind"), QT_TRANSLATE_NOOP("DocumentsModel", "Pages"),
               QT_TRANSLATE_NOOP("DocumentsModel", "Chunks"), QT_TRANSLATE_NOOP("DocumentsModel", "Folder"))
    STATUS, FOLDER = 1, 5

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        value = super().headerData(section, orientation, role)
        return translate("DocumentsModel", value) if isinstance(value, str) else value

    def cell(self, r: DocRow, col: int, role: int):
        if role == DISPLAY:
            return (r.name, status_text(r), r.kind, str(r.pages) if r.pages else "", str(r.chunks) if r.chunks else "",
                    r.folder)[col]
        if role == SortRole:
            return (r.name.lower(), f"{r.status} {r.message}", r.kind, r.pages, r.chunks, r.folder.lower())[col]
        if role == TOOLTIP:
            return f"{r.path}\n{status_text(r)}" if col == self.STATUS else r.path
        if role == FOREGROUND and r.status == "error":
            return ERROR_COLOR
        return None

    def update(self, row: DocRow) -> None:
        """Replace the row with the same path (or add it)."""
        for i, r in enumerate(self.rows):
            if r.path == row.path:
                self.rows[i] = row
                self.refresh_rows([i])
                return
        self.append_rows([row])

    def mark_indexing(self, path: str) -> None:
        for i, r in enumerate(self.rows):
            if r.path == path:
                r.status = "indexing"
                self.refresh_rows([i])
                return


# ---- sentences --------------------------------------------------------------------------------------------------
def about(seconds: float | None) -> str:
    """A time left for people: "about 40 s left", "about 3 min left", "about 2 h left"."""
    if seconds is None:
        return ""
    if seconds < 60:
        return translate("Documents", "about {seconds} s left").format(seconds=max(1, round(seconds)))
    if seconds < 3600:
        return translate("Documents", "about {minutes} min left").format(minutes=round(seconds / 60))
    h = round(seconds / 3600, 1)
    return translate("Documents", "about {hours} h left").format(hours=number(h, 0 if h == int(h) else 1))


def progress_text(s) -> str:
    """``12 of 36 files · 140 chunks · 1.3 chunks/s · about 3 min left · now: manual.pdf`` (a Snapshot)."""
    total = s.files_total  # (a plain name: pyside6-lupdate skips a call whose count is an expression)
    parts = [translate("Documents", "{done} of {count} file(s)", None, total).format(done=number(s.files_done),
                                                                                    count=number(total)),
             chunks_text(s.chunks_done)]
    if s.chunks_done:
        parts.append(translate("Documents", "{rate} chunks/s").format(rate=number(s.chunks_per_s, 1)))
    left = about(s.eta_s) if s.files_done < s.files_total else ""
    if left:
        parts.append(left)
    if s.current:
        parts.append(translate("Documents", "now: {name}").format(name=Path(s.current).name))
    return " · ".join(parts)


def unread_text(errors: int, missing: int) -> str:
    out = "; " + translate("Documents", "{count} could not be read").format(count=number(errors)) if errors else ""
    if missing:
        out += "; " + translate("Documents", "{count} source(s) not found", None, missing).format(
            count=number(missing))
    return out


def documents_text(n: int) -> str:
    """``1 document``, ``1,024 documents``."""
    return translate("Documents", "{count} document(s)", None, n).format(count=number(n))


def chunks_text(n: int) -> str:
    """``1 chunk``, ``1,210 chunks``."""
    return translate("Documents", "{count} chunk(s)", None, n).format(count=number(n))


def finished_text(state) -> str:
    """After a run: "Indexed 34 documents (1,210 chunks); 2 could not be read" (a CollectionState)."""
    return (translate("Documents", "Indexed {documents} ({chunks})").format(
        documents=documents_text(state.indexed), chunks=chunks_text(state.chunks))
        + unread_text(state.errors, len(state.missing)))


def idle_text(state) -> str:
    """A collection's state when nothing runs (a CollectionState)."""
    if not state.sources:
        return translate("Documents", "Add files or a folder: drop them on this page, or use Add files… or Add "
                         "folder…")
    if state.waiting:
        n = len(state.waiting)  # (a plain name: pyside6-lupdate skips a call whose count is an expression)
        return translate("Documents", "{count} file(s) waiting — press Index now", None, n).format(count=number(n))
    return (translate("Documents", "{documents} indexed ({chunks})").format(
        documents=documents_text(state.indexed), chunks=chunks_text(state.chunks))
        + unread_text(state.errors, len(state.missing)))
