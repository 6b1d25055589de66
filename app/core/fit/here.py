"""Will it fit *on this computer*: the one entry point every verdict goes through.

The Hardware page, the Library, Discover (starter picks and each file of a repository, read over HTTP Range) and
``hearth fit`` all call :func:`fit_here` with the same :class:`FitSettings` (context, KV cache type, flash
attention, GPU layers, batch), and get this computer's devices and llama.cpp's CPU repacking rule from
:func:`machine_options`. So one file with one set of options gets one verdict and one memory figure, wherever
it is shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.core.fit.memory import (REPACK_ARM_DOTPROD, REPACK_ARM_I8MM, REPACK_X86_AVX2, Device, FitOptions,
                                 FitResult, fit)


@dataclass(frozen=True)
class FitSettings:
    """What the user chose (or a page's controls say): the options that change a verdict."""
    n_ctx: int = 4096
    kv_type: str = "f16"
    flash_attn: bool = False
    n_gpu_layers: int | None = None  # None: the estimator recommends the most that fit
    n_batch: int = 512

    @classmethod
    def from_settings(cls, settings, n_ctx: int | None = None) -> "FitSettings":
        """The load options of :class:`app.settings.Settings` (what the Chat page would load the model with)."""
        return cls(n_ctx=n_ctx or settings.n_ctx, kv_type=settings.kv_type, flash_attn=settings.flash_attn)


def repack_types(cpu, llama=None) -> frozenset[int]:
    """The weight types llama.cpp repacks for this CPU (they take extra memory): none when the engine probe
    chose the safe configuration (app/core/engine/probe.py), which turns llama.cpp's extra buffer types off."""
    if llama is not None and getattr(llama, "config", None) not in (None, "fast"):
        return frozenset()
    arch = (cpu.arch or "").lower()
    if arch in ("x86_64", "amd64", "i686", "x86"):
        return frozenset(REPACK_X86_AVX2) if cpu.flags.get("AVX2") is not False else frozenset()
    if arch in ("aarch64", "arm64"):
        if "i8mm" in cpu.extra_flags:
            return frozenset(REPACK_ARM_I8MM)
        return frozenset(REPACK_ARM_DOTPROD) if "asimddp" in cpu.extra_flags else frozenset()
    return frozenset()


def machine_options(settings: FitSettings, info=None, extras=()) -> tuple[FitOptions, list[Device]]:
    """The estimator's options and device list for this computer (``info``: a HardwareInfo, detected when None;
    ``extras``: ``ExtraPart``s of :mod:`app.core.fit.extras`, the adapters and projector loaded with the model)."""
    from app.core import hardware

    info = info if info is not None else hardware.cached_info()
    opts = FitOptions(n_ctx=settings.n_ctx, kv_type=settings.kv_type, flash_attn=settings.flash_attn,
                      n_gpu_layers=settings.n_gpu_layers, n_batch=settings.n_batch,
                      repack_types=repack_types(info.cpu, info.llama), extras=tuple(extras))
    return opts, hardware.fit_devices(info)


def fit_here(profile, settings: FitSettings, info=None, extras=()) -> FitResult:
    """The verdict and memory of one model (a ModelProfile) on this computer with these settings, with the
    companions in ``extras`` (``adapter_part(info)``, ``projector_part(path)`` of :mod:`app.core.fit.extras`)
    counted in; the verdict's text then names them ("... with adapter x (12 MiB) and vision projector (190 MiB)")."""
    opts, devices = machine_options(settings, info, extras)
    return fit(profile, opts, devices)
