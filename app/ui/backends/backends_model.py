"""The Backends table as a Qt model: one row per added backend (:class:`app.core.remote.Backend`), and the words
each cell shows. A handful of rows: a plain Python table model is cheap enough here."""
from __future__ import annotations

import time

from app.core.remote import Backend, RemoteModel
from app.core.units import number, time_ago
from app.ui.common.i18n import QT_TRANSLATE_NOOP, translate
from app.ui.common.table_model import ACCESSIBLE_DESC, DISPLAY, TOOLTIP, TableModel

FIRST_IDS = 3  # model ids shown in the Models column (all of them in its tooltip)


def what_text(b: Backend) -> str:
    """What the server is: "vLLM", "Ollama 0.9.0", "llama.cpp server (b4567)"; marked when on the internet."""
    if not b.name:
        text = b.kind_name
    elif b.name.lower().startswith(b.kind_name.lower()):
        text = b.name
    else:
        text = f"{b.kind_name} ({b.name})"
    return translate("Backends", "{what} · on the internet").format(what=text) if b.public else text


def models_text(b: Backend) -> str:
    if not b.models:
        return translate("Backends", "none served")
    ids = ", ".join(m.id for m in b.models[:FIRST_IDS])
    more = "…" if len(b.models) > FIRST_IDS else ""
    return f"{len(b.models)}: {ids}{more}"


def context_text(models: list[RemoteModel]) -> str:
    """The context the server runs its models with: "8,192 tokens", a range, or "not said (estimated)"."""
    if not models:
        return "—"
    said = sorted({m.n_ctx for m in models if m.n_ctx > 0})
    if not said:
        return translate("Backends", "not said (estimated)")
    text = (translate("Backends", "{n} tokens").format(n=number(said[0])) if len(said) == 1
            else translate("Backends", "{low}–{high} tokens").format(low=number(said[0]), high=number(said[-1])))
    if any(m.n_ctx <= 0 for m in models):
        return translate("Backends", "{context} (some not said)").format(context=text)
    return text


def model_line(m: RemoteModel) -> str:
    """One model as the Check result and the tooltips list it: "llama3.2 · 3.2B · Q4_K_M · context 8,192 tokens"."""
    ctx = (translate("Backends", "context {n} tokens").format(n=number(m.n_ctx)) if m.n_ctx > 0
           else translate("Backends", "context not said (Hearth estimates it)"))
    return " · ".join(x for x in (m.id, m.details, ctx) if x)


def key_text(b: Backend) -> str:
    return translate("Backends", "kept in the keyring") if b.has_key else translate("Backends", "none")


def checked_text(ts: float, now: float | None = None) -> str:
    return time_ago(ts, now, "%d %b %Y %H:%M") if ts > 0 else translate("Backends", "never")


def tooltip(b: Backend) -> str:
    lines = [translate("Backends", "{kind} at {url}").format(kind=b.kind_name, url=b.url)]
    if b.public:
        lines.append(translate("Backends", "On the internet: conversations with its models leave this computer."))
    lines += [f"• {model_line(m)}" for m in b.models[:30]]
    if len(b.models) > 30:
        lines.append(translate("Backends", "… and {n} more").format(n=len(b.models) - 30))
    if b.checked_at > 0:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(b.checked_at))
        lines.append(translate("Backends", "Checked {time}").format(time=when))
    return "\n".join(lines)


class BackendsModel(TableModel):
    headers = (QT_TRANSLATE_NOOP("BackendsModel", "Address"), QT_TRANSLATE_NOOP("BackendsModel", "What it is"),
               QT_TRANSLATE_NOOP("BackendsModel", "Models"), QT_TRANSLATE_NOOP("BackendsModel", "Context"),
               QT_TRANSLATE_NOOP("BackendsModel", "Key"), QT_TRANSLATE_NOOP("BackendsModel", "Checked"))
    MODELS_COLUMN = 2

    def headerData(self, section: int, orientation, role: int = DISPLAY):  # noqa: N802
        text = super().headerData(section, orientation, role)
        return translate("BackendsModel", text) if text else text

    def texts(self, b: Backend) -> tuple[str, ...]:
        return (b.url, what_text(b), models_text(b), context_text(b.models), key_text(b), checked_text(b.checked_at))

    def cell(self, b: Backend, col: int, role: int):
        if role == DISPLAY:
            return self.texts(b)[col]
        if role == TOOLTIP:
            return tooltip(b)
        if role == ACCESSIBLE_DESC:
            return f"{translate('BackendsModel', self.headers[col])}: {self.texts(b)[col]}"
        return None

    def row_of(self, url: str) -> int:
        return next((i for i, b in enumerate(self.rows) if b.url == url), -1)
