"""Qt models of the Discover tab: repositories (starter picks and search results) and the quantization picker."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor, QFont

from app.core.units import human_bytes, number
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import (ACCESSIBLE_DESC, BACKGROUND, DISPLAY, FONT, FOREGROUND, TOOLTIP, SortRole, TableModel)
from app.ui.common.theme import colors


@dataclass
class RepoRow:
    repo_id: str
    title: str  # e.g. "SmolLM2 360M Instruct" for a starter pick, else the repo id
    detail: str  # "good for", or owner · downloads · likes · updated
    downloads: int = 0
    likes: int = 0
    updated: str = ""
    gated: bool = False
    pick: dict | None = None  # the starter-pick record, when it is one
    fit: str = ""  # starter picks: best quantization and verdict on this computer (estimated offline)
    fit_detail: str = ""
    fit_level: int = -1  # 0 fits fully, 1 partly, 2 does not fit, -1 not known


class RepoModel(TableModel):
    headers = (QT_TRANSLATE_NOOP("RepoModel", "Model"), QT_TRANSLATE_NOOP("RepoModel", "Downloads"),
               QT_TRANSLATE_NOOP("RepoModel", "Likes"), QT_TRANSLATE_NOOP("RepoModel", "Updated"),
               QT_TRANSLATE_NOOP("RepoModel", "Access"), QT_TRANSLATE_NOOP("RepoModel", "Fit here"))

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        text = super().headerData(section, orientation, role)
        return translate("RepoModel", text) if text else text

    def cell(self, r: RepoRow, col: int, role: int):
        if role == DISPLAY:
            if col == 0 and r.pick is not None:
                return f"{r.title} — {r.detail}"  # a starter pick shows what it is good for
            if col == 5:
                if r.fit:
                    return r.fit
                return translate("RepoModel", "estimating…") if r.pick is not None else translate("RepoModel",
                                                                                                     "open to check")
            return (r.title, number(r.downloads) if r.downloads else "—", number(r.likes) if r.likes else "—",
                    r.updated or "—",
                    translate("RepoModel", "gated") if r.gated else translate("RepoModel", "open"))[col]
        if role == TOOLTIP and col == 0:
            return f"{r.repo_id}\n{r.detail}"
        if role == TOOLTIP and col == 5:
            return r.fit_detail or translate("RepoModel",
                                             "Open the repository: each file's verdict is read from its header.")
        if role == SortRole:
            return (r.title.lower(), r.downloads, r.likes, r.updated, r.gated, r.fit_level)[col]
        if role == ACCESSIBLE_DESC and col == 0:
            return r.detail
        if role == FOREGROUND and col == 5 and r.fit_level == 2:
            return QColor("#b3261e")
        return None


# ---- quantization picker ------------------------------------------------------------------------------------------
@dataclass
class QuantRow:
    entry: Any  # app.core.hub.QuantEntry
    bpw: float | None = None  # measured (size / parameters) when the header was read, else nominal
    verdict: str = ""  # "Fits", "Tight", "Too big" ... from the fit estimator
    verdict_detail: str = ""
    level: int = -1  # 0 fits fully, 1 partly/tight, 2 does not fit, -1 unknown
    best: bool = False
    local_path: str = ""  # where it is in the models folder when it is already downloaded (every part of it)


DOWNLOADED_MARK = "✓"  # before the file name; the tooltip, the accessible description and the button say more


class QuantModel(TableModel):
    headers = (QT_TRANSLATE_NOOP("QuantModel", "File"), QT_TRANSLATE_NOOP("QuantModel", "Quantization"),
               QT_TRANSLATE_NOOP("QuantModel", "Size"), QT_TRANSLATE_NOOP("QuantModel", "Bits/weight"),
               QT_TRANSLATE_NOOP("QuantModel", "Fit on this computer"))

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        text = super().headerData(section, orientation, role)
        return translate("QuantModel", text) if text else text

    def cell(self, r: QuantRow, col: int, role: int):
        e = r.entry
        if role == DISPLAY:
            bpw = r.bpw or e.nominal_bpw
            verdict = r.verdict or ("—" if e.kind == "mmproj" else translate("QuantModel", "checking…"))
            if col == 0:  # the mark first: a long file name is cut at its end, never the mark
                name = e.name
                if e.kind == "mmproj":
                    name = translate("QuantModel", "{file} (vision projector)").format(file=e.name)
                return (f"{DOWNLOADED_MARK} " if r.local_path else "") + name
            return (None, e.quant, human_bytes(e.total_size), number(bpw, 2) if bpw else "—",
                    translate("QuantModel", "★ best fit · {verdict}").format(verdict=verdict) if r.best
                    else verdict)[col]
        if role == TOOLTIP:
            if col == 0 and r.local_path:
                return translate("QuantModel", "Already downloaded: {path}").format(path=r.local_path)
            return r.verdict_detail or None
        if role == ACCESSIBLE_DESC and col == 0 and r.local_path:
            return translate("QuantModel", "already downloaded")
        if role == FONT and r.best:
            f = QFont()
            f.setBold(True)
            return f
        if role == BACKGROUND and r.best:
            c = QColor(colors()["highlight"])
            c.setAlpha(40)
            return c
        if role == FOREGROUND and col == 4 and r.level == 2:
            return QColor("#b3261e")
        return None
