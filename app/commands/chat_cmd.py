"""``hearth chat MODEL "message" [--system S] [--max-tokens N] [--temperature T] [--threads N] [--ctx N] [--json]``
(also ``--seed N``, ``--repeat-penalty P``):
one reply from a terminal, through the same engine process as the window, streamed to stdout.

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
    return ""


def resolve_model(name: str):
    """The model file for MODEL: a path, else a library model (LookupError with a sentence when neither)."""
    from pathlib import Path

    from app.core.library.catalog import ModelCatalog
    from app.paths import resolve_paths
    from app.settings import Settings

    path = Path(name).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        raise LookupError(f"{name} is a folder, not a model file")
    paths = resolve_paths()
    settings = Settings.load(paths.settings_file)
    models_dir = Path(settings.models_dir) if settings.models_dir else paths.default_models_dir
    return ModelCatalog(models_dir, paths.data_dir / "library.json").find(name).path


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
        except LookupError as exc:
            return _fail(str(exc))
        engine = EngineProcess()
    stats = ReplyStats()
    cancel = Cancel()
    parts: list[str] = []
    try:
        if not args.backend:
            engine.load(path, options)
        try:
            for piece in engine.generate(GenerationRequest(messages, sampling), cancel, stats):
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
