"""LoRA adapters in GGUF: read one, and check it against a base model before llama.cpp sees it.

llama.cpp (``src/llama-adapter.cpp``) accepts an adapter when ``general.type`` is ``adapter``, ``adapter.type`` is
``lora``, ``general.architecture`` is the model's, and every ``<weight>.lora_a`` / ``<weight>.lora_b`` pair names
a weight of the model with matching shapes: for a weight of ggml shape ``[n_in, n_out]``, ``lora_a`` is
``[n_in, r]`` and ``lora_b`` is ``[r, n_out]`` (``token_embd.weight`` is the exception: ``lora_a`` is
``[r, n_vocab]``, ``lora_b`` ``[r, n_embd]``). Tensors ending ``_norm.weight`` are ignored; anything else is an
error. When it refuses, llama.cpp says so only in its log; here every problem is a sentence a person can act on.
Two adapters llama.cpp accepts but then crashes on are refused too: one that changes ``token_embd`` of a model with
tied embeddings (no ``output.weight``: the output layer reuses the embedding and its A/B fail ``ggml_can_mul_mat``,
an abort), and one whose expert count differs from the model's (llama.cpp checks only the first two dimensions).
No Qt, no numpy, no llama_cpp: only the header is read, never the weights.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from app.core.gguf.header import GGUFError, GGUFHeader, GGUFModel, TensorInfo, read_header_file
from app.core.i18n import translate

_A, _B = ".lora_a", ".lora_b"


@dataclass
class AdapterInfo:
    path: str
    architecture: str
    alpha: float  # 0: llama.cpp then applies the user's scale as is, not scale * alpha / rank
    rank: int  # the largest rank of its pairs (they are normally all the same)
    targets: list[str]  # the base model's tensors it modifies, sorted
    n_tensors: int
    size_bytes: int  # the file
    name: str
    base_name: str = ""
    tensor_bytes: int = 0  # its lora_a/lora_b data, what llama.cpp keeps in memory
    # base tensor name -> (lora_a shape, lora_b shape), ggml order
    pairs: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict, repr=False)


def is_adapter(header: GGUFHeader | GGUFModel) -> bool:
    return header.get("general.type") == "adapter"


def is_projector(header: GGUFHeader | GGUFModel) -> bool:
    """A multimodal projector (``mmproj``): not a model to chat with, nor an adapter."""
    return header.architecture == "clip" or header.get("general.type") == "mmproj"


def _rank(weight: str, a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """The pair's rank, or ``GGUFError`` when A and B do not agree on it."""
    if len(a) != len(b) or len(a) not in (2, 3) or a[2:] != b[2:]:  # 3D: one matrix per expert (MoE)
        raise GGUFError(translate("GgufAdapters", "the LoRA pair for {weight} has shapes that do not go together: "
                                  "lora_a {a}, lora_b {b}").format(weight=weight, a=str(list(a)), b=str(list(b))))
    if weight.endswith("token_embd.weight"):
        ra, rb = a[0], b[0]
    else:
        ra, rb = a[1], b[0]
    if ra != rb:
        raise GGUFError(translate("GgufAdapters", "the LoRA pair for {weight} is inconsistent: lora_a {a} has rank "
                                  "{rank_a} but lora_b {b} has rank {rank_b} (a damaged file, or one from an old "
                                  "converter)").format(weight=weight, a=str(list(a)), rank_a=ra, b=str(list(b)),
                                                       rank_b=rb))
    return ra


