"""``hearth chat MODEL "message" [--system S] [--max-tokens N] [--temperature T] [--threads N] [--ctx N] [--json]``
(also ``--seed N``, ``--repeat-penalty P``, ``--lora FILE[:SCALE]``, ``--image FILE``, ``--mmproj FILE``):
one reply from a terminal, through the same engine process as the window, streamed to stdout.

``--lora FILE[:SCALE]`` (repeatable; scale 1 by default) applies LoRA adapters in the engine without merging them;
``--image FILE`` (repeatable) attaches images, decoded and scaled down with Qt and passed as data: URIs, with the
projector paired with the model in the library or ``--mmproj FILE``. An adapter or projector that does not fit the
model, an image that cannot be read, or images for a model without a projector: one line on stderr, exit 2.

MODEL is a .gguf file or a model in the library (its name, ``owner/repo`` or file name); with ``--backend URL`` it
is the id a remote server lists (``GET /v1/models``, or Ollama's model name), and the reply comes from there
(``--api-key KEY`` or ``HEARTH_BACKEND_KEY``, else the key kept for that backend; a host on the internet needs
``--public``; Offline mode refuses it). ``--json`` ends with one
line ``{"text": ..., "stats": {"completion_tokens", "tokens_per_s", "ttft_s", "stop_reason", ...}}``. A bad
option, a missing or malformed model file, or a message too long for the context: one line on stderr, exit 2.
The engine crashing: one line on stderr, exit 1. Ctrl+C stops the reply (what was written stays), exit 130.
"""
from __future__ import annotations

import sys


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("chat", help="get one reply from a local model in the terminal")
    p.add_argument("model", metavar="MODEL", help="a .gguf file, or a model in the library (name or file name)")
    p.add_argument("message", metavar="MESSAGE", help="what to say to the model")
    p.add_argument("--system", default="", help="a system prompt")
    p.add_argument("--max-tokens", type=int, default=512, help="longest reply in tokens (default 512)")
    p.add_argument("--temperature", type=float, default=0.7, help="sampling temperature; 0 is greedy (default 0.7)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (default: the physical cores)")
    p.add_argument("--ctx", type=int, default=4096, help="context length in tokens (default 4096)")
    p.add_argument("--seed", type=int, default=-1, help="sampling seed (default: random)")
    p.add_argument("--repeat-penalty", type=float, default=1.1,
                   help="penalty for repeating the reply's recent tokens; 1 is none (default 1.1)")
    p.add_argument("--json", action="store_true", help="end with one JSON line: the text and the stats")
    p.add_argument("--backend", metavar="URL", default="",
                   help="use a model served by this server (llama-server, vLLM, Ollama, LM Studio, Hearth, any "
                        "OpenAI-compatible API); MODEL is then the id it lists")
    p.add_argument("--api-key", default="", help="the backend's API key (default: $HEARTH_BACKEND_KEY, or the key "
                                                 "kept for that backend)")
    p.add_argument("--public", action="store_true",
                   help="allow a backend on the internet (the conversation then leaves this machine)")
    p.add_argument("--lora", action="append", default=[], metavar="FILE[:SCALE]",
                   help="apply a LoRA adapter (GGUF) with a scale (default 1); repeatable")
    p.add_argument("--image", action="append", default=[], metavar="FILE",
                   help="attach an image (needs a model with a vision projector); repeatable")
    p.add_argument("--mmproj", default="", metavar="FILE",
                   help="the vision projector to load with the model (default: the one paired with it in the "
                        "library)")
    p.set_defaults(func=run)


def _fail(msg: str, code: int = 2) -> int:
    print(f"hearth chat: {msg}", file=sys.stderr)
    return code


