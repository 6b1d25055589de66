"""What the memory estimator needs to know about a model, taken from its GGUF header (exact, per tensor) or from
a few architecture facts (approximate: the starter picks, before anything is downloaded).

Mirrors how llama.cpp reads the same header: per-layer ``head_count``/``head_count_kv``/``feed_forward_length``
(a number or an array), key/value head sizes, which layers use sliding-window attention (the per-architecture
patterns llama.cpp hard-codes, or the file's own ``sliding_window_pattern``), which layers keep no KV cache,
recurrent-state sizes for Mamba/RWKV/hybrid models, and where every tensor lives: the input layer, one of the
repeating blocks (``blk.N.``) or the output layer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.core.gguf import types as T
from app.core.gguf.header import GGUFModel, SkippedArray
from app.core.i18n import QT_TRANSLATE_NOOP, translate

# llama.cpp's built-in sliding-window layer patterns: layer il uses the window when il % n < n - 1
SWA_PATTERNS = {"gemma2": 2, "gemma3": 6, "gemma3n": 5, "cohere2": 4, "gpt-oss": 2, "exaone4": 4,
                "gemma-embedding": 6, "smallthinker": 4}
# architectures whose sliding_window key llama.cpp ignores (it runs full attention)
SWA_IGNORED = {"phi3", "llama", "qwen2", "mistral", "qwen2moe", "starcoder2"}
RECURRENT_ARCHS = {"mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"}
HYBRID_ARCHS = {"jamba", "falcon-h1", "granitehybrid", "nemotron_h", "lfm2", "qwen3next", "plamo2", "lfm2moe"}
NO_KV_ARCHS = {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "t5encoder", "neo-bert",
               "modern-bert"}
INPUT_TENSORS = ("token_embd.", "token_embd_norm.", "position_embd.", "token_types.", "per_layer_token_embd.")
_BLK_RE = re.compile(r"^blk\.(\d+)\.")


@dataclass
class Tensor:
    name: str
    nbytes: int
    type_id: int
    shape: tuple[int, ...]
    layer: int  # -1: input layer, -2: output layer, >= 0: repeating block
    shard: int = 0
    offset: int = 0  # file offset of the data (for the mmap range llama.cpp maps)
    matmul: bool = False  # used as the weight of a matrix multiplication (may be repacked on CPU)


@dataclass
class ModelProfile:
    name: str
    arch: str
    n_layer: int
    n_embd: int
    n_vocab: int
    n_ctx_train: int
    n_head: list[int]
    n_head_kv: list[int]
    head_k: int
    head_v: int
    n_ff: list[int]
    swa_layers: list[bool]
    n_swa: int
    recurrent_layers: list[bool]
    rs_bytes_per_layer: int  # f32 recurrent state (conv + ssm/wkv) per recurrent layer, one sequence
    tensors: list[Tensor] = field(default_factory=list)
    output_tied: bool = False
    exact: bool = True  # False: weights estimated from a file size and parameter count
    file_size: int = 0
    n_params: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def has_kv(self) -> bool:
        return self.arch not in NO_KV_ARCHS

    def kv_layers(self) -> list[int]:
        return [i for i in range(self.n_layer)
                if self.has_kv and not self.recurrent_layers[i] and self.n_head_kv[i] > 0]

    @property
    def weights_bytes(self) -> int:
        return sum(t.nbytes for t in self.tensors)


def _per_layer(value: Any, n_layer: int, default: int) -> list[int]:
    if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
        vals = [int(v) for v in value[:n_layer]]
        return vals + [vals[-1]] * (n_layer - len(vals))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [int(value)] * n_layer
    return [default] * n_layer


def _int(md: dict, key: str, default: int = 0) -> int:
    v = md.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return default
    return int(v)


class ProfileError(ValueError):
    """The header lacks what the estimator needs (clear message)."""


def _swa_layers(md: dict, arch: str, n_layer: int, n_swa: int) -> list[bool]:
    if n_swa <= 0 or arch in SWA_IGNORED:
        return [False] * n_layer
    pat = md.get(f"{arch}.attention.sliding_window_pattern")
    if isinstance(pat, list) and pat and all(isinstance(v, bool) for v in pat):
        return [bool(pat[i]) if i < len(pat) else False for i in range(n_layer)]
    n = int(pat) if isinstance(pat, int) and not isinstance(pat, bool) and pat > 0 else SWA_PATTERNS.get(arch, 0)
    if n <= 0:
        return [False] * n_layer
    return [(il % n) < (n - 1) for il in range(n_layer)]


def _recurrent(md: dict, arch: str, n_layer: int, n_head_kv: list[int], n_embd: int) -> tuple[list[bool], int]:
    if arch in RECURRENT_ARCHS:
        layers = [True] * n_layer
    elif arch in HYBRID_ARCHS:
        layers = [h == 0 for h in n_head_kv]
        interval = _int(md, f"{arch}.full_attention_interval")
        if interval > 0:  # qwen3next: every interval-th layer is attention, the rest recurrent
            layers = [(il + 1) % interval != 0 for il in range(n_layer)]
    else:
        return [False] * n_layer, 0
    a = arch
    if a.startswith("rwkv") or a == "arwkv7":
        shift = _int(md, f"{a}.token_shift_count", 2)
        head = _int(md, f"{a}.wkv.head_size", 64)
        r, s = shift * n_embd, n_embd * head
    elif a in ("lfm2", "lfm2moe"):
        r, s = n_embd * max(0, _int(md, f"{a}.shortconv.l_cache", 3) - 1), 0
    else:  # Mamba-style SSM layers
        d_conv = _int(md, f"{a}.ssm.conv_kernel", 4)
        d_inner = _int(md, f"{a}.ssm.inner_size", 2 * n_embd)
        d_state = _int(md, f"{a}.ssm.state_size", 16)
        n_group = _int(md, f"{a}.ssm.group_count", 0)
        r = (d_conv - 1) * (d_inner + 2 * n_group * d_state)
        s = d_state * d_inner
    return layers, (r + s) * 4


def _is_matmul_weight(name: str, shape: tuple[int, ...]) -> bool:
    if not name.endswith(".weight") or len(shape) < 2 or shape[1] <= 1:
        return False
    base = name.rsplit(".", 1)[0]
    if "norm" in base or name.startswith(INPUT_TENSORS):
        return False
    return not base.endswith(("rope_freqs", "rope_factors_long", "rope_factors_short", "conv1d", "ssm_a", "ssm_d"))


def profile_from_gguf(model: GGUFModel, name: str = "") -> ModelProfile:
    md = model.metadata
    arch = model.architecture
    if not arch:
        raise ProfileError(translate("FitVerdict", "the file does not say which architecture it is "
                                                   "(general.architecture is missing)"))
    n_layer = _int(md, f"{arch}.block_count")
    n_embd = _int(md, f"{arch}.embedding_length")
    if n_layer <= 0 or n_embd <= 0:
        raise ProfileError(translate("FitVerdict", "the file lacks {arch}.block_count or {arch}.embedding_length"
                                     ).format(arch=arch))
    if n_layer > 4096 or n_embd > 1 << 20:
        raise ProfileError(translate("FitVerdict", "implausible model shape: {layers} layers of width {width}"
                                     ).format(layers=n_layer, width=n_embd))
    n_head = _per_layer(md.get(f"{arch}.attention.head_count"), n_layer, 0)
    n_head_kv = _per_layer(md.get(f"{arch}.attention.head_count_kv"), n_layer, 0)
    n_head_kv = [kv if kv or isinstance(md.get(f"{arch}.attention.head_count_kv"), list) else h
                 for kv, h in zip(n_head_kv, n_head)]
    h0 = max(n_head) if n_head else 0
    head_k = _int(md, f"{arch}.attention.key_length", n_embd // h0 if h0 else 0)
    head_v = _int(md, f"{arch}.attention.value_length", head_k)
    if _int(md, f"{arch}.attention.kv_lora_rank"):  # MLA (DeepSeek-2/3, Kimi): compressed latent per token
        head_k = _int(md, f"{arch}.attention.kv_lora_rank") + _int(md, f"{arch}.rope.dimension_count")
        head_v = _int(md, f"{arch}.attention.kv_lora_rank")
        n_head_kv = [1 if h else 0 for h in n_head_kv]
    n_ff = _per_layer(md.get(f"{arch}.feed_forward_length"), n_layer, 4 * n_embd)
    n_exp_ff = _int(md, f"{arch}.expert_feed_forward_length")
    n_used = _int(md, f"{arch}.expert_used_count")
    if n_exp_ff and n_used:
        n_ff = [max(f, n_exp_ff * n_used) for f in n_ff]
    n_swa = _int(md, f"{arch}.attention.sliding_window")
    swa = _swa_layers(md, arch, n_layer, n_swa)
    recurrent, rs = _recurrent(md, arch, n_layer, n_head_kv, n_embd)
    shared = _int(md, f"{arch}.attention.shared_kv_layers")  # gemma3n: the last layers reuse earlier KV
    if shared:
        n_head_kv = [0 if il >= n_layer - shared else kv for il, kv in enumerate(n_head_kv)]

    tensors: list[Tensor] = []
    names = set()
    for t in model.tensors:
        names.add(t.name)
        m = _BLK_RE.match(t.name)
        if m:
            layer = int(m.group(1))
            if layer >= n_layer:
                raise ProfileError(translate("FitVerdict", "tensor {name} belongs to layer {layer}, but the model "
                                                           "has {count}").format(name=repr(t.name), layer=layer,
                                                                                 count=n_layer))
        elif t.name.startswith(INPUT_TENSORS):
            layer = -1
        else:
            layer = -2
        shard_base = model.shards[t.shard].data_offset
        tensors.append(Tensor(t.name, t.nbytes, t.type_id, t.shape, layer, t.shard, shard_base + t.offset,
                              _is_matmul_weight(t.name, t.shape)))
    if not tensors:
        raise ProfileError(translate("FitVerdict", "the file holds no tensors (a vocabulary-only file?)"))
    tied = "output.weight" not in names and "token_embd.weight" in names
    n_vocab = 0
    for t in model.tensors:
        if t.name in ("output.weight", "token_embd.weight") and len(t.shape) >= 2:
            n_vocab = max(n_vocab, t.shape[1])
    if not n_vocab:
        toks = md.get("tokenizer.ggml.tokens")
        n_vocab = len(toks) if isinstance(toks, (list, SkippedArray)) else _int(md, f"{arch}.vocab_size")
    return ModelProfile(
        name=name or str(md.get("general.name") or ""), arch=arch, n_layer=n_layer, n_embd=n_embd,
        n_vocab=n_vocab, n_ctx_train=_int(md, f"{arch}.context_length", 4096), n_head=n_head,
        n_head_kv=n_head_kv, head_k=head_k, head_v=head_v, n_ff=n_ff, swa_layers=swa, n_swa=n_swa,
        recurrent_layers=recurrent, rs_bytes_per_layer=rs, tensors=tensors, output_tied=tied, exact=True,
        file_size=model.file_size, n_params=sum(t.n_elements for t in model.tensors))


def profile_from_facts(facts: dict[str, Any], file_size: int, name: str = "",
                       quant_type: str = "Q4_K") -> ModelProfile:
    """An approximate profile from architecture facts (a starter pick) and the size of one quantization's file.

    The weights are spread like a real file: embeddings and output at the file's average bytes per parameter,
    the rest evenly over the layers. Good to a few percent for a verdict; exact numbers need the header."""
    n_layer = int(facts["n_layers"])
    n_embd = int(facts["n_embd"])
    n_head = int(facts["n_head"])
    n_head_kv = int(facts.get("n_head_kv", n_head))
    head_dim = int(facts.get("head_dim") or n_embd // n_head)
    n_vocab = int(facts["vocab_size"])
    arch = facts["architecture"]
    n_params = int(facts.get("n_params") or 0)
    tied = bool(facts.get("tied_embeddings", False))
    n_swa = int(facts.get("sliding_window") or 0)
    md = {f"{arch}.attention.sliding_window_pattern": facts["sliding_window_pattern"]} \
        if "sliding_window_pattern" in facts else {}
    swa = _swa_layers(md, arch, n_layer, n_swa)
    bpp = file_size / n_params if n_params else 0.6
    embd = int(n_vocab * n_embd * bpp)
    out = 0 if tied else int(n_vocab * n_embd * bpp)
    per_layer = max(0, (file_size - embd - out) // max(1, n_layer))
    qt = T.TYPES_BY_NAME.get(quant_type.lower(), T.TYPES_BY_NAME["q4_k"]).id
    tensors = [Tensor("token_embd.weight", embd, qt, (n_embd, n_vocab), -1)]
    tensors += [Tensor(f"blk.{i}.weights", per_layer, qt, (n_embd, n_embd), i, matmul=True) for i in range(n_layer)]
    if out:
        tensors.append(Tensor("output.weight", out, qt, (n_embd, n_vocab), -2, matmul=True))
    off = 0
    for t in tensors:
        t.offset = off
        off += t.nbytes
    return ModelProfile(
        name=name, arch=arch, n_layer=n_layer, n_embd=n_embd, n_vocab=n_vocab,
        n_ctx_train=int(facts.get("context_length", 4096)), n_head=[n_head] * n_layer,
        n_head_kv=[n_head_kv] * n_layer, head_k=head_dim, head_v=head_dim,
        n_ff=[int(facts.get("n_ff", 4 * n_embd))] * n_layer, swa_layers=swa, n_swa=n_swa,
        recurrent_layers=[False] * n_layer, rs_bytes_per_layer=0, tensors=tensors, output_tied=tied,
        exact=False, file_size=file_size, n_params=n_params,
        notes=[QT_TRANSLATE_NOOP("FitVerdict", "estimated from the model's architecture and file size "
                                               "(no header read yet)")])
