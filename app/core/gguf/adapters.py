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
        raise GGUFError(f"the LoRA pair for {weight} has shapes that do not go together: lora_a {list(a)}, "
                        f"lora_b {list(b)}")
    if weight.endswith("token_embd.weight"):
        ra, rb = a[0], b[0]
    else:
        ra, rb = a[1], b[0]
    if ra != rb:
        raise GGUFError(f"the LoRA pair for {weight} is inconsistent: lora_a {list(a)} has rank {ra} but "
                        f"lora_b {list(b)} has rank {rb} (a damaged file, or one from an old converter)")
    return ra


def read_adapter(path: str | os.PathLike) -> AdapterInfo:
    """Read and check a LoRA adapter file. ``GGUFError`` (with a sentence saying why) when it is not a GGUF file,
    is truncated or malformed, is not a LoRA adapter, or its tensors do not pair up; ``OSError`` if unreadable."""
    p = Path(path)
    h = read_header_file(p)  # not a GGUF, truncated (tensor data past the end of the file), malformed ...
    gtype = h.get("general.type")
    if gtype != "adapter":
        if is_projector(h):
            raise GGUFError(f"{p.name} is a vision projector (mmproj), not a LoRA adapter")
        what = f"its general.type is {gtype!r}" if isinstance(gtype, str) else "it has no general.type"
        kind = "a model" if gtype in (None, "model") and h.tensors else "something else"
        raise GGUFError(f"{p.name} is not an adapter but {kind} ({what}, not 'adapter')")
    atype = h.get("adapter.type")
    if atype != "lora":
        shown = repr(atype) if isinstance(atype, str) else "not stated"
        raise GGUFError(f"{p.name} is an adapter of type {shown}; only LoRA adapters (adapter.type 'lora') "
                        "can be applied")
    if not h.architecture:
        raise GGUFError(f"{p.name} does not say which architecture it was made for (general.architecture)")
    halves: dict[str, dict[str, TensorInfo]] = {}
    for t in h.tensors:
        for suffix in (_A, _B):
            if t.name.endswith(suffix):
                halves.setdefault(t.name[:-len(suffix)], {})[suffix] = t
                break
        else:
            if not t.name.endswith("_norm.weight"):  # llama.cpp ignores these and refuses anything else
                raise GGUFError(f"{p.name} holds tensor {t.name!r}, which is not part of a LoRA adapter "
                                "(names end in .lora_a or .lora_b)")
    if not halves:
        raise GGUFError(f"{p.name} holds no LoRA tensors")
    pairs: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    rank, nbytes = 0, 0
    for weight in sorted(halves):
        ab = halves[weight]
        for have, missing in ((_A, _B), (_B, _A)):
            if missing not in ab:
                raise GGUFError(f"{p.name} has {weight}{have} without {weight}{missing}; "
                                "the adapter is incomplete or damaged")
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
        return (f"This adapter was made for {info.architecture} models; this model is "
                f"{base.architecture or 'of an unknown architecture'}.")
    shapes = {t.name: t.shape for t in base.tensors}
    missing = [w for w in info.targets if w not in shapes]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return (f"This adapter changes {missing[0]}{more}, which this model does not have; it was made for a "
                "different model.")
    for weight in info.targets:
        a, b = info.pairs[weight]
        have = shapes[weight]
        if _expected(weight, a, b) != (have[0], have[1] if len(have) > 1 else 1):
            want = list(_expected(weight, a, b) + a[2:])
            return (f"This adapter does not fit this model: it expects {weight} to have shape {want}, but the "
                    f"model's is {list(have)}; it was made for a different model.")
        experts, made_for = (have[2] if len(have) > 2 else 1), (a[2] if len(a) > 2 else 1)
        if experts != made_for:  # llama.cpp checks only the first two dimensions, then reads out of bounds
            return (f"This adapter does not fit this model: it has {made_for} expert matrices for {weight}, "
                    f"but the model has {experts} experts there.")
    if "token_embd.weight" in info.targets and "output.weight" not in shapes:
        # the output layer reuses token_embd, and llama.cpp would apply the embedding's A/B to it: an abort
        return ("This adapter changes the token embeddings, which this model shares with its output layer; "
                "llama.cpp cannot apply such an adapter to it (it would crash).")
    return None


def fitting_adapter(path: str | os.PathLike, base: GGUFHeader | GGUFModel, model_name: str = "this model"
                    ) -> AdapterInfo:
    """The adapter at ``path`` when llama.cpp will accept it for the model whose header is ``base`` (read and
    checked in one), else ``ValueError`` with one sentence starting "the adapter ..." (the engine, ``hearth chat``
    and ``hearth fit`` all say it this way)."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"the adapter {path} does not exist")
    try:
        info = read_adapter(p)
    except GGUFError as exc:
        raise ValueError(f"the adapter {p.name} cannot be used: {exc}") from None
    except OSError as exc:
        raise ValueError(f"the adapter {p.name} cannot be read: {exc.strerror or exc}") from None
    problem = adapter_problem(info, base)
    if problem:
        raise ValueError(f"the adapter {p.name} does not fit {model_name}: {problem}")
    return info


def adapter_bytes(info: AdapterInfo) -> int:
    """Memory the adapter adds once loaded: llama.cpp copies its lora_a/lora_b tensors into a buffer of their
    own (the ``_norm`` tensors it skips are not counted; the file's header is not kept)."""
    return info.tensor_bytes
