"""Fit verdicts for the Models page: for a file on the Hub (its header read with HTTP Range requests by
:mod:`app.core.gguf.remote`, a few MB at most, never the whole file), for a file in the library, and for a starter
pick before anything is downloaded (from its architecture facts). Every verdict goes through
:func:`app.core.fit.here.fit_here` with the caller's :class:`FitSettings`, like the Hardware page's and
``hearth fit``'s; this module only feeds it a header (or facts)."""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from app.core import net
from app.core.fit.here import FitSettings, fit_here, machine_options
from app.core.gguf.header import GGUFError
from app.core.i18n import QT_TRANSLATE_NOOP, Text, translate
from app.core.units import number, number_format

log = logging.getLogger("hearth.fit")

LEVELS = {"gpu_full": 0, "cpu": 0, "partial": 1, "no_fit": 2}
SHORT = {"gpu_full": QT_TRANSLATE_NOOP("FitVerdict", "Fits (GPU)"),
         "cpu": QT_TRANSLATE_NOOP("FitVerdict", "Fits (CPU, in RAM)"),
         "partial": QT_TRANSLATE_NOOP("FitVerdict", "Partly on GPU"),
         "no_fit": QT_TRANSLATE_NOOP("FitVerdict", "Too big")}  # shown as translate("FitVerdict", label)
EVEN = QT_TRANSLATE_NOOP("FitVerdict", "{label} (even {quant})")  # no quantization fits: the smallest's verdict


@dataclass
class Verdict:
    label: str  # short text for a table cell
    level: int  # 0 fits fully, 1 partly, 2 does not fit
    detail: str  # tooltip: the numbers behind it
    bpw: float | None = None  # bits per weight measured from the header (file size / parameters)
    bytes_read: int = 0  # how much of the remote file was fetched
    result: object = None  # the estimator's FitResult behind it (memory per device, GPU layers, largest context)


def verdict_for_model(model, settings: FitSettings, info=None, extras=()) -> Verdict:
    """The verdict for a parsed GGUF (local or read from the Hub) on this computer (app/core/fit/here.py);
    ``info``: this computer's HardwareInfo when the caller already has it (a batch of verdicts); ``extras``: the
    adapters and projector loaded with it (:mod:`app.core.fit.extras`)."""
    from app.core.fit.model_profile import profile_from_gguf

    res = fit_here(profile_from_gguf(model), settings, info, extras)
    params = sum(t.n_elements for t in model.tensors)
    size = sum(t.nbytes for t in model.tensors)
    return _verdict(res, settings.n_ctx, (8 * size / params) if params else None)


def _verdict(res, n_ctx: int, bpw: float | None) -> Verdict:
    gib = 1024 ** 3
    need = sum(res.required.values()) / gib
    have = sum(res.budget.values()) / gib
    detail = translate("FitVerdict", "{label} at {tokens} tokens: needs about {need} GiB, {have} GiB available. "
                                     "Largest context that fits: {largest} tokens.").format(
        label=res.label, tokens=number(n_ctx), need=_one_decimal(need), have=_one_decimal(have),
        largest=number(res.max_ctx))
    if res.notes:  # a note with values is a Text already; the others are marked in the estimator's tables
        detail += " " + "; ".join(n if isinstance(n, Text) else translate("FitVerdict", n) for n in res.notes)
    return Verdict(label=SHORT.get(res.verdict, res.label), level=LEVELS.get(res.verdict, 2), detail=detail,
                   bpw=bpw, result=res)


def _one_decimal(x: float) -> str:
    """``x`` with one decimal in the current number format (English: exactly ``f"{x:.1f}"``)."""
    return f"{x:.1f}".replace(".", number_format().decimal_point)


@dataclass
class PickFit:
    """A starter pick's verdict on this computer, from the architecture facts shipped with Hearth (no network)."""
    best_quant: str | None  # the largest quantization that fits fully; None when none does
    quant: str  # the quantization the verdict is for: the best one, else the smallest
    verdict: Verdict

    @property
    def summary(self) -> str:
        if self.best_quant:
            return f"{self.best_quant}: {self.verdict.label}"
        return EVEN.format(label=self.verdict.label, quant=self.quant)


