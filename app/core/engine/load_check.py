"""Checks a GGUF file before llama.cpp is allowed to open it.

llama.cpp trusts its input more than we do; a damaged or hostile file must give the user a clear message,
never a crash. ``validate_for_load`` runs Hearth's own header reader over the whole header of every shard
(structure, counts, offsets inside the file, known tensor types, sizes consistent with the file length) and
turns any problem into an ``EngineError``. It reads headers only (a few MB at most), never the weights.

Then the hyperparameters llama.cpp checks with ``GGML_ASSERT`` (which aborts the whole process instead of
raising): the layer count, the expert counts and groups. Everything llama.cpp reports by throwing (wrong shapes,
unknown tokenizer, wrong key types) already reaches the user as a message and is not repeated here. Found by the
differential fuzz in ``tests/privacy/test_gguf_fuzz.py``.
"""
from __future__ import annotations

import math
from pathlib import Path

from app.core.engine.generation import EngineError
from app.core.gguf.header import GGUFError, GGUFModel, read_model_file
from app.core.i18n import translate


def validate_for_load(path: Path) -> GGUFModel:
    path = Path(path)
    if not path.exists():
        raise EngineError(translate("EngineLoadCheck", "The model file {path} does not exist (was it moved or "
                                            "deleted?).").format(path=str(path)))
    if not path.is_file():
        raise EngineError(translate("EngineLoadCheck", "{path} is not a file.").format(path=str(path)))
    try:
        model = read_model_file(path)
    except GGUFError as exc:
        raise EngineError(translate("EngineLoadCheck", "{file} is not a usable GGUF model: {problem}").format(
            file=path.name, problem=exc)) from exc
    except OSError as exc:
        raise EngineError(translate("EngineLoadCheck", "{file} could not be read: {error}").format(
            file=path.name, error=exc.strerror or exc)) from exc
    problem = hyperparameter_problem(model)
    if problem:
        raise EngineError(translate("EngineLoadCheck", "{file} is not a usable GGUF model: {problem}").format(
            file=path.name, problem=problem))
    return model


# llama.cpp's limits (src/llama-hparams.h) in the bundled build; a value beyond them trips a GGML_ASSERT, i.e.
# abort(). tests/privacy/test_gguf_fuzz.py checks them against the installed llama.cpp.
LLAMA_MAX_LAYERS = 512
LLAMA_MAX_EXPERTS = 1024
# llama-cpp-python allocates the training context length in tokens on every tokenize call: a hostile value would
# allocate gigabytes (or a negative length); no real model comes near this
MAX_TRAINING_CONTEXT = 1 << 26


def hyperparameter_problem(model: GGUFModel) -> str:
    """'' when llama.cpp can safely read the hyperparameters, else what is wrong (a sentence for the user)."""
    arch = model.architecture
    for key, value in model.metadata.items():  # a NaN epsilon made llama.cpp abort (found by the fuzz)
        if key.startswith(f"{arch}.") and isinstance(value, float) and not math.isfinite(value):
            return translate("EngineLoadCheck", "{key} is {value}; a model's settings must be finite numbers").format(
                key=key, value=value)
        # ggml's norms assert eps >= 0 (abort) at the first token: found by the fuzz (seed 1998411912)
        if key.startswith(f"{arch}.") and "epsilon" in key and isinstance(value, (int, float)) and value < 0:
            return translate("EngineLoadCheck", "{key} is {value}; a normalization epsilon cannot be negative").format(
                key=key, value=value)

    def num(key: str, default: int = 0):
        value = model.get(f"{arch}.{key}", default)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    layers = num("block_count", None)
    if layers is not None and not 1 <= layers <= LLAMA_MAX_LAYERS:
        return translate("EngineLoadCheck", "{arch}.block_count is {layers:,}; llama.cpp supports 1 to {max} "
                         "layers").format(arch=arch, layers=layers, max=LLAMA_MAX_LAYERS)
    for key in ("posnet.block_count", "convnext.block_count"):
        sub = num(key)
        if sub is not None and layers is not None and sub > layers:
            return translate("EngineLoadCheck", "{arch}.{key} ({sub:,}) is larger than {arch}.block_count "
                             "({layers:,})").format(arch=arch, key=key, sub=sub, layers=layers)
    ctx = num("context_length")
    if ctx is not None and not 0 <= ctx <= MAX_TRAINING_CONTEXT:
        return translate("EngineLoadCheck", "{arch}.context_length is {ctx:,} tokens, which no model has").format(
            arch=arch, ctx=ctx)
    experts, used = num("expert_count"), num("expert_used_count")
    groups, groups_used = num("expert_group_count"), num("expert_group_used_count")
    if None in (experts, used, groups, groups_used):
        return ""  # a value of the wrong type: llama.cpp refuses it with an exception, which reaches the user
    if experts > LLAMA_MAX_EXPERTS:
        return translate("EngineLoadCheck", "{arch}.expert_count is {experts:,}; llama.cpp supports at most {max} "
                         "experts").format(arch=arch, experts=experts, max=LLAMA_MAX_EXPERTS)
    if used > experts:
        return translate("EngineLoadCheck", "{arch}.expert_used_count ({used:,}) is larger than "
                         "{arch}.expert_count ({experts:,})").format(arch=arch, used=used, experts=experts)
    if experts > 0:
        if used == 0:
            return translate("EngineLoadCheck", "{arch}.expert_count is {experts:,} but {arch}.expert_used_count "
                             "is 0").format(arch=arch, experts=experts)
        if groups >= experts:
            return translate("EngineLoadCheck", "{arch}.expert_group_count ({groups:,}) must be smaller than "
                             "{arch}.expert_count ({experts:,})").format(arch=arch, groups=groups, experts=experts)
        if groups > 1 and (experts % groups or not 0 < groups_used < groups):
            return translate("EngineLoadCheck", "the expert groups do not add up ({experts:,} experts in "
                             "{groups:,} groups, {used:,} used)").format(experts=experts, groups=groups,
                                                                          used=groups_used)
    elif used or groups:
        return translate("EngineLoadCheck", "{arch}.expert_used_count or expert_group_count is set but the model "
                         "has no experts").format(arch=arch)
    return ""
