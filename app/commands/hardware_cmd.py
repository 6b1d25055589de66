"""``hearth hardware [--json]``: what this computer has and what the installed llama.cpp can use."""
from __future__ import annotations


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("hardware", help="print the detected CPU, memory, GPUs, disk and llama.cpp build")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def models_dir():
    """The models folder from the user's settings (for the free-disk figure); never fails."""
    from pathlib import Path

    try:
        from app.paths import resolve_paths
        from app.settings import Settings

        paths = resolve_paths()
        settings = Settings.load(paths.settings_file)
        return Path(settings.models_dir) if settings.models_dir else paths.default_models_dir
    except Exception:
        return None


def run(args) -> int:
    import json

    from app.core import hardware

    info = hardware.detect(models_dir())
    if args.json:
        print(json.dumps(info.to_dict(), indent=2))
        return 0
    lines = hardware.describe(info)
    width = max(len(k) for k, _ in lines)
    for k, v in lines:
        print(f"{k + ':':<{width + 1}} {v}")
    for p in info.problems:
        print(f"(unknown: {p})")
    return 0
