"""Build Hearth's bundle for this platform into dist/ (what ``make package`` runs).

    python packaging/build.py            # build, or say "up to date" and do nothing when nothing changed
    python packaging/build.py --force    # rebuild even so

Linux:   dist/hearth/ (hearth, hearth.desktop, icons/, install.sh, README.txt) + dist/hearth-<v>-linux-<arch>.tar.gz
macOS:   dist/Hearth.app                                                      + dist/Hearth-<v>-macos-<arch>.zip
Windows: dist/Hearth/ (Hearth.exe, hearth.ico)                                + dist/Hearth-<v>-windows-<arch>.zip

The build is skipped when a fingerprint of its inputs (Hearth's sources and resources, the packaging files,
the installed packages and llama.cpp's libraries, Python) matches the one stored after the last good build and
the outputs are still there. After building, the bundle's own ``--version`` must print the source's version.
Sizes go to build/bundle-report.json and are printed.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle_meta as meta  # noqa: E402

ROOT = meta.ROOT
SPEC = HERE / "hearth.spec"
IS_MAC, IS_WIN = sys.platform == "darwin", sys.platform == "win32"

README_TXT = """Hearth {version}: run small language models on your own computer, fully offline.

Start it:    ./hearth                 (no Python needed; everything is in this folder)
Install it:  ./install.sh             (for you only: ~/.local/opt/hearth, a menu entry, icons, ~/.local/bin/hearth)
Remove it:   ~/.local/opt/hearth/install.sh --uninstall   (your models and chats are kept)
Check it:    ./hearth --self-test     (loads the starter model headless and prints one JSON line)

Your data lives in ~/.config/Hearth, ~/.local/share/Hearth (models, chats) and ~/.local/state/Hearth (log),
or all in one folder when HEARTH_HOME is set. The desktop needs the usual X11/Wayland libraries
(on Debian/Ubuntu, libxcb-cursor0 for the X11 platform plugin).
"""


def arch() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(m, m)


def platform_tag() -> str:
    return "macos" if IS_MAC else "windows" if IS_WIN else "linux"


def outputs(dist: Path, version: str) -> dict[str, Path]:
    tag = f"{version}-{platform_tag()}-{arch()}"
    if IS_MAC:
        return {"bundle": dist / "Hearth.app", "exe": dist / "Hearth.app" / "Contents" / "MacOS" / meta.EXE_NAME,
                "archive": dist / f"Hearth-{tag}.zip"}
    if IS_WIN:
        return {"bundle": dist / "Hearth", "exe": dist / "Hearth" / "Hearth.exe", "archive": dist / f"Hearth-{tag}.zip"}
    return {"bundle": dist / "hearth", "exe": dist / "hearth" / meta.EXE_NAME, "archive": dist / f"hearth-{tag}.tar.gz"}


# ---- freshness -----------------------------------------------------------------------------------------------
def _source_files() -> list[Path]:
    files = [ROOT / "main.py"]
    for base in (ROOT / "app", ROOT / "resources", HERE):
        for p in base.rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".md"):
                files.append(p)
    return sorted(files)


def fingerprint() -> str:
    h = hashlib.sha256()
    for p in _source_files():
        h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    for d in sorted(f"{x.metadata['Name']}=={x.version}" for x in importlib.metadata.distributions()
                    if x.metadata["Name"]):
        h.update(d.encode() + b"\n")
    spec = importlib.util.find_spec("llama_cpp")
    if spec and spec.submodule_search_locations:
        lib = Path(spec.submodule_search_locations[0]) / "lib"
        for p in sorted(lib.iterdir()) if lib.is_dir() else []:
            st = p.stat()
            h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())  # a GPU rebuild changes these
    h.update(f"{sys.version}|{sys.platform}|{arch()}".encode())
    return h.hexdigest()


def is_fresh(stamp: Path, fp: str, outs: dict[str, Path]) -> bool:
    try:
        return json.loads(stamp.read_text())["fingerprint"] == fp and all(p.exists() for p in outs.values())
    except (OSError, ValueError, KeyError):
        return False


# ---- sizes -----------------------------------------------------------------------------------------------------
def tree_size(path: Path) -> tuple[int, int]:
    """Bytes and number of files in a folder, symbolic links counted as links (as du and tar store them)."""
    total, count = 0, 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            st = os.lstat(os.path.join(dirpath, f))
            total += st.st_size
            count += 1
    return total, count


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


# ---- platform extras -----------------------------------------------------------------------------------------
def linux_extras(bundle: Path, version: str) -> None:
    shutil.copy2(HERE / "linux" / "hearth.desktop", bundle / "hearth.desktop")
    shutil.copy2(HERE / "linux" / "install.sh", bundle / "install.sh")
    os.chmod(bundle / "install.sh", 0o755)
    icons = bundle / "icons"
    icons.mkdir(exist_ok=True)
    for p in sorted((meta.RESOURCES / "icons").glob("hearth*")):
        shutil.copy2(p, icons / p.name)
    (bundle / "README.txt").write_text(README_TXT.format(version=version), encoding="utf-8")


def make_tarball(bundle: Path, out: Path) -> None:
    tmp = out.with_name(out.name + ".part")

    def reset(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name, filter=reset)  # keeps symbolic links as links
    os.replace(tmp, out)


def make_zip(bundle: Path, out: Path) -> None:
    if IS_MAC and shutil.which("ditto"):  # keeps the .app's symbolic links and code signature intact
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(bundle), str(out)], check=True)
        return
    base = out.with_suffix("")
    shutil.make_archive(str(base), "zip", root_dir=bundle.parent, base_dir=bundle.name)


# ---- main ------------------------------------------------------------------------------------------------------
def run_pyinstaller(dist: Path, work: Path, log_file: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit("PyInstaller is not installed: run `make package` (it installs the `package` extra) "
                         "or `pip install -e '.[package]'`")
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(SPEC)]
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "w", encoding="utf-8") as log:
        proc = subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        raise SystemExit(f"PyInstaller failed (exit {proc.returncode}); full log: {log_file}")


def check_complete(bundle: Path) -> None:
    """Linux: every library a bundled binary needs is in the bundle or provided by any desktop system."""
    missing = meta.unresolved_libraries(bundle)
    if missing:
        lines = [f"  {lib} (needed by {', '.join(users[:3])})" for lib, users in sorted(missing.items())]
        raise SystemExit("the bundle is missing libraries that were not found on this build machine:\n"
                         + "\n".join(lines) + "\ninstall them (packaging/linux/build-deps.sh) and rebuild")


class BuildLock:
    """One build at a time in a working tree (PyInstaller's work folder is not safe to share)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh = None

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "w")
        try:
            import fcntl
        except ImportError:  # Windows: builds there are one person's, no lock needed
            return self
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another bundle build is running (lock {self.path}); waiting ...", flush=True)
            fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()