def read_adapter(path: str | os.PathLike) -> AdapterInfo:
    """Read and check a LoRA adapter file. ``GGUFError`` (with a sentence saying why) when it is not a GGUF file,
    is truncated or malformed, is not a LoRA adapter, or its tensors do not pair up; ``OSError`` if unreadable."""
    p = Path(path)
    h = read_header_file(p)  # not a GGUF, truncated (tensor data past the end of the file), malformed ...
    gtype = h.get("general.type")
    if gtype != "adapter":
        if is_projector(h):
            raise GGUFError(translate("GgufAdapters", "{file} is a vision projector (mmproj), not a LoRA adapter")
                            .format(file=p.name))
        a_model = gtype in (None, "model") and h.tensors
        if isinstance(gtype, str) and a_model:
            raise GGUFError(translate("GgufAdapters", "{file} is not an adapter but a model (its general.type is "
                                      "{type}, not 'adapter')").format(file=p.name, type=repr(gtype)))
        if isinstance(gtype, str):
            raise GGUFError(translate("GgufAdapters", "{file} is not an adapter but something else (its general.type "
                                      "is {type}, not 'adapter')").format(file=p.name, type=repr(gtype)))
        if a_model:
            raise GGUFError(translate("GgufAdapters", "{file} is not an adapter but a model (it has no general.type, "
                                      "not 'adapter')").format(file=p.name))
        raise GGUFError(translate("GgufAdapters", "{file} is not an adapter but something else (it has no "
                                  "general.type, not 'adapter')").format(file=p.name))
    atype = h.get("adapter.type")
    if atype != "lora":
        if isinstance(atype, str):
            raise GGUFError(translate("GgufAdapters", "{file} is an adapter of type {type}; only LoRA adapters "
                                      "(adapter.type 'lora') can be applied").format(file=p.name, type=repr(atype)))
        raise GGUFError(translate("GgufAdapters", "{file} is an adapter of type not stated; only LoRA adapters "
                                  "(adapter.type 'lora') can be applied").format(file=p.name))
    if not h.architecture:
        raise GGUFError(translate("GgufAdapters", "{file} does not say which architecture it was made for "
                                  "(general.architecture)").format(file=p.name))
    halves: dict[str, dict[str, TensorInfo]] = {}
    for t in h.tensors:
        for suffix in (_A, _B):
            if t.name.endswith(suffix):
                halves.setdefault(t.name[:-len(suffix)], {})[suffix] = t
                break
        else:
            if not t.name.endswith("_norm.weight"):  # llama.cpp ignores these and refuses anything else
                raise GGUFError(translate("GgufAdapters", "{file} holds tensor {tensor}, which is not part of a LoRA "
                                          "adapter (names end in .lora_a or .lora_b)")
                                .format(file=p.name, tensor=repr(t.name)))
    if not halves:
        raise GGUFError(translate("GgufAdapters", "{file} holds no LoRA tensors").format(file=p.name))
    pairs: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    rank, nbytes = 0, 0
    for weight in sorted(halves):
        ab = halves[weight]
        for have, missing in ((_A, _B), (_B, _A)):
            if missing not in ab:
                raise GGUFError(translate("GgufAdapters", "{file} has {present} without {absent}; the adapter is "
                                          "incomplete or damaged")
                                .format(file=p.name, present=weight + have, absent=weight + missing))
        a, b = ab[_A], ab[_B]
        rank = max(rank, _rank(weight, a.shape, b.shape))
        pairs[weight] = (a.shape, b.shape)
        nbytes += a.nbytes + b.nbytes
    alpha = h.get("adapter.lora.alpha", 0.0)
    name = h.get("general.name")
    base_name = h.get("general.base_model.0.name")
    return AdapterInfo(
        path=str(p), architecture=h.architecture,
        alpha=float(alpha) if isinstance(alpha, (int, float)) else 0.0,
        rank=rank, targets=sorted(pairs), n_tensors=2 * len(pairs), size_bytes=h.file_size,
        name=name if isinstance(name, str) and name.strip() else p.stem,
        base_name=base_name if isinstance(base_name, str) else "",
        tensor_bytes=nbytes, pairs=pairs)


def _expected(weight: str, a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, int]:
    """The ``[ne0, ne1]`` of the base weight this pair was made for (as llama.cpp compares them)."""
    if weight.endswith("token_embd.weight"):
        return b[1], a[1]
    return a[0], b[1]


