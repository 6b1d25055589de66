"""The double-click bundle, built for real and run for real (``-m package``; `make package-test`, CI).

The session fixture runs ``packaging/build.py``, which rebuilds only when Hearth's sources, resources,
packaging files or installed packages changed. Then the bundled program runs with a clean environment
(HOME and HEARTH_HOME in a temporary folder, PATH=/usr/bin:/bin, no venv), and once more with every Python
installation on this machine hidden, loads the real starter model and generates tokens.
"""
from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import bundle_meta as meta  # noqa: E402


def _load_build_script():
    """packaging/build.py under a name that cannot collide with the ``build`` package or folder."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hearth_packaging_build", ROOT / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_build = _load_build_script()

LINUX = sys.platform.startswith("linux")
pytestmark = [pytest.mark.package, pytest.mark.timeout(1800)]

# A bundle larger than this fails the test: look at what came in (build/pyinstaller/hearth/xref-hearth.html
# says who imports what) before raising it. Measured 2026-11-23: 189 MiB folder, 75 MiB .tar.gz.
BUDGET_MIB = 215

# Qt parts a Widgets app never needs: none of their files may be in the bundle
FORBIDDEN = re.compile(r"Qt6?(Quick|Qml|WebEngine|3D|Designer|Multimedia|Pdf|Charts|Graphs|Sql|Test|UiTools|Help"
                       r"|Network)|/translations/|/qml/|tkinter|/_?pytest|/hypothesis/|/gguf/|/hf_xet/"
                       r"|libmtmd|libllava|llama_cpp/server/")


@pytest.fixture(scope="session")
def bundle() -> dict[str, Path]:
    proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, f"bundle build failed:\n{proc.stdout}\n{proc.stderr}"
    print(proc.stdout.strip())
    outs = bundle_build.outputs(ROOT / "dist", meta.read_version())
    assert outs["exe"].is_file() and os.access(outs["exe"], os.X_OK), outs
    return outs


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """What a user's desktop session gives the program, minus everything of ours: no venv, no PYTHON*."""
    env = {"HOME": str(tmp / "home"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    (tmp / "home").mkdir(exist_ok=True)
    env.update(extra)
    return env


def install_starter(hearth_home: Path, starter_model: Path) -> Path:
    from app.starter import STARTER, models_dir_path

    dest = models_dir_path(hearth_home / "data" / "models", STARTER)
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(starter_model, dest)
    except OSError:
        shutil.copyfile(starter_model, dest)
    return dest


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file() or p.is_symlink()}


# ---- the bundle as built ---------------------------------------------------------------------------------
def test_bundle_is_lean_and_complete(bundle):
    internal = bundle["bundle"] / ("Contents/Resources" if sys.platform == "darwin" else "_internal")
    names = files_under(bundle["bundle"])
    bad = sorted(n for n in names if FORBIDDEN.search("/" + n))
    assert bad == [], f"unneeded parts in the bundle: {bad[:20]}"
    # every resource Hearth ships is in the bundle where resource_path() looks for it
    for res in files_under(ROOT / "resources"):
        assert (internal / "resources" / res).is_file(), f"resource {res} is missing from the bundle"
    # licence texts travel with it (LGPL for Qt, MIT for llama.cpp, Python's, the summary)
    for text in ("LGPL-3.0.txt", "GPL-3.0.txt", "Apache-2.0.txt", "llama.cpp-MIT.txt", "THIRD-PARTY.txt",
                 "Python-LICENSE.txt"):
        assert (internal / "licenses" / text).is_file(), text
    size, count = bundle_build.tree_size(bundle["bundle"])
    report = json.loads((ROOT / "build" / "bundle-report.json").read_text())
    print(f"bundle: {size / 2**20:.1f} MiB in {count} files; archive {report['archive_bytes'] / 2**20:.1f} MiB")
    assert size < BUDGET_MIB * 2**20, f"the bundle grew to {size / 2**20:.1f} MiB (budget {BUDGET_MIB} MiB)"
    assert report["bundle_bytes"] == size and Path(report["archive"]) == bundle["archive"]


@pytest.mark.skipif(not LINUX, reason="ELF bundle layout: Linux")
def test_linux_bundle_libraries(bundle):
    lib = bundle["bundle"] / "_internal" / "llama_cpp" / "lib"
    # each llama.cpp library once, its other names as links to it
    assert (lib / "libllama.so.0").is_file() and not (lib / "libllama.so.0").is_symlink()
    assert os.readlink(lib / "libllama.so") == "libllama.so.0"
    assert (lib / "libggml-cpu.so.0").is_file() and (lib / "libggml-base.so.0").is_file()
    # nothing a bundled binary needs is missing (apart from the C library, GL drivers, libxcb, Wayland)
    assert meta.unresolved_libraries(bundle["bundle"]) == {}
    # no broken symbolic links, no debug info left
    broken = [str(p) for p in bundle["bundle"].rglob("*") if p.is_symlink() and not p.exists()]
    assert broken == []
    assert meta.strippable(bundle["bundle"]) == [] or shutil.which("strip") is None
    # the bundle's llama.cpp is the portable build: no AVX-512, AMX or AVX-VNNI code (packaging/isa_scan.py)
    if bundle_build.arch() == "x86_64":
        import isa_scan

        cpu = [c for c in isa_scan.scan_all(lib) if c.path.name.startswith("libggml-cpu")]
        assert cpu and cpu[0].ymm > 1_000
        assert isa_scan.forbidden_in(lib) == []
    # the Qt plugins a desktop needs are there
    plugins = bundle["bundle"] / "_internal" / "PySide6" / "Qt" / "plugins"
    for plugin in ("platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so",
                   "imageformats/libqsvg.so", "iconengines/libqsvgicon.so",
                   "platformthemes/libqxdgdesktopportal.so", "wayland-shell-integration/libxdg-shell.so"):
        assert (plugins / plugin).is_file(), plugin


@pytest.mark.skipif(not LINUX, reason="the Linux folder: desktop entry, icons, install script, tarball")
def test_linux_desktop_entry_icons_and_tarball(bundle):
    b = bundle["bundle"]
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(b / "hearth.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Name"] == "Hearth" and d["Exec"] == "hearth"
    assert d["Icon"] == "hearth" and d["StartupWMClass"] == "hearth" and d["Terminal"] == "false"
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (b / "icons" / f"hearth-{size}.png").is_file()
    assert (b / "icons" / "hearth.svg").is_file()
    assert os.access(b / "install.sh", os.X_OK)
    assert bundle["archive"].name == f"hearth-{__version__}-linux-{bundle_build.arch()}.tar.gz"
    with tarfile.open(bundle["archive"]) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["hearth/hearth"].isfile() and members["hearth/hearth"].mode & 0o111
    assert members["hearth/install.sh"].mode & 0o111
    assert members["hearth/_internal/llama_cpp/lib/libllama.so"].issym()
    assert {m[len("hearth/"):] for m in members if m.startswith("hearth/")} >= files_under(b)


# ---- the bundle running -------------------------------------------------------------------------------
def test_bundled_version_matches_the_source(bundle, tmp_path):
    proc = subprocess.run([str(bundle["exe"]), "--version"], env=clean_env(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"Hearth {__version__}"
    assert json.loads((ROOT / "build" / "bundle-report.json").read_text())["version"] == __version__


def test_bundled_self_test_generates_with_a_clean_environment(bundle, tmp_path, starter_model):
    from app.core.hardware.backend_info import backend_summary

    hearth_home = tmp_path / "hearth_home"
    model = install_starter(hearth_home, starter_model)
    env = clean_env(tmp_path, HEARTH_HOME=str(hearth_home))
    proc = subprocess.run([str(bundle["exe"]), "--self-test"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(proc.stdout.strip())
    assert out["ok"] is True and out["tokens"] > 0 and out["text"].strip()
    assert out["version"] == __version__ and out["file"] == str(model) and out["architecture"] == "llama"
    assert out["backend"] == backend_summary()["backend"]  # the bundle runs the llama.cpp build we packaged
    # the self-test ran the engine probe in a throwaway copy of the bundled program: the fast kernels passed
    assert out["engine_config"] == "fast", out["engine_config_reason"]
    # it wrote nothing outside HEARTH_HOME (HOME stays empty)
    assert files_under(tmp_path / "home") == set()


def _sandbox_command() -> list[str]:
    """unshare(1) for a private mount namespace (as root, or through a user namespace otherwise)."""
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed to hide Python from the bundle"
    if os.geteuid() == 0:
        return [unshare, "--mount", "--propagation", "private", "--fork"]
    return [unshare, "--user", "--map-root-user", "--mount", "--propagation", "private", "--fork"]


def _python_locations() -> tuple[list[str], list[str]]:
    """Folders and files through which any Python on this machine (and Hearth's sources) could be found."""
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(ROOT / "app"), str(ROOT / ".venv")}
    for base in ("/usr/lib", "/usr/local/lib", "/usr/lib64", "/opt"):
        dirs.update(str(p) for p in Path(base).glob("python3*") if p.is_dir())
    files = set()  # real files (a bind mount over a symbolic link would replace its target anyway)
    for base in ("/usr/bin", "/usr/local/bin", "/bin"):
        files.update(str(p.resolve()) for p in Path(base).glob("python3*") if p.resolve().is_file())
    for base in ("/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/local/lib"):
        files.update(str(p.resolve()) for p in Path(base).glob("libpython3*.so*") if p.resolve().is_file())
    bundle_dir = str(ROOT / "dist")
    dirs = {d for d in dirs if Path(d).is_dir() and not bundle_dir.startswith(d + "/")}
    return sorted(dirs), sorted(files)


@pytest.mark.skipif(not LINUX, reason="mount namespaces: Linux")
def test_bundle_runs_with_no_python_on_the_machine(bundle, tmp_path, starter_model):
    """Every Python installation, the venv and Hearth's sources are hidden behind empty mounts; the bundle
    still loads the model and generates, and opens its window."""
    hearth_home = tmp_path / "hearth_home"
    install_starter(hearth_home, starter_model)
    dirs, files = _python_locations()
    env = clean_env(tmp_path, HEARTH_HOME=str(hearth_home))
    env_args = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
    exe = shlex.quote(str(bundle["exe"]))
    script = "\n".join([
        "set -e",
        *[f"mount -t tmpfs -o size=1m,mode=0755 tmpfs {shlex.quote(d)}" for d in dirs],
        *[f"mount --bind /dev/null {shlex.quote(f)}" for f in files],
        # proof that no Python is left: this must fail
        "if env -i PATH=/usr/bin:/bin:/usr/local/bin python3 -c 'import os' 2>/dev/null; then echo PYTHON_FOUND; "
        "else echo PYTHON_HIDDEN; fi",
        f"env -i {env_args} {exe} --self-test",
        f"env -i {env_args} QT_QPA_PLATFORM=offscreen HEARTH_STARTUP_PROBE=1 {exe}",
    ])
    proc = subprocess.run([*_sandbox_command(), "sh", "-c", script], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == "PYTHON_HIDDEN", f"hidden {dirs} {files}, but python3 still ran"
    out = json.loads(lines[1])
    assert out["ok"] is True and out["tokens"] > 0 and out["text"].strip(), lines[1]
    assert any(line.startswith("HEARTH_SHOWN rss=") for line in lines[2:]), proc.stdout + proc.stderr


def test_bundled_gui_shows_its_window_and_writes_only_to_its_folders(bundle, tmp_path):
    """Start-up to the first shown window, offscreen, twice: with HEARTH_HOME (everything in that folder)
    and without it (platformdirs folders under HOME). Prints the time it took (the README's numbers come
    from packaging/measure_startup.py, which runs the same way several times)."""
    home_run = tmp_path / "with_home"
    home_run.mkdir()
    env = clean_env(home_run, HEARTH_HOME=str(home_run / "hh"), QT_QPA_PLATFORM="offscreen",
                    HEARTH_STARTUP_PROBE="1")
    t, rss = _probe(bundle["exe"], env)
    print(f"bundled start-up to shown window: {t:.2f} s, RSS {rss / 2**20:.0f} MiB")
    assert files_under(home_run / "home") == set(), "wrote into HOME although HEARTH_HOME was set"
    assert {"config/settings.json", "logs/hearth.log"} <= files_under(home_run / "hh")

    xdg_run = tmp_path / "xdg"
    xdg_run.mkdir()
    env = clean_env(xdg_run, QT_QPA_PLATFORM="offscreen", HEARTH_STARTUP_PROBE="1")
    _probe(bundle["exe"], env)
    written = files_under(xdg_run / "home")
    allowed = (".config/Hearth/", ".local/share/Hearth/", ".local/state/Hearth/")
    assert written and all(w.startswith(allowed) for w in written), sorted(written)
    assert ".config/Hearth/settings.json" in written


def _probe(exe: Path, env: dict[str, str]) -> tuple[float, int]:
    import time

    t0 = time.perf_counter()
    proc = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = [line for line in proc.stdout.splitlines() if line.startswith("HEARTH_SHOWN rss=")]
    assert shown, proc.stdout + proc.stderr
    return elapsed, int(shown[0].split("=")[1])


# ---- the per-user install script ----------------------------------------------------------------------
@pytest.mark.skipif(not LINUX, reason="install.sh: Linux")
def test_install_script_installs_and_uninstalls_for_one_user(bundle, tmp_path):
    # install from the unpacked tarball, as a user would
    unpack = tmp_path / "download"
    unpack.mkdir()
    with tarfile.open(bundle["archive"]) as tar:
        tar.extractall(unpack, filter="tar")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    proc = subprocess.run(["sh", str(unpack / "hearth" / "install.sh")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Hearth {__version__} is installed" in proc.stdout

    opt = home / ".local" / "opt" / "hearth"
    desktop = home / ".local" / "share" / "applications" / "hearth.desktop"
    link = home / ".local" / "bin" / "hearth"
    assert (opt / "hearth").is_file() and link.is_symlink() and os.readlink(link) == str(opt / "hearth")
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(desktop, encoding="utf-8")
    assert entry["Desktop Entry"]["Exec"] == f'"{opt / "hearth"}"'
    assert entry["Desktop Entry"]["Icon"] == "hearth"
    icons = home / ".local" / "share" / "icons" / "hicolor"
    for size in (16, 48, 256, 512):
        assert (icons / f"{size}x{size}" / "apps" / "hearth.png").is_file()
    assert (icons / "scalable" / "apps" / "hearth.svg").is_file()
    # the installed copy runs (through the ~/.local/bin link, as the menu would)
    run = subprocess.run([str(link), "--version"], env=env, capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == f"Hearth {__version__}", run.stderr

    # installing again over it (an update) works; a folder that is not ours is never overwritten
    again = subprocess.run(["sh", str(unpack / "hearth" / "install.sh")], env=env, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    foreign = tmp_path / "foreign"
    (foreign / "hearth").mkdir(parents=True)
    (foreign / "hearth" / "precious.txt").write_text("keep me")
    refused = subprocess.run(["sh", str(unpack / "hearth" / "install.sh"), "--prefix", str(foreign)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "not a Hearth install" in refused.stderr
    assert (foreign / "hearth" / "precious.txt").read_text() == "keep me"

    # user data is kept by --uninstall
    data = home / ".local" / "share" / "Hearth" / "chats.sqlite3"
    data.parent.mkdir(parents=True)
    data.write_text("chats")
    gone = subprocess.run(["sh", str(opt / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert gone.returncode == 0, gone.stderr
    assert not opt.exists() and not desktop.exists() and not link.exists() and not link.is_symlink()
    assert not (icons / "48x48" / "apps" / "hearth.png").exists()
    assert data.read_text() == "chats"