def _check(args) -> str:
    """'' when the options make sense, else what is wrong."""
    if not args.message.strip():
        return "the message is empty"
    if args.max_tokens < 1:
        return f"--max-tokens must be at least 1 (got {args.max_tokens})"
    if not 0 <= args.temperature <= 5:
        return f"--temperature must be between 0 and 5 (got {args.temperature})"
    if not 0.5 <= args.repeat_penalty <= 2:
        return f"--repeat-penalty must be between 0.5 and 2 (got {args.repeat_penalty})"
    if args.threads < 0 or args.threads > 1024:
        return f"--threads must be between 0 (automatic) and 1024 (got {args.threads})"
    if not 64 <= args.ctx <= 1 << 20:
        return f"--ctx must be between 64 and 1048576 tokens (got {args.ctx})"
    if args.backend and (args.lora or args.image or args.mmproj):
        return "--lora, --image and --mmproj work with local models only, not with --backend"
    return ""


def parse_lora(spec: str) -> tuple[str, float]:
    """``FILE[:SCALE]`` -> (file, scale); the scale is what follows the last colon when it is a number (so
    ``C:\\adapters\\x.gguf`` stays a path). ValueError with a sentence for a bad scale."""
    path, scale = spec, 1.0
    head, sep, tail = spec.rpartition(":")
    if sep and head and not tail.startswith(("\\", "/")):
        try:
            scale = float(tail)
            path = head
        except ValueError:
            if not tail.lower().endswith(".gguf"):
                raise ValueError(f"--lora {spec}: the scale after ':' must be a number (got {tail!r})") from None
    if not -4 <= scale <= 4:
        raise ValueError(f"--lora {spec}: the scale must be between -4 and 4 (got {scale:g})")
    return path, scale


def _parts(args, model_path) -> tuple[list[tuple[str, float]], str, list[str]]:
    """(adapters, projector, image data URIs) for a local model, each checked against it; ValueError with one
    sentence for anything that does not fit."""
    from pathlib import Path

    from app.core.gguf import GGUFError, read_model_file
    from app.core.gguf.adapters import fitting_adapter

    adapters = []
    base = None
    for spec in args.lora:
        path, scale = parse_lora(spec)
        if base is None:
            try:
                base = read_model_file(model_path)
            except (GGUFError, OSError) as exc:
                raise ValueError(f"{Path(model_path).name} is not a usable GGUF model: {exc}") from None
        fitting_adapter(path, base, Path(model_path).name)
        adapters.append((str(Path(path).resolve()), scale))
    projector = ""
    if args.image or args.mmproj:
        from app.core.library.companions import projector_fit_problem, projector_for

        if args.mmproj:
            if not Path(args.mmproj).is_file():
                raise ValueError(f"the projector {args.mmproj} does not exist")
            projector = args.mmproj
        else:
            found = projector_for(model_path, _models_dir())
            if found is None:
                raise ValueError(f"{Path(model_path).name} has no vision projector in the library; give one with "
                                 "--mmproj FILE, or use a vision model")
            projector = str(found)
        problem = projector_fit_problem(projector, model_path)
        if problem:
            raise ValueError(problem.rstrip("."))
    images = []
    if args.image:
        from PySide6.QtCore import qInstallMessageHandler

        from app.imaging import ImageError, prepare_image

        # Qt's image plugins, and libpng under them, print their own complaints ("libpng error: ..." straight to
        # file descriptor 2); the one line below says what went wrong, so they are muted while images are read
        import os

        previous = qInstallMessageHandler(lambda *_: None)
        sys.stderr.flush()
        saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            for f in args.image:
                try:
                    images.append(prepare_image(f).data_uri)
                except ImageError as exc:
                    raise ValueError(str(exc).rstrip(".")) from None
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)
            qInstallMessageHandler(previous)
    return adapters, projector, images


def resolve_model(name: str):
    """The model file for MODEL: a path, else a library model (LookupError with a sentence when neither)."""
    from pathlib import Path

    from app.core.library.catalog import ModelCatalog
    from app.paths import resolve_paths

    path = Path(name).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        raise LookupError(f"{name} is a folder, not a model file")
    paths = resolve_paths()
    return ModelCatalog(_models_dir(), paths.data_dir / "library.json").find(name).path


