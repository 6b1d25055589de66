"""The packaging rules without building: what is frozen, what is left out, icons, platform metadata, and the
backend report. Fast; part of `make test`."""
from __future__ import annotations

import hashlib
import os
import plistlib
import shutil
import struct
import sys
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import bundle_meta as meta  # noqa: E402
import make_icons  # noqa: E402


# ---- what is frozen ----------------------------------------------------------------------------------------
def test_version_is_read_from_the_one_source():
    assert meta.read_version() == __version__
    assert meta.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert meta.version_tuple("2.10rc1") == (2, 10, 0, 0)
    assert meta.version_tuple("1.2.3.dev4+g1234") == (1, 2, 3, 0)
    with pytest.raises(ValueError):
        meta.version_tuple("dev")


def test_hidden_imports_cover_every_app_module_and_the_cli_subcommands():
    from app import cli

    hidden = meta.hidden_imports()
    assert meta.subcommand_modules() == cli.SUBCOMMANDS
    assert set(cli.SUBCOMMANDS) <= set(hidden)
    on_disk = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for p in (ROOT / "app").rglob("*.py") if "__pycache__" not in p.parts}
    assert on_disk == set(hidden)
    assert {"app.ui.common.about", "app.core.hardware.backend_info", "app.commands.self_test"} <= set(hidden)


def test_a_subcommand_that_is_not_a_module_fails_the_build(tmp_path):
    cli = tmp_path / "cli.py"
    cli.write_text('SUBCOMMANDS = [\n    "app.commands.self_test",\n    "app.commands.nowhere",\n]\n')
    with pytest.raises(ValueError, match="app.commands.nowhere"):
        meta.hidden_imports(cli)


def test_subcommands_are_read_not_imported(tmp_path):
    cli = tmp_path / "cli.py"
    cli.write_text('import does_not_exist\nSUBCOMMANDS: list[str] = ["app.a", "app.b"]\n')
    assert meta.subcommand_modules(cli) == ["app.a", "app.b"]
    cli.write_text("X = 1\n")
    with pytest.raises(ValueError):
        meta.subcommand_modules(cli)


# ---- what is left out ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dest, dropped", [
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/Qt/plugins/platforms/qwindows.dll", False),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", True),
    ("PySide6/Qt/plugins/imageformats/qwebp.dll", True),
    ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so", True),
    ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", True),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
    ("PySide6\\opengl32sw.dll", True),
    ("llama_cpp/lib/libmtmd.so", True),
    ("llama_cpp/lib/libllama.so.0", False),
    ("llama_cpp/lib/ggml-cuda.dll", False),
    ("libvulkan.so.1", True),  # the Vulkan loader and NVIDIA's driver come from the user's system
    ("libcuda.so.1", True),
    ("libcudart.so.12", False),  # CUDA's runtime libraries are redistributable and go in
    ("libgomp.so.1", False),
])
def test_binary_filter(dest, dropped):
    assert meta.drop_binary(dest) is dropped


def test_data_filter_drops_translations_and_stubs():
    assert meta.drop_data("PySide6/Qt/translations/qtbase_de.qm")
    assert meta.drop_data("PySide6/QtCore.pyi")
    assert not meta.drop_data("resources/icons/hearth.svg")
    assert not meta.drop_data("resources/starter_picks.json")


def test_never_used_modules_are_excluded_and_the_used_ones_are_not():
    ex = set(meta.PY_EXCLUDES)
    assert {"tkinter", "pytest", "gguf", "PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtWebEngineCore",
            "PySide6.Qt3DCore", "llama_cpp.server"} <= ex
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg", "numpy", "jinja2",
                   "sqlite3", "huggingface_hub", "keyring", "markdown_it", "psutil", "platformdirs"):
        assert needed not in ex


def test_hearth_itself_never_imports_an_excluded_module():
    """An excluded module that Hearth's own code imports would make the bundle fail at run time only."""
    import ast

    excluded = set(meta.PY_EXCLUDES)
    problems = []
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for name in names:
                parts = name.split(".")
                if any(".".join(parts[:i]) in excluded for i in range(1, len(parts) + 1)):
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert problems == [], "update packaging/bundle_meta.py PY_EXCLUDES or the import"


