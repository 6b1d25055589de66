"""``hearth fit MODEL [--ctx N] [--kv-type T] [--flash-attn] [--gpu-layers N] [--threads N] [--json]``: the memory
breakdown and verdict for a local GGUF file or for ``hf://owner/repo/file.gguf`` (only its header is read, over
HTTP Range), and the expected generation speed when the model runs on the CPU (``expected_tokens_per_s`` with
``threads`` and the ``memory_bandwidth`` it rests on, from :mod:`app.core.fit.speed`; ``null`` when layers go
to a GPU or it does not fit). The first run on a machine measures the memory bandwidth (~0.5 s), later runs reuse it.

Malformed input (a damaged file, an impossible option) prints one clear line on stderr and exits with 2; a
network problem with a remote file exits with 1."""
from __future__ import annotations

import sys


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("fit", help="estimate the memory a model needs and whether it fits here")
    p.add_argument("model", metavar="MODEL", help="a local .gguf file or hf://owner/repo/file.gguf")
    p.add_argument("--ctx", type=int, default=4096, help="context length in tokens (default 4096)")
    p.add_argument("--kv-type", default="f16", choices=["f16", "q8_0", "q4_0"], help="KV cache type")
    p.add_argument("--flash-attn", action="store_true", help="use flash attention")
    p.add_argument("--gpu-layers", type=int, default=None,
                   help="layers to offload to the GPU (default: the most that fit)")
    p.add_argument("--threads", type=int, default=0,
                   help="CPU threads the speed forecast assumes (default: the physical cores, as hearth chat)")
    p.add_argument("--batch", type=int, default=512, help=argparse_suppress())
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--lora", action="append", default=[], metavar="FILE",
                   help="count a LoRA adapter loaded with the model (repeatable)")
    p.add_argument("--mmproj", default="", metavar="FILE", help="count a vision projector loaded with the model")
    p.set_defaults(func=run)


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def _fail(msg: str, code: int = 2) -> int:
    print(f"hearth fit: {msg}", file=sys.stderr)
    return code


def load_profile(model: str):
    """(profile, description of the source, bytes fetched) for a local path or an hf:// address."""
    from pathlib import Path

    from app.core.gguf.header import read_model_file
    from app.core.fit.model_profile import profile_from_gguf

    if model.lower().startswith("hf://"):
        from app.core.gguf.remote import parse_hf_uri, read_remote_model

        f = parse_hf_uri(model)
        _configure_network()
        gm, fetched = read_remote_model(f)
        return profile_from_gguf(gm, name=f.filename.rsplit("/", 1)[-1]), model, fetched, gm
    path = Path(model).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"{model}: no such file")
    if not path.is_file():
        raise IsADirectoryError(f"{model} is not a file")
    gm = read_model_file(path)
    return profile_from_gguf(gm, name=path.name), str(path), 0, gm


def _configure_network() -> None:
    """Without this a remote read would use huggingface_hub's own client."""
    from app.commands import net_settings

    net_settings.configure()