def adapter_problem(adapter: AdapterInfo | str | os.PathLike, base: GGUFHeader | GGUFModel) -> str | None:
    """None when llama.cpp will accept ``adapter`` for the model whose header is ``base``; else one sentence
    saying why not. ``GGUFError`` when ``adapter`` is a path to a file that is not a usable adapter."""
    info = adapter if isinstance(adapter, AdapterInfo) else read_adapter(adapter)
    if info.architecture != base.architecture:
        if not base.architecture:
            return translate("GgufAdapters", "This adapter was made for {arch} models; this model is of an unknown "
                             "architecture.").format(arch=info.architecture)
        return translate("GgufAdapters", "This adapter was made for {arch} models; this model is {model_arch}.") \
            .format(arch=info.architecture, model_arch=base.architecture)
    shapes = {t.name: t.shape for t in base.tensors}
    missing = [w for w in info.targets if w not in shapes]
    if missing:
        if len(missing) > 1:
            count = len(missing) - 1
            return translate("GgufAdapters", "This adapter changes {tensor} (and %n more), which this model does not "
                             "have; it was made for a different model.", None, count).format(tensor=missing[0])
        return translate("GgufAdapters", "This adapter changes {tensor}, which this model does not have; it was made "
                         "for a different model.").format(tensor=missing[0])
    for weight in info.targets:
        a, b = info.pairs[weight]
        have = shapes[weight]
        if _expected(weight, a, b) != (have[0], have[1] if len(have) > 1 else 1):
            want = list(_expected(weight, a, b) + a[2:])
            return translate("GgufAdapters", "This adapter does not fit this model: it expects {tensor} to have shape "
                             "{want}, but the model's is {have}; it was made for a different model.") \
                .format(tensor=weight, want=str(want), have=str(list(have)))
        experts, made_for = (have[2] if len(have) > 2 else 1), (a[2] if len(a) > 2 else 1)
        if experts != made_for:  # llama.cpp checks only the first two dimensions, then reads out of bounds
            return translate("GgufAdapters", "This adapter does not fit this model: it has {made_for} expert matrices "
                             "for {tensor}, but the model has {experts} experts there.") \
                .format(made_for=made_for, tensor=weight, experts=experts)
    if "token_embd.weight" in info.targets and "output.weight" not in shapes:
        # the output layer reuses token_embd, and llama.cpp would apply the embedding's A/B to it: an abort
        return translate("GgufAdapters", "This adapter changes the token embeddings, which this model shares with "
                         "its output layer; llama.cpp cannot apply such an adapter to it (it would crash).")
    return None


def fitting_adapter(path: str | os.PathLike, base: GGUFHeader | GGUFModel, model_name: str | None = None
                    ) -> AdapterInfo:
    """The adapter at ``path`` when llama.cpp will accept it for the model whose header is ``base`` (read and
    checked in one), else ``ValueError`` with one sentence starting "the adapter ..." (the engine, ``hearth chat``
    and ``hearth fit`` all say it this way)."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(translate("GgufAdapters", "The adapter {path} does not exist").format(path=str(path)))
    try:
        info = read_adapter(p)
    except GGUFError as exc:
        raise ValueError(translate("GgufAdapters", "The adapter {file} cannot be used: {error}")
                         .format(file=p.name, error=exc)) from None
    except OSError as exc:
        raise ValueError(translate("GgufAdapters", "The adapter {file} cannot be read: {error}")
                         .format(file=p.name, error=exc.strerror or exc)) from None
    problem = adapter_problem(info, base)
    if problem:
        if model_name is None:
            raise ValueError(translate("GgufAdapters", "The adapter {file} does not fit this model: {problem}")
                             .format(file=p.name, problem=problem))
        raise ValueError(translate("GgufAdapters", "The adapter {file} does not fit {model}: {problem}")
                         .format(file=p.name, model=model_name, problem=problem))
    return info


def adapter_bytes(info: AdapterInfo) -> int:
    """Memory the adapter adds once loaded: llama.cpp copies its lora_a/lora_b tensors into a buffer of their
    own (the ``_norm`` tensors it skips are not counted; the file's header is not kept)."""
    return info.tensor_bytes