# ---- llama.cpp libraries: once each, other names as links ---------------------------------------------------
def test_llama_libraries_are_collected_once_with_links(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for base, body in (("libllama", b"LLAMA"), ("libggml", b"GGML"), ("libggml-cpu", b"CPU"), ("libmtmd", b"MTMD")):
        for name in (f"{base}.so", f"{base}.so.0", f"{base}.so.0.5.0"):
            (lib / name).write_bytes(body)
    (lib / "libggml-vulkan.so.0").write_bytes(b"VK")
    os.symlink("libggml-vulkan.so.0", lib / "libggml-vulkan.so")
    entries = meta.llama_lib_entries(lib)
    real = {d: s for d, s, k in entries if k == "BINARY"}
    links = {d: s for d, s, k in entries if k == "SYMLINK"}
    assert set(real) == {f"llama_cpp/lib/{n}" for n in
                         ("libllama.so.0", "libggml.so.0", "libggml-cpu.so.0", "libggml-vulkan.so.0")}
    assert links["llama_cpp/lib/libllama.so"] == "libllama.so.0"
    assert links["llama_cpp/lib/libllama.so.0.5.0"] == "libllama.so.0"
    assert links["llama_cpp/lib/libggml-vulkan.so"] == "libggml-vulkan.so.0"
    assert not any("mtmd" in d for d in real) and not any("mtmd" in d for d in links)


def test_windows_style_libraries_have_no_links(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for name in ("llama.dll", "ggml.dll", "ggml-base.dll", "ggml-cuda.dll"):
        (lib / name).write_bytes(hashlib.sha256(name.encode()).digest())
    entries = meta.llama_lib_entries(lib)
    assert {k for _, _, k in entries} == {"BINARY"} and len(entries) == 4


def test_dangling_links_to_left_out_libraries_are_dropped():
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY"),
                ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
                ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
                ("llama_cpp/lib/libllama.so", "libllama.so.0", "SYMLINK")]
    datas = [("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
             ("llama_cpp/lib/libllama.so.0", "/x/libllama.so.0", "BINARY")]
    b, d = meta.drop_dangling_symlinks(binaries, datas)
    assert [e[0] for e in b] == ["PySide6/Qt/lib/libQt6Gui.so.6", "libQt6Gui.so.6", "llama_cpp/lib/libllama.so"]
    assert [e[0] for e in d] == ["llama_cpp/lib/libllama.so.0"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads ELF files of this Linux system")
def test_elf_reader_and_pruning_on_real_libraries(tmp_path):
    sh = Path(shutil.which("sh")).resolve()
    assert "libc.so.6" in meta.elf_needed(sh)
    assert meta.elf_needed(ROOT / "main.py") == []
    import llama_cpp

    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    llama = lib_dir / "libllama.so.0"
    needed = meta.elf_needed(llama)
    assert "libggml.so.0" in needed and "libggml-base.so.0" in needed
    toc = [("llama_cpp/lib/libllama.so.0", str(llama), "BINARY"),
           ("libggml.so.0", str(lib_dir / "libggml.so.0"), "BINARY"),  # needed by libllama: kept
           ("libunused.so.1", str(sh), "BINARY"),  # nobody needs it: pruned
           ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", str(sh), "EXTENSION"),  # a module: always kept
           ("libpython3.11.so.1.0", str(sh), "BINARY")]  # loaded by the bootloader: always kept
    kept, dropped = meta.prune_unneeded(toc)
    assert dropped == ["libunused.so.1"]
    assert [e[0] for e in kept] == [e[0] for e in toc if e[0] != "libunused.so.1"]


# ---- icons and platform metadata ------------------------------------------------------------------------------
def test_ico_holds_every_size_as_png():
    pngs = make_icons.load_pngs()
    ico = make_icons.build_ico(pngs)
    reserved, kind, count = struct.unpack_from("<HHH", ico, 0)
    assert (reserved, kind) == (0, 1) and count == len(make_icons.ICO_SIZES)
    for i, size in enumerate(make_icons.ICO_SIZES):
        w, h, _c, _r, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        assert (w or 256, h or 256, planes, bpp) == (size, size, 1, 32)
        assert ico[offset:offset + length] == pngs[size]


def test_icns_holds_png_elements_with_correct_lengths():
    pngs = make_icons.load_pngs()
    icns = make_icons.build_icns(pngs)
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    pos, seen = 8, {}
    while pos < len(icns):
        kind, length = icns[pos:pos + 4], struct.unpack(">I", icns[pos + 4:pos + 8])[0]
        seen[kind] = icns[pos + 8:pos + length]
        pos += length
    assert pos == len(icns)
    for kind, size in make_icons.ICNS_TYPES:
        assert make_icons.png_size(seen[kind]) == (size, size)


def test_iconset_for_iconutil(tmp_path):
    out = make_icons.write_iconset(make_icons.load_pngs(), tmp_path / "hearth.iconset")
    names = {p.name for p in out.iterdir()}
    assert names == set(make_icons.ICONSET)
    assert make_icons.png_size((out / "icon_16x16@2x.png").read_bytes()) == (32, 32)


def test_macos_info_plist():
    plist = meta.info_plist(__version__)
    data = plistlib.loads(plistlib.dumps(plist))
    assert data["CFBundleIdentifier"] == meta.BUNDLE_ID
    assert data["CFBundleShortVersionString"] == __version__ and data["CFBundleVersion"] == __version__
    assert data["NSHighResolutionCapable"] is True and data["LSMinimumSystemVersion"]


def test_windows_version_resource_text():
    text = meta.windows_version_info("1.2.3")
    assert "filevers=(1, 2, 3, 0)" in text and "StringStruct('ProductVersion', '1.2.3')" in text
    assert "StringStruct('OriginalFilename', 'Hearth.exe')" in text


def test_windows_version_resource_is_a_well_formed_pyinstaller_expression():
    """PyInstaller evaluates this text with its versioninfo classes (which need the Windows-only pefile
    module); here the same names are stand-ins that record what they are given."""
    class Node:
        def __init__(self, *args, **kwargs):
            self.args, self.kwargs = args, kwargs

    names = {n: type(n, (Node,), {}) for n in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
                                                  "StringStruct", "VarFileInfo", "VarStruct")}
    info = eval(meta.windows_version_info(__version__), {"__builtins__": {}}, names)  # noqa: S307
    ffi = info.kwargs["ffi"]
    assert ffi.kwargs["filevers"] == meta.version_tuple(__version__) == ffi.kwargs["prodvers"]
    table = info.kwargs["kids"][0].args[0][0]
    strings = {s.args[0]: s.args[1] for s in table.args[1]}
    assert strings["ProductVersion"] == strings["FileVersion"] == __version__
    assert strings["OriginalFilename"] == "Hearth.exe"
