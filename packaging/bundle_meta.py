"""What goes into a Hearth bundle, shared by ``hearth.spec``, ``build.py`` and the packaging tests.

Plain Python (no PyInstaller import at module level) so the tests can check the rules without building:
- the version comes from ``app/__init__.py`` (the one source of truth), read without importing the app;
- the ``app.*`` modules to freeze are found by walking ``app/`` and reading ``SUBCOMMANDS`` in ``app/cli.py``
  (those are loaded with importlib, which PyInstaller cannot see);
- what we leave out: Python modules and packages, Qt plugins, Qt translations, llama.cpp libraries we do not use;
- macOS ``Info.plist`` entries and the Windows version resource.
"""
from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "app"
RESOURCES = ROOT / "resources"

NAME = "Hearth"
EXE_NAME = "hearth"  # Linux / macOS executable; Windows gets Hearth.exe
BUNDLE_ID = "org.hearth.Hearth"
DESKTOP_ID = "hearth"  # matches QGuiApplication.setDesktopFileName("hearth") and StartupWMClass
COPYRIGHT = "Hearth contributors, Apache-2.0"


def read_version(init_file: Path = APP_DIR / "__init__.py") -> str:
    """``__version__`` from app/__init__.py, parsed (not imported) so the build never runs app code."""
    tree = ast.parse(init_file.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise ValueError(f"no __version__ in {init_file}")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0); '1.2rc1' -> (1, 2, 0, 0): the four numbers Windows and macOS want."""
    m = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", version.strip())
    if not m:
        raise ValueError(f"not a version: {version!r}")
    nums = [int(g) for g in m.groups() if g is not None]
    return tuple((nums + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def subcommand_modules(cli_file: Path = APP_DIR / "cli.py") -> list[str]:
    """The ``SUBCOMMANDS`` list of app/cli.py, read at build time (modules imported by name at run time)."""
    tree = ast.parse(cli_file.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(getattr(t, "id", None) == "SUBCOMMANDS" for t in targets) and node.value is not None:
            value = ast.literal_eval(node.value)
            if not all(isinstance(v, str) for v in value):
                raise ValueError("SUBCOMMANDS must be a list of module names")
            return list(value)
    raise ValueError(f"no SUBCOMMANDS list in {cli_file}")


def app_modules(app_dir: Path = APP_DIR) -> list[str]:
    """Every module and package under app/ (so modules imported lazily or by name are all frozen)."""
    mods = []
    for path in sorted(app_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(app_dir.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods.append(".".join(parts))
    return mods


def hidden_imports(cli_file: Path = APP_DIR / "cli.py") -> list[str]:
    mods = app_modules()
    for name in subcommand_modules(cli_file):
        if name not in mods:
            raise ValueError(f"app/cli.py SUBCOMMANDS names {name!r}, which is not a module under app/")
    return sorted(set(mods))


# ---- what we leave out -----------------------------------------------------------------------------------
# Qt modules Hearth never uses (it is a Qt Widgets app: QtCore, QtGui, QtWidgets; QtSvg comes in as a plugin
# dependency). Excluding them keeps a stray import from pulling tens of MB of QML/Quick/WebEngine in.
QT_EXCLUDES = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCharts", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp",
    "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors",
    "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech",
    "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets",
    "QtWebView", "QtLabsStyleKit", "QtQmlFeatures",
]

PY_EXCLUDES = [
    # GUI toolkits and dev tools we do not use
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data", "ensurepip", "venv",
    "PyQt5", "PyQt6", "PySide2", "IPython", "matplotlib", "PIL",
    # tests and build tools (the gguf package is a test-only dependency; Hearth reads GGUF headers itself)
    "test", "pytest", "_pytest", "pytestqt", "hypothesis", "gguf", "setuptools", "pkg_resources",
    "distutils", "pip", "wheel", "PyInstaller",
    "numpy.f2py", "numpy.distutils", "numpy.testing",
    "readline",  # only for interactive consoles (cmd, pdb); pulls libreadline and libtinfo in
    # huggingface_hub's optional Xet transfer client (11 MB): Hearth downloads over HTTPS itself, and
    # huggingface_hub looks for hf_xet by its package metadata, which the bundle does not carry
    "hf_xet",
    "yaml._yaml",  # PyYAML's C speed-up (2.6 MB); the pure-Python loader does the same work
    # Hearth talks HTTP through httpx, never QtNetwork (which also brings TLS and network-information plugins)
    "PySide6.QtNetwork",
    # llama-cpp-python parts Hearth does not use: the OpenAI-compatible server and multimodal (llava/mtmd)
    "llama_cpp.server", "llama_cpp.llava_cpp", "llama_cpp.mtmd_cpp",
] + [f"PySide6.{m}" for m in QT_EXCLUDES]

# llama.cpp shared libraries of llama-cpp-python that Hearth does not load (multimodal projector support)
LLAMA_LIB_SKIP = ("libmtmd", "mtmd", "libllava", "llava")

# Qt plugins (PySide6/Qt/plugins/<category>/<file>) that a desktop Widgets app does not need. Listed by what
# to drop, not what to keep, so that a plugin category a new Qt module brings in is kept until reviewed.
QT_PLUGIN_DROP_CATEGORIES = {
    "egldeviceintegrations",  # eglfs on embedded boards
    "generic",  # evdev/libinput/tuio input for eglfs/linuxfb
    "wayland-graphics-integration-server",  # for compositors
    "qmltooling", "designer", "sqldrivers", "printsupport", "vectorimageformats",
}
QT_PLUGIN_DROP_FILES = re.compile(
    r"^(lib)?q(eglfs|linuxfb|minimal|minimalegl|vnc|vkkhrdisplay|tiff|webp|tga|wbmp|pdf|icns|direct2d|gtk3)"
    r"[^/]*\.(so|dylib|dll)$")
# gtk3 platform theme: it needs the host's GTK 3, which would then run against the bundle's own GLib and
# Cairo (PyInstaller collects those for it: ~10 MB). Hearth draws its own Fusion palette, and the
# xdgdesktopportal theme (kept) gives native file dialogs and the dark-mode setting over D-Bus.

# keep: platforms xcb, wayland*, offscreen (tests and the start-up probe), cocoa, windows; imageformats svg, ico,
# jpeg, gif; iconengines svg; platformthemes gtk3 and xdgdesktopportal (dark mode, file dialogs); input contexts


def drop_binary(dest: str) -> bool:
    """Whether a collected binary (destination path inside the bundle) is left out."""
    d = dest.replace("\\", "/")
    parts = d.split("/")
    if "plugins" in parts:
        i = parts.index("plugins")
        if len(parts) > i + 2:
            if parts[i + 1] in QT_PLUGIN_DROP_CATEGORIES or QT_PLUGIN_DROP_FILES.match(parts[-1]):
                return True
    name = parts[-1]
    if name.lower() in ("opengl32sw.dll",):  # Windows software OpenGL: only for QOpenGLWidget/Quick fallback
        return True
    if "llama_cpp/lib" in d and name.startswith(LLAMA_LIB_SKIP):
        return True
    if "/" not in d and HOST_LIBS.match(name):  # e.g. libvulkan.so.1 or libcuda.so.1 picked up by a GPU build
        return True
    return False


def drop_data(dest: str) -> bool:
    """Qt's translations (Hearth's UI is English only; ~14 MB) and Qt/QML data we never load."""
    d = dest.replace("\\", "/")
    return "/Qt/translations/" in f"/{d}" or "/Qt/qml/" in f"/{d}" or d.endswith((".pyi", ".pyi.gz"))


# ---- unused shared libraries (Linux) -------------------------------------------------------------------------
def elf_needed(path: str | Path) -> list[str]:
    """The DT_NEEDED names of an ELF shared object or executable ([] for anything that is not ELF)."""
    import struct

    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        return []
    is64, little = data[4] == 2, data[5] == 1
    e = "<" if little else ">"
    if is64:
        shoff, = struct.unpack_from(e + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(e + "HH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(e + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(e + "HH", data, 0x2E)

    def section(i: int) -> tuple[int, int, int, int]:  # type, offset, size, link
        base = shoff + i * shentsize
        if is64:
            _name, typ, _flags, _addr, off, size, link = struct.unpack_from(e + "IIQQQQI", data, base)
        else:
            _name, typ, _flags, _addr, off, size, link = struct.unpack_from(e + "IIIIIII", data, base)
        return typ, off, size, link

    names = []
    for i in range(shnum):
        typ, off, size, link = section(i)
        if typ != 6:  # SHT_DYNAMIC
            continue
        _t, str_off, str_size, _l = section(link)
        fmt, step = (e + "qQ", 16) if is64 else (e + "iI", 8)
        for pos in range(off, off + size, step):
            tag, val = struct.unpack_from(fmt, data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", str_off + val)
                names.append(data[str_off + val:end].decode())
    return names


def elf_has_debug_info(path: str | Path) -> bool:
    """Whether an ELF file carries DWARF debug sections (pyenv's libpython has ~18 MB of them)."""
    import struct

    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:  # 64-bit little-endian only
        return False
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if not shoff or shstrndx >= shnum:
        return False
    str_off = struct.unpack_from("<IIQQQQI", data, shoff + shstrndx * shentsize)[4]
    for i in range(shnum):
        name = struct.unpack_from("<I", data, shoff + i * shentsize)[0]
        if data[str_off + name:str_off + name + 7] == b".debug_":
            return True
    return False


def strippable(bundle: Path) -> list[Path]:
    """Bundled ELF files with debug info that are safe to ``strip --strip-debug``: not symbolic links and not
    libraries that auditwheel vendored into ``<package>.libs/`` (patchelf-edited; strip breaks their layout)."""
    out = []
    for p in sorted(bundle.rglob("*")):
        if p.is_symlink() or not p.is_file() or any(part.endswith(".libs") for part in p.parts):
            continue
        if ".so" in p.name and elf_has_debug_info(p):
            out.append(p)
    return out


def _is_dependency_only(dest: str) -> bool:
    """Libraries PyInstaller collected only because another binary needs them (prunable when none does)."""
    d = dest.replace("\\", "/")
    name = d.rsplit("/", 1)[-1]
    if name.startswith("libpython"):
        return False  # the bootloader loads it by name
    return "/" not in d or d.startswith("PySide6/Qt/lib/")


def prune_unneeded(toc: list[tuple]) -> tuple[list[tuple], list[str]]:
    """Drop dependency-only libraries that no kept binary needs any more (after plugins were left out).

    PyInstaller collected, for instance, Pango, ATK and gdk-pixbuf for the GTK 3 theme plugin and
    libQt6Network for the network plugins; with those plugins gone nothing loads them.
    """
    by_name: dict[str, tuple] = {}
    roots: list[tuple] = []
    for entry in toc:
        dest, src, kind = entry[0], entry[1], entry[2]
        if kind not in ("SYMLINK", "EXTENSION") and _is_dependency_only(dest):
            by_name[dest.replace("\\", "/").rsplit("/", 1)[-1]] = entry
        else:
            roots.append(entry)
    keep: set[str] = set()
    todo = [e[1] for e in roots if e[2] != "SYMLINK"]
    seen_src: set[str] = set()
    while todo:
        src = todo.pop()
        if src in seen_src:
            continue
        seen_src.add(src)
        try:
            needed = elf_needed(src)
        except (OSError, ValueError, IndexError):
            needed = []
        for n in needed:
            if n in by_name and n not in keep:
                keep.add(n)
                todo.append(by_name[n][1])
    dropped = sorted(n for n in by_name if n not in keep)
    return [e for e in toc if e[2] in ("SYMLINK", "EXTENSION") or not _is_dependency_only(e[0])
            or e[0].replace("\\", "/").rsplit("/", 1)[-1] in keep], dropped


def drop_dangling_symlinks(binaries: list[tuple], datas: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Remove SYMLINK entries (PyInstaller files them under binaries or datas) whose target is no longer
    collected: PyInstaller links every Qt library into the top folder, and a left-out library would leave a
    broken link behind."""
    import posixpath

    def norm(name: str) -> str:
        return name.replace("\\", "/")

    def target(e: tuple) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(norm(e[0])), norm(e[1])))

    while True:  # a link to a dropped link is dangling too
        present = {norm(e[0]) for e in binaries + datas}
        b = [e for e in binaries if e[2] != "SYMLINK" or target(e) in present]
        d = [e for e in datas if e[2] != "SYMLINK" or target(e) in present]
        if len(b) == len(binaries) and len(d) == len(datas):
            return b, d
        binaries, datas = b, d


# Libraries a Linux bundle takes from the machine it runs on: the C library, the graphics driver stack
# (OpenGL/EGL/Vulkan/DRM must match the installed driver), libxcb and Wayland's client libraries (tied to the
# running display server; PyInstaller never bundles them). Everything else a bundled binary needs must be in
# the bundle.
HOST_LIBS = re.compile(
    r"^(ld-linux[^/]*|libc|libm|libdl|libpthread|librt|libutil|libresolv|libanl|libnsl)\.so(\.\d+)*$"
    r"|^lib(GL|GLX|EGL|OpenGL|GLESv2|gbm|drm|vulkan)\.so(\.\d+)*$"
    r"|^libxcb(-dri\d)?\.so(\.\d+)*$"
    r"|^libwayland-(client|cursor|egl)\.so(\.\d+)*$"
    r"|^lib(cuda|nvidia-[a-z-]+|nvcuvid|nvidia-ml)\.so(\.\d+)*$")  # NVIDIA's driver: never bundled


def unresolved_libraries(bundle: Path) -> dict[str, list[str]]:
    """``{library: [bundled files needing it]}`` for every needed library that is neither in the bundle
    nor one of ``HOST_LIBS`` (Linux ELF bundles only; {} means the bundle is complete)."""
    names = {p.name for p in bundle.rglob("*")}
    missing: dict[str, list[str]] = {}
    for p in sorted(bundle.rglob("*")):
        if p.is_symlink() or not p.is_file():
            continue
        try:
            needed = elf_needed(p)
        except (OSError, ValueError, IndexError):
            continue
        for n in needed:
            if n not in names and not HOST_LIBS.match(n):
                missing.setdefault(n, []).append(str(p.relative_to(bundle)))
    return missing


# ---- llama.cpp libraries -------------------------------------------------------------------------------------
def llama_lib_entries(lib_dir: Path) -> list[tuple[str, str, str]]:
    """PyInstaller TOC entries for llama-cpp-python's shared libraries.

    The wheel installs every library under three names (``libllama.so``, ``.so.0``, ``.so.0.5.0``) as
    separate copies. The bundle holds each library once, under its shortest versioned name (the soname the
    others link against), with the other names as symbolic links: the same names resolve and the files are
    not stored three times. On Windows (``llama.dll``, ``ggml.dll`` ...) there are no copies: one entry each.
    """
    files = sorted(p for p in lib_dir.iterdir() if p.is_file() and not p.name.startswith(LLAMA_LIB_SKIP)
                   and (p.suffix in (".so", ".dylib", ".dll") or ".so." in p.name or p.name.endswith(".dylib")))
    groups: dict[str, list[Path]] = {}
    for p in files:
        key = hashlib.sha256(p.read_bytes()).hexdigest()  # a link and its target, or two copies: one group
        groups.setdefault(key, []).append(p)
    entries: list[tuple[str, str, str]] = []
    dest_dir = "llama_cpp/lib"
    for same in groups.values():
        real = [p for p in same if not p.is_symlink()] or same

        def rank(p: Path) -> tuple[int, int, str]:
            versioned = ".so." in p.name
            return (0 if versioned else 1, len(p.name), p.name)  # shortest versioned name: the soname

        keep = sorted(real, key=rank)[0]
        entries.append((f"{dest_dir}/{keep.name}", str(keep.resolve()), "BINARY"))
        for other in same:
            if other.name != keep.name:
                entries.append((f"{dest_dir}/{other.name}", keep.name, "SYMLINK"))
    return entries


# ---- platform metadata ---------------------------------------------------------------------------------------
def info_plist(version: str) -> dict:
    """macOS Info.plist entries (PyInstaller writes CFBundleExecutable/Name/Identifier/Icon itself)."""
    return {
        "CFBundleName": NAME,
        "CFBundleDisplayName": NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundlePackageType": "APPL",
        "CFBundleDevelopmentRegion": "en",
        "LSMinimumSystemVersion": "11.0",
        "LSApplicationCategoryType": "public.app-category.productivity",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSHumanReadableCopyright": COPYRIGHT,
    }


def windows_version_info(version: str) -> str:
    """The text of a PyInstaller version-info file for Hearth.exe (File > Properties > Details)."""
    v = version_tuple(version)
    strings = {
        "CompanyName": NAME, "FileDescription": NAME, "FileVersion": version, "InternalName": NAME,
        "LegalCopyright": COPYRIGHT, "OriginalFilename": f"{NAME}.exe", "ProductName": NAME,
        "ProductVersion": version,
    }
    table = ",\n          ".join(f"StringStruct({k!r}, {val!r})" for k, val in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
          {table}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