def run(args) -> int:
    import json

    from app.core import hardware
    from app.core.fit import FitError, fit
    from app.core.fit.here import FitSettings, machine_options
    from app.core.gguf.header import GGUFError
    from app.core.gguf.remote import RemoteError
    from app.core.fit.model_profile import ProfileError

    name = args.model
    try:
        profile, source, fetched, header = load_profile(args.model)
    except (GGUFError, ProfileError) as exc:
        return _fail(f"{name} is not a usable GGUF model: {exc}")
    except ValueError as exc:  # a malformed hf:// address
        return _fail(str(exc))
    except (FileNotFoundError, IsADirectoryError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{name} could not be read: {exc.strerror or exc}")
    except RemoteError as exc:
        return _fail(str(exc), 1)
    if args.gpu_layers is not None and args.gpu_layers < 0:
        return _fail("--gpu-layers must be 0 or more")
    if not 0 <= args.threads <= 1024:
        return _fail(f"--threads must be between 0 (automatic) and 1024 (got {args.threads})")
    try:
        extras = companions(args, header)
    except ValueError as exc:
        return _fail(str(exc))
    info = hardware.detect(with_llama=True)
    settings = FitSettings(n_ctx=args.ctx, kv_type=args.kv_type, flash_attn=args.flash_attn, n_batch=args.batch,
                           n_gpu_layers=args.gpu_layers)
    opts, devices = machine_options(settings, info, extras)
    try:
        res = fit(profile, opts, devices)
    except FitError as exc:
        return _fail(str(exc))
    speed = speed_forecast(profile, res, args.threads)
    if args.json:
        out = {"model": source, "name": profile.name, "architecture": profile.arch, "n_layer": profile.n_layer,
               "n_ctx_train": profile.n_ctx_train, "n_params": profile.n_params, "file_size": profile.file_size,
               "kv_type": opts.kv_type, "flash_attn": opts.flash_attn, "ctx": opts.n_ctx,
               "header_bytes_fetched": fetched, **res.to_dict(), **speed}
        print(json.dumps(out, indent=2))
        return 0
    print_breakdown(profile, opts, res, speed)
    return 0


def companions(args, header) -> tuple:
    """The ``ExtraPart``s of ``--lora`` and ``--mmproj``, each checked against the model (ValueError with a
    sentence when one does not fit or cannot be read)."""
    from pathlib import Path

    from app.core.fit.extras import adapter_part, projector_part
    from app.core.gguf.adapters import fitting_adapter
    from app.core.gguf.header import GGUFError
    from app.core.library.companions import projector_width_problem

    parts = []
    for f in args.lora:
        parts.append(adapter_part(fitting_adapter(f, header)))
    if args.mmproj:
        p = Path(args.mmproj)
        try:
            part = projector_part(p, on_gpu=bool(args.gpu_layers))
            width = header.get(f"{header.architecture}.embedding_length")
            problem = projector_width_problem(p, width if isinstance(width, int) and width > 0 else None)
        except (GGUFError, OSError) as exc:
            raise ValueError(f"the projector {args.mmproj} cannot be used: {exc}") from None
        if problem:  # the same rule as the window's and the engine's (app.core.library.companions)
            raise ValueError(problem)
        parts.append(part)
    return tuple(parts)


def speed_forecast(profile, res, threads: int = 0) -> dict:
    """``expected_tokens_per_s`` (None unless the whole model runs on the CPU), ``threads`` and the
    ``memory_bandwidth`` (bytes/s, measured once per machine) it assumes."""
    from app.core.fit import speed

    threads = threads or speed.default_threads()
    out = {"expected_tokens_per_s": None, "threads": threads, "memory_bandwidth": None}
    if res.verdict != "cpu":
        return out
    bandwidth = speed.memory_bandwidth(threads)
    tps = speed.forecast_tokens_per_s(profile, bandwidth, threads)
    out["memory_bandwidth"] = round(bandwidth) if bandwidth else None
    out["expected_tokens_per_s"] = round(tps, 1) if tps else None
    return out


def print_breakdown(profile, opts, res, speed: dict | None = None) -> None:
    from app.core.units import human_bytes as hb

    e = res.estimate
    print(f"Model:    {profile.name} ({profile.arch}, {profile.n_layer} layers, {profile.n_params / 1e9:.2f} B "
          f"parameters, {hb(profile.file_size)})")
    print(f"Settings: context {opts.n_ctx:,} tokens · KV cache {opts.kv_type} · flash attention "
          f"{'on' if opts.flash_attn else 'off'}")
    print(f"Verdict:  {res.label}")
    print(f"GPU layers: {res.gpu_layers} of {res.total_layers}")
    print(f"Largest context that fits: {res.max_ctx:,} tokens"
          + (f" ({res.max_ctx_gpu:,} fully on the GPU)" if res.max_ctx_gpu else ""))
    if speed and speed.get("expected_tokens_per_s"):
        print(f"Expected speed: about {speed['expected_tokens_per_s']:.0f} tokens/s on the CPU with "
              f"{speed['threads']} thread{'s' if speed['threads'] != 1 else ''}")
    print("Memory llama.cpp allocates:")
    rows = [("weights", e.weights_bytes), ("KV cache", e.kv_bytes), ("compute", e.compute_bytes),
            ("output", e.output_bytes)]
    if e.recurrent_bytes:
        rows.insert(2, ("recurrent state", e.recurrent_bytes))
    rows.append(("total", e.total_bytes))
    for label, n in rows:
        print(f"  {label:<16}{hb(n):>12}")
    need = ", ".join(f"{dev} {hb(n)} of {hb(res.budget.get(dev))} available" for dev, n in res.required.items())
    print(f"Needed with runtime overhead and a 5% margin: {need}")
    for n in res.notes:
        print(f"Note: {n}")