def strip_debug_info(bundle: Path) -> int:
    """Linux: drop DWARF debug sections (not symbols) from bundled libraries that carry them; bytes saved."""
    strip = shutil.which("strip")
    files = meta.strippable(bundle)
    if not files:
        return 0
    if strip is None:
        print(f"note: `strip` (binutils) not found: {len(files)} libraries keep their debug info")
        return 0
    before = sum(p.stat().st_size for p in files)
    subprocess.run([strip, "--strip-debug", *map(str, files)], check=True)
    return before - sum(p.stat().st_size for p in files)


def glibc_required(bundle: Path) -> str:
    """Linux: the newest glibc symbol version any bundled binary asks for: the oldest glibc the bundle runs
    on (bundles are not forward-compatible: build on the oldest distribution you support)."""
    import re

    objdump = shutil.which("objdump")
    if objdump is None:
        return "unknown (objdump not found)"
    best: tuple[int, ...] = ()
    for p in bundle.rglob("*"):
        if p.is_symlink() or not p.is_file() or not (".so" in p.name or os.access(p, os.X_OK)):
            continue
        out = subprocess.run([objdump, "-T", str(p)], capture_output=True, text=True).stdout
        for v in set(re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)):
            best = max(best, tuple(int(x) for x in v.split(".")))
    return ".".join(map(str, best)) if best else "unknown"


def smoke_check(exe: Path, version: str) -> None:
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 or proc.stdout.strip() != f"Hearth {version}":
        raise SystemExit(f"the bundle does not start: {exe} --version gave exit {proc.returncode}, "
                         f"{proc.stdout.strip()!r} {proc.stderr.strip()[-500:]!r}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--force", action="store_true", help="rebuild even when the bundle is up to date")
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--work", type=Path, default=ROOT / "build")
    args = p.parse_args(argv)
    with BuildLock(args.work / ".bundle-build.lock"):
        return build(args)


def build(args: argparse.Namespace) -> int:
    version = meta.read_version()
    outs = outputs(args.dist, version)
    stamp = args.work / "bundle-fingerprint.json"
    report_file = args.work / "bundle-report.json"
    fp = fingerprint()
    if not args.force and is_fresh(stamp, fp, outs):
        print(f"bundle is up to date: {outs['bundle']} ({outs['archive'].name}); `--force` rebuilds")
        return 0

    stamp.unlink(missing_ok=True)
    t0 = time.perf_counter()
    print(f"building Hearth {version} for {platform_tag()}-{arch()} with PyInstaller "
          f"(log: {args.work / 'pyinstaller.log'}) ...", flush=True)
    run_pyinstaller(args.dist, args.work, args.work / "pyinstaller.log")
    t_pyi = time.perf_counter() - t0
    if not IS_MAC and not IS_WIN:
        saved = strip_debug_info(outs["bundle"])
        print(f"stripped debug info: {mib(saved)} saved", flush=True)
        check_complete(outs["bundle"])
    smoke_check(outs["exe"], version)
    if not IS_MAC and not IS_WIN:
        linux_extras(outs["bundle"], version)
        make_tarball(outs["bundle"], outs["archive"])
    else:
        if IS_WIN:
            shutil.copy2(args.work / "pyinstaller" / "hearth" / "icons" / "hearth.ico", outs["bundle"] / "hearth.ico")
        make_zip(outs["bundle"], outs["archive"])
    seconds = time.perf_counter() - t0

    size, count = tree_size(outs["bundle"])
    report = {
        "version": version, "platform": f"{platform_tag()}-{arch()}", "bundle": str(outs["bundle"]),
        "bundle_bytes": size, "bundle_files": count, "archive": str(outs["archive"]),
        "archive_bytes": outs["archive"].stat().st_size, "build_seconds": round(seconds, 1),
        "pyinstaller_seconds": round(t_pyi, 1),
    }
    if not IS_MAC and not IS_WIN:
        report["glibc_required"] = glibc_required(outs["bundle"])
    report_file.write_text(json.dumps(report, indent=2) + "\n")
    stamp.write_text(json.dumps({"fingerprint": fp, "version": version}) + "\n")
    print(f"built {outs['bundle']}: {mib(size)} in {count} files; {outs['archive'].name}: "
          f"{mib(report['archive_bytes'])}; {seconds:.0f} s"
          + (f"; needs glibc >= {report['glibc_required']}" if "glibc_required" in report else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
