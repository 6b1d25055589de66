"""Benchmarks: each module here has a ``main(argv)`` and prints its results; ``python -m benchmarks`` runs all.

Benchmarks compare side by side in one run (a ratio against a baseline) because this machine is shared
and noisy; results are written to ``benchmarks/results/<name>.json`` and summarised in the README.
"""

import os

# as the app does at start (app/cli.py): numpy's OpenBLAS threads would compete with llama.cpp's for the cores
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
