"""``hearth serve [--model FILE|NAME] [--host 127.0.0.1] [--port 1234] [--api-key-file F] [--ctx N]``: the local
OpenAI-compatible API without a window (a headless box), one log line per request on stderr.

The model is a .gguf file or a library model (as ``hearth chat`` takes it); without ``--model`` the last model
the window used. Loopback only unless ``--host`` names another address, which needs an API key: from
``--api-key-file``, else the one the window uses (OS keyring or a private file; made the first time and printed
once).
Prints ``Hearth API on <url> serving <model>`` when ready. Ctrl+C (or SIGTERM) stops it; exit 0. A bad option or
model: one line on stderr, exit 2.
"""
from __future__ import annotations

import sys

def add_parser(subparsers) -> None:
    from app.core.server.security import DEFAULT_PORT

    p = subparsers.add_parser("serve", help="serve the local model over an OpenAI-compatible HTTP API")
    p.add_argument("--model", help="a .gguf file, or a model in the library (default: the last one used)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--api-key-file", help="a file holding the API key clients must send (needed beyond loopback)")
    p.add_argument("--ctx", type=int, default=4096, help="context length in tokens (default 4096)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (default: the physical cores)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="a web origin allowed to call the API from a browser (repeatable), e.g. http://localhost:3000")
    p.add_argument("--max-waiting", type=int, default=16, help="requests that may wait for the model (default 16)")
    p.set_defaults(func=run)


def _fail(msg: str, code: int = 2) -> int:
    print(f"hearth serve: {msg}", file=sys.stderr)
    return code


def run(args) -> int:
    import logging
    import signal
    import threading

    from app.commands.chat_cmd import resolve_model
    from app.core.engine import EngineError, LoadOptions
    from app.core.engine.process import EngineProcess
    from app.core.server import ApiServer, EngineGate, ProcessBackend, ServerConfig, model_ids
    from app.core.server.security import is_loopback

    if not 64 <= args.ctx <= 1 << 20:
        return _fail(f"--ctx must be between 64 and 1048576 tokens (got {args.ctx})")
    if not 0 <= args.port <= 65535:
        return _fail(f"--port must be between 0 and 65535 (got {args.port})")
    if not 0 <= args.max_waiting <= 1024:
        return _fail(f"--max-waiting must be between 0 and 1024 (got {args.max_waiting})")
    key = ""
    if args.api_key_file:
        try:
            with open(args.api_key_file, encoding="utf-8") as f:
                key = f.read().strip()
        except OSError as exc:
            return _fail(f"cannot read the API key file: {exc}")
        if len(key) < 16:
            return _fail("the API key in --api-key-file must be at least 16 characters")
    elif not is_loopback(args.host):
        from app.core.server.keys import get_or_create_key
        from app.paths import resolve_paths

        try:
            key, made = get_or_create_key(resolve_paths().config_dir)
        except OSError as exc:
            return _fail(f"serving on {args.host} needs an API key and none could be kept: {exc}; pass --api-key-file")
        if made:
            print(f"hearth serve: a new API key was made (kept for next time): {key}", file=sys.stderr)

    name = args.model
    if not name:
        from app.paths import resolve_paths
        from app.settings import Settings

        name = Settings.load(resolve_paths().settings_file).last_model or ""
        if name.startswith("remote:"):  # a model on a remote backend: the API server serves local models only
            name = ""
    path = None
    if name:
        try:
            path = resolve_model(name)
        except LookupError as exc:
            return _fail(str(exc))

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    for logger_name in ("hearth.server",):
        lg = logging.getLogger(logger_name)
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)

    from app.core.net.policy import network_log

    config = ServerConfig(host=args.host, port=args.port, api_key=key, cors_origins=list(args.cors_origin),
                          max_waiting=args.max_waiting)
    backend = ProcessBackend(EngineProcess(), path, LoadOptions(n_ctx=args.ctx, n_threads=args.threads),
                             EngineGate(args.max_waiting))
    try:
        backend.start()
    except EngineError as exc:
        return _fail(str(exc))
    try:
        server = ApiServer(config, backend, network_log())
    except (OSError, ValueError) as exc:
        backend.close()
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    served = model_ids(path)[0] if path else "no model (generation answers 503)"
    print(f"Hearth API on {server.url} serving {served}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        backend.close()
    print("hearth serve: stopped", file=sys.stderr)
    return 0
