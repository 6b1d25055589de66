"""llama.cpp is built for a stated CPU baseline, never for the builder's CPU (packaging/portable_llama.py).

The installed library is disassembled and must hold no AVX-512 (EVEX), AMX or AVX-VNNI instruction: on an
AVX-512 machine (this project's AMD EPYC and Intel Xeon machines are) a native build would hold thousands.
The scanner itself is checked on a library compiled here with exactly those instructions, and the set-up is
checked to replace a non-portable llama-cpp-python that is already installed (as pip does when it reuses a
natively built wheel from its cache).
"""
from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import isa_scan  # noqa: E402
import portable_llama  # noqa: E402

X86 = portable_llama.machine() == "x86_64" and sys.platform.startswith("linux")
needs_x86 = pytest.mark.skipif(not X86, reason="the x86-64 ELF baseline: Linux x86-64 only")


def llama_lib() -> Path:
    import importlib.util

    return Path(importlib.util.find_spec("llama_cpp").origin).parent / "lib"


@needs_x86
def test_the_installed_cpu_library_has_no_avx512_amx_or_avx_vnni():
    counts = {c.path.name: c for c in isa_scan.scan_all(llama_lib())}
    cpu = next(c for name, c in counts.items() if name.startswith("libggml-cpu"))
    assert cpu.instructions > 100_000
    assert cpu.evex == 0 and cpu.amx == 0 and cpu.avx_vnni == 0, cpu.problems()
    assert cpu.ymm > 1_000, "the baseline is AVX2: the CPU library should be full of ymm code"
    assert isa_scan.forbidden_in(llama_lib()) == []  # every llama.cpp library, not only the CPU one


def test_the_pinned_version_is_the_one_built():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"llama-cpp-python=={portable_llama.LLAMA_CPP_PYTHON}" in deps
    assert importlib.metadata.version("llama_cpp_python") == portable_llama.LLAMA_CPP_PYTHON


def test_flags_state_the_x86_baseline_and_the_cache_key_follows_them():
    if X86:
        args = portable_llama.cmake_args()
        assert "-DGGML_NATIVE=OFF" in args
        for on in ("AVX", "AVX2", "FMA", "F16C", "BMI2"):
            assert f"-DGGML_{on}=ON" in args
        for off in ("AVX512", "AVX512_VNNI", "AVX512_BF16", "AVX_VNNI", "AMX_TILE", "AMX_INT8", "AMX_BF16"):
            assert f"-DGGML_{off}=OFF" in args
    key = portable_llama.cache_key()
    assert key == portable_llama.cache_key()
    assert portable_llama.cache_key(("-DGGML_NATIVE=ON",)) != key  # other flags, other wheel folder
    assert portable_llama.wheel_dir().name == key


def _compile(tmp: Path, name: str, asm: str) -> Path:
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.fail("a C compiler is needed (it builds llama.cpp too)")
    src = tmp / f"{name}.c"
    src.write_text(f'void f(void) {{ __asm__ volatile("{asm}"); }}\n')
    out = tmp / f"lib{name}.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-O0", str(src), "-o", str(out)], check=True)
    return out


@needs_x86
def test_the_scanner_finds_avx512_amx_and_avx_vnni(tmp_path):
    zmm = isa_scan.scan(_compile(tmp_path, "zmm", "vpaddd %zmm0, %zmm1, %zmm2"))
    evex_ymm = isa_scan.scan(_compile(tmp_path, "vl", "vpternlogd $0xff, %ymm1, %ymm2, %ymm3"))
    amx = isa_scan.scan(_compile(tmp_path, "amx", "tilerelease\\n\\tldtilecfg (%rdi)"))
    vnni = isa_scan.scan(_compile(tmp_path, "vnni", "{vex} vpdpbusd %ymm0, %ymm1, %ymm2"))
    plain = isa_scan.scan(_compile(tmp_path, "avx2", "vpaddd %ymm0, %ymm1, %ymm2"))
    assert zmm.evex == 1 and evex_ymm.evex == 1  # AVX-512 and AVX-512VL on ymm registers alike
    assert amx.amx == 2 and vnni.avx_vnni == 1
    assert plain.problems() == [] and plain.ymm == 1
    assert len(isa_scan.forbidden_in(tmp_path)) == 4
    assert isa_scan.main([str(tmp_path / "libavx2.so")]) == 0
    assert isa_scan.main([str(tmp_path)]) == 1


@needs_x86
def test_setup_replaces_a_native_llama_cpp_python_that_is_already_installed(tmp_path, monkeypatch):
    """pip reuses a natively built wheel from its cache whatever CMAKE_ARGS say, and `pip install -e .` keeps an
    installed llama-cpp-python that satisfies the pin. The set-up installs its own portable wheel over it."""
    wheel = portable_llama.cached_wheel(portable_llama.wheel_dir())
    assert wheel is not None, "make setup leaves the portable wheel in its cache folder"
    # a "native" llama-cpp-python of the same version: the real package, with AVX-512 code in its CPU library
    native = tmp_path / "native" / wheel.name
    native.parent.mkdir()
    bad_lib = _compile(tmp_path, "ggml-cpu", "vpaddd %zmm0, %zmm1, %zmm2")
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(native, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("llama_cpp/lib/libggml-cpu"):
                data = bad_lib.read_bytes()
            dst.writestr(item, data)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(native)], check=True)
    check = [py, str(ROOT / "packaging" / "portable_llama.py"), "--check"]
    bad = subprocess.run(check, capture_output=True, text=True)
    assert bad.returncode == 1 and "not the portable" in bad.stderr
    # the set-up step, with the portable wheel in its cache folder: installs it over the native one
    monkeypatch.setenv("HEARTH_BUILD_CACHE", str(portable_llama.cache_root()))
    proc = subprocess.run([py, str(ROOT / "packaging" / "portable_llama.py")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "reusing" in proc.stdout
    assert subprocess.run(check, capture_output=True, text=True).returncode == 0

