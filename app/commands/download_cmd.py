"""``hearth download owner/repo FILE...``: download GGUF files headless, with a progress bar.

Same machinery as the Models page: resumable (run it again after an interruption and it continues),
retried, verified against the Hub's sha256, written to ``<models>/<owner>/<repo>/<file>``. With Offline
mode on it refuses without opening any connection.
"""
from __future__ import annotations

import sys
import time


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("download", help="download GGUF files from the Hugging Face Hub (resumable, verified)")
    p.add_argument("repo", help="repository, e.g. HuggingFaceTB/SmolLM2-135M-Instruct-GGUF")
    p.add_argument("files", nargs="+", metavar="FILE", help="file name(s) in the repository")
    p.add_argument("--revision", default="main", help="branch, tag or commit (default: main)")
    p.add_argument("--models-dir", help="download into this folder instead of Hearth's models folder")
    p.add_argument("--token-stdin", action="store_true",
                   help="read a Hugging Face token from standard input and store it in the system keyring")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


class _Bar:
    def __init__(self, name: str, quiet: bool) -> None:
        from app.core.downloads.queue import RateMeter

        self.name, self.quiet, self.meter, self.last = name, quiet, RateMeter(), 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        from app.core.units import format_eta
        from app.core.units import human_bytes

        self.meter.add(done)
        now = time.monotonic()
        if self.quiet or (now - self.last < (0.2 if self.tty else 2.0) and done < total):
            return
        self.last = now
        frac = done / total if total else 0
        bar = "#" * int(frac * 30)
        line = (f"{self.name[-40:]} [{bar:<30}] {frac:6.1%} {human_bytes(done)}/{human_bytes(total)} "
                f"{human_bytes(self.meter.speed())}/s ETA {format_eta(self.meter.eta(total - done))}")
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def status(self, text: str) -> None:
        if not self.quiet:
            print(("\n" if self.tty else "") + text, file=sys.stderr, flush=True)


def run(args) -> int:
    from pathlib import Path

    from app.core.hub import token as hub_token
    from app.core import net
    from app.core.downloads import Cancelled, Downloader, FileTarget
    from app.core.downloads.queue import DownloadQueue
    from app.core.hub import UnsafeNameError, safe_repo_id
    from app.logs import setup_logging
    from app.paths import resolve_paths
    from app.settings import Settings

    paths = resolve_paths().ensure()
    setup_logging(paths.log_file)
    settings = Settings.load(paths.settings_file)
    if settings.offline_mode:
        print("hearth: Offline mode is on, so Hearth will not connect to the Hub. Turn it off in the app "
              "(status bar or settings) to download.", file=sys.stderr)
        return 1
    models_dir = Path(args.models_dir) if args.models_dir else (
        Path(settings.models_dir) if settings.models_dir else paths.default_models_dir)
    ep = net.endpoint(settings.hub_endpoint)
    net.configure(offline=False, endpoint=settings.hub_endpoint, log_path=paths.data_dir / "network_log.jsonl")
    if args.token_stdin:
        try:
            where = hub_token.set_token(paths.config_dir, sys.stdin.readline())
        except ValueError as exc:
            print(f"hearth: {exc}", file=sys.stderr)
            return 2
        print(where, file=sys.stderr)
    try:
        safe_repo_id(args.repo)
    except UnsafeNameError as exc:
        print(f"hearth: {exc}", file=sys.stderr)
        return 2
    token = hub_token.get_token(paths.config_dir)
    failed = 0
    queue = DownloadQueue(models_dir)  # the same transitions as the Models page's queue, one file at a time
    for name in args.files:
        try:
            queue.add(args.repo, name, revision=args.revision)
        except UnsafeNameError as exc:
            print(f"hearth: refused: {exc}", file=sys.stderr)
            failed += 1
    while batch := queue.to_start():
        it = batch[0]
        bar = _Bar(it.filename, args.quiet)

        def progress(done: int, total: int, it=it, bar=bar) -> None:
            queue.progressed(it, done, total)
            bar(done, total)

        queue.started(it)
        d = Downloader(models_dir, endpoint=ep, token=token, on_progress=progress, on_status=bar.status)
        try:
            path = d.run(FileTarget(args.repo, it.filename, revision=it.revision))
        except (Cancelled, KeyboardInterrupt):
            queue.pause(it)
            print("\nhearth: download interrupted; run the same command again to resume.", file=sys.stderr)
            return 130
        except Exception as exc:  # every failure in words (HubError kinds: auth, disk_full, verify, ...)
            err = queue.failed(it, exc)
            print(f"\nhearth: {err}", file=sys.stderr)
            if err.kind == "auth":
                print("hearth: add a token with: hearth download --token-stdin REPO FILE  (reads it from stdin)",
                      file=sys.stderr)
            failed += 1
            continue
        queue.finished(it, str(path))
        if not args.quiet and bar.tty:
            print(file=sys.stderr)
        print(path)
    return 1 if failed else 0
