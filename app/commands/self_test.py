"""``hearth --self-test``: load the starter model headless, generate a few tokens, print one JSON line.

Used by packaging checks: it proves the bundled llama.cpp loads a real model and generates, after running the
engine probe again (``engine_config``: fast or safe, and why; app/core/engine/probe.py). Exit 0 on
success; on failure print one clear line (JSON with ``ok: false``) and exit 1.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path


def find_starter_model(models_dir: Path) -> Path | None:
    from app.starter import STARTER, models_dir_path

    p = models_dir_path(models_dir, STARTER)
    return p if p.is_file() else None


def _backend_name() -> str:
    """CPU, CUDA, Metal, Vulkan ...: the llama.cpp backend this build offloads to (see app.core.hardware.backend_info)."""
    try:
        from app.core.hardware.backend_info import backend_summary

        return backend_summary()["backend"]
    except Exception as exc:  # reporting the backend must never fail the self-test itself
        return f"unknown ({type(exc).__name__}: {exc})"


def run_self_test(model: str | None = None, max_tokens: int = 16) -> int:
    from app import __version__
    from app.core.engine import EngineError, GenerationRequest, LoadOptions, ReplyStats, Sampling
    from app.core.engine.process import EngineProcess
    from app.paths import resolve_paths
    from app.settings import Settings

    t0 = time.perf_counter()
    result: dict = {"ok": False, "version": __version__}
    try:
        if model:
            path = Path(model)
        else:
            paths = resolve_paths()
            settings = Settings.load(paths.settings_file)
            models_dir = Path(settings.models_dir) if settings.models_dir else paths.default_models_dir
            found = find_starter_model(models_dir)
            if found is None:
                raise EngineError(f"the starter model is not installed in {models_dir} "
                                  "(run `make run` once, or pass --model FILE)")
            path = found
        from app.core.engine import probe as engine_probe

        probe = engine_probe.ensure(force=True)  # the self-test always re-checks this build on this CPU
        result.update(engine_config=probe.config, engine_config_reason=probe.reason)
        engine = EngineProcess()  # the same engine process as the window and `hearth chat`
        try:
            info = engine.load(path, LoadOptions(n_ctx=512))
            stats = ReplyStats()
            text = "".join(engine.generate(GenerationRequest([{"role": "user", "content": "Say hello in five words."}],
                                                             Sampling(temperature=0.0, seed=1, max_tokens=max_tokens)),
                                           threading.Event(), stats))
        finally:
            engine.unload()
        import llama_cpp

        result.update(ok=bool(stats.completion_tokens), model=info.name, file=str(path),
                      architecture=info.architecture, tokens=stats.completion_tokens, text=text,
                      tokens_per_s=round(stats.tokens_per_s, 1), llama_cpp_python=llama_cpp.__version__,
                      gpu_offload=bool(llama_cpp.llama_supports_gpu_offload()),
                      backend=_backend_name(),
                      seconds=round(time.perf_counter() - t0, 2))
        if not stats.completion_tokens:
            result["error"] = "the model generated no tokens"
    except EngineError as exc:
        result["error"] = str(exc)
    except Exception as exc:  # a self-test must report, not crash
        result["error"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    return 0 if result["ok"] else 1
