"""Command line: ``hearth`` opens the GUI; subcommands work headless.

Each subcommand lives in its own module exposing ``add_parser(subparsers)`` that sets ``func``; this file
only wires them up, so it stays importable in milliseconds (heavy modules are imported inside commands).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from app import __version__

# subcommand modules: each defines add_parser(subparsers)
SUBCOMMANDS = [
    "app.commands.self_test",
    "app.commands.chat_cmd",
    "app.commands.fit_cmd",
    "app.commands.hardware_cmd",
    "app.commands.download_cmd",
    "app.commands.serve_cmd",
    "app.commands.docs_cmd",
]


class UsageError(Exception):
    """A clear one-line error for the user; exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hearth", description="Run small language models locally, fully offline.")
    p.add_argument("--version", action="version", version=f"Hearth {__version__}")
    p.add_argument("--self-test", action="store_true",
                   help="load the starter model headless, generate a few tokens, print one JSON line")
    p.add_argument("--model", help="with --self-test: the GGUF file to use instead of the starter model")
    # internal: the throwaway process of the engine probe (app/core/engine/probe.py)
    p.add_argument("--engine-probe", metavar="CONFIG", help=argparse.SUPPRESS)
    # internal: the engine process (app/core/engine/host.py), started by app/core/engine/process.py
    p.add_argument("--engine-host", action="store_true", help=argparse.SUPPRESS)
    # internal: the llama.cpp build as JSON, asked by the window, which never loads llama.cpp itself
    p.add_argument("--backend-info", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        mod = importlib.import_module(name)
        if hasattr(mod, "add_parser"):
            mod.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    # numpy (loaded with llama-cpp-python) does no heavy maths here; its OpenBLAS threads would only spin and
    # compete with llama.cpp's threads for the cores
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = build_parser().parse_args(argv)
    try:
        if args.engine_host:
            from app.core.engine import host as engine_host

            return engine_host.main()
        if args.backend_info:
            import json

            from app.core.hardware.backend_info import summary_here

            try:
                print(json.dumps(summary_here()))
            except ImportError as exc:
                print(json.dumps({"error": str(exc)}))
            return 0
        if args.engine_probe:
            from app.core.engine import probe as engine_probe

            return engine_probe.main([args.engine_probe, args.model or ""])
        if args.self_test:
            from app.commands.self_test import run_self_test

            return run_self_test(args.model)
        if getattr(args, "func", None) is not None:
            return int(args.func(args) or 0)
        from app.ui.application import run_gui

        return run_gui()
    except KeyboardInterrupt:
        return 130
    except UsageError as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return 2
