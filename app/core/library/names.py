"""One display name per model, the same in the Chat page's picker, the status bar, the Hardware page, the Library
and the command line: the file's name without ``.gguf`` and without its shard suffix, with the quantization
split off and shown after a dot (``SmolLM2-135M-Instruct · Q4_1``), or the name another app's store gave it
(Ollama's ``llama3.2:1b``). It comes from the file name alone, so every place can show it at once, before any
header is read."""
from __future__ import annotations

import re

_SHARD = re.compile(r"-\d{5}-of-\d{5}$", re.IGNORECASE)
_QUANT = re.compile(r"[._-](?P<q>(?:UD-)?(?:I?Q\d(?:_[0-9A-Z]+)*|BF16|F16|F32|FP16|FP32|MXFP4(?:_MOE)?|TQ\d_0))$",
                    re.IGNORECASE)


def split_quant(stem: str) -> tuple[str, str]:
    """("SmolLM2-135M-Instruct", "Q4_1") from "SmolLM2-135M-Instruct.Q4_1"; (stem, "") when none is named."""
    m = _QUANT.search(stem)
    if not m or m.start() == 0:
        return stem, ""
    return stem[:m.start()], m.group("q").upper()


def display_name(filename: str, label: str = "") -> str:
    if label:
        return label
    stem = filename[:-5] if filename.lower().endswith(".gguf") else filename
    stem = _SHARD.sub("", stem)
    name, quant = split_quant(stem)
    return f"{name} · {quant}" if quant else stem
