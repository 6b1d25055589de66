#!/bin/sh
# Build Hearth's bundle on a GPU backend of llama.cpp, or on a CPU build tuned for this very machine.
#
#   packaging/build-gpu.sh cuda          NVIDIA (CUDA toolkit with nvcc on PATH)
#   packaging/build-gpu.sh vulkan        AMD, Intel, NVIDIA (Vulkan SDK / libvulkan-dev + glslc)
#   packaging/build-gpu.sh metal         Apple silicon (Xcode command line tools; Metal is also the default there)
#   packaging/build-gpu.sh cpu-native    this machine's CPU (-march=native: AVX-512, AMX...); runs only on CPUs
#                                        like it; the engine probe falls back to safe kernels if AMX crashes
#   packaging/build-gpu.sh cpu           back to what `make setup` builds: the portable x86-64-v3 baseline
#                                        (AVX2/FMA/F16C, no AVX-512/AMX; packaging/portable_llama.py)
#
# GPU builds keep the CPU part portable: the baseline flags of packaging/portable_llama.py are added.
# Options (environment): VENV=.venv (the environment to rebuild llama-cpp-python in),
# EXTRA_CMAKE_ARGS="..." (appended, e.g. -DCMAKE_CUDA_ARCHITECTURES="75;86;89"), JOBS=2 (parallel compile).
#
# Steps: 1. rebuild the installed llama-cpp-python version from source with CMAKE_ARGS for the backend
# (FORCE_CMAKE=1, --force-reinstall --no-cache-dir, dependencies untouched); 2. ask the new build which
# backend it has (app.core.backend_info) and stop if it is not the one asked for; 3. build the bundle
# (packaging/build.py sees the new libraries and rebuilds); 4. print what `hearth --self-test` reports when
# a model is at hand (HEARTH_HOME or the default models folder).
set -eu
cd "$(dirname "$0")/.."

BACKEND=${1:-}
VENV=${VENV:-.venv}
PY=$VENV/bin/python
[ -x "$PY" ] || PY=$VENV/Scripts/python.exe  # Git Bash on Windows
[ -x "$PY" ] || { echo "build-gpu: no Python in $VENV (run make setup first, or set VENV)" >&2; exit 2; }

case "$BACKEND" in
    cpu|cpu-portable)
        "$PY" packaging/portable_llama.py
        "$PY" -m pip install -q -e '.[package]'
        exec "$PY" packaging/build.py ;;
esac
BASE=$("$PY" -c "import sys; sys.path.insert(0, 'packaging'); import portable_llama as p; print(' '.join(p.cmake_args()))")
case "$BACKEND" in
    cuda)         ARGS="$BASE -DGGML_CUDA=on";   WANT=CUDA ;;
    vulkan)       ARGS="$BASE -DGGML_VULKAN=on"; WANT=Vulkan ;;
    metal)        ARGS="-DGGML_METAL=on";        WANT=Metal ;;
    cpu-native)   ARGS="-DGGML_NATIVE=on";       WANT=CPU ;;
    *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
ARGS="$ARGS ${EXTRA_CMAKE_ARGS:-}"

VERSION=$("$PY" -c "import importlib.metadata as m; print(m.version('llama_cpp_python'))")
echo "build-gpu: rebuilding llama-cpp-python $VERSION with CMAKE_ARGS='$ARGS' (this compiles llama.cpp: 10+ minutes)"
CMAKE_ARGS="$ARGS" FORCE_CMAKE=1 CMAKE_BUILD_PARALLEL_LEVEL=${JOBS:-2} \
    "$PY" -m pip install --force-reinstall --no-cache-dir --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$VERSION"

echo "build-gpu: the new build reports:"
"$PY" - "$WANT" <<'EOF'
import json, sys
from app.core.backend_info import backend_summary, describe

s = backend_summary()
print(json.dumps({k: s[k] for k in ("backend", "gpu_offload", "registries", "devices")}, indent=1))
print(describe(s))
if s["backend"] != sys.argv[1]:
    sys.exit(f"build-gpu: asked for {sys.argv[1]} but llama.cpp reports {s['backend']} (see the pip output above)")
EOF

"$PY" -m pip install -q -e '.[package]'
"$PY" packaging/build.py

EXE=dist/hearth/hearth
[ -x "$EXE" ] || EXE=dist/Hearth.app/Contents/MacOS/hearth
[ -x "$EXE" ] || EXE=dist/Hearth/Hearth.exe
echo "build-gpu: bundle built; its self-test (needs the starter model in Hearth's models folder):"
"$EXE" --self-test || echo "build-gpu: self-test failed (no starter model installed? run 'make run' once, or pass --model FILE)"
