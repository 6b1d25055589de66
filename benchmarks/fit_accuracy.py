"""Accuracy of the memory estimator against llama.cpp's own numbers.

For each model (the SmolLM2 starter, Gemma 3 270M, and synthetic GGUFs with the real layer widths of Llama 3.1 8B,
Qwen2.5 7B, Phi-3 mini and Gemma 2 2B, 4 layers each), each context (512, 4096, 32768) and each KV setting
(f16, f16 with flash attention, q8_0, which llama.cpp only allows with flash attention), we load the model through
Hearth's engine, capture llama.cpp's buffer-size log lines and compare them with ``app.core.fit.memory``.

    python -m benchmarks fit_accuracy            # full matrix, writes benchmarks/results/fit_accuracy.json
    python -m benchmarks fit_accuracy --quick    # one context per model
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import ROOT, model, save

MiB = 1 << 20
GiB = 1 << 30
CONTEXTS = (512, 4096, 32768)
KV_SETTINGS = (("f16", False), ("f16", True), ("q8_0", True))
SYNTHETIC = ("llama", "qwen2", "phi3", "gemma2")


def _pct(e: int, r: int) -> float:
    return 100.0 * (e - r) / r if r else 0.0


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from app.core.fit import FitOptions, estimate
    from app.core.fit.truth import measure_load
    from app.core.gguf.header import read_model_file
    from app.core.fit.model_profile import profile_from_gguf
    from tests.support.synth_gguf import model_spec, write_gguf

    quick = "--quick" in argv
    contexts = (4096,) if quick else CONTEXTS
    tmp = Path(tempfile.mkdtemp(prefix="hearth-fit-"))
    models = [("SmolLM2-135M Q4_1", model("SmolLM2-135M-Instruct.Q4_1.gguf")),
              ("Gemma 3 270M Q4_K_M", model("gemma-3-270m-q4_k_m.gguf"))]
    for arch in SYNTHETIC:
        p = write_gguf(tmp / f"{arch}.gguf", model_spec(arch, n_layer=4))[0]
        models.append((f"synthetic {arch} (4 layers)", p))
    rows = []
    failures = []
    t0 = time.perf_counter()
    for label, path in models:
        profile = profile_from_gguf(read_model_file(path))
        for ctx in contexts:
            for kv, fa in KV_SETTINGS:
                est = estimate(profile, FitOptions(n_ctx=ctx, kv_type=kv, flash_attn=fa))
                real = measure_load(path, ctx, kv, fa)
                row = {
                    "model": label, "ctx": ctx, "kv": kv, "flash_attn": fa,
                    "weights_est": est.weights_bytes, "weights_real": real.weights,
                    "kv_est": est.kv_bytes, "kv_real": real.kv,
                    "compute_est": est.compute_bytes, "compute_real": real.compute,
                    "output_est": est.output_bytes, "output_real": real.output,
                    "total_est": est.total_bytes, "total_real": real.total,
                }
                row["weights_err_pct"] = _pct(est.weights_bytes, real.weights)
                row["kv_err_pct"] = _pct(est.kv_bytes, real.kv)
                row["compute_err_pct"] = _pct(est.compute_bytes, real.compute)
                row["total_err_pct"] = _pct(est.total_bytes, real.total)
                row["total_err_mib"] = (est.total_bytes - real.total) / MiB
                rows.append(row)
                ok_w = abs(est.weights_bytes - real.weights) <= max(0.005 * real.weights, 0.006 * MiB)
                ok_kv = abs(est.kv_bytes - real.kv) <= max(0.005 * real.kv, 0.006 * MiB)
                tol = max(0.05 * real.total, 64 * MiB) if real.weights < GiB else 0.05 * real.total
                ok_t = abs(est.total_bytes - real.total) <= tol and est.total_bytes >= 0.97 * real.total
                if not (ok_w and ok_kv and ok_t):
                    failures.append(row)
                print(f"{label:30} ctx {ctx:6} {kv:5} fa={'on ' if fa else 'off'} "
                      f"weights {row['weights_err_pct']:+6.2f}%  kv {row['kv_err_pct']:+6.2f}%  "
                      f"compute {row['compute_err_pct']:+7.2f}%  total {row['total_err_pct']:+6.2f}% "
                      f"({row['total_err_mib']:+.1f} MiB of {real.total / MiB:.0f})", flush=True)
    for p in tmp.glob("*.gguf"):
        p.unlink()
    tmp.rmdir()
    summary = summarize(rows)
    out = save("fit_accuracy", {"rows": rows, "summary": summary, "failures": len(failures),
                                "seconds": round(time.perf_counter() - t0, 1), "table": table(rows)})
    print(table(rows))
    print(f"worst: weights {summary['weights_max_abs_pct']:.3f}%, KV {summary['kv_max_abs_pct']:.3f}%, total "
          f"{summary['total_min_pct']:+.2f}% .. {summary['total_max_pct']:+.2f}%; {len(failures)} outside the "
          f"promise; saved {out}")
    return 1 if failures else 0


def summarize(rows: list[dict]) -> dict:
    return {
        "cases": len(rows),
        "weights_max_abs_pct": max(abs(r["weights_err_pct"]) for r in rows),
        "kv_max_abs_pct": max(abs(r["kv_err_pct"]) for r in rows),
        "total_min_pct": min(r["total_err_pct"] for r in rows),
        "total_max_pct": max(r["total_err_pct"] for r in rows),
    }


def table(rows: list[dict]) -> str:
    """Per model: the worst errors over its contexts and KV settings (markdown)."""
    lines = ["| model | cases | weights error (max) | KV error (max) | total error (range) | total, llama.cpp |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in dict.fromkeys(r["model"] for r in rows):
        rs = [r for r in rows if r["model"] == name]
        lo = min(rs, key=lambda r: r["total_err_pct"])
        hi = max(rs, key=lambda r: r["total_err_pct"])
        lines.append(
            f"| {name} | {len(rs)} | {max(abs(r['weights_err_pct']) for r in rs):.2f} % | "
            f"{max(abs(r['kv_err_pct']) for r in rs):.2f} % | {lo['total_err_pct']:+.2f} % .. "
            f"{hi['total_err_pct']:+.2f} % | {min(r['total_real'] for r in rs) / MiB:,.0f}-"
            f"{max(r['total_real'] for r in rs) / MiB:,.0f} MiB |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
