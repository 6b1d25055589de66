"""Memory estimate and verdict: will this model run here, and how well?

The estimate follows what llama.cpp allocates when Hearth's engine loads a model (``Engine.load``: llama-cpp-python
0.3.36, ``n_batch`` 512, ``n_ubatch`` 512, one sequence, mmap on, ``swa_full`` left at llama.cpp's default of
true, ``offload_kqv`` on, flash attention on or off as chosen, the same K and V cache type):

- **weights**, per tensor from the GGUF header: the input layer (token embeddings) always stays on the CPU, the
  repeating blocks are offloaded from the last one down, the output layer goes to the GPU only when every block
  is there (``n_gpu_layers > n_layer``), a tied output (no ``output.weight``) is then copied to the GPU. On the CPU
  the file is mapped: llama.cpp reports the mapped range of each file, plus a ``CPU_REPACK`` buffer holding
  re-laid-out copies of the matrices the CPU kernels prefer (Q4_0, Q4_K, IQ4_NL and MXFP4 on AVX2);
- **KV cache** per layer: ``kv_size = pad(n_ctx, 256)`` cells of ``n_head_kv(il) * head_dim`` K and V values in the
  chosen type (GQA and per-layer head counts honoured); sliding-window layers get a full-size cache unless
  ``swa_full`` is off (then ``pad(n_swa + n_ubatch, 256)`` cells); layers without KV (recurrent, shared) get none;
- **recurrent state** (Mamba, RWKV and hybrid models): f32 conv and SSM/WKV state per recurrent layer;
- **output buffer**: the logits of one token (``n_vocab`` floats);
- **compute buffer**: the peak of the graph llama.cpp reserves for a full micro-batch, modelled as the largest of
  the logits phase (``n_vocab * n_ubatch`` floats), the attention phase (without flash attention the full
  ``n_kv x n_ubatch x n_head`` score matrix plus the masks; with it, the masks in f16) and the feed-forward phase,
  each with the residual stream around it. This is the only approximate part (see ``benchmarks/fit_accuracy.py``);
- **companions** (``FitOptions.extras``, made by ``extras.py``): LoRA adapters, placed like the layers, and a
  vision projector's weights and compute buffer.

The verdict then adds, per device, a runtime overhead (``DEVICE_OVERHEAD``: the app and libraries on the CPU, the
driver context on a GPU) and a safety margin of ``SAFETY`` (5 %) of the estimate, so that "fits" is never said
where llama.cpp would run out of memory: on this CPU the estimate is never more than 3 % below llama.cpp's own
figures, so the margin covers the error with room to spare.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.gguf import types as T
from app.core.fit.extras import describe as describe_extras
from app.core.fit.model_profile import ModelProfile
from app.core.i18n import QT_TRANSLATE_NOOP, translate
from app.core.units import number

MiB = 1 << 20
KV_CACHE_TYPES = {"f16": 1, "q8_0": 8, "q4_0": 2, "f32": 0, "bf16": 30, "q4_1": 3, "q5_0": 6, "q5_1": 7,
                  "iq4_nl": 20}
SAFETY = 0.05
DEVICE_OVERHEAD = {"cpu": 256 * MiB, "cuda": 450 * MiB, "rocm": 450 * MiB, "vulkan": 320 * MiB,
                   "metal": 256 * MiB, "gpu": 400 * MiB}
GPU_ALIGNMENT = 256
INPUTS_BYTES = 64 << 10  # token ids, positions, output ids, KV indices: a few KB
# CPU kernels that re-lay-out matrices at load time (ggml-cpu "repack"), by instruction set
REPACK_X86_AVX2 = {2, 12, 20, 39}  # Q4_0, Q4_K, IQ4_NL, MXFP4 (rows in groups of 8)
REPACK_ARM_DOTPROD = {2, 20}  # Q4_0, IQ4_NL (groups of 4)
REPACK_ARM_I8MM = {2, 12, 20, 8}  # + Q4_K, Q8_0


class FitError(ValueError):
    """The requested combination cannot run at all (clear message for the user)."""


@dataclass
class FitOptions:
    n_ctx: int = 4096
    kv_type: str = "f16"
    flash_attn: bool = False
    n_batch: int = 512
    n_ubatch: int = 512
    n_gpu_layers: int | None = None  # None: recommend the best
    swa_full: bool = True  # llama.cpp's default, which Hearth's engine keeps
    op_offload: bool = True
    repack_types: frozenset[int] = frozenset(REPACK_X86_AVX2)
    repack_rows: int = 8
    extras: tuple = ()  # ExtraPart each (app/core/fit/extras.py): LoRA adapters and a vision projector


@dataclass
class Device:
    id: str
    name: str
    kind: str  # "cpu" or "gpu"
    total_bytes: int
    free_bytes: int
    backend: str = "cpu"  # cpu, cuda, rocm, vulkan, metal, ...
    unified: bool = False  # shares system RAM (Apple Silicon)
    usable: bool = True  # the installed llama.cpp build can offload to it

    @property
    def overhead(self) -> int:
        return DEVICE_OVERHEAD.get(self.backend, DEVICE_OVERHEAD["gpu" if self.kind == "gpu" else "cpu"])


@dataclass
class DeviceUse:
    weights: int = 0  # what llama.cpp reports (mapped ranges + repacked copies on the CPU)
    weights_resident: int = 0  # what stays in memory (each byte once)
    kv: int = 0
    recurrent: int = 0
    output: int = 0
    compute: int = 0
    layers: int = 0
    extra: int = 0  # adapters and projector (weights and the projector's compute buffer)

    @property
    def total(self) -> int:
        return self.weights + self.kv + self.recurrent + self.output + self.compute + self.extra

    @property
    def resident(self) -> int:
        return self.weights_resident + self.kv + self.recurrent + self.output + self.compute + self.extra

    def to_dict(self) -> dict[str, int]:
        return {"weights_bytes": self.weights, "weights_resident_bytes": self.weights_resident,
                "kv_bytes": self.kv, "recurrent_bytes": self.recurrent, "output_bytes": self.output,
                "compute_bytes": self.compute, "extra_bytes": self.extra, "total_bytes": self.total,
                "resident_bytes": self.resident, "layers": self.layers}


@dataclass
class Estimate:
    n_ctx: int  # KV cells (the requested context rounded up to 256)
    n_ubatch: int
    gpu_layers: int
    output_on_gpu: bool
    cpu: DeviceUse
    gpu: list[DeviceUse]
    layer_weights: list[int]
    input_weights: int
    output_weights: int
    kv_per_layer: list[int]

    def _sum(self, attr: str) -> int:
        return getattr(self.cpu, attr) + sum(getattr(g, attr) for g in self.gpu)

    @property
    def weights_bytes(self) -> int:
        return self._sum("weights")

    @property
    def kv_bytes(self) -> int:
        return self._sum("kv")

    @property
    def compute_bytes(self) -> int:
        return self._sum("compute")

    @property
    def output_bytes(self) -> int:
        return self._sum("output")

    @property
    def recurrent_bytes(self) -> int:
        return self._sum("recurrent")

    @property
    def extra_bytes(self) -> int:
        return self._sum("extra")

    @property
    def total_bytes(self) -> int:
        return self._sum("total")

    @property
    def resident_bytes(self) -> int:
        return self._sum("resident")


def _pad(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def kv_type_id(kv_type: str) -> int:
    try:
        return KV_CACHE_TYPES[kv_type.lower()]
    except KeyError:
        raise FitError(translate("FitVerdict", "unknown KV cache type {kv_type}; choose one of {types}").format(
            kv_type=repr(kv_type), types=", ".join(KV_CACHE_TYPES))) from None


def check_options(profile: ModelProfile, opts: FitOptions) -> None:
    tid = kv_type_id(opts.kv_type)
    if opts.n_ctx < 1:
        raise FitError(translate("FitVerdict", "the context length must be at least 1 token"))
    if opts.n_ctx > 1 << 24:
        raise FitError(translate("FitVerdict", "a context of {tokens} tokens is beyond anything llama.cpp supports"
                                 ).format(tokens=number(opts.n_ctx)))
    if tid not in (0, 1, 30) and not opts.flash_attn:
        raise FitError(translate("FitVerdict", "a {kv_type} KV cache needs flash attention: llama.cpp cannot "
                                               "quantize the V cache without it (turn flash attention on, or use "
                                               "f16)").format(kv_type=opts.kv_type))
    bs = T.GGML_TYPES[tid].block_size
    for il in profile.kv_layers():
        for n in (profile.head_k * profile.n_head_kv[il], profile.head_v * profile.n_head_kv[il]):
            if n % bs:
                raise FitError(translate("FitVerdict", "a {kv_type} KV cache needs rows that are multiples of "
                                                       "{block} values; this model's are {n}"
                                         ).format(kv_type=opts.kv_type, block=bs, n=n))


def micro_batch(opts: FitOptions) -> int:
    # llama-cpp-python: n_batch = min(n_ctx, n_batch); n_ubatch = min(n_batch, n_ubatch)
    return max(1, min(opts.n_ubatch, opts.n_batch, opts.n_ctx))


def estimate(profile: ModelProfile, opts: FitOptions, gpu_layers: int = 0, n_gpus: int = 1,
             gpu_split: list[float] | None = None) -> Estimate:
    """Memory per device for one placement: the last ``gpu_layers`` blocks (and, when it exceeds the number of
    blocks, the output layer) on the GPUs, split over ``n_gpus`` in proportion to ``gpu_split``."""
    check_options(profile, opts)
    n_layer = profile.n_layer
    gpu_layers = max(0, min(gpu_layers, n_layer + 1)) if n_gpus else 0
    first_gpu = n_layer - min(gpu_layers, n_layer)
    output_on_gpu = gpu_layers > n_layer
    split = gpu_split or [1.0] * max(1, n_gpus)
    gpu_of = _assign_layers(list(range(first_gpu, n_layer)), split)
    cpu = DeviceUse()
    gpus = [DeviceUse() for _ in range(max(0, n_gpus))]

    def dev_of(layer: int) -> DeviceUse:
        if layer >= 0 and layer >= first_gpu and gpus:
            return gpus[gpu_of[layer]]
        if layer == -2 and output_on_gpu and gpus:
            return gpus[-1]
        return cpu

    # ---- weights
    layer_w = [0] * n_layer
    in_w = out_w = 0
    cpu_mapped: dict[int, list[int]] = {}
    repack = 0
    for t in profile.tensors:
        if t.layer >= 0:
            layer_w[t.layer] += t.nbytes
        elif t.layer == -1:
            in_w += t.nbytes
        else:
            out_w += t.nbytes
        d = dev_of(t.layer)
        if d is cpu:
            if t.matmul and t.type_id in opts.repack_types and t.shape[1] % opts.repack_rows == 0:
                repack += _pad(t.nbytes, 32)
            else:
                rng = cpu_mapped.setdefault(t.shard, [t.offset, t.offset + t.nbytes])
                rng[0] = min(rng[0], t.offset)
                rng[1] = max(rng[1], t.offset + t.nbytes)
            cpu.weights_resident += t.nbytes
        else:
            d.weights += _pad(t.nbytes, GPU_ALIGNMENT)
            d.weights_resident += _pad(t.nbytes, GPU_ALIGNMENT)
    if profile.output_tied:  # the output matmul reuses token_embd: a second copy where it cannot be mapped
        emb = next((t for t in profile.tensors if t.name == "token_embd.weight"), None)
        if emb is not None:
            out_w += emb.nbytes
            if output_on_gpu and gpus:
                gpus[-1].weights += _pad(emb.nbytes, GPU_ALIGNMENT)
                gpus[-1].weights_resident += _pad(emb.nbytes, GPU_ALIGNMENT)
            elif emb.type_id in opts.repack_types and emb.shape[1] % opts.repack_rows == 0:
                repack += _pad(emb.nbytes, 32)
                cpu.weights_resident += emb.nbytes
    cpu.weights = sum(hi - lo for lo, hi in cpu_mapped.values()) + repack

    # ---- KV cache and recurrent state
    kv_size = _pad(opts.n_ctx, 256)
    ub = micro_batch(opts)
    swa_size = kv_size if opts.swa_full or not profile.n_swa else min(kv_size, _pad(profile.n_swa + ub, 256))
    tid = kv_type_id(opts.kv_type)
    kt = T.GGML_TYPES[tid]
    kv_layers = set(profile.kv_layers())
    kv_per_layer = [0] * n_layer
    for il in range(n_layer):
        d = dev_of(il)
        if il in kv_layers:
            cells = swa_size if profile.swa_layers[il] else kv_size
            nkv = profile.n_head_kv[il]
            kv_per_layer[il] = (kt.row_bytes(profile.head_k * nkv) + kt.row_bytes(profile.head_v * nkv)) * cells
            d.kv += kv_per_layer[il]
        if profile.recurrent_layers[il]:
            d.recurrent += profile.rs_bytes_per_layer
        if il >= first_gpu and gpus:
            d.layers += 1
    cpu.layers = first_gpu

    # ---- output buffer (host memory) and compute buffers
    cpu.output = profile.n_vocab * 4
    phases = _phases(profile, opts, ub, kv_size, swa_size, kv_layers)
    logits, layer_peak = phases
    if not gpus or gpu_layers == 0:
        cpu.compute = max(logits, layer_peak) + INPUTS_BYTES
    else:
        r = profile.n_embd * ub * 4
        masks = _mask_bytes(profile, opts, ub, kv_size, swa_size, kv_layers)
        for i, g in enumerate(gpus):
            if g.layers or (output_on_gpu and i == len(gpus) - 1):
                g.compute = layer_peak
                if output_on_gpu and i == len(gpus) - 1:
                    g.compute = max(g.compute, logits)
                elif opts.op_offload and not output_on_gpu and i == len(gpus) - 1:
                    # large batches: llama.cpp runs the CPU-held output matmul on the GPU, staging its weights
                    g.compute = max(g.compute, logits + out_w)
        cpu_part = 2 * r + masks + INPUTS_BYTES
        if first_gpu > 0 and not opts.op_offload:
            cpu_part = max(cpu_part, layer_peak)
        if not output_on_gpu and not opts.op_offload:
            cpu_part = max(cpu_part, logits)
        cpu.compute = cpu_part
    _place_extras(opts.extras, n_layer, cpu, gpus)
    return Estimate(n_ctx=kv_size, n_ubatch=ub, gpu_layers=gpu_layers, output_on_gpu=output_on_gpu, cpu=cpu,
                    gpu=gpus, layer_weights=layer_w, input_weights=in_w, output_weights=out_w,
                    kv_per_layer=kv_per_layer)


def _place_extras(extras, n_layer: int, cpu: DeviceUse, gpus: list[DeviceUse]) -> None:
    """Adapters go where the layers they change go (llama.cpp puts each lora tensor next to its base weight): split
    like the repeating layers. A projector goes to the CPU, or to the first GPU when libmtmd is asked to use it."""
    for part in extras:
        if part.kind == "adapter":
            left = part.weights
            for g in gpus:
                share = part.weights * g.layers // max(1, n_layer)
                g.extra += share
                left -= share
            cpu.extra += left
        else:
            (gpus[0] if part.on_gpu and gpus else cpu).extra += part.total


def _assign_layers(layers: list[int], split: list[float]) -> dict[int, int]:
    total = sum(split) or 1.0
    out: dict[int, int] = {}
    n = len(layers)
    acc = 0.0
    bounds = []
    for s in split:
        acc += s / total
        bounds.append(round(acc * n))
    dev = 0
    for k, il in enumerate(layers):
        while dev < len(bounds) - 1 and k >= bounds[dev]:
            dev += 1
        out[il] = dev
    return out


def _mask_bytes(p: ModelProfile, opts: FitOptions, ub: int, kv_size: int, swa_size: int, kv_layers: set[int]) -> int:
    if not kv_layers:
        return 0
    el = 2 if opts.flash_attn else 4
    sizes = {swa_size if p.swa_layers[il] else kv_size for il in kv_layers}
    has_swa = any(p.swa_layers[il] for il in kv_layers)
    if has_swa and len(sizes) == 1:  # iswa models build two masks even when both caches are full size
        return 2 * kv_size * ub * el
    return sum(sizes) * ub * el


def _phases(p: ModelProfile, opts: FitOptions, ub: int, kv_size: int, swa_size: int,
            kv_layers: set[int]) -> tuple[int, int]:
    """(logits phase, largest per-layer phase) of the compute graph, in bytes."""
    r = p.n_embd * ub * 4  # one f32 activation of the residual stream
    logits = p.n_vocab * ub * 4 + 3 * r
    masks = _mask_bytes(p, opts, ub, kv_size, swa_size, kv_layers)
    f = max(p.n_ff) if p.n_ff else 4 * p.n_embd
    ffn = 3 * f * ub * 4 + 2 * r
    attn = 0
    for il in kv_layers:
        cells = swa_size if p.swa_layers[il] else kv_size
        h, hkv = p.n_head[il], p.n_head_kv[il]
        if opts.flash_attn:
            a = masks + (h * p.head_k + hkv * (p.head_k + p.head_v)) * ub * 4 + 3 * r
        else:
            a = h * cells * ub * 4 + masks + f * ub * 4 + 3 * r
        attn = max(attn, a)
    if any(p.recurrent_layers):  # SSM scan / WKV intermediates: a few activations of the inner width
        attn = max(attn, 6 * r + p.rs_bytes_per_layer)
    return logits, max(attn, ffn)


# ---- verdicts ------------------------------------------------------------------------------------------------------
VERDICT_TEXT = {  # shown as translate("FitVerdict", text)
    "gpu_full": QT_TRANSLATE_NOOP("FitVerdict", "Fits on the GPU fully"),
    "partial": QT_TRANSLATE_NOOP("FitVerdict", "Partial GPU offload"),
    "cpu": QT_TRANSLATE_NOOP("FitVerdict", "CPU only, fits in RAM"),
    "no_fit": QT_TRANSLATE_NOOP("FitVerdict", "Does not fit"),
}
PARTIAL_TEXT = QT_TRANSLATE_NOOP("FitVerdict", "Partial offload ({gpu} of {total} layers on the GPU)")


@dataclass
class FitResult:
    verdict: str  # gpu_full | partial | cpu | no_fit
    gpu_layers: int
    total_layers: int  # n_layer + 1 (the output layer), as llama.cpp counts "offloaded N/M layers"
    max_ctx: int  # the largest context that still fits at all (0: none)
    max_ctx_gpu: int  # the largest that still fits fully on the GPU (0: none or no GPU)
    estimate: Estimate
    required: dict[str, int]  # device id -> bytes needed (estimate + overhead + margin)
    budget: dict[str, int]  # device id -> bytes available
    notes: list[str] = field(default_factory=list)
    beyond_trained: int = 0  # the model's trained context when the asked one is longer, else 0
    extras: tuple = ()  # the ExtraParts counted in (adapters, vision projector)

    @property
    def label(self) -> str:
        """The verdict in words, in the current language (English without a translator: the command line)."""
        if self.verdict == "partial":
            text = translate("FitVerdict", PARTIAL_TEXT).format(gpu=self.gpu_layers, total=self.total_layers)
        else:
            text = translate("FitVerdict", VERDICT_TEXT[self.verdict])
        if self.extras:
            text = f"{text} {describe_extras(self.extras)}"
        return text

    @property
    def fits(self) -> bool:
        return self.verdict != "no_fit"

    def to_dict(self) -> dict[str, Any]:
        e = self.estimate
        return {
            "verdict": self.verdict, "verdict_text": self.label, "gpu_layers": self.gpu_layers,
            "total_layers": self.total_layers, "max_ctx": self.max_ctx, "max_ctx_gpu": self.max_ctx_gpu,
            "n_ctx": e.n_ctx, "n_ubatch": e.n_ubatch,
            "weights_bytes": e.weights_bytes, "kv_bytes": e.kv_bytes, "recurrent_bytes": e.recurrent_bytes,
            "output_bytes": e.output_bytes, "compute_bytes": e.compute_bytes, "extra_bytes": e.extra_bytes,
            "extras": [{"kind": x.kind, "name": x.name, "bytes": x.total} for x in self.extras],
            "total_bytes": e.total_bytes,
            "resident_bytes": e.resident_bytes,
            "required_bytes": sum(self.required.values()),
            "devices": {"cpu": e.cpu.to_dict(), **{f"gpu{i}": g.to_dict() for i, g in enumerate(e.gpu)}},
            "required": self.required, "budget": self.budget,
            "input_weights_bytes": e.input_weights, "output_weights_bytes": e.output_weights,
            "layer_weights_bytes": e.layer_weights, "kv_per_layer_bytes": e.kv_per_layer,
            "notes": self.notes,
        }


def required_bytes(use: DeviceUse, device: Device) -> int:
    return int(use.resident * (1 + SAFETY)) + device.overhead


def _check(profile: ModelProfile, opts: FitOptions, cpu: Device, gpus: list[Device], n: int
           ) -> tuple[bool, Estimate, dict[str, int], dict[str, int]]:
    split = [max(1, g.free_bytes) for g in gpus] or None
    est = estimate(profile, opts, n if gpus else 0, len(gpus), split)
    req = {cpu.id: required_bytes(est.cpu, cpu)}
    budget = {cpu.id: cpu.free_bytes}
    ok = req[cpu.id] <= cpu.free_bytes
    shared = req[cpu.id]
    for g, use in zip(gpus, est.gpu):
        need = required_bytes(use, g) if (use.layers or use.weights or use.extra) else 0
        req[g.id] = need
        budget[g.id] = g.free_bytes
        ok = ok and need <= g.free_bytes
        if g.unified:
            shared += need
    if any(g.unified for g in gpus):
        ok = ok and shared <= cpu.free_bytes
    return ok, est, req, budget


def fit(profile: ModelProfile, opts: FitOptions, devices: list[Device]) -> FitResult:
    """The verdict for ``profile`` on ``devices`` (one CPU device, any number of GPUs)."""
    check_options(profile, opts)
    cpu = next((d for d in devices if d.kind == "cpu"), None)
    if cpu is None:
        raise FitError("no CPU device given")
    gpus = [d for d in devices if d.kind == "gpu" and d.usable and d.total_bytes > 0]
    notes = list(profile.notes)
    skipped = [d for d in devices if d.kind == "gpu" and not d.usable]
    if skipped:
        notes.append(translate("FitVerdict", "the installed llama.cpp cannot offload to {devices}; it runs on the "
                                             "CPU").format(devices=", ".join(d.name for d in skipped)))
    if opts.n_ctx > profile.n_ctx_train:
        notes.append(translate("FitVerdict", "{tokens} tokens is more than the {trained} the model was trained on"
                               ).format(tokens=number(opts.n_ctx), trained=number(profile.n_ctx_train)))
    total_layers = profile.n_layer + 1
    if opts.n_gpu_layers is not None:
        candidates = [max(0, min(opts.n_gpu_layers, total_layers)) if gpus else 0]
    else:
        candidates = list(range(total_layers, -1, -1)) if gpus else [0]
    chosen = None
    for n in candidates:
        ok, est, req, budget = _check(profile, opts, cpu, gpus, n)
        if ok:
            chosen = (n, est, req, budget)
            break
    if chosen is None:
        n = candidates[-1]
        _, est, req, budget = _check(profile, opts, cpu, gpus, n)
        verdict = "no_fit"
    else:
        n, est, req, budget = chosen
        verdict = "gpu_full" if gpus and n == total_layers else "partial" if n > 0 else "cpu"
    max_ctx = _max_ctx(profile, opts, cpu, gpus, None)
    max_ctx_gpu = _max_ctx(profile, opts, cpu, gpus, total_layers) if gpus else 0
    return FitResult(verdict=verdict, gpu_layers=n, total_layers=total_layers, max_ctx=max_ctx,
                     max_ctx_gpu=max_ctx_gpu, estimate=est, required=req, budget=budget, notes=notes,
                     beyond_trained=profile.n_ctx_train if opts.n_ctx > profile.n_ctx_train > 0 else 0,
                     extras=tuple(opts.extras))


def _fits_at(profile: ModelProfile, opts: FitOptions, cpu: Device, gpus: list[Device], ctx: int,
             layers: int | None) -> bool:
    o = FitOptions(**{**opts.__dict__, "n_ctx": ctx})
    if layers is not None:
        return _check(profile, o, cpu, gpus, layers)[0]
    if opts.n_gpu_layers is not None:
        return _check(profile, o, cpu, gpus, opts.n_gpu_layers if gpus else 0)[0]
    if not gpus:
        return _check(profile, o, cpu, gpus, 0)[0]
    # any placement: the CPU-only one and the all-GPU one bound the rest closely enough; try a few
    total = profile.n_layer + 1
    return any(_check(profile, o, cpu, gpus, n)[0] for n in sorted({0, total // 4, total // 2, 3 * total // 4,
                                                                     total - 1, total}))


def _max_ctx(profile: ModelProfile, opts: FitOptions, cpu: Device, gpus: list[Device], layers: int | None) -> int:
    """The largest context (a multiple of 256, up to the trained length) that still fits; 0 if none does."""
    hi = max(256, _pad(profile.n_ctx_train, 256))
    if not _fits_at(profile, opts, cpu, gpus, 256, layers):
        return 0
    lo = 256
    while lo < hi:
        mid = _pad((lo + hi + 1) // 2, 256)
        if mid > hi:
            mid = hi
        if mid == lo:
            break
        if _fits_at(profile, opts, cpu, gpus, mid, layers):
            lo = mid
        else:
            hi = mid - 256
    return min(lo, profile.n_ctx_train) if profile.n_ctx_train >= 256 else profile.n_ctx_train
