"""llama.cpp's own ``llama-bench``, built from the llama.cpp that llama-cpp-python vendors, with the same portable
flags (packaging/portable_llama.py): the baseline the engine's streaming speed is compared with.

Built once into ``<hearth build cache>/llama-bench/<key>/`` (the key is portable_llama's: version, flags, Python,
platform); the source is the llama-cpp-python sdist of the pinned version, fetched from PyPI.
``python -m benchmarks.llama_bench`` builds it and prints its path."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packaging"))
import portable_llama  # noqa: E402


def folder() -> Path:
    return portable_llama.cache_root() / "llama-bench" / portable_llama.cache_key()


def binary() -> Path:
    return folder() / "build" / "bin" / "llama-bench"


def build() -> Path:
    """The llama-bench binary, compiled on first use (the source and build folder are kept: a rebuild is
    incremental)."""
    out = binary()
    if out.is_file():
        return out
    root = folder()
    root.mkdir(parents=True, exist_ok=True)
    src = next(root.glob("llama_cpp_python-*/vendor/llama.cpp"), None)
    if src is None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", tmp,
                            f"llama-cpp-python=={portable_llama.LLAMA_CPP_PYTHON}"], check=True)
            sdist = next(Path(tmp).glob("llama_cpp_python-*.tar.gz"))
            with tarfile.open(sdist) as tf:
                tf.extractall(root, filter="data")
        src = next(root.glob("llama_cpp_python-*/vendor/llama.cpp"))
    build_dir = root / "build"
    subprocess.run(["cmake", "-S", str(src), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                    "-DBUILD_SHARED_LIBS=OFF", "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF",
                    "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=OFF",
                    *portable_llama.cmake_args()], check=True)
    subprocess.run(["cmake", "--build", str(build_dir), "--target", "llama-bench", "-j",
                    str(os.cpu_count() or 2)], check=True)
    if not out.is_file():
        raise SystemExit(f"llama-bench was built but is not at {out}")
    return out


def server_binary() -> Path:
    """llama.cpp's own ``llama-server`` from the same source and CPU baseline as llama-bench (compiled on first
    use, incrementally in the same build folder): the remote llama.cpp server of benchmarks/remote_stream.py."""
    out = folder() / "build" / "bin" / "llama-server"
    if out.is_file():
        return out
    build()
    src = next(folder().glob("llama_cpp_python-*/vendor/llama.cpp"))
    build_dir = folder() / "build"
    subprocess.run(["cmake", "-S", str(src), "-B", str(build_dir), "-DLLAMA_BUILD_SERVER=ON",
                    "-DLLAMA_BUILD_TOOLS=ON"], check=True)
    subprocess.run(["cmake", "--build", str(build_dir), "--target", "llama-server", "-j",
                    str(os.cpu_count() or 2)], check=True)
    if not out.is_file():
        raise SystemExit(f"llama-server was built but is not at {out}")
    return out


def tg(model: Path, n_gen: int = 128, threads: int = 2, reps: int = 3, flash_attn: bool = False) -> float:
    """llama-bench's tg<n_gen> tokens/s (mean of ``reps``), with flash attention as Hearth runs it: llama-bench's
    own default is "auto", which turns it on for the CPU (10-25% faster token generation on SmolLM2 here), while
    Hearth's default load options leave it off; a fair baseline does the same work."""
    r = subprocess.run([str(build()), "-m", str(model), "-p", "0", "-n", str(n_gen), "-t", str(threads),
                        "-r", str(reps), "-fa", "on" if flash_attn else "off", "-o", "json"],
                       capture_output=True, text=True, check=True)
    rows = json.loads(r.stdout)
    return float(rows[0]["avg_ts"])


if __name__ == "__main__":
    print(build())
