"""Images across turns (issue 17): time to first token of each turn of a conversation that starts with an image,
Hearth's engine (the KV prefix kept: the image is encoded once) beside llama-cpp-python's own multimodal chat
handler (``Llava15ChatHandler``: it resets the context and encodes the image again every turn), in one run.

The projector is random-weight (tests/support/make_mmproj.py, gemma3 type) but sized like a small real one: 448 px
images in 14 px patches (1,024 patches, 6 layers, width 384), pooled to 256 image tokens, as Gemma 3's projector
gives; the text model is SmolLM2-135M. What is measured is the work, not what the model says.

``python -m benchmarks vision_turns``
"""
from __future__ import annotations

import base64
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import ROOT, model, save

TURNS = ["What is in this picture?", "What colours do you see?", "Describe the top left corner.",
         "Summarise what we said."]
REPEATS = 2


def _image_uri() -> str:
    from PySide6.QtCore import QBuffer, QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter

    img = QImage(640, 480, QImage.Format_RGB888)
    img.fill(QColor("white"))
    p = QPainter(img)
    for i, c in enumerate(("red", "green", "blue", "orange")):
        p.fillRect(40 + i * 140, 60 + i * 80, 120, 120, QColor(c))
    p.end()
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QBuffer.WriteOnly)
    img.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(ba)).decode()


def hearth_turns(smol: Path, proj: Path, uri: str, threads: int) -> list[dict]:
    from app.core.engine.generation import GenerationRequest, LoadOptions, ReplyStats, Sampling
    from app.core.engine.process import EngineProcess

    e = EngineProcess()
    e.load(smol, LoadOptions(n_ctx=2048, n_threads=threads, mmproj=str(proj)))
    out = []
    try:
        messages: list[dict] = []
        for i, q in enumerate(TURNS):
            messages.append({"role": "user", "content": q, **({"images": [uri]} if i == 0 else {})})
            st = ReplyStats()
            t0 = time.perf_counter()
            first = None
            parts = []
            for piece in e.generate(GenerationRequest(messages, Sampling(temperature=0, max_tokens=16),
                                                      cache_key="bench"), stats=st):
                first = first or time.perf_counter()
                parts.append(piece)
            out.append({"ttft_ms": round(((first or time.perf_counter()) - t0) * 1000, 1),
                        "prompt_tokens": st.prompt_tokens, "cached_tokens": st.cached_tokens})
            messages.append({"role": "assistant", "content": "".join(parts)})
    finally:
        e.unload()
    return out


def handler_turns(smol: Path, proj: Path, uri: str, threads: int) -> list[dict]:
    import llama_cpp
    from llama_cpp.llama_chat_format import Llava15ChatHandler

    llm = llama_cpp.Llama(model_path=str(smol), n_ctx=2048, n_threads=threads, n_threads_batch=threads,
                          chat_handler=Llava15ChatHandler(clip_model_path=str(proj), verbose=False),
                          verbose=False)
    out = []
    try:
        messages: list[dict] = []
        for i, q in enumerate(TURNS):
            content = [{"type": "image_url", "image_url": {"url": uri}}, {"type": "text", "text": q}] if i == 0 \
                else q
            messages.append({"role": "user", "content": content})
            t0 = time.perf_counter()
            first = None
            parts = []
            for chunk in llm.create_chat_completion(messages, max_tokens=16, temperature=0, stream=True):
                delta = chunk["choices"][0]["delta"].get("content")
                if delta:
                    first = first or time.perf_counter()
                    parts.append(delta)
            out.append({"ttft_ms": round(((first or time.perf_counter()) - t0) * 1000, 1)})
            messages.append({"role": "assistant", "content": "".join(parts)})
    finally:
        llm.close()
    return out


def main(argv: list[str]) -> int:
    from app.core.engine import physical_cores
    from tests.support.make_mmproj import write_tiny_projector

    smol = model("SmolLM2-135M-Instruct.Q4_1.gguf")
    threads = physical_cores()
    uri = _image_uri()
    with tempfile.TemporaryDirectory() as d:
        proj = write_tiny_projector(Path(d) / "mmproj-bench.gguf", image_size=448, patch_size=14, hidden=384,
                                    ffn=1536, heads=6, layers=6, scale_factor=2)
        runs = {"hearth": [], "llama_cpp_python_handler": []}
        for _ in range(REPEATS):  # interleaved, so both see the same machine
            runs["hearth"].append(hearth_turns(smol, proj, uri, threads))
            runs["llama_cpp_python_handler"].append(handler_turns(smol, proj, uri, threads))
    summary = {}
    for name, rs in runs.items():
        summary[name] = [round(statistics.median(r[i]["ttft_ms"] for r in rs), 1) for i in range(len(TURNS))]
    later = lambda xs: round(statistics.mean(xs[1:]), 1)  # noqa: E731
    print(f"time to first token per turn (ms, median of {REPEATS}; turn 1 has the image, 256 image tokens):")
    for name, ms in summary.items():
        print(f"  {name:26} {ms}  later turns mean {later(ms)}")
    print(f"  hearth cached tokens per turn: {[t['cached_tokens'] for t in runs['hearth'][-1]]} of "
          f"{[t['prompt_tokens'] for t in runs['hearth'][-1]]}")
    out = save("vision_turns", {"threads": threads, "turns": TURNS, "ttft_ms_median": summary,
                                "hearth_last_run": runs["hearth"][-1], "root": str(ROOT.name)})
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
