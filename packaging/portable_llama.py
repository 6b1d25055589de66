"""Install llama-cpp-python compiled for a stated CPU baseline, never for the builder's CPU.

    python packaging/portable_llama.py            # what `make setup` runs: build (once per key) and install
    python packaging/portable_llama.py --print    # the CMake flags and the cache key, nothing else

Why: `pip install llama-cpp-python` compiles llama.cpp with GGML_NATIVE (-march=native), so the library uses
whatever the builder's CPU has (AVX-512, AMX) and crashes or dies with SIGILL on other machines; llama.cpp's
AMX code even crashes on the very machines that have AMX (ggml-org/llama.cpp#20824). And pip's wheel cache does
not key on CMAKE_ARGS: a natively built wheel in it is silently reused, whatever flags are set next.

How: the wheel is built here with `pip wheel --no-cache-dir` (pip's wheel cache is neither read nor written)
and the flags below, into a folder of our own whose name is a hash of everything that decides the binary
(llama-cpp-python version, flags, Python tag, OS and machine). Later set-ups, fresh clones included, install
that wheel file directly. After installing, the CPU library is disassembled (`packaging/isa_scan.py`) and the
set-up fails if it holds AVX-512 or AMX code on x86-64.

Baselines: x86-64: AVX2, FMA, F16C, BMI2 (x86-64-v3, every x86 CPU since 2013-2015); no AVX-512, AVX-VNNI or
AMX. arm64: llama.cpp's platform default with GGML_NATIVE off. macOS: Metal, as llama-cpp-python sets it.
To build for your own CPU or a GPU instead, use packaging/build-gpu.sh.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import isa_scan  # noqa: E402

# The llama.cpp version Hearth is built and tested with (pyproject.toml pins the same version).
LLAMA_CPP_PYTHON = "0.3.36"

X86_64_BASELINE = (
    "-DGGML_NATIVE=OFF",
    "-DGGML_SSE42=ON", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON", "-DGGML_BMI2=ON",
    "-DGGML_AVX_VNNI=OFF",
    "-DGGML_AVX512=OFF", "-DGGML_AVX512_VBMI=OFF", "-DGGML_AVX512_VNNI=OFF", "-DGGML_AVX512_BF16=OFF",
    "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF",
)


def machine() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(m, m)


def cmake_args() -> tuple[str, ...]:
    """The CMake flags of the portable build on this OS and machine."""
    if sys.platform == "darwin":
        return ("-DGGML_NATIVE=OFF",)  # Metal is switched on by llama-cpp-python's own CMakeLists on macOS
    if machine() == "x86_64":
        return X86_64_BASELINE
    return ("-DGGML_NATIVE=OFF",)  # arm64 and others: the compiler's default for the platform


def cache_key(args: tuple[str, ...] = ()) -> str:
    parts = [
        f"llama-cpp-python=={LLAMA_CPP_PYTHON}",
        " ".join(args or cmake_args()),
        f"cp{sys.version_info.major}{sys.version_info.minor}",
        sys.platform,
        machine(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def cache_root() -> Path:
    if os.environ.get("HEARTH_BUILD_CACHE"):
        return Path(os.environ["HEARTH_BUILD_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hearth-build"


def wheel_dir(key: str | None = None) -> Path:
    return cache_root() / "llama-cpp-python" / (key or cache_key())


def cached_wheel(folder: Path) -> Path | None:
    wheels = sorted(folder.glob("llama_cpp_python-*.whl"))
    return wheels[0] if wheels else None


def build_wheel(folder: Path, python: str) -> Path:
    """Compile the wheel into `folder` (atomically: a half-built wheel is never left there)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CMAKE_ARGS"] = " ".join(cmake_args())
    env["FORCE_CMAKE"] = "1"
    env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".building-") as tmp:
        print(f"portable_llama: compiling llama-cpp-python {LLAMA_CPP_PYTHON} with CMAKE_ARGS='{env['CMAKE_ARGS']}'"
              " (once per machine and flags; ~10 min on 2 cores)", flush=True)
        subprocess.run(
            [python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-cache-dir", "--no-binary", "llama-cpp-python",
             "-w", tmp, f"llama-cpp-python=={LLAMA_CPP_PYTHON}"],
            env=env, check=True,
        )
        wheel = cached_wheel(Path(tmp))
        if wheel is None:
            raise SystemExit("portable_llama: pip wheel made no llama_cpp_python wheel")
        # check before it enters the cache: a wheel with forbidden instructions must never be reused
        check_wheel(wheel)
        staged = Path(tmp) / "ok"
        staged.mkdir()
        shutil.move(str(wheel), staged / wheel.name)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staged, folder)
    return cached_wheel(folder)


