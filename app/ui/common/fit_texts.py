"""The fit estimator's words (app/core/fit, Qt-free: marked there with ``QT_TRANSLATE_NOOP("FitVerdict", ...)``) in
the window's language. English: the core's texts, byte for byte."""
from __future__ import annotations

from app.core.fit.extras import describe as describe_extras
from app.core.fit.memory import VERDICT_TEXT
from app.ui.common.i18n import translate


def verdict_label(label: str) -> str:
    """A :class:`app.core.fit.verdicts.Verdict`'s short label (``SHORT``) in the language."""
    return translate("FitVerdict", label)


def result_label(res) -> str:
    """:attr:`app.core.fit.memory.FitResult.label` in the language."""
    if getattr(res, "verdict", None) not in VERDICT_TEXT:  # not an estimator's result (a stand-in): its label
        return translate("FitVerdict", res.label)
    if res.verdict == "partial":
        text = translate("FitVerdict", "Partial offload ({gpu} of {total} layers on the GPU)").format(
            gpu=res.gpu_layers, total=res.total_layers)
    else:
        text = translate("FitVerdict", VERDICT_TEXT[res.verdict])
    if getattr(res, "extras", ()):
        text = f"{text} {describe_extras(res.extras)}"
    return text


def pick_summary(pf) -> str:
    """:attr:`app.core.fit.verdicts.PickFit.summary` in the language."""
    label = verdict_label(pf.verdict.label)
    if pf.best_quant:
        return f"{pf.best_quant}: {label}"
    return translate("FitVerdict", "{label} (even {quant})").format(label=label, quant=pf.quant)


def notes(res) -> list[str]:
    """The estimator's notes in the language (those with numbers stay as written)."""
    return [translate("FitVerdict", n) for n in res.notes]