def starter_pick_verdicts(settings: FitSettings, picks: list[dict] | None = None, devs=None) -> dict[str, PickFit]:
    """Each starter pick's best fitting quantization and verdict with ``settings`` (the context capped at the
    pick's trained context), keyed by the pick's ``id``. Estimated from ``resources/starter_picks.json``: offline,
    a few ms. ``devs`` replaces this computer's devices (tests)."""
    from app.core.fit.memory import FitError, fit
    from app.core.fit.starter_picks import load_picks, pick_profile
    from app.core.hub import BITS_PER_WEIGHT

    picks = load_picks() if picks is None else picks
    opts, here = machine_options(settings)
    devs = here if devs is None else devs
    out: dict[str, PickFit] = {}
    for pick in picks:
        if not pick.get("arch") or pick.get("kind", "chat") != "chat":
            continue  # an embedding model offered for documents: not judged as a chat model
        ctx = min(settings.n_ctx, int(pick.get("context_length") or settings.n_ctx))
        params = int(pick.get("parameters") or 0)
        judged = []
        for quant in sorted(pick.get("quants", []), key=lambda q: int(q["size"])):
            try:
                res = fit(pick_profile(pick, quant), replace(opts, n_ctx=ctx), devs)
            except FitError as exc:
                log.info("no verdict for %s %s: %s", pick.get("id"), quant.get("type"), exc)
                continue
            bpw = BITS_PER_WEIGHT.get(quant["type"]) or (8 * int(quant["size"]) / params if params else None)
            judged.append((quant["type"], _verdict(res, ctx, bpw)))
        if not judged:
            continue
        fitting = [(q, v) for q, v in judged if v.level == 0]
        quant, v = fitting[-1] if fitting else judged[0]
        v.detail = translate("FitVerdict", "{detail} Estimated from the model's architecture (nothing "
                                           "downloaded).").format(detail=v.detail)
        out[str(pick.get("id") or pick.get("repo_id"))] = PickFit(quant if fitting else None, quant, v)
    return out


# headers read from the Hub, per endpoint, repository, revision and file: changing the context on Discover
# re-estimates from the header already read instead of fetching it again (8.3 MB for Gemma 3 270M)
HEADER_CACHE_SIZE = 16
_headers: "OrderedDict[tuple, object]" = OrderedDict()
_headers_lock = threading.Lock()


def remote_verdict(repo_id: str, revision: str, files: list[tuple[str, int]], settings: FitSettings, *,
                   endpoint: str, token: str | None = None) -> Verdict:
    """Verdict for a GGUF on the Hub, reading only its header with HTTP Range requests (every shard's header for a
    split model). ``files``: the (name, size) of each shard, as the repository listing gives them. The reader is
    :mod:`app.core.gguf.remote`'s, over Hearth's client (offline mode, host check, network log)."""
    net.require_online(translate("FitVerdict", "Checking whether a model fits"))
    from app.core.gguf.remote import HubFile, read_remote_model

    if not files:
        raise ValueError("no file to check")
    names = [n for n, _s in files]
    key = (endpoint, repo_id, revision or "main", tuple(names))
    with _headers_lock:
        model = _headers.get(key)
        if model is not None:
            _headers.move_to_end(key)
    fetched = 0
    if model is None:
        # RemoteError and GGUFError carry sentences for people; the page shows them as they are
        model, fetched = read_remote_model(HubFile(repo_id, names[0], revision or "main"), endpoint=endpoint,
                                           token=token or False, session=net.session())
        with _headers_lock:
            _headers[key] = model
            while len(_headers) > HEADER_CACHE_SIZE:
                _headers.popitem(last=False)
    if len(model.shards) != len(names):
        parts, listed = len(model.shards), len(names)
        raise GGUFError(translate("FitVerdict", "{file} says the model has {parts} parts; the repository lists "
                                                "{listed}").format(file=names[0], parts=parts, listed=listed))
    v = verdict_for_model(model, settings)
    v.bytes_read = fetched
    return v


def local_verdict(path: Path, settings: FitSettings, info=None, extras=()) -> Verdict:
    from app.core.gguf.header import read_model_file

    return verdict_for_model(read_model_file(path), settings, info, extras)