def check_wheel(wheel: Path) -> None:
    import zipfile

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        members = [n for n in zf.namelist() if isa_scan.is_cpu_library_name(Path(n).name)]
        for name in members:
            zf.extract(name, tmp)
        problems = isa_scan.forbidden_in(Path(tmp))
    if problems:
        raise SystemExit("portable_llama: the built wheel is not portable:\n  " + "\n  ".join(problems))


def installed_version(python: str) -> str | None:
    out = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('llama_cpp_python'))"],
        capture_output=True, text=True,
    )
    return out.stdout.strip() if out.returncode == 0 else None


def installed_lib_dir(python: str) -> Path | None:
    out = subprocess.run(
        [python, "-c", "import importlib.util, pathlib; s = importlib.util.find_spec('llama_cpp');"
                       " print(pathlib.Path(s.origin).parent / 'lib')"],
        capture_output=True, text=True,
    )
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def install(python: str) -> Path:
    folder = wheel_dir()
    wheel = cached_wheel(folder)
    if wheel is None:
        wheel = build_wheel(folder, python)
    else:
        print(f"portable_llama: reusing {wheel} (built with this version and these flags)", flush=True)
    # --force-reinstall: whatever llama-cpp-python is installed (a native build from pip's cache, say) is replaced
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)], check=True)
    lib = installed_lib_dir(python)
    if lib is None or not lib.is_dir():
        raise SystemExit("portable_llama: llama_cpp is not importable after installing the wheel")
    problems = isa_scan.forbidden_in(lib)
    if problems:
        raise SystemExit("portable_llama: the installed llama.cpp is not portable:\n  " + "\n  ".join(problems))
    return wheel


def is_current(python: str) -> bool:
    """True when the installed llama-cpp-python is the portable build of the pinned version."""
    if installed_version(python) != LLAMA_CPP_PYTHON:
        return False
    lib = installed_lib_dir(python)
    return lib is not None and lib.is_dir() and not isa_scan.forbidden_in(lib)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--python", default=sys.executable, help="the environment to install into")
    p.add_argument("--print", action="store_true", help="print the flags, the key and the wheel folder")
    p.add_argument("--check", action="store_true",
                   help="only check that the installed llama-cpp-python is the portable build (exit 1 if not)")
    a = p.parse_args(argv)
    if a.check:
        if not is_current(a.python):
            print(f"portable_llama: the installed llama-cpp-python ({installed_version(a.python)}) is not the "
                  f"portable {LLAMA_CPP_PYTHON} build; run `python packaging/portable_llama.py`", file=sys.stderr)
            return 1
        print(f"portable_llama: llama-cpp-python {LLAMA_CPP_PYTHON}, portable build ({machine()})")
        return 0
    if a.print:
        print(f"version {LLAMA_CPP_PYTHON}\nCMAKE_ARGS {' '.join(cmake_args())}\nkey {cache_key()}\n"
              f"folder {wheel_dir()}")
        return 0
    wheel = install(a.python)
    print(f"portable_llama: installed {wheel.name} ({' '.join(cmake_args())})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
