"""Per-conversation generation settings and the built-in sampling presets.

Stored as the conversation's JSON settings blob in the chat store. Unknown or ill-typed keys fall back to
defaults, so a settings blob from a newer or damaged file never breaks a conversation.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

from app.core.engine.context_budget import DEFAULT_POLICY, POLICIES
from app.core.engine import MODEL_TEMPLATE, Sampling
from app.core.i18n import QT_TRANSLATE_NOOP

SAMPLING_KEYS = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "seed", "max_tokens")

# the built-in presets' names, for the translators (the name stays the key; shown as translate("SamplingPreset", name))
PRESET_NAMES = (QT_TRANSLATE_NOOP("SamplingPreset", "Balanced"), QT_TRANSLATE_NOOP("SamplingPreset", "Precise"),
                QT_TRANSLATE_NOOP("SamplingPreset", "Creative"), QT_TRANSLATE_NOOP("SamplingPreset", "Deterministic"))
BUILTIN_PRESETS: dict[str, dict] = {
    "Balanced": {"temperature": 0.7, "top_p": 0.95, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1,
                 "seed": -1, "max_tokens": 1024},
    "Precise": {"temperature": 0.2, "top_p": 0.9, "top_k": 20, "min_p": 0.1, "repeat_penalty": 1.1,
                "seed": -1, "max_tokens": 1024},
    "Creative": {"temperature": 1.0, "top_p": 0.98, "top_k": 80, "min_p": 0.02, "repeat_penalty": 1.05,
                 "seed": -1, "max_tokens": 2048},
    "Deterministic": {"temperature": 0.0, "top_p": 1.0, "top_k": 1, "min_p": 0.0, "repeat_penalty": 1.0,
                      "seed": 42, "max_tokens": 1024},
}


@dataclass
class ChatSettings:
    model: str = ""  # path of the model this conversation last used
    system_prompt: str = ""
    preset: str = "Balanced"
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    seed: int = -1
    max_tokens: int = 1024
    n_ctx: int = 0  # 0: use the app-wide load setting
    overflow_policy: str = DEFAULT_POLICY
    chat_format: str = MODEL_TEMPLATE
    collection: str = ""  # a document collection this conversation answers from ("" none; app/core/docs)
    # LoRA adapters offered for the model, each {"path": str, "scale": float, "on": bool} (see clean_adapters)
    adapters: list = field(default_factory=list)
    projector: str = ""  # a vision projector (mmproj) the user chose; "": the library's pairing

    def active_adapters(self) -> list[tuple[str, float]]:
        """The adapters to apply, as the engine takes them: (path, scale) of each one that is on."""
        return [(a["path"], a["scale"]) for a in self.adapters if a["on"]]

    def sampling(self) -> Sampling:
        return Sampling(**{k: getattr(self, k) for k in SAMPLING_KEYS})

    def apply_preset(self, name: str, values: dict) -> None:
        for k in SAMPLING_KEYS:
            if k in values:
                setattr(self, k, type(getattr(self, k))(values[k]))
        self.preset = name

    def sampling_values(self) -> dict:
        return {k: getattr(self, k) for k in SAMPLING_KEYS}

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict | None) -> "ChatSettings":
        s = cls()
        if not isinstance(raw, dict):
            return s
        for f in fields(cls):
            if f.name not in raw:
                continue
            value = raw[f.name]
            default = getattr(s, f.name)
            try:
                if isinstance(default, bool) or isinstance(value, bool):
                    continue
                if isinstance(default, (int, float)) and isinstance(value, (int, float)):
                    setattr(s, f.name, type(default)(value))
                elif isinstance(default, str) and isinstance(value, str):
                    setattr(s, f.name, value)
            except (TypeError, ValueError):
                pass
        if s.overflow_policy not in POLICIES:
            s.overflow_policy = DEFAULT_POLICY
        s.adapters = clean_adapters(raw.get("adapters"))
        return s


ADAPTER_SCALE_LIMIT = 4.0


def clean_adapters(raw) -> list[dict]:
    """The adapter items of a stored settings blob that make sense: a non-empty ``path``, a finite number
    ``scale`` (1.0 when missing; clamped to +-4) and a bool ``on`` (True when missing); anything else is dropped,
    and so is a second item for the same path."""
    out: list[dict] = []
    if not isinstance(raw, list):
        return out
    seen = set()
    for item in raw:
        if not isinstance(item, dict):
            continue
        path, scale, on = item.get("path"), item.get("scale", 1.0), item.get("on", True)
        if not isinstance(path, str) or not path.strip() or path in seen:
            continue
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale):
            continue
        if not isinstance(on, bool):
            continue
        seen.add(path)
        out.append({"path": path, "scale": max(-ADAPTER_SCALE_LIMIT, min(ADAPTER_SCALE_LIMIT, float(scale))),
                    "on": on})
    return out