def _models_dir():
    from pathlib import Path

    from app.paths import resolve_paths
    from app.settings import Settings

    paths = resolve_paths()
    settings = Settings.load(paths.settings_file)
    return Path(settings.models_dir) if settings.models_dir else paths.default_models_dir


def run(args) -> int:
    import json

    from app.core.engine.generation import Cancel
    from app.core.engine import EngineError, GenerationRequest, LoadOptions, PromptTooLong, ReplyStats, Sampling
    from app.core.engine.context_budget import ContextOverflow
    from app.core.engine.process import EngineCrashed, EngineProcess
    from app.core.remote.backends import normalize_url as normalize

    problem = _check(args)
    if problem:
        return _fail(problem)
    messages = ([{"role": "system", "content": args.system}] if args.system.strip() else []) + \
        [{"role": "user", "content": args.message}]
    sampling = Sampling(temperature=args.temperature, max_tokens=args.max_tokens, seed=args.seed,
                        repeat_penalty=args.repeat_penalty)
    options = LoadOptions(n_ctx=args.ctx, n_threads=args.threads)
    adapters: list[tuple[str, float]] = []
    if args.backend:
        try:
            engine, path = _remote(args, options)
        except EngineError as exc:
            return _fail(str(exc), 1)
        except ValueError as exc:  # BackendError: the address
            return _fail(str(exc))
    else:
        try:
            path = resolve_model(args.model)
            adapters, options.mmproj, images = _parts(args, path)
        except (LookupError, ValueError) as exc:
            return _fail(str(exc))
        if images:
            messages[-1]["images"] = images
        engine = EngineProcess()
    stats = ReplyStats()
    cancel = Cancel()
    parts: list[str] = []
    try:
        if not args.backend:
            engine.load(path, options)
        try:
            for piece in engine.generate(GenerationRequest(messages, sampling, adapters=adapters), cancel, stats):
                parts.append(piece)
                if not args.json:
                    sys.stdout.write(piece)
                    sys.stdout.flush()
        except KeyboardInterrupt:
            cancel.set()
            stats.stop_reason = "stopped"
            if not args.json:
                print()
            return 130
        if not args.json:
            sys.stdout.write("\n")
        else:
            print(json.dumps({"text": "".join(parts), "model": str(path) if not args.backend else args.model,
                              **({"backend": normalize(args.backend)} if args.backend else {}),
                              "stats": stats.to_dict()},
                             ensure_ascii=False))
        return 0
    except (PromptTooLong, ContextOverflow) as exc:
        return _fail(f"the message is too long: {exc}")
    except EngineCrashed as exc:
        if parts and not args.json:
            print()
        return _fail(str(exc), 1)
    except EngineError as exc:
        if parts and not args.json:
            print()
        return _fail(str(exc), 1 if args.backend else 2)
    finally:
        engine.unload()


def _remote(args, options):
    """(a RemoteEngine with MODEL loaded from --backend, its model key). Raises EngineError/BackendError."""
    import os

    from app.commands import net_settings
    from app.core.remote import Backend, BackendStore, is_public, normalize_url
    from app.core.remote.engine import RemoteEngine

    url = normalize_url(args.backend)
    paths, settings = net_settings.configure()
    store = BackendStore(paths.data_dir, paths.config_dir)
    kept = store.get(url)
    if is_public(url) and not args.public and not (kept is not None and kept.public):
        raise ValueError(f"{url} is on the internet: the conversation would leave this machine. Add --public if "
                         "that is what you want.")
    from app.core.net import policy

    if settings.offline_mode and is_public(url):
        raise ValueError("Offline mode is on, and this backend is on the internet. Turn Offline mode off in "
                         "Hearth's settings to use it.")
    b = kept or Backend(url, public=is_public(url))
    policy.allow_backend_host(b.host, b.port)
    key = args.api_key or os.environ.get("HEARTH_BACKEND_KEY", "") or (store.key(url) if kept else "")
    engine = RemoteEngine(on_wait=lambda text: text and print(f"hearth chat: {text}", file=sys.stderr))
    info = engine.load(b, args.model, key, options)
    return engine, info.path
